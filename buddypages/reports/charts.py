"""Bar charts as SVG, drawn on the server: readable without JavaScript, printable, and with
their labels and numbers as text in the picture (a table of the same numbers stands beside it).
"""

from __future__ import annotations

from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 540
LABEL_WIDTH = 230
BAR_MAX = 250
ROW = 30
BAR = 18
TOP = 8
_ids = count(1)


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def bar_length(value, largest) -> float:
    """A bar's length in the chart: proportional to its value (12 draws twice as long as 6)."""
    return round(BAR_MAX * value / largest, 2) if largest else 0


def bar_chart(
    *, title: str, rows: list[tuple[str, float]], description: str = "", rtl: bool = False
) -> SafeString:
    """A horizontal bar chart of ``rows`` (label, value), or an empty string when every value is
    zero (an all-zero chart says nothing the table does not). ``rtl``: mirrored, for pages
    written right to left (labels on the right, bars growing to the left)."""
    rows = [(str(label), value or 0) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    if not largest:
        return SafeString("")
    number = next(_ids)
    height = TOP * 2 + ROW * len(rows)
    edge = WIDTH - LABEL_WIDTH if rtl else LABEL_WIDTH  # where the bars start

    def drawn(index, label, value):
        length = bar_length(value, largest)
        middle = TOP + ROW * index + ROW / 2
        return (
            edge + 8 if rtl else edge - 8,
            middle,
            label if len(label) <= 34 else label[:33] + "…",
            edge - length if rtl else edge,
            TOP + ROW * index + (ROW - BAR) / 2,
            length,
            BAR,
            edge - length - 6 if rtl else edge + length + 6,
            middle,
            _number(value),
        )

    # In either direction the label's "end" faces the bars and the value's "start" leaves them.
    bars = format_html_join(
        "",
        '<g class="bar"><text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="#1d5e86"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle" class="value">{}</text></g>',
        (drawn(index, label, value) for index, (label, value) in enumerate(rows)),
    )
    return format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="13" '
        'fill="#1a1a1a" direction="{direction}" '
        'aria-labelledby="chart-{n}-title chart-{n}-desc">'
        '<title id="chart-{n}-title">{title}</title><desc id="chart-{n}-desc">{desc}</desc>'
        "{bars}</svg>",
        w=WIDTH,
        h=height,
        n=number,
        direction="rtl" if rtl else "ltr",
        title=title,
        desc=description or "; ".join(f"{label}: {_number(value)}" for label, value in rows),
        bars=bars,
    )
