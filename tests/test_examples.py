"""The example reports in examples/ and the report `build.py new` writes: each builds in every format,
passes `check`, links every citation both ways (every paragraph of a range included) and holds no word of
another report. `new` writes a report whose notes to the editor are never published, and refuses a
folder that is not empty."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

import build as build_py
from reportsite.build import Sources, build_files
from reportsite.pages import KINDS
from reportsite.scaffold import STARTER, starter_files
from tests.sitetext import parse_html
from tests.test_any_report import EXAMPLES  # the examples, and the starter report: what `new` writes, byte for byte


# -- build.py new --------------------------------------------------------------------------------------


def test_new_writes_the_starter_report_and_says_what_to_run_next(tmp_path, capsys):
    folder = tmp_path / "my report"
    assert build_py.main(["new", str(folder)]) == 0
    out = capsys.readouterr().out
    assert sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file()) == starter_files()
    for name in starter_files():
        assert (folder / name).read_bytes() == (STARTER / name).read_bytes()
    assert f"python build.py --content '{folder}' check" in out
    assert f"python build.py --content '{folder}' serve" in out
    assert build_py.main(["--content", str(folder), "check"]) == 0


def test_new_takes_a_relative_folder_in_new_parents_or_from_content(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert build_py.main(["new", "reports/ferries"]) == 0
    assert "python build.py --content reports/ferries serve" in capsys.readouterr().out
    assert (tmp_path / "reports/ferries/report.yaml").is_file()
    (tmp_path / "empty").mkdir()
    assert build_py.main(["new", "--content", "empty"]) == 0
    assert (tmp_path / "empty/parts/01-introduction.md").is_file()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == [], "no staging folder left"


@pytest.mark.parametrize("existing", ["folder", "file"])
def test_new_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path, capsys, existing):
    target = tmp_path / "report"
    if existing == "folder":
        target.mkdir()
        (target / "notes.md").write_text("my work", encoding="utf-8")
    else:
        target.write_text("my work", encoding="utf-8")
    before = sorted((str(path), path.read_bytes() if path.is_file() else b"") for path in tmp_path.rglob("*"))
    assert build_py.main(["new", str(target)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"{target}: the folder is not empty."), captured.err
    assert sorted((str(path), path.read_bytes() if path.is_file() else b"") for path in tmp_path.rglob("*")) == before


def comment_lines(path: Path) -> list[str]:
    """The notes to the editor in a starter file: YAML comments, in report.yaml or a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("\n---\n", 1)[0]
    return [line.lstrip("# ").strip() for line in text.split("\n") if line.startswith("#") and line.strip("# ")]


@pytest.mark.parametrize("name", [str(name) for name in starter_files()])
def test_every_file_new_writes_says_what_to_change(name):
    notes = " ".join(comment_lines(STARTER / name))
    assert re.search(r"\b(?:[Cc]hange|[Rr]ename|[Dd]elete|[Rr]emove|[Aa]dd)\b", notes), notes


# -- every example, and the report `new` writes ---------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[object, dict[str, object]]]:
    """Each report's resolved site and its pages, parsed: each built once."""
    found = {}
    for name, content in EXAMPLES.items():
        result = build_files(Sources(content=content), formats=("html",))
        found[name] = (result.site, {path: parse_html(data.decode("utf-8")) for path, data in result.files.items()
                                     if path.endswith(".html")})
    return found


def href(from_page: str, to_page: str, anchor: str | None) -> str:
    """The link from one page to a page, or to an anchor of it, as the site writes it."""
    if anchor is None:
        return to_page
    return f"#{anchor}" if from_page == to_page else f"{to_page}#{anchor}"


@pytest.mark.parametrize("report", EXAMPLES)
def test_every_citation_links_to_its_paragraph_and_back_ranges_included(pages, report):
    site, parsed = pages[report]
    assert len(site.citations) >= 9
    url_of = {paragraph.anchor: paragraph.page.url for paragraph in site.paragraphs.values()}
    missing = []
    for citation in site.citations:
        source_page, target_page = citation.page.url, url_of[citation.target]
        if citation.written:
            where = parsed[source_page].by_id(citation.source) if citation.source else parsed[source_page]
            forward = [a.attrs["href"] for a in where.find_all("a", "rs-citation")]
            if href(source_page, target_page, citation.target) not in forward:
                missing.append(f"{source_page}: no link to {citation.target}")
        backlinks = parsed[target_page].by_id(citation.target).find_all("p", "rs-paragraph__backlinks")
        back = [a.attrs["href"] for p in backlinks for a in p.find_all("a")]
        if href(target_page, source_page, citation.source) not in back:
            missing.append(f"{target_page}#{citation.target}: no link back to {source_page}#{citation.source}")
    assert missing == []
    inside_ranges = [citation for citation in site.citations if not citation.written]
    assert inside_ranges, "each report cites at least one range with a paragraph inside it"


@pytest.mark.parametrize("report", EXAMPLES)
def test_every_citation_link_lands_on_a_paragraph(pages, report):
    site, parsed = pages[report]
    ids = {path: {element.attrs["id"] for element in page.iter() if "id" in getattr(element, "attrs", {})}
           for path, page in parsed.items()}
    dead = [(path, a.attrs["href"]) for path, page in parsed.items() for a in page.find_all("a", "rs-citation")
            if (lambda target: target[1] not in ids.get(target[0] or path, set()))(a.attrs["href"].split("#", 1))]
    assert dead == []


@pytest.mark.parametrize("report", EXAMPLES)
def test_check_passes_on_every_example(report, capsys):
    assert build_py.main(["--content", str(EXAMPLES[report]), "check"]) == 0
    assert capsys.readouterr().out.startswith("The content is valid:")


def backlinks_text(parsed, page: str, anchor: str) -> str:
    return parsed[page].by_id(anchor).find_all("p", "rs-paragraph__backlinks")[0].text()


def test_a_committees_recommendations_cite_paragraphs_in_capitals_and_ranges(pages):
    _, parsed = pages["select-committee"]
    recommendations = parsed["conclusions-and-recommendations.html"]
    assert "(Paragraphs 21–23)" in recommendations.by_id("recommendation-5").text()
    assert [a.attrs["href"] for a in recommendations.by_id("recommendation-4").find_all("a", "rs-citation")] == [
        "fares-and-timetables.html#paragraph-18"]
    for number in (21, 22, 23):
        assert "Recommendation 5" in backlinks_text(parsed, "fares-and-timetables.html", f"paragraph-{number}")
    for number in (13, 14, 15, 16):
        backlinks = parsed["the-fleet.html"].by_id(f"paragraph-{number}").find_all("p", "rs-paragraph__backlinks")[0]
        assert "conclusions-and-recommendations.html#recommendation-2" in [a.attrs["href"] for a in backlinks.find_all("a")]


def test_an_audit_reports_paragraphs_are_numbered_and_cited_by_chapter(pages):
    _, parsed = pages["audit-report"]
    part_two = parsed["part-two.html"]
    assert part_two.by_id("paragraph-2.14") is not None
    assert backlinks_text(parsed, "part-two.html", "paragraph-2.14").startswith("Cited in")
    assert "Recommendation 4" in backlinks_text(parsed, "part-two.html", "paragraph-2.14")
    assert "Paragraph 3.3: " in backlinks_text(parsed, "part-two.html", "paragraph-2.3"), "inside (paras 2.2–2.4)"
    assert "Recommendation 1" in backlinks_text(parsed, "part-one.html", "paragraph-1.4"), "inside (paragraphs 1.3 to 1.5)"
    summary = parsed["summary.html"]
    assert [a.attrs["href"] for a in summary.find_all("a", "rs-citation")][:3] == [
        "part-one.html#paragraph-1.3", "part-one.html#paragraph-1.5", "part-two.html#paragraph-2.14"]


@pytest.mark.parametrize("report", ["select-committee", "audit-report"])
def test_an_example_says_it_is_invented_on_its_front_page_and_about_page(pages, report):
    site, parsed = pages[report]
    about = next(page.url for page in site.pages if page.kind == "about")
    for path in ("index.html", about):
        assert "This example report is invented" in parsed[path].find_all("main")[0].text(), path


@pytest.mark.parametrize("report", ["select-committee", "audit-report"])
def test_an_example_has_footnotes_blocks_and_a_glossary(pages, report):
    site, parsed = pages[report]
    kinds = {page.kind for page in site.pages}
    assert "glossary" in kinds
    assert len([page for page in site.pages if page.kind == KINDS["part"].name]) >= 5
    one_page = parsed["large-print.html"]
    assert len(one_page.find_all("div", "rs-footnote")) >= 2
    assert len(one_page.find_all("sup", "rs-footnote-ref")) == len(one_page.find_all("div", "rs-footnote"))
    assert one_page.find_all("table", "rs-table") and one_page.find_all("dl"), "a table and a list of facts"


# -- every format ------------------------------------------------------------------------------------


@pytest.mark.parametrize("report", EXAMPLES)
def test_every_format_builds_from_the_reports_own_content(report):
    result = build_files(Sources(content=EXAMPLES[report]), formats=("html", "pdf", "epub", "braille", "text"))
    assert [str(skipped) for skipped in result.skipped] == []
    name = result.site.report.meta.file_name
    files = result.files
    assert sorted(path for path in files if path.startswith("downloads/")) == [
        f"downloads/{name}-braille.brf", f"downloads/{name}-large-print.pdf", f"downloads/{name}.epub",
        f"downloads/{name}.txt"]
    text = files[f"downloads/{name}.txt"].decode("utf-8")
    assert text.split("\n")[0] == result.site.report.meta.full_title
    from pypdf import PdfReader
    assert PdfReader(io.BytesIO(files[f"downloads/{name}-large-print.pdf"])).metadata.title.startswith(
        result.site.report.meta.site_name)
    with zipfile.ZipFile(io.BytesIO(files[f"downloads/{name}.epub"])) as book:
        documents = [book.read(member).decode("utf-8") for member in book.namelist() if member.endswith((".xhtml", ".opf"))]
    for document in documents:
        ElementTree.fromstring(document)  # well-formed (EPUBCheck itself runs on the small report: tests/formats)
    book_text = "\n".join(documents)
    assert f"<dc:title>{result.site.report.meta.full_title}</dc:title>" in book_text
    braille = files[f"downloads/{name}-braille.brf"].decode("ascii")
    assert braille.count("\f") >= 1
    published = [text, book_text] + [data.decode("utf-8") for path, data in files.items() if path.endswith(".html")]
    notes = [note for path in EXAMPLES[report].rglob("*") if path.suffix in (".md", ".yaml") for note in comment_lines(path)]
    leaked = [note for note in notes if len(note) > 12 and any(note in output for output in published)]
    assert leaked == [], "a note to the editor is published"
