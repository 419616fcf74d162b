"""Read a Word (.docx) report: paragraphs with their styles, tables, footnotes, headers and footers."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .layout import BULLET, CONTENTS_HEADING, NOTE, contents_entry, superscript
from .model import Block, LeftOut, Source, SourceError, SourceLine, Where

HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
CONTENTS_WHY = "contents list: printed page numbers, which the site replaces with its own contents"


def read_docx(path: Path, progress=None) -> Source:
    """The blocks of a .docx file; SourceError for a damaged or foreign file."""
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx fails on a damaged package in many ways; each means "damaged"
        raise SourceError(f"{path.name}: this Word document is damaged or is not a .docx file. "
                          "Open it in Word and save it again as .docx, then import that.") from None
    return _WordReader(path.name, document).read()


class _WordReader:
    def __init__(self, file: str, document):
        self.file = file
        self.document = document
        self.blocks: list[Block] = []
        self.lines: list[SourceLine] = []
        self.left_out: list[LeftOut] = []
        self.title = ""
        self.note_numbers: dict[str, str] = {}  # Word's footnote id -> the number printed
        self.in_contents = False
        self.numbering = _Numbering(document)

    def read(self) -> Source:
        paragraph_number = 0
        table_number = 0
        for item in self.document.iter_inner_content():
            if isinstance(item, Table):
                table_number += 1
                self._table(item, Where(self.file, table=table_number))
                continue
            paragraph_number += 1
            self._paragraph(item, Where(self.file, paragraph=paragraph_number))
        self._footnotes()
        self._headers_and_footers()
        if not self.lines:
            raise SourceError(f"{self.file}: the Word document has no text to import.")
        return Source(self.file, "docx", self.blocks, self.lines, self.left_out, title_hint=self.title)

    def _text(self, paragraph: Paragraph) -> str:
        """The paragraph's text, superscript digits and footnote references as markers (¹)."""
        pieces = []
        for run in paragraph._p.iter(qn("w:r")):
            reference = run.find(qn("w:footnoteReference"))
            if reference is not None:
                note_id = reference.get(qn("w:id"))
                number = self.note_numbers.setdefault(note_id, str(len(self.note_numbers) + 1))
                pieces.append(superscript(number))
                continue
            text = "".join(node.text or "" if node.tag == qn("w:t") else "\t" if node.tag == qn("w:tab") else " "
                           for node in run if node.tag in (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")))
            vertical = run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
            if vertical is not None and vertical.get(qn("w:val")) == "superscript" and text.strip().isdigit():
                text = superscript(text.strip())
            pieces.append(text)
        return "".join(pieces)

    def _paragraph(self, paragraph: Paragraph, where: Where) -> None:
        text = self._text(paragraph)
        if not text.strip():
            return
        printed = self.numbering.number(paragraph)
        if printed:
            text = f"{printed} {text.strip()}" if printed not in BULLETS else f"- {text.strip()}"
        self.lines.append(SourceLine(where, text))
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = _heading_level(paragraph, style)
        stripped = " ".join(text.split())
        if self.in_contents:
            if contents_entry(text) or style.lower().startswith("toc"):
                self.left_out.append(LeftOut(where, text.strip(), CONTENTS_WHY))
                self.blocks[-1].rows.append(list(contents_entry(text) or (stripped, "")))
                return
            self.in_contents = False
        if style == "Title" and not self.title:
            self.title = stripped
            self.blocks.append(Block("heading", stripped, where, heading_level=-1))
        elif (heading or style == "Title") and CONTENTS_HEADING.match(stripped):
            self.in_contents = True
            self.left_out.append(LeftOut(where, stripped, CONTENTS_WHY))
            self.blocks.append(Block("contents", stripped, where))
        elif heading or style == "Title":
            self.blocks.append(Block("heading", stripped, where, heading_level=heading or 1))
        elif NOTE.match(stripped) and style.lower().startswith(("footnote", "endnote")) or _note_paragraph(paragraph):
            match = NOTE.match(stripped)
            self.blocks.append(Block("note", stripped[match.end():], where, label=match.group(1)))
        elif style.lower().startswith("list bullet") or BULLET.match(text):
            match = BULLET.match(text)
            level = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
            depth = int(level.get(qn("w:val"))) if level is not None else (1 if style[-1:] in "23" else 0)
            self.blocks.append(Block("item", text[match.end():].strip() if match else stripped, where, depth=depth))
        else:
            lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()] if "\n" in text.strip() else []
            self.blocks.append(Block("text", stripped, where, lines=lines if len(lines) > 1 else []))

    def _table(self, table: Table, where: Where) -> None:
        rows = []
        for row_number, row in enumerate(table.rows, start=1):
            cells = []
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue  # a cell merged across columns is one cell
                seen.add(id(cell._tc))
                cells.append(" ".join(" ".join(self._text(p).split()) for p in cell.paragraphs).strip())
            rows.append(cells)
            if any(cells):
                self.lines.append(SourceLine(Where(self.file, table=where.table, line=row_number), "\t".join(cells)))
        if any(any(row) for row in rows):
            self.blocks.append(Block("table", " ".join(" ".join(r) for r in rows), where, rows=rows))

    def _footnotes(self) -> None:
        """Word's own footnotes, numbered in the order the text refers to them."""
        part = next((rel.target_part for rel in self.document.part.rels.values()
                     if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES), None)
        if part is None or not self.note_numbers:
            return
        root = etree.fromstring(part.blob)
        for note in root.iter(qn("w:footnote")):
            number = self.note_numbers.get(note.get(qn("w:id")))
            if number is None:
                continue
            text = " ".join("".join(t.text or "" for t in note.iter(qn("w:t"))).split())
            where = Where(f"{self.file} footnote {number}")
            self.lines.append(SourceLine(where, text))
            self.blocks.append(Block("note", text, where, label=number))

    def _headers_and_footers(self) -> None:
        """Running headers and footers are page furniture: said in the import report, not imported."""
        seen = set()
        for number, section in enumerate(self.document.sections, start=1):
            for name in ("header", "footer", "first_page_header", "first_page_footer", "even_page_header", "even_page_footer"):
                part = getattr(section, name)
                if part.is_linked_to_previous and number > 1:
                    continue
                for index, paragraph in enumerate(part.paragraphs, start=1):
                    text = paragraph.text.strip()
                    if text and (name, text) not in seen:
                        seen.add((name, text))
                        where = Where(f"{self.file} section {number} {name.replace('_', ' ')}", paragraph=index)
                        self.lines.append(SourceLine(where, text))
                        self.left_out.append(LeftOut(where, text, f"running {name.split('_')[-1]}: page furniture"))


BULLETS = ("•", "-")


def _heading_level(paragraph: Paragraph, style_name: str) -> int | None:
    """1 for 'Heading 1' and so on; or the outline level of a style of the organisation's own
    (set to show in Word's navigation pane); None for a paragraph that is not a heading."""
    named = HEADING_STYLE.match(style_name)
    if named:
        return int(named.group(1))
    style = paragraph.style
    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    while found is None and style is not None:
        found = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        style = style.base_style
    level = int(found.get(qn("w:val"))) if found is not None else 9
    return level + 1 if level < 9 else None


class _Numbering:
    """The numbers Word prints before the paragraphs of its numbered lists ("12.", "2.14"), counted as Word does."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, level) -> (format, text, start)
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            for level in definition.iter(qn("w:lvl")):
                value = lambda tag, default: (level.find(qn(tag)).get(qn("w:val")) if level.find(qn(tag)) is not None else default)
                self.levels[(num.get(qn("w:numId")), int(level.get(qn("w:ilvl"))))] = (
                    value("w:numFmt", "decimal"), value("w:lvlText", "%1."), int(value("w:start", "1")))

    def number(self, paragraph: Paragraph) -> str:
        """The number Word prints before this paragraph, "•" for a bullet, or "" when it has none."""
        properties = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        style = paragraph.style
        while properties is None and style is not None:
            properties = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            style = style.base_style
        if properties is None:
            return ""
        num = properties.find(qn("w:numId"))
        level = properties.find(qn("w:ilvl"))
        num_id = num.get(qn("w:val")) if num is not None else ""
        depth = int(level.get(qn("w:val"))) if level is not None else 0
        if (num_id, depth) not in self.levels:
            return ""
        kind, pattern, _ = self.levels[(num_id, depth)]
        if kind == "bullet":
            return "•"
        counts = self.counts.setdefault(num_id, [])
        while len(counts) <= depth:
            counts.append(self.levels.get((num_id, len(counts)), ("", "", 1))[2] - 1)
        counts[depth] += 1
        del counts[depth + 1:]
        printed = re.sub(r"%(\d)", lambda m: str(counts[int(m.group(1)) - 1]) if int(m.group(1)) - 1 < len(counts) else "", pattern)
        return printed if kind in ("decimal", "decimalZero") else ""


def _note_paragraph(paragraph: Paragraph) -> bool:
    """A paragraph that starts with a superscript number: a footnote typed as text at the end."""
    runs = paragraph.runs
    return bool(runs) and runs[0].font.superscript is True and runs[0].text.strip().isdigit()
