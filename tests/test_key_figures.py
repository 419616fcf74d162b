"""The key figures: each figure says what its paragraph says, each chart is drawn to scale with
its figures in a table, and each chart and its paragraph link to each other."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.charts import chart_scales, draw_chart, format_value, scale_for
from reportsite.figures import Bar, Figure
from reportsite.incremental import BuildSession
from reportsite.render import blocks_on, large_print_context, render_part, template_environment
from tests.conftest import ROOT, SMALL_REPORT
from tests.sitetext import parse_html

# The figures the issue asks for, by the paragraph that states them.
ISSUE_PARAGRAPHS = {40, 46, 49, 52, 69, 81, 82, 84, 107}


def paragraph_texts(content: Path) -> dict[int, str]:
    """Each numbered paragraph's text, as written in the report's Markdown."""
    texts = {}
    for path in sorted((content / "parts").glob("*.md")):
        for match in re.finditer(r"^(\d+)\. (.*)$", path.read_text(encoding="utf-8"), flags=re.M):
            texts[int(match.group(1))] = match.group(2)
    return texts


def written_as(value, unit: str) -> re.Pattern:
    """The ways the report writes a figure: '17%', '66 weeks', 'a 35 week average', '544 days'."""
    number = re.escape(f"{value:,}" if isinstance(value, int) else f"{value:g}")
    unit_words = {"per cent": r"(?:%| per cent)", "weeks": r" weeks?\b", "days": r" days?\b"}[unit]
    return re.compile(rf"(?<![\d.,]){number}{unit_words}")


@pytest.fixture(scope="module")
def report():
    return load_report(ROOT / "content")


@pytest.fixture(scope="module")
def site(report):
    return resolve(report)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real report's pages, built once."""
    out = tmp_path_factory.mktemp("key-figures") / "site"
    build(Sources(), out, formats=("html",))
    return out


@pytest.fixture(scope="module")
def key_page(built):
    return parse_html((built / "key-figures.html").read_text(encoding="utf-8"))


def figures(report) -> list[Figure]:
    return list(report.key_figures.figures)


# -- the data against the report ---------------------------------------------


def test_every_figure_the_issue_names_is_charted(report):
    assert ISSUE_PARAGRAPHS <= {int(figure.paragraph) for figure in figures(report)}


def test_every_value_is_written_in_the_text_of_its_paragraph(report):
    texts = paragraph_texts(ROOT / "content")
    missing = [f"{figure.id}: {format_value(bar.value, figure.unit)} is not in paragraph {int(figure.paragraph)}"
               for figure in figures(report) for bar in figure.bars
               if not written_as(bar.value, figure.unit).search(texts[int(figure.paragraph)])]
    assert missing == []


def test_every_year_in_a_label_is_written_as_its_paragraph_writes_it(report):
    texts = paragraph_texts(ROOT / "content")
    wrong = [f"{figure.id}: {year!r} is not in paragraph {int(figure.paragraph)}"
             for figure in figures(report) for bar in figure.bars
             for year in re.findall(r"\d{4}(?:[–-]\d{2})?", bar.label) if year not in texts[int(figure.paragraph)]]
    assert wrong == []


def test_every_comparison_is_named_in_the_words_of_its_paragraph(report):
    texts = paragraph_texts(ROOT / "content")
    words = {"Similar councils": "similar councils", "England average": "England average",
             "Government threshold": "government threshold"}
    for figure in figures(report):
        for bar in figure.bars:
            if bar.comparison:
                assert words[bar.label] in texts[int(figure.paragraph)], (figure.id, bar.label)


def test_the_written_forms_are_recognised_and_others_are_not():
    assert written_as(35, "weeks").search("better than the 35 week average")
    assert written_as(17, "per cent").search("In 2013–14, 17% of children")
    assert not written_as(7, "per cent").search("In 2013–14, 17% of children")
    assert not written_as(44, "days").search("544 days")


# -- drawing ------------------------------------------------------------------


def test_a_figure_is_written_with_its_unit():
    assert [format_value(66, "weeks"), format_value(1, "days"), format_value(17, "per cent"),
            format_value(12.5, "per cent"), format_value(1250, "days")] == ["66 weeks", "1 day", "17%", "12.5%", "1,250 days"]


def test_positions_on_a_scale_are_written_the_same_way_every_time():
    weeks = scale_for("weeks", 66)
    assert [weeks.position(29), weeks.position(66), weeks.position(0), weeks.position(80)] == ["36.25", "82.5", "0", "100"]
    assert scale_for("days", 652).position(487) == "60.875"


@pytest.mark.parametrize("unit, largest, ticks", [
    ("weeks", 66, ["0", "20", "40", "60", "80"]),
    ("days", 652, ["0", "200", "400", "600", "800"]),
    ("per cent", 100, ["0", "25", "50", "75", "100"]),
    ("per cent", 74, ["0", "20", "40", "60", "80"]),
    ("per cent", 30, ["0", "10", "20", "30"]),
    ("days", 1250, ["0", "500", "1,000", "1,500"]),
    ("per cent", 0.3, ["0", "0.1", "0.2", "0.3"]),
    ("weeks", 0, ["0", "0.25", "0.5", "0.75", "1"]),
])
def test_a_scale_ends_at_a_round_figure_above_the_largest_with_at_most_five_ticks(unit, largest, ticks):
    scale = scale_for(unit, largest)
    assert [tick.text for tick in scale.ticks] == ticks
    assert scale.ticks[0].at == "0" and scale.ticks[-1].at == "100"


def test_the_charts_of_one_unit_share_one_scale_held_by_their_largest_figure():
    short = Figure("short", "Short", "1", "weeks", "", "Year", (Bar("2014", 3), Bar("2015", 5)), "key-figures.yaml", 1)
    long = Figure("long", "Long", "2", "weeks", "", "Year", (Bar("2014", 66), Bar("2015", 29)), "key-figures.yaml", 2)
    share = Figure("share", "Share", "3", "per cent", "", "Year", (Bar("2014", 17),), "key-figures.yaml", 3)
    scales = chart_scales([short, long, share])
    assert [tick.text for tick in scales["weeks"].ticks][-1] == "80"
    assert [tick.text for tick in scales["per cent"].ticks][-1] == "20"
    assert draw_chart(short, "#", scales["weeks"]).groups[0].bars[1].at == "6.25"


def test_a_comparison_is_drawn_as_a_labelled_line_and_every_other_figure_as_a_bar():
    figure = Figure("adoption", "Adoption", "69", "days", "", "Period",
                    (Bar("2011–14", 652), Bar("2012–15", 544), Bar("England average", 628, comparison=True),
                     Bar("Government threshold", 487, comparison=True)), "key-figures.yaml", 1)
    (group,) = draw_chart(figure, "#").groups
    assert [(bar.label, bar.at) for bar in group.bars] == [("2011–14", "81.5"), ("2012–15", "68")]
    assert [(line.key, line.at, line.side) for line in group.lines] == [
        ("England average: 628 days", "78.5", "before"), ("Government threshold: 487 days", "60.875", "before")]
    low = Figure("he", "Higher education", "84", "per cent", "", "Council",
                 (Bar("Brent", 30), Bar("England average", 6, comparison=True)), "key-figures.yaml", 1)
    assert draw_chart(low, "#").groups[0].lines[0].side == "after"


def test_a_chart_of_groups_has_one_table_row_per_group_and_a_column_per_label():
    figure = Figure("ks2", "Key Stage 2", 49, "per cent", "", "Subject",
                    (Bar("2013–14", 46, group="Reading"), Bar("2014–15", 100, group="Reading"),
                     Bar("2013–14", 23, group="Writing"), Bar("2014–15", 100, group="Writing")), "key-figures.yaml", 1)
    chart = draw_chart(figure, "children-looked-after.html#paragraph-49")
    assert chart.table.columns == ("Subject", "2013–14", "2014–15")
    assert chart.table.rows == (("Reading", ("46%", "100%")), ("Writing", ("23%", "100%")))
    assert [group.name for group in chart.groups] == ["Reading", "Writing"]


# -- the key figures page -------------------------------------------------------


def charts_on(page) -> list:
    return page.find_all("figure", cls="rs-chart")


def test_the_page_has_a_chart_for_every_figure_in_paragraph_order(report, key_page):
    ids = [chart.attrs["id"] for chart in charts_on(key_page)]
    assert ids == [f"chart-{figure.id}" for figure in sorted(figures(report), key=lambda figure: int(figure.paragraph))]


def test_every_chart_has_a_title_a_description_and_a_plot_hidden_beside_its_table(key_page):
    for chart in charts_on(key_page):
        caption = chart.find_all("figcaption")[0]
        assert caption.find_all("h3")[0].text().strip()
        assert caption.find_all("p", cls="rs-chart__description")[0].text().strip()
        assert chart.find_all("div", cls="rs-chart__plot")[0].attrs["aria-hidden"] == "true"


def test_bars_and_lines_are_drawn_to_one_scale_for_each_unit(report, key_page):
    largest = {}
    for figure in figures(report):
        largest[figure.unit] = max([largest.get(figure.unit, 0)] + [bar.value for bar in figure.bars])
    ends = {}
    for figure, chart in zip(sorted(figures(report), key=lambda figure: int(figure.paragraph)), charts_on(key_page)):
        ticks = [float(tick.text().replace(",", "")) for tick in chart.find_all("span", cls="rs-chart__tick")]
        assert len(ticks) >= 2 and ticks[0] == 0 and ticks[-1] >= largest[figure.unit], figure.id
        ends.setdefault(figure.unit, set()).add(ticks[-1])
        bars = [float(rect.attrs["width"].removesuffix("%")) for rect in chart.find_all("rect", cls="rs-chart__rect")]
        lines = [float(line.attrs["x1"].removesuffix("%")) for line in chart.find_all("line", cls="rs-chart__line")]
        assert bars == pytest.approx([bar.value / ticks[-1] * 100 for bar in figure.bars if not bar.comparison], abs=0.001)
        assert lines == pytest.approx([bar.value / ticks[-1] * 100 for bar in figure.bars if bar.comparison], abs=0.001)
    assert all(len(end) == 1 for end in ends.values()), ends


def test_the_government_threshold_is_a_line_not_a_bar(key_page):
    chart = key_page.by_id("chart-adoption-timeliness")
    named = [text.text().strip() for text in chart.find_all("p", cls="rs-chart__reference")]
    assert "Government threshold: 487 days" in named
    assert "487 days" in [line.attrs["data-value"] for line in chart.find_all("line", cls="rs-chart__line")]
    assert len(chart.find_all("rect", cls="rs-chart__rect")) == 2


def test_every_bar_and_line_has_its_figure_written_beside_it(report, key_page):
    for figure, chart in zip(sorted(figures(report), key=lambda figure: int(figure.paragraph)), charts_on(key_page)):
        written = [value.text().strip() for value in chart.find_all("b", cls="rs-chart__value")]
        assert sorted(written) == sorted(format_value(bar.value, figure.unit) for bar in figure.bars)


def test_every_chart_has_a_table_with_the_same_figures(report, key_page):
    for figure, chart in zip(sorted(figures(report), key=lambda figure: int(figure.paragraph)), charts_on(key_page)):
        table = chart.find_all("table")[0]
        assert table.find_all("caption")[0].text().strip()
        assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th"))
        cells = [td.text().strip() for td in table.find_all("td")]
        if figure.bars[0].group is None:
            assert cells == [format_value(bar.value, figure.unit) for bar in figure.bars]
            assert [th.text().strip() for th in table.find_all("th") if th.attrs["scope"] == "row"] == [bar.label for bar in figure.bars]
        else:
            assert sorted(cells) == sorted(format_value(bar.value, figure.unit) for bar in figure.bars)


def test_every_chart_links_to_its_paragraph_and_the_paragraph_links_back(site, key_page, built):
    for chart in charts_on(key_page):
        source = chart.find_all("p", cls="rs-chart__source")[0].find_all("a")[0]
        page_url, _, anchor = source.attrs["href"].partition("#")
        number = int(anchor.removeprefix("paragraph-"))
        assert source.text() == f"paragraph {number}"
        assert page_url == site.paragraphs[anchor].page.url
        for url in (page_url, "large-print.html"):
            paragraph = parse_html((built / url).read_text(encoding="utf-8")).by_id(anchor)
            assert paragraph is not None, (url, anchor)
            links = [a.attrs["href"] for p in paragraph.find_all("p", cls="rs-paragraph__charts") for a in p.find_all("a")]
            assert links == [f"key-figures.html#{chart.attrs['id']}"], (url, anchor)


def test_only_paragraphs_with_a_chart_link_to_one(report, built):
    charted = {int(figure.paragraph) for figure in figures(report)}
    for path in sorted(built.glob("*.html")):
        for paragraph in parse_html(path.read_text(encoding="utf-8")).find_all("div", cls="rs-paragraph"):
            number = int(paragraph.attrs["id"].removeprefix("paragraph-"))
            assert bool(paragraph.find_all("p", cls="rs-paragraph__charts")) == (number in charted), (path.name, number)


def test_the_key_figures_page_follows_the_parts_in_the_reading_order(site):
    sequence = [page.kind for page in site.pages if page.in_sequence]
    assert sequence.index("key_figures") == max(index for index, kind in enumerate(sequence) if kind == "part") + 1


def test_the_other_formats_render_paragraphs_without_chart_links(site):
    part = site.paragraphs["paragraph-40"].part
    page = site.paragraphs["paragraph-40"].page
    environment = template_environment(str(Sources().templates.resolve()))
    blocks = blocks_on(environment, site, page, None)
    assert 'href="key-figures.html#chart-care-proceedings"' in render_part(site, page, part, 0, blocks, chart_links=True)
    assert "rs-paragraph__charts" not in render_part(site, page, part, 0, blocks)
    one_page = large_print_context(site, site.page("large_print"), environment)
    assert not any("rs-paragraph__charts" in rendered.html for rendered in one_page["parts"])


def test_a_report_without_key_figures_has_no_key_figures_page(tmp_path):
    result = build(Sources(content=SMALL_REPORT), tmp_path / "site", formats=("html",))
    assert "key-figures.html" not in result.files
    assert all(b"key-figures.html" not in data for path, data in result.files.items() if path.endswith(".html"))


# -- serve ----------------------------------------------------------------------


@pytest.fixture
def sources(tmp_path) -> Sources:
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return Sources(content=tmp_path / "content", templates=tmp_path / "templates", static=tmp_path / "static")


def test_a_serve_session_renders_again_the_paragraph_of_a_changed_chart(sources, tmp_path):
    session, out = BuildSession(), tmp_path / "site"
    build(sources, out, formats=("html",), session=session)
    path = sources.content / "key-figures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: How long care proceedings take",
                                                             "title: The duration of care proceedings"), encoding="utf-8")
    build(sources, out, formats=("html",), session=session)
    for page in ("key-figures.html", "children-looked-after.html", "large-print.html"):
        assert "The duration of care proceedings" in (out / page).read_text(encoding="utf-8"), page
    cold = tmp_path / "cold"
    build(sources, cold, formats=("html",))
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == {p.name: p.read_bytes() for p in cold.glob("*.html")}
