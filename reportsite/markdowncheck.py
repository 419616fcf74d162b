"""What Markdown may not hold, though it parses: an image (the build fetches nothing, and publishes
the report as text); a first-level heading (the page's title is its only one); and what the parser
would drop without a word: a footnote nothing refers to, a second note under one label, and lists or
quotations nested beyond the parser's limit (it drops everything after them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markdown_it.token import Token

from .errors import Problem
from .markdown import inline_tokens, markdown_parser

IMAGES_FIX = ("Images are not published (docs/editors-guide.md says why): describe in words what it shows, "
              "or remove it.")


def check_markdown(tokens: list[Token], env: dict, file: str, line_offset: int) -> list[Problem]:
    """Every problem of a part's Markdown, each at its line in the file."""
    return [*_images(tokens, file, line_offset), *_too_deep(tokens, file, line_offset),
            *_first_level_headings(tokens, file, line_offset), *_footnote_definitions(env, file, line_offset)]


def _inline_children(tokens: list[Token], line_offset: int) -> Iterator[tuple[Token, int]]:
    """Each piece of inline text with the line of the file it is written on."""
    for block in inline_tokens(tokens):  # those in building blocks too
        if not block.children:
            continue
        line = line_offset + (block.map[0] if block.map else 0) + 1
        for child in block.children:
            yield child, line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def _images(tokens: list[Token], file: str, line_offset: int) -> list[Problem]:
    with_images = [block for block in inline_tokens(tokens) if "![" in block.content]  # how every image is written
    return [Problem(file, line, f"the image '{child.attrGet('src')}' cannot be published.", IMAGES_FIX)
            for child, line in _inline_children(with_images, line_offset) if child.type == "image"]


def _first_level_headings(tokens: list[Token], file: str, line_offset: int) -> list[Problem]:
    """The page's title is its one first-level heading; a `# Heading` (or one underlined with `===`) would be a second."""
    return [Problem(file, line_offset + token.map[0] + 1,
                    "a heading of the first level ('# ') would be a second main heading on the page: the title is its only one.",
                    "Start the heading with '## ' (or underline it with '---'); use '### ' for the headings under it.")
            for token in tokens if token.type == "heading_open" and token.tag == "h1" and token.map]


def _too_deep(tokens: list[Token], file: str, line_offset: int) -> list[Problem]:
    """The parser stops at `maxNesting` levels and drops the rest of the document: name where."""
    limit = markdown_parser().options["maxNesting"]
    for token in tokens:
        if token.block and token.nesting == 1 and token.level >= limit - 1 and token.map:
            return [Problem(file, line_offset + token.map[0] + 1,
                            "this list or quotation is nested too deeply to be shown: it and everything after it "
                            "in this file would be lost.",
                            f"Nest lists at most {(limit - 2) // 2} levels deep and quotations at most {limit - 1}: "
                            "bring the deepest items up a level.")]
    return []


def _footnote_definitions(env: dict, file: str, line_offset: int) -> list[Problem]:
    """A second note under one label, and a note nothing refers to, would not be shown."""
    referred = {note.get("label") for note in env.get("footnotes", {}).get("list", {}).values()}
    problems = []
    first_line: dict[str, int] = {}
    for label, line in env.get("footnote_definitions", ()):
        line += line_offset + 1
        if label in first_line:
            problems.append(Problem(file, line, f"the footnote [^{label}] has a second note here; the first is on line {first_line[label]}.",
                                    "Give each note its own label, and refer to it in the text."))
            continue
        first_line[label] = line
        if label not in referred:
            problems.append(Problem(file, line, f"the note of footnote [^{label}] is not referred to anywhere, so it would not be shown.",
                                    f"Write [^{label}] in the text where the note belongs, or delete the note."))
    return problems


def check_yaml_markdown(data: Any, file: str, line: int = 1) -> list[Problem]:
    """The images in text from a YAML file, which the templates render as Markdown: each at its line."""
    if isinstance(data, str):
        if "![" not in data:
            return []
        tokens = markdown_parser().parseInline(data, {})
        return [Problem(file, line, f"the image '{child.attrGet('src')}' cannot be published.", IMAGES_FIX)
                for child, _ in _inline_children(tokens, 0) if child.type == "image"]
    if isinstance(data, dict):
        lines = getattr(data, "key_lines", {})
        return [problem for key, value in data.items() for problem in check_yaml_markdown(value, file, lines.get(key, line))]
    if isinstance(data, list):
        lines = getattr(data, "item_lines", None) or [line] * len(data)
        return [problem for value, item_line in zip(data, lines) for problem in check_yaml_markdown(value, file, item_line)]
    return []
