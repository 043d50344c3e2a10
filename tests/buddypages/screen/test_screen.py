"""The waiting-room screen with the test client on the demo: what a person in the waiting room
reads, which languages it turns through, wrong addresses, its queries and the page cache."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from wagtail.models import Locale, PageViewRestriction

from buddypages.calendar.occurrences import occurrences_between
from buddypages.calendar.pages import ActivityOccurrenceChange, ActivityPage
from buddypages.core.qr import qr_svg
from buddypages.pages.models import LanguageTipIndexPage, LanguageTipPage
from buddypages.pages.selectors import language_tip_of_the_week
from buddypages.screen import views
from buddypages.screen.selectors import DAYS_AHEAD
from tests.buddypages.screen.helpers import html_attributes, slides_of

pytestmark = pytest.mark.django_db

QR_PATH = re.compile(r'class="qrline"[^>]* d="([^"]+)"')


def screen_url(language: str, query: str = "") -> str:
    with translation.override(language):
        return reverse("buddypages:screen") + query


def slides_url(language: str, query: str = "") -> str:
    with translation.override(language):
        return reverse("buddypages:screen-slides") + query


def next_occurrence(language: str):
    """The first date of a live activity in ``language`` from now on, as the calendar has it."""
    activities = ActivityPage.objects.live().filter(locale__language_code=language)
    now = timezone.now()
    return occurrences_between(
        activities, after=now, before=now + timedelta(days=DAYS_AHEAD), include_cancelled=True
    )[0]


def day_in(language: str, moment) -> str:
    with translation.override(language):
        return dateformat.format(timezone.localtime(moment), "l j F")


def signup_page(demo, language: str):
    newcomer_form = demo.registration_pages["newcomer"]
    return newcomer_form.get_translation(Locale.objects.get(language_code=language))


def qr_paths(response) -> set[str]:
    return set(QR_PATH.findall(response.content.decode()))


def test_the_address_is_named_under_the_language_prefix():
    assert screen_url("nl") == "/nl/screen/"
    assert screen_url("ar") == "/ar/screen/"
    assert slides_url("ar") == "/ar/screen/slides/"


def test_the_screen_shows_the_next_activity_the_tip_and_a_code_to_sign_up(client, demo):
    response = client.get(screen_url("nl"))
    assert response.status_code == 200
    activities, tip = slides_of(response)

    assert (activities.kind, activities.lang, activities.dir) == ("activities", "nl", "ltr")
    assert activities.active  # without the script, the first slide is the one shown
    assert "Volgende activiteiten" in activities.text
    first = next_occurrence("nl")
    # The first activity on the list is the next one, with its day and time.
    listed = activities.text.split("Volgende activiteiten", 1)[1]
    assert listed.strip().startswith(
        f"{day_in('nl', first.start)} {timezone.localtime(first.start):%H:%M}"
    )
    assert first.activity.title in listed.split(day_in("nl", first.start), 2)[1]

    assert tip.kind == "tip"
    assert "Tip van de week" in tip.text
    assert language_tip_of_the_week(locale=Locale.objects.get(language_code="nl")).phrase in (
        tip.text
    )
    assert 'class="bp-tip__phrase" lang="nl" dir="ltr"' in response.content.decode()

    form = signup_page(demo, "nl")
    address = f"http://testserver{form.url}"
    assert "Aanmelden" in activities.text
    assert address.removeprefix("http://").rstrip("/") in activities.text
    # The code holds that address: the same modules as a code made of it.
    assert qr_paths(response) == set(QR_PATH.findall(qr_svg(address, scale=1)))


def test_arabic_slides_are_right_to_left_with_the_arabic_sign_up_page(client, demo):
    response = client.get(screen_url("ar"))
    body = response.content.decode()
    assert html_attributes(response) == {"lang": "ar", "dir": "rtl"}
    slides = slides_of(response)
    assert {(s.lang, s.dir) for s in slides} == {("ar", "rtl")}
    assert "الأنشطة القادمة" in slides[0].text
    assert "نصيحة الأسبوع" in slides[1].text
    first = next_occurrence("ar")
    assert first.activity.title in slides[0].text
    assert day_in("ar", first.start) in slides[0].text
    # The Dutch phrase stays Dutch, left to right, inside the Arabic slide.
    tip = language_tip_of_the_week(locale=Locale.objects.get(language_code="ar"))
    assert f'lang="nl" dir="ltr">{tip.phrase}</p>' in body
    form = signup_page(demo, "ar")
    assert form.url.startswith("/ar/")
    assert qr_paths(response) == set(
        QR_PATH.findall(qr_svg(f"http://testserver{form.url}", scale=1))
    )


def test_several_languages_in_turn_each_in_its_own_language(client, demo):
    response = client.get(screen_url("nl", "?langs=nl,ar,ti,uk"))
    assert response.status_code == 200
    assert html_attributes(response)["lang"] == "nl"
    slides = slides_of(response)
    order = [slide.lang for slide in slides]
    assert order == sorted(order, key=["nl", "ar", "ti", "uk"].index)
    assert set(order) == {"nl", "ar", "ti", "uk"}
    assert [s.active for s in slides].count(True) == 1
    by_lang = {s.lang: s for s in slides if s.kind == "activities"}
    assert by_lang["ar"].dir == "rtl"
    assert by_lang["ti"].dir == "ltr"
    assert "Найближчі заходи" in by_lang["uk"].text
    assert "ዝቕጽሉ ንጥፈታት" in by_lang["ti"].text
    # Tigrinya has no calendar of its own in the demo: its slide lists the Dutch activities,
    # their titles marked Dutch, under a Tigrinya heading with Tigrinya day names.
    assert not ActivityPage.objects.live().filter(locale__language_code="ti").exists()
    dutch = next_occurrence("nl")
    assert dutch.activity.title in by_lang["ti"].text
    assert day_in("ti", dutch.start) in by_lang["ti"].text
    assert f'lang="nl" dir="ltr">{escape(dutch.activity.title)}</p>' in (response.content.decode())
    # Tigrinya has no programme of its own in the demo: its code leads to the sign-up form
    # as the Dutch programme links it, in Tigrinya where the form is translated.
    ti_form = demo.registration_pages["newcomer"].get_translation_or_none(
        Locale.objects.get(language_code="ti")
    )
    expected = ti_form.url if ti_form and ti_form.live else signup_page(demo, "nl").url
    assert f"testserver{expected}".rstrip("/") in by_lang["ti"].text
    # Tigrinya and Arabic letters come with the page, for TVs without such fonts.
    assert '<link rel="stylesheet" href="/static/buddypages/css/fonts.css">' in (
        response.content.decode()
    )
    # The script asks for the same languages when it refreshes.
    assert 'data-slides-url="/nl/screen/slides/?langs=nl,ar,ti,uk"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("?langs=NL,%20ar", "/nl/screen/?langs=nl,ar"),
        ("?langs=nl,ar,nl", "/nl/screen/?langs=nl,ar"),
        ("?langs=nl%2Car", "/nl/screen/?langs=nl,ar"),
        ("?langs=nl,,ar,", "/nl/screen/?langs=nl,ar"),
        ("?langs=nl,ar&utm_source=tv", "/nl/screen/?langs=nl,ar"),
        ("?langs=", "/nl/screen/"),
        ("?x=1", "/nl/screen/"),
    ],
)
def test_other_spellings_are_redirected_to_the_one_address(client, demo, query, location):
    path, _, query_string = screen_url("nl", query).partition("?")
    response = client.get(path, QUERY_STRING=query_string)
    assert response.status_code == 302
    assert response["Location"] == location


def test_a_language_the_site_does_not_have_gets_a_clear_message(client, demo):
    response = client.get(screen_url("nl", "?langs=nl,xx,ar"))
    assert response.status_code == 400
    body = response.content.decode()
    assert html_attributes(response) == {"lang": "nl", "dir": "ltr"}
    assert "Dit schermadres moet verbeterd worden" in body
    assert "Deze site heeft deze talen niet:" in body
    assert "<bdi>xx</bdi>" in body
    assert "nl,en,fr,ar,uk,ru,tr,fa,ps,ti,so" in body
    assert 'href="/nl/screen/?langs=nl,ar"' in body
    arabic = client.get(screen_url("ar", "?langs=tlh"))
    assert arabic.status_code == 400
    assert html_attributes(arabic) == {"lang": "ar", "dir": "rtl"}
    assert "يجب تصحيح عنوان هذه الشاشة" in arabic.content.decode()


def test_too_many_languages_get_a_clear_message(client, demo):
    codes = ",".join(["nl", "en", "fr", "ar", "uk", "ru", "tr"][: views.MAX_LANGUAGES + 1])
    response = client.get(screen_url("en", f"?langs={codes}"))
    assert response.status_code == 400
    assert f"at most {views.MAX_LANGUAGES} languages in turn" in response.content.decode()


@pytest.mark.parametrize(
    "value", ["%00", "%ED%A0%80", "%FF%FE", "\xff", "%E2%80%AE", "x" * 5000, "ar" + ",ar" * 2000]
)
def test_hostile_values_never_cause_a_server_error(client, demo, value):
    client.raise_request_exception = False
    for url in (screen_url("nl"), slides_url("ar")):
        response = client.get(url, QUERY_STRING=f"langs={value}")
        assert response.status_code in {200, 302, 400}, (value[:20], response.status_code)


def test_the_screen_stays_within_ten_queries(client, demo, django_assert_max_num_queries):
    """Four languages cost what one does. Measured as a running site has it: the lookups every
    page shares (which site answers, where its roots are) are warm, the page cache is not."""
    client.get("/nl/")
    for url in (screen_url("nl", "?langs=nl,ar,ti,uk"), screen_url("fr"), slides_url("ar")):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"


def test_the_screen_and_its_slides_are_served_from_the_page_cache(client, demo):
    for url in (
        screen_url("nl"),
        screen_url("nl", "?langs=nl,ar,ti"),
        slides_url("nl", "?langs=nl,ar,ti"),
    ):
        assert client.get(url)["X-Page-Cache"] == "miss"
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit"
        assert "Volgende activiteiten" in again.content.decode()
    # Another choice of languages is another page.
    assert client.get(screen_url("nl", "?langs=ar,nl"))["X-Page-Cache"] == "miss"


def test_a_published_tip_reaches_the_screen_on_its_next_refresh(client, demo):
    url = slides_url("nl", "?langs=nl,ar")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    index = LanguageTipIndexPage.objects.live().get(locale__language_code="nl")
    shown = language_tip_of_the_week(locale=index.locale)
    other = LanguageTipPage.objects.live().filter(locale=index.locale).exclude(pk=shown.pk)[0]
    index.featured_tip = other
    index.save_revision().publish()

    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    tips = [s for s in slides_of(fresh) if s.kind == "tip" and s.lang == "nl"]
    assert other.phrase in tips[0].text
    assert shown.phrase not in tips[0].text


def test_a_cancelled_date_says_so(client, demo):
    first = next_occurrence("nl")
    activity = first.activity
    ActivityOccurrenceChange.objects.create(
        page=activity, original_date=first.local_date, cancelled=True
    )
    activity.save_revision().publish()
    body = client.get(screen_url("nl")).content.decode()
    cancelled = re.findall(r'<li class="bp-activity is-cancelled".*?</li>', body, re.S)
    assert len(cancelled) == 1
    assert escape(activity.title) in cancelled[0]
    assert day_in("nl", first.start) in cancelled[0]
    assert "Geannuleerd" in cancelled[0]


def test_a_private_calendar_is_not_shown(client, demo):
    calendar = demo.calendar
    PageViewRestriction.objects.create(
        page=calendar, restriction_type=PageViewRestriction.PASSWORD, password="staff-only"
    )
    activities = slides_of(client.get(screen_url("nl")))[0]
    assert "Er zijn op dit moment geen activiteiten gepland." in activities.text
    assert next_occurrence("nl").activity.title not in activities.text


def test_the_code_is_an_image_the_screen_can_size(client, demo):
    body = client.get(screen_url("fr")).content.decode()
    svg = re.search(r"<svg[^>]*>", body)[0]
    assert 'viewBox="0 0 ' in svg
    assert "width=" not in svg
    assert "<title>Code QR de la page d&#x27;inscription</title>" in body or (
        "<title>Code QR de la page d'inscription</title>" in body
    )
