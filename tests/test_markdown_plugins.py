"""The report's Markdown conventions, one input/expected fixture pair per behaviour.

Each `tests/fixtures/markdown/NAME.md` renders to `NAME.html`, with every cited paragraph taken to
live on `part.html` and every part on `SLUG.html`. A fixture named `chapter-*` is read as a report numbered
by chapter, and one named `recommendations-*` as a part whose recommendations are numbered on their own.
Building blocks are rendered by the components of templates/, as in a download (no site downloads to
offer) unless the fixture's name says `site`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources
from reportsite.markdown import parse_markdown, render_markdown
from reportsite.render import block_renderer, template_environment
from reportsite.plugins.citations import CITATION, CITATION_SHAPE

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def parse(name: str, text: str):
    return parse_markdown(text, numbering="chapter" if name.startswith("chapter-") else "sequence",
                          series="recommendation" if name.startswith("recommendations-") else "paragraph")


def render(name: str, text: str) -> str:
    tokens, env = parse(name, text)
    env["paragraph_href"] = lambda anchor: f"part.html#{anchor}"
    env["render_block"] = block_renderer(template_environment(str(Sources().templates.resolve())), lambda slug: f"{slug}.html",
                                         downloads=() if "site" in name else None)
    return render_markdown(tokens, env)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.md")))
def test_markdown_fixture(name):
    source = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    assert render(name, source) == expected


CITATION_FORMS = ["(paragraph 93)", "(Paragraph 18)", "(paragraphs 102, 103)", "(paragraphs 45,100)",
                  "(Paragraphs 31, 32 and 35)", "(paragraphs 3 to 5)", "(Paragraphs 21–23)", "(paragraphs 21-23)",
                  "(paras 2.8–2.9)", "(paragraph 2.14)", "(see paragraph 12)", "(PARAGRAPHS 3 AND 4)",
                  "(paragraphs 18, 19, 23, 27, 28, 30)", "(para 12)", "(paragraphs 3, 4, and 5)"]


@pytest.mark.parametrize("text", CITATION_FORMS)
def test_every_citation_form_reports_print_is_recognised(text):
    assert CITATION.fullmatch(text)


@pytest.mark.parametrize("text", CITATION_FORMS)
def test_a_citation_keeps_every_character_of_its_wording(text):
    html = render("sequence", f"Text {text}.")
    tokens, _ = parse("sequence", f"Text {text}.")
    inline = [token for token in tokens if token.type == "inline"][0]
    assert "".join(child.content for child in inline.children) == f"Text {text}."
    assert html.count('class="rs-citation"') == len(__import__("re").findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("text", ["(paragraph)", "paragraphs 3, 4", "(pages 3, 4)", "(paragraphs 3, 4", "(paragraphs 12 of the 2014 report)"])
def test_other_text_is_not_a_citation(text):
    assert not CITATION.fullmatch(text)


def test_citation_tokens_record_where_they_were_written():
    tokens, _ = parse_markdown("Intro.\n\n4. Text (paragraphs 18, 62).\n", line_offset=10)
    inline = [t for t in tokens if t.type == "inline"][1]
    citations = [c.meta for c in inline.children if c.type == "citation"]
    assert citations == [
        {"target": "18", "anchor": "paragraph-18", "through": None, "source": "paragraph-4", "line": 13},
        {"target": "62", "anchor": "paragraph-62", "through": None, "source": "paragraph-4", "line": 13},
    ]


def test_a_range_names_its_end_on_its_first_number():
    tokens, _ = parse_markdown("Text (Paragraphs 21–23, 30 to 31 and 40).\n")
    inline = [t for t in tokens if t.type == "inline"][0]
    assert [(c.meta["target"], c.meta["through"]) for c in inline.children if c.type == "citation"] == [
        ("21", "23"), ("23", None), ("30", "31"), ("31", None), ("40", None)]


def test_a_citation_on_a_later_line_of_a_paragraph_is_located_there():
    tokens, _ = parse_markdown("12. First line,\nsecond line (paragraph 3).\n", line_offset=4)
    inline = [t for t in tokens if t.type == "inline"][0]
    assert [c.meta["line"] for c in inline.children if c.type == "citation"] == [6]


@pytest.mark.parametrize("text", ["(paragraph 12 of the 2014 report)", "(paragraphs 3,\n4)", "(para 12a)", "(Paragraphs 4 and five)"])
def test_text_shaped_like_a_citation_that_cannot_be_read_is_recorded(text):
    assert CITATION_SHAPE.search(text)
    _, env = parse_markdown(f"Some text {text}.\n", line_offset=2)
    assert [line for line, _ in env["citation_problems"]] == [3]


def test_a_numbered_paragraph_knows_its_label_how_it_is_printed_and_its_anchor():
    tokens, _ = parse("chapter-", "2.14. The Department.\n\n2.15 Its plans.\n")
    opened = [t.meta for t in tokens if t.type == "numbered_paragraph_open"]
    assert opened == [{"label": "2.14", "printed": "2.14.", "series": "paragraph", "anchor": "paragraph-2.14"},
                      {"label": "2.15", "printed": "2.15", "series": "paragraph", "anchor": "paragraph-2.15"}]
