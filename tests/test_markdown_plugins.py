"""The report's Markdown conventions, one input/expected fixture pair per behaviour.

Each `tests/fixtures/markdown/NAME.md` renders to `NAME.html`, with every cited
paragraph taken to live on `part.html`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.markdown import parse_markdown, render_markdown
from reportsite.plugins.citations import CITATION

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def render(text: str) -> str:
    tokens, env = parse_markdown(text)
    env["paragraph_href"] = lambda number: f"part.html#paragraph-{number}"
    return render_markdown(tokens, env)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.md")))
def test_markdown_fixture(name):
    source = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    assert render(source) == expected


@pytest.mark.parametrize("text", ["(paragraph 93)", "(paragraphs 102, 103)", "(paragraphs 45,100)", "(paragraphs 18, 19, 23, 27, 28, 30)",
                                  "(paragraphs 3 and 4)", "(paragraphs 12–15)"])
def test_citation_forms_the_report_uses_are_recognised(text):
    assert CITATION.fullmatch(text)


@pytest.mark.parametrize("text", ["(paragraph)", "paragraphs 3, 4", "(pages 3, 4)", "(paragraphs 3, 4"])
def test_other_text_is_not_a_citation(text):
    assert not CITATION.search(text)


def test_citation_tokens_record_where_they_were_written():
    tokens, _ = parse_markdown("Intro.\n\n4. Text (paragraphs 18, 62).\n", line_offset=10)
    inline = [t for t in tokens if t.type == "inline"][1]
    citations = [c.meta for c in inline.children if c.type == "citation"]
    assert citations == [{"target": 18, "source_paragraph": 4, "line": 13}, {"target": 62, "source_paragraph": 4, "line": 13}]
