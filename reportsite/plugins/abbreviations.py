"""Abbreviations: each one is explained where a reader first meets it on a page.

A core rule splits text tokens around every whole-word use of an abbreviation
listed in `env["abbreviations"]` (plurals such as "CAFs" included) into
`abbreviation` tokens, without changing a character of the report's wording.
Text inside links, citations and headings is left alone.

Which use comes first is only known once a whole page is put together (a page
can hold several parts, and text from YAML), so the renderer writes every use as
a candidate, and `explain_abbreviations` then turns the first candidate of each
abbreviation on the page into a link to its glossary entry that carries the
expansion, and every later one back into plain text:

    <a class="rs-abbr" href="glossary.html#abbreviation-caf"><abbr>CAF</abbr><span
    class="rs-abbr__expansion"> (Common Assessment Framework)</span></a>

The expansion is part of the link's name, so screen readers announce it; the
stylesheet shows it beside the abbreviation while the link is hovered or focused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

CANDIDATE = re.compile(r'<abbr data-rs-abbreviation="(?P<key>[^"]+)">(?P<text>[^<]+)</abbr>')


def abbreviation_anchor(abbreviation: str) -> str:
    """The id of an abbreviation's entry in the glossary (and in the large print edition)."""
    return "abbreviation-" + re.sub(r"[^a-z0-9]+", "-", abbreviation.lower())


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("abbreviations", mark_abbreviations)
    md.add_render_rule("abbreviation", render_abbreviation)


@lru_cache(maxsize=8)
def _pattern(keys: tuple[str, ...]) -> re.Pattern:
    """Whole words: the abbreviation, or its plural with a lower-case s."""
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=lambda k: (-len(k), k)))
    return re.compile(rf"(?<![A-Za-z0-9])(?P<key>{alternatives})s?(?![A-Za-z0-9])")


def abbreviation_pattern(abbreviations: Mapping[str, str]) -> re.Pattern | None:
    return _pattern(tuple(sorted(abbreviations))) if abbreviations else None


def mark_abbreviations(state: StateCore) -> None:
    """Split text tokens so each use of a listed abbreviation is its own `abbreviation` token."""
    abbreviations = state.env.get("abbreviations") or {}
    if not abbreviations:
        return
    keys = tuple(sorted(abbreviations))
    in_heading = False
    for block in state.tokens:
        if block.type == "heading_open":
            in_heading = True
        elif block.type == "heading_close":
            in_heading = False
        if block.type != "inline" or not block.children or in_heading:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and not link_depth and next(_abbreviation_uses(child.content, keys), None):
                children.extend(_split(child.content, keys))
            else:
                children.append(child)
        block.children = children


def _split(text: str, keys: tuple[str, ...]) -> list[Token]:
    pieces: list[Token] = []
    position = 0
    for match in _abbreviation_uses(text, keys):
        if match.start() > position:
            pieces.append(_token("text", text[position : match.start()]))
        token = _token("abbreviation", match.group())
        token.meta = {"abbreviation": match.group("key")}
        pieces.append(token)
        position = match.end()
    if position < len(text):
        pieces.append(_token("text", text[position:]))
    return pieces


def _token(kind: str, content: str) -> Token:
    token = Token(kind, "abbr" if kind == "abbreviation" else "", 0)
    token.content = content
    return token


def render_abbreviation(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return _candidate(token.meta["abbreviation"], token.content)


def _candidate(key: str, text: str) -> str:
    return f'<abbr data-rs-abbreviation="{escape(key)}">{escape(text, quote=False)}</abbr>'


def mark_abbreviations_in_text(text: str, abbreviations: Mapping[str, str]) -> str:
    """Plain text (from YAML or a template) as HTML, with each abbreviation a candidate."""
    pattern = abbreviation_pattern(abbreviations)
    if pattern is None:
        return escape(text, quote=False)
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()], quote=False))
        pieces.append(_candidate(match.group("key"), match.group()))
        position = match.end()
    pieces.append(escape(text[position:], quote=False))
    return "".join(pieces)


TAG = re.compile(r"(<[^>]*>)")
LEFT_ALONE = {"a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "script", "style"}


def mark_abbreviations_in_html(html: str, abbreviations: Mapping[str, str], memo: MarkedChunks | None = None) -> str:
    """HTML from a template with each abbreviation in its text a candidate; links, headings and abbrs left alone.

    Exactly what `mark_abbreviations_in_html_by_pieces` does, in one pass of the regex engine
    over the page rather than one call per piece of text: a one-page edition is the whole
    report, and this runs on every page of every build. With a `memo` (a serve session's),
    the page is marked in chunks, and a chunk marked before is not marked again.
    """
    if not abbreviations:
        return html
    keys = tuple(sorted(abbreviations))
    marked: list[str] = []
    depth = 0  # how many links, headings, abbrs... are open
    for chunk in (_chunks(html) if memo is not None else (html,)):
        done = memo.get(keys, chunk, depth) if memo is not None else None
        if done is None:
            if _UNCLOSED_TAG.search(chunk):  # some '<' is not a tag of its own: split the page as the reference does
                return mark_abbreviations_in_html_by_pieces(html, abbreviations)
            done = _mark_chunk(chunk, keys, depth)
            if memo is not None:
                memo.put(keys, chunk, depth, done)
        marked.append(done[0])
        depth = done[1]
    return "".join(marked)


def _mark_chunk(html: str, keys: tuple[str, ...], depth: int) -> tuple[str, int]:
    """(`html` marked, elements left open at its end), `depth` of them open at its start."""
    pieces: list[str] = []
    position = 0
    tags = _LEFT_ALONE_TAG.finditer(html)
    tag = next(tags, None)

    def open_and_close(before: int) -> None:
        nonlocal tag, depth
        while tag is not None and tag.start() < before:
            if not tag.group().endswith("/>"):
                depth = max(depth - 1, 0) if tag.group(1) else depth + 1
            tag = next(tags, None)

    for use in _abbreviation_uses(html, keys):
        start = use.start()
        open_and_close(start)
        if depth or html.rfind("<", 0, start) > html.rfind(">", 0, start):  # left alone, or inside a tag
            continue
        pieces += (html[position:start], _candidate(use.group("key"), use.group()))
        position = use.end()
    open_and_close(len(html))
    pieces.append(html[position:])
    return "".join(pieces), depth


_CHUNK_CUT = re.compile(r"\n(?=<div[\s>])")


def _chunks(html: str) -> list[str]:
    """The page cut at the start of some of its `<div` lines, each chosen by the text that follows it
    (about one in 16), so that an edit moves no cut but those in the text it changed."""
    cuts = [cut.end() for cut in _CHUNK_CUT.finditer(html) if not hash(html[cut.end():cut.end() + 64]) & 15]
    return [html[start:end] for start, end in zip([0, *cuts], [*cuts, len(html)])]


class MarkedChunks:
    """Chunks of pages already marked, for a serve session: each kept while the builds use it."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[str, int]] = {}
        self._used: dict[tuple, tuple[str, int]] = {}

    def get(self, keys: tuple[str, ...], chunk: str, depth: int) -> tuple[str, int] | None:
        key = (keys, chunk, depth)
        done = self._used.get(key) or self._kept.get(key)
        if done is not None:
            self._used[key] = done
        return done

    def put(self, keys: tuple[str, ...], chunk: str, depth: int, done: tuple[str, int]) -> None:
        self._used[(keys, chunk, depth)] = done

    def next_build(self) -> None:
        """Keep only what the last build used."""
        self._kept, self._used = self._used, {}


_UNCLOSED_TAG = re.compile(r"<[^<>]*+(?:<|\Z)")
_LEFT_ALONE_TAG = re.compile(r"<(/?)(?:%s)(?![A-Za-z0-9])[^>]*>" % "|".join(sorted(LEFT_ALONE, key=lambda n: (-len(n), n))),
                             re.IGNORECASE | re.ASCII)
_ALPHANUMERIC = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


@lru_cache(maxsize=8)
def _scan_pattern(keys: tuple[str, ...]) -> re.Pattern:
    """`_pattern` without its look-behind, which stops the regex engine skipping to the next candidate."""
    return re.compile(_pattern(keys).pattern.replace("(?<![A-Za-z0-9])", "", 1))


def _abbreviation_uses(text: str, keys: tuple[str, ...]):
    """The matches of `_pattern(keys)` in `text`, found with `_scan_pattern` and the look-behind checked here."""
    scan = _scan_pattern(keys)
    position = 0
    while (use := scan.search(text, position)) is not None:
        start = use.start()
        if start and text[start - 1] in _ALPHANUMERIC:
            position = start + 1
            continue
        yield use
        position = use.end()


def mark_abbreviations_in_html_by_pieces(html: str, abbreviations: Mapping[str, str]) -> str:
    """The reference for `mark_abbreviations_in_html`: the page split into tags and text, piece by piece."""
    pattern = abbreviation_pattern(abbreviations)
    if pattern is None:
        return html
    pieces = TAG.split(html)
    inside: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = re.match(r"</?([A-Za-z0-9]+)", piece)
            if name and name.group(1).lower() in LEFT_ALONE and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if inside:
                        inside.pop()
                else:
                    inside.append(name.group(1).lower())
        elif piece and not inside:
            pieces[index] = pattern.sub(lambda m: _candidate(m.group("key"), m.group()), piece)
    return "".join(pieces)


def explain_abbreviations(html: str, abbreviations: Mapping[str, str], href: Callable[[str], str]) -> str:
    """The page with the first candidate of each abbreviation explained and the rest plain text.

    (The page is split at its candidates in one pass of the regex engine, and put back together
    without them; a one-page edition holds tens of thousands.)
    """
    pieces = CANDIDATE.split(html)  # text, key, abbreviation as written, text, key, ...
    keys = pieces[1::3]
    first_of = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
    for key, index in first_of.items():
        if key in abbreviations:
            text = pieces[3 * index + 2]
            pieces[3 * index + 2] = (
                f'<a class="rs-abbr" href="{escape(href(abbreviation_anchor(key)))}"><abbr>{text}</abbr>'
                f'<span class="rs-abbr__expansion"> ({escape(abbreviations[key], quote=False)})</span></a>'
            )
    del pieces[1::3]
    return "".join(pieces)
