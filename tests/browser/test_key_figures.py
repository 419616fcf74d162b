"""The key figures' charts as a browser shows them: each on a scale with labelled ticks, one scale
for one unit, comparisons as lines, the width of the page used, fitting a 320 px screen, and bars,
lines and words standing out from the page in every colour scheme."""

from __future__ import annotations

import pytest

from tests.browser.pagechecks import TEXT_AT_200_PERCENT

pytestmark = pytest.mark.browser

PAGE = "key-figures.html"

# Every chart as drawn: its plot and the column it stands in, its bars, its lines, its ticks (the
# ticks' marks on the axis and the figures under them), and its words.
CHARTS_JS = r"""
() => [...document.querySelectorAll('.rs-chart')].map(chart => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
  const plot = chart.querySelector('.rs-chart__plot');
  const axis = chart.querySelector('.rs-chart__axis-line');
  return {
    id: chart.id,
    unit: plot.dataset.unit,
    plot: box(plot),
    column: box(chart.parentElement),
    axis: box(axis),
    bars: [...chart.querySelectorAll('.rs-chart__bar')].map(svg => ({track: box(svg), bar: box(svg.querySelector('rect'))})),
    lines: [...chart.querySelectorAll('.rs-chart__line')].map(el => ({value: el.dataset.value, ...box(el)})),
    ticks: [...axis.querySelectorAll('line')].slice(1).map(box),
    tickTexts: [...chart.querySelectorAll('.rs-chart__tick')].map(el => ({text: el.textContent, visible: getComputedStyle(el).visibility === 'visible', ...box(el)})),
    words: [...chart.querySelectorAll('.rs-chart__text, .rs-chart__group, .rs-chart__tick, .rs-chart__unit')]
      .filter(el => getComputedStyle(el).visibility === 'visible').map(el => ({text: el.textContent, ...box(el)})),
    figures: Object.fromEntries([...chart.querySelectorAll('tbody tr')].flatMap(row => {
      const cells = [...row.querySelectorAll('td')].map(td => td.textContent);
      return cells.length === 1 ? [[row.querySelector('th').textContent, cells[0]]] : [];
    })),
  };
})
"""

# The colours a reader sees: the page's, each bar's and line's, and each word's in the charts.
COLOURS_JS = r"""
() => {
  const page = getComputedStyle(document.body).backgroundColor;
  const all = (selector, property) => [...document.querySelectorAll(selector)].map(el => getComputedStyle(el)[property]);
  return {
    page,
    bars: all('.rs-chart__rect, .rs-chart-key__swatch--bar', 'fill'),
    lines: all('.rs-chart__line, .rs-chart__axis-line', 'stroke'),
    words: all('.rs-chart__text, .rs-chart__value, .rs-chart__tick, .rs-chart__unit, .rs-chart__group', 'color'),
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


def number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("%").split()[0])


def scale_end(chart: dict) -> float:
    """The figure at the right end of the chart's axis, worked out from where its ticks are drawn."""
    axis = chart["axis"]
    ends = [number(text["text"]) * axis["width"] / (tick["left"] + tick["width"] / 2 - axis["left"])
            for tick, text in zip(chart["ticks"], chart["tickTexts"]) if tick["left"] + tick["width"] / 2 - axis["left"] > 1]
    assert ends and max(ends) == pytest.approx(min(ends), rel=0.005), (chart["id"], ends)
    return float(f"{sum(ends) / len(ends):.3g}")  # to the pixel, whatever the screen's subpixels


def misfits(charts: list[dict], width: int) -> list[str]:
    """Each word, bar or tick that does not fit the screen, and each tick's figure that touches the next."""
    failures = []
    for chart in charts:
        for box in chart["words"] + [bar["track"] for bar in chart["bars"]]:
            if box["left"] < -0.5 or box["right"] > width + 0.5:
                failures.append(f"{chart['id']}: {box.get('text', 'a bar')!r} runs from {box['left']:.0f}px to {box['right']:.0f}px")
        shown = [tick for tick in chart["tickTexts"] if tick["visible"]]
        for first, second in zip(shown, shown[1:]):
            if first["right"] > second["left"] - 4:
                failures.append(f"{chart['id']}: the ticks {first['text']!r} and {second['text']!r} touch")
    return failures


@pytest.mark.parametrize("text", ["standard", "200 percent"])
def test_bars_figures_labels_and_ticks_fit_a_320_px_screen(open_page, text):
    pg = open_page(PAGE, 320, 640)
    if text == "200 percent":
        pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    charts = pg.evaluate(CHARTS_JS)
    assert len(charts) >= 9
    assert misfits(charts, 320) == []


@pytest.mark.parametrize("width, text", [(1280, "standard"), (320, "standard"), (320, "200 percent")])
def test_every_chart_has_at_least_two_labelled_ticks_on_its_axis(open_page, width, text):
    pg = open_page(PAGE, width, 800)
    if text == "200 percent":
        pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    for chart in pg.evaluate(CHARTS_JS):
        shown = [tick["text"] for tick in chart["tickTexts"] if tick["visible"]]
        assert len(shown) >= 2 and shown[0] == "0", (chart["id"], shown)
        assert len(chart["ticks"]) == len(chart["tickTexts"]), chart["id"]
        for tick, text in zip(chart["ticks"], chart["tickTexts"]):
            mark = tick["left"] + tick["width"] / 2
            assert text["left"] - 1 <= mark <= text["right"] + 1, (chart["id"], text["text"])


def test_charts_of_one_unit_share_one_scale_and_draw_each_figure_to_it(open_page):
    charts = open_page(PAGE, 1280, 800).evaluate(CHARTS_JS)
    ends: dict[str, set[float]] = {}
    for chart in charts:
        end = scale_end(chart)
        ends.setdefault(chart["unit"], set()).add(end)
        for drawn in chart["bars"]:
            assert drawn["track"]["width"] == pytest.approx(chart["axis"]["width"], abs=1), chart["id"]
        drawn_figures = [drawn["bar"]["width"] / drawn["track"]["width"] * end for drawn in chart["bars"]]
        drawn_figures += [(line["left"] + line["width"] / 2 - chart["axis"]["left"]) / chart["axis"]["width"] * end
                          for line in chart["lines"]]
        written = [number(value) for value in chart["figures"].values()]
        if written:  # a chart of groups has its figures in a table of several columns
            assert sorted(drawn_figures) == pytest.approx(sorted(written), rel=0.01), chart["id"]
    assert len(ends) >= 2 and all(len(end) == 1 for end in ends.values()), ends
    assert sum(1 for chart in charts if chart["unit"] == "per cent") >= 2


def test_a_threshold_is_a_line_across_the_bars_not_a_bar(open_page):
    chart = next(chart for chart in open_page(PAGE, 1280, 800).evaluate(CHARTS_JS) if chart["id"] == "chart-adoption-timeliness")
    threshold = next(line for line in chart["lines"] if line["value"] == "487 days")
    assert threshold["width"] <= 3
    assert threshold["top"] <= min(bar["track"]["top"] for bar in chart["bars"])
    assert threshold["bottom"] >= max(bar["track"]["bottom"] for bar in chart["bars"])
    end = scale_end(chart)
    assert all(abs(drawn["bar"]["width"] / drawn["track"]["width"] * end - 487) > 5 for drawn in chart["bars"])
    assert any(word["text"] == "Government threshold: 487 days" for word in chart["words"])


def test_a_chart_uses_at_least_80_percent_of_its_column_at_1280_wide(open_page):
    for chart in open_page(PAGE, 1280, 800).evaluate(CHARTS_JS):
        assert chart["plot"]["width"] >= 0.8 * chart["column"]["width"], chart["id"]
        assert chart["axis"]["width"] >= 0.8 * chart["column"]["width"], chart["id"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bars_lines_and_words_stand_out_from_the_page(open_page, scheme):
    colours = open_page(PAGE, 320, 640, color_scheme=scheme).evaluate(COLOURS_JS)
    assert colours["bars"] and colours["lines"] and colours["words"]
    low_graphics = {colour for colour in colours["bars"] + colours["lines"] if contrast(colour, colours["page"]) < 3}
    low_text = {colour for colour in colours["words"] if contrast(colour, colours["page"]) < 7}
    assert low_graphics == set(), f"bars and lines below 3:1 against {colours['page']}"
    assert low_text == set(), f"words below 7:1 against {colours['page']}"


def test_the_dark_scheme_draws_the_bars_in_another_colour(open_page):
    light = open_page(PAGE, 320, 640, color_scheme="light").evaluate(COLOURS_JS)
    dark = open_page(PAGE, 320, 640, color_scheme="dark").evaluate(COLOURS_JS)
    assert light["page"] != dark["page"]
    assert set(light["bars"]) != set(dark["bars"])


def test_with_forced_colours_bars_and_lines_take_the_text_colour(open_page):
    pg = open_page(PAGE, 1280, 800, forced_colors="active")
    colours = pg.evaluate(COLOURS_JS)
    text = pg.evaluate("getComputedStyle(document.body).color")
    assert colours["page"] != text
    assert set(colours["bars"]) == {text} and set(colours["lines"]) == {text}


def test_every_page_with_chart_links_styles_them(open_page, built_site):
    pages = sorted(path.name for path in built_site.glob("*.html") if 'class="rs-paragraph__charts"' in path.read_text(encoding="utf-8"))
    assert len(pages) >= 5
    for name in pages:
        pg = open_page(name)
        sizes = pg.evaluate("""() => [...document.querySelectorAll('.rs-paragraph__charts')].map(el =>
            [parseFloat(getComputedStyle(el).fontSize), parseFloat(getComputedStyle(el.closest('.rs-paragraph')).fontSize)])""")
        assert sizes and all(own < paragraph for own, paragraph in sizes), name


def test_a_chart_link_from_a_paragraph_opens_its_chart(open_page):
    pg = open_page("children-looked-after.html")
    pg.locator("#paragraph-40 .rs-paragraph__charts a").click()
    pg.wait_for_url("**/key-figures.html#chart-care-proceedings")
    assert pg.evaluate("document.querySelector(':target').id") == "chart-care-proceedings"
