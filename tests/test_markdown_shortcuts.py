"""The parser's and renderer's shortcuts give what markdown-it gives without them.

A text is parsed without the markdown-it rules that cannot apply to it (a fence, a quotation, a table... needs a
mark the text does not hold): the tokens are exactly those the parser with every rule gives, whatever the text.
A list whose items are each a paragraph of one line (nearly every numbered paragraph) is read without markdown-it's
list rule, to the tokens that rule makes of it, and any other list by that rule. A paragraph's text in which no inline
rule can start is made its one text token without markdown-it's inline parser.
A paragraph's tags are written without markdown-it's general `renderToken`, and text that has nothing to escape
without its replacements, as it writes them; a numbered paragraph that neither cites nor is cited ends without asking
what the page adds to it (nothing, but a chart's link)."""

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


def tokens_of(md, text: str, series: str | None = "paragraph") -> list[dict]:
    env = {"line_offset": 0, "abbreviations": dict(ABBREVIATIONS), "numbering": "sequence", "series": series}
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


def without_one_line_paragraphs():
    """The parser as markdown-it reads every list: with its own list rule only."""
    md = markdown_parser.__wrapped__()
    md.block.ruler.disable(["one_line_paragraphs"])
    return md


# Lists of numbered paragraphs, and what may start, end or interrupt one
LISTS = [
    "1. A\n", "1. A", "3. A\n\n4. B\n", "0012. A\n\n13. B\n", "1. A\n\n\n\n2. B\n\n", "1. A\n   \n2. B\n \t\n",
    "1. A\nlazy\n\n2. B\n", "1. A\n\n   continued\n\n2. B\n", "1. A\n\n2) B\n", "1. A\n\n2.B\n", "1. A\n\n2.\n",
    "1. A\n\n2.  B\n", "1. A\n\n2.\tB\n", "1. A\n\n- B\n", "1. A\n\n## H\n", "1. A\n\nText\n", "1. A\n\n> q\n",
    "1. A\n\n```\nc\n```\n", "1. A\n\n***\n", "1. A\n\n    code\n", "1. A\n\n\tcode\n", " 1. A\n\n2. B\n",
    "1. A\n\n 2. B\n", "1. A\n\n   2. B\n", "1. A \xa0\n\n2. B  \n", "1. (a)\n\n2. ‘b’\n\n3. “c”\n\n4. 'd'\n\n5. \"e\"\n",
    "1. 2015 was\n", "1. A\n\n1234567890. B\n", "1. A\n\n123456789. B\n", "> 1. A\n\n2. B\n", "Para\n1. A\n\n2. B\n",
    "Para\n2. A\n\n3. B\n", "1. Ä\n\n2. é\n", "1. A\n\n2. B\n\n[^1]: note\n", "- x\n\n  1. A\n\n  2. B\n",
    "1. A\n\n2. B\n---\n", "1. A\n\n2. B\n===\n", "1. A | B\n\n2. C\n", "1. A | B\n|---|---|\n", "1. A\n\n2. B\n\n10. C\n",
    "1. A\n\n٣. B\n", "1. A\n\n2. B (paragraph 1) of the CAF.\n", "1. A\n\n2. [^1]\n", "1. A\n\n2. *B*\n", "1. A\r\n\r\n2. B\r\n",
    "1. A\n\n2. B\n\n  \n", "```notice\ntext: a\n```\n\n1. A\n\n2. B\n", "12. A\n\n13. B\n\n## C\n\n14. D\n\n15. E\n",
]


@pytest.mark.parametrize("text", LISTS + TEXTS + [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.md"))])
@pytest.mark.parametrize("series", ["paragraph", None])  # None: a list of the site's own pages, whose items are not numbered paragraphs
def test_a_list_parses_to_the_tokens_markdown_its_list_rule_makes_of_it(text, series):
    expected = tokens_of(without_one_line_paragraphs(), text, series)
    assert tokens_of(markdown_parser(), text, series) == expected
    assert tokens_of(parser_for(text), text, series) == expected


LINES = ["12. ", "1. ", "2) ", "3.", "0. ", "A text", "a", "2015", "(", "'", "“", "- ", "> ", "## ", "```", "---", "===", "",
         " ", "   ", "    ", "\t", "\xa0", "|", "[^1]: ", "*"]


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.lists(st.sampled_from(LINES), max_size=3).map("".join), min_size=1, max_size=12).map("\n".join))
def test_any_list_parses_to_the_tokens_markdown_its_list_rule_makes_of_it(text):
    assert tokens_of(markdown_parser(), text, None) == tokens_of(without_one_line_paragraphs(), text, None)
    assert tokens_of(markdown_parser(), text) == tokens_of(without_one_line_paragraphs(), text)


def test_numbered_paragraphs_of_one_line_are_read_without_the_list_rule():
    md = markdown_parser.__wrapped__()
    md.block.ruler.disable(["list"])
    text = "12. A paragraph (paragraph 3).\n\n13. Another.\n\n## A heading\n"
    assert tokens_of(md, text) == tokens_of(without_one_line_paragraphs(), text)


def with_markdown_its_inline_rule(md):
    """The parser `md` reading every paragraph's text with markdown-it's inline parser."""
    from markdown_it.rules_core.inline import inline

    md.core.ruler.at("inline", inline)
    return md


PLAIN = ["12. A plain paragraph, (paragraph 3) cited, the CAF: 2015's figures - 40% - 'quoted' \"and\" {braced} #1 ~ ^ = + |.\n",
         "1. Text\non two lines\n", "1. Text  \nwith a hard break\n", "1. a_b\n", "1. a*b\n", "1. a\\b\n", "1. a`b\n",
         "1. a[b\n", "1. a!b\n", "1. a<b\n", "1. a&b\n", "1. a~b\n", "1. a]b\n", "1. (paragraphs 3 to 5)\n", "#  Heading  #\n",
         "1. \u00a0\n", "| a | b |\n|---|---|\n| c | d |\n"]


@pytest.mark.parametrize("text", PLAIN + LISTS + TEXTS + [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.md"))])
def test_a_paragraph_without_inline_marks_parses_to_the_tokens_of_markdown_its_inline_parser(text):
    expected = tokens_of(with_markdown_its_inline_rule(markdown_parser.__wrapped__()), text)
    assert tokens_of(markdown_parser(), text) == expected
    assert tokens_of(parser_for(text), text) == expected


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8, unique=True).flatmap(
    lambda alphabet: st.lists(st.sampled_from(alphabet + [" ", "a", "\n", "12. A"]), max_size=40)))
def test_any_paragraph_parses_to_the_tokens_of_markdown_its_inline_parser(pieces):
    text = "".join(pieces)
    expected = tokens_of(with_markdown_its_inline_rule(markdown_parser.__wrapped__()), text)
    assert tokens_of(parser_for(text), text) == expected


def test_a_paragraph_without_inline_marks_is_made_one_text_token_without_the_inline_parser(monkeypatch):
    md = markdown_parser.__wrapped__()
    monkeypatch.setattr(md.inline, "parse", lambda *arguments: pytest.fail("read by markdown-it's inline parser"))
    tokens = md.parse("12. A plain paragraph: 40% - 'quoted' (2015).\n\n13. Another.\n", {"series": None})
    assert [[(child.type, child.content) for child in token.children] for token in tokens if token.type == "inline"] == [
        [("text", "A plain paragraph: 40% - 'quoted' (2015).")], [("text", "Another.")]]


def test_a_parser_with_an_inline_rule_it_does_not_know_reads_every_paragraph_with_markdown_its_inline_parser():
    def strike(state, silent):  # '=' is a mark of no rule it knows
        if state.src[state.pos] != "=":
            return False
        if not silent:
            state.push("mark", "mark", 0).content = "="
        state.pos += 1
        return True

    md = markdown_parser.__wrapped__()
    md.inline.ruler.push("mark", strike)
    assert [child.type for child in md.parse("1. a = b\n", {})[3].children] == ["text", "mark", "text"]


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


def test_a_paragraph_that_neither_cites_nor_is_cited_ends_without_asking_what_the_page_adds_to_it():
    tokens, env = parse_markdown("12. Cited.\n\n13. Neither.\n\n14. Drawn as a chart.\n")
    asked = []

    class Asked:
        def get(self, anchor, default=()):
            asked.append(anchor)
            return default

    env.update(linked=frozenset({"paragraph-12"}), backlinks=Asked(), evidence=Asked(),
               figure_links={"paragraph-14": (("A chart", "key-figures.html#chart-a"),)})
    html = render_markdown(tokens, env)
    assert asked == ["paragraph-12", "paragraph-12", "paragraph-14", "paragraph-14"]
    assert '<div class="rs-paragraph" id="paragraph-13">' in html and 'href="key-figures.html#chart-a"' in html
