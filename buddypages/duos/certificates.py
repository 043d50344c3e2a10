"""What a completed duo's members receive: the certificates (PDF, A4), the invitation to the
next closing celebration, and the closing email that carries both (sent by the task worker).

A newcomer gets a certificate of participation, a volunteer a certificate of thanks that also
lists the trainings they attended. Each file has a page in the member's language and one in
Dutch (one page when the member reads Dutch): the Dutch page is the one an integration course,
an employer or a school reads.

The pages are set with the posters' canvas (fpdf2 with HarfBuzz shaping and the shipped Noto
fonts): Arabic, Persian and Pashto right to left with joined letters, Tigrinya in Ethiopic.
The newcomer's 40-hour proof (``duo_proof``) is another document and stays as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from buddypages.calendar.occurrences import occurrences_between
from buddypages.calendar.pages import ActivityPage
from buddypages.core.languages import is_rtl
from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.duos.models import Duo
from buddypages.duos.tokens import duo_link_token
from buddypages.pages import posters
from buddypages.pages.models import ProgrammePage
from buddypages.pages.municipality import page_site_id, sender_for_programme_key
from buddypages.registry.volunteering import TrainingAttendance

logger = logging.getLogger(__name__)

CERTIFICATE = posters.Sheet(
    name="certificate",
    page_size=(210, 297),  # A4
    margin=22,
    band=30,
    title_pt=18,
    headline_pt=30,
    caption_pt=12,
    min_pt=10,
    min_qr=0,
    max_qr=0,
    padding=0,
)
GOLD = (176, 132, 36)
CLOSING_KIND = "closing_celebration"
ROLES = ("newcomer", "volunteer")


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def member_language(duo: Duo, role: str) -> str:
    """The language the member reads (a site language), else the site's own."""
    language = duo.member(role).preferred_language
    return language if language in site_languages() else settings.LANGUAGE_CODE


def certificate_languages(language: str) -> list[str]:
    """The pages of a certificate: the member's language first, Dutch always."""
    return list(dict.fromkeys([language, settings.LANGUAGE_CODE]))


@dataclass(frozen=True)
class CertificatePage:
    """What one language's page of a certificate says."""

    language: str
    band: str  # the programme's name
    title: str
    name: str
    lines: tuple[str, ...]
    trainings_heading: str
    trainings: tuple[str, ...]
    dated: str
    signature: str


@dataclass(frozen=True)
class Training:
    activity_key: object
    title: str
    on: date


def programme_title(duo: Duo, language: str) -> str:
    """The programme's name in ``language`` (its live translation), else as the duo has it."""
    translated = (
        ProgrammePage.objects.live()
        .filter(translation_key=duo.programme_key, locale__language_code=language)
        .values_list("title", flat=True)
        .first()
    )
    if translated:
        return translated
    return duo.programme.title if duo.programme else settings.WAGTAIL_SITE_NAME


def trainings_attended(duo: Duo) -> list[Training]:
    """The volunteer's trainings, oldest first."""
    return [
        Training(activity_key=row.activity_key, title=row.title, on=row.occurrence_start.date())
        for row in TrainingAttendance.objects.filter(participant=duo.volunteer).order_by(
            "occurrence_start", "pk"
        )
    ]


def _training_titles(trainings: list[Training], language: str) -> dict:
    """Each training's title in ``language`` where its page has a live translation."""
    return dict(
        ActivityPage.objects.live()
        .filter(
            translation_key__in={t.activity_key for t in trainings},
            locale__language_code=language,
        )
        .values_list("translation_key", "title")
    )


def display_hours(duo: Duo) -> float | int:
    """The confirmed hours, without a ",0" for whole hours."""
    hours = duo.confirmed_hours()
    return int(hours) if hours == int(hours) else hours


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def certificate_page(
    duo: Duo, role: str, *, language: str, trainings: list[Training], today: date
) -> CertificatePage:
    member = duo.member(role)
    buddy = duo.member(duo.other_role(role))
    titles = _training_titles(trainings, language) if trainings else {}
    with translation.override(language):
        programme = programme_title(duo, language)
        hours = formats.number_format(display_hours(duo), use_l10n=True)
        period = gettext("From %(start)s to %(end)s.") % {
            "start": _day(duo.start_date),
            "end": _day(duo.ended_on or today),
        }
        met = gettext("%(hours)s hours of meetings, confirmed by both.") % {"hours": hours}
        if role == "volunteer":
            title = gettext("Certificate of thanks")
            lines = (
                gettext("was a volunteer buddy in “%(programme)s” with %(buddy)s.")
                % {"programme": programme, "buddy": buddy.first_name},
                period,
                met,
                gettext("Thank you for your time, your patience and your warmth."),
            )
        else:
            title = gettext("Certificate of participation")
            lines = (
                gettext("took part in “%(programme)s” with buddy %(buddy)s.")
                % {"programme": programme, "buddy": buddy.first_name},
                period,
                met,
            )
        return CertificatePage(
            language=language,
            band=programme,
            title=title,
            name=member.full_name,
            lines=lines,
            trainings_heading=gettext("Trainings attended") if trainings else "",
            trainings=tuple(
                f"{_day(t.on)} · {titles.get(t.activity_key) or t.title}" for t in trainings
            ),
            dated=gettext("Date: %(date)s") % {"date": _day(today)},
            signature=gettext("Signature of the coordinator"),
        )


def certificate_pages(duo: Duo, role: str, *, language: str) -> list[CertificatePage]:
    trainings = trainings_attended(duo) if role == "volunteer" else []
    today = timezone.localdate()
    return [
        certificate_page(duo, role, language=code, trainings=trainings, today=today)
        for code in certificate_languages(language)
    ]


# --- Drawing --------------------------------------------------------------------------------


def _draw_page(canvas, page: CertificatePage) -> None:
    pdf = canvas.pdf
    sheet = canvas.sheet
    margin = sheet.margin
    width = pdf.w - 2 * margin
    language = page.language
    rtl = is_rtl(language)

    # A thin frame and the programme's name in a band at the top.
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.8)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_fill_color(*posters.BRAND)
    pdf.rect(8, 8, pdf.w - 16, sheet.band, style="F")
    band_h = canvas.text(
        page.band, language=language, x=margin, y=0, w=width, pt=sheet.title_pt, bold=True,
        align="C", draw=False,
    )  # fmt: skip
    canvas.text(
        page.band, language=language, x=margin, y=8 + (sheet.band - band_h) / 2, w=width,
        pt=sheet.title_pt, bold=True, color=posters.WHITE, align="C",
    )  # fmt: skip

    y = 8 + sheet.band + 22
    y += canvas.text(
        page.title, language=language, x=margin, y=y, w=width, pt=28, bold=True,
        color=posters.BRAND, align="C",
    )  # fmt: skip
    y += 14
    y += canvas.text(
        page.name, language=language, x=margin, y=y, w=width, pt=sheet.headline_pt, bold=True,
        align="C",
    )  # fmt: skip
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.line(pdf.w / 2 - 30, y + 3, pdf.w / 2 + 30, y + 3)
    y += 10
    for line in page.lines:
        y += canvas.text(line, language=language, x=margin, y=y, w=width, pt=14, align="C")
        y += 3

    if page.trainings:
        y += 6
        y += canvas.text(
            page.trainings_heading, language=language, x=margin, y=y, w=width, pt=13,
            bold=True, color=posters.BRAND, align="C",
        )  # fmt: skip
        y += 2
        bottom = pdf.h - 70
        for number, training in enumerate(page.trainings):
            height = canvas.text(
                training, language=language, x=margin, y=y, w=width, pt=12, align="C", draw=False
            )
            if y + height > bottom:
                # More trainings than the page holds: say how many more rather than overflow.
                rest = len(page.trainings) - number
                with translation.override(language):
                    more = gettext("and %(count)s more") % {"count": rest}
                canvas.text(more, language=language, x=margin, y=y, w=width, pt=12, align="C")
                break
            y += canvas.text(training, language=language, x=margin, y=y, w=width, pt=12, align="C")
            y += 1

    # The date and the place for a signature, at the foot of the page.
    foot = pdf.h - 52
    half = (width - 10) / 2
    date_x, sign_x = (margin + half + 10, margin) if rtl else (margin, margin + half + 10)
    canvas.text(page.dated, language=language, x=date_x, y=foot + 8, w=half, pt=12)
    pdf.set_draw_color(*posters.MUTED)
    pdf.set_line_width(0.3)
    pdf.line(sign_x, foot + 20, sign_x + half, foot + 20)
    canvas.text(
        page.signature, language=language, x=sign_x, y=foot + 22, w=half, pt=11,
        color=posters.MUTED,
    )  # fmt: skip


def certificate_pdf(pages: list[CertificatePage], *, strict: bool = False) -> bytes:
    """The PDF of ``pages`` (one A4 page each). A character no shipped font has is drawn as
    an empty box and logged; with ``strict`` (the tests) it raises MissingGlyphsError."""
    first = pages[0]
    canvas = posters.pdf_canvas(CERTIFICATE, title=first.title, language=first.language)
    for number, page in enumerate(pages):
        if number:
            canvas.pdf.add_page()
        _draw_page(canvas, page)
    content = bytes(canvas.pdf.output())
    if canvas.missing:
        missing = "".join(sorted(canvas.missing))
        logger.warning("No shipped font can draw these characters of a certificate: %s", missing)
        if strict:
            raise posters.MissingGlyphsError(missing)
    return content


def duo_certificate(duo: Duo, role: str, *, language: str) -> bytes:
    """The certificate of ``role``'s member of a completed duo, in ``language`` and Dutch."""
    return certificate_pdf(certificate_pages(duo, role, language=language))


def certificate_filename(role: str, language: str) -> str:
    kind = "thanks" if role == "volunteer" else "participation"
    return f"certificate-{kind}-{'-'.join(certificate_languages(language))}.pdf"


# --- The invitation to the closing celebration ----------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """The next closing celebration, as one member reads it."""

    title: str
    when: str
    where: str  # the place and its address, as one run of text in the page's language
    url: str
    start: datetime


def closing_invitation(
    *, role: str, language: str, site_id: int | None = None, now: datetime | None = None
):
    """The next date of a live closing celebration for ``role`` (within a year), with its
    page in ``language`` when translated (else the page found); None when none is planned.
    With ``site_id``, only that municipality's celebrations."""
    now = now or timezone.now()
    activities = (
        ActivityPage.objects.live()
        .filter(kind=CLOSING_KIND, audience__in=("everyone", "duos", f"{role}s"))
        .prefetch_related("occurrence_changes")
    )
    found = occurrences_between(activities, after=now, before=now + timedelta(days=366))
    upcoming = [
        o
        for o in found
        if o.start >= now and (site_id is None or page_site_id(o.activity) == site_id)
    ]
    if not upcoming:
        return None
    occurrence = upcoming[0]
    page = (
        ActivityPage.objects.live()
        .filter(translation_key=occurrence.activity.translation_key, locale__language_code=language)
        .first()
    ) or occurrence.activity
    with translation.override(language):
        when = occurrence.when
    return Invitation(
        title=page.title,
        when=when,
        where=", ".join(filter(None, [page.place_name, page.place_address])),
        url=page.get_full_url() or "",
        start=occurrence.start,
    )


# --- The closing email (sent by the task worker) --------------------------------------------------


def closing_emails_send(*, duo_id: int) -> int:
    """The worker's part: one email per member with an address. Returns how many."""
    duo = (
        Duo.objects.select_related("newcomer", "volunteer", "programme")
        .filter(pk=duo_id, status=Duo.Status.COMPLETED)
        .first()
    )
    if duo is None:
        return 0
    sent = 0
    for role in ROLES:
        member = duo.member(role)
        if not member.email:
            continue
        language = member_language(duo, role)
        pdf = duo_certificate(duo, role, language=language)
        with translation.override(language):
            token = duo_link_token(duo, role)
            context = {
                "duo": duo,
                "member": member,
                "buddy_first_name": duo.member(duo.other_role(role)).first_name,
                "role": role,
                "language": language,
                "dutch_too": language != settings.LANGUAGE_CODE,
                "hours": display_hours(duo),
                "link": absolute_url(reverse("buddypages:duo-log", args=[token]), site=duo.site_id),
                "certificate_url": absolute_url(
                    reverse("buddypages:duo-certificate", args=[token, language]),
                    site=duo.site_id,
                ),
                "invitation": closing_invitation(role=role, language=language, site_id=duo.site_id),
            }
            send_templated_email(
                to=member.email,
                subject=gettext("Thank you for taking part in the buddy programme"),
                template="buddypages/duos/email/closing",
                sender=sender_for_programme_key(duo.programme_key),
                context=context,
                attachments=(
                    (
                        certificate_filename(role, language),
                        pdf,
                        "application/pdf",
                    ),
                ),
            )
        sent += 1
    return sent
