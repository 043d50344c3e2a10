import re

from buddypages.reports.charts import bar_chart


def _bars(svg: str) -> dict[str, float]:
    found = re.findall(r'middle">([^<]+)</text><rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)
    return {label: float(width) for label, width in found}


def test_a_bar_of_12_is_twice_a_bar_of_6_and_labels_and_values_are_text():
    svg = bar_chart(title="Nieuwkomers per taal", rows=[("Arabisch", 12), ("Oekraïens", 6)])

    bars = _bars(svg)
    assert bars["Arabisch"] == 2 * bars["Oekraïens"]
    assert 'role="img"' in svg
    assert "<title id=" in svg
    assert "Arabisch: 12; Oekraïens: 6" in svg  # the description read out by screen readers
    assert 'class="value">12</text>' in svg


def test_an_all_zero_chart_is_not_drawn():
    assert bar_chart(title="Duo's gestopt", rows=[("Gestopt", 0), ("Afgerond", 0)]) == ""


def test_labels_are_escaped_and_a_right_to_left_chart_grows_leftwards():
    svg = bar_chart(title="<b>", rows=[("<script>", 4), ("Kiel", 8)], rtl=True)

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'direction="rtl"' in svg
    [(x, width)] = re.findall(r'<rect x="([^"]+)" y="[^"]+" width="([^"]+)"', svg)[1:]
    assert float(x) + float(width) == 540 - 230  # every bar ends where the labels begin
