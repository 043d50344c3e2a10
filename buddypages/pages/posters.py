"""Printable posters (A4) and flyers (A5) of a programme, as PDF, in one or more languages.

``<programme URL>poster.pdf?langs=nl,ar,ti`` (and ``flyer.pdf``): one part per language, each
with the programme's call to action, the practical facts, the contact and a QR code to the
sign-up form in that language. A language without a live translation of the programme gets
the plugin's own translated texts, so a Tigrinya part needs no Tigrinya page.

fpdf2 sets the text, with HarfBuzz (uharfbuzz) shaping it: Arabic, Persian and Pashto right to
left with joined letters, Tigrinya in Ethiopic script. The Noto fonts it needs ship in the
package (``static/buddypages/fonts``, SIL Open Font License); the web pages use the same ones.
"""

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, ngettext
from fpdf import FPDF
from wagtail.models import Locale, Page

from buddypages.core.languages import base_language, is_rtl
from buddypages.core.qr import qr_matrix

logger = logging.getLogger(__name__)

POSTER = "poster"
FLYER = "flyer"

# More languages than this leave too little room per part for text read from a distance and
# a QR code a phone scans from a step away.
MAX_LANGUAGES = 4

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "buddypages" / "fonts"
# fpdf2 family -> file stem; Regular and Bold of each. Noto Sans covers Latin and Cyrillic.
FONT_FILES = {
    "latin": "NotoSans",
    "arabic": "NotoNaskhArabic",
    "ethiopic": "NotoSansEthiopic",
}
# Each font lacks what the others have (the Arabic and Ethiopic ones have no "@" or "+",
# the Ethiopic one no digits): fpdf2 takes such a character from the next font that has it.
FALLBACK_FAMILIES = ["latin", "arabic", "ethiopic"]
ARABIC_SCRIPT = {"ar", "fa", "ps", "ur", "ckb", "sd", "ug"}
ETHIOPIC_SCRIPT = {"ti", "am"}

BRAND = (11, 83, 148)  # --bp-brand of plugin.css
INK = (26, 26, 26)
MUTED = (74, 74, 74)
LINE = (200, 200, 200)
WHITE = (255, 255, 255)
PT = 25.4 / 72  # millimetres per point


@dataclass(frozen=True)
class Sheet:
    """The size and type scale of one kind of sheet (lengths in millimetres)."""

    name: str
    page_size: tuple[float, float]
    margin: float
    band: float  # the coloured band with the programme's name
    title_pt: float
    headline_pt: float  # the largest headline, for one language per sheet
    caption_pt: float  # "Scan to sign up" under the code
    min_pt: float  # nothing smaller than this
    min_qr: float
    max_qr: float
    padding: float


SHEETS = {
    POSTER: Sheet(POSTER, (210, 297), 12, 26, 28, 60, 13, 11, 40, 100, 6),  # A4
    FLYER: Sheet(FLYER, (148, 210), 8, 17, 18, 40, 9, 8, 28, 68, 4),  # A5
}


class LanguageChoiceError(ValueError):
    """``langs`` names a language the site does not have, or too many."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MissingGlyphsError(RuntimeError):
    """A text on the sheet has characters none of the shipped fonts can draw."""


@dataclass(frozen=True)
class SheetPart:
    """What one language's part of a sheet says."""

    language: str
    language_name: str  # in its own script, so readers find their part
    headline: str
    facts: str
    contact: tuple[str, ...]
    caption: str
    url: str  # the QR code's address

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)


# --- Which languages ------------------------------------------------------------------------


def site_language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def requested_languages(values: list[str], *, default: str) -> list[str]:
    """The language codes of ``?langs=`` (comma-separated, or the parameter repeated, as a
    form of checkboxes sends it), in order, without repeats; ``default`` when none is given.

    Raises :class:`LanguageChoiceError` with a message for the reader.
    """
    known = site_language_codes()
    codes: list[str] = []
    for value in values:
        for item in value.split(","):
            code = item.strip().lower()
            if not code or code in codes:
                continue
            if code not in known:
                raise LanguageChoiceError(
                    gettext("“%(code)s” is not a language of this site. Choose from: %(codes)s.")
                    % {"code": code[:20], "codes": ", ".join(known)}
                )
            codes.append(code)
            if len(codes) > MAX_LANGUAGES:
                raise LanguageChoiceError(
                    ngettext(
                        "Choose at most %(count)s language for one sheet.",
                        "Choose at most %(count)s languages for one sheet.",
                        MAX_LANGUAGES,
                    )
                    % {"count": MAX_LANGUAGES}
                )
    return codes or [default]


def page_language(page: Page) -> str:
    code = page.locale.language_code
    return code if code in site_language_codes() else settings.LANGUAGE_CODE


# --- What each part says --------------------------------------------------------------------


def _first_call_to_action(programme) -> tuple[int, dict] | tuple[None, None]:
    for index, block in enumerate(programme.calls_to_action):
        if block.value.get("page") or block.value.get("url"):
            return index, block.value
    return None, None


def sheet_parts(page, *, languages: list[str], request=None) -> list[SheetPart]:
    """The parts of a sheet of the programme ``page``, one per language code.

    The first call to action leads the way: its text is the headline (from the programme's
    live translation in that language), and its page, in that language when live, else in
    the default language, is what the QR code opens.
    """
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=[*languages, settings.LANGUAGE_CODE])
    }
    programmes = {
        programme.locale_id: programme
        for programme in Page.objects.live()
        .filter(translation_key=page.translation_key, locale__in=locales.values())
        .specific()
    }
    index, call = _first_call_to_action(page)
    target = call.get("page") if call else None
    targets = {}
    if target is not None:
        targets = {
            found.locale_id: found
            for found in Page.objects.live().filter(
                translation_key=target.translation_key, locale__in=locales.values()
            )
        }
    # A sign-up page knows its role (the registry's RegistrationPage, which pages cannot import).
    role = getattr(target.specific, "role", "") if target is not None else ""
    default_locale = locales.get(settings.LANGUAGE_CODE)
    default_target = targets.get(default_locale.pk) if default_locale else None

    parts = []
    for code in languages:
        locale = locales.get(code)
        programme = programmes.get(locale.pk) if locale else None
        own_call = None
        if programme is not None and index is not None:
            calls = list(programme.calls_to_action)
            own_call = calls[index].value if index < len(calls) else None
        if target is not None:
            destination = (targets.get(locale.pk) if locale else None) or default_target
            url = (destination or target).get_full_url(request)
        elif call:
            url = call["url"]
        else:
            url = (programme or page).get_full_url(request)
        source = programme or page
        with translation.override(code):
            parts.append(
                SheetPart(
                    language=code,
                    language_name=translation.get_language_info(code)["name_local"],
                    headline=(own_call or {}).get("text") or _headline(role),
                    facts=_facts(page.duration_months, page.meetings_per_month),
                    contact=_contact(source),
                    caption=gettext("Scan to sign up")
                    if call
                    else gettext("Scan for more information"),
                    url=url or "",
                )
            )
    return parts


def _headline(role: str) -> str:
    """The call to action of a language without a translation of the programme."""
    if role == "volunteer":
        return gettext("Become a buddy")
    return gettext("Learn Dutch with a buddy")


def _facts(months: int, per_month: int) -> str:
    return " · ".join(
        [
            ngettext("%(count)s month", "%(count)s months", months) % {"count": months},
            ngettext("once a month", "%(count)s times a month", per_month) % {"count": per_month},
            gettext("free of charge"),
        ]
    )


def _contact(programme) -> tuple[str, ...]:
    # A phone number is never broken over two lines (no-break spaces).
    phone = programme.contact_phone.strip().replace(" ", "\u00a0")
    reach = " · ".join(filter(None, [programme.contact_email.strip(), phone]))
    if not (programme.contact_name or reach):
        return ()
    question = gettext("Questions?")
    if programme.contact_name:
        return (f"{question} {programme.contact_name}", reach) if reach else (question,)
    return (question, reach)


# --- Drawing --------------------------------------------------------------------------------


def _family(code: str) -> str:
    base = base_language(code)
    if base in ARABIC_SCRIPT:
        return "arabic"
    if base in ETHIOPIC_SCRIPT:
        return "ethiopic"
    return "latin"


# Naskh has tall ascenders and deep descenders; joined Arabic needs the room.
LEADING = {"latin": 1.18, "arabic": 1.45, "ethiopic": 1.3}
# Naskh's letters are small for their size: set it larger to read as large as Noto Sans.
SCALE = {"latin": 1.0, "arabic": 1.12, "ethiopic": 1.0}


@cache
def _font_paths() -> dict[tuple[str, str], str]:
    return {
        (family, style): str(FONT_DIR / f"{stem}-{'Bold' if style else 'Regular'}.ttf")
        for family, stem in FONT_FILES.items()
        for style in ("", "B")
    }


class _Canvas:
    """One sheet being drawn: fpdf2 with the fonts, shaping and fallbacks set up."""

    def __init__(self, sheet: Sheet, *, title: str, language: str):
        self.sheet = sheet
        pdf = FPDF(orientation="portrait", unit="mm", format=sheet.page_size)
        pdf.set_auto_page_break(False)
        pdf.set_margins(sheet.margin, sheet.margin, sheet.margin)
        pdf.c_margin = 0
        for (family, style), path in _font_paths().items():
            pdf.add_font(family, style, path)
        pdf.set_fallback_fonts(FALLBACK_FAMILIES, exact_match=False)
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_creator("buddywerking")
        pdf.add_page()
        self.pdf = pdf
        # HarfBuzz draws a character no font has as an empty box without a word: look first.
        self.covered = set().union(*(font.cmap for font in pdf.fonts.values()))
        self.missing: set[str] = set()

    def text(
        self,
        text: str,
        *,
        language: str,
        x: float,
        y: float,
        w: float,
        pt: float,
        bold: bool = False,
        color=INK,
        align: str | None = None,
        draw: bool = True,
    ) -> float:
        """Set ``text`` as a paragraph in ``language``'s font and direction; returns its
        height (only measures when ``draw`` is false)."""
        pdf = self.pdf
        self.missing.update(
            char
            for char in text
            if ord(char) not in self.covered
            and not char.isspace()
            # Joiners and direction marks steer the shaping; they have no glyph to draw.
            and unicodedata.category(char) not in {"Cc", "Cf"}
        )
        family = _family(language)
        rtl = is_rtl(language)
        pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr", language=language)
        pt *= SCALE[family]
        pdf.set_font(family, "B" if bold else "", pt)
        pdf.set_text_color(*color)
        pdf.set_xy(x, y)
        return pdf.multi_cell(
            w=w,
            h=pt * PT * LEADING[family],
            text=text,
            align=align or ("R" if rtl else "L"),
            new_x="LMARGIN",
            new_y="NEXT",
            dry_run=not draw,
            output="HEIGHT",
        )

    def qr(self, url: str, *, x: float, y: float, size: float) -> None:
        """The code as vector squares, with its four-module quiet zone inside ``size``."""
        pdf = self.pdf
        matrix = qr_matrix(url)
        module = size / (len(matrix) + 8)
        pdf.set_fill_color(*WHITE)
        pdf.rect(x, y, size, size, style="F")
        pdf.set_fill_color(0, 0, 0)
        # A hair of overlap, so no viewer shows seams between the squares.
        seam = module * 0.04
        for row_number, row in enumerate(matrix):
            top = y + (row_number + 4) * module
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                left = x + (start + 4) * module
                pdf.rect(left, top, (column - start) * module + seam, module + seam, style="F")
        pdf.link(x, y, size, size, url)


def pdf_canvas(sheet: Sheet, *, title: str, language: str) -> _Canvas:
    """A first blank page with the shipped fonts, HarfBuzz shaping and fallbacks set up, for
    other printed documents (the duos' closing certificates): draw with its ``text()``, see
    ``missing`` for characters no font has, and use ``pdf`` (fpdf2) for the rest."""
    return _Canvas(sheet, title=title, language=language)


def _text_block(canvas: _Canvas, part: SheetPart, *, x, y, w, headline_pt, draw) -> float:
    """The language's name, the headline, the facts and the contact, top to bottom."""
    sheet = canvas.sheet
    sizes = {
        "name": max(headline_pt * 0.36, sheet.min_pt),
        "facts": max(headline_pt * 0.5, sheet.min_pt),
        "contact": max(headline_pt * 0.36, sheet.min_pt),
    }
    gap = sizes["facts"] * PT * 0.6
    top = y

    def paragraph(text, pt, **style):
        nonlocal y
        y += canvas.text(text, language=part.language, x=x, y=y, w=w, pt=pt, draw=draw, **style)

    paragraph(part.language_name, sizes["name"], bold=True, color=BRAND)
    y += gap * 0.3
    paragraph(part.headline, headline_pt, bold=True)
    y += gap
    paragraph(part.facts, sizes["facts"])
    if part.contact:
        y += gap
        for line in part.contact:
            paragraph(line, sizes["contact"], color=MUTED)
    return y - top


def _draw_part(canvas: _Canvas, part: SheetPart, *, x, y, w, h) -> None:
    sheet = canvas.sheet
    pad = sheet.padding
    caption_gap = sheet.caption_pt * PT * 0.5

    def caption_pt(width):
        """Under a big code (one language per sheet) a bigger caption."""
        return sheet.caption_pt * min(max(width / (sheet.min_qr * 1.4), 1), 1.5)

    def caption_height(width):
        return canvas.text(
            part.caption, language=part.language, x=x, y=y, w=width, pt=caption_pt(width),
            bold=True, align="C", draw=False,
        )  # fmt: skip

    def fitted(width, room):
        """The largest headline (down to a floor) whose block fits ``room``, and its height."""
        headline_pt = min(sheet.headline_pt, h / PT * 0.16)
        while True:
            height = _text_block(
                canvas, part, x=x, y=y, w=width, headline_pt=headline_pt, draw=False
            )
            if height <= room or headline_pt <= sheet.min_pt:
                return headline_pt, height
            headline_pt = max(headline_pt * 0.93, sheet.min_pt)

    # A tall part (one language per sheet) puts the code under the text, a wide one beside it.
    if h >= w * 0.8:
        text_w = w - 2 * pad
        smallest = caption_height(sheet.min_qr)
        headline_pt, height = fitted(text_w, h - 3 * pad - sheet.min_qr - smallest - caption_gap)
        qr = sheet.max_qr
        while qr > sheet.min_qr:
            caption = caption_height(qr)
            if height + 3 * pad + qr + caption + caption_gap <= h and qr <= w * 0.55:
                break
            qr -= 2
        caption = caption_height(qr)
        # The text and the code as one group, in the middle of the part.
        text_y = y + (h - (height + pad + qr + caption + caption_gap)) / 2
        text_x = x + pad
        qr_x = x + (w - qr) / 2
        qr_y = text_y + height + pad
    else:
        caption = caption_height(sheet.max_qr)
        qr = min(max(h - 2 * pad - caption - caption_gap, sheet.min_qr), sheet.max_qr)
        caption = caption_height(qr)
        text_w = w - 3 * pad - qr
        headline_pt, height = fitted(text_w, h - 2 * pad)
        text_y = y + max(pad, (h - height) / 2)
        qr_y = y + (h - qr - caption - caption_gap) / 2
        text_x = x + pad
        qr_x = x + w - pad - qr
        if part.rtl:
            qr_x = x + pad
            text_x = x + 2 * pad + qr
    _text_block(canvas, part, x=text_x, y=text_y, w=text_w, headline_pt=headline_pt, draw=True)
    canvas.qr(part.url, x=qr_x, y=qr_y, size=qr)
    canvas.text(
        part.caption, language=part.language, x=qr_x, y=qr_y + qr + caption_gap, w=qr,
        pt=caption_pt(qr), bold=True, color=BRAND, align="C",
    )  # fmt: skip


def sheet_pdf(
    parts: list[SheetPart],
    *,
    sheet: Sheet,
    title: str,
    title_language: str,
    footer: str = "",
    strict: bool = False,
) -> bytes:
    """The PDF of a sheet: a band with ``title`` (written in ``title_language``), the parts
    one under the other, ``footer`` (an address) at the bottom.

    A character no shipped font has is drawn as an empty box; it is logged, and raises
    :class:`MissingGlyphsError` when ``strict`` (the tests).
    """
    first = parts[0].language
    canvas = _Canvas(sheet, title=title, language=first)
    pdf = canvas.pdf
    width = pdf.w - 2 * sheet.margin

    pdf.set_fill_color(*BRAND)
    pdf.rect(0, 0, pdf.w, sheet.band, style="F")
    title_pt = sheet.title_pt
    while True:
        title_h = canvas.text(
            title, language=title_language, x=sheet.margin, y=0, w=width, pt=title_pt,
            bold=True, draw=False,
        )  # fmt: skip
        if title_h <= sheet.band * 0.8 or title_pt <= sheet.min_pt:
            break
        title_pt *= 0.93
    canvas.text(
        title, language=title_language, x=sheet.margin, y=(sheet.band - title_h) / 2, w=width,
        pt=title_pt, bold=True, color=WHITE,
    )  # fmt: skip

    footer_pt = sheet.min_pt * 0.9
    footer_h = footer_pt * PT * 1.6 if footer else 0
    top = sheet.band + sheet.margin * 0.5
    bottom = pdf.h - sheet.margin * 0.6 - footer_h
    part_h = (bottom - top) / len(parts)
    for number, part in enumerate(parts):
        y = top + number * part_h
        if number:
            pdf.set_draw_color(*LINE)
            pdf.set_line_width(0.4)
            pdf.line(sheet.margin, y, pdf.w - sheet.margin, y)
        _draw_part(canvas, part, x=sheet.margin - sheet.padding, y=y, w=width + 2 * sheet.padding,
                   h=part_h)  # fmt: skip
    if footer:
        canvas.text(
            footer, language="en", x=sheet.margin, y=bottom + footer_h * 0.2, w=width,
            pt=footer_pt, color=MUTED, align="C",
        )  # fmt: skip

    content = bytes(pdf.output())
    if canvas.missing:
        missing = "".join(sorted(canvas.missing))
        logger.warning("No shipped font can draw these characters of a %s: %s", sheet.name, missing)
        if strict:
            raise MissingGlyphsError(missing)
    return content


# --- The view -------------------------------------------------------------------------------


def sheet_response(page, request, *, sheet: str):
    """The PDF of ``page`` as a ``sheet`` (POSTER or FLYER) in the languages of ``?langs=``;
    a page that says what is wrong (400) when they cannot be."""
    spec = SHEETS[sheet]
    values = request.GET.getlist("langs")
    try:
        languages = requested_languages(values, default=page_language(page))
    except LanguageChoiceError as error:
        return render(
            request,
            "buddypages/sheet_error.html",
            {"page": page, "message": error.message, "example": ",".join(["nl", "ar", "ti"])},
            status=400,
        )
    parts = sheet_parts(page, languages=languages, request=request)
    titled = _translation(page, languages[0]) or page
    address = titled.get_full_url(request) or ""
    content = sheet_pdf(
        parts,
        sheet=spec,
        title=titled.title,
        title_language=page_language(titled),
        footer=address.split("://", 1)[-1],
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{page.slug}-{sheet}-{'-'.join(languages)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Stored by the page cache under its address only when written the one way we write it.
    if list(request.GET) == ["langs"] and values == [",".join(languages)]:
        response.cache_with_query = True
    return response


def sheet_view(request, path: str, sheet: str):
    """``<programme URL>poster.pdf`` (and ``flyer.pdf``): Wagtail serves only addresses that
    end in a slash, so hand it to Wagtail's own serving (page privacy, hooks, routing) as
    ``poster.pdf/``, the programme page's route."""
    # Not at the top: wagtail.views looks the page model up, and models.py imports this module.
    from wagtail.views import serve as wagtail_serve

    return wagtail_serve(request, f"{path}{sheet}.pdf/")


def _translation(page, code: str):
    if page.locale.language_code == code:
        return page
    return (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=code)
        .first()
    )
