"""Read a plain text report: blocks from its layout (blank lines, indents, tabs, markers)."""

from __future__ import annotations

from pathlib import Path

from .layout import (BULLET, CONTENTS_HEADING, HARD_HYPHEN_BREAK, SOFT_HYPHEN_BREAK, NOTE, NUMBERED, UNDERLINE, WHOLE_LINE_HTML,
                     contents_entry, ends_sentence, find_running_lines, is_page_number, looks_like_heading, may_continue)
from .model import Block, Change, LeftOut, Source, SourceError, SourceLine, Where


def read_text(path: Path, progress=None) -> Source:
    """The blocks of a UTF-8 text file, with the page furniture and markup it held set aside."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(f"{path.name}:{line}: this file is not UTF-8 text. Save it as UTF-8 (in Notepad: "
                          "Save as, Encoding UTF-8) and import it again.") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(f"{path.name}: the file has no text. Check that it is the report you meant to import.")
    reader = _TextReader(path.name, text)
    return reader.read()


class _TextReader:
    def __init__(self, file: str, text: str):
        self.file = file
        self.numbered_lines: list[tuple[Where, str]] = []
        page = 1
        for number, line in enumerate(text.split("\n"), start=1):
            page += line.count("\f")
            self.numbered_lines.append((Where(file, page if "\f" in text else None, number), line.replace("\f", "").rstrip()))
        self.paged = "\f" in text
        self.left_out: list[LeftOut] = []
        self.changes: list[Change] = []
        self.blocks: list[Block] = []
        long_lines = [len(t) for _, t in self.numbered_lines if t.strip()]
        long_lines.sort()
        # A file wrapped at a fixed width (as pdftotext writes) joins its lines into paragraphs; a file
        # with a paragraph to a line keeps short lines apart, as an address or a list of names is printed.
        widest = long_lines[int(len(long_lines) * 0.9)] if long_lines else 0
        self.wrap_width = widest if widest <= 120 else 0

    def read(self) -> Source:
        raw_blocks = self._raw_blocks()
        furniture = self._furniture(raw_blocks)
        index = 0
        while index < len(raw_blocks):
            block = [(w, t) for w, t in raw_blocks[index] if w not in furniture]
            for where, text in raw_blocks[index]:
                if where in furniture:
                    self.left_out.append(LeftOut(where, text.strip(), furniture[where]))
            if block and len(block) == 1 and CONTENTS_HEADING.match(block[0][1].strip()) and index + 1 < len(raw_blocks):
                entries = raw_blocks[index + 1]
                if all(contents_entry(t) for _, t in entries):
                    self._contents(block[0], entries)
                    index += 2
                    continue
            if block:
                self._block(block, raw_blocks[index + 1] if index + 1 < len(raw_blocks) else [])
            index += 1
        lines = [SourceLine(where, text.strip(), hyphen=bool(self.wrap_width) and text.rstrip()[-2:-1].isalpha()
                            and text.rstrip()[-1:] in "-\u2010\u00ad")
                 for where, text in self.numbered_lines if text.strip()]
        return Source(self.file, "text", self.blocks, lines, self.left_out, self.changes)

    def _raw_blocks(self) -> list[list[tuple[Where, str]]]:
        blocks: list[list[tuple[Where, str]]] = [[]]
        for where, text in self.numbered_lines:
            if text.strip():
                blocks[-1].append((where, text))
            elif blocks[-1]:
                blocks.append([])
            if self.paged and blocks[-1] and where.page != blocks[-1][0][0].page:
                blocks.append([])
        return [block for block in blocks if block]

    def _furniture(self, raw_blocks) -> dict[Where, str]:
        """Running headers, footers and page numbers: lines that start or end a page (form feeds)."""
        if not self.paged:
            return {lines[0][0]: "page number" for lines in raw_blocks
                    if len(lines) == 1 and is_page_number(lines[0][1]) and lines[0][1].strip()[:1].isalpha()}
        by_page: dict[int, list[tuple[Where, str]]] = {}
        for where, text in self.numbered_lines:
            if text.strip():
                by_page.setdefault(where.page, []).append((where, text.strip()))
        candidates = [lines[:2] + lines[-2:] if len(lines) > 4 else lines for lines in by_page.values()]
        return find_running_lines(candidates)

    def _contents(self, heading: tuple[Where, str], entries: list[tuple[Where, str]]) -> None:
        rows = [list(contents_entry(t)) for _, t in entries]
        self.blocks.append(Block("contents", heading[1].strip(), heading[0], rows=rows))
        why = "contents list: printed page numbers, which the site replaces with its own contents"
        self.left_out.append(LeftOut(heading[0], heading[1].strip(), why))
        self.left_out += [LeftOut(w, t.strip(), why) for w, t in entries]

    def _block(self, lines: list[tuple[Where, str]], following: list[tuple[Where, str]]) -> None:
        if len(lines) == 2 and UNDERLINE.match(lines[1][1].strip()):
            self.left_out.append(LeftOut(lines[1][0], lines[1][1].strip(), "the underline of the heading above it"))
            lines = lines[:1]
            underlined = True
        else:
            underlined = False
        lines = [(where, self._unwrap_html(where, text)) for where, text in lines]
        if all("\t" in text for _, text in lines):
            rows = [[cell.strip() for cell in text.strip().split("\t")] for _, text in lines]
            self.blocks.append(Block("table", " ".join(" ".join(r) for r in rows), lines[0][0], lines[0][0].page, rows=rows))
            return
        if len(lines) == 1 and (underlined or looks_like_heading(lines[0][1])):
            self.blocks.append(Block("heading", lines[0][1].strip(), lines[0][0], lines[0][0].page, heading_level=0,
                                     weak=not underlined and not _substantial(following)))
            return
        first_block = len(self.blocks)
        for index, (where, text) in enumerate(lines):
            self._line(where, text, starts_block=index == 0)
        if len(self.blocks) > first_block and may_continue(self.blocks[first_block].text):
            self.blocks[first_block].continues = True

    def _line(self, where: Where, text: str, starts_block: bool) -> None:
        stripped = text.strip()
        bullet = BULLET.match(text)
        note = NOTE.match(stripped)
        previous = self.blocks[-1] if self.blocks else None
        if bullet:
            depth = 1 if bullet.group(1) else 0
            self.blocks.append(Block("item", text[bullet.end():].strip(), where, where.page, depth=depth))
        elif note:
            self.blocks.append(Block("note", stripped[note.end():], where, where.page, label=note.group(1)))
        elif starts_block or previous is None or previous.kind not in ("text", "item", "note") \
                or (NUMBERED.match(stripped) and ends_sentence(previous.lines[-1] if previous.lines else previous.text)):
            self.blocks.append(Block("text", stripped, where, where.page))
        elif self.wrap_width and len(previous.lines[-1] if previous.lines else previous.text) >= self.wrap_width * 0.6:
            self._join(previous, stripped)
        else:
            if not previous.lines:
                previous.lines = [previous.text]
            previous.lines.append(stripped)
            previous.text += " " + stripped

    @staticmethod
    def _join(block: Block, text: str) -> None:
        """The next line of a paragraph wrapped at a fixed width; a word broken at the line end joined."""
        if block.text[-1:] in "-\u2010\u00ad" and block.text[-2:-1].isalpha() and text[:1].islower():
            mark = HARD_HYPHEN_BREAK if block.text.endswith("-") else SOFT_HYPHEN_BREAK
            block.text = block.text[:-1] + mark + text
        else:
            block.text += " " + text

    def _unwrap_html(self, where: Where, text: str) -> str:
        match = WHOLE_LINE_HTML.match(text.strip())
        if not match:
            return text
        inner = match["text"]
        self.left_out.append(LeftOut(where, text.strip().replace(inner, "…", 1),
                                     f"HTML markup <{match['tag']}> around the line, not printed words"))
        return inner


def _substantial(lines: list[tuple[Where, str]]) -> bool:
    """Text a heading may stand over: a long line, a list, a table or numbered paragraphs."""
    return any(len(text) > 100 or "\t" in text or BULLET.match(text) or NUMBERED.match(text.strip())
               or (len(text.split()) >= 8 and text.rstrip().endswith(".")) for _, text in lines)
