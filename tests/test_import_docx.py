"""Importing Word documents made by python-docx: heading styles, tables, superscript notes, Word's own numbering."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

from reportsite.importer import import_report
from tests.importsources import SHAPES, expected_parts, found_parts, imported_parts, markdown_problems, write_docx


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word")
    content = {}
    for name, shape in SHAPES.items():
        source = write_docx(shape, folder / f"{name}.docx", word_numbering=name == "separate")
        content[name] = folder / name
        assert import_report(source, content[name]).missing == []
    return content


@pytest.mark.parametrize("shape", SHAPES)
def test_each_report_shape_imports_from_word_with_its_parts_paragraphs_and_recommendations(shape, imported):
    assert found_parts(imported[shape]) == expected_parts(SHAPES[shape])
    report = yaml.safe_load((imported[shape] / "report.yaml").read_text())
    assert report["title"] == SHAPES[shape].title  # from the Title style
    assert report.get("numbering", "sequence") == SHAPES[shape].numbering


@pytest.mark.parametrize("shape", SHAPES)
def test_what_the_import_writes_from_word_passes_the_sites_markdown_checks(shape, imported):
    assert markdown_problems(imported[shape]) == []


def test_numbers_word_prints_for_a_numbered_list_are_the_paragraph_numbers(imported, tmp_path):
    source = write_docx(SHAPES["separate"], tmp_path / "separate.docx", word_numbering=True)
    recommendations = [p for p in docx.Document(str(source)).paragraphs if p.style.name == "List Number"]
    assert len(recommendations) == 4 and not recommendations[0].text[:1].isdigit()  # Word prints the numbers
    part = imported_parts(imported["separate"])[-1]
    assert part.front == {"title": "Conclusions and recommendations", "recommendations": "separate"}
    assert part.paragraphs[1] == ("2", "The Department should report on waiting times every quarter (Paragraphs 6–8).")


def test_superscript_note_numbers_and_their_notes_become_markdown_footnotes(imported):
    parts = {part.front["title"]: part for part in imported_parts(imported["one-sequence"])}
    assert "Services for children require improvement to be good[^1]." in parts["Summary"].body
    assert parts["Summary"].notes == {"1": "Judgements are made on a four-point scale."}
    assert parts["Inspection findings"].notes == {"2": "The team's records were sampled on two days."}


def test_a_word_table_becomes_a_markdown_table(imported):
    summary = imported_parts(imported["one-sequence"])[0]
    assert ("| Judgement | Grade |\n|---|---|\n| Children who need help | Requires improvement |\n"
            "| Leadership and management | Good |") in summary.body


def test_the_running_header_is_left_out_and_said(imported):
    left_out = yaml.safe_load((imported["chapter"] / "import-report.yaml").read_text())["left_out"]
    assert left_out == [{"where": "chapter.docx section 1 header, paragraph 1",
                         "text": "Invented Audit Office – Managing the Invented Programme",
                         "why": "running header: page furniture"}]


def test_word_footnotes_are_imported_as_footnotes(tmp_path):
    """A real Word footnote (w:footnoteReference), numbered in the order the text refers to it."""
    source = tmp_path / "notes.docx"
    document = docx.Document()
    document.add_heading("A report with Word footnotes", 0)
    document.add_heading("Findings", 1)
    paragraph = document.add_paragraph("1. Waiting times fell by a third")
    _add_footnote(document, paragraph, "Figures for the year to March.")
    paragraph.add_run(" across the region.")
    document.save(source)
    import_report(source, tmp_path / "content")
    part, = imported_parts(tmp_path / "content")
    assert "1. Waiting times fell by a third[^1] across the region." in part.body
    assert part.notes == {"1": "Figures for the year to March."}


def _add_footnote(document, paragraph, text: str) -> None:
    """Word's footnote: a footnotes part holding the note, and a reference run in the paragraph."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    xml = (f'<w:footnotes {nsdecls("w")}><w:footnote w:id="7"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
           "</w:footnote></w:footnotes>").encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", xml, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="7"/></w:r>'))


def test_a_style_of_the_organisations_own_is_a_heading_by_its_outline_level(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    style = document.styles.add_style("Council Chapter", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_heading("An invented report", 0)
    for chapter, numbers in (("Background", (1, 2)), ("Findings", (3, 4))):
        document.add_paragraph(chapter, style="Council Chapter")
        for number in numbers:
            document.add_paragraph(f"{number}. Paragraph {number} of the invented report.")
    document.save(tmp_path / "styled.docx")
    import_report(tmp_path / "styled.docx", tmp_path / "content")
    assert [(p.front["title"], [n for n, _ in p.paragraphs]) for p in imported_parts(tmp_path / "content")] == [
        ("Background", ["1", "2"]), ("Findings", ["3", "4"])]
