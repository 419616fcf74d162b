"""Footnotes as the report prints them, announced as footnotes.

mdit-py-plugins parses `[^2]` and its definition; these renderers replace its
default markup so each reference keeps its printed label, is a `doc-noteref`,
and each note is a `doc-footnote` with a back link that says what it does.
`env["footnote_prefix"]` keeps the ids of one part's notes apart from another's on a page that shows several.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_def

from .abbreviations import mark_site_html


def footnotes_plugin(md: MarkdownIt) -> None:
    md.use(footnote_plugin, inline=False)
    md.block.ruler.before("footnote_def", "footnote_definition_lines", record_footnote_definition)
    md.add_render_rule("footnote_ref", render_footnote_ref)
    md.add_render_rule("footnote_block_open", render_footnote_block_open)
    md.add_render_rule("footnote_block_close", lambda *a: "</section>\n")
    md.add_render_rule("footnote_open", render_footnote_open)
    md.add_render_rule("footnote_close", lambda *a: "</div>\n")
    md.add_render_rule("footnote_anchor", render_footnote_anchor)


def record_footnote_definition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Note in `env["footnote_definitions"]` the label and line of each note, for the checks of a part:
    the parser keeps only the last note of a label, and drops a note nothing refers to. Parses nothing."""
    if not silent and footnote_def(state, start_line, end_line, True):
        start = state.bMarks[start_line] + state.tShift[start_line]
        label = state.src[start + 2 : state.src.index("]", start)]
        state.env.setdefault("footnote_definitions", []).append((label, start_line))
    return False


# A label that is kept as it is written in ids: no two of these, and no prefix, can run together into another.
PLAIN_LABEL = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")


def footnote_id(label: str, prefix: str = "") -> str:
    """The id of a note: 'footnote-2'; on a page that shows the notes of several parts, 'footnote-findings--2'
    (`prefix`, a slug, holds no '--'). A label of other characters ends with a short digest of what is written."""
    if not PLAIN_LABEL.fullmatch(label):
        label = f"{re.sub(r'[^A-Za-z0-9]+', '-', label).strip('-') or 'note'}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:8]}"
    return f"footnote-{prefix}--{label}" if prefix else f"footnote-{label}"


def _ref_id(label: str, sub_id: int, prefix: str = "") -> str:
    suffix = f"__{sub_id + 1}" if sub_id else ""
    return footnote_id(label, prefix).replace("footnote-", "footnote-reference-", 1) + suffix


def render_footnote_ref(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    label, prefix = meta["label"], env.get("footnote_prefix", "")
    # Named "Footnote 2" by aria-label, not by a hidden word: the reference sits inside the report's
    # sentence, whose text (copied, printed, in an e-book without the stylesheet) must stay the report's.
    return (
        f'<sup class="rs-footnote-ref"><a href="#{footnote_id(label, prefix)}" '
        f'id="{_ref_id(label, meta["subId"], prefix)}" role="doc-noteref" aria-label="Footnote {escape(label)}">'
        f'{escape(label)}</a></sup>'
    )


def render_footnote_block_open(self, tokens, idx, options, env) -> str:
    """The notes under their own heading; `env` may name its id and shift its level, for a page of many parts."""
    heading_id = escape(env.get("footnotes_id", "footnotes-title"))
    level = min(6, 2 + env.get("heading_shift", 0))
    of = env.get("footnotes_of")  # what the notes belong to, for screen readers, when a page has several sets
    hidden = f'<span class="rs-visually-hidden"> to {escape(of)}</span>' if of else ""
    return (
        f'<section class="rs-footnotes" aria-labelledby="{heading_id}">\n'
        f'<h{level} class="rs-footnotes__title" id="{heading_id}">Footnotes{hidden}</h{level}>\n'
    )


def render_footnote_open(self, tokens, idx, options, env) -> str:
    label = tokens[idx].meta["label"]
    return mark_site_html(
        f'<div class="rs-footnote" id="{footnote_id(label, env.get("footnote_prefix", ""))}" role="doc-footnote">\n'
        f'<span class="rs-footnote__number">{escape(label)}</span>\n', env)


def render_footnote_anchor(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    label = meta["label"]
    return (
        f' <a class="rs-footnote__back" href="#{_ref_id(label, meta["subId"], env.get("footnote_prefix", ""))}" role="doc-backlink">'
        f'Back to text<span class="rs-visually-hidden"> (footnote {escape(label)} reference)</span></a>'
    )
