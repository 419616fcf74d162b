"""Read a PDF report: its printed lines with their positions and type, then blocks from the layout."""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .layout import (BULLET, CONTENTS_HEADING, HARD_HYPHEN_BREAK, NUMBERED, SOFT_HYPHEN_BREAK, contents_entry, ends_sentence,
                     find_running_lines, superscript)
from .model import Block, LeftOut, Source, SourceError, SourceLine, Where

PDFIUM_HYPHEN = 0x02  # pdfium's code for a hyphen at the end of a line
SOFT_HYPHENS = "\u00ad\u2010"
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
NOTE_START = re.compile(r"^([⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,3}[.)]?)\s*(?=\S)")


@dataclass
class PrintedLine:
    """One line as printed on a page: its text, where it starts, its type, and its runs split by wide gaps."""

    where: Where
    text: str
    x: float
    y: float  # baseline, from the foot of the page
    size: float
    bold: bool
    runs: list[tuple[float, str]] = field(default_factory=list)
    end: float = 0.0  # where the line's last character ends, about
    hyphen: str = ""
    glyphs: list[tuple[float, str]] = field(default_factory=list, repr=False)  # (x, character) as printed

    def cells(self, columns: list[float]) -> list[str]:
        """The line cut at the given column positions: the cells of a table row."""
        cells = [""] * len(columns)
        for x, char in self.glyphs:
            column = max((i for i, start in enumerate(columns) if start <= x + self.size * 0.5), default=0)
            cells[column] += char
        return [" ".join(cell.split()) for cell in cells]  # "-" (hyphen-minus) or "soft" when the line ends with a hyphen

    @property
    def source_text(self) -> str:
        return self.text + ("-" if self.hyphen == "-" else "\u2010" if self.hyphen else "")


def read_pdf(path: Path, progress=None) -> Source:
    """The blocks of a PDF with text; SourceError for an encrypted, scanned, damaged or non-PDF file."""
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise SourceError(f"{path.name}: this is not a PDF file (it does not start with '%PDF-'). Check that it "
                          "is the report, or give it the ending of its real kind (.docx, .txt).")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise SourceError(f"{path.name}: the PDF is protected by a password. Save a copy without the "
                              "password (or ask its publisher for one) and import that.") from None
        raise SourceError(f"{path.name}: the PDF is damaged and cannot be read ({error}). Save it again from the "
                          "program that made it, or download it again.") from None
    try:
        pages = [_read_page(document, index, path.name) for index in _pages(document, progress)]
        if not any(lines for lines, _ in pages):
            if any(images for _, images in pages):
                raise SourceError(f"{path.name}: the PDF has no text, only scanned images of its pages. Run OCR "
                                  "on it first (for example: ocrmypdf report.pdf report-ocr.pdf), then import that.")
            raise SourceError(f"{path.name}: the PDF has no text to import.")
    finally:
        document.close()
    return _Layout(path.name, [lines for lines, _ in pages]).read()


def _pages(document, progress):
    count = len(document)
    for index in range(count):
        if progress and index and index % 25 == 0:
            progress(f"Reading page {index + 1} of {count}")
        yield index


def _read_page(document, index: int, file: str) -> tuple[list[PrintedLine], bool]:
    """The printed lines of one page, in the order the PDF draws them, and whether it holds images."""
    page = document[index]
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, Where(file, index + 1), page.get_height())
        images = not lines and any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    finally:
        textpage.close()
        page.close()
    return lines, images


_FONTS: dict[int, bool] = {}


def _is_bold(textpage, index: int) -> bool:
    obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    if key not in _FONTS:
        bold = False
        if font:
            length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(length)
            pdfium_c.FPDFFont_GetBaseFontName(font, buffer, length)
            bold = bool(BOLD_NAME.search(buffer.value.decode("latin-1"))) or pdfium_c.FPDFFont_GetWeight(font) >= 600
        _FONTS[key] = bold
    return _FONTS[key]


def _lines(textpage, page: Where, height: float) -> list[PrintedLine]:
    raw = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    x, y = ctypes.c_double(), ctypes.c_double()
    lines: list[PrintedLine] = []
    chars: list[tuple[str, float, float, float, bool]] = []

    def finish(hyphen: str = "") -> None:
        if any(c[0].strip() for c in chars):
            lines.append(_printed_line(chars, page, len(lines) + 1, hyphen))
        chars.clear()

    _FONTS.clear()
    line_break = False  # pdfium put a line break here; a mark raised above the line (¹) may cause one
    for index in range(min(count, len(text))):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            if code in (10, 13):
                line_break = True
            elif code == 32 and chars:
                chars.append((" ", chars[-1][1], chars[-1][2], chars[-1][3], chars[-1][4]))
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
        size = pdfium_c.FPDFText_GetFontSize(raw, index)
        if code == PDFIUM_HYPHEN:
            finish("-")
            line_break = False
            continue
        if chars:
            rise = abs(y.value - chars[0][2])
            if rise > size * 0.9 or x.value < chars[-1][1] - size * 3 or (line_break and (rise > size * 0.3 or x.value < chars[-1][1])):
                if chars[-1][0] in SOFT_HYPHENS:
                    chars.pop()
                    finish("soft")
                else:
                    finish()
        line_break = False
        chars.append((chr(code), x.value, y.value, size, _is_bold(raw, index)))
    finish()
    return _merge_rows(lines)


def _merge_rows(lines: list[PrintedLine]) -> list[PrintedLine]:
    """Lines on one baseline drawn apart (a table drawn cell by cell) made one line with a run per cell."""
    merged: list[PrintedLine] = []
    for line in lines:
        for other in reversed(merged[-12:]):
            if abs(other.y - line.y) < line.size * 0.3 and all(abs(x - line.x) > line.size for x, _ in other.runs):
                other.runs = sorted(other.runs + line.runs)
                other.glyphs = sorted(other.glyphs + [(line.x - 0.001, " ")] + line.glyphs, key=lambda glyph: glyph[0])
                other.end = max(other.end, line.end)
                other.text = "\t".join(text for _, text in other.runs)
                other.x = other.runs[0][0]
                break
        else:
            merged.append(line)
    for number, line in enumerate(merged, start=1):
        line.where = Where(line.where.file, line.where.page, number)
    return merged


def _printed_line(chars, page: Where, number: int, hyphen: str) -> PrintedLine:
    """A line from its characters: superscript digits marked (¹), runs split where a gap is wide."""
    sizes = Counter()
    for char, _, _, size, _ in chars:
        if char.strip():
            sizes[round(size, 1)] += 1
    size = sizes.most_common(1)[0][0]
    baseline = Counter(round(c[2], 1) for c in chars if c[0].strip() and round(c[3], 1) == size).most_common(1)[0][0]
    runs: list[list] = []
    glyphs: list[tuple[float, str]] = []
    previous = None
    bold = 0
    visible = 0
    for char, cx, cy, csize, cbold in chars:
        if char.strip():
            visible += 1
            bold += cbold
            if char.isdigit() and csize < size * 0.85 and cy > baseline + size * 0.15:
                char = superscript(char)
            step = max(previous[1], size) if previous is not None else size
            if previous is None or cx - previous[0] > step * 2.5:
                runs.append([cx, ""])
            elif runs[-1][1] and runs[-1][1][-1] != " " and cx - previous[0] > step * 1.1:
                runs[-1][1] += " "
            previous = (cx, csize)
        elif not runs:
            continue
        runs[-1][1] += char
        glyphs.append((cx, char))
    runs = [(rx, " ".join(rtext.split())) for rx, rtext in runs if rtext.strip()]
    text = "\t".join(rtext for _, rtext in runs)
    end = max(c[1] for c in chars if c[0].strip()) + size * 0.5
    return PrintedLine(Where(page.file, page.page, number), text, runs[0][0], baseline, size,
                       bold >= visible * 0.8, runs, end, hyphen, glyphs)


class _Layout:
    """Blocks from the printed lines of every page: furniture set aside, then headings, paragraphs,
    items, tables, footnotes and the contents list told apart by type, gaps and markers."""

    def __init__(self, file: str, pages: list[list[PrintedLine]]):
        self.file = file
        self.pages = pages
        self.left_out: list[LeftOut] = []
        self.blocks: list[Block] = []
        body = Counter()
        for lines in pages:
            for line in lines:
                body[line.size] += len(line.text)
        self.body_size = body.most_common(1)[0][0]
        pitches = Counter(round(a.y - b.y, 1) for lines in pages for a, b in zip(lines, lines[1:])
                          if a.size == b.size == self.body_size and 0 < a.y - b.y < self.body_size * 3)
        self.pitch = pitches.most_common(1)[0][0] if pitches else self.body_size * 1.2
        styles = sorted({(line.size, line.bold) for lines in pages for line in lines if self._heading_style(line)},
                        key=lambda style: (-style[0], not style[1]))
        self.heading_levels = {style: rank for rank, style in enumerate(styles, start=1)}
        ends = sorted(line.end for lines in pages for line in lines if line.size == self.body_size)
        self.right_margin = ends[int(len(ends) * 0.95)] if ends else 0.0
        self.last_line: PrintedLine | None = None  # the last line of text on the page before
        self.columns: list[float] = []  # where the columns of the table being read start
        self.table_rows: list[list[PrintedLine]] = []  # its rows, each of one or more lines
        self.row_gap = 0.0  # the distance from the baseline of one row to the next
        self.item_x = 0.0  # where the bullet of the last top-level item stands
        self.contents_pending = ""  # an entry of the contents list printed over more than one line

    def _heading_style(self, line: PrintedLine) -> bool:
        return (line.size >= self.body_size * 1.15 or (line.bold and line.size >= self.body_size * 0.95)) \
            and len(line.runs) == 1 and not NUMBERED.match(line.text) and not BULLET.match(line.text)

    def read(self) -> Source:
        furniture = find_running_lines([self._edges(lines) for lines in self.pages])
        source_lines = []
        for lines in self.pages:
            for line in lines:
                source_lines.append(SourceLine(line.where, line.source_text, hyphen=bool(line.hyphen)))
                if line.where in furniture:
                    self.left_out.append(LeftOut(line.where, line.text, furniture[line.where]))
            body = [line for line in lines if line.where not in furniture]
            notes_from = self._footnote_area(body)
            self._blocks(body[:notes_from])
            self._notes(body[notes_from:])
        return Source(self.file, "pdf", self.blocks, source_lines, self.left_out)

    @staticmethod
    def _edges(lines: list[PrintedLine]) -> list[tuple[Where, str]]:
        """The top two and bottom two lines of a page by position: where headers and footers stand."""
        ordered = sorted(lines, key=lambda line: -line.y)
        edges = ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered
        return [(line.where, line.text) for line in edges]

    def _footnote_area(self, lines: list[PrintedLine]) -> int:
        """Where the footnotes start: smaller type below the last line of body text, starting with a number."""
        index = len(lines)
        while index > 0 and lines[index - 1].size < self.body_size * 0.92:
            index -= 1
        while index < len(lines) and not NOTE_START.match(lines[index].text):
            index += 1
        if index < len(lines) and index > 0 and lines[index].y > min(line.y for line in lines[:index]):
            return len(lines)  # small type above body text: not footnotes
        return index

    def _notes(self, lines: list[PrintedLine]) -> None:
        for line in lines:
            match = NOTE_START.match(line.text)
            if match:
                label = match.group(1).rstrip(".)")
                self.blocks.append(Block("note", line.text[match.end():], line.where, line.where.page, label=label))
            elif self.blocks and self.blocks[-1].kind == "note":
                _append(self.blocks[-1], line, self._previous_hyphen)
            self._previous_hyphen = line.hyphen

    _previous_hyphen = ""

    def _blocks(self, lines: list[PrintedLine]) -> None:
        block: Block | None = None
        previous: PrintedLine | None = None
        for line in lines:
            starts = self._starts_block(line, previous, block)
            if starts == "contents":
                block = Block("contents", line.text, line.where, line.where.page)
                self.blocks.append(block)
                self.left_out.append(LeftOut(line.where, line.text, CONTENTS_WHY))
            elif block is not None and block.kind == "contents" and starts != "heading":
                self._contents_line(block, line)
            elif starts == "table" or (block is not None and block.kind == "table" and starts != "heading"
                                       and self._in_table(line)):
                block = self._table_line(block, line, previous)
            elif starts or block.kind == "table":
                block = self._new_block(starts or "text", line)
                block.continues = previous is None and starts == "text" and self._goes_on(line)
                if block.continues and self.last_line.hyphen:
                    block.text = (HARD_HYPHEN_BREAK if self.last_line.hyphen == "-" else SOFT_HYPHEN_BREAK) + block.text
                self.blocks.append(block)
            else:
                _append(block, line, previous.hyphen if previous else "")
            previous = line
        if previous is not None:
            self.last_line = previous if block is not None and block.kind in ("text", "item") else None

    def _goes_on(self, line: PrintedLine) -> bool:
        """Whether the first line of a page is the rest of the paragraph the page before ended with:
        that paragraph's last line is full or ends mid-sentence, and this line starts no numbered paragraph."""
        before = self.last_line
        if before is None or NUMBERED.match(line.text) or BULLET.match(line.text):
            return False
        return line.text[:1].islower() or not ends_sentence(before.text) or before.end >= self.right_margin - before.size * 2

    def _starts_block(self, line: PrintedLine, previous: PrintedLine | None, block: Block | None) -> str:
        """The kind of block this line starts, or '' when it goes on with the block before."""
        gap = previous.y - line.y if previous is not None else 0
        bold_in_text = block is not None and block.kind in ("text", "item") and 0 < gap <= self.pitch * 1.35 \
            and line.size < self.body_size * 1.15
        if self._heading_style(line) and not bold_in_text:
            if CONTENTS_HEADING.match(line.text.strip()):
                return "contents"
            if block is not None and block.kind == "heading" and previous is not None \
                    and self.heading_levels.get((line.size, line.bold)) == block.heading_level \
                    and previous.y - line.y < line.size * 1.6:
                return ""
            return "heading"
        in_paragraph = block is not None and block.kind in ("text", "item") and 0 < gap <= self.pitch * 1.35
        if len(line.runs) > 1 and not in_paragraph \
                and not (block is not None and block.kind == "contents"):
            return "table"
        if block is None or previous is None or block.kind in ("heading", "note"):
            return "item" if BULLET.match(line.text) else "text"
        if BULLET.match(line.text):
            return "item"
        if NUMBERED.match(line.text) and line.x <= previous.x + line.size * 0.5 and ends_sentence(previous.text):
            return "text"
        if gap > self.pitch * 1.35 or gap < 0 or abs(line.size - previous.size) > 0.5:
            return "text"
        return ""

    def _in_table(self, line: PrintedLine) -> bool:
        """A row of the table being read, or the next line of one of its cells."""
        if self._in_columns(line):
            return True
        columns = self.columns + [float("inf")]
        return len(line.runs) == 1 and any(abs(line.x - start) < line.size * 0.3 and line.end < after
                                           for start, after in zip(columns, columns[1:]))

    def _in_columns(self, line: PrintedLine) -> bool:
        """A line laid out in the columns of the table above it: at the same row spacing, each column's
        text starting where the column starts, as cells do (a line of prose would run across)."""
        columns = self.columns
        if len(columns) < 2 or abs(line.x - columns[0]) >= line.size or self._heading_style(line) \
                or NUMBERED.match(line.text) or BULLET.match(line.text) or line.end <= columns[-1]:
            return False
        if self.table_rows and self.table_rows[-1][-1].y - line.y > self.row_gap * 1.1:
            return False
        starts = [x for x, char in line.glyphs if char.strip()]
        return all(any(abs(x - start) < line.size * 0.3 for x in starts)
                   and not any(start - line.size * 0.9 < x < start - line.size * 0.05 for x in starts)
                   for start in columns[1:])

    def _new_block(self, kind: str, line: PrintedLine) -> Block:
        text = line.text
        depth = 0
        if kind == "item":
            text = text[BULLET.match(text).end():]
            depth = 1 if self.blocks and self.blocks[-1].kind == "item" and line.x > self.item_x + line.size else 0
            if not depth:
                self.item_x = line.x
        block = Block(kind, text, line.where, line.where.page, depth=depth,
                      heading_level=self.heading_levels.get((line.size, line.bold)) if kind == "heading" else None)
        return block

    def _contents_line(self, block: Block, line: PrintedLine) -> None:
        self.left_out.append(LeftOut(line.where, line.text, CONTENTS_WHY))
        text = f"{self.contents_pending} {line.text.replace(chr(9), ' ')}".strip()
        entry = contents_entry(text)
        if entry:
            block.rows.append(list(entry))
            self.contents_pending = ""
        else:
            self.contents_pending = text

    def _table_line(self, block: Block | None, line: PrintedLine, previous: PrintedLine | None) -> Block:
        """Add the line to the table being read (a new row after a gap), and lay its rows out in columns
        again: the columns are where any row's cells start."""
        if block is None or block.kind != "table":
            block = Block("table", line.text, line.where, line.where.page)
            self.blocks.append(block)
            self.columns, self.table_rows, self.row_gap = [], [[line]], 0.0
        elif previous is not None and previous.y - line.y < self.pitch * 1.2:
            self.table_rows[-1].append(line)
            block.text += " " + line.text
        else:
            if len(self.table_rows) == 1 and previous is not None:
                self.row_gap = previous.y - line.y
            self.table_rows.append([line])
            block.text += " " + line.text
        for x, _ in line.runs:
            if all(abs(x - c) > line.size for c in self.columns):
                self.columns.append(x)
        self.columns.sort()
        block.rows = [[" ".join(cell.split()) for cell in (" ".join(parts) for parts in zip(*(l.cells(self.columns) for l in row)))]
                      for row in self.table_rows]
        return block


CONTENTS_WHY = "contents list: printed page numbers, which the site replaces with its own contents"


def _append(block: Block, line: PrintedLine, hyphen: str) -> None:
    """The line goes on with the block: after a space, or joined at the hyphen that broke a word."""
    if hyphen == "-":
        block.text += HARD_HYPHEN_BREAK + line.text
    elif hyphen:
        block.text += SOFT_HYPHEN_BREAK + line.text
    else:
        block.text += " " + line.text
