"""The report's source text, read independently of the site's content files.

Used to prove that the site carries every line of the source, unaltered.
"""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).parent / "fixtures" / "ofsted-brent-2015.txt"
SUPERSCRIPTS = "¹²³"


def _strip(line: str) -> str:
    line = line.strip()
    line = re.sub(r"^- ", "", line)
    line = re.sub(r"^<p>(.*)</p>$", r"\1", line)
    line = re.sub(r"\*(\S[^*]*\S)\*", r"\1", line)  # emphasis marks, not "A* to C"
    line = line.lstrip(SUPERSCRIPTS).strip()
    for mark in SUPERSCRIPTS:
        line = line.replace(mark, "")
    return re.sub(r"\s+", " ", line)


def source_blocks() -> list[str]:
    """Every block of the source text, with page breaks joined and print-only parts left out.

    A block continues over a blank line when the next line starts in lower case
    (a paragraph cut by a page break). The print-only Contents list and the stray
    `--` line are left out. Table rows are split into their cells.
    """
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("Contents")
    end = lines.index("The local authority", start)
    lines = lines[:start] + lines[end:]
    blocks: list[str] = []
    for line in lines:
        if not line.strip() or line.strip() == "--":
            continue
        if blocks and line[:1].islower() and not line.startswith("www.") and line.strip() != "and":
            blocks[-1] += " " + line.strip()
            continue
        blocks.append(line)
    cells = []
    for block in blocks:
        cells += [_strip(cell) for cell in block.split("\t") if cell.strip()]
    return [cell for cell in cells if cell]


def numbered_paragraphs() -> dict[int, str]:
    """Paragraph number -> its text as printed (without the number)."""
    paragraphs = {}
    for block in source_blocks():
        match = re.match(r"^(\d+)\. (.*)$", block)
        if match and int(match.group(1)) not in paragraphs and len(match.group(2)) > 60:
            paragraphs[int(match.group(1))] = match.group(2)
    return paragraphs


def recommendation_citations() -> dict[int, list[int]]:
    """Recommendation number -> the paragraphs it cites, as printed."""
    cited = {}
    for number, text in numbered_paragraphs().items():
        if number <= 11:
            match = re.search(r"\(paragraphs? ([\d, ]+)\)", text)
            cited[number] = [int(n) for n in re.findall(r"\d+", match.group(1))]
    return cited
