"""Action plans and the members' feedback: the plan, the feedback moments and form, what
each person sees, the anonymised results on the dashboard, erasure and export."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import strip_tags
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buddypages.duos import plans
from buddypages.duos.models import Duo, DuoFeedback, DuoGoal, Face, GoalRating
from buddypages.duos.plans import GoalRow, feedback_submit, moment_state, plan_set
from buddypages.duos.plans_admin import FeedbackResultsPanel, face_bands
from buddypages.duos.services import DuoError
from buddypages.duos.tokens import LINK_SALT, duo_link_token
from buddypages.registry.data_protection import participant_erase, participant_export
from buddypages.registry.models import RegistryAuditEvent

pytestmark = pytest.mark.django_db

SECRET = "Vertrouwelijk-van-de-vrijwilliger"


def login(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def make_duo(pair, *, days_in: int = 100, months: int = 6, **fields) -> Duo:
    newcomer, volunteer = pair
    start = timezone.localdate() - timedelta(days=days_in)
    end, midway = Duo.planned_dates(start, months)
    return Duo.objects.create(
        programme_key=newcomer.programme_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=start,
        planned_end=end,
        feedback_due=midway,
        **fields,
    )


@pytest.fixture
def duo(pair):
    """Past the midway date: the midway feedback is open."""
    duo = make_duo(pair)
    plan_set(
        duo=duo,
        goals=[GoalRow(key="doctor"), GoalRow(text="Samen naar de markt"), GoalRow(key="cycling")],
        user=None,
    )
    return duo


def url(duo, role="newcomer", moment="midway", lang="nl"):
    return f"/{lang}/duo/{duo_link_token(duo, role)}/feedback/{moment}/"


def answer(client, duo, role, **faces):
    goals = list(duo.goals.all())
    data = {
        f"goal_{goal.pk}": faces.get("goals", [4] * len(goals))[i] for i, goal in enumerate(goals)
    }
    data.update(overall=faces.get("overall", 4), comment=faces.get("comment", ""))
    return client.post(url(duo, role), data)


# --- The plan -----------------------------------------------------------------------------


def test_the_coordinator_writes_reorders_and_trims_the_plan(demo, pair):
    duo = make_duo(pair)
    coordinator = get_user_model().objects.get(username="coordinator")
    goals = plan_set(
        duo=duo,
        goals=[
            GoalRow(key="doctor", position=2),
            GoalRow(text="  Een   bibliotheekkaart  ", position=1),
            GoalRow(),  # an empty row is no goal
        ],
        user=coordinator,
    )
    assert [(g.key, g.text) for g in duo.goals.all()] == [
        ("", "Een bibliotheekkaart"),
        ("doctor", ""),
    ]
    assert RegistryAuditEvent.objects.filter(
        detail=f"duo {duo.pk} action plan set (2 goals)", username="coordinator"
    ).exists()
    # Keeping a goal keeps its answers; a goal left out goes, with its answers.
    feedback = DuoFeedback.objects.create(duo=duo, role="newcomer", moment="midway", overall=3)
    GoalRating.objects.create(feedback=feedback, goal=goals[0], face=2)
    GoalRating.objects.create(feedback=feedback, goal=goals[1], face=5)
    plan_set(duo=duo, goals=[GoalRow(id=goals[1].pk, key="doctor")], user=coordinator)
    assert list(duo.goals.values_list("key", flat=True)) == ["doctor"]
    assert list(feedback.ratings.values_list("face", flat=True)) == [5]


def test_more_than_five_goals_is_refused_and_nothing_changes(demo, duo):
    # The messages are read in Dutch, whatever language an earlier test left active.
    with translation.override("nl"):
        _check_plan_refusals(duo)


def _check_plan_refusals(duo):
    before = list(duo.goals.values_list("pk", "key", "text"))
    with pytest.raises(DuoError, match="hoogstens 5 doelen"):
        plan_set(duo=duo, goals=[GoalRow(text=f"Doel {n}") for n in range(6)], user=None)
    with pytest.raises(DuoError):
        plan_set(duo=duo, goals=[GoalRow(key="no-such-goal")], user=None)
    kept = before[0][0]
    with pytest.raises(DuoError, match="Laad de pagina opnieuw"):
        plan_set(
            duo=duo, goals=[GoalRow(id=kept, key="work"), GoalRow(id=kept, key="town")], user=None
        )
    assert list(duo.goals.values_list("pk", "key", "text")) == before


def test_the_plan_form_refuses_a_sixth_goal_and_keeps_what_was_typed(demo, duo):
    client = login("coordinator")
    page = client.get(f"/admin/duo-plans/{duo.pk}/")
    assert page.status_code == 200
    assert "Nederlands oefenen voor bij de dokter" in page.content.decode()
    data = {"rows": 6}
    for index in range(6):
        data[f"goal-{index}-text"] = f"Eigen doel nummer {index}"
        data[f"goal-{index}-position"] = index + 1
    response = client.post(f"/admin/duo-plans/{duo.pk}/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "hoogstens 5 doelen" in body
    for index in range(6):
        assert f'value="Eigen doel nummer {index}"' in body
    assert duo.goals.count() == 3
    # Removing one, the same five are saved, in their order.
    data["goal-0-remove"] = "1"
    response = client.post(f"/admin/duo-plans/{duo.pk}/", data)
    assert response.status_code == 302
    assert list(duo.goals.values_list("text", flat=True)) == [
        f"Eigen doel nummer {n}" for n in range(1, 6)
    ]


def test_an_editor_cannot_write_a_plan(demo, duo):
    response = login("editor").post(f"/admin/duo-plans/{duo.pk}/", {"rows": 1})
    assert response.status_code in (302, 403)
    assert duo.goals.count() == 3


def test_each_member_reads_the_goals_in_their_own_language(demo, duo):
    client = Client()
    arabic = client.get(f"/ar/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    assert "التدرّب على الهولندية لزيارة الطبيب" in arabic
    assert "<bdi>Samen naar de markt</bdi>" in arabic
    dutch = client.get(f"/nl/duo/{duo_link_token(duo, 'volunteer')}/").content.decode()
    assert "Nederlands oefenen voor bij de dokter" in dutch
    # No Persian name for this goal: the Dutch one, never an empty line.
    persian = client.get(f"/fa/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    assert "Leren fietsen" in persian


# --- Moments ------------------------------------------------------------------------------


def test_the_moments_open_and_close(demo, pair):
    duo = make_duo(pair, days_in=10)
    assert moment_state(duo, "midway") == "not_yet"
    assert moment_state(duo, "end") == "not_yet"
    assert moment_state(duo, "midway", duo.feedback_due) == "open"
    two_weeks_before = duo.planned_end - timedelta(days=14)
    assert moment_state(duo, "midway", two_weeks_before) == "closed"
    assert moment_state(duo, "end", two_weeks_before) == "open"
    duo.status, duo.ended_on = Duo.Status.COMPLETED, timezone.localdate()
    assert moment_state(duo, "end") == "open"
    assert moment_state(duo, "end", duo.ended_on + timedelta(days=43)) == "closed"
    duo.status = Duo.Status.STOPPED
    assert moment_state(duo, "end") == "closed"


def test_the_duo_page_calls_to_the_open_moment_only(demo, duo, pair):
    page = Client().get(f"/nl/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    # The page signs its own link (stamped with its second): read it back, do not re-sign.
    token = re.search(r'href="/nl/duo/([^/"]+)/feedback/midway/"', page).group(1)
    assert signing.loads(token, salt=LINK_SALT) == {"d": duo.pk, "r": "newcomer", "v": 1}
    assert "/feedback/end/" not in page
    young = make_duo(pair, days_in=5)
    page = Client().get(f"/nl/duo/{duo_link_token(young, 'newcomer')}/").content.decode()
    assert "/feedback/" not in page


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("midway", 200, "Halfweg: hoe gaat het?"),
        ("end", 400, "Dit feedbackformulier gaat open op"),
        ("halfway", 404, "Dit feedbackformulier bestaat niet."),
    ],
)
def test_unknown_or_closed_moments_get_a_translated_page(demo, duo, path, status, text):
    response = Client().get(url(duo, moment=path))
    assert response.status_code == status
    assert text in response.content.decode()


def test_a_broken_link_gets_a_translated_page(demo, duo):
    response = Client().get("/ar/duo/not-a-token/feedback/midway/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


# --- Answering ----------------------------------------------------------------------------


def test_answering_again_replaces_the_answer_and_both_midway_answers_finish_it(demo, duo):
    client = Client()
    response = answer(client, duo, "newcomer", overall=2, goals=[1, 2, 3])
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Dank je! Je antwoord is bewaard." in page
    assert "je nieuwe antwoord vervangt het oude" in page
    answer(client, duo, "newcomer", overall=5, goals=[5, 5, 4], comment="Beter nu")
    mine = DuoFeedback.objects.get(duo=duo, role="newcomer", moment="midway")
    assert (mine.overall, mine.comment) == (5, "Beter nu")
    assert sorted(mine.ratings.values_list("face", flat=True)) == [4, 5, 5]
    duo.refresh_from_db()
    assert duo.feedback_done_at is None
    answer(client, duo, "volunteer")
    duo.refresh_from_db()
    assert duo.feedback_done_at is not None


def test_an_answer_without_the_overall_face_is_refused_and_kept(demo, duo):
    goals = list(duo.goals.all())
    response = Client().post(url(duo), {f"goal_{goals[0].pk}": 2, "comment": "Mijn woorden"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een gezichtje voor deze vraag." in body
    assert "Mijn woorden" in body
    assert re.search(r'value="2" id="[^"]+" checked', body)
    assert not DuoFeedback.objects.filter(duo=duo).exists()


def test_a_forged_answer_is_refused(demo, duo, pair):
    other = make_duo(pair, days_in=100)
    plan_set(duo=other, goals=[GoalRow(key="work")], user=None)
    with pytest.raises(DuoError):
        feedback_submit(
            duo=duo,
            role="newcomer",
            moment="midway",
            overall=4,
            ratings={other.goals.get().pk: 3},
        )
    with pytest.raises(DuoError):
        feedback_submit(duo=duo, role="newcomer", moment="midway", overall=9, ratings={})
    response = Client().post(url(duo), {"overall": "7"})
    assert response.status_code == 400
    assert not DuoFeedback.objects.filter(duo=duo).exists()


def test_the_newcomer_never_sees_the_volunteers_answer(demo, duo):
    client = Client()
    answer(client, duo, "volunteer", overall=1, goals=[1, 1, 1], comment=SECRET)
    for page in (
        f"/nl/duo/{duo_link_token(duo, 'newcomer')}/",
        url(duo, "newcomer"),
        url(duo, "newcomer", lang="ar"),
    ):
        body = client.get(page).content.decode()
        assert SECRET not in body
        assert " checked" not in body  # the newcomer has not answered: no face is chosen
    assert SECRET in client.get(url(duo, "volunteer")).content.decode()


def test_the_coordinator_sees_both_answers_side_by_side(demo, duo):
    client = Client()
    answer(client, duo, "volunteer", overall=1, goals=[1, 2, 3], comment=SECRET)
    answer(client, duo, "newcomer", overall=5, goals=[5, 4, 3], comment="Heel fijn")
    page = login("coordinator").get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert SECRET in page
    assert "Heel fijn" in page
    # Newcomer first, then volunteer, on one row per question.
    row = re.search(r"<th scope=\"row\">alles samen</th>(.*?)</tr>", page, re.S).group(1)
    assert row.index("Heel goed") < row.index("Heel slecht")


# --- Anonymised results -------------------------------------------------------------------

counts = st.dictionaries(st.sampled_from(Face.values), st.integers(0, 40), max_size=5)


@given(counts)
def test_face_bands_never_show_a_count_from_one_to_four(values):
    bands = face_bands(values)
    total = sum(values.values())
    if total < 5:
        assert bands == []
        return
    assert [face for band in bands for face in band["faces"]] == Face.values
    assert sum(band["count"] for band in bands) == total
    assert all(band["count"] == 0 or band["count"] >= 5 for band in bands)
    for band in bands:
        assert band["count"] == sum(values.get(face, 0) for face in band["faces"])


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    overall=st.lists(st.sampled_from(Face.values), max_size=14),
    doctor=st.lists(st.sampled_from(Face.values), max_size=14),
)
def test_every_number_on_the_results_panel_is_zero_or_at_least_five(demo, pair, overall, doctor):
    DuoFeedback.objects.all().delete()
    duo = make_duo(pair)
    duo.programme_key = demo.programme.translation_key
    duo.save()
    goal = DuoGoal.objects.create(duo=duo, key="doctor")
    own = DuoGoal.objects.create(duo=duo, text="Eigen doel")
    # Each answer is its own row (one per member and moment in life; the panel only counts).
    for index, face in enumerate(overall):
        feedback = DuoFeedback.objects.create(
            duo=duo, role=f"r{index}", moment="midway", overall=face
        )
        if index < len(doctor):
            GoalRating.objects.create(feedback=feedback, goal=goal, face=doctor[index])
        GoalRating.objects.create(feedback=feedback, goal=own, face=1)
    html = FeedbackResultsPanel(user=get_user_model()(is_superuser=True)).render_html({})
    numbers = [int(n) for n in re.findall(r"\d+", strip_tags(html))]
    assert all(n == 0 or n >= 5 for n in numbers), numbers
    assert "Eigen doel" not in html
    midway = html[html.index("Halfweg") : html.index(">Einde<")]
    assert ("Minder dan vijf antwoorden" in midway) == (len(overall) < 5)


def test_the_demo_results_show_real_figures(demo):
    html = login("coordinator").get("/admin/").content.decode()
    assert "Resultaten van de feedback" in html
    panel = html[html.index('id="feedback-results-heading"') :]
    assert re.search(r"<strong>([5-9]|\d\d+)</strong>", panel)


def test_the_results_panel_is_for_coordinators_only(demo):
    assert "Resultaten van de feedback" not in login("editor").get("/admin/").content.decode()


def test_the_panel_template_renders_bands_as_words(demo):
    with translation.override("en"):
        bands = face_bands({1: 5, 2: 1, 3: 4, 5: 7})
        html = render_to_string(
            "buddypages/duos/admin/feedback_results_bands.html", {"bands": bands}
        )
    assert strip_tags(html).strip().split(" · ") == [
        "Very bad: 5",
        "Bad to Okay: 5",
        "Good: 0",
        "Very good: 7",
    ]


# --- Erasure and export -------------------------------------------------------------------


def test_erasing_a_member_removes_the_plan_and_all_feedback(demo, duo, pair):
    client = Client()
    answer(client, duo, "newcomer", comment="Mijn mening")
    answer(client, duo, "volunteer", comment=SECRET)
    newcomer, volunteer = pair
    ratings = list(GoalRating.objects.filter(goal__duo=duo).values_list("pk", flat=True))
    assert len(ratings) == 6
    export = participant_export(participant=newcomer, user=None)
    plan = export["action_plans"][0]
    assert "Nederlands oefenen voor bij de dokter" in plan["goals"]
    assert "Samen naar de markt" in plan["goals"]
    assert [item["comment"] for item in plan["feedback"]] == ["Mijn mening"]
    assert SECRET not in str(export)
    participant_erase(participant=newcomer, user=None)
    assert not DuoGoal.objects.filter(duo_id=duo.pk).exists()
    assert not DuoFeedback.objects.filter(duo_id=duo.pk).exists()
    assert not GoalRating.objects.filter(pk__in=ratings).exists()
    assert participant_export(participant=volunteer, user=None)["action_plans"] == []


def test_goal_names_fall_back_to_dutch(demo):
    names = plans.goal_names("so")
    assert names["doctor"] == "Nederlands oefenen voor bij de dokter"
    assert plans.goal_names("ti")["doctor"] == "ንሓኪም ዝኸውን ዳች ምልምማድ"


def test_another_goal_in_the_same_row_does_not_inherit_the_answers(demo, duo):
    cycling = duo.goals.get(key="cycling")
    feedback = DuoFeedback.objects.create(duo=duo, role="newcomer", moment="midway", overall=3)
    GoalRating.objects.create(feedback=feedback, goal=cycling, face=1)
    rows = [GoalRow(id=goal.pk, key=goal.key, text=goal.text) for goal in duo.goals.all()]
    rows[-1] = GoalRow(id=cycling.pk, key="sports-club")
    plan_set(duo=duo, goals=rows, user=None)
    assert "sports-club" in set(duo.goals.values_list("key", flat=True))
    # The face given about cycling is gone with it, not shown under the sports club.
    assert not GoalRating.objects.filter(goal__duo=duo, goal__key="sports-club").exists()
    assert not feedback.ratings.exists()


def test_an_anonymised_members_link_takes_nothing_in_any_more(demo, duo, client):
    from buddypages.registry.data_protection import participant_anonymise

    feedback_url = url(duo, "newcomer")
    participant_anonymise(participant=duo.newcomer)
    assert client.get(feedback_url).status_code == 404
    question = f"/nl/duo/{duo_link_token(duo, 'newcomer')}/question/"
    assert client.post(question, {"text": "Ik ben Fatima, mijn adres is X"}).status_code == 404
    assert not duo.questions.exists()
