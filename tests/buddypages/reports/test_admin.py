import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import Site

from buddypages.registry.models import RegistryAuditEvent
from buddypages.reports.selectors import Period, yearly_report
from newsletter.models import Delivery, Send
from tests.buddypages.reports.conftest import moment, person

URL = "/admin/yearly-report/"


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def coordinator(demo):
    return login("coordinator")


def grant(*sites) -> None:
    """With a second site, the coordinator reads only the sites granted to them."""
    from buddypages.pages.access import SiteGrant

    user = get_user_model().objects.get(username="coordinator")
    for site in sites:
        SiteGrant.objects.get_or_create(site=site, user=user, level="registry")


def test_the_coordinator_reads_this_year_s_report_with_charts_by_default(coordinator):
    response = coordinator.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in page
    year = date.today().year
    assert f"Report {year}" in page
    assert "Newcomers signed up" in page
    assert 'role="img"' in page
    assert "<title id=" in page
    assert "fewer than 5 people" in page


def test_a_regional_report_adds_the_sites_together(coordinator, demo, town):
    site, programme = town
    for _ in range(5):
        person(programme, signed_up=date(2019, 6, 1))
    default = Site.objects.get(is_default_site=True)
    grant(default, site)

    response = coordinator.get(
        URL, {"sites": [default.pk, site.pk], "year": 2019}, HTTP_ACCEPT_LANGUAGE="en"
    )

    page = response.content.decode()
    assert "Sites added together:" in page
    assert "Ardooie" in page
    assert response.context["report"].figure("newcomers_signed_up") == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2020-01-01", "end": "2019-01-01"}, "swap the two dates"),
        ({"start": "2020-01-01"}, "Give both dates"),
        ({"start": "1 januari"}, "Enter a valid date"),
        ({"year": "1800"}, "between 2000 and 2100"),
    ],
)
def test_bad_dates_get_a_clear_message_and_no_report(coordinator, query, message):
    response = coordinator.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["report"] is None


def test_an_editor_may_not_read_the_report(demo):
    response = login("editor").get(URL, {"year": 2019, "format": "xlsx"})

    # Wagtail's answer to PermissionDenied in the admin: back to the dashboard, no file.
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_pdf_and_xlsx_carry_the_report_and_each_download_is_audited(coordinator, town):
    site, programme = town
    for number in range(7):
        person(programme, neighbourhood="Kiel" if number < 6 else "Molenwijk")
    grant(site)
    before = RegistryAuditEvent.objects.filter(action="export_list").count()

    pdf = coordinator.get(URL, {"sites": site.pk, "year": 2019, "format": "pdf"})
    xlsx = coordinator.get(
        URL, {"sites": site.pk, "year": 2019, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="yearly-report-2019.pdf"' in pdf["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Duos" in book.sheetnames
    rows = list(book["Sign-ups and intake"].iter_rows(values_only=True))
    assert ("Newcomers signed up", 7) in rows
    # The neighbourhood split: 6 in Kiel; the one in Molenwijk is too few: it goes to "Other",
    # which is then too small itself and the split is not shown.
    assert ("Kiel", 6) not in rows
    assert any("Not shown" in (row[0] or "") for row in rows)
    with translation.override("en"):
        report = yearly_report(sites=[site], period=Period(date(2019, 1, 1), date(2019, 12, 31)))
    numbers = {row[0]: row[1] for row in rows if len(row) > 1 and isinstance(row[1], int | float)}
    for figure in report.section("people").figures:
        assert numbers[figure.label] == figure.value
    audit = RegistryAuditEvent.objects.filter(action="export_list").order_by("-pk")
    assert audit.count() == before + 2
    assert "yearly report 2019" in audit[0].detail
    assert "Ardooie" in audit[0].detail


def test_newsletter_reach_comes_from_the_newsletter_app(coordinator, demo, town):
    site, programme = town
    send = Send.objects.create(
        issue_key="9b0a8a1e-0000-4000-8000-000000000001",
        subject="Nieuws",
        send_after=moment(date(2019, 3, 1)),
    )
    for number, status in enumerate(("opened", "sent")):
        Delivery.objects.create(
            send=send,
            participant=person(programme, signed_up=date(2018, 1, 1), status="active"),
            email=f"lezer{number}@example.net",
            language="nl",
            kind="member",
            status=status,
            sent_at=moment(date(2019, 3, 1)),
        )
    grant(site)

    response = coordinator.get(URL, {"sites": site.pk, "year": 2019}, HTTP_ACCEPT_LANGUAGE="en")

    report = response.context["report"]
    reach = {figure.label: figure.value for figure in report.section("newsletter").figures}
    assert reach["Newsletters sent"] == 1
    assert reach["Emails sent"] == 2
    assert reach["Different people reached"] == 2
    assert reach["Emails opened"] == 1


def test_the_report_and_its_downloads_need_the_second_factor(demo, settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.startswith("buddysite.twofactor")
    ]
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "REQUIRE_TWO_FACTOR": True}
    before = RegistryAuditEvent.objects.count()

    response = login("coordinator").get(
        URL, {"year": 2019, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
    [message] = get_messages(response.wsgi_request)
    assert "second factor" in str(message)
    assert RegistryAuditEvent.objects.count() == before
