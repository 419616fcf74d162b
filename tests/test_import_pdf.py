"""Importing PDFs: reports in each shape printed by WeasyPrint, and the site's own large print PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
import yaml

from build import main
from reportsite.importer import import_report, read_source
from tests.importsources import SHAPES, expected_parts, found_parts, imported_parts, markdown_problems, write_pdf
from tests.seedtext import numbered_paragraphs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Each report shape printed once as a PDF, with running headers, page numbers and footnotes."""
    folder = tmp_path_factory.mktemp("pdfs")
    return {name: write_pdf(shape, folder / f"{name}.pdf") for name, shape in SHAPES.items()}


@pytest.fixture(scope="session")
def imported(pdfs, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("imported-pdfs")
    content = {}
    for name, pdf in pdfs.items():
        content[name] = folder / name
        assert import_report(pdf, content[name]).missing == []
    return content


@pytest.mark.parametrize("shape", SHAPES)
def test_each_report_shape_imports_its_parts_numbered_paragraphs_and_recommendations(shape, imported):
    assert found_parts(imported[shape]) == expected_parts(SHAPES[shape])
    report = yaml.safe_load((imported[shape] / "report.yaml").read_text())
    assert report["title"] == SHAPES[shape].title
    assert report.get("numbering", "sequence") == SHAPES[shape].numbering


def test_running_headers_and_page_numbers_are_left_out_with_page_and_line(imported):
    left_out = yaml.safe_load((imported["one-sequence"] / "import-report.yaml").read_text())["left_out"]
    headers = [item for item in left_out if item["text"] == "Invented Council – inspection report"]
    numbers = [item for item in left_out if item["why"] == "page number"]
    assert [item["why"] for item in headers] == ["running header or footer (on 4 of 4 pages)"] * 4
    assert [item["text"] for item in numbers] == [f"Page {n} of 4" for n in range(1, 5)]
    assert re.fullmatch(r"one-sequence\.pdf, page 2, line \d+", numbers[1]["where"])
    body = "".join(part.body for part in imported_parts(imported["one-sequence"]))
    assert "Invented Council" not in body and "Page 2 of 4" not in body


def test_footnotes_at_the_foot_of_the_page_become_markdown_footnotes(imported):
    parts = {part.front["title"]: part for part in imported_parts(imported["one-sequence"])}
    assert "Services for children require improvement to be good[^1]." in parts["Summary"].body
    assert parts["Summary"].notes == {"1": "Judgements are made on a four-point scale."}
    assert "extraordinarily detailed record[^2]." in parts["Inspection findings"].body
    assert parts["Inspection findings"].notes == {"2": "The team's records were sampled on two days."}


@pytest.mark.parametrize("shape", SHAPES)
def test_what_the_import_writes_passes_the_sites_markdown_checks(shape, imported):
    assert markdown_problems(imported[shape]) == []


def test_a_table_the_layout_shows_becomes_a_markdown_table(imported):
    summary = imported_parts(imported["one-sequence"])[0]
    assert ("| Judgement | Grade |\n|---|---|\n| Children who need help | Requires improvement |\n"
            "| Leadership and management | Good |") in summary.body


def test_a_word_hyphenated_at_a_line_end_is_rejoined_and_a_real_hyphen_kept(pdfs, imported):
    lines = [line.text for line in read_source(pdfs["one-sequence"]).lines]
    assert any(text.endswith("well-") for text in lines)  # printed broken at its own hyphen
    assert any(text.endswith("\u2010") for text in lines)  # and words the typesetter hyphenated
    body = "".join(part.body for part in imported_parts(imported["one-sequence"]))
    assert body.count("well-joined") == 2 and "Reports are well-joined today." in body
    assert "extraordinarily" in body and "\u2010" not in body
    changes = yaml.safe_load((imported["one-sequence"] / "import-report.yaml").read_text())["changes"]
    assert any("(a word the line break had hyphenated)" in change["what"] for change in changes)


def test_a_paragraph_cut_by_a_page_break_is_joined(pdfs, imported):
    changes = yaml.safe_load((imported["one-sequence"] / "import-report.yaml").read_text())["changes"]
    joined = [change for change in changes if "which a page break had cut" in change["what"]]
    assert joined and all(re.match(r"one-sequence\.pdf, page \d+, line \d+$", change["where"]) for change in joined)
    paragraphs = dict(p for part in imported_parts(imported["one-sequence"]) for p in part.paragraphs)
    assert paragraphs["10"] == SHAPES["one-sequence"].numbered()["10"]


def test_the_sites_own_large_print_pdf_imports_back_to_the_same_paragraphs(report_site, tmp_path, capsys):
    """The site adds words of its own beside the report's (abbreviations explained in brackets, 'Cited in …'):
    with those taken away, every paragraph is the source's. A long PDF says how far the import has got."""
    pdf, = (report_site / "downloads").glob("*.pdf")
    assert main(["import", str(pdf), "--content", str(tmp_path / "content")]) == 0
    said = capsys.readouterr()
    pages = len(pypdfium2.PdfDocument(pdf))
    assert pages > 90 and f"Reading page 26 of {pages}\nReading page 51 of {pages}\nReading page 76 of {pages}\n" in said.err
    assert said.out.startswith(f"Imported {pdf.name} into {tmp_path / 'content'}: 15 parts, 129 numbered paragraphs;")
    expansions = yaml.safe_load((ROOT / "content" / "abbreviations.yaml").read_text())
    found = {}
    for part in imported_parts(tmp_path / "content"):
        for number, text in part.paragraphs:
            for entry in expansions:
                text = re.sub(rf"\b({re.escape(entry['abbreviation'])}s?) \({re.escape(entry['expansion'])}\)", r"\1", text)
            found[int(number)] = text
    assert found == numbered_paragraphs()
    recommendations = [p.front for p in imported_parts(tmp_path / "content") if p.front.get("recommendations")]
    assert [front["recommendations"] for front in recommendations] == [True, True]
