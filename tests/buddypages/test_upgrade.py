"""Upgrading from the last release before the models moved into bounded contexts (6c7b673).

The models moved between modules of the one ``buddypages`` app; their tables, columns and
migrations did not change, so a database of that release needs no data migration. Proof:
a fresh SQLite database migrated with the migration files (the release's, unchanged), rows
written with plain SQL into the tables the release named, and every row read back through
the moved models; and ``makemigrations --check`` finds nothing to do.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "6c7b673"

# Every table of the app as the release created it, with the model that reads it now.
# Tables added after that release (new features; the upgrade creates them empty).
ADDED_SINCE_RELEASE = {
    "buddypages_contentgeneration",
    "buddypages_webhookendpoint",
    "buddypages_webhookdelivery",
    # 0013_newsletter_readers: no table (a new role value, "reader", on participants).
    # 0015_coordinator_cycle: the volunteers' paperwork and trainings, action plans and
    # feedback, questions, vouchers, the referral guide and goal options.
    "buddypages_informationnote",
    "buddypages_insurancepolicy",
    "buddypages_insurancecover",
    "buddypages_noteacknowledgement",
    "buddypages_trainingattendance",
    "buddypages_goaloption",
    "buddypages_referralservice",
    "buddypages_duogoal",
    "buddypages_duofeedback",
    "buddypages_goalrating",
    "buddypages_duoquestion",
    "buddypages_voucheroffer",
    "buddypages_voucher",
    # 0016_municipality_settings: each site's name, look, sender and languages.
    "buddypages_municipalitysettings",
    # 0018_sealed_sites: who may see which municipality's registry.
    "buddypages_sitegrant",
    # 0020_history_per_site: Wagtail's history of people's records, per site.
    "buddypages_sitelogentry",
}

OLD_TABLES = {
    "buddypages_homepage": "buddypages.pages.models.HomePage",
    "buddypages_programmepage": "buddypages.pages.models.ProgrammePage",
    "buddypages_languagetipindexpage": "buddypages.pages.models.LanguageTipIndexPage",
    "buddypages_languagetippage": "buddypages.pages.models.LanguageTipPage",
    "buddypages_languagetiptheme": "buddypages.pages.snippets.LanguageTipTheme",
    "buddypages_partner": "buddypages.pages.snippets.Partner",
    "buddypages_interest": "buddypages.pages.snippets.Interest",
    "buddypages_activitycalendarpage": "buddypages.calendar.pages.ActivityCalendarPage",
    "buddypages_activitypage": "buddypages.calendar.pages.ActivityPage",
    "buddypages_activityoccurrencechange": "buddypages.calendar.pages.ActivityOccurrenceChange",
    "buddypages_activitysignup": "buddypages.calendar.models.ActivitySignup",
    "buddypages_registrationpage": "buddypages.registry.pages.RegistrationPage",
    "buddypages_participant": "buddypages.registry.models.Participant",
    "buddypages_participantlanguage": "buddypages.registry.models.ParticipantLanguage",
    "buddypages_participant_interests": None,  # the many-to-many table of Participant
    "buddypages_statuschange": "buddypages.registry.models.StatusChange",
    "buddypages_intake": "buddypages.registry.models.Intake",
    "buddypages_consent": "buddypages.registry.models.Consent",
    "buddypages_registryauditevent": "buddypages.registry.models.RegistryAuditEvent",
    "buddypages_signupattempt": "buddypages.registry.models.SignupAttempt",
    "buddypages_matchweights": "buddypages.duos.models.MatchWeights",
    "buddypages_matchexclusion": "buddypages.duos.models.MatchExclusion",
    "buddypages_speeddatepick": "buddypages.duos.models.SpeedDatePick",
    "buddypages_matchproposal": "buddypages.duos.models.MatchProposal",
    "buddypages_duo": "buddypages.duos.models.Duo",
    "buddypages_meeting": "buddypages.duos.models.Meeting",
}

# Run by `manage.py shell` on the upgraded database: what the moved models read there.
READ_BACK = """
import json
from django.apps import apps
from wagtail.models import Page
from buddypages.models import (
    ActivityPage, ActivitySignup, Duo, MatchProposal, Meeting, Participant, RegistrationPage,
)

counts = {
    model._meta.db_table: model.objects.count()
    for model in apps.get_app_config("buddypages").get_models(include_auto_created=True)
}
specific = {
    page.slug: f"{type(page.specific).__module__}.{type(page.specific).__name__}"
    for page in Page.objects.filter(depth__gte=2).exclude(slug="home")
}
signup = ActivitySignup.objects.select_related("activity").get()
participant = Participant.objects.get(email="amal@example.org")
duo = Duo.objects.select_related("newcomer", "volunteer").get()
print(json.dumps({
    "counts": counts,
    "specific": specific,
    "signup": [signup.name, signup.activity.title, signup.activity.occurrence_changes.count()],
    "participant": [
        participant.programme.title,
        sorted(participant.interests.values_list("key", flat=True)),
        participant.spoken_language_codes(),
        participant.consents.get().text_version,
        participant.intakes.get().notes,
        participant.status_changes.get().to_status,
    ],
    "duo": [duo.newcomer.first_name, duo.volunteer.first_name, duo.programme.title],
    "meeting": [Meeting.objects.get().duo_id == duo.pk],
    "proposal": MatchProposal.objects.get().reasons,
    "registration": RegistrationPage.objects.get().get_parent().specific.summary,
    "activity_parent": ActivityPage.objects.get().get_parent().specific.intro,
}))
"""


def _environment(database: Path) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "buddysite.settings.test",
        "DATABASE_URL": "",  # a SQLite file, also when the suite runs on PostgreSQL
        "TEST_WORKER_DB_NAME": str(database),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    environment.pop("TEST_DB_SUFFIX", None)
    return environment


def _manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(database),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


class OldRelease:
    """Writes rows the way the old release's tables hold them: plain SQL, old table names."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.inserted: dict[str, int] = {}

    def _columns(self, table: str) -> list[tuple]:
        columns = self.db.execute(f'PRAGMA table_info("{table}")').fetchall()  # noqa: S608
        assert columns, f"the release's table {table} is missing"
        return columns

    def insert(self, table: str, **values) -> int:
        """One row; NOT NULL columns left out get a neutral value of their type (foreign
        keys never: a test names them)."""
        (create_sql,) = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()
        foreign_keys = {row[3] for row in self.db.execute(f'PRAGMA foreign_key_list("{table}")')}
        for _cid, name, kind, not_null, default, primary in self._columns(table):
            if name in values or primary or not not_null or default is not None:
                continue
            assert name not in foreign_keys, f"{table}.{name}: give the foreign key"
            kind = kind.lower()
            if f'JSON_VALID("{name}")' in create_sql:
                values[name] = "[]"
            elif kind.startswith(("integer", "bigint", "smallint", "bool", "decimal", "real")):
                values[name] = 0
            elif kind.startswith("datetime"):
                values[name] = "2026-01-05 10:00:00"
            elif kind.startswith("date"):
                values[name] = "2026-01-05"
            elif kind == "char(32)":
                values[name] = uuid.uuid4().hex
            else:
                values[name] = ""
        names = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.execute(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
            list(values.values()),
        )
        self.inserted[table] = self.inserted.get(table, 0) + 1
        return cursor.lastrowid

    def page(self, table: str, *, path: str, slug: str, title: str, **fields) -> int:
        model = table.removeprefix("buddypages_")
        (content_type,) = self.db.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'buddypages' AND model = ?",
            [model],
        ).fetchone()
        (locale,) = self.db.execute(
            "SELECT id FROM wagtailcore_locale WHERE language_code = 'nl'"
        ).fetchone()
        pk = self.insert(
            "wagtailcore_page",
            path=path,
            depth=len(path) // 4,
            numchild=0,
            title=title,
            draft_title=title,
            slug=slug,
            url_path=f"/{slug}/",
            content_type_id=content_type,
            locale_id=locale,
            translation_key=uuid.uuid4().hex,
            live=1,
        )
        self.insert(table, page_ptr_id=pk, **fields)
        return pk


def test_a_database_of_the_last_release_is_read_by_the_moved_models(tmp_path):
    database = tmp_path / "release.sqlite3"
    migrated = _manage(database, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    with sqlite3.connect(database) as connection:
        old = OldRelease(connection)
        home = old.page("buddypages_homepage", path="00010002", slug="thuis", title="Thuis")
        programme = old.page(
            "buddypages_programmepage",
            path="000100020001",
            slug="buddywerking",
            title="Buddywerking",
            summary="Samen Nederlands oefenen.",
            duration_months=6,
            meetings_per_month=2,
        )
        old.page(
            "buddypages_activitycalendarpage",
            path="000100020002",
            slug="kalender",
            title="Kalender",
            intro="Wat er te doen is.",
        )
        activity = old.page(
            "buddypages_activitypage",
            path="0001000200020001",
            slug="buddycafe",
            title="Buddycafé",
            kind="buddy_cafe",
            audience="everyone",
            start="2026-02-04 18:00:00",
            end="2026-02-04 20:00:00",
            repeat="weekly",
            repeat_interval=1,
            cost="free",
            capacity=20,
        )
        old.insert(
            "buddypages_activityoccurrencechange",
            page_id=activity,
            original_date="2026-02-11",
            cancelled=1,
            sort_order=0,
        )
        index = old.page(
            "buddypages_languagetipindexpage", path="000100020003", slug="tips", title="Tips"
        )
        theme = old.insert(
            "buddypages_languagetiptheme",
            key="dokter",
            name="Bij de dokter",
            locale_id=1,
            translation_key=uuid.uuid4().hex,
        )
        old.page(
            "buddypages_languagetippage",
            path="0001000200030001",
            slug="hoe-gaat-het",
            title="Hoe gaat het?",
            phrase="Hoe gaat het?",
            meaning="How are you?",
            level="A1",
            theme_id=theme,
        )
        connection.execute(
            "UPDATE buddypages_languagetipindexpage SET featured_tip_id = NULL "
            "WHERE page_ptr_id = ?",
            [index],
        )
        old.page(
            "buddypages_registrationpage",
            path="0001000200010001",
            slug="aanmelden",
            title="Aanmelden",
            role="newcomer",
            intro="<p>Welkom</p>",
            privacy_summary="<p>Privacy</p>",
            privacy_version="1",
            thank_you="<p>Dank je</p>",
        )
        old.insert("buddypages_partner", name="Bibliotheek", locale_id=1, translation_key="a" * 32)
        cooking = old.insert(
            "buddypages_interest",
            key="koken",
            name="Koken",
            locale_id=1,
            translation_key=uuid.uuid4().hex,
        )
        connection.execute("UPDATE wagtailcore_page SET numchild = 4 WHERE id = ?", [home])
        old.insert(
            "buddypages_activitysignup",
            activity_id=activity,
            occurrence_start="2026-02-04 18:00:00",
            name="Amal",
            email="amal@example.org",
            places=2,
            language="ar",
            status="confirmed",
            token=uuid.uuid4().hex,
        )
        (programme_key,) = connection.execute(
            "SELECT translation_key FROM wagtailcore_page WHERE id = ?", [programme]
        ).fetchone()
        people = {}
        for first_name, role in (("Amal", "newcomer"), ("Jan", "volunteer")):
            people[role] = old.insert(
                "buddypages_participant",
                programme_id=programme,
                programme_key=programme_key,
                role=role,
                status="active",
                first_name=first_name,
                last_name="Test",
                email=f"{first_name.lower()}@example.org",
                preferred_language="nl",
                form_language="nl",
                max_duos=1,
                signup_count=1,
                newsletter_status="none",
            )
        amal, jan = people["newcomer"], people["volunteer"]
        old.insert("buddypages_participantlanguage", participant_id=amal, code="ar")
        old.insert("buddypages_participant_interests", participant_id=amal, interest_id=cooking)
        old.insert(
            "buddypages_statuschange",
            participant_id=amal,
            from_status="waiting",
            to_status="matched",
            note="",
        )
        old.insert("buddypages_intake", participant_id=amal, held_on="2026-01-05", notes="Fijn.")
        old.insert(
            "buddypages_consent",
            participant_id=amal,
            purpose="programme",
            lawful_basis="consent",
            given=1,
            text_version="1 (page 7, revision 3)",
            method="web_form",
            language="ar",
        )
        old.insert("buddypages_registryauditevent", action="register", participant_ref=amal)
        old.insert("buddypages_signupattempt", key="f" * 64)
        old.insert("buddypages_matchweights", programme_key=programme_key)
        old.insert("buddypages_matchexclusion", newcomer_id=amal, volunteer_id=jan)
        old.insert("buddypages_speeddatepick", chooser_id=amal, chosen_id=jan)
        old.insert(
            "buddypages_matchproposal",
            programme_key=programme_key,
            newcomer_id=amal,
            volunteer_id=jan,
            score=3.5,
            reasons='[{"code": "interests", "values": ["koken"]}]',
            status="accepted",
        )
        duo = old.insert(
            "buddypages_duo",
            programme_id=programme,
            programme_key=programme_key,
            newcomer_id=amal,
            volunteer_id=jan,
            status="active",
            start_date="2026-01-10",
            planned_end="2026-07-10",
            feedback_due="2026-04-10",
        )
        old.insert("buddypages_meeting", duo_id=duo, date="2026-01-17", minutes=90)
        connection.commit()
        assert set(old.inserted) >= set(OLD_TABLES), set(OLD_TABLES) - set(old.inserted)

    read = _manage(database, "shell", "--no-imports", "-c", READ_BACK)
    assert read.returncode == 0, read.stderr
    found = json.loads(read.stdout.strip().splitlines()[-1])

    # Every table the release had is still there and holds every row written there; the
    # only other tables are the ones added since, by name.
    assert set(found["counts"]) - set(OLD_TABLES) <= ADDED_SINCE_RELEASE
    assert set(OLD_TABLES) <= set(found["counts"])
    for table, rows in old.inserted.items():
        if table.startswith("buddypages_"):
            assert found["counts"][table] == rows, table
    # Pages of the release open as the moved page classes (same content types).
    assert found["specific"] == {
        "thuis": "buddypages.pages.models.HomePage",
        "buddywerking": "buddypages.pages.models.ProgrammePage",
        "kalender": "buddypages.calendar.pages.ActivityCalendarPage",
        "buddycafe": "buddypages.calendar.pages.ActivityPage",
        "tips": "buddypages.pages.models.LanguageTipIndexPage",
        "hoe-gaat-het": "buddypages.pages.models.LanguageTipPage",
        "aanmelden": "buddypages.registry.pages.RegistrationPage",
    }
    assert found["signup"] == ["Amal", "Buddycafé", 1]
    assert found["participant"] == [
        "Buddywerking",
        ["koken"],
        ["ar"],
        "1 (page 7, revision 3)",
        "Fijn.",
        "matched",
    ]
    assert found["duo"] == ["Amal", "Jan", "Buddywerking"]
    assert found["meeting"] == [True]
    assert found["proposal"] == [{"code": "interests", "values": ["koken"]}]
    assert found["registration"] == "Samen Nederlands oefenen."
    assert found["activity_parent"] == "Wat er te doen is."


def test_the_moved_models_keep_the_tables_and_migrations_of_the_release():
    from django.apps import apps

    tables = {
        model._meta.db_table: f"{model.__module__}.{model.__name__}"
        for model in apps.get_app_config("buddypages").get_models(include_auto_created=True)
        if not model._meta.auto_created
    }
    old = {table: name for table, name in OLD_TABLES.items() if name}
    assert {table: name for table, name in tables.items() if table in old} == old
    assert set(tables) - set(old) <= ADDED_SINCE_RELEASE

    check = _manage(ROOT / "var" / "unused.sqlite3", "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No changes detected" in check.stdout


def test_the_migration_files_of_the_release_are_unchanged():
    """No migration of the release was edited, renamed or removed since (later ones may be
    added: they run on upgrade like any other). Needs the repository's history."""
    git = shutil.which("git")
    if git is None or (
        subprocess.run(
            [git, "cat-file", "-e", f"{RELEASE}^{{commit}}"], cwd=ROOT, capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip(f"no git history with the release {RELEASE} here")
    changed = subprocess.run(
        [
            git,
            "diff",
            "--stat",
            "--diff-filter=MDRT",
            RELEASE,
            "--",
            "buddypages/migrations",
            "newsletter/migrations",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert changed.stdout == ""
