"""The plain text edition holds the whole report, in reading order, with its numbers and citations as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.formats import FormatContext, source_date, text
from tests.seedtext import numbered_paragraphs

PARAGRAPHS = numbered_paragraphs()


def make_text(content: Path) -> tuple[bytes, object]:
    """The text file made from the report in `content`, and the resolved site."""
    site = resolve(load_report(content))
    context = FormatContext(Sources().templates, site.report.meta.web_address, source_date(site))
    return text.make(text.source(site, context), context), site


@pytest.fixture(scope="module")
def report_text() -> tuple[bytes, object]:
    return make_text(Sources().content)


@pytest.fixture(scope="module")
def lines(report_text) -> list[str]:
    return report_text[0].decode("utf-8").split("\n")


def test_the_text_is_utf8_with_lf_line_ends_and_one_final_newline(report_text):
    data = report_text[0]
    decoded = data.decode("utf-8")  # raises if it is not UTF-8
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert decoded.endswith("\n") and not decoded.endswith("\n\n")
    assert "’" in decoded and "–" in decoded  # the report's own characters, kept


def test_the_title_block_names_the_report_its_source_and_the_web_address(report_text, lines):
    site = report_text[1]
    meta = site.report.meta
    head = "\n".join(lines[:8])
    assert lines[0] == meta.full_title
    assert set(lines[1]) == {"="}
    assert f"Date of publication: {meta.published.text}" in head
    assert meta.publisher in head and meta.printed_in in head
    assert site.report.meta.web_address in head


@pytest.mark.parametrize("number", sorted(PARAGRAPHS))
def test_every_numbered_paragraph_is_one_line_starting_with_its_number(number, lines):
    expected = f"{number}. {PARAGRAPHS[number]}"
    assert expected in lines


def test_numbered_paragraphs_come_in_the_report_order(lines):
    positions = [lines.index(f"{number}. {PARAGRAPHS[number]}") for number in sorted(PARAGRAPHS)]
    assert positions == sorted(positions)


def test_citations_are_kept_as_written(lines):
    recommendation = next(line for line in lines if line.startswith("1. Improve performance management"))
    assert recommendation.endswith("(paragraphs 102, 103).")
    assert any(line.startswith("2. ") and line.endswith("(paragraph 93).") for line in lines)


def test_parts_come_in_reading_order_each_heading_underlined(report_text, lines):
    site = report_text[1]
    positions = []
    for part in site.report.parts:
        index = lines.index(part.heading)
        assert set(lines[index + 1]) == {"="}, part.heading
        positions.append(index)
    assert positions == sorted(positions)
    assert lines.index("Glossary of abbreviations") > positions[-1]


def test_headings_within_a_part_are_underlined_with_dashes(lines):
    index = lines.index("Summary")
    assert lines[index + 1] == "-------"


def test_lists_have_bullets_and_their_sublists_are_indented(lines):
    assert "• The chair of the LSCB has been in post since June 2015." in lines
    assert "    ◦ in primary schools is 16% (the national average is 16%)" in lines


def test_the_judgements_table_is_readable_lines(lines):
    assert "1. Children who need help and protection: Requires improvement" in lines
    assert "2.1 Adoption performance: Good" in lines


def test_footnotes_follow_their_part_with_the_printed_superscript(lines):
    title = next(index for index, line in enumerate(lines) if line.endswith("Local Safeguarding Children Board¹"))
    note = next(index for index, line in enumerate(lines) if line.startswith("¹ Ofsted produces this report"))
    executive_summary = lines.index("Executive summary")
    assert title < note < executive_summary
    reference = next(index for index, line in enumerate(lines) if "residential special schools,³ all of whom" in line)
    note = next(index for index, line in enumerate(lines) if line.startswith("³ These are residential special schools"))
    assert reference < note < lines.index("Recommendations")


def test_emphasis_marks_are_removed_and_the_inspection_team_is_there(lines):
    complaints = next(line for line in lines if line.startswith("Any complaints about the inspection"))
    assert "guidance raising concerns and making complaints about Ofsted, which" in complaints
    assert "*" not in complaints
    assert "Lead inspector: Dominic Stevens" in lines
    assert "E: enquiries@ofsted.gov.uk" in lines


def test_two_makes_give_identical_bytes(report_text):
    assert make_text(Sources().content)[0] == report_text[0]


def test_the_small_report_keeps_its_numbers_and_citations(small_report):
    data, site = make_text(small_report)
    lines = data.decode("utf-8").split("\n")
    assert "1. Improve early help (paragraphs 3, 5)." in lines
    assert "5. Plans are clear." in lines
    assert site.report.meta.web_address in data.decode("utf-8")


def test_plain_text_needs_no_tool():
    assert text.missing_tool() is None
