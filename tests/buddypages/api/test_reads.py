"""API v3 reads of programmes, activities, dates, navigation and pages by address, on the demo."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Page, Site

from buddypages.calendar.occurrences import TIMEZONE, occurrences
from buddypages.calendar.pages import ActivityOccurrenceChange, ActivityPage
from buddypages.calendar.services import activity_signup_create
from buddypages.models import HomePage, LanguageTipPage, ProgrammePage
from buddypages.registry.models import Participant
from buddypages.registry.pages import RegistrationPage

pytestmark = pytest.mark.django_db

API = "/api/v3"


def origin() -> str:
    site = Site.objects.get(is_default_site=True)
    return site.root_url


@pytest.fixture
def client(client, demo, settings):
    """A client at the demo site's address (pages link to their site's host name)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elders.example"]
    client.defaults["HTTP_HOST"] = origin().split("://", 1)[1]
    return client


def get(client, url, **headers):
    response = client.get(API + url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def activity(slug, language="nl"):
    return ActivityPage.objects.get(slug=slug, locale__language_code=language)


def test_programmes_give_their_fields_and_sign_up_links(client, demo):
    data = get(client, "/programmes/?locale=ar")
    programme = ProgrammePage.objects.get(locale__language_code="ar")
    assert data["count"] == 1
    (item,) = data["items"]
    assert item["id"] == programme.pk
    assert item["summary"] == programme.summary
    assert item["duration_months"] == programme.duration_months
    assert item["contact"] == {
        "role": programme.contact_role,
        "email": programme.contact_email,
        "phone": programme.contact_phone,
    }
    assert item["url"] == f"{origin()}/ar/{programme.slug}/"
    registrations = RegistrationPage.objects.live().descendant_of(programme)
    assert {s["id"] for s in item["signups"]} == set(registrations.values_list("pk", flat=True))
    assert {s["role"] for s in item["signups"]} == {"newcomer", "volunteer"}
    assert all(s["form"] == f"/api/v3/forms/{s['id']}/" for s in item["signups"])
    assert all(s["url"].startswith(origin() + "/ar/") for s in item["signups"])
    others = ProgrammePage.objects.live().exclude(pk=programme.pk)
    assert {t["id"] for t in item["translations"]} == set(others.values_list("pk", flat=True))
    everyone = get(client, "/programmes/")
    assert everyone["count"] == ProgrammePage.objects.live().count()


def test_a_programmes_detail_gives_its_blocks(client, demo):
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    data = get(client, f"/programmes/{programme.pk}/")
    assert [step["title"] for step in data["steps"]] == [
        block.value["title"] for block in programme.steps
    ]
    assert data["goals"] == [block.value for block in programme.goals]
    assert [q["question"] for q in data["faq"]] == [b.value["question"] for b in programme.faq]
    assert all(q["answer"].startswith("<p>") for q in data["faq"])
    assert [p["name"] for p in data["partners"]] == [p.name for p in programme.partner_list()]
    assert data["calls_to_action"]
    for call in data["calls_to_action"]:
        assert call["url"].startswith(origin() + "/nl/")
    assert "contact_name" not in data
    assert programme.contact_name not in json.dumps(data, ensure_ascii=False)
    assert client.get(f"{API}/programmes/{programme.pk + 10_000}/").status_code == 404


def test_activities_give_their_fields_and_recurrence(client, demo):
    data = get(client, "/activities/?locale=nl&limit=100")
    live = ActivityPage.objects.live().filter(locale__language_code="nl")
    assert data["count"] == live.count()
    by_slug = {item["slug"]: item for item in data["items"]}
    weekly = by_slug["praattafel"]
    page = activity("praattafel")
    assert weekly["recurrence"]["rrule"].startswith("FREQ=WEEKLY")
    assert "COUNT=10" in weekly["recurrence"]["rrule"]
    assert weekly["place_name"] == page.place_name
    assert weekly["capacity"] == page.capacity
    assert weekly["ical_url"] == origin() + "/nl/activiteiten/praattafel/ical/"
    once = by_slug["vorming-vrijwilligers"]
    assert once["recurrence"] is None
    assert once["capacity"] == activity("vorming-vrijwilligers").capacity == 20
    assert once["description"].startswith("<p>")
    english = get(client, f"/activities/{activity('praattafel', 'en').pk}/")
    weekday = WEEKDAYS[page.start.astimezone(TIMEZONE).weekday()]
    with translation.override("en"):
        assert english["recurrence"]["text"] == f"Every week on {weekday}, 10 times"
    arabic = get(client, f"/activities/{activity('praattafel', 'ar').pk}/?locale=en")
    assert arabic["recurrence"]["text"].startswith("كل أسبوع يوم ")
    assert arabic["kind_label"] != english["kind_label"]  # in the activity's language


def test_images_are_absolute_renditions_with_alt_text(client, demo):
    image = get_image_model().objects.create(
        title="Praattafel in de bib",
        description="Vier mensen rond een tafel",
        file=get_test_image_file(),
    )
    page = activity("praattafel")
    page.image = image
    page.save_revision().publish()
    data = get(client, f"/activities/{page.pk}/")
    assert data["image"]["url"].startswith(origin() + "/")
    assert data["image"]["alt"] == "Vier mensen rond een tafel"
    listed = get(client, "/activities/?locale=nl&limit=100")
    (item,) = [item for item in listed["items"] if item["id"] == page.pk]
    assert item["image"]["url"] == data["image"]["url"]
    dates = get(client, _range(page, days=30))
    assert dates["items"][0]["image"]["url"].startswith(origin() + "/")


def _range(page, *, days=366, start=None):
    first = (start or page.start).astimezone(TIMEZONE).date()
    return f"/occurrences/?start={first}&end={first + timedelta(days=days)}&locale=nl&limit=100"


def _dates_of(data, page):
    return [item for item in data["items"] if item["activity"]["id"] == page.pk]


def test_occurrences_expand_recurrences_and_mark_moved_and_cancelled_dates(client, demo):
    page = activity("praattafel")
    expected = occurrences(
        page, after=page.start - timedelta(days=1), before=page.start + timedelta(days=366)
    )
    assert len(expected) == 10
    dates = _dates_of(get(client, _range(page)), page)
    assert len(dates) == 10
    assert not any(item["moved"] or item["cancelled"] for item in dates)

    second, third = expected[1], expected[2]
    moved_to = third.start + timedelta(days=1, hours=1)
    page.occurrence_changes.add(
        ActivityOccurrenceChange(original_date=second.local_date, cancelled=True)
    )
    page.occurrence_changes.add(
        ActivityOccurrenceChange(
            original_date=third.local_date,
            new_start=moved_to,
            new_end=moved_to + timedelta(hours=2),
        )
    )
    page.save_revision().publish()

    dates = _dates_of(get(client, _range(page)), page)
    assert len(dates) == 10
    cancelled = [item for item in dates if item["cancelled"]]
    moved = [item for item in dates if item["moved"]]
    assert [item["original_date"] for item in cancelled] == [second.local_date.isoformat()]
    assert cancelled[0]["places_left"] is None
    assert [item["original_date"] for item in moved] == [third.local_date.isoformat()]
    assert moved[0]["start"] == moved_to.astimezone(TIMEZONE).isoformat()


def test_the_demos_cancelled_date_is_marked(client, demo):
    page = activity("buddycafe")
    change = page.occurrence_changes.get()
    dates = _dates_of(get(client, _range(page)), page)
    assert len(dates) == 6
    (cancelled,) = [item for item in dates if item["cancelled"]]
    assert cancelled["original_date"] == change.original_date.isoformat()


def test_places_left_fall_after_a_sign_up(client, demo):
    page = activity("vorming-vrijwilligers")
    url = _range(page, days=2)
    (before,) = _dates_of(get(client, url), page)
    assert before["capacity"] == 20
    assert before["places_left"] == 20
    activity_signup_create(
        activity=page.get_translation(Locale.objects.get(language_code="ar")).specific,
        occurrence_start=page.start,
        name="Test Persoon",
        email="test.persoon@example.org",
        places=2,
        language="ar",
    )
    (after,) = _dates_of(get(client, url), page)
    assert after["places_left"] == 18
    unlimited = activity("praattafel")
    assert all(
        item["places_left"] is None for item in _dates_of(get(client, _range(unlimited)), unlimited)
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2027-02-30&end=2027-03-01", "start"),
        ("start=2027-01-01&end=soon", "end"),
        ("start=2027-01-01&end=2028-06-01", "end"),
        ("start=2027-03-01&end=2027-01-01", "end"),
        ("start=1999-01-01&end=1999-02-01", "start"),
        ("end=2027-01-01", "start"),
    ],
)
def test_bad_dates_are_422_naming_the_field(client, demo, query, field):
    response = client.get(f"{API}/occurrences/?{query}")
    assert response.status_code == 422
    assert [entry["loc"] for entry in response.json()["errors"]] == [["query", field]]


def test_navigation_lists_the_home_pages_sections(client, demo):
    data = get(client, "/navigation/?locale=ar")
    home = HomePage.objects.get(locale__language_code="ar")
    assert data["home"]["id"] == home.pk
    sections = home.sections()
    assert [s["title"] for s in data["sections"]] == [page.title for page in sections]
    by_type = {s["type"]: s for s in data["sections"]}
    programme = by_type["buddypages.ProgrammePage"]
    assert programme["api"] == f"/api/v3/programmes/{programme['id']}/"
    assert programme["url"].startswith(origin() + "/ar/")
    assert by_type["buddypages.LanguageTipIndexPage"]["api"] == "/api/v3/tips/?locale=ar"
    assert client.get(programme["api"]).json()["locale"] == "ar"


def test_find_answers_the_typed_page_at_an_address(client, demo):
    tip = LanguageTipPage.objects.live().filter(locale__language_code="ar").first()
    data = get(client, f"/find/?path=/ar/taaltips/{tip.slug}/")
    assert data["type"] == "buddypages.LanguageTipPage"
    assert data["id"] == tip.pk
    assert data["phrase"] == tip.phrase
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    unprefixed = get(client, f"/find/?path=/{programme.slug}/")
    assert unprefixed["id"] == programme.pk
    assert unprefixed["signups"]
    page = activity("praattafel", "ar")
    assert get(client, "/find/?path=/ar/activiteiten/praattafel")["kind"] == page.kind
    assert get(client, "/find/?path=/ar/")["type"] == "buddypages.HomePage"
    for path in ("/ar/taaltips/bestaat-niet/", "/ar/activiteiten/praattafel/ical/", "/xx/"):
        response = client.get(f"{API}/find/", {"path": path, "locale": "en"})
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Not found"
    tip.unpublish()
    assert client.get(f"{API}/find/?path=/ar/taaltips/{tip.slug}/").status_code == 404


def test_each_site_reads_its_own_pages(client, demo):
    root = Page.get_first_root_node()
    nl = Locale.objects.get(language_code="nl")
    home = HomePage(title="Andere gemeente", slug="andere-gemeente", locale=nl)
    root.add_child(instance=home)
    programme = ProgrammePage(
        title="Buddy Elders", slug="buddy-elders", summary="Elders.", locale=nl
    )
    home.add_child(instance=programme)
    programme.save_revision().publish()
    Site.objects.create(hostname="elders.example", port=80, root_page=home)

    other = get(client, "/programmes/", HTTP_HOST="elders.example")
    assert [item["id"] for item in other["items"]] == [programme.pk]
    assert other["items"][0]["url"] == "http://elders.example/nl/buddy-elders/"
    named = get(client, "/programmes/?site=elders.example")
    assert [item["id"] for item in named["items"]] == [programme.pk]
    ours = get(client, "/programmes/")
    assert programme.pk not in {item["id"] for item in ours["items"]}
    assert get(client, "/activities/", HTTP_HOST="elders.example")["count"] == 0
    assert client.get(f"{API}/programmes/{programme.pk}/").status_code == 404
    found = get(client, "/find/?path=/nl/buddy-elders/", HTTP_HOST="elders.example")
    assert found["id"] == programme.pk
    assert client.get(f"{API}/find/?path=/nl/buddy-elders/").status_code == 404


def test_the_etag_moves_when_a_page_is_published(client, demo):
    url = f"{API}/programmes/?locale=nl"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    programme.summary = "Een nieuwe samenvatting."
    programme.save_revision().publish()
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert again.json()["items"][0]["summary"] == "Een nieuwe samenvatting."


LISTS = [
    "/programmes/?limit=100",
    "/activities/?limit=100",
    "/navigation/?locale=ar",
    "/referrals/?limit=100",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_take_a_fixed_number_of_queries(client, demo, url, django_assert_max_num_queries):
    client.get(API + url)  # warm Wagtail's site and locale caches
    with django_assert_max_num_queries(12):
        response = client.get(API + url)
    assert response.status_code == 200


def test_occurrences_take_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    today = timezone.localdate()
    url = f"{API}/occurrences/?start={today}&end={today + timedelta(days=366)}&limit=100"
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.json()["count"] > 20


def test_no_read_carries_personal_data(client, demo):
    people = list(Participant.objects.values_list("first_name", "last_name", "email"))
    assert people
    tip = LanguageTipPage.objects.live().filter(locale__language_code="ar").first()
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    page = activity("vorming-vrijwilligers")
    activity_signup_create(
        activity=page,
        occurrence_start=page.start,
        name=f"{people[0][0]} {people[0][1]}",
        email=people[0][2] or "someone@example.org",
        places=1,
        language="nl",
    )
    today = timezone.localdate()
    urls = [
        "/programmes/?limit=100",
        f"/programmes/{programme.pk}/",
        "/activities/?limit=100",
        f"/activities/{page.pk}/",
        f"/occurrences/?start={today}&end={today + timedelta(days=366)}&limit=100",
        "/navigation/?locale=nl",
        f"/find/?path=/ar/taaltips/{tip.slug}/",
        f"/find/?path=/nl/{programme.slug}/",
        "/referrals/?limit=100",
    ]
    text = " ".join(json.dumps(get(client, url), ensure_ascii=False) for url in urls).lower()
    for first_name, last_name, email in people:
        assert f"{first_name} {last_name}".lower() not in text
        if email:
            assert email.lower() not in text


def test_a_programmes_body_gives_blocks_with_absolute_links_and_images(client, demo):
    image = get_image_model().objects.create(title="Duo", file=get_test_image_file())
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    tips = Page.objects.get(locale__language_code="nl", slug="taaltips")
    programme.body = [
        {"type": "heading", "value": "Meer weten"},
        {
            "type": "paragraph",
            "value": f'<p>Lees de <a linktype="page" id="{tips.pk}">taaltips</a>.</p>',
        },
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Twee buddy's", "decorative": False},
        },
    ]
    programme.save_revision().publish()
    body = get(client, f"/programmes/{programme.pk}/")["body"]
    assert [block["type"] for block in body] == ["heading", "paragraph", "image"]
    assert body[0]["value"] == "Meer weten"
    assert f'href="{origin()}/nl/taaltips/"' in body[1]["value"]
    assert body[2]["value"]["url"].startswith(origin() + "/")
    assert body[2]["value"]["alt"] == "Twee buddy's"
