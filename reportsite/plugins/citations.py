"""Citations: "(paragraphs 18, 19, 23)", as the report prints it, becomes a link to each paragraph.

Every form reports print is read, in any case: "(paragraph 93)", "(Paragraph 18)", "(paragraphs 102,
103)", "(paragraphs 45,100)", "(Paragraphs 31, 32 and 35)", "(paragraphs 3 to 5)", "(Paragraphs
21–23)", "(paras 2.8–2.9)", "(see paragraph 12)". A core rule after `inline` splits the text token
around each number written into `citation` tokens, without changing a character of the report's
wording. The first number of a range carries the range's end (`through`), so that `crossrefs` cites
every paragraph in it.

Text shaped like a citation (a bracket, then "paragraph" or "para", then a number) that cannot be
read as one is recorded in `env["citation_problems"]`, so the build names its line rather than leave
it as plain text in silence. A backslash before the bracket, `\\(paragraph 12 of the 2014 report)`,
writes it as plain text. Text inside a link is left alone.

The renderer looks the paragraph's URL up in `env["paragraph_href"]`; it never computes one.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .numbered_paragraphs import paragraph_anchor

_INTRO = r"(?:(?:see(?:\s+also)?|cf\.?)\s+)?"
_WORD = r"para(?:graph)?s?\.?"
# At most nine digits, as a numbered paragraph (a Markdown ordered list) can have: a longer number
# cannot name a paragraph, so the text is reported as a citation that cannot be read.
_NUMBER = r"\d{1,9}(?!\d)(?:\.\d{1,9}(?!\d))?"
_RANGE = r"\bto\b|–|—|-"
_SEPARATOR = rf"\s*(?:,\s*and\b|,|\band\b|&|{_RANGE})\s*"
CITATION = re.compile(rf"\({_INTRO}{_WORD}\s+(?P<numbers>{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*)\s*[);]", re.IGNORECASE)
CITATION_SHAPE = re.compile(rf"\({_INTRO}{_WORD}\s*\d", re.IGNORECASE)
NUMBER = re.compile(_NUMBER)
RANGE = re.compile(rf"^\s*(?:{_RANGE})\s*$", re.IGNORECASE)


def citations_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "citations", link_citations)
    md.add_render_rule("citation", render_citation)


def link_citations(state: StateCore) -> None:
    """Split text tokens so each cited paragraph number is its own `citation` token."""
    source = None
    offset = state.env.get("line_offset", 0)
    problems = state.env.setdefault("citation_problems", [])
    for block in state.tokens:
        if block.type == "numbered_paragraph_open":
            source = block.meta["anchor"]
        elif block.type == "numbered_paragraph_close":
            source = None
        if block.type != "inline" or not block.children or "(" not in block.content:
            continue
        line = offset + (block.map[0] if block.map else 0) + 1
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and not link_depth and CITATION_SHAPE.search(child.content):
                children.extend(_split(child.content, source, line, problems))
            else:
                children.append(child)
        block.children = children


def _split(text: str, source: str | None, line: int, problems: list) -> list[Token]:
    pieces: list[Token] = []
    position = 0
    for shape in CITATION_SHAPE.finditer(text):
        if shape.start() < position:
            continue
        match = CITATION.match(text, shape.start())
        if match is None:
            end = text.find(")", shape.start())
            problems.append((line, text[shape.start(): end + 1 if 0 <= end < shape.start() + 80 else shape.start() + 40]))
            continue
        numbers = list(NUMBER.finditer(text, match.start("numbers"), match.end("numbers")))
        for index, number in enumerate(numbers):
            pieces.append(_text(text[position: number.start()]))
            following = numbers[index + 1] if index + 1 < len(numbers) else None
            through = following.group() if following and RANGE.match(text[number.end(): following.start()]) else None
            citation = Token("citation", "a", 0)
            citation.content = number.group()
            citation.meta = {"target": number.group(), "anchor": paragraph_anchor(number.group()), "through": through,
                             "source": source, "line": line}
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
    if env.get("quoting"):  # a paragraph quoted where it is cited: its words only
        return escape(token.content)
    href = env["paragraph_href"](token.meta["anchor"])
    return f'<a class="rs-citation" href="{escape(href)}">{escape(token.content)}</a>'
