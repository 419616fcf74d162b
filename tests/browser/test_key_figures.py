"""The key figures' charts as a browser shows them: they fit a 320 px screen, their bars keep to
scale, and bars and figures stand out from the page in both colour schemes."""

from __future__ import annotations

import pytest

from tests.browser.pagechecks import TEXT_AT_200_PERCENT

pytestmark = pytest.mark.browser

PAGE = "key-figures.html"

# Every bar of every chart: where it is drawn, and the figure and label beside it.
BARS_JS = r"""
() => [...document.querySelectorAll('.rs-chart')].map(chart => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const track = [...chart.querySelectorAll('.rs-chart__svg')];
  return {
    id: chart.id,
    chart: box(chart),
    tracks: track.map(box),
    bars: [...chart.querySelectorAll('.rs-chart__rect')].map(box),
    values: [...chart.querySelectorAll('.rs-chart__value')].map(el => ({text: el.textContent, ...box(el)})),
    labels: [...chart.querySelectorAll('.rs-chart__label, .rs-chart__group')].map(box),
    widths: [...chart.querySelectorAll('.rs-chart__rect')].map(el => parseFloat(el.getAttribute('width'))),
  };
})
"""

# The colours a reader sees: each bar's (its currentColor) and each figure's, and the page behind them.
COLOURS_JS = r"""
() => {
  const page = getComputedStyle(document.body).backgroundColor;
  return {
    page,
    bars: [...document.querySelectorAll('.rs-chart__bar, .rs-chart-key__swatch')].map(el => getComputedStyle(el).color),
    values: [...document.querySelectorAll('.rs-chart__value, .rs-chart__label')].map(el => getComputedStyle(el).color),
  };
}
"""


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(part) for part in colour[colour.index("(") + 1:colour.index(")")].replace(",", " ").split()[:3])


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [value / 255 for value in rgb(colour)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def misfits(charts: list[dict], width: int) -> list[str]:
    """Each bar, figure and label that does not fit the screen or overlaps its neighbour."""
    failures = []
    for chart in charts:
        for kind in ("tracks", "values", "labels"):
            for box in chart[kind]:
                if box["left"] < -0.5 or box["right"] > width + 0.5:
                    failures.append(f"{chart['id']}: a {kind[:-1]} runs from {box['left']:.0f}px to {box['right']:.0f}px")
        for value, track in zip(chart["values"], chart["tracks"]):
            if value["right"] > track["left"] + 0.5:
                failures.append(f"{chart['id']}: the figure {value['text']!r} overlaps its bar")
    return failures


@pytest.mark.parametrize("text", ["standard", "200 percent"])
def test_bars_figures_and_labels_fit_a_320_px_screen(open_page, text):
    pg = open_page(PAGE, 320, 640)
    if text == "200 percent":
        pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    charts = pg.evaluate(BARS_JS)
    assert len(charts) >= 9
    assert misfits(charts, 320) == []


def test_drawn_bars_keep_to_the_scale_of_their_chart(open_page):
    for chart in open_page(PAGE, 320, 640).evaluate(BARS_JS):
        for bar, track, width in zip(chart["bars"], chart["tracks"], chart["widths"]):
            assert bar["width"] == pytest.approx(track["width"] * width / 100, abs=1), chart["id"]
            assert bar["width"] > 0 or width == 0, chart["id"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bars_and_their_figures_stand_out_from_the_page(open_page, scheme):
    colours = open_page(PAGE, 320, 640, color_scheme=scheme).evaluate(COLOURS_JS)
    assert colours["bars"] and colours["values"]
    low_bars = {colour for colour in colours["bars"] if contrast(colour, colours["page"]) < 3}
    low_text = {colour for colour in colours["values"] if contrast(colour, colours["page"]) < 4.5}
    assert low_bars == set(), f"bars below 3:1 against {colours['page']}"
    assert low_text == set(), f"figures and labels below 4.5:1 against {colours['page']}"


def test_the_dark_scheme_draws_the_bars_in_another_colour(open_page):
    light = open_page(PAGE, 320, 640, color_scheme="light").evaluate(COLOURS_JS)
    dark = open_page(PAGE, 320, 640, color_scheme="dark").evaluate(COLOURS_JS)
    assert light["page"] != dark["page"]
    assert set(light["bars"]) != set(dark["bars"])


def test_a_chart_link_from_a_paragraph_opens_its_chart(open_page):
    pg = open_page("children-looked-after.html")
    pg.locator("#paragraph-40 .rs-paragraph__charts a").click()
    pg.wait_for_url("**/key-figures.html#chart-care-proceedings")
    assert pg.evaluate("document.querySelector(':target').id") == "chart-care-proceedings"
