"""Numbered paragraphs: `12. Text` at the start of a block is paragraph 12 of the report.

The report numbers its paragraphs 1 to 129 across every part. Markdown would read
them as an ordered list and renumber them; this plugin keeps the number the editor
wrote, gives each paragraph its stable anchor `#paragraph-N` and a link to itself,
and leaves room for the backlinks that `crossrefs` computes.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def paragraph_anchor(number: int) -> str:
    """The id every numbered paragraph carries, on whichever page holds it."""
    return f"paragraph-{number}"


def numbered_paragraphs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "numbered_paragraphs", number_paragraphs)
    md.add_render_rule("numbered_paragraphs_open", lambda *a: "")
    md.add_render_rule("numbered_paragraphs_close", lambda *a: "")
    md.add_render_rule("numbered_paragraph_open", render_numbered_paragraph_open)
    md.add_render_rule("numbered_paragraph_close", render_numbered_paragraph_close)


def number_paragraphs(state: StateCore) -> None:
    """Turn each top-level ordered list item into a numbered paragraph token."""
    depth = 0
    number = 0
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.level == 0:
            token.type = "numbered_paragraphs_open"
            depth = 1
        elif token.type == "ordered_list_close" and token.level == 0:
            token.type = "numbered_paragraphs_close"
            depth = 0
        elif depth and token.level == 1 and token.type in ("list_item_open", "list_item_close"):
            token.type = token.type.replace("list_item", "numbered_paragraph")
            if token.nesting == 1:
                number = int(token.info)
            token.meta["number"] = number
        elif depth and token.level == 2 and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = False  # a tight list would otherwise drop the <p>


def render_numbered_paragraph_open(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta["number"]
    anchor = paragraph_anchor(number)
    return (
        f'<div class="rs-paragraph" id="{anchor}">\n'
        f'<a class="rs-paragraph__number" href="#{anchor}" aria-label="Paragraph {number}">{number}.</a>\n'
    )


def render_numbered_paragraph_close(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta["number"]
    backlinks = env.get("backlinks", {}).get(number, ())
    # env["figure_links"] (number -> (title, href) of each chart) is given only for the site's own pages
    return render_backlinks(backlinks) + render_chart_links(env.get("figure_links", {}).get(number, ())) + "</div>\n"


def render_chart_links(charts) -> str:
    """'Key figures chart: How long care proceedings take', a link to the chart drawn from the paragraph."""
    if not charts:
        return ""
    links = [f'<a href="{escape(href)}">{escape(title)}</a>' for title, href in charts]
    noun = "Key figures chart" if len(links) == 1 else "Key figures charts"
    return f'<p class="rs-paragraph__charts">{noun}: {_join(links)}</p>\n'


def render_backlinks(backlinks) -> str:
    """'Cited in recommendations 4 and 6', each number a link back to what cites it."""
    if not backlinks:
        return ""
    groups: dict[str, list] = {}
    for backlink in backlinks:
        groups.setdefault(backlink.kind, []).append(backlink)
    phrases = []
    for kind, items in groups.items():
        noun = kind if len(items) == 1 else kind + "s"
        links = [f'<a href="{escape(b.href)}">{escape(b.label)}</a>' for b in items]
        phrases.append(f"{noun} {_join(links)}")
    return f'<p class="rs-paragraph__backlinks">Cited in {_join(phrases)}</p>\n'


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
