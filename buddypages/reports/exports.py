"""The yearly report as files: a PDF (A4, tables and vector bars) and an XLSX workbook (one
sheet per section, numbers as numbers). Both carry the same cells as the screen, with the
small-cell rule already applied by the selectors."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext

from buddypages.pages import posters
from buddypages.reports.selectors import Report, Section, Split

# A4, margins of 15 mm; the other sizes of posters.Sheet are not used here.
REPORT_SHEET = posters.Sheet("report", (210, 297), 15, 0, 18, 14, 10, 8, 0, 0, 0)
BAR_COLOUR = (29, 94, 134)
GREY = (90, 90, 90)


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def report_title(report: Report) -> str:
    return gettext("Yearly report %(period)s: %(sites)s") % {
        "period": report.period,
        "sites": ", ".join(report.site_names),
    }


def hidden_text(split: Split) -> str:
    if not split.total:
        return gettext("Nobody in this period.")
    return gettext("Not shown: too few people to split without anyone being recognisable.")


def report_filename(report: Report, extension: str) -> str:
    period = re.sub(r"[^0-9]+", "-", str(report.period)).strip("-")
    return f"yearly-report-{period}.{extension}"


# --- PDF ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, report: Report, *, language: str):
        self.language = language
        self.canvas = posters.pdf_canvas(
            REPORT_SHEET, title=report_title(report), language=language
        )
        self.pdf = self.canvas.pdf
        self.x = REPORT_SHEET.margin
        self.w = REPORT_SHEET.page_size[0] - 2 * REPORT_SHEET.margin
        self.y = REPORT_SHEET.margin
        self.rtl = posters.is_rtl(language)

    def room(self, height: float) -> None:
        if self.y + height > REPORT_SHEET.page_size[1] - REPORT_SHEET.margin:
            self.pdf.add_page()
            self.y = REPORT_SHEET.margin

    def text(self, text: str, *, pt: float, bold=False, color=posters.INK) -> None:
        height = self.canvas.text(
            text, language=self.language, x=self.x, y=self.y, w=self.w, pt=pt, draw=False
        )
        self.room(height)
        self.canvas.text(
            text,
            language=self.language,
            x=self.x,
            y=self.y,
            w=self.w,
            pt=pt,
            bold=bold,
            color=color,
        )
        self.y += height + 1

    def rows(self, rows: list[tuple[str, object]], *, bars: bool) -> None:
        """A table of label and number, with a bar drawn to scale beside each count."""
        largest = max((value or 0 for _label, value in rows), default=0) if bars else 0
        label_w, number_w, bar_w = self.w * 0.55, self.w * 0.12, self.w * 0.3
        for label, value in rows:
            height = self.canvas.text(
                str(label), language=self.language, x=0, y=0, w=label_w, pt=10, draw=False
            )
            self.room(height + 1)
            label_x = self.x + self.w - label_w if self.rtl else self.x
            number_x = self.x + self.w - label_w - number_w if self.rtl else self.x + label_w
            self.canvas.text(
                str(label), language=self.language, x=label_x, y=self.y, w=label_w, pt=10
            )
            self.canvas.text(
                _number(value),
                language="en",
                x=number_x,
                y=self.y,
                w=number_w - 2,
                pt=10,
                bold=True,
                align="R",
            )
            if largest and value:
                length = bar_w * value / largest
                bar_x = self.x if self.rtl else self.x + label_w + number_w
                if self.rtl:
                    bar_x += bar_w - length
                self.pdf.set_fill_color(*BAR_COLOUR)
                self.pdf.rect(bar_x, self.y + 1, length, 3.2, style="F")
            self.y += max(height, 5.5) + 0.6

    def section(self, section: Section) -> None:
        self.y += 3
        self.room(20)
        self.text(section.title, pt=14, bold=True)
        counts = section.figures
        self.rows([(figure.label, figure.value) for figure in counts if figure.chart], bars=True)
        self.rows(
            [(figure.label, figure.value) for figure in counts if not figure.chart], bars=False
        )
        if section.note:
            self.text(section.note, pt=8.5, color=GREY)
        for split in section.splits:
            self.y += 2
            self.room(14)
            self.text(split.title, pt=11, bold=True)
            if split.hidden:
                self.text(hidden_text(split), pt=9.5, color=GREY)
            else:
                self.rows(split.cells, bars=True)


def report_pdf(report: Report, *, language: str) -> bytes:
    writer = _Writer(report, language=language)
    writer.text(report_title(report), pt=18, bold=True)
    writer.text(small_cell_note(), pt=9, color=GREY)
    for section in report.sections:
        writer.section(section)
    return bytes(writer.pdf.output())


def small_cell_note() -> str:
    return gettext(
        "In every split, groups of fewer than 5 people are combined into “Other”, so that "
        "nobody can be recognised. The totals are not split and may be small."
    )


# --- XLSX ---------------------------------------------------------------------------------


def _sheet_name(title: str, taken: set) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "sheet"
    base, number = name, 2
    while name.casefold() in taken:
        suffix = f" {number}"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    cover = book.active
    cover.title = _sheet_name(gettext("Report"), taken := set())
    cover.append([report_title(report)])
    cover["A1"].font = bold
    cover.append([small_cell_note()])
    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section.title, taken))
        sheet.append([section.title])
        sheet["A1"].font = bold
        for figure in section.figures:
            sheet.append([figure.label, figure.value])
        if section.note:
            sheet.append([section.note])
        for split in section.splits:
            sheet.append([])
            sheet.append([split.title])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            if split.hidden:
                sheet.append([hidden_text(split)])
            for label, count in split.cells:
                sheet.append([label, count])
        sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
