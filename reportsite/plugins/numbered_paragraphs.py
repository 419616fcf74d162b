"""Numbered paragraphs, written as the report prints them.

A report numbers its paragraphs in one of two ways (`env["numbering"]`):

- "sequence": one sequence across the report, `12. Text` at the start of a block. Markdown
  would read these as an ordered list and renumber them; this plugin keeps the number written.
- "chapter": by chapter, `2.14 Text` (or `2.14. Text`) starting a paragraph. Lists that follow
  such a paragraph belong to it, as they do in print.

`env["series"]` says what the numbers of this document count: "paragraph" (the default), or
"recommendation" for a part whose recommendations are numbered on their own (`1. Text`, in either
scheme); None numbers nothing (a page of the site's own, where `1.` starts an ordinary list).

Each numbered paragraph is kept between `numbered_paragraph_open` and `numbered_paragraph_close`
tokens whose meta holds its label as printed ("12", "2.14"), how the number is printed ("12.",
"2.14"), its series and its anchor (`#paragraph-12`, `#paragraph-2.14`, `#recommendation-3`). The
renderer gives each paragraph a link to itself ("Link to paragraph 12"), and after its text what the
site adds, as `crossrefs` computed it and the page gives it in `env`: a recommendation's evidence
(`env["evidence"]`: each paragraph it cites, named by number and part, with its text to read in place,
`env["quote"]`), the links back to what cites the paragraph (`env["backlinks"]`), and its charts.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.list import markTightParagraphs
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .abbreviations import mark_site_html

SEQUENCE, CHAPTER = "sequence", "chapter"
PARAGRAPH, RECOMMENDATION = "paragraph", "recommendation"
# `2.14 Text` or `2.14. Text` at the start of a paragraph. Words that start with a small letter ("2.5 million
# people live here") are a sentence, not a numbered paragraph; a backslash (`2\.14`) keeps any of them plain text.
CHAPTER_NUMBER = re.compile(r"(\d{1,9})\.(\d{1,9})(\.?)[ \t]+(?=\S)")  # nine digits at most, as a Markdown list number
WORDS = ("text", "abbreviation", "citation", "code_inline", "softbreak", "hardbreak")  # inline tokens that hold words
OPENING_WORDS = 40  # characters of a citing paragraph's words that a link back to it shows
# `12. Text` on a line of its own: a number as a Markdown list writes it, one space, and a letter, an opening bracket
# or quotation mark, with which no block but a paragraph starts (see `one_line_paragraphs`)
ONE_LINE_PARAGRAPH = re.compile(r"([0-9]{1,9})\. (?=[^\W\d_]|[(\"'‘“])")


def chapter_number(text: str) -> re.Match | None:
    """The number at the start of a paragraph numbered by chapter, if `text` starts with one."""
    match = CHAPTER_NUMBER.match(text)
    return match if match and not text[match.end()].islower() else None


def paragraph_anchor(label: str, series: str = PARAGRAPH) -> str:
    """The id a numbered paragraph carries, on whichever page holds it: 'paragraph-12', 'recommendation-3'."""
    return f"{series}-{label}"


def numbered_paragraphs_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("list", "one_line_paragraphs", one_line_paragraphs)
    md.core.ruler.after("block", "numbered_paragraphs", number_paragraphs)
    md.add_render_rule("numbered_paragraphs_open", lambda *a: "")
    md.add_render_rule("numbered_paragraphs_close", lambda *a: "")
    md.add_render_rule("numbered_paragraph_open", render_numbered_paragraph_open)
    md.add_render_rule("numbered_paragraph_close", render_numbered_paragraph_close)


def one_line_paragraphs(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A list of the report's own, every item a paragraph of one line followed by a blank line or the end (as nearly
    every numbered paragraph is written), read to the tokens markdown-it's list rule makes of it, without running every
    block rule on each paragraph (a third of the time parsing took). Any other list is left to the list rule, whole:
    one with an item of several lines or blocks, an item or a line after an item that is indented or starts with a
    digit, or a list within another block."""
    if silent or state.level or state.blkIndent or state.parentType != "root" or end != state.lineMax:
        return False
    src, begins, ends, shifts = state.src, state.bMarks, state.eMarks, state.tShift
    items = []  # (its line, its number as written, where its text starts, the line after it and the blank lines)
    line = start
    while line < end:
        found = ONE_LINE_PARAGRAPH.match(src, begins[line], ends[line])  # not if indented
        if found is None:
            if not items or shifts[line] or src[begins[line]].isdigit():
                return False
            break  # a block that ends the list
        after = line + 1
        if after < end and not state.isEmpty(after):
            return False
        while after < end and state.isEmpty(after):
            after += 1
        items.append((line, found.group(1), found.end(), after))
        line = after
    opened = len(state.tokens)
    token = state.push("ordered_list_open", "ol", 1)
    if int(items[0][1]) != 1:
        token.attrs = {"start": int(items[0][1])}
    token.map, token.markup = [start, line], "."
    for first, number, text, after in items:
        token = state.push("list_item_open", "li", 1)
        token.map, token.markup, token.info = [first, after], ".", number
        state.push("paragraph_open", "p", 1).map = [first, first + 1]
        token = state.push("inline", "", 0)
        token.content, token.map, token.children = mdTrim(src[text:ends[first]]), [first, first + 1], []
        state.push("paragraph_close", "p", -1)
        state.push("list_item_close", "li", -1).markup = "."
    state.push("ordered_list_close", "ol", -1).markup = "."
    state.line = line
    if len(items) == 1:  # no blank line between its items: a tight list, whose paragraphs are hidden
        markTightParagraphs(state, opened)
    return True


def opening_texts(tokens: list[Token], anchors: set[str]) -> dict[str, str]:
    """The words of the first block of text of each numbered paragraph whose anchor is in `anchors`, by anchor:
    the report's words with their markup, footnote marks and line breaks taken out."""
    found: dict[str, str] = {}
    anchor = None
    for token in tokens:
        if token.type == "numbered_paragraph_open":
            anchor = token.meta["anchor"] if token.meta["anchor"] in anchors else None
        elif anchor is not None and token.type == "inline":
            words = (" " if child.type in ("softbreak", "hardbreak") else child.content
                     for child in token.children or () if child.type in WORDS)
            found[anchor] = " ".join("".join(words).split())
            anchor = None
    return found


def opening_words(words: str, limit: int = OPENING_WORDS) -> str:
    """The words up to `limit` characters, cut between two words, with an ellipsis when cut (the site's, not the report's)."""
    if len(words) <= limit:
        return words
    cut = words[:limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(",;:–—-( ") + "…"


def number_paragraphs(state: StateCore) -> None:
    """Mark each numbered paragraph of the document, as its numbering scheme and series write them."""
    series = state.env.get("series", PARAGRAPH)
    if series is None:
        return
    if series == RECOMMENDATION or state.env.get("numbering", SEQUENCE) == SEQUENCE:
        number_list_items(state.tokens, series)
    else:
        state.tokens = number_chapter_paragraphs(state.tokens)


def number_list_items(tokens: list[Token], series: str) -> None:
    """Turn each top-level ordered list item into a numbered paragraph token."""
    depth = 0
    for token in tokens:
        if token.type == "ordered_list_open" and token.level == 0:
            token.type = "numbered_paragraphs_open"
            depth = 1
        elif token.type == "ordered_list_close" and token.level == 0:
            token.type = "numbered_paragraphs_close"
            depth = 0
        elif depth and token.level == 1 and token.type in ("list_item_open", "list_item_close"):
            token.type = token.type.replace("list_item", "numbered_paragraph")
            if token.nesting == 1:
                meta = _meta(str(int(token.info)), f"{int(token.info)}{token.markup}", series)
            token.meta = meta
        elif depth and token.level == 2 and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = False  # a tight list would otherwise drop the <p>


def number_chapter_paragraphs(tokens: list[Token]) -> list[Token]:
    """Wrap each top-level paragraph that starts `2.14 ` (and the lists right after it) as a numbered paragraph;
    the number is taken out of the text, and printed by the renderer as written."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        match = (chapter_number(inline.content)
                 if token.type == "paragraph_open" and token.level == 0 and inline is not None and inline.type == "inline"
                 else None)
        if match is None:
            result.append(token)
            index += 1
            continue
        chapter, number, dot = match.groups()
        label = f"{int(chapter)}.{int(number)}"
        meta = _meta(label, f"{chapter}.{number}{dot}", PARAGRAPH)
        inline.content = inline.content[match.end():]
        end = index + 3  # paragraph_open, inline, paragraph_close
        while end < len(tokens) and tokens[end].type in ("bullet_list_open", "ordered_list_open") and tokens[end].level == 0:
            end = _after_matching_close(tokens, end)
        result.append(_wrapper("numbered_paragraph_open", 1, token.map, meta))
        result.extend(tokens[index:end])
        result.append(_wrapper("numbered_paragraph_close", -1, None, meta))
        index = end
    return result


def _after_matching_close(tokens: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting if tokens[index].level == tokens[start].level else 0
        if depth == 0:
            return index + 1
    return len(tokens)


def _wrapper(kind: str, nesting: int, line_map, meta: dict) -> Token:
    token = Token(kind, "div", nesting)
    token.map = line_map
    token.meta = meta
    token.block = True
    return token


def _meta(label: str, printed: str, series: str) -> dict:
    return {"label": label, "printed": printed, "series": series, "anchor": paragraph_anchor(label, series)}


def render_numbered_paragraph_open(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    anchor = meta["anchor"]
    noun = "recommendation" if meta["series"] == RECOMMENDATION else "paragraph"
    # Not escaped: the label and the number as printed are digits and dots (and the number's own '.' or ')'), and the
    # anchor is the series and the label (`_meta`): nothing in them is special in HTML. (Escaping them was a tenth of
    # the time a part took to render.)
    return (
        f'<div class="rs-paragraph" id="{anchor}">\n'
        f'<a class="rs-paragraph__number" href="#{anchor}" aria-label="Link to {noun} {meta["label"]}">{meta["printed"]}</a>\n'
    )


def render_numbered_paragraph_close(self, tokens, idx, options, env) -> str:
    anchor = tokens[idx].meta["anchor"]
    # env["evidence"] and env["figure_links"] (anchor -> (title, href) of each chart) are given only for the site's pages;
    # env["linked"], the paragraphs that cite or are cited: most paragraphs are neither, and have no chart
    if anchor not in env.get("linked", (anchor,)) and anchor not in env.get("figure_links", ()):
        return "</div>\n"
    evidence = env["evidence"].get(anchor) if "evidence" in env else None
    backlinks = env["backlinks"].get(anchor) if "backlinks" in env else None
    charts = env["figure_links"].get(anchor) if "figure_links" in env else None
    if not (evidence or backlinks or charts):  # most paragraphs: nothing added
        return "</div>\n"
    added = render_evidence(evidence or (), env.get("quote")) + render_backlinks(backlinks) + render_chart_links(charts)
    return mark_site_html(added, env) + "</div>\n"


def render_evidence(evidence, quote) -> str:
    """A recommendation's evidence: 'Paragraph 102 – Leadership, management and governance', a link to each paragraph
    it cites, with its text (`quote(anchor)`) to read in place, in a disclosure that needs no script."""
    items = [f'<li><a href="{escape(cited.href)}">{escape(cited.text, quote=False)}</a>\n'
             f'<details><summary>Read paragraph {escape(cited.label)} here</summary>\n'
             f'<blockquote>\n{quote(cited.anchor)}</blockquote></details></li>\n' for cited in evidence]
    return f'<div class="rs-paragraph__evidence rs-evidence">\n<p>Evidence</p>\n<ul>\n{"".join(items)}</ul></div>\n' if items else ""


def render_chart_links(charts) -> str:
    """'Key figures chart: How long care proceedings take', a link to the chart drawn from the paragraph."""
    if not charts:
        return ""
    links = [f'<a href="{escape(href)}">{escape(title)}</a>' for title, href in charts]
    noun = "Key figures chart" if len(links) == 1 else "Key figures charts"
    return f'<p class="rs-paragraph__charts">{noun}: {_join(links)}</p>\n'


def render_backlinks(backlinks) -> str:
    """'Cited in Recommendation 2: Improve governance arrangements so that…', each a link back to what cites it."""
    if not backlinks:
        return ""
    links = [f'<a href="{escape(backlink.href)}">{escape(backlink.text, quote=False)}</a>' for backlink in backlinks]
    return f'<p class="rs-paragraph__backlinks">Cited in {_join(links)}</p>\n'


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
