"""Citations: "(paragraphs 18, 19, 23)" as written becomes a link to each paragraph.

A core rule after `inline` splits the text token around each number into
`citation` tokens, without changing a character of the report's wording. The
renderer looks the paragraph's URL up in `env`; it never computes one.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

CITATION = re.compile(r"\(paragraphs?\s+\d+(?:\s*(?:,|and|&|to|–|-)\s*\d+)*\s*\)")
NUMBER = re.compile(r"\d+")


def citations_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "citations", link_citations)
    md.add_render_rule("citation", render_citation)


def link_citations(state: StateCore) -> None:
    """Split text tokens so each cited paragraph number is its own `citation` token."""
    paragraph = None
    offset = state.env.get("line_offset", 0)
    for block in state.tokens:
        if block.type == "numbered_paragraph_open":
            paragraph = block.meta["number"]
        elif block.type == "numbered_paragraph_close":
            paragraph = None
        if block.type != "inline" or not block.children:
            continue
        line = offset + (block.map[0] if block.map else 0) + 1
        children: list[Token] = []
        for child in block.children:
            if child.type == "text" and "(paragraph" in child.content:
                children.extend(_split(child, paragraph, line))
            else:
                children.append(child)
        block.children = children


def _split(token: Token, paragraph: int | None, line: int) -> list[Token]:
    text = token.content
    pieces: list[Token] = []
    position = 0
    for match in CITATION.finditer(text):
        for number in NUMBER.finditer(text, match.start(), match.end()):
            pieces.append(_text(text[position : number.start()]))
            citation = Token("citation", "a", 0)
            citation.content = number.group()
            citation.meta = {"target": int(number.group()), "source_paragraph": paragraph, "line": line}
            pieces.append(citation)
            position = number.end()
    pieces.append(_text(text[position:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render_citation(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = env["paragraph_href"](token.meta["target"])
    return f'<a class="rs-citation" href="{escape(href)}">{escape(token.content)}</a>'
