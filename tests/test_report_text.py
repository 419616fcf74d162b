"""The whole source document is on the site, nothing left out, nothing altered."""

from __future__ import annotations

import pytest

from tests.seedtext import numbered_paragraphs, source_blocks
from tests.sitetext import paragraph_words, parse_html

PARAGRAPHS = numbered_paragraphs()


@pytest.fixture(scope="module")
def pages(report_site):
    return {path.name: parse_html(path.read_text(encoding="utf-8")) for path in sorted(report_site.glob("*.html"))}


@pytest.fixture(scope="module")
def paragraph_elements(pages):
    found = {}
    for name, document in pages.items():
        for element in document.find_all("div", "rs-paragraph"):
            number = int(element.attrs["id"].removeprefix("paragraph-"))
            found.setdefault(number, []).append((name, element))
    return found


def test_the_source_has_129_numbered_paragraphs():
    assert sorted(PARAGRAPHS) == list(range(1, 130))


def test_every_numbered_paragraph_has_one_home_under_its_anchor(paragraph_elements):
    homes = {n: [name for name, _ in places if name != "large-print.html"] for n, places in paragraph_elements.items()}
    assert sorted(homes) == list(range(1, 130))
    assert {n: len(names) for n, names in homes.items() if len(names) != 1} == {}


@pytest.mark.parametrize("number", sorted(PARAGRAPHS))
def test_paragraph_shows_its_number_and_the_text_of_the_source(number, paragraph_elements):
    for name, element in paragraph_elements[number]:  # its page, and the large print edition
        label = element.find_all("a", "rs-paragraph__number")[0]
        assert label.attrs["href"] == f"#paragraph-{number}"
        assert (label.text(skip_classes=()), label.attrs["aria-label"]) == (f"{number}.", f"Link to paragraph {number}")
        assert paragraph_words(element) == PARAGRAPHS[number], f"paragraph {number} on {name} differs from the source"


def test_every_line_of_the_source_is_on_the_site(pages):
    site_text = " ".join(document.text() for name, document in sorted(pages.items()))
    missing = [block for block in source_blocks() if block not in site_text]
    assert missing == []


def test_the_stray_markup_around_the_adoption_judgement_is_not_shown(pages):
    page = pages["adoption.html"]
    headings = [h.text() for h in page.find_all("h2")]
    assert "The graded judgement for adoption performance is that it is good" in headings
    assert "<p>" not in page.text()


def test_footnotes_are_real_footnotes_linked_both_ways(pages):
    for name, label in [("index.html", "1"), ("the-local-authority.html", "2"), ("the-local-authority.html", "3")]:
        page = pages[name]
        reference = page.by_id(f"footnote-reference-{label}")
        note = page.by_id(f"footnote-{label}")
        assert reference is not None and note is not None, (name, label)
        assert reference.attrs["href"] == f"#footnote-{label}"
        assert reference.attrs["role"] == "doc-noteref"
        assert note.attrs["role"] == "doc-footnote"
        back = note.find_all("a", "rs-footnote__back")[0]
        assert back.attrs["href"] == f"#footnote-reference-{label}"
        assert back.attrs["role"] == "doc-backlink"
