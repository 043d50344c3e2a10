import io
from datetime import date

from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from buddypages.reports.exports import report_pdf, report_xlsx
from buddypages.reports.selectors import Period, yearly_report
from tests.buddypages.reports.conftest import person

YEAR = Period(date(2019, 1, 1), date(2019, 12, 31))


def test_the_spreadsheet_has_a_sheet_per_section_with_numbers_as_numbers(town):
    site, programme = town
    for number in range(12):
        person(programme, neighbourhood="Kiel" if number < 7 else "Centrum")

    with translation.override("nl"):
        report = yearly_report(sites=[site], period=YEAR)
        book = load_workbook(io.BytesIO(report_xlsx(report)))

    assert book.sheetnames[1:] == [section.title[:31] for section in report.sections]
    rows = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    assert ("Nieuwkomers aangemeld", 12) in rows
    assert ("Kiel", 7) in rows
    assert ("Centrum", 5) in rows


def test_the_pdf_is_a4_and_says_the_same_in_arabic(town):
    site, programme = town
    for _ in range(6):
        person(programme, neighbourhood="Kiel")

    with translation.override("ar"):
        report = yearly_report(sites=[site], period=YEAR)
        content = report_pdf(report, language="ar")

    pdf = PdfReader(io.BytesIO(content))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert "Kiel" in "".join(page.extract_text() for page in pdf.pages)
