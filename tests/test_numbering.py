"""Numbering as reports print it: one sequence, recommendations numbered on their own, or by chapter;
citations in every printed form, ranges citing every paragraph in them, and each gap, repeat or
unreadable citation named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build_files
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.errors import BuildError, display_path
from tests.sitetext import parse_html


def write_parts(content: Path, parts: dict[str, str]) -> None:
    """Replace the parts of the small report with `parts` (file name -> text)."""
    for path in (content / "parts").glob("*.md"):
        path.unlink()
    for name, text in parts.items():
        (content / "parts" / name).write_text(text, encoding="utf-8")


def pages_of(content: Path) -> dict[str, object]:
    files = build_files(Sources(content=content), formats=("html",)).files
    return {path: parse_html(data.decode("utf-8")) for path, data in files.items() if path.endswith(".html")}


def problems_of(content: Path) -> list[str]:
    """Each problem found in the report in `content`, its part's file named without its folder."""
    with pytest.raises(BuildError) as raised:
        resolve(load_report(content))
    folder = display_path(content / "parts") + "/"
    return [str(problem).replace(folder, "") for problem in raised.value.problems]


def links(element, cls: str) -> list[tuple[str, str]]:
    return [(a.text(), a.attrs["href"]) for a in element.find_all("a", cls)]


def backlinks(element) -> tuple[str, list[str]]:
    found = element.find_all("p", "rs-paragraph__backlinks")
    assert found, f"{element.attrs['id']} has no backlinks"
    return found[0].text(), [a.attrs["href"] for a in found[0].find_all("a")]


SEPARATE = {
    "01-recommendations.md": "---\ntitle: Recommendations\nrecommendations: separate\n---\n"
                             "1. Publish the plan (Paragraphs 4–6).\n\n2. Review it every year (paragraph 3).\n",
    "03-findings.md": "---\ntitle: Findings\n---\n" + "".join(f"{n}. Finding {n}.\n\n" for n in range(1, 8)),
}


def test_recommendations_numbered_on_their_own_link_to_paragraphs_and_each_paragraph_links_back(small_report):
    write_parts(small_report, SEPARATE)
    pages = pages_of(small_report)
    recommendations, findings = pages["recommendations.html"], pages["findings.html"]
    first = recommendations.by_id("recommendation-1")
    number = first.find_all("a", "rs-paragraph__number")[0]
    assert (number.text(), number.attrs["aria-label"]) == ("1.", "Link to recommendation 1")
    assert links(first, "rs-citation") == [("4", "findings.html#paragraph-4"), ("6", "findings.html#paragraph-6")]
    assert "Publish the plan (Paragraphs 4–6)." in first.text()
    for number in (4, 5, 6):  # the paragraph inside the range, 5, links back too
        assert backlinks(findings.by_id(f"paragraph-{number}")) == (
            "Cited in Recommendation 1: Publish the plan (Paragraphs 4–6).", ["recommendations.html#recommendation-1"])
    assert backlinks(findings.by_id("paragraph-3"))[1] == ["recommendations.html#recommendation-2"]
    assert backlinks(findings.by_id("paragraph-3"))[0].startswith("Cited in Recommendation 2: ")
    assert not findings.by_id("paragraph-7").find_all("p", "rs-paragraph__backlinks")


CHAPTERS = {
    "01-introduction.md": "---\ntitle: Introduction\n---\n1.1 The Department set out its plans.\n\n"
                          "1.2. It has met some of them (paras 2.1–2.3).\n\n"
                          "2.5 million people live in the area.\n",
    "03-findings.md": "---\ntitle: Findings\nslug: findings\n---\n## The findings\n\n"
                      "2.1 First finding:\n\n- a point of it\n- another\n\n2.2 Second finding (paragraph 1.1).\n\n"
                      "2.3 Third finding (Paragraph 2.2).\n",
    "04-recommendations.md": "---\ntitle: Recommendations\nrecommendations: separate\n---\n"
                             "1. Publish the plan (paragraphs 1.2 and 2.3).\n",
}


def test_paragraphs_numbered_by_chapter_are_anchored_by_label_and_cited_both_ways(small_report):
    write_parts(small_report, CHAPTERS)
    assert load_report(small_report).numbering == "chapter"
    pages = pages_of(small_report)
    introduction, findings = pages["introduction.html"], pages["findings.html"]
    labels = [(a.text(), a.attrs["aria-label"]) for a in introduction.find_all("a", "rs-paragraph__number")]
    assert labels == [("1.1", "Link to paragraph 1.1"), ("1.2.", "Link to paragraph 1.2")], "each number as printed"
    assert "2.5 million people live in the area." in introduction.text()
    assert introduction.by_id("paragraph-2.5") is None
    assert links(introduction.by_id("paragraph-1.2"), "rs-citation") == [
        ("2.1", "findings.html#paragraph-2.1"), ("2.3", "findings.html#paragraph-2.3")]
    for label in ("2.1", "2.2", "2.3"):
        text, hrefs = backlinks(findings.by_id(f"paragraph-{label}"))
        assert "introduction.html#paragraph-1.2" in hrefs, label
    assert backlinks(introduction.by_id("paragraph-1.1")) == ("Cited in Paragraph 2.2: Second finding (paragraph 1.1).",
                                                              ["findings.html#paragraph-2.2"])
    assert backlinks(findings.by_id("paragraph-2.2")) == (
        "Cited in Paragraph 1.2: It has met some of them (paras 2.1–2.3). and Paragraph 2.3: Third finding (Paragraph 2.2).",
        ["introduction.html#paragraph-1.2", "#paragraph-2.3"])
    first = findings.by_id("paragraph-2.1")
    assert [li.text() for li in first.find_all("li")] == ["a point of it", "another"], "a list belongs to its paragraph"
    assert backlinks(findings.by_id("paragraph-2.3"))[0].startswith("Cited in Paragraph 1.2: It has met some of them")
    assert " and Recommendation 1: " in backlinks(findings.by_id("paragraph-2.3"))[0]


def test_the_numbering_can_be_said_outright(small_report):
    write_parts(small_report, CHAPTERS)
    report_yaml = small_report / "report.yaml"
    report_yaml.write_text(report_yaml.read_text(encoding="utf-8") + "numbering: sequence\n", encoding="utf-8")
    report = load_report(small_report)
    assert report.numbering == "sequence"
    assert [mark.label for part in report.parts for mark in part.paragraphs] == ["1"], "only the recommendation"


def test_a_few_numbers_at_the_start_of_plain_paragraphs_do_not_make_a_report_chapter_numbered(small_report):
    findings = small_report / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8") + "\n2.5 million people live here.\n\n1.5 per cent of them.\n",
                        encoding="utf-8")
    report = load_report(small_report)
    assert report.numbering == "sequence"
    assert [mark.label for part in report.parts for mark in part.paragraphs] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("written, cited", [
    ("(paragraph 5)", [5]), ("(Paragraph 5)", [5]), ("(paragraphs 3, 5)", [3, 5]), ("(paragraphs 3,5)", [3, 5]),
    ("(Paragraphs 3, 4 and 5)", [3, 4, 5]), ("(paragraphs 3 to 5)", [3, 4, 5]), ("(Paragraphs 3–5)", [3, 4, 5]),
    ("(paragraphs 3-5)", [3, 4, 5]), ("(paras 3–5)", [3, 4, 5]), ("(see paragraph 5)", [5]),
])
def test_every_printed_form_of_citation_cites_every_paragraph_it_names_and_keeps_its_words(small_report, written, cited):
    findings = small_report / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8").replace("Early help uses the CAF well.",
                                                                      f"Early help uses the CAF well {written}."), encoding="utf-8")
    site = resolve(load_report(small_report))
    assert sorted(citation.target for citation in site.citations if citation.source is None) == [f"paragraph-{n}" for n in cited]
    page = pages_of(small_report)["findings.html"]
    assert f"Early help uses the CAF well {written}." in page.text()
    for number in cited:
        assert "findings.html" in backlinks(page.by_id(f"paragraph-{number}"))[1]


# -- what is wrong, and where ---------------------------------------------------------


def test_a_citation_that_cannot_be_read_is_an_error_naming_its_line(small_report):
    findings = small_report / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8").replace(
        "Early help uses the CAF well.", "Early help uses the CAF well (paragraph 12 of the 2014 report)."), encoding="utf-8")
    problems = problems_of(small_report)
    assert len(problems) == 1
    assert problems[0].endswith(
        "03-findings.md:9: this looks like a citation, but cannot be read as one: '(paragraph 12 of the 2014 report)'. "
        "Write it as the report cites paragraphs, on one line: '(paragraph 12)', '(paragraphs 3, 4 and 7)' or "
        "'(paragraphs 3 to 5)'. If it is not a citation of this report, put a backslash before the bracket: '\\(paragraph'.")


def test_a_backslash_before_the_bracket_writes_a_citation_as_plain_text(small_report):
    findings = small_report / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8").replace(
        "Early help uses the CAF well.", "Early help uses the CAF well \\(paragraph 12 of the 2014 report)."), encoding="utf-8")
    page = pages_of(small_report)["findings.html"]
    assert "Early help uses the CAF well (paragraph 12 of the 2014 report)." in page.text()


def test_a_citation_of_paragraph_0_does_not_suggest_adding_it(small_report):
    recommendations = small_report / "parts" / "01-recommendations.md"
    recommendations.write_text(recommendations.read_text(encoding="utf-8").replace("(paragraph 5)", "(paragraph 0)"),
                               encoding="utf-8")
    assert_problems(small_report, "01-recommendations.md:8: recommendation 2 cites paragraph 0, which does not exist. "
                                  "Cite a paragraph between 1 and 5.")


def test_a_range_that_runs_backwards_is_an_error(small_report):
    recommendations = small_report / "parts" / "01-recommendations.md"
    recommendations.write_text(recommendations.read_text(encoding="utf-8").replace("(paragraph 5)", "(paragraphs 5 to 3)"),
                               encoding="utf-8")
    assert [problem.split("01-recommendations.md:")[1] for problem in problems_of(small_report)] == [
        "8: recommendation 2 cites paragraphs 5 to 3, a range that runs backwards. "
        "Write the range from the lower number to the higher: '3 to 5'."]


def assert_problems(content: Path, *expected: str) -> None:
    assert problems_of(content) == list(expected)


def test_recommendations_numbered_on_their_own_have_their_gaps_and_repeats_named(small_report):
    write_parts(small_report, {**SEPARATE, "01-recommendations.md": SEPARATE["01-recommendations.md"]
                               + "\n2. Repeat it.\n\n5. Skip two.\n"})
    assert_problems(small_report,
                    "01-recommendations.md:9: recommendation 2 is numbered twice; it is already at 01-recommendations.md:7. "
                    "Number this recommendation 3 and renumber the ones after it, or remove one of the two.",
                    "01-recommendations.md:11: recommendation 5 follows recommendation 2: recommendation 3 is missing. "
                    "Number this recommendation 3, or add the missing recommendations before it.")


def test_one_misnumbered_recommendation_is_one_problem(small_report):
    write_parts(small_report, {**SEPARATE, "01-recommendations.md": SEPARATE["01-recommendations.md"].replace(
        "2. Review", "3. Review") + "\n3. Repeat it.\n"})
    assert_problems(small_report,
                    "01-recommendations.md:7: recommendation 3 follows recommendation 1: recommendation 2 is missing. "
                    "Number this recommendation 2, or add the missing recommendations before it.")


@pytest.mark.parametrize("change, expected", [
    (("2.2 Second", "2.4 Second"), "03-findings.md:12: paragraph 2.4 follows paragraph 2.1: paragraph 2.2 is missing. "
                                   "Number this paragraph 2.2, or add the missing paragraphs before it."),
    (("2.2 Second", "2.1 Second"), "03-findings.md:12: paragraph 2.1 is numbered twice; it is already at 03-findings.md:7. "
                                   "Number this paragraph 2.2 and renumber the ones after it, or remove one of the two."),
    (("2.1 First", "2.2 First"), "03-findings.md:7: paragraph 2.2 is the first of chapter 2: paragraph 2.1 is missing. "
                                 "Number this paragraph 2.1, or add the missing paragraphs before it."),
    (("2.3 Third finding (Paragraph 2.2)", "1.3 Third finding"), "03-findings.md:14: paragraph 1.3 follows paragraph 2.2: chapter 1 comes "
                                                 "before chapter 2. Number this paragraph 2.3 (or 3.1 if it starts the next "
                                                 "chapter), or move it into chapter 1."),
])
def test_a_gap_or_repeat_in_chapter_numbers_is_named_with_its_file_and_line(small_report, change, expected):
    parts = dict(CHAPTERS)
    parts["03-findings.md"] = parts["03-findings.md"].replace(*change)
    write_parts(small_report, parts)
    problems = [problem for problem in problems_of(small_report) if "cites" not in problem]
    assert problems == [expected], "one wrong number is one problem"


def test_a_reserved_slug_is_named_at_its_line(small_report):
    findings = small_report / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8").replace("slug: findings", "slug: glossary"), encoding="utf-8")
    front = small_report / "front-page.md"
    front.write_text(front.read_text(encoding="utf-8").replace("part: findings", "part: glossary"), encoding="utf-8")
    assert_problems(small_report, "03-findings.md:4: the page name 'glossary' is used by the site itself. "
                                   "Choose another 'slug:' (or 'page:') for this part.")


def test_a_reserved_slug_from_the_file_name_is_named_at_the_first_line(small_report):
    (small_report / "parts" / "04-search.md").write_text("---\ntitle: Search\n---\nText.\n", encoding="utf-8")
    assert_problems(small_report, "04-search.md:1: the page name 'search' is used by the site itself. "
                                  "Choose another 'slug:' (or 'page:') for this part.")


def test_a_slug_used_twice_is_named_at_its_line(small_report):
    (small_report / "parts" / "04-more.md").write_text("---\ntitle: More\norder: 4\nslug: findings\n---\nText.\n",
                                                         encoding="utf-8")
    assert_problems(small_report, "04-more.md:4: the slug 'findings' is also used by 03-findings.md. "
                                  "Give each part its own 'slug:', or rename its file.")


def test_a_parts_order_and_slug_come_from_its_file_name(small_report):
    (small_report / "parts" / "07-annex-a.md").write_text("---\ntitle: Annex A\n---\nText.\n", encoding="utf-8")
    part = load_report(small_report).parts[-1]
    assert (part.order, part.slug, part.title) == (7, "annex-a", "Annex A")


def test_a_part_with_no_number_in_its_name_or_order_is_an_error(small_report):
    (small_report / "parts" / "annex.md").write_text("---\ntitle: Annex\n---\nText.\n", encoding="utf-8")
    assert_problems(small_report, "annex.md:1: this part has no place in the report's order. Start the file's name with "
                                  "its number, e.g. '03-annex.md', or add 'order: 3' to its front matter.")


def test_a_misspelt_front_matter_field_is_an_error(small_report):
    (small_report / "parts" / "04-more.md").write_text("---\ntitle: More\nrecomendations: true\n---\nText.\n",
                                                         encoding="utf-8")
    assert problems_of(small_report)[0].startswith(
        "04-more.md:3: 'recomendations' is not a field of a part's front matter. Check its spelling; the fields are: title, ")
