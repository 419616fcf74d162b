"""The Braille edition: a Braille Ready File (BRF) in Unified English Braille grade 2, 40 cells by 25 lines.

liblouis translates the text (`lou_translate` with the tables `en-us-brf.dis,en-ueb-g2.ctb`: UEB
grade 2, the code the UK uses, shown in North American ASCII Braille, which is what
a BRF holds). All the blocks go through one `lou_translate` process, one block a line; this module
then lays the braille out in pages itself:

- Each page's first line holds only its braille page number, at the right-hand end. UK practice
  (RNIB, UKAAF) puts the page number on the top line; a reader finds it in the same place on every
  page without reading down the page. So a page has 24 lines of text.
- Headings follow the levels of BANA's Braille Formats: the title and each part centred, with a
  blank line before and after; a heading within a part in cell 5, one further down in cell 7, each
  after a blank line. A heading is never the last thing on a page.
- Paragraphs start in cell 3 and run over to cell 1, with no blank line between them; numbered
  paragraphs start with their number as printed. List items start in cell 1 (a list within a list
  in cell 3) and run over two cells beyond where the list's deepest items start; short lines (the
  rows of a table, a list of facts or people, the address, the glossary) start in cell 1 and run over
  to cell 3.
- Lines break at braille spaces. A word longer than a line (a web address) breaks after a hyphen
  or a slash where it has one, otherwise at the end of the line.
- Footnote references are the UEB superscript indicator and the number; footnotes follow their part.
- Lines end in CR LF and a form feed separates pages, as BRF files conventionally do.

The first page is a title page: the report's name, its source and date of publication, the web
address this copy was made from, and a note on the code.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from ..crossrefs import Site
from ..errors import BuildError, Problem
from . import FormatContext
from .blocks import Block, about_this_copy, report_blocks

TABLES = "en-us-brf.dis,en-ueb-g2.ctb"
WIDTH = 40                   # cells a line
LENGTH = 25                  # lines a page, the page number's line included
TEXT_LINES = LENGTH - 1
HEADING_WIDTH = WIDTH - 6    # a centred heading keeps at least three blank cells each side
INSTALL = "Install it with: sudo apt-get install liblouis-bin liblouis-data"
UEB_DIGITS = dict(zip("1234567890", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚"))
BRF_DIGITS = dict(zip("1234567890", "ABCDEFGHIJ"))
BREAK_AFTER = ("-", "_/")    # a hyphen, a slash: where a long word may be broken


def missing_tool() -> str | None:
    """None when lou_translate and the UEB grade 2 table are installed; otherwise how to install them."""
    if shutil.which("lou_translate") is None:
        return f"liblouis is not installed (the command lou_translate was not found). {INSTALL}"
    try:
        translated = subprocess.run(["lou_translate", "--forward", TABLES], input="a\n", capture_output=True,
                                    text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return f"liblouis's lou_translate could not be run. {INSTALL}"
    if translated.returncode != 0 or not translated.stdout.strip():
        return f"liblouis cannot find its Unified English Braille tables ({TABLES}). {INSTALL}"
    return None


def tool_version() -> str:
    """lou_translate's version line, e.g. 'lou_translate (Liblouis) 3.24.0'."""
    try:
        found = subprocess.run(["lou_translate", "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (found.stdout.splitlines() or ["unknown"])[0]


def source(site: Site, context: FormatContext) -> bytes:
    """The title page and the report as blocks of print, as JSON: what is translated and laid out."""
    blocks = title_page_blocks(site, context.web_address) + report_blocks(site, footnote_ref=ueb_superscript)
    return json.dumps([block.__dict__ for block in blocks], ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")


def make(source: bytes, context: FormatContext) -> bytes:
    """The BRF file: every block translated with liblouis, then laid out in pages."""
    blocks = [Block(**block) for block in json.loads(source.decode("utf-8"))]
    printed = [block for block in blocks if block.kind != "page"]
    context.progress(f"Translating {len(printed)} blocks into Unified English Braille grade 2 with liblouis…")
    braille = iter(translate([print_text(block) for block in printed]))
    pages = lay_out([(block, "" if block.kind == "page" else next(braille)) for block in blocks])
    return brf_file(pages).encode("ascii")


def title_page_blocks(site: Site, web_address: str) -> list[Block]:
    """The title page: the report's name, its source and date, this copy's web address, the code."""
    document, *about = about_this_copy(site, web_address, "Braille copy")
    return ([Block("heading", document, level=1)] + [Block("paragraph", line) for line in about]
            + [Block("paragraph", "It is in Unified English Braille, grade 2, 40 cells a line and 25 lines a page. "
                                  "Each page's number is at the right of its first line."),
               Block("page", "")])


def ueb_superscript(label: str) -> str:
    """A footnote reference in UEB: the superscript indicator, then the number (as Unicode braille cells,
    which liblouis passes through; it has no translation for '¹')."""
    if not label.isdigit():
        return f"[{label}]"
    return "⠰⠔⠼" + "".join(UEB_DIGITS[digit] for digit in label)


def print_text(block: Block) -> str:
    """The print a block is translated from: a numbered paragraph with its number as printed."""
    if block.kind == "numbered":
        return f"{block.number} {block.text}"
    if block.kind == "footnote":
        return f"{ueb_superscript(block.label)} {block.text}"
    return block.text


def translate(texts: list[str]) -> list[str]:
    """Each text in ASCII braille, all through one lou_translate process, one text a line."""
    # no line breaks inside a block; lou_translate reads a backslash as the start of an escape (\x00b9)
    lines = [" ".join(text.split()).replace("\\", "\\\\") for text in texts]
    try:
        done = subprocess.run(["lou_translate", "--forward", TABLES], input="\n".join(lines) + "\n",
                              capture_output=True, text=True, encoding="utf-8", timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        raise _tool_failed(f"lou_translate could not be run ({error}).") from None
    translated = done.stdout.split("\n")
    if translated and translated[-1] == "":
        translated.pop()
    if done.returncode != 0 or done.stderr.strip() or len(translated) != len(lines):
        raise _tool_failed(f"lou_translate gave {len(translated)} lines for {len(lines)} blocks "
                           f"(exit status {done.returncode}: {done.stderr.strip()[:200]}).")
    translated = [line.rstrip("\r") for line in translated]
    strange = sorted({character for line in translated for character in line if not " " <= character <= "_"})
    if strange:
        raise _tool_failed(f"lou_translate wrote characters that are not ASCII braille: {''.join(strange)!r}.")
    return translated


def _tool_failed(message: str) -> BuildError:
    return BuildError([Problem("reportsite/formats/braille.py", 1, f"the Braille translation failed: {message}",
                               f"Check that liblouis works: echo test | lou_translate --forward {TABLES}. {INSTALL}")])


def lay_out(blocks: list[tuple[Block, str]]) -> list[list[str]]:
    """The braille of each block on pages of TEXT_LINES lines (the page number's line comes later)."""
    pages: list[list[str]] = [[]]

    def room() -> int:
        return TEXT_LINES - len(pages[-1])

    def new_page() -> None:
        if pages[-1]:
            pages.append([])

    def blank() -> None:
        if pages[-1] and pages[-1][-1] and room() > 0:
            pages[-1].append("")

    def put(lines: list[str]) -> None:
        for line in lines:
            if room() == 0:
                new_page()
            pages[-1].append(line)

    depths = list_depths([block for block, _ in blocks])
    for (block, braille), depth in zip(blocks, depths):
        if block.kind == "page":
            new_page()
            continue
        lines = block_lines(block, braille, depth)
        if block.kind == "heading":
            after = 1 if block.level == 1 else 0
            blank()
            if room() < len(lines) + after + 1:  # keep the heading with the first line of what follows
                new_page()
            put(lines)
            if after:
                blank()
        else:
            put(lines)
    while pages and not pages[-1]:
        pages.pop()
    return [_trim(page) for page in pages]


def _trim(page: list[str]) -> list[str]:
    """A page without the blank lines at its end."""
    while page and not page[-1]:
        page = page[:-1]
    return page


def list_depths(blocks: list[Block]) -> list[int]:
    """For each list item, the deepest level of the list it is in (0 for other blocks)."""
    depths = [0] * len(blocks)
    start = 0
    for index in range(len(blocks) + 1):
        if index == len(blocks) or blocks[index].kind != "item":
            deepest = max((block.level for block in blocks[start:index]), default=0)
            depths[start:index] = [deepest] * (index - start)
            start = index + 1
    return depths


def block_lines(block: Block, braille: str, list_depth: int = 1) -> list[str]:
    """A block's braille as lines, indented as its kind is.

    A list item starts two cells in for each level; its runovers start two cells beyond the start of the
    list's deepest level, so that a runover is never taken for an item (BANA's 1-3, or 1-5 and 3-5, format).
    """
    if block.kind == "heading":
        if block.level == 1:
            return [line.center(WIDTH).rstrip() for line in wrap(braille, HEADING_WIDTH, 0, 0)]
        cell = 4 if block.level == 2 else 6
        return wrap(braille, WIDTH, cell, cell)
    if block.kind == "item":
        return wrap(braille, WIDTH, 2 * (block.level - 1), 2 * max(list_depth, block.level))
    if block.kind == "line":
        return wrap(braille, WIDTH, 0, 2)
    return wrap(braille, WIDTH, 2, 0)  # paragraphs, numbered paragraphs, footnotes


def wrap(braille: str, width: int, first: int, runover: int) -> list[str]:
    """Braille words in lines of at most `width` cells: the first line indented `first` cells, the rest `runover`."""
    lines: list[str] = []
    line = " " * first
    for word in braille.split():
        while word:
            indent = first if not lines else runover
            gap = 0 if len(line) == indent else 1
            if len(line) + gap + len(word) <= width:
                line += " " * gap + word
                word = ""
            elif len(word) <= width - runover and len(line) > indent:
                lines.append(line)
                line = " " * runover
            else:  # longer than a whole line: fill this line with as much of the word as fits
                head, word = split_word(word, width - len(line) - gap)
                if head:
                    line += " " * gap + head
                lines.append(line)
                line = " " * runover
    if line.strip():
        lines.append(line)
    return lines


def split_word(word: str, cells: int) -> tuple[str, str]:
    """(the part of a long word that fits in `cells`, the rest): after a hyphen or slash if one fits."""
    if cells <= 0:
        return "", word
    head = word[:cells]
    cut = max((head.rfind(mark) + len(mark) for mark in BREAK_AFTER if head.rfind(mark) > 0), default=0)
    if cut >= cells // 2:
        return word[:cut], word[cut:]
    return head, word[cells:]


def page_number(number: int) -> str:
    """A braille page number: the numeric indicator, then the digits as letters a to j ('#AB' for 12)."""
    return "#" + "".join(BRF_DIGITS[digit] for digit in str(number))


def brf_file(pages: list[list[str]]) -> str:
    """The pages with their numbers on their first line, lines ending CR LF, a form feed between pages."""
    printed = []
    for number, page in enumerate(pages, start=1):
        lines = [page_number(number).rjust(WIDTH)] + page
        printed.append("".join(line.rstrip() + "\r\n" for line in lines))
    return "\f".join(printed)
