"""The whole report as plain blocks in reading order, for the formats that are not HTML.

The order is the large print edition's: the front page (title, dates, judgements), every part with its
judgement, its text and its footnotes, the inspection team and Ofsted's closing notes, then the glossary.
Each block's text has the inline markup removed; citations, abbreviations and numbers are kept exactly as
written. Footnote references are written by a function the format chooses (superscript digits by default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from ..content import Part
from ..crossrefs import Site
from ..markdown import markdown_parser

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Block:
    """One block of the report: a heading, a paragraph, a list item, a short line, or a footnote.

    kind: "heading" (level 1 for the title and parts, 2 and down within a part), "paragraph",
    "numbered" (a numbered paragraph; `number` holds its number, `text` the words after it),
    "item" (a list item; `level` 1 for a list, 2 for a list within it), "line" (a short line that
    belongs with its neighbours: a table row, a fact with its label, an address line), "footnote"
    (`label` as printed).
    """

    kind: str
    text: str
    level: int = 0
    number: int | None = None
    label: str = ""


def superscript(label: str) -> str:
    """A footnote reference as the report prints it: '¹'; a label that is not a number in brackets."""
    return label.translate(SUPERSCRIPT_DIGITS) if label.isdigit() else f"[{label}]"


def report_blocks(site: Site, footnote_ref: Callable[[str], str] = superscript) -> list[Block]:
    """The whole report, in reading order, as plain blocks."""
    meta = site.report.meta
    blocks = front_page_blocks(meta, footnote_ref)
    for part in site.report.parts:
        blocks += part_blocks(part, meta, footnote_ref)
    blocks.append(Block("heading", "Glossary of abbreviations", level=1))
    blocks += [Block("line", f"{entry.abbreviation}: {entry.expansion}") for entry in site.report.abbreviations]
    return blocks


def front_page_blocks(meta: dict, footnote_ref: Callable[[str], str]) -> list[Block]:
    """The report's title, dates, overall judgement and table of judgements, and the title's footnote."""
    label = meta.get("title_footnote")
    reference = footnote_ref(label) if label else ""
    blocks = [
        Block("line", meta["authority"]),
        Block("heading", f"{meta['title']} and {inline_text(meta['review_title'], footnote_ref)}{reference}", level=1),
        dated(meta["inspection_dates"], "Inspection date:"),
        dated(meta["published"], "Report published:"),
        Block("paragraph", f"Overall judgement: {meta['overall_judgement']}"),
        Block("paragraph", "Graded judgements"),
    ]
    for judgement in meta["judgements"]:
        number = judgement["number"] if "." in judgement["number"] else f"{judgement['number']}."
        blocks.append(Block("line", f"{number} {judgement['area']}: {judgement['grade']}"))
    lscb = meta["lscb_judgement"]
    blocks.append(Block("paragraph", f"{lscb['area']}: {lscb['grade']}"))
    if label:
        blocks.append(Block("heading", "Footnotes", level=2))
        blocks.append(Block("footnote", inline_text((meta.get("footnotes") or {})[label], footnote_ref), label=label))
    return blocks


def dated(date: dict, label: str) -> Block:
    """A date of the front page with its label: 'Report published: 30 November 2015'."""
    return Block("line", f"{date.get('label', label)} {date['as_printed']}")


def part_blocks(part: Part, meta: dict, footnote_ref: Callable[[str], str]) -> list[Block]:
    """A part: its heading, its judgement, its text and footnotes, and the inspection team if it shows it."""
    blocks = [Block("heading", part.heading, level=1)]
    if part.judgement:
        blocks.append(Block("paragraph", f"Judgement: {part.judgement_statement or part.judgement}"))
    blocks += token_blocks(part.tokens, footnote_ref)
    if part.shows == "inspection_team":
        blocks += inspection_team_blocks(meta, footnote_ref)
    return blocks


def inspection_team_blocks(meta: dict, footnote_ref: Callable[[str], str]) -> list[Block]:
    """The inspection team and Ofsted's notes that close the report."""
    address = meta["ofsted_address"]
    labels = address["labels"]
    blocks = [Block("heading", meta.get("inspection_team_heading") or "The inspection team", level=2)]
    blocks += [Block("line", f"{member['role']}: {', '.join(member['names'])}") for member in meta["inspection_team"]]
    blocks += [Block("paragraph", inline_text(meta[key], footnote_ref))
               for key in ("complaints", "about_ofsted", "alternative_formats", "copyright", "email_alerts")]
    blocks += [Block("line", line) for line in address["lines"]]
    blocks += [Block("line", f"{labels[key]} {address[key]}") for key in ("telephone", "textphone", "email", "web")]
    if meta.get("crown_copyright"):
        blocks.append(Block("paragraph", meta["crown_copyright"]))
    return blocks


def token_blocks(tokens: list[Token], footnote_ref: Callable[[str], str]) -> list[Block]:
    """A part's Markdown tokens as blocks, in order."""
    blocks: list[Block] = []
    lists: list[Token] = []          # the open lists, innermost last
    number: int | None = None        # the numbered paragraph we are in, until its first text is written
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
            number = token.meta["number"]
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


def about_this_copy(site: Site, web_address: str, edition: str) -> list[str]:
    """What every copy says first: the report, its source and date of publication, and where it came from."""
    source = site.report.meta["source"]
    return [
        source["document"],
        f"Source: {source['publisher']}. Date of publication: {source['date_of_publication']}.",
        f"Printed in: {source['printed_in']}.",
        f"This {edition} was made from {web_address}",
    ]
