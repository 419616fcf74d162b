"""Abbreviations: each one is explained where a reader first meets it on a page, without a word
added to the report's text.

A core rule splits text tokens around every whole-word use of an abbreviation
listed in `env["abbreviations"]` (plurals such as "CAFs" included) into
`abbreviation` tokens, without changing a character of the report's wording.
Text inside links, citations and headings is left alone.

Which use comes first is only known once a whole page is put together (a page
can hold several parts, and text from YAML), so the renderer writes every use as
a candidate, and `explain_abbreviations` then turns the first candidate of each
abbreviation on the page into a link to its glossary entry, and every later one
back into plain text. On the web pages the link is described by the expansion,
which sits outside the text, in a hidden list before `</body>`:

    <a class="rs-abbr" href="glossary.html#abbreviation-caf" aria-describedby="abbreviation-caf-expansion"
    data-rs-expansion="Common Assessment Framework"><abbr>CAF</abbr></a>
    ...
    <dl class="rs-abbreviations-used" hidden>
    <div><dt>CAF</dt><dd id="abbreviation-caf-expansion">Common Assessment Framework</dd></div>
    </dl>

A screen reader reads the link as "CAF" and its description as the expansion; the
stylesheet lays the expansion (`data-rs-expansion`) over the page beside the link
while it is hovered or focused, moving nothing; copying, printing or reading the
page aloud gives the report's words only. Where the text already spells an
abbreviation out before its first use ("Signs of Safety (SoS)"), it is not explained.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
CANDIDATE = re.compile(r'<abbr data-rs-abbreviation="(?P<key>[^"]+)">(?P<text>[^<]+)</abbr>')


def abbreviation_anchor(abbreviation: str) -> str:
    """The id of an abbreviation's entry in the glossary (and in the large print edition): 'abbreviation-caf'.

    One made of more than letters and digits ('C++', 'C#', 'A&E') ends with a short digest of what is
    written, so that no two share an id; two that differ only in capitals are refused when the list is loaded.
    """
    anchor = "abbreviation-" + re.sub(r"[^a-z0-9]+", "-", abbreviation.lower())
    if ALPHANUMERIC.fullmatch(abbreviation):
        return anchor
    return f"{anchor.rstrip('-')}-{hashlib.sha256(abbreviation.encode('utf-8')).hexdigest()[:8]}"


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("abbreviations", mark_abbreviations)
    md.add_render_rule("abbreviation", render_abbreviation)
    for kind in ("code_inline", "code_block", "fence"):
        md.add_render_rule(kind, _marking_code(md.renderer.rules[kind]))


def _marking_code(render: Callable) -> Callable:
    """Code, whose words are not text tokens, with its abbreviations marked as the text around it is (as
    `mark_abbreviations_in_html` would mark them in the page), unless it is in a link or a heading."""
    def render_code(self, tokens, idx, options, env) -> str:
        html = render(tokens, idx, options, env)
        return mark_site_html(html, env) if tokens[idx].meta.get("abbreviations") else html
    return render_code


def mark_site_html(html: str, env: dict) -> str:
    """HTML a renderer writes besides the report's text tokens (code; what the site adds: backlinks, a block's
    labels) marked as `mark_abbreviations_in_html` marks a page, so that a part's HTML needs no second pass.
    A paragraph quoted as evidence is marked whole where its quote is put (`env["quoting"]`)."""
    abbreviations = env.get("abbreviations")
    if not abbreviations or env.get("quoting"):
        return html
    return mark_abbreviations_in_html(html, abbreviations)


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
    scan = _scan_pattern(tuple(sorted(abbreviations)))
    in_heading = False
    for block in state.tokens:
        if block.type == "heading_open":
            in_heading = True
        elif block.type == "heading_close":
            in_heading = False
        elif block.type in ("code_block", "fence"):
            block.meta["abbreviations"] = True  # marked when rendered
        if block.type != "inline" or not block.children or in_heading:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and not link_depth and (pieces := _split(child.content, scan)):
                children += pieces
            else:
                if child.type == "code_inline" and not link_depth:
                    child.meta["abbreviations"] = True  # marked when rendered
                children.append(child)
        block.children = children


def _split(text: str, scan: re.Pattern) -> list[Token]:
    """The text as text and `abbreviation` tokens, in one pass of the regex engine; [] if it uses no abbreviation."""
    pieces: list[Token] = []
    position = 0
    for match in _uses(text, scan):
        if match.start() > position:
            pieces.append(Token("text", "", 0, content=text[position : match.start()]))
        pieces.append(Token("abbreviation", "abbr", 0, content=match.group(), meta={"abbreviation": match.group("key")}))
        position = match.end()
    if pieces and position < len(text):
        pieces.append(Token("text", "", 0, content=text[position:]))
    return pieces


def render_abbreviation(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return _candidate(token.meta["abbreviation"], token.content)


@lru_cache(maxsize=4096)  # the same few abbreviations, written the same few ways, tens of thousands of times
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
    return _uses(text, _scan_pattern(keys))


def _uses(text: str, scan: re.Pattern):
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


def explain_abbreviations(html: str, abbreviations: Mapping[str, str], href: Callable[[str], str],
                          describe: bool = True) -> str:
    """The page with the first candidate of each abbreviation explained and the rest plain text.

    The first use becomes a link to the glossary; with `describe` (the web pages), the link carries
    the expansion as its accessible description and as the overlay shown on hover and focus, and
    the descriptions are listed, hidden, before the `</body>` that follows the last candidate. A first use whose block already spells
    the abbreviation out before it ("Signs of Safety (SoS)") is left as it is written.
    (The page is split at its candidates in one pass of the regex engine, and put back together
    without them; a one-page edition holds tens of thousands.)
    """
    pieces = CANDIDATE.split(html)  # text, key, abbreviation as written, text, key, ...
    keys = pieces[1::3]
    first_of = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
    described: list[tuple[int, str]] = []
    for key, index in first_of.items():
        if key not in abbreviations or _spelled_out(abbreviations[key], pieces, index):
            continue
        text, link = pieces[3 * index + 2], escape(href(abbreviation_anchor(key)))
        if describe:
            pieces[3 * index + 2] = (f'<a class="rs-abbr" href="{link}" aria-describedby="{expansion_id(key)}" '
                                     f'data-rs-expansion="{escape(abbreviations[key])}"><abbr>{text}</abbr></a>')
            described.append((index, key))
        else:
            pieces[3 * index + 2] = f'<a class="rs-abbr" href="{link}"><abbr>{text}</abbr></a>'
    del pieces[1::3]
    if described:  # into the text after the last candidate, not into the page: a one-page edition is megabytes
        end = pieces[-1].rfind("</body>")
        end = len(pieces[-1]) if end < 0 else end
        pieces[-1] = pieces[-1][:end] + _descriptions(sorted(described), abbreviations) + pieces[-1][end:]
    return "".join(pieces)


def expansion_id(abbreviation: str) -> str:
    """The id of the hidden element that describes an explained abbreviation on a page."""
    return abbreviation_anchor(abbreviation) + "-expansion"


def _descriptions(described: list[tuple[int, str]], abbreviations: Mapping[str, str]) -> str:
    """The expansions the page's abbreviation links are described by: hidden, outside the report's text
    (printed, as a list of the abbreviations on the page)."""
    entries = "".join(f'<div><dt>{escape(key, quote=False)}</dt><dd id="{expansion_id(key)}">'
                      f'{escape(abbreviations[key], quote=False)}</dd></div>\n' for _, key in described)
    return f'<dl class="rs-abbreviations-used" hidden>\n{entries}</dl>\n'


# The tags that begin or end a block of text: how far back a sentence may have spelled an abbreviation out.
_BLOCK_TAG = re.compile(r"</?(?:p|li|dd|dt|td|th|div|h[1-6]|caption|figcaption|blockquote|section|article|aside|"
                        r"table|tr|ul|ol|dl|main|header|footer|nav|body)(?=[\s/>])", re.IGNORECASE)


def _spelled_out(expansion: str, pieces: list[str], index: int) -> bool:
    """Whether the text of the block the `index`th candidate is in spells `expansion` out before it, as whole
    words, in any case, perhaps in the plural ("independent reviewing officers (IROs)")."""
    before: list[str] = []
    position = 3 * index  # the text before the candidate; then the candidate before it, the text before that...
    while position >= 0:
        piece = pieces[position]
        if position % 3 == 0:
            start = _last_block_tag(piece)
            if start is not None:
                before.append(piece[start:])
                break
        before.append(piece)
        position -= 1 if position % 3 == 0 else 2
    text, wanted = _words(unescape(TAG.sub("", "".join(reversed(before))))), _words(expansion)
    return wanted in text and _spelling_out(wanted).search(text) is not None


def _last_block_tag(text: str) -> int | None:
    """Where the last block tag in `text` starts (None if it has none), looking back from its end."""
    position = len(text)
    while (position := text.rfind("<", 0, position)) >= 0:
        if _BLOCK_TAG.match(text, position):
            return position
    return None


@lru_cache(maxsize=1024)
def _spelling_out(words: str) -> re.Pattern:
    """`words` as whole words, perhaps in the plural."""
    return re.compile(rf"(?<!\w){re.escape(words)}(?:s|es)?(?!\w)")


def _words(text: str) -> str:
    """Text to compare as words: lower case, one space between words, one kind of apostrophe."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


class NotInPieces(Exception):
    """A page that cannot be finished a piece at a time exactly as it is finished whole (some '<' in its marked text
    is not a tag of its own): it is finished whole."""


def mark_piece_of_html(html: str, abbreviations: Mapping[str, str], depth: int) -> tuple[str, int]:
    """`mark_abbreviations_in_html` for a piece of a text cut before a tag: (the piece marked, elements left open at
    its end), `depth` of them open at its start. Raises NotInPieces where the whole text would be marked otherwise."""
    if not abbreviations:
        return html, depth
    if _UNCLOSED_TAG.search(html):
        raise NotInPieces
    return _mark_chunk(html, tuple(sorted(abbreviations)), depth)


def explain_in_pieces(pieces: Iterable[str], abbreviations: Mapping[str, str], href: Callable[[str], str],
                      describe: bool = True) -> Iterator[str]:
    """`explain_abbreviations` for a page given in pieces, each cut before a tag: the same page, a piece at a time,
    holding only the text since the last block tag (to see whether the block spelled an abbreviation out) and
    the text after the last '</body>' that follows the last candidate (where the descriptions go)."""
    seen: set[str] = set()
    described: list[tuple[int, str]] = []
    block = ""  # the text since the last block tag, for _spelled_out
    held: list[str] = []  # from the first '</body>' after the last candidate on
    for piece in pieces:
        parts = CANDIDATE.split(piece)  # text, key, abbreviation as written, text, key, ...
        keys = set(parts[1::3])
        if not held and not (keys - seen).intersection(abbreviations) and "</body>" not in piece:
            # no abbreviation to explain in it (most of a one-page edition): each candidate is its text as written
            seen |= keys
            del parts[1::3]
            text = "".join(parts)
            start = _last_block_tag(text)
            block = block + text if start is None else text[start:]
            yield text
            continue
        out: list[str] = []
        for index in range(0, len(parts), 3):
            text = parts[index]
            if index:  # a candidate, then the text after it
                key, written = parts[index - 2], parts[index - 1]
                out += held
                held = []
                if key not in seen:
                    seen.add(key)
                    if key in abbreviations and not _spelled_out(abbreviations[key], [block], 0):
                        link = escape(href(abbreviation_anchor(key)))
                        if describe:
                            written = (f'<a class="rs-abbr" href="{link}" aria-describedby="{expansion_id(key)}" '
                                       f'data-rs-expansion="{escape(abbreviations[key])}"><abbr>{written}</abbr></a>')
                            described.append((len(described), key))
                        else:
                            written = f'<a class="rs-abbr" href="{link}"><abbr>{written}</abbr></a>'
                block += parts[index - 1]
                out.append(written)
            start = _last_block_tag(text)
            block = block + text if start is None else text[start:]
            if held:
                held.append(text)
            elif (end := text.find("</body>")) >= 0:
                out.append(text[:end])
                held.append(text[end:])
            else:
                out.append(text)
        yield "".join(out)
    tail = "".join(held)
    if described:
        end = tail.rfind("</body>")
        end = len(tail) if end < 0 else end
        tail = tail[:end] + _descriptions(described, abbreviations) + tail[end:]
    yield tail
