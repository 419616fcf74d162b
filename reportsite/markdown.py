"""The one Markdown parser, set up once per process with the report's plugins."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache, partial

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import NEWLINES_RE, normalize
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from .plugins.abbreviations import abbreviations_plugin
from .plugins.blocks import blocks_plugin
from .plugins.citations import citations_plugin
from .plugins.footnotes import footnotes_plugin
from .plugins.images import images_plugin
from .plugins.numbered_paragraphs import PARAGRAPH, SEQUENCE, numbered_paragraphs_plugin

# The kinds of id the site makes for the report (a paragraph's, a note's, an abbreviation's, a chart's, a part's). A
# heading of the report named like one of them, or like an id written in the site's templates ('## Main content',
# '## Paragraph 3'), has '-section' added to its id.
SITE_ID_PREFIXES = ("paragraph-", "recommendation-", "footnote-", "footnotes-", "abbreviation-", "chart-", "part-",
                    "text-size-")


@lru_cache(maxsize=None)
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, footnotes, numbered paragraphs, citations and building blocks; raw HTML is escaped."""
    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.at("normalize", normalize_line_endings)
    md.core.ruler.at("inline", parse_inline)
    md.disable(["html_block", "html_inline"])  # with "html" off, both only ever answer no
    md.enable("table")
    md.use(footnotes_plugin)
    md.use(numbered_paragraphs_plugin)
    md.use(citations_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4)
    md.use(abbreviations_plugin)
    md.use(images_plugin)
    md.use(blocks_plugin)  # last: it folds each building block's texts once the other rules have seen them
    md.add_render_rule("heading_open", render_heading)
    md.add_render_rule("heading_close", render_heading)
    md.add_render_rule("text", render_text)
    md.add_render_rule("paragraph_open", render_paragraph_open)
    md.add_render_rule("paragraph_close", render_paragraph_close)
    return md


# Rules that can only answer no, at every line (a block rule) or mark (an inline rule), in a text without any of these
# marks, since each starts what it reads with one of them: a fence with three backticks or tildes, a quotation with '>',
# a table with a line holding '|', a footnote's note with '[^', a heading with '#', a link's definition with '[label]:',
# indented code with four spaces or a tab; code with '`', emphasis with '*' or '_', a link with '[', an image with '![',
# a footnote's reference with '[^', an autolink with '<', an entity with '&', an escaped character with '\\'. A text that
# has none of a rule's marks is parsed without the rule: the same tokens, without asking it each time.
BLOCK_RULES_NEEDING = {"fence": ("```", "~~~"), "blockquote": (">",), "table": ("|",), "heading": ("#",),
                       "reference": ("]:",), "footnote_def": ("[^",), "footnote_definition_lines": ("[^",),
                       "code": ("    ", "\t")}
INLINE_RULES_NEEDING = {"backticks": ("`",), "emphasis": ("*", "_"), "link": ("[",), "image": ("![",), "footnote_ref": ("[^",),
                        "autolink": ("<",), "entity": ("&",), "escape": ("\\",)}
# Block rules whose mark is the first of a line, after the marks of the quotations and lists it is in: the line under
# a heading ('---', '==='), a thematic break ('***', '- - -', '___'). Most texts have no line that starts so.
BLOCK_RULES_STARTING_A_LINE = {"lheading": r"[ \t>]*[=-]", "hr": r"(?:[ \t>+]|\d{1,9}[.)])*[-*_]"}
_LINE_STARTS = {rule: (re.compile(start), re.compile("\n" + start)) for rule, start in BLOCK_RULES_STARTING_A_LINE.items()}


def parser_for(text: str) -> MarkdownIt:
    """The parser for `text`: `markdown_parser`, without the rules that cannot apply to it (see BLOCK_RULES_NEEDING).
    (The texts of a building block are read from its YAML, which may write what the Markdown does not hold: "\\u005B"
    is '['. A text with a fence keeps every inline rule.)"""
    if "\r" in text:  # its lines as the parser will see them
        text = NEWLINES_RE.sub("\n", text)
    holds = partial(_holds, text, {})
    skipped = [rule for rule, marks in BLOCK_RULES_NEEDING.items() if not any(map(holds, marks))]
    skipped += [rule for rule, (first, after) in _LINE_STARTS.items() if not (first.match(text) or after.search(text))]
    if "fence" in skipped:
        skipped += [rule for rule, marks in INLINE_RULES_NEEDING.items() if not any(map(holds, marks))]
    return _parser_without(frozenset(skipped))


def _holds(text: str, characters: dict[str, bool], mark: str) -> bool:
    """Whether `text` holds `mark`; looked for only when it holds its first character (`characters`, as found so far),
    since one character is found (or not) many times faster than several."""
    first = mark[0]
    if first not in characters:
        characters[first] = first in text
    return characters[first] and (len(mark) == 1 or mark in text)


@lru_cache(maxsize=None)
def _parser_without(rules: frozenset[str]) -> MarkdownIt:
    if not rules:
        return markdown_parser()
    md = markdown_parser.__wrapped__()  # a parser of its own: the rules of one are not changed under another's parse
    md.block.ruler.disable([rule for rule in sorted(rules) if rule not in INLINE_RULES_NEEDING])
    md.inline.ruler.disable([rule for rule in sorted(rules) if rule in INLINE_RULES_NEEDING])
    return md


# Where each inline rule may start reading: a line break, or one of its marks. (Text is what no other rule reads.)
INLINE_RULES_STARTING = {"text": "", "newline": "\n", "escape": "\\", "backticks": "`", "emphasis": "*_", "strikethrough": "~",
                         "link": "[", "image": "!", "footnote_ref": "[", "autolink": "<", "html_inline": "<", "entity": "&"}
# The inline rules run after those, which change only what emphasis and strikethrough marked
INLINE_RULES_AFTER = frozenset({"balance_pairs", "strikethrough", "emphasis", "fragments_join"})


def parse_inline(state: StateCore) -> None:
    """markdown-it's `inline` core rule; but a paragraph's text in which none of the parser's inline rules can start
    (nearly every paragraph of a report) is made the one text token markdown-it makes of it, without being read a
    character at a time."""
    md = state.md
    marks = _inline_marks(tuple(md.inline.ruler.get_active_rules()), tuple(md.inline.ruler2.get_active_rules()))
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if marks is not None and token.content and not marks.search(token.content):
                token.children.append(Token("text", "", 0, content=token.content))
            else:
                md.inline.parse(token.content, md, state.env, token.children)


@lru_cache(maxsize=None)
def _inline_marks(rules: tuple[str, ...], after: tuple[str, ...]) -> re.Pattern | None:
    """Any character at which one of `rules` may start; None if one of them, or of the rules run `after` them, is not
    known here (such a parser reads every text)."""
    if not set(rules) <= INLINE_RULES_STARTING.keys() or not set(after) <= INLINE_RULES_AFTER:
        return None
    marks = "".join(sorted(set("".join(INLINE_RULES_STARTING[rule] for rule in rules))))
    return re.compile(f"[{re.escape(marks)}]" if marks else "(?!)")


def normalize_line_endings(state: StateCore) -> None:
    """markdown-it's `normalize` (each line ending a line feed, each NUL U+FFFD), run only on text that has something
    for it to change: on text that has not, its two regex passes give the text back as it was, at a tenth of a parse."""
    if "\r" in state.src or "\0" in state.src:
        normalize(state)


def render_text(self, tokens, idx, options, env) -> str:
    """Text, escaped as markdown-it escapes it, but looked at before it is copied: most text has nothing to escape, and
    four searches for a character are many times faster than four replacements."""
    content = tokens[idx].content
    if "&" in content or "<" in content or ">" in content or '"' in content:
        return escapeHtml(content)
    return content


def render_paragraph_open(self, tokens, idx, options, env) -> str:
    """`<p>`, as markdown-it's `renderToken` writes it, without its general steps, for the paragraph of text that nearly
    every paragraph is (a paragraph it hides, or one with attributes or after a hidden one, it renders itself)."""
    token = tokens[idx]
    if token.hidden or token.attrs or (idx and tokens[idx - 1].hidden) or idx + 1 == len(tokens) or tokens[idx + 1].type != "inline":
        return self.renderToken(tokens, idx, options, env)
    return "<p>"


def render_paragraph_close(self, tokens, idx, options, env) -> str:
    """`</p>` and a line break, as `renderToken` writes it (see `render_paragraph_open`)."""
    token = tokens[idx]
    if token.hidden or token.attrs:
        return self.renderToken(tokens, idx, options, env)
    return "</p>\n"


def render_heading(self, tokens, idx, options, env) -> str:
    """Headings one level lower when a part is not the first on its page; ids prefixed on a page of several
    parts, and never one of the site's own; the env's `section_end` (a link back to the contents) before each
    h2 or h3 that ends a section."""
    token = tokens[idx]
    before = ""
    if token.type == "heading_open" and token.tag in ("h2", "h3") and env.get("section_end"):
        if env.get("headings_seen") and tokens[idx - 1].type != "heading_close":
            before = env["section_end"]
        env["headings_seen"] = True
    shift = env.get("heading_shift", 0)
    prefix = env.get("heading_id_prefix", "")
    written_tag, written_id = token.tag, token.attrGet("id")
    token.tag = f"h{min(6, int(written_tag[1]) + shift)}"
    if written_id:
        token.attrSet("id", shown_heading_id(written_id, env.get("site_ids", frozenset()), prefix))
    try:
        return before + self.renderToken(tokens, idx, options, env)
    finally:
        token.tag = written_tag
        if written_id is not None:
            token.attrSet("id", written_id)


def shown_heading_id(written_id: str, site_ids: frozenset[str], prefix: str = "") -> str:
    """A heading's id on its page: prefixed where several parts share the page, and never one of the site's own
    (`site_ids`, those its templates write: templates.site_ids)."""
    shown_id = f"{prefix}{written_id}"
    if shown_id in site_ids or shown_id.startswith(SITE_ID_PREFIXES):
        shown_id += "-section"
    return shown_id


def parse_markdown(text: str, line_offset: int = 0, *, abbreviations: dict[str, str] | None = None,
                   numbering: str = SEQUENCE, series: str | None = PARAGRAPH) -> tuple[list[Token], dict]:
    """Tokens and the per-document env; `line_offset` maps token lines back to the file.

    `abbreviations` (abbreviation -> expansion) marks each use of one for explaining. `numbering`
    ("sequence" or "chapter") and `series` ("paragraph", "recommendation", or None for a document
    whose numbered lists are only lists) say how its numbered paragraphs are written.
    """
    env: dict = {"line_offset": line_offset, "abbreviations": dict(abbreviations or {}),
                 "numbering": numbering, "series": series}
    tokens = parser_for(text).parse(text, env)
    return tokens, env


def inline_tokens(tokens: list[Token]) -> Iterator[Token]:
    """Every `inline` token of a document, in reading order, those inside its building blocks included."""
    for token in tokens:
        if token.type == "inline":
            yield token
        elif token.children and token.type != "inline":
            yield from (child for child in token.children if child.type == "inline")


def render_markdown(tokens: list[Token], env: dict) -> str:
    md = markdown_parser()
    return md.renderer.render(tokens, md.options, env)
