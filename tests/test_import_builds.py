"""What the import writes builds into a site whose citations link both ways: the Brent source text
with its recipe, and reports in each shape printed as PDF, written as Word and copied out as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build_files
from reportsite.importer import import_report
from tests.importsources import SHAPES, write_docx, write_pdf, write_text
from tests.seedtext import SEED, recommendation_citations
from tests.sitetext import parse_html

ROOT = Path(__file__).resolve().parent.parent
# What each shape's recommendations cite, as printed: the citing element's id -> the paragraphs linked.
# A range links its ends; "(Paragraphs 21–23 of our last report)" cites another report, so no link.
SHAPE_CITATIONS = {
    "one-sequence": {"paragraph-1": ["5", "6"], "paragraph-2": ["8"], "paragraph-3": ["4", "9"]},
    "separate": {"recommendation-1": ["3"], "recommendation-2": ["6", "8"], "recommendation-3": ["9", "10", "12"]},
    "chapter": {"recommendation-1": ["2.8", "2.9"], "recommendation-2": ["2.14"]},
}
WRITERS = {"pdf": (write_pdf, "pdf"), "docx": (write_docx, "docx"), "txt": (write_text, "txt"),
           "docx with Word's numbering": (lambda shape, path: write_docx(shape, path, word_numbering=True), "docx")}


def citations_both_ways(content: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Build the content's pages; return each citing element's linked paragraphs, and every citation
    whose cited paragraph does not link back to it (empty when all link both ways)."""
    files = build_files(Sources(content=content), formats=("html",)).files
    pages = {path: parse_html(data.decode("utf-8")) for path, data in files.items()
             if path.endswith(".html") and path != "large-print.html"}
    linked: dict[str, list[str]] = {}
    one_way = []
    for name, page in pages.items():
        for link in page.find_all("a", "rs-citation"):
            citing = link.parent
            while citing is not None and "id" not in citing.attrs:
                citing = citing.parent
            target_page, _, anchor = link.attrs["href"].partition("#")
            target = pages[target_page or name].by_id(anchor)
            linked.setdefault(citing.attrs["id"], []).append(anchor.removeprefix("paragraph-"))
            backlinks = target.find_all("p", "rs-paragraph__backlinks") if target is not None else []
            hrefs = [a.attrs["href"] for b in backlinks for a in b.find_all("a")]
            back = f"#{citing.attrs['id']}" if (target_page or name) == name else f"{name}#{citing.attrs['id']}"
            if back not in hrefs:
                one_way.append(f"{name}#{citing.attrs['id']} -> {link.attrs['href']}")
    return linked, one_way


@pytest.fixture(scope="module")
def brent(tmp_path_factory) -> Path:
    """The source text imported into a folder holding only content/'s recipe."""
    content = tmp_path_factory.mktemp("brent") / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "import.yaml", content)
    assert import_report(SEED, content).missing == []
    return content


def test_the_source_text_with_its_recipe_builds_to_129_paragraphs_and_24_citations_linked_both_ways(brent):
    linked, one_way = citations_both_ways(brent)
    assert one_way == []
    assert {int(citing.removeprefix("paragraph-")): [int(n) for n in cited] for citing, cited in linked.items()} \
        == recommendation_citations()
    assert sum(len(cited) for cited in linked.values()) == 24
    files = build_files(Sources(content=brent), formats=("html",)).files
    numbered = {a.attrs["href"] for path, data in files.items() if path.endswith(".html") and path != "large-print.html"
                for a in parse_html(data.decode("utf-8")).find_all("a", "rs-paragraph__number")}
    assert len(numbered) == 129


@pytest.mark.parametrize("kind", WRITERS)
@pytest.mark.parametrize("shape", SHAPES)
def test_each_report_shape_imported_from_each_format_builds_with_every_citation_linked_both_ways(shape, kind, tmp_path):
    write, suffix = WRITERS[kind]
    source = write(SHAPES[shape], tmp_path / f"{shape}.{suffix}")
    assert import_report(source, tmp_path / "content").missing == []
    linked, one_way = citations_both_ways(tmp_path / "content")
    assert one_way == []
    assert linked == SHAPE_CITATIONS[shape]


def test_a_citation_of_another_report_is_shown_as_printed_without_links(tmp_path):
    """'(Paragraphs 21–23 of our last report)' reads like a citation but names no paragraph of this report:
    the import escapes its bracket, so that the site shows it as printed instead of refusing it."""
    source = write_text(SHAPES["separate"], tmp_path / "separate.txt")
    assert import_report(source, tmp_path / "content").missing == []
    files = build_files(Sources(content=tmp_path / "content"), formats=("html",)).files
    page = parse_html(files["conclusions-and-recommendations.html"].decode("utf-8"))
    recommendation = page.by_id("recommendation-4")
    assert "We will return to this subject next year (Paragraphs 21–23 of our last report)." in recommendation.text()
    assert recommendation.find_all("a", "rs-citation") == []
