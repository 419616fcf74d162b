"""Footnotes as the report prints them, announced as footnotes.

mdit-py-plugins parses `[^2]` and its definition; these renderers replace its
default markup so each reference keeps its printed label, is a `doc-noteref`,
and each note is a `doc-footnote` with a back link that says what it does.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin


def footnotes_plugin(md: MarkdownIt) -> None:
    md.use(footnote_plugin, inline=False)
    md.add_render_rule("footnote_ref", render_footnote_ref)
    md.add_render_rule("footnote_block_open", render_footnote_block_open)
    md.add_render_rule("footnote_block_close", lambda *a: "</section>\n")
    md.add_render_rule("footnote_open", render_footnote_open)
    md.add_render_rule("footnote_close", lambda *a: "</div>\n")
    md.add_render_rule("footnote_anchor", render_footnote_anchor)


def footnote_id(label: str) -> str:
    return "footnote-" + re.sub(r"[^A-Za-z0-9_-]+", "-", label)


def _ref_id(label: str, sub_id: int) -> str:
    suffix = f"-{sub_id + 1}" if sub_id else ""
    return footnote_id(label).replace("footnote-", "footnote-reference-", 1) + suffix


def render_footnote_ref(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    label = meta["label"]
    return (
        f'<sup class="rs-footnote-ref"><a href="#{footnote_id(label)}" '
        f'id="{_ref_id(label, meta["subId"])}" role="doc-noteref">'
        f'<span class="rs-visually-hidden">Footnote </span>{escape(label)}</a></sup>'
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
    return (
        f'<div class="rs-footnote" id="{footnote_id(label)}" role="doc-footnote">\n'
        f'<span class="rs-footnote__number">{escape(label)}</span>\n'
    )


def render_footnote_anchor(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    label = meta["label"]
    return (
        f' <a class="rs-footnote__back" href="#{_ref_id(label, meta["subId"])}" role="doc-backlink">'
        f'Back to text<span class="rs-visually-hidden"> (footnote {escape(label)} reference)</span></a>'
    )
