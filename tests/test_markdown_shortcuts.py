"""The parser's and renderer's shortcuts give what markdown-it gives without them.

A text is parsed without the markdown-it rules that cannot apply to it (a fence, a quotation, a table... needs a
mark the text does not hold): the tokens are exactly those the parser with every rule gives, whatever the text.
A paragraph's tags are written without markdown-it's general `renderToken`, and text that has nothing to escape
without its replacements, as it writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportsite.markdown import markdown_parser, parse_markdown, parser_for, render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
ABBREVIATIONS = {"CAF": "Common Assessment Framework", "LSCB": "Local Safeguarding Children Board"}
# Each rule's mark, with what is written around it
TEXTS = [
    "12. A paragraph (paragraph 3) about the CAF.\n\n13. Another.\n",
    "> 12. Quoted\n> still\n\n14. Not\n",
    "| Area | Grade |\n|---|---|\n| Help | Good |\n",
    "Area | Grade\n--- | ---\nHelp | Good\n",
    "1. Text with a note.[^1]\n\n[^1]: The note.\n",
    "## Heading\n\n1. Text\n\n# Title\n",
    "[the report]: https://example.org\n\n1. See [the report].\n",
    "[label\n]: /url\n\n[label]\n",
    "1. `code` and ``more`` and *em* and _em_ and **strong**\n",
    "1. A [link](https://example.org) and ![an image](x.png) and <https://example.org> and &amp; and \\* and \\[\n",
    "1. Text!\n[not a link\n",
    "```facts\n- label: \"Published:\"\n  text: \"2 \\u005Bsic] March\"\n```\n",
    "~~~\ncode\n~~~\n\n1. Text *em*\n",
    "Setext\n===\n\n- - -\n\n* * *\n",
    "    indented code\n\n1. Text\n",
    # one mark alone
    "1. `code`\n", "1. _em_\n", "1. *em*\n", "1. [a](b)\n", "1. ![a](b)\n", "1. a[^1]\n\n[^1]: n\n", "1. <https://a.b>\n",
    "1. a &amp; b\n", "1. a \\! b\n", "> a\n", "a | b\n-|-\n", "# a\n", "[a]: b\n",
    # a line's first mark, after those of its lists and quotations
    "a\n---\n", "a\n===\n", "> a\n> ---\n", "1. a\n   ===\n", "1. ***\n", "1) - - -\n", "+ ___\n", "- a\n\n  * * *\n",
    "12. a\n\n13. ---\n", "> 1. > ***\n", "a\r---\r", "a\r\n===\r\n", "    code\n", "1. a\n\n       code\n", "\tcode\n",
    ">     code\n", "- a\n\n\tcode\n",
]


def tokens_of(md, text: str) -> list[dict]:
    env = {"line_offset": 0, "abbreviations": dict(ABBREVIATIONS), "numbering": "sequence", "series": "paragraph"}
    return [token.as_dict() for token in md.parse(text, env)]


@pytest.mark.parametrize("text", TEXTS + [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.md"))])
def test_a_text_parses_to_the_same_tokens_without_the_rules_that_cannot_apply(text):
    assert tokens_of(parser_for(text), text) == tokens_of(markdown_parser(), text)


PIECES = list("*_[]()!<>`#-+.|^:\\~ \n\t0123456789abcCAF&;=\"'") + [
    "```", "~~~", "[^1]", "[^1]: ", "]:", "> ", "1. ", "12. ", "2.14 ", "| ", "\n\n", "&amp;", "(paragraph 3)",
    "---", "===", "***", "___", "- ", "+ ", "* ", "1) ", "    ", "\r", "\r\n"]


# texts written with a few of the pieces each, so that most leave some rule out
@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8, unique=True).flatmap(
    lambda alphabet: st.lists(st.sampled_from(alphabet + [" ", "a", "\n"]), max_size=40)))
def test_any_text_parses_to_the_same_tokens_without_the_rules_that_cannot_apply(pieces):
    text = "".join(pieces)
    assert tokens_of(parser_for(text), text) == tokens_of(markdown_parser(), text)


def test_a_plain_text_is_parsed_without_the_rules_for_marks_it_does_not_hold():
    md = parser_for("12. A numbered paragraph (paragraph 3), plain text.\n\n13. Another.\n")
    assert not {"fence", "blockquote", "table", "heading", "reference", "footnote_def", "code", "lheading", "hr"} & set(
        md.block.ruler.get_active_rules())
    assert not {"backticks", "emphasis", "link", "image", "footnote_ref", "autolink", "entity", "escape"} & set(
        md.inline.ruler.get_active_rules())


def test_a_text_with_a_building_block_keeps_every_inline_rule():
    """A block's texts are read from its YAML, which can write a mark the Markdown does not hold."""
    md = parser_for("```notice\ntext: \"See \\u005Bthe note]\"\n```\n")
    assert set(markdown_parser().inline.ruler.get_active_rules()) == set(md.inline.ruler.get_active_rules())


@pytest.mark.parametrize("text", [text for text in TEXTS if "![" not in text and "```" not in text] + ["- tight\n- list\n\n  > quoted\n", "- a\n\n  b\n- c\n", "1. a\n   - b\n\n   c\n",
                                          "- a\n  > b\n- c\n", "> a\n>\n> b\n", "a\n\n- b\n\n  c\n\n- d\n",
                                          'a & b < c > d "e" \'f\'\n', 'a "quoted" word\n', 'a > b\n', 'a < b\n', "a &amp; &lt;b&gt; &quot;c&quot; &#39;\n"])
def test_a_paragraph_and_its_text_are_written_as_markdown_its_renderer_writes_them(text):
    tokens, env = parse_markdown(text, series=None)
    env["paragraph_href"] = lambda anchor: f"#{anchor}"
    renderer = markdown_parser().renderer
    general = {kind: renderer.rules.pop(kind) for kind in ("text", "paragraph_open", "paragraph_close")}
    renderer.rules["text"] = type(renderer).text.__get__(renderer)  # markdown-it's own; its paragraphs are renderToken's
    try:
        expected = render_markdown(tokens, dict(env))
    finally:
        renderer.rules.update(general)
    assert render_markdown(tokens, dict(env)) == expected


@pytest.mark.parametrize("text", ["a\nb\n", "a\r\nb\rc\n", "a\0b", "a\r\n\0", ""])
def test_line_endings_and_nuls_are_normalised_as_markdown_it_normalises_them(text):
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_core.normalize import normalize

    from reportsite.markdown import normalize_line_endings

    ours, theirs = StateCore(text, markdown_parser(), {}), StateCore(text, markdown_parser(), {})
    normalize_line_endings(ours)
    normalize(theirs)
    assert ours.src == theirs.src
