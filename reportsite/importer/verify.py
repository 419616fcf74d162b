"""Check that nothing was lost: every word of the source is in the content or in the import report."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from .layout import PLAIN_DIGITS
from .model import Source

WORD = re.compile(r"[^\W_]+")
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\](:?)")
ESCAPE = re.compile(r"\\(.)")


def words(text: str) -> list[str]:
    """The words of a text, footnote markers counted as the numbers they print."""
    text = re.sub(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: " " + m.group(1).translate(PLAIN_DIGITS) + " ", text)
    return WORD.findall(text.lower())


def content_words(content_dir: Path) -> list[list[str]]:
    """The words of each text of a content folder: the title, each part's title and body, and
    each piece the import report lists as left out."""
    texts: list[list[str]] = []
    report = yaml.safe_load((content_dir / "report.yaml").read_text(encoding="utf-8")) or {}
    texts.append(words(str(report.get("title", ""))))
    for path in sorted((content_dir / "parts").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        pieces = text.split("---\n", 2)
        front, body = (pieces[1], pieces[2]) if len(pieces) == 3 and not pieces[0] else ("", text)
        try:
            meta = yaml.safe_load(front)
        except yaml.YAMLError:
            meta, body = None, text
        texts.append(words(str(meta.get("title", "")) if isinstance(meta, dict) else ""))
        body = FOOTNOTE.sub(lambda m: f" {m.group(1)} ", body)
        texts.append(words(ESCAPE.sub(r"\1", body)))
    import_report = content_dir / "import-report.yaml"
    if import_report.exists():
        data = yaml.safe_load(import_report.read_text(encoding="utf-8")) or {}
        texts += [words(str(item.get("text", ""))) for item in data.get("left_out") or []]
    return texts


def missing_words(source: Source, content_dir: Path) -> list[str]:
    """One line for each line of the source with words that are neither in the content nor in the import report."""
    texts = content_words(Path(content_dir))
    available = Counter(word for text in texts for word in text)
    stream = " " + " | ".join(" ".join(text) for text in texts) + " "
    problems = []
    lines = source.lines
    # First the lines found whole, in one run of the content's words, then those whose words are all
    # there, and only then the rest, word by word: a lost line is named, not the lines whose common
    # words it would take.
    hyphenated = {i for i, line in enumerate(lines) if line.hyphen} | {i + 1 for i, line in enumerate(lines) if line.hyphen}
    found_whole = set()
    for whole in (True, False):
        for index, line in enumerate(lines):
            line_words = words(line.text)
            if index not in hyphenated and index not in found_whole and line_words \
                    and (not whole or f" {' '.join(line_words)} " in stream) \
                    and all(available[w] >= n for w, n in Counter(line_words).items()):
                available.subtract(line_words)
                found_whole.add(index)
    pending: list[tuple[str, int]] = []  # the end of a hyphenated line, waiting for the line that goes on with it
    lost_at: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        if index in found_whole:
            continue
        line_words = words(line.text)
        for carried in list(pending):
            joined = carried[0] + line_words[0] if line_words else ""
            if joined and available[joined] > 0:
                available[joined] -= 1
                line_words = line_words[1:]
                pending.remove(carried)
            elif index - carried[1] > 40:
                pending.remove(carried)
                _take(available, [carried[0]], lost_at.setdefault(carried[1], []))
        if line.hyphen and line_words:
            pending.append((line_words.pop(), index))
        _take(available, line_words, lost_at.setdefault(index, []))
    for carried in pending:
        _take(available, [carried[0]], lost_at.setdefault(carried[1], []))
    for index, lost in sorted(lost_at.items()):
        if lost:
            line = lines[index]
            problems.append(f"{line.where}: {', '.join(repr(w) for w in lost)} "
                            f"{'is' if len(lost) == 1 else 'are'} neither in the content nor in import-report.yaml "
                            f"(the line reads: {line.text[:80]!r}).")
    return problems


def _take(available: Counter, line_words: list[str], lost: list[str]) -> None:
    for word in line_words:
        if available[word] > 0:
            available[word] -= 1
        else:
            lost.append(word)
