"""The whole report as plain blocks in reading order, for the formats that are not HTML.

The order is the large print edition's: the front page (the title and what is printed with it), every
part with its text and its footnotes, then the glossary. Each block's text has the inline markup removed;
citations, abbreviations and numbers are kept exactly as written. Footnote references are written by a
function the format chooses (superscript digits by default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from ..content import Part, ReportMeta
from ..crossrefs import Site
from ..markdown import markdown_parser
from ..plugins.blocks import BLOCK_KINDS, fill

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Block:
    """One block of the report: a heading, a paragraph, a list item, a short line, or a footnote.

    kind: "heading" (level 1 for the title and parts, 2 and down within a part), "paragraph",
    "numbered" (a numbered paragraph; `number` holds its number as printed, "12." or "2.14", `text` the words after it),
    "item" (a list item; `level` 1 for a list, 2 for a list within it), "line" (a short line that
    belongs with its neighbours: a table row, a fact with its label, an address line), "footnote"
    (`label` as printed).
    """

    kind: str
    text: str
    level: int = 0
    number: str | None = None
    label: str = ""


def superscript(label: str) -> str:
    """A footnote reference as the report prints it: '¹'; a label that is not a number in brackets."""
    return label.translate(SUPERSCRIPT_DIGITS) if label.isdigit() else f"[{label}]"


def report_blocks(site: Site, footnote_ref: Callable[[str], str] = superscript) -> list[Block]:
    """The whole report, in reading order, as plain blocks."""
    blocks = front_page_blocks(site, footnote_ref)
    for part in site.report.parts:
        blocks += part_blocks(part, footnote_ref)
    if site.report.abbreviations:
        blocks.append(Block("heading", "Glossary of abbreviations", level=1))
        blocks += [Block("line", f"{entry.abbreviation}: {entry.expansion}") for entry in site.report.abbreviations]
    return blocks


def front_page_blocks(site: Site, footnote_ref: Callable[[str], str]) -> list[Block]:
    """The report's front page: the line above its title, its title, what is printed with it, and the title's footnote."""
    meta = site.report.meta
    note = meta.title_footnote
    blocks = [Block("line", meta.caption)] if meta.caption else []
    blocks.append(Block("heading", meta.title + (footnote_ref(note.label) if note else ""), level=1))
    if site.report.front:
        blocks += token_blocks(site.report.front.tokens, footnote_ref)
    if note:
        blocks.append(Block("heading", "Footnotes", level=2))
        blocks.append(Block("footnote", inline_text(note.text, footnote_ref), label=note.label))
    return blocks


def part_blocks(part: Part, footnote_ref: Callable[[str], str]) -> list[Block]:
    """A part: its heading, then its text and footnotes."""
    return [Block("heading", part.heading, level=1)] + token_blocks(part.tokens, footnote_ref)


def token_blocks(tokens: list[Token], footnote_ref: Callable[[str], str]) -> list[Block]:
    """A part's Markdown tokens as blocks, in order."""
    blocks: list[Block] = []
    lists: list[Token] = []          # the open lists, innermost last
    number: str | None = None        # the number of the paragraph we are in, as printed, until its first text is written
    footnote: str | None = None      # the label of the footnote we are in
    row: list[str] | None = None
    item: Token | None = None        # the list item we are in
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item = token
        elif kind == "numbered_paragraph_open":
            number = token.meta["printed"]
        elif kind == "footnote_block_open":
            blocks.append(Block("heading", "Footnotes", level=2))
        elif kind == "footnote_open":
            footnote = token.meta["label"]
        elif kind == "footnote_close":
            footnote = None
        elif kind == "heading_open":
            blocks.append(Block("heading", "", level=int(token.tag[1:])))
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append(Block("line", " | ".join(row)))
            row = None
        elif kind in ("code_block", "fence"):
            blocks += [Block("line", line) for line in token.content.rstrip("\n").split("\n")]
        elif kind == "report_block":
            texts = [inline_children_text(child.children or [], footnote_ref) for child in token.children]
            data = fill(token.meta["data"], texts)
            blocks += [Block(line_kind, text) for line_kind, text in BLOCK_KINDS[token.meta["name"]].plain(data)]
        elif (kind == "inline" and number is None and footnote is None and row is None and not lists
              and any(child.type == "hardbreak" for child in token.children or ())):
            blocks += [Block("line", line) for line in lines_of(token.children, footnote_ref)]  # an address, say
        elif kind == "inline":
            text = inline_children_text(token.children or [], footnote_ref)
            if blocks and blocks[-1].kind == "heading" and not blocks[-1].text:
                blocks[-1] = Block("heading", text, level=blocks[-1].level)
            elif row is not None:
                row.append(text)
            elif number is not None:
                blocks.append(Block("numbered", text, number=number))
                number = None
            elif footnote is not None:
                blocks.append(Block("footnote", text, label=footnote))
            elif lists and item is not None:
                marker = f"{item.info}{item.markup} " if lists[-1].type == "ordered_list_open" else ""
                blocks.append(Block("item", marker + text, level=len(lists)))
            else:
                blocks.append(Block("paragraph", text))
    return blocks


def lines_of(children: list[Token], footnote_ref: Callable[[str], str]) -> list[str]:
    """The lines of a piece of text that breaks its lines, as plain text."""
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type == "hardbreak":
            lines.append([])
        else:
            lines[-1].append(child)
    return [inline_children_text(line, footnote_ref) for line in lines]


def inline_text(text: str, footnote_ref: Callable[[str], str] = superscript) -> str:
    """Inline Markdown kept in YAML (emphasis, say) as plain text."""
    tokens = markdown_parser().parseInline(text, {"abbreviations": {}})
    return inline_children_text(tokens[0].children or [] if tokens else [], footnote_ref)


def inline_children_text(children: Iterable[Token], footnote_ref: Callable[[str], str]) -> str:
    """The words of an inline token's children: markup removed, citations and abbreviations as written."""
    pieces = []
    for child in children:
        if child.type in ("text", "abbreviation", "citation", "code_inline", "html_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "footnote_ref":
            pieces.append(footnote_ref(child.meta["label"]))
        elif child.type == "image":
            pieces.append(inline_children_text(child.children or [], footnote_ref))
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def source_sentence(meta: ReportMeta) -> str | None:
    """Where the report comes from, in one sentence, as far as report.yaml says: None if it says nothing of it."""
    if not (meta.publisher or meta.published or meta.printed_in):
        return None
    sentence = (f"{meta.publisher}, " if meta.publisher else "") + meta.full_title
    sentence += f", published {meta.published.text}" if meta.published else ""
    return sentence + (f"; as printed in {meta.printed_in}" if meta.printed_in else "")


def about_this_copy(site: Site, web_address: str | None, edition: str) -> list[str]:
    """What every copy says first: the report, its source and date of publication, and where it came from."""
    meta = site.report.meta
    lines = [meta.full_title]
    if meta.publisher or meta.published:
        lines.append(" ".join(filter(None, (f"Source: {meta.publisher}." if meta.publisher else None,
                                            f"Date of publication: {meta.published.text}." if meta.published else None))))
    if meta.printed_in:
        lines.append(f"Printed in: {meta.printed_in}.")
    if web_address:
        lines.append(f"This {edition} was made from {web_address}")
    return lines
