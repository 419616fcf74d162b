"""Any report of numbered paragraphs builds from its content alone: a report with only a title and parts,
recommendations numbered on their own, paragraphs numbered by chapter. Every page shows only what the
content has, every format takes its titles and names from the content, and nothing of one report is in
the code, the templates, the stylesheets, or the build of another."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from reportsite.build import Sources, build_files
from reportsite.scaffold import STARTER
from tests.conftest import ROOT
from tests.sitetext import parse_html

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal-report"
SEPARATE = FIXTURES / "separate-recommendations"
CHAPTERS = FIXTURES / "chapter-numbered"
EXAMPLES = {"select-committee": ROOT / "examples" / "select-committee", "audit-report": ROOT / "examples" / "audit-report",
            "new": STARTER}  # the example reports, and what `build.py new` writes
REPORTS = {"brent": ROOT / "content", "small": FIXTURES / "small-report", "minimal": MINIMAL, "separate": SEPARATE,
           "chapters": CHAPTERS, **EXAMPLES}
# Words that belong to one report each: none may be written anywhere in the build of another.
OWN_WORDS = {
    "brent": ["Brent", "Ofsted", "LSCB", "Safeguarding", "Corporate Parenting", "Anne Reid", "Piccadilly"],
    "small": ["Testshire", "Sam Clerk"],
    "minimal": ["Marrowby", "village hall"],
    "separate": ["Wexbridge", "Ida Quill"],
    "chapters": ["Hollowmere", "flood defences"],
    "select-committee": ["Skerrin", "Coastal Affairs", "Morven Star"],
    "audit-report": ["Ardwyn", "Rhiannon Vale"],
    "new": ["The title of your report"],
}
PAGES = ("html",)


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, bytes]]:
    """The pages, and the plain text, of every report: each built once."""
    return {name: build_files(Sources(content=content), formats=("html", "text")).files for name, content in REPORTS.items()}


def pages_of(files: dict[str, bytes]) -> dict[str, object]:
    return {path: parse_html(data.decode("utf-8")) for path, data in files.items() if path.endswith(".html")}


# -- the minimal report --------------------------------------------------------------------------------


def test_a_report_with_only_a_title_and_parts_builds_every_page(built):
    pages = pages_of(built["minimal"])
    assert {"index.html", "introduction.html", "what-we-found.html", "about.html", "accessibility.html", "search.html",
            "large-print.html", "404.html"} <= set(pages)
    assert "glossary.html" not in pages and "key-figures.html" not in pages, "no page for what the report does not have"


def test_the_site_name_is_the_title_when_the_content_gives_none(built):
    home = pages_of(built["minimal"])["index.html"]
    assert home.find_all("a", "rs-header__title")[0].text() == "A survey of village halls in Marrowby"
    assert home.find_all("title")[0].text() == "A survey of village halls in Marrowby"
    assert home.find_all("h1")[0].text() == "A survey of village halls in Marrowby"


ELEMENTS_WITH_WORDS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "th", "td", "caption", "label", "a", "cite")
NOTHING_SAID = re.compile(r"(?:\bin \.|\bby \.|\bon \.|\bfrom \.|, \.|, ,|: \.|\(\)|Source: \.|\bNone\b)")


@pytest.mark.parametrize("report", ["minimal", "separate", "chapters", *EXAMPLES])
def test_a_page_shows_only_what_the_content_has(built, report):
    for name, page in pages_of(built[report]).items():
        main = page.find_all("main")[0]
        footer = page.find_all("footer")[0]
        for area in (main, footer):
            empty = [element.tag for element in area.iter() if element.tag in ELEMENTS_WITH_WORDS and not element.text()
                     and element.attrs.get("role") != "status"]  # a live region, filled by the search
            assert empty == [], f"{name}: an empty {empty}"
            assert not NOTHING_SAID.search(area.text()), f"{name}: {NOTHING_SAID.search(area.text()).group()!r} in {area.text()[:300]}"
        headings = [element for element in main.iter() if re.fullmatch(r"h[2-6]", element.tag)]
        for heading in headings:
            assert _has_something_under(heading), f"{name}: nothing under the heading {heading.text()!r}"


def _has_something_under(heading) -> bool:
    """Whether anything but a heading of the same level or higher follows `heading` in its parent."""
    siblings = [child for child in heading.parent.children if hasattr(child, "tag")]
    later = siblings[siblings.index(heading) + 1:]
    level = int(heading.tag[1])
    return bool(later) and not (re.fullmatch(r"h[1-6]", later[0].tag) and int(later[0].tag[1]) <= level)


def test_the_minimal_reports_citations_link_both_ways(built):
    pages = pages_of(built["minimal"])
    found = pages["what-we-found.html"]
    assert [(a.text(), a.attrs["href"]) for a in found.by_id("paragraph-4").find_all("a", "rs-citation")] == [
        ("2", "introduction.html#paragraph-2"), ("3", "#paragraph-3")]
    backlinks = pages["introduction.html"].by_id("paragraph-1").find_all("p", "rs-paragraph__backlinks")[0]
    assert backlinks.text() == "Cited in Paragraph 2: Most halls are used every day of the…"


# -- the other shapes of report ----------------------------------------------------------------------------


def test_recommendations_numbered_on_their_own_link_to_their_evidence_and_back(built):
    pages = pages_of(built["separate"])
    recommendations = pages["conclusions-and-recommendations.html"]
    first = recommendations.by_id("recommendation-1")
    assert "(Paragraphs 2–4)" in first.text()
    assert [a.attrs["href"] for a in first.find_all("a", "rs-citation")] == ["the-evidence.html#paragraph-2",
                                                                              "the-evidence.html#paragraph-4"]
    evidence = pages["the-evidence.html"]
    for number in (2, 3, 4):
        backlinks = evidence.by_id(f"paragraph-{number}").find_all("p", "rs-paragraph__backlinks")[0]
        assert "Recommendation 1" in backlinks.text(), number
        assert "conclusions-and-recommendations.html#recommendation-1" in [a.attrs["href"] for a in backlinks.find_all("a")]
    summary_backlinks = evidence.by_id("paragraph-3").find_all("p", "rs-paragraph__backlinks")[0]
    assert "summary.html" in [a.attrs["href"] for a in summary_backlinks.find_all("a")], "a range in the summary cites 3"


def test_paragraphs_numbered_by_chapter_link_to_and_from_their_citations(built):
    pages = pages_of(built["chapters"])
    part_two = pages["part-two.html"]
    assert [a.text() for a in part_two.find_all("a", "rs-paragraph__number")] == ["2.1", "2.2.", "2.3", "2.4"]
    assert [a.attrs["aria-label"] for a in part_two.find_all("a", "rs-paragraph__number")] == [
        "Link to paragraph 2.1", "Link to paragraph 2.2", "Link to paragraph 2.3", "Link to paragraph 2.4"]
    summary = pages["summary.html"]
    assert [a.attrs["href"] for a in summary.find_all("a", "rs-citation")] == [
        "part-one.html#paragraph-1.2", "part-two.html#paragraph-2.1", "part-two.html#paragraph-2.3"]
    assert "2.5 million pounds a year" in summary.text() and summary.find_all("div", "rs-paragraph") == []
    middle = part_two.by_id("paragraph-2.2").find_all("p", "rs-paragraph__backlinks")[0]
    assert [a.attrs["href"] for a in middle.find_all("a")] == ["summary.html", "#paragraph-2.3",
                                                               "recommendations.html#recommendation-2"]
    assert middle.text() == ("Cited in Summary, Paragraph 2.3: Repairs were planned for 2021 but have… and "
                             "Recommendation 2: Make the repairs that the last survey…")


def test_the_search_page_goes_to_paragraphs_numbered_by_chapter(built):
    search = pages_of(built["chapters"])["search.html"]
    import json
    pairs = json.loads(search.by_id("search").attrs["data-paragraph-urls"])
    assert [label for label, _ in pairs] == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4"]
    assert pairs[3] == ["2.2", "part-two.html#paragraph-2.2"]


# -- every format from the content -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def formats_of_separate() -> dict[str, bytes]:
    return build_files(Sources(content=SEPARATE), formats=("html", "text", "epub", "pdf", "braille")).files


def test_downloads_are_named_from_the_content(formats_of_separate):
    names = sorted(path for path in formats_of_separate if path.startswith("downloads/"))
    assert names == ["downloads/wexbridge-buses-braille.brf", "downloads/wexbridge-buses-large-print.pdf",
                     "downloads/wexbridge-buses.epub", "downloads/wexbridge-buses.txt"]


def test_the_ebook_takes_its_title_language_and_publisher_from_the_content(formats_of_separate):
    with zipfile.ZipFile(io.BytesIO(formats_of_separate["downloads/wexbridge-buses.epub"])) as book:
        package = book.read("EPUB/package.opf").decode("utf-8")
        documents = {name for name in book.namelist() if name.endswith(".xhtml")}
    assert "<dc:title>Rural bus services in Wexbridge</dc:title>" in package
    assert "<dc:language>en-GB</dc:language>" in package
    assert "<dc:creator>The Wexbridge Transport Scrutiny Panel</dc:creator>" in package
    assert "<dc:publisher>The Wexbridge Transport Scrutiny Panel</dc:publisher>" in package
    assert "<dc:rights>This invented report may be copied freely.</dc:rights>" in package
    assert "<dc:description>" not in package, "no web address is given, so none is named"
    assert "EPUB/text/glossary.xhtml" not in documents, "no glossary for a report without abbreviations"


def test_the_pdf_takes_its_title_and_author_from_the_content(formats_of_separate):
    from pypdf import PdfReader
    metadata = PdfReader(io.BytesIO(formats_of_separate["downloads/wexbridge-buses-large-print.pdf"])).metadata
    assert metadata.title == "Wexbridge buses: large print edition", "the site's name, which is the short title if given"
    assert metadata.author == "The Wexbridge Transport Scrutiny Panel"


def test_the_text_starts_with_the_reports_own_title_and_source(formats_of_separate):
    lines = formats_of_separate["downloads/wexbridge-buses.txt"].decode("utf-8").split("\n")
    assert lines[0] == "Rural bus services in Wexbridge"
    assert lines[3] == "Source: The Wexbridge Transport Scrutiny Panel. Date of publication: 12 March 2024."
    assert "1. The council should restore a bus to every village that has lost one (Paragraphs 2–4)." in lines
    assert "Panel chair: Ida Quill" in lines


def test_the_braille_starts_with_the_reports_own_title(formats_of_separate):
    braille = formats_of_separate["downloads/wexbridge-buses-braille.brf"].decode("ascii")
    assert "WEXBRIDGE" in braille.split("\f")[0].upper()


# -- nothing of one report anywhere else ----------------------------------------------------------------


CODE = [*sorted((ROOT / "reportsite").rglob("*.py")), *sorted((ROOT / "templates").rglob("*.*")),
        *sorted((ROOT / "static").rglob("*.*")), ROOT / "build.py"]
ONE_REPORTS_WORDS = re.compile(r"\b(?:Brent|Ofsted|LSCB|Testshire|committee|inspection|inspector)s?\b|\b(?:2015|2016|129)\b",
                               re.IGNORECASE)


@pytest.mark.parametrize("path", CODE, ids=[str(path.relative_to(ROOT)) for path in CODE])
def test_no_template_stylesheet_or_module_holds_a_word_a_count_or_a_date_of_one_report(path):
    if path.suffix in (".png", ".ico", ".woff", ".woff2", ".svg"):
        return
    found = ONE_REPORTS_WORDS.findall(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.relative_to(ROOT)} names {sorted(set(found))}"


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_the_build_of_one_report_holds_no_word_of_another(built, report):
    text = "\n".join(data.decode("utf-8") for path, data in sorted(built[report].items())
                     if path.endswith((".html", ".txt")))
    others = [word for other, words in OWN_WORDS.items() if other != report for word in words]
    assert [word for word in others if word.lower() in text.lower()] == []
    assert all(word.lower() in text.lower() for word in OWN_WORDS[report]), "the report's own words are there"


# -- a recommendation's evidence, in every numbering scheme -------------------------------------------------


@pytest.mark.parametrize("report, page, recommendation, evidence", [
    ("separate", "conclusions-and-recommendations.html", "recommendation-1", [
        ("Paragraph 2 – The evidence we heard", "the-evidence.html#paragraph-2", "Twelve routes ran in 2019."),
        ("Paragraph 3 – The evidence we heard", "the-evidence.html#paragraph-3", "Eight routes run today."),
        ("Paragraph 4 – The evidence we heard", "the-evidence.html#paragraph-4", "Four villages have no bus at all.")]),
    ("separate", "conclusions-and-recommendations.html", "recommendation-2", [
        ("Paragraph 5 – The evidence we heard", "the-evidence.html#paragraph-5", "A single fare was £2.10 in 2019."),
        ("Paragraph 6 – The evidence we heard", "the-evidence.html#paragraph-6", "A single fare is £3.40 today (paragraph 5).")]),
    ("chapters", "recommendations.html", "recommendation-2", [
        ("Paragraph 2.2 – Part Two – Upkeep", "part-two.html#paragraph-2.2",
         "The survey found: four walls in poor condition one bank at risk of failure"),
        ("Paragraph 2.3 – Part Two – Upkeep", "part-two.html#paragraph-2.3",
         "Repairs were planned for 2021 but have not been made (paragraph 2.2).")]),
    ("small", "recommendations.html", "paragraph-2", [
        ("Paragraph 5 – Inspection findings", "findings.html#paragraph-5", "Plans are clear.")]),
])
def test_a_recommendation_lists_its_evidence_by_number_and_part_with_each_paragraphs_words(built, report, page,
                                                                                             recommendation, evidence):
    element = pages_of(built[report])[page].by_id(recommendation)
    listed = element.find_all("div", "rs-paragraph__evidence")[0]
    found = []
    for item in (child for child in listed.find_all("ul")[0].children if getattr(child, "tag", None) == "li"):
        link, quote = item.find_all("a")[0], item.find_all("blockquote")[0]
        found.append((link.text(), link.attrs["href"], quote.text()))
        assert item.find_all("summary")[0].text() == f"Read {link.text().split(' – ')[0].lower()} here"
        assert [e for e in quote.iter() if "id" in e.attrs or e.tag == "a"] == [], "the words alone: no id, no link"
    assert found == evidence


def test_only_recommendations_list_evidence(built):
    for report in ("minimal", "separate", "chapters"):
        for name, page in pages_of(built[report]).items():
            for listed in page.find_all("div", "rs-paragraph__evidence"):
                assert "recommendation" in listed.parent.attrs["id"] or report == "brent", (report, name)
    minimal = pages_of(built["minimal"])["what-we-found.html"]
    assert minimal.find_all("div", "rs-paragraph__evidence") == [], "a paragraph that cites is not a recommendation"
