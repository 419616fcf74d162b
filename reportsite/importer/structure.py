"""Find the report's structure in the blocks a reader found: title, parts, numbered paragraphs,
recommendations, footnotes; and rejoin what the printed page cut (page breaks, hyphenated words)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .layout import HARD_HYPHEN_BREAK, NUMBERED, PLAIN_DIGITS, SOFT_HYPHEN_BREAK, SUPERSCRIPTS, superscript
from .model import Block, Change, ImportedReport, LeftOut, Paragraph, Part, Source, Where

RECOMMENDATIONS_TITLE = re.compile(r"recommendation", re.IGNORECASE)
WORD = re.compile(r"[^\s]+")
MARKER = re.compile(rf"[{SUPERSCRIPTS}]+")


def find_structure(source: Source) -> ImportedReport:
    """The report in `source`: its title and parts, with what was left out or changed said."""
    changes = list(source.changes)
    left_out = list(source.left_out)
    blocks = [block for block in source.blocks if block.kind != "contents"]
    contents = [row[0] for block in source.blocks if block.kind == "contents" for row in block.rows]
    blocks = _join_page_breaks(blocks, changes)
    _rejoin_hyphenated_words(blocks, changes)
    title, title_where, blocks = _take_title(blocks, source.title_hint, left_out)
    parts = _make_parts(title, blocks, contents)
    numbering = _number_paragraphs(parts, changes)
    _mark_recommendations(parts)
    _place_notes(parts)
    return ImportedReport(source, title, parts, numbering, left_out, changes, title_where)


# -- what the page cut -------------------------------------------------------------------------

def _rejoin_hyphenated_words(blocks: list[Block], changes: list[Change]) -> None:
    """A word broken at a line end by the typesetter is joined; a word printed with a hyphen keeps it.

    A typesetter's hyphen (soft hyphen, U+2010) only breaks a word. A hyphen-minus at a line end is
    kept ("well-joined") unless the report prints the word unbroken elsewhere and never with a hyphen.
    """
    words = Counter(token.strip(".,;:()[]'\"‘’“”").lower()
                    for block in blocks for text in _texts(block) for token in WORD.findall(text)
                    if HARD_HYPHEN_BREAK not in token and SOFT_HYPHEN_BREAK not in token)
    pattern = re.compile(rf"(\S*)([{HARD_HYPHEN_BREAK}{SOFT_HYPHEN_BREAK}])(\S*)")

    def resolve(match: re.Match, block: Block) -> str:
        left, mark, right = match.groups()
        bare_left, bare_right = left.lstrip("(\"'‘“").lower(), right.rstrip(".,;:)]'\"’”").lower()
        joined = bare_left + bare_right
        if mark == SOFT_HYPHEN_BREAK or (words[joined] and not words[f"{bare_left}-{bare_right}"]):
            changes.append(Change(block.where, f"'{left}-' at a line end and '{right}' joined as '{left}{right}' "
                                               "(a word the line break had hyphenated)"))
            return left + right
        return f"{left}-{right}"

    for block in blocks:
        if HARD_HYPHEN_BREAK in block.text or SOFT_HYPHEN_BREAK in block.text:
            block.text = pattern.sub(lambda m, b=block: resolve(m, b), block.text)
        block.lines = [pattern.sub(lambda m, b=block: resolve(m, b), line) for line in block.lines]
        block.rows = [[pattern.sub(lambda m, b=block: resolve(m, b), cell) for cell in row] for row in block.rows]


def _texts(block: Block) -> list[str]:
    return [block.text] + [cell for row in block.rows for cell in row]


def _join_page_breaks(blocks: list[Block], changes: list[Change]) -> list[Block]:
    """A paragraph cut by a page break is one paragraph again (the reader marks the rest: `continues`)."""
    kept: list[Block] = []
    for block in blocks:
        before = _last_paragraph(kept)
        if block.kind == "text" and block.continues and before is not None:
            space = "" if block.text[:1] in (HARD_HYPHEN_BREAK, SOFT_HYPHEN_BREAK) else " "
            before.text = f"{before.text}{space}{block.text}"
            changes.append(Change(block.where, f"joined to the paragraph before it, at {before.where}, "
                                               "which a page break had cut"))
            continue
        kept.append(block)
    return kept


def _last_paragraph(blocks: list[Block]) -> Block | None:
    """The paragraph a page break may have cut: the last text or list item, notes between aside."""
    for block in reversed(blocks):
        if block.kind == "note":
            continue
        return block if block.kind in ("text", "item") else None
    return None


# -- title and parts ---------------------------------------------------------------------------

def _take_title(blocks: list[Block], hint: str, left_out: list) -> tuple[str, Where | None, list[Block]]:
    """The report's title, where it was printed, and the blocks without the one that printed it."""
    if hint:
        printed = next((b for b in blocks if b.kind == "heading" and b.heading_level == -1), None)
        return hint, printed.where if printed else None, [b for b in blocks if not (b.kind == "heading" and b.heading_level == -1)]
    headings = [b for b in blocks[:40] if b.kind == "heading"]
    ranked = [b for b in headings if b.heading_level]
    if ranked:
        top = min(b.heading_level for b in ranked)
        first = next(b for b in ranked if b.heading_level == top)
    elif blocks and blocks[0].kind in ("heading", "text") and len(blocks[0].text) <= 200 and not NUMBERED.match(blocks[0].text):
        first = blocks[0]
    elif headings:
        first = headings[0]
    else:
        return "Untitled report", None, blocks
    title = " ".join(first.lines) if first.lines else _plain(first.text)
    markers = MARKER.findall(title)
    if markers:
        left_out.append(LeftOut(first.where, " ".join(markers), "a footnote marker after the title, which the site "
                                                                "shows without it; the note stays in the text"))
    return MARKER.sub("", title).strip(), first.where, [b for b in blocks if b is not first]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    """A heading as a contents list may print it: case, spacing, footnote markers and final dots aside."""
    text = text.translate(str.maketrans("", "", SUPERSCRIPTS))
    return re.sub(r"[\s.:]+$", "", " ".join(text.split()).lower())


def _make_parts(title: str, flow: list[Block], contents: list[str]) -> list[Part]:
    headings = [b for b in flow if b.kind == "heading"]
    part_headings = _part_headings(headings, contents)
    levels = [b.heading_level for b in part_headings if b.heading_level]
    part_level = min(levels) if levels else 0
    parts: list[Part] = []
    slugs: Counter = Counter()
    current: Part | None = None
    for index, block in enumerate(flow):
        if block in part_headings:
            if current is not None and not current.paragraphs and current.title != title \
                    and index and flow[index - 1] in part_headings:
                # a part heading straight after another (its first section): a heading in that part
                current.paragraphs.append(Paragraph("heading", block.text, level=2))
                continue
            current = Part(_plain(block.text), _slug(block.text, slugs), where=block.where)
            parts.append(current)
            continue
        if current is None:
            current = Part(title, _slug(title, slugs))
            parts.append(current)
        current.paragraphs.append(_paragraph(block, part_level))
    return [part for part in parts if part.paragraphs or part.title != title]


def _part_headings(headings: list[Block], contents: list[str]) -> list[Block]:
    """The headings that start parts: those of the contents list, else those of the largest type."""
    if contents:
        found = []
        wanted = [_key(entry) for entry in contents]
        position = 0
        for heading in headings:
            key = _key(heading.text)
            for ahead in range(position, min(position + 4, len(wanted))):
                if key == wanted[ahead] or (len(wanted[ahead]) > 20 and key.startswith(wanted[ahead])):
                    found.append(heading)
                    position = ahead + 1
                    break
        if found:
            return found
    ranked = [h for h in headings if h.heading_level]
    if ranked:
        top = min(h.heading_level for h in ranked)
        return [h for h in ranked if h.heading_level == top]
    repeated = Counter(_key(h.text) for h in headings)
    return [h for h in headings if repeated[_key(h.text)] == 1 and not h.weak]


def _paragraph(block: Block, part_level: int) -> Paragraph:
    paragraph = _paragraph_of(block, part_level)
    paragraph.where = block.where
    return paragraph


def _paragraph_of(block: Block, part_level: int) -> Paragraph:
    if block.kind == "heading" and block.weak:
        return Paragraph("prose", block.text)
    if block.kind == "heading":
        level = 2 + max(0, (block.heading_level or part_level + 1) - part_level - 1)
        return Paragraph("heading", _plain(block.text), level=min(level, 6))
    if block.kind == "item":
        return Paragraph("item", block.text, depth=block.depth, lines=block.lines)
    if block.kind == "table":
        return Paragraph("table", rows=block.rows)
    if block.kind == "note":
        return Paragraph("note", block.text, number=block.label.translate(PLAIN_DIGITS))
    return Paragraph("prose", block.text, lines=block.lines)


def _slug(text: str, used: Counter) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        if len(slug) >= 50:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "part"
    used[slug] += 1
    return slug if used[slug] == 1 else f"{slug}-{used[slug]}"


# -- numbered paragraphs and recommendations ---------------------------------------------------

def _number_paragraphs(parts: list[Part], changes: list[Change]) -> str:
    """Mark each prose paragraph that starts with its printed number; return the numbering scheme."""
    found = Counter()
    for part in parts:
        for paragraph in part.paragraphs:
            match = paragraph.kind == "prose" and not paragraph.lines and NUMBERED.match(paragraph.text)
            if match:
                found["chapter" if match.group(2) else "sequence"] += 1
    numbering = "chapter" if found["chapter"] > found["sequence"] else "sequence"
    seen: set[str] = set()
    for part in parts:
        in_recommendations = bool(RECOMMENDATIONS_TITLE.search(part.title))
        for paragraph in part.paragraphs:
            match = paragraph.kind == "prose" and not paragraph.lines and NUMBERED.match(paragraph.text)
            if not match:
                continue
            number = match.group(2) or match.group(1)
            style = "chapter" if match.group(2) else "sequence"
            if style != numbering and not in_recommendations:
                continue
            if not _follows(number, seen):
                continue
            *chapter, last = number.split(".")
            before = ".".join(chapter + [str(int(last) - 1)])
            if int(last) > 1 and before not in seen:
                changes.append(Change(paragraph.where, f"paragraph {number} has no paragraph {before} before it: "
                                                       "check the source for the missing paragraph"))
            seen.add(number)
            paragraph.kind, paragraph.number, paragraph.text = "numbered", number, paragraph.text[match.end():]
    return numbering


def _follows(number: str, seen: set[str]) -> bool:
    """A printed number that starts a list or comes soon after one already seen (not a year or a figure)."""
    *chapter, last = number.split(".")
    if int(last) <= 1:
        return True
    return any(".".join(chapter + [str(int(last) - step)]) in seen for step in (1, 2, 3))


def _mark_recommendations(parts: list[Part]) -> None:
    """A part titled as recommendations holding numbered paragraphs: in the report's sequence, or its own."""
    elsewhere = {p.number for part in parts if not RECOMMENDATIONS_TITLE.search(part.title)
                 for p in part.paragraphs if p.kind == "numbered"}
    for part in parts:
        numbers = [p.number for p in part.paragraphs if p.kind == "numbered"]
        if not numbers or not RECOMMENDATIONS_TITLE.search(part.title):
            continue
        own_list = numbers[0] == "1" and ("1" in elsewhere or any("." in n for n in elsewhere))
        part.recommendations = "separate" if own_list else "true"


# -- footnotes ---------------------------------------------------------------------------------

def _place_notes(parts: list[Part]) -> None:
    """Each footnote goes to the end of the part whose text refers to it (the nearest before it, or
    after it); a note that no text refers to stays where it was printed, as a paragraph."""
    referring: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        texts = [p.text for p in part.paragraphs if p.kind != "note"] + [c for p in part.paragraphs for r in p.rows for c in r]
        for marker in MARKER.findall(" ".join(texts)):
            referring.setdefault(marker.translate(PLAIN_DIGITS), []).append(index)
    for index, part in enumerate(parts):
        kept = []
        for paragraph in part.paragraphs:
            homes = referring.get(paragraph.number, []) if paragraph.kind == "note" else []
            if paragraph.kind != "note":
                kept.append(paragraph)
            elif not homes:
                kept.append(Paragraph("prose", f"{superscript(paragraph.number)} {paragraph.text}", where=paragraph.where))
            else:
                home = parts[max((h for h in homes if h <= index), default=homes[0])]
                count = sum(1 for key in home.notes if key == paragraph.number or key.startswith(f"{paragraph.number}-"))
                home.notes[paragraph.number if not count else f"{paragraph.number}-{count + 1}"] = paragraph.text
        part.paragraphs = kept
