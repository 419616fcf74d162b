"""Recommendations link to the paragraphs they cite, and cited paragraphs link back."""

from __future__ import annotations

import re

import pytest

from reportsite.build import Sources, build_files
from tests.seedtext import numbered_paragraphs, recommendation_citations
from tests.sitetext import parse_html

CITED = recommendation_citations()
PARAGRAPHS = numbered_paragraphs()


@pytest.fixture(scope="module")
def pages(report_site):
    return {path.name: parse_html(path.read_text(encoding="utf-8")) for path in sorted(report_site.glob("*.html"))}


def resolve(href: str, from_page: str, pages) -> tuple[str, str]:
    page, _, anchor = href.partition("#")
    return (page or from_page), anchor


def test_the_recommendations_cite_24_paragraphs():
    assert sum(len(numbers) for numbers in CITED.values()) == 24


@pytest.mark.parametrize("recommendation", sorted(CITED))
def test_each_citation_links_to_the_paragraph_it_names(recommendation, pages):
    element = pages["recommendations.html"].by_id(f"paragraph-{recommendation}")
    links = element.find_all("a", "rs-citation")
    assert [int(link.text()) for link in links] == CITED[recommendation]
    for link, number in zip(links, CITED[recommendation]):
        page, anchor = resolve(link.attrs["href"], "recommendations.html", pages)
        assert anchor == f"paragraph-{number}"
        target = pages[page].by_id(anchor)
        assert target is not None and "rs-paragraph" in target.classes, link.attrs["href"]


@pytest.mark.parametrize("recommendation", sorted(CITED))
def test_the_wording_of_each_citation_is_unchanged(recommendation, pages):
    text = pages["recommendations.html"].by_id(f"paragraph-{recommendation}").text()
    printed = re.search(r"\(paragraphs? [\d, ]+\)", text).group()
    assert [int(n) for n in re.findall(r"\d+", printed)] == CITED[recommendation]


def test_each_cited_paragraph_links_back_to_each_recommendation_that_cites_it(pages):
    cited_by: dict[int, list[int]] = {}
    for recommendation, numbers in CITED.items():
        for number in numbers:
            cited_by.setdefault(number, []).append(recommendation)
    assert len(cited_by) == 20  # 24 citations; 18, 28, 48 and 62 are each cited twice
    for number, recommendations in cited_by.items():
        page = next(name for name, doc in pages.items() if name != "large-print.html" and doc.by_id(f"paragraph-{number}"))
        backlinks = pages[page].by_id(f"paragraph-{number}").find_all("p", "rs-paragraph__backlinks")
        assert len(backlinks) == 1, f"paragraph {number} has no backlinks"
        links = backlinks[0].find_all("a")
        assert [a.attrs["href"] for a in links] == [f"recommendations.html#paragraph-{r}" for r in recommendations]
        for link, recommendation in zip(links, recommendations):
            said, _, words = link.text().partition(": ")
            assert said == f"Recommendation {recommendation}"
            assert len(words) > 20 and PARAGRAPHS[recommendation].startswith(words.removesuffix("…")), link.text()


def test_backlinks_read_as_a_sentence_of_the_recommendations_opening_words(pages):
    backlinks = pages["help-and-protection.html"].by_id("paragraph-18").find_all("p", "rs-paragraph__backlinks")[0]
    assert backlinks.text() == ("Cited in Recommendation 4: Take action to improve assessments… and "
                                "Recommendation 6: Ensure that children's assessments and…")


def test_a_link_back_cuts_the_recommendation_between_words_and_says_so(pages):
    backlinks = pages["leadership.html"].by_id("paragraph-93").find_all("p", "rs-paragraph__backlinks")[0]
    assert backlinks.text() == "Cited in Recommendation 2: Improve governance arrangements so that…"


def test_paragraphs_nobody_cites_have_no_backlinks(pages):
    element = pages["help-and-protection.html"].by_id("paragraph-12")
    assert element.find_all("p", "rs-paragraph__backlinks") == []


def test_a_new_citation_written_the_same_way_gets_its_links(small_report):
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text().replace("5. Plans are clear.", "5. Plans are clear (paragraphs 3 and 4)."))
    files = build_files(Sources(content=small_report)).files
    findings = parse_html(files["findings.html"].decode())
    links = findings.by_id("paragraph-5").find_all("a", "rs-citation")
    assert [(a.text(), a.attrs["href"]) for a in links] == [("3", "#paragraph-3"), ("4", "#paragraph-4")]
    backlinks = findings.by_id("paragraph-3").find_all("p", "rs-paragraph__backlinks")[0]
    assert backlinks.text() == "Cited in Recommendation 1: Improve early help (paragraphs 3, 5). and Paragraph 5: Plans are clear (paragraphs 3 and 4)."


def test_a_citation_in_unnumbered_text_links_back_to_its_page(small_report):
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text().replace("Early help uses the CAF well.", "Early help uses the CAF well (paragraph 4)."))
    files = build_files(Sources(content=small_report)).files
    findings = parse_html(files["findings.html"].decode())
    backlinks = findings.by_id("paragraph-4").find_all("p", "rs-paragraph__backlinks")[0]
    assert [a.attrs["href"] for a in backlinks.find_all("a")] == ["findings.html"]
