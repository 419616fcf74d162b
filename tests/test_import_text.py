"""Importing the Brent source text: the same paragraphs, citations and footnotes as content/, nothing lost."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from build import main
from reportsite.importer import import_report
from tests.importsources import imported_parts, markdown_problems
from tests.seedtext import SEED, numbered_paragraphs

ROOT = Path(__file__).resolve().parent.parent
CITATION = re.compile(r"\((?:paragraphs?|paras?)\s[^)]*\)", re.IGNORECASE)


@pytest.fixture(scope="module")
def brent(tmp_path_factory) -> Path:
    """The Brent source text, imported once."""
    content = tmp_path_factory.mktemp("brent") / "content"
    result = import_report(SEED, content)
    assert result.missing == []
    return content


def content_paragraphs(content_dir: Path) -> dict[int, str]:
    return {int(number): text for part in imported_parts(content_dir) for number, text in part.paragraphs}


def test_the_source_text_imports_to_the_129_numbered_paragraphs_of_content_as_printed(brent):
    imported = content_paragraphs(brent)
    assert list(imported) == list(range(1, 130))
    assert imported == numbered_paragraphs()
    assert imported == content_paragraphs(ROOT / "content")


def test_the_source_text_imports_to_the_24_citations_of_content(brent):
    def citations(content_dir: Path) -> list[tuple[int, int]]:
        """(citing paragraph, cited paragraph) for each number in each citation, as the site links them."""
        return [(int(number), int(cited)) for number, text in content_paragraphs(content_dir).items()
                for citation in CITATION.findall(text) for cited in re.findall(r"\d+", citation)]

    found = citations(brent)
    assert len(found) == 24
    assert found == citations(ROOT / "content")
    assert "(paragraphs 45,100)" in content_paragraphs(brent)[9]


def test_both_recommendation_parts_are_numbered_in_the_reports_one_sequence(brent):
    recommendations = [(p.front["title"], [n for n, _ in p.paragraphs]) for p in imported_parts(brent)
                        if p.front.get("recommendations")]
    assert recommendations == [("Recommendations", [str(n) for n in range(1, 12)]),
                               ("Recommendations", [str(n) for n in range(108, 114)])]
    assert all(p.front["recommendations"] is True for p in imported_parts(brent) if "recommendations" in p.front)


def test_parts_come_from_the_headings_the_contents_list_names(brent):
    titles = [p.front["title"] for p in imported_parts(brent)]
    assert titles[1:] == ["Executive summary", "The local authority", "Recommendations",
                          "Summary for children and young people",
                          "The experiences and progress of children who need help and protection",
                          "The experiences and progress of children looked after and achieving permanence",
                          "Leadership, management and governance", "The Local Safeguarding Children Board (LSCB)",
                          "Executive summary", "Recommendations", "Inspection findings – the Local Safeguarding Children Board",
                          "Information about this inspection"]
    assert yaml.safe_load((brent / "report.yaml").read_text()) == {
        "title": "Corporate Parenting Committee – background paper: Ofsted report"}
    assert [p.file for p in imported_parts(brent)][:3] == [
        "01-corporate-parenting-committee-background-paper-ofsted.md", "02-executive-summary.md", "03-the-local-authority.md"]


def test_footnote_markers_become_markdown_footnotes_in_the_part_that_refers_to_them(brent):
    parts = {p.front["title"]: p for p in imported_parts(brent)}
    assert "Review of the effectiveness of the Local Safeguarding Children Board[^1]" in parts[
        "Corporate Parenting Committee – background paper: Ofsted report"].body
    assert parts["Corporate Parenting Committee – background paper: Ofsted report"].notes["1"].startswith(
        "Ofsted produces this report under its power")
    local_authority = parts["The local authority"]
    assert "## Information about this local authority area[^2]" in local_authority.body
    assert "five live in residential special schools,[^3] all of whom" in local_authority.body
    assert list(local_authority.notes) == ["2", "3"]
    assert local_authority.notes["3"] == "These are residential special schools that look after children for 295 days or less per year."
    assert "¹" not in "".join(p.body for p in parts.values())


def test_paragraphs_cut_by_page_breaks_are_joined_and_the_import_report_says_where(brent):
    changes = yaml.safe_load((brent / "import-report.yaml").read_text())["changes"]
    joined = [c for c in changes if "page break" in c["what"]]
    assert len(joined) == 16
    assert joined[0] == {"where": "ofsted-brent-2015.txt, line 95",
                         "what": "joined to the paragraph before it, at ofsted-brent-2015.txt, line 93, which a page break had cut"}
    assert content_paragraphs(brent)[18].endswith("there remains some variation in the quality and use of the information gathered.")


def test_the_contents_list_and_markup_are_left_out_and_said_with_their_lines(brent):
    left_out = yaml.safe_load((brent / "import-report.yaml").read_text())["left_out"]
    contents = [item for item in left_out if item["why"].startswith("contents list")]
    assert [item["where"] for item in contents] == [f"ofsted-brent-2015.txt, line {n}" for n in [109] + list(range(111, 124))]
    assert {"where": "ofsted-brent-2015.txt, line 338", "text": "--", "why": "the underline of the heading above it"} in left_out
    parts = imported_parts(brent)
    assert any("## The graded judgement for adoption performance is that it is good" in p.body for p in parts)


def test_the_words_render_as_printed(brent):
    """Markdown's special characters are escaped: '*raising concerns…*' and 'A* to C' show their asterisks."""
    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    parts = imported_parts(brent)
    information = next(p for p in parts if p.front["title"] == "Information about this inspection")
    rendered = md.render(information.body)
    assert "<em>" not in rendered and "*raising concerns and making complaints about Ofsted*" in rendered
    for part in parts:
        html = md.render(part.body)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&quot;", '"').replace("&amp;", "&") \
            .replace("&lt;", "<").replace("&gt;", ">")
        for number, words in part.paragraphs:
            assert words in text, (part.file, number)


def test_verify_passes_when_every_word_is_in_the_content_or_the_import_report(brent, capsys):
    assert main(["import", str(SEED), "--content", str(brent), "--verify"]) == 0
    assert "Every word of ofsted-brent-2015.txt is in" in capsys.readouterr().out


def test_verify_names_the_source_line_whose_words_were_lost(brent, tmp_path, capsys):
    edited = tmp_path / "content"
    shutil.copytree(brent, edited)
    part = next(p for p in sorted((edited / "parts").glob("*.md")) if "\n45. " in p.read_text())
    text = part.read_text()
    part.write_text(re.sub(r"\n45\. [^\n]*\n", "\n", text))
    assert main(["import", str(SEED), "--content", str(edited), "--verify"]) == 1
    err = capsys.readouterr().err
    lost = [line for line in err.splitlines() if "neither in the content" in line]
    assert len(lost) == 1 and lost[0].startswith("ofsted-brent-2015.txt, line 305: '45', 'since', 'the', 'time', ")
    assert err.strip().endswith("list them in import-report.yaml with why they were left out.")


def test_an_import_writes_the_same_files_every_time(brent, tmp_path):
    again = tmp_path / "again"
    import_report(SEED, again)
    for path in sorted(brent.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(brent)).read_bytes() == path.read_bytes()


def test_running_headers_and_page_numbers_of_text_with_page_breaks_are_left_out(tmp_path):
    """Text copied page by page (form feeds between pages): the header and number on each page are furniture."""
    pages = []
    for page, (first, second) in enumerate([("red", "blue"), ("green", "amber"), ("white", "black")], start=1):
        pages.append(f"Invented Council – annual review\n\n{page * 2 - 1}. The {first} paragraph says what was "
                     f"found.\n\n{page * 2}. The {second} paragraph is cut by the page break and\n\nPage {page} of 3\n")
    pages[0] = pages[0].replace("review\n\n", "review\n\nAnnual review of invented services\n\nFindings\n\n", 1)
    text = "\f".join(pages).replace(
        "and\n\nPage 1 of 3\n\fInvented Council – annual review\n\n3.", "and\n\nPage 1 of 3\n\fInvented Council – annual review\n\n"
        "goes on here on the next page.\n\n3.")
    source = tmp_path / "review.txt"
    source.write_text(text)
    result = import_report(source, tmp_path / "content")
    assert result.missing == []
    left_out = yaml.safe_load((tmp_path / "content" / "import-report.yaml").read_text())["left_out"]
    assert [(item["where"], item["text"]) for item in left_out] == [
        ("review.txt, page 1, line 1", "Invented Council – annual review"), ("review.txt, page 1, line 11", "Page 1 of 3"),
        ("review.txt, page 2, line 12", "Invented Council – annual review"), ("review.txt, page 2, line 20", "Page 2 of 3"),
        ("review.txt, page 3, line 21", "Invented Council – annual review"), ("review.txt, page 3, line 27", "Page 3 of 3")]
    part, = imported_parts(tmp_path / "content")
    assert part.front == {"title": "Findings"}
    assert [number for number, _ in part.paragraphs] == ["1", "2", "3", "4", "5", "6"]
    assert part.paragraphs[1][1] == "The blue paragraph is cut by the page break and goes on here on the next page."


def test_the_import_report_names_each_file_it_wrote_with_its_hash(brent):
    """So that a later import can tell the files it wrote, unchanged, from an editor's."""
    import hashlib

    wrote = yaml.safe_load((brent / "import-report.yaml").read_text())["wrote"]
    files = sorted(p.relative_to(brent).as_posix() for p in brent.rglob("*") if p.is_file() and p.name != "import-report.yaml")
    assert sorted(wrote) == files
    assert all(hashlib.sha256((brent / name).read_bytes()).hexdigest() == digest for name, digest in wrote.items())


def test_what_the_import_writes_passes_the_sites_markdown_checks(brent):
    assert markdown_problems(brent) == []


def test_notes_numbered_again_on_each_page_each_keep_their_own_note(tmp_path):
    """Two notes printed ¹ in one part (numbered from 1 on every page): the second marker refers to the second note."""
    source = tmp_path / "notes.txt"
    source.write_text("An invented report\n\nFindings\n\n1. Waiting times fell¹ across the region.\n\n"
                      "¹ Figures for the year to March.\n\n2. Staffing rose¹ in every team.\n\n"
                      "¹ Figures from the workforce survey.\n\n³ A note that nothing refers to.\n")
    assert import_report(source, tmp_path / "content").missing == []
    part, = imported_parts(tmp_path / "content")
    assert "1. Waiting times fell[^1] across the region." in part.body
    assert "2. Staffing rose[^1-2] in every team." in part.body
    assert part.notes == {"1": "Figures for the year to March.", "1-2": "Figures from the workforce survey."}
    assert "³ A note that nothing refers to." in part.body  # kept where it was printed
    assert markdown_problems(tmp_path / "content") == []
