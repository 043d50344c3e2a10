"""Posters (A4) and flyers (A5) of the demo programme, read back as a person and a phone would:
the text extracted from the PDF, the page rendered to pixels, the QR codes decoded."""

import io
import re
import unicodedata

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from buddypages.models import ProgrammePage, RegistrationPage
from buddypages.pages import posters
from buddysite.demo import programme as programme_data

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
# Demo texts the sheets must carry (the programme is translated into nl, en, fr, ar and uk).
DUTCH_CALL = programme_data.PROGRAMME["ctas"][0]["text"]["nl"]
ARABIC_CALL = programme_data.PROGRAMME["ctas"][0]["text"]["ar"]


@pytest.fixture
def programme(demo):
    return ProgrammePage.objects.get(locale__language_code="nl")


def sheet(client, programme, name="poster", query="?langs=nl,ar,ti"):
    return client.get(f"{programme.url}{name}.pdf{query}")


def text_of(content: bytes) -> str:
    """The PDF's text as pypdf extracts it, without any whitespace.

    pypdf gives Arabic in logical order (fpdf2 maps each shaped glyph back to its
    characters), but it reads the glyph positions HarfBuzz sets as gaps now and then
    ("nieuwkome r"), and a wrapped headline has a line break: compare without spaces.
    """
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return squashed(text)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def rendered(content: bytes, dpi: int = 150):
    page = pypdfium2.PdfDocument(content)[0]
    return page.render(scale=dpi / 72).to_pil().convert("L")


def codes_on(image) -> list:
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def sign_up_url(code: str) -> str:
    """The newcomers' form in ``code``, or the Dutch one where it has no translation."""
    dutch = RegistrationPage.objects.get(locale__language_code="nl", role="newcomer")
    page = RegistrationPage.objects.filter(
        translation_key=dutch.translation_key, locale__language_code=code, live=True
    ).first()
    return (page or dutch).full_url


def test_poster_in_dutch_arabic_and_tigrinya_says_each_call_to_action(client, programme):
    response = sheet(client, programme)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="buddywerking-poster-nl-ar-ti.pdf"'
    )
    text = text_of(response.content)
    # Dutch and Arabic from the programme's own translations, Tigrinya (no Tigrinya page)
    # from the plugin's catalogue, in Ethiopic script.
    assert squashed(DUTCH_CALL) in text
    assert squashed(ARABIC_CALL) in text
    with translation.override("ti"):
        tigrinya_call = translation.gettext("Learn Dutch with a buddy")
    assert tigrinya_call == "ምስ መሓዛ ሆላንድኛ ተማሃሩ"
    assert squashed(tigrinya_call) in text
    # The practical facts in each language, and the contact.
    for facts in ["6 maanden · 2 keer per maand · gratis", "مرتين في الشهر", "6 ኣዋርሕ"]:
        assert squashed(facts) in text
    assert programme_data.PROGRAMME["contact"]["email"] in text
    assert "LottePeeters" in text


def test_each_qr_code_opens_the_sign_up_form_in_its_language(client, programme):
    image = rendered(sheet(client, programme).content, dpi=200)
    found = codes_on(image)
    assert len(found) == 3
    # Top to bottom, as the parts; Tigrinya has no form of its own: the Dutch one.
    found.sort(key=lambda code: code.position.top_left.y)
    assert [code.text for code in found] == [
        sign_up_url("nl"),
        sign_up_url("ar"),
        sign_up_url("nl"),
    ]
    assert sign_up_url("ar") != sign_up_url("nl")
    # Arabic is read right to left: its code sits on the left, the others on the right.
    middle = image.width / 2
    dutch, arabic, tigrinya = (code.position.top_left.x for code in found)
    assert arabic < middle < dutch
    assert tigrinya > middle


def test_qr_code_on_a_poster_is_at_least_four_centimetres(client, programme):
    dpi = 200
    image = rendered(sheet(client, programme).content, dpi=dpi)
    for code in codes_on(image):
        width_px = code.position.top_right.x - code.position.top_left.x
        assert width_px / dpi * 25.4 >= 40 * 0.8  # the quiet zone is outside what zxing reports


def test_poster_and_flyer_are_a4_and_a5_and_not_blank(client, programme):
    for name, (width_mm, height_mm) in [("poster", (210, 297)), ("flyer", (148, 210))]:
        content = sheet(client, programme, name).content
        box = pypdf.PdfReader(io.BytesIO(content)).pages[0].mediabox
        assert float(box.width) == pytest.approx(width_mm * MM, abs=0.5)
        assert float(box.height) == pytest.approx(height_mm * MM, abs=0.5)
        histogram = rendered(content, dpi=50).histogram()
        dark = sum(histogram[:128]) / sum(histogram)
        # Text, three codes and the coloured band: ink, but far from a black page.
        assert 0.08 < dark < 0.45, dark


def test_without_langs_the_sheet_is_in_the_pages_language(client, demo):
    arabic = ProgrammePage.objects.get(locale__language_code="ar")
    for query in ("", "?langs=", "?langs=,"):
        response = client.get(f"{arabic.url}flyer.pdf{query}")
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('-flyer-ar.pdf"')
        text = text_of(response.content)
        assert squashed(ARABIC_CALL) in text
        assert squashed(DUTCH_CALL) not in text


def test_languages_from_a_form_of_checkboxes_keep_their_order(client, programme):
    response = sheet(client, programme, query="?langs=uk&langs=nl")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-poster-uk-nl.pdf"')
    text = text_of(response.content)
    ukrainian = programme_data.PROGRAMME["ctas"][0]["text"]["uk"]
    assert text.index(squashed(ukrainian)) < text.index(squashed(DUTCH_CALL))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?langs=nl,xx", "“xx” is geen taal van deze site. Kies uit: nl, en, fr, ar,"),
        ("?langs=nl,ar,ti,uk,fa", "Kies hoogstens 4 talen per blad."),
        ("?langs=" + "a" * 5000, "is geen taal van deze site"),
        ("?langs=<b>x</b>", "“&lt;b&gt;x&lt;/b&gt;” is geen taal"),
    ],
)
def test_wrong_languages_get_a_page_that_says_what_to_do(client, programme, query, message):
    response = sheet(client, programme, query=query)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="nl" dir="ltr">' in body
    assert "Deze affiche kan niet gemaakt worden" in body
    assert message in body
    assert f'href="{programme.url}"' in body


def test_only_the_one_spelling_of_a_language_list_is_served_from_the_page_cache(client, programme):
    assert sheet(client, programme, query="?langs=nl,ar")["X-Page-Cache"] == "miss"
    again = sheet(client, programme, query="?langs=nl,ar")
    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Type"] == "application/pdf"
    # Other spellings are made each time, never stored: no cache filled by random queries.
    for query in ("?langs=NL,ar", "?langs=nl&langs=ar", "?langs=nl,ar&x=1", "?langs=nl,,ar"):
        for _twice in range(2):
            response = sheet(client, programme, query=query)
            assert response.status_code == 200
            assert "X-Page-Cache" not in response, query


def test_every_site_language_is_drawn_with_shipped_glyphs(programme):
    codes = [code for code, _name in settings.LANGUAGES]
    for start in range(0, len(codes), posters.MAX_LANGUAGES):
        languages = codes[start : start + posters.MAX_LANGUAGES]
        parts = posters.sheet_parts(programme, languages=languages)
        for name in (posters.POSTER, posters.FLYER):
            # strict: a character no font has raises instead of printing an empty box.
            posters.sheet_pdf(
                parts,
                sheet=posters.SHEETS[name],
                title=programme.title,
                title_language="nl",
                strict=True,
            )


def test_a_character_no_shipped_font_has_fails_loudly(programme):
    (part,) = posters.sheet_parts(programme, languages=["nl"])
    part = posters.SheetPart(**{**part.__dict__, "contact": ("Vragen? 王小明",)})
    with pytest.raises(posters.MissingGlyphsError, match="王"):
        posters.sheet_pdf(
            [part], sheet=posters.SHEETS[posters.POSTER], title="x", title_language="nl",
            strict=True,
        )  # fmt: skip


def test_parts_take_texts_from_the_translation_else_from_the_catalogue(programme):
    arabic, somali = posters.sheet_parts(programme, languages=["ar", "so"])
    assert arabic.headline == ARABIC_CALL
    assert arabic.url == sign_up_url("ar")
    assert arabic.rtl
    assert somali.headline == "Saaxiib la baro af Holandiga"
    assert somali.facts == "6 bilood · bishii 2 jeer · bilaash"
    assert somali.url == sign_up_url("nl")
    assert somali.caption == "Sawir koodhka si aad isu diiwaangeliso"


def test_a_programme_without_a_call_to_action_points_at_itself(programme):
    programme.calls_to_action = []
    (part,) = posters.sheet_parts(programme, languages=["nl"])
    assert part.url == programme.full_url
    assert part.caption == "Scan voor meer informatie"
    assert part.headline == "Leer Nederlands met een buddy"


def test_editor_finds_poster_and_flyer_links_on_the_programme_page(client, programme):
    client.force_login(get_user_model().objects.get(username="editor"))
    body = client.get(f"/admin/pages/{programme.pk}/edit/").content.decode()
    assert f'href="{programme.url}poster.pdf?langs=nl"' in body
    assert f'href="{programme.url}flyer.pdf?langs=nl"' in body
    assert 'value="ti" data-bp-sheet-language' in body
    assert 'value="nl" data-bp-sheet-language checked' in body
    assert "buddypages/js/sheet_panel.js" in body
    # The link a ticked box leads to answers with a PDF.
    assert client.get(f"{programme.url}poster.pdf?langs=nl").status_code == 200


def test_an_unpublished_programme_offers_no_sheet_yet(client, programme):
    programme.unpublish()
    client.force_login(get_user_model().objects.get(username="editor"))
    body = client.get(f"/admin/pages/{programme.pk}/edit/").content.decode()
    assert "poster.pdf" not in body
    assert "data-bp-sheets" in body
