"""The wheel an adopter installs: both apps, complete, and nothing of the example host.

Built offline from a copy of the source tree without any compiled ``.mo`` file, as a fresh
clone would be, so the test also proves the build compiles the catalogues itself.
"""

import gettext
import io
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from buddypages.core.languages import LANGUAGE_CODES
from tests.wheel import build_wheel

ROOT = Path(__file__).resolve().parents[1]
APPS = ["buddypages", "newsletter"]
# Runtime dependencies the apps import, each declared with a lower bound.
RUNTIME = {
    "django",
    "wagtail",
    "wagtail-localize",
    "django-anymail",
    "django-tasks",
    "django-tasks-db",
    "icalendar",
    "python-dateutil",
    "numpy",
    "scipy",
    "css-inline",
    "fpdf2",
    "uharfbuzz",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    with zipfile.ZipFile(build_wheel(tmp_path_factory.mktemp("build"))) as archive:
        yield archive


def source_files(pattern: str) -> list[str]:
    return sorted(
        path.relative_to(ROOT).as_posix()
        for app in APPS
        for path in (ROOT / app).glob(pattern)
        if "__pycache__" not in path.parts
    )


@pytest.mark.slow
def test_wheel_holds_both_apps_with_templates_static_and_migrations(wheel):
    names = set(wheel.namelist())
    for expected in [
        "buddypages/templates/buddypages/programme_page.html",
        "newsletter/templates/newsletter/newsletter_issue_page.html",
        "newsletter/templates/newsletter/email/issue.txt",
        "newsletter/static/newsletter/progress.js",
        # The posters' fonts, with their licence.
        "buddypages/static/buddypages/fonts/NotoSansEthiopic-Regular.ttf",
        "buddypages/static/buddypages/fonts/OFL.txt",
        "buddypages/core/__init__.py",
        "buddypages/core/languages.py",
        "buddypages/migrations/0001_initial.py",
        "newsletter/migrations/0001_issues.py",
    ]:
        assert expected in names
    # Whatever the apps grow (subpackages, templates, static files, migrations) ships too.
    for pattern in ["**/*.py", "**/templates/**/*.*", "**/static/**/*.*", "**/locale/**/*.po"]:
        missing = sorted(set(source_files(pattern)) - names)
        assert missing == []


@pytest.mark.slow
def test_wheel_holds_a_compiled_catalogue_for_every_language(wheel):
    names = set(wheel.namelist())
    for app in APPS:
        for code in LANGUAGE_CODES:
            assert f"{app}/locale/{code}/LC_MESSAGES/django.mo" in names
    nl = gettext.GNUTranslations(
        io.BytesIO(wheel.read("buddypages/locale/nl/LC_MESSAGES/django.mo"))
    )
    assert nl.gettext("Skip to main content") == "Ga meteen naar de inhoud"
    ar = gettext.GNUTranslations(
        io.BytesIO(wheel.read("newsletter/locale/ar/LC_MESSAGES/django.mo"))
    )
    assert ar.gettext("Unsubscribe") not in {"", "Unsubscribe"}


@pytest.mark.slow
def test_wheel_leaves_out_the_example_host_tests_and_data(wheel):
    for name in wheel.namelist():
        top = name.split("/", 1)[0]
        assert top in APPS or (top.startswith("buddywerking-") and top.endswith(".dist-info")), name
        assert not name.endswith((".sqlite3", ".pyc")), name
        assert "buddysite" not in name, name
        assert "__pycache__" not in name, name


@pytest.mark.slow
def test_wheel_declares_dependencies_with_lower_bounds_and_no_cap_on_wagtail_or_django(wheel):
    (metadata_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist")]
    runtime = {r.name.lower(): r for r in requirements if r.marker is None}
    assert set(runtime) >= RUNTIME
    for name in RUNTIME:
        assert any(spec.operator == ">=" for spec in runtime[name].specifier), name
    for name in ["django", "wagtail"]:
        assert {spec.operator for spec in runtime[name].specifier} == {">="}, name
    # Two-step login is the host's choice: django-otp only as an extra.
    assert "django-otp" not in runtime
    assert any(
        r.name.lower() == "django-otp" and r.marker is not None and "extra" in str(r.marker)
        for r in requirements
    )
    assert metadata["Requires-Python"] == ">=3.11"
