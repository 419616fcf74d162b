"""The documentation's links lead somewhere: every relative link or picture in README.md, bench/README.md
and docs/ names a file that exists and, when it has a #fragment, a heading of that file (as GitHub anchors it)."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").rglob("*.md")])
MARKDOWN = MarkdownIt("commonmark").enable("table")


def heading_anchor(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading's anchor in a Markdown file; a repeated heading gets -1, -2..."""
    tokens = MARKDOWN.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open":
            anchor = heading_anchor("".join(child.content for child in inline.children or ()))
            repeat = 0
            while (anchor if not repeat else f"{anchor}-{repeat}") in found:
                repeat += 1
            found.add(anchor if not repeat else f"{anchor}-{repeat}")
    return found


def relative_links(path: Path) -> list[str]:
    """The targets of the links and pictures in a Markdown file that lead within this repository."""
    tokens = MARKDOWN.parse(path.read_text(encoding="utf-8"))
    hrefs = [child.attrs["href" if child.type == "link_open" else "src"] for token in tokens if token.type == "inline"
             for child in token.children or () if child.type in ("link_open", "image")]
    return [href for href in hrefs if not urllib.parse.urlsplit(href).scheme]


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """Each relative link of `path` whose file (within `root`) or heading does not exist, with what is wrong."""
    broken = []
    for href in relative_links(path):
        target, _, fragment = href.partition("#")
        file = (path.parent / urllib.parse.unquote(target)).resolve() if target else path
        if not file.is_relative_to(root) or not file.exists():
            broken.append(f"{href}: no such file")
        elif fragment and (file.suffix != ".md" or fragment not in anchors(file)):
            broken.append(f"{href}: no heading #{fragment} in {file.relative_to(root)}")
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_in_the_documentation_leads_to_a_file_and_heading_that_exist(document):
    assert broken_links(document) == []


def test_a_link_to_a_missing_file_or_heading_is_found(tmp_path):
    (tmp_path / "guide.md").write_text("# The guide\n\n## An organisation's look\n\n## `report.yaml`\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("[a](guide.md#an-organisations-look) [b](guide.md#reportyaml) [c](#the-page)\n\n"
                    "# The page\n\n[d](missing.md) [e](guide.md#no-such-heading) [f](https://example.org/x.md) ![g](gone.png)\n",
                    encoding="utf-8")
    assert broken_links(page, root=tmp_path) == [
        "missing.md: no such file", "guide.md#no-such-heading: no heading #no-such-heading in guide.md", "gone.png: no such file"]


def test_the_readmes_two_commands_are_targets_of_the_makefile():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    commands = re.findall(r"^    make (\w+)", readme, re.M)
    assert commands == ["serve", "test"]
    for command in commands:
        assert re.search(rf"^{command}:", makefile, re.M), f"README says 'make {command}', which the Makefile lacks"
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
