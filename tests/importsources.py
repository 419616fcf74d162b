"""Small reports in each shape, written by the tests as PDF (WeasyPrint), Word (python-docx) and text.

Every report here is invented for the tests; its words are made up and said to be. Each paragraph's
number and words are known, so that what the importer finds can be compared with what was printed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

INVENTED = "This report is invented for the tests of the importer; no word of it is true."
NOTE = re.compile(r"\{note:([^}]*)\}")
SENTENCES = [
    "Managers review the quality of casework every month and share what they find with staff.",
    "Most families are seen within the timescales agreed with partner agencies across the borough.",
    "The service has recruited experienced practitioners and reduced its reliance on agency staff.",
    "Young people told inspectors that they know who to contact when they need help or advice.",
    "Plans are clear about what needs to change, although a minority lack measurable actions.",
    "Partners attend strategy meetings consistently and contribute information promptly.",
    "Leaders understand the strengths and weaknesses of the service and act on what they learn.",
]


@dataclass
class Item:
    kind: str  # "numbered", "prose", "table"
    text: str = ""
    number: str = ""
    rows: list[list[str]] = field(default_factory=list)

    @property
    def words(self) -> str:
        """The text as printed, footnote markers aside."""
        return NOTE.sub("", self.text)


@dataclass
class Shape:
    name: str
    title: str
    parts: list[tuple[str, list[Item]]]
    recommendations: dict[str, str]  # part title -> "true" or "separate"
    numbering: str = "sequence"
    header: str = "Invented Council – inspection report"

    def numbered(self) -> dict[str, str]:
        """Printed number -> words, of every numbered paragraph outside the recommendations."""
        return {i.number: i.words for _, items in self.parts for i in items if i.kind == "numbered"}

    def paragraphs_in(self, part_title: str) -> list[tuple[str, str]]:
        return [(i.number, i.words) for title, items in self.parts if title == part_title
                for i in items if i.kind == "numbered"]


def _text(seed: int, sentences: int) -> str:
    return " ".join(SENTENCES[(seed + k) % len(SENTENCES)] for k in range(sentences))


def one_sequence() -> Shape:
    """An inspection report: paragraphs numbered once across the report, recommendations among them."""
    findings = [Item("numbered", _text(n, 3 + n % 4), str(n)) for n in range(4, 15)]
    findings[2].text = (findings[2].text + " Some information is not well-joined up, and one team keeps an "
                        "extraordinarily detailed record{note:The team's records were sampled on two days.}.")
    findings[6].text = _text(2, 14)  # long enough to be cut by a page break
    return Shape(
        "one-sequence",
        "Inspection of services for children in Invented Borough",
        [
            ("Summary", [
                Item("prose", INVENTED),
                Item("prose", "Services for children require improvement to be good{note:Judgements are made "
                              "on a four-point scale.}."),
                Item("table", rows=[["Judgement", "Grade"], ["Children who need help", "Requires improvement"],
                                    ["Leadership and management", "Good"]]),
            ]),
            ("Recommendations", [
                Item("numbered", "Improve the quality of plans so that every action has a timescale (paragraphs 5, 6).", "1"),
                Item("numbered", "Make sure that return interviews are offered to every child who goes missing (paragraph 8).", "2"),
                Item("numbered", "Strengthen the oversight of casework by senior managers (paragraphs 4 and 9).", "3"),
            ]),
            ("Inspection findings", findings),
        ],
        {"Recommendations": "true"},
    )


def separate_recommendations() -> Shape:
    """A select committee report: recommendations numbered 1..n on their own, citing 'Paragraphs 6–8'."""
    return Shape(
        "separate",
        "Invented Services: Fourth Report of Session 2025–26",
        [
            ("Introduction", [Item("prose", INVENTED)] + [Item("numbered", _text(n, 3), str(n)) for n in range(1, 6)]),
            ("The evidence we heard", [Item("numbered", _text(n, 4), str(n)) for n in range(6, 13)]),
            ("Conclusions and recommendations", [
                Item("numbered", "The Department should publish its plan within six months (Paragraph 3).", "1"),
                Item("numbered", "The Department should report on waiting times every quarter (Paragraphs 6–8).", "2"),
                Item("numbered", "Funding should follow the evidence of need (Paragraphs 9, 10 and 12).", "3"),
                Item("numbered", "We will return to this subject next year (Paragraphs 21–23 of our last report).", "4"),
            ]),
        ],
        {"Conclusions and recommendations": "separate"},
    )


def chapter_numbering() -> Shape:
    """An audit report: paragraphs numbered by chapter (1.1, 2.14), recommendations citing 'paras 2.8–2.9'."""
    return Shape(
        "chapter",
        "Managing the Invented Programme",
        [
            ("Part One: Introduction", [Item("prose", INVENTED)] + [Item("numbered", _text(n, 3), f"1.{n}") for n in range(1, 5)]),
            ("Part Two: Findings", [Item("numbered", _text(n, 3), f"2.{n}") for n in range(1, 15)]),
            ("Recommendations", [
                Item("numbered", "The Department should set out the programme's costs in full (paras 2.8–2.9).", "1"),
                Item("numbered", "The Department should agree milestones with delivery partners (paragraph 2.14).", "2"),
            ]),
        ],
        {"Recommendations": "separate"},
        numbering="chapter",
        header="Invented Audit Office – Managing the Invented Programme",
    )


SHAPES = {shape.name: shape for shape in (one_sequence(), separate_recommendations(), chapter_numbering())}


# -- PDF ------------------------------------------------------------------------------------------

PDF_STYLE = """
@page { size: A5; margin: 22mm 16mm 20mm;
        @top-center { content: "%(header)s"; font: 8pt "DejaVu Sans" }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans" } }
body { font: 10pt/1.35 "DejaVu Sans"; hyphens: auto }
h1 { font-size: 18pt; font-weight: bold } h2 { font-size: 14pt; font-weight: bold; margin-top: 1.2em }
p { margin: 0 0 0.7em }
.narrow { width: 5em; hyphens: manual }
.fn { float: footnote; font-size: 7pt }
::footnote-call { font-size: 6pt; vertical-align: super }
table { border-collapse: collapse; margin: 0 0 1em } th, td { border: 1px solid black; padding: 3pt 6pt; text-align: left }
"""


def report_html(shape: Shape) -> str:
    body = [f"<h1>{html.escape(shape.title)}</h1>"]
    for title, items in shape.parts:
        body.append(f"<h2>{html.escape(title)}</h2>")
        for item in items:
            if item.kind == "table":
                head, *rows = item.rows
                body.append("<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>"
                            + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
                            + "</table>")
                continue
            pieces = NOTE.split(item.text)  # text, note, text, ...
            text = "".join(html.escape(piece) if index % 2 == 0 else f'<span class="fn">{html.escape(piece)}</span>'
                           for index, piece in enumerate(pieces))
            text = text.replace("extraordinarily", '<span style="hyphens: auto">extra&shy;ordinarily</span>')
            number = f"{item.number}. " if item.number and "." not in item.number else f"{item.number} " if item.number else ""
            if "well-joined" in item.text:
                # print the compound where it must break at its own hyphen, in a narrow paragraph of its own
                body.append(f'<p>{number}{text.replace(" Some information is not well-joined up,", "")}</p>'.replace(
                    "and one team", "Some information is not well-joined up, and one team"))
                continue
            body.append(f"<p>{number}{text}</p>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(shape.title)}</title>'
            f"<style>{PDF_STYLE % {'header': shape.header}}</style></head><body>{''.join(body)}"
            f'<p class="narrow">Reports are well-joined today.</p></body></html>')


def write_pdf(shape: Shape, path: Path) -> Path:
    import weasyprint
    weasyprint.HTML(string=report_html(shape)).write_pdf(path)
    return path


# -- Word -----------------------------------------------------------------------------------------

def write_docx(shape: Shape, path: Path, word_numbering: bool = False) -> Path:
    """The report as Word writes it: Title and Heading 1 styles, a table, superscript note numbers,
    the footnotes typed at the end of each part, and a running header. With `word_numbering`, the
    recommendations are a Word numbered list (Word prints their numbers; the text does not hold them)."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = shape.header
    document.add_heading(shape.title, 0)
    note_number = 0
    for title, items in shape.parts:
        document.add_heading(title, 1)
        notes = []
        for item in items:
            if item.kind == "table":
                table = document.add_table(rows=len(item.rows), cols=len(item.rows[0]))
                table.style = "Table Grid"
                for row, cells in zip(table.rows, item.rows):
                    for cell, text in zip(row.cells, cells):
                        cell.text = text
                continue
            listed = word_numbering and title in shape.recommendations and item.kind == "numbered"
            if listed:
                paragraph = document.add_paragraph(style="List Number")
            else:
                paragraph = document.add_paragraph()
                if item.number:
                    paragraph.add_run(f"{item.number}. " if "." not in item.number else f"{item.number} ")
            pieces = NOTE.split(item.text)
            for index, piece in enumerate(pieces):
                if index % 2 == 0:
                    paragraph.add_run(piece)
                else:
                    note_number += 1
                    marker = paragraph.add_run(str(note_number))
                    marker.font.superscript = True
                    notes.append((note_number, piece))
        for number, text in notes:
            paragraph = document.add_paragraph()
            marker = paragraph.add_run(str(number))
            marker.font.superscript = True
            paragraph.add_run(" " + text).font.size = Pt(8)
    document.save(path)
    return path


# -- plain text -----------------------------------------------------------------------------------

def write_text(shape: Shape, path: Path) -> Path:
    """The report as text copied out of it: a paragraph to a line, tabs between table cells, ¹ notes."""
    from reportsite.importer.layout import superscript

    lines = [shape.title, ""]
    note_number = 0
    for title, items in shape.parts:
        lines += [title, ""]
        notes = []
        for item in items:
            if item.kind == "table":
                lines += ["\t".join(row) for row in item.rows] + [""]
                continue
            pieces = NOTE.split(item.text)
            text = ""
            for index, piece in enumerate(pieces):
                if index % 2 == 0:
                    text += piece
                else:
                    note_number += 1
                    text += superscript(str(note_number))
                    notes.append(f"{superscript(str(note_number))} {piece}")
            number = f"{item.number}. " if item.number and "." not in item.number else f"{item.number} " if item.number else ""
            lines += [number + text, ""]
        lines += [line for note in notes for line in (note, "")]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- reading what the importer wrote --------------------------------------------------------------

NUMBERED_LINE = re.compile(r"^(\d+)\. (.*)$|^(\d+\.\d+) (.*)$")
FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")


@dataclass
class ImportedPart:
    file: str
    front: dict
    body: str
    paragraphs: list[tuple[str, str]]  # (number as printed, words without footnote references or escapes)
    notes: dict[str, str]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", FOOTNOTE_REFERENCE.sub("", text))


def imported_parts(content_dir: Path) -> list[ImportedPart]:
    """Each part file the importer wrote, with its numbered paragraphs and footnotes."""
    import yaml

    parts = []
    for path in sorted((content_dir / "parts").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        paragraphs, notes = [], {}
        for line in body.split("\n"):
            match = NUMBERED_LINE.match(line)
            if match:
                paragraphs.append((match.group(1) or match.group(3), unescape(match.group(2) or match.group(4))))
            note = re.match(r"^\[\^([^\]]+)\]: (.*)$", line)
            if note:
                notes[note.group(1)] = unescape(note.group(2))
        parts.append(ImportedPart(path.name, yaml.safe_load(front), body, paragraphs, notes))
    return parts


def expected_parts(shape: Shape) -> list[tuple[str, list[tuple[str, str]], str]]:
    """(title, numbered paragraphs, recommendations) of each part of the shape, as the import should find them."""
    return [(title, [(i.number, i.words) for i in items if i.kind == "numbered"], shape.recommendations.get(title, ""))
            for title, items in shape.parts]


def found_parts(content_dir: Path) -> list[tuple[str, list[tuple[str, str]], str]]:
    return [(part.front["title"], part.paragraphs, str(part.front.get("recommendations", "")).lower())
            for part in imported_parts(content_dir)]


def markdown_problems(content_dir: Path) -> list[str]:
    """What the site's own Markdown checks say of each part the importer wrote (images, nesting, footnotes)."""
    from reportsite.markdown import parse_markdown
    from reportsite.markdowncheck import check_markdown

    problems = []
    for part in imported_parts(content_dir):
        tokens, env = parse_markdown(part.body, line_offset=0)
        problems += [str(problem) for problem in check_markdown(tokens, env, part.file, 0)]
    return problems
