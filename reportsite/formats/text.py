"""The plain text edition: the whole report as UTF-8 text, in reading order, with its paragraph numbers.

Each block is one line, not wrapped at a fixed width. A phone, an e-reader, a screen reader or a
text editor then flows the text to its own width and size; text hard-wrapped at 72 characters
breaks into ragged half-lines on a narrow screen and at large sizes, and a screen reader pauses at
every line end. A blank line separates blocks, so every paragraph is still easy to find by eye.
Lines end in LF only, as on every system since Windows 10's Notepad (2018); the file has no byte
order mark, and ends with one newline.

Headings are underlined ('=' for the title and each part, '-' below that, '.' further down),
numbered paragraphs start with their number as printed ("45. "), list items with a bullet,
footnote references and footnotes with the superscript number the report prints ("¹").
"""

from __future__ import annotations

import json

from ..crossrefs import Site
from . import FormatContext
from .blocks import Block, about_this_copy, report_blocks, superscript

UNDERLINES = {1: "=", 2: "-"}
LONGEST_UNDERLINE = 72   # a long heading's underline would itself wrap into a block of marks
BULLETS = {1: "• ", 2: "    ◦ "}


def missing_tool() -> str | None:
    """Plain text needs nothing beyond Python."""
    return None


def tool_version() -> str:
    return "plain text 1"


def source(site: Site, context: FormatContext) -> bytes:
    """The report's blocks and the title block, as JSON: everything the text is made from."""
    title = about_this_copy(site, context.web_address, "plain text copy")
    blocks = [block.__dict__ for block in report_blocks(site)]
    return json.dumps({"title": title, "blocks": blocks}, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")


def make(source: bytes, context: FormatContext) -> bytes:
    """The text file: the title block, then every block of the report."""
    data = json.loads(source.decode("utf-8"))
    return report_text(data["title"], [Block(**block) for block in data["blocks"]]).encode("utf-8")


def report_text(title: list[str], blocks: list[Block]) -> str:
    """The whole file as text: each block on one line, blank lines between blocks."""
    document, *about = title
    lines = heading_lines(document, 1) + [""] + about
    previous = None
    for block in blocks:
        if not (block.kind == previous == "line" or block.kind == previous == "item"):
            lines.append("")
        lines += block_lines(block)
        previous = block.kind
    return "\n".join(lines).strip("\n") + "\n"


def block_lines(block: Block) -> list[str]:
    """One block as lines of text."""
    if block.kind == "heading":
        return heading_lines(block.text, block.level)
    if block.kind == "numbered":
        return [f"{block.number} {block.text}"]
    if block.kind == "item":
        return [BULLETS.get(block.level, "    " * (block.level - 1) + "◦ ") + block.text]
    if block.kind == "footnote":
        return [f"{superscript(block.label)} {block.text}"]
    return [block.text]


def heading_lines(text: str, level: int) -> list[str]:
    """A heading and its underline, as long as the heading (up to LONGEST_UNDERLINE)."""
    return [text, UNDERLINES.get(level, ".") * min(len(text), LONGEST_UNDERLINE)]

