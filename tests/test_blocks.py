"""Building blocks: a fenced block whose info string names the block and whose body is YAML. Each is
rendered by its component on every page, in every download and in the plain text and Braille; each
problem inside one is named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build_files
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.errors import BuildError, display_path
from tests.sitetext import parse_html

BLOCKS = """
```facts
- label: "Inspected:"
  text: 6 January 2020
- label: "Lead:"
  text: "*Ada Lovelace* (paragraph 3)"
```

```graded-table
caption: Grades
rows:
  - area: Early help
    grade: Good
    part: findings
```

```people
- role: Team
  names: [Grace Hopper, Alan Turing]
```

```notice
label: "Findings:"
part: findings
text: "**Good**"
```
"""


def with_blocks(content: Path, blocks: str = BLOCKS) -> Path:
    """The small report with `blocks` at the start of its recommendations part (after line 5, its front matter)."""
    part = content / "parts" / "01-recommendations.md"
    text = part.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    part.write_text(f"---\n{front}---\n{blocks.lstrip()}\n{body}", encoding="utf-8")
    return content


def problems_of(content: Path) -> list[str]:
    with pytest.raises(BuildError) as raised:
        resolve(load_report(content))
    folder = display_path(content) + "/"
    return [str(problem).replace(folder, "") for problem in raised.value.problems]


def test_blocks_are_rendered_by_their_components_with_their_texts_as_markdown(small_report):
    files = build_files(Sources(content=with_blocks(small_report)), formats=("html",)).files
    page = parse_html(files["recommendations.html"].decode())
    rows = [(row.find_all("dt")[0].text(), row.find_all("dd")[0].text()) for row in page.find_all("div", "rs-summary-list__row")]
    assert rows == [("Inspected:", "6 January 2020"), ("Lead:", "Ada Lovelace (paragraph 3)"), ("Team:", "Grace Hopper, Alan Turing")]
    assert page.find_all("em")[0].text() == "Ada Lovelace"
    assert [a.attrs["href"] for a in page.find_all("dl")[0].find_all("a", "rs-citation")] == ["findings.html#paragraph-3"]
    table = page.find_all("table")[0]
    assert table.find_all("caption")[0].text() == "Grades"
    assert [a.attrs["href"] for a in table.find_all("a")] == ["findings.html"]
    notice = page.find_all("p", "rs-notice")[0]
    assert notice.text() == "Findings: Good" and notice.find_all("a")[0].attrs["href"] == "findings.html"
    findings = parse_html(files["findings.html"].decode())
    backlinks = findings.by_id("paragraph-3").find_all("p", "rs-paragraph__backlinks")[0]
    assert "recommendations.html" in [a.attrs["href"] for a in backlinks.find_all("a")], "a citation in a block links back"


def test_on_the_one_page_edition_a_block_links_within_the_page(small_report):
    files = build_files(Sources(content=with_blocks(small_report)), formats=("html",)).files
    page = parse_html(files["large-print.html"].decode())
    hrefs = {a.attrs["href"] for table in page.find_all("table") for a in table.find_all("a")}
    hrefs |= {a.attrs["href"] for notice in page.find_all("p", "rs-notice") for a in notice.find_all("a")}
    assert hrefs == {"#part-findings"}


def test_blocks_are_plain_lines_in_the_text_edition(small_report):
    files = build_files(Sources(content=with_blocks(small_report)), formats=("html", "text")).files
    text = next(data for path, data in files.items() if path.endswith(".txt")).decode().split("\n")
    for line in ("Inspected: 6 January 2020", "Lead: Ada Lovelace (paragraph 3)", "Early help: Good", "Team: Grace Hopper, Alan Turing",
                 "Findings: Good", "Grades"):
        assert line in text


def test_the_site_offers_its_downloads_where_a_block_asks_and_a_download_does_not(small_report):
    with_blocks(small_report, "Ask us for large print.\n\n```other-formats\n```\n")
    files = build_files(Sources(content=small_report), formats=("html", "text", "epub")).files
    page = parse_html(files["recommendations.html"].decode())
    note = page.find_all("p", "rs-site-note")[0]
    assert sorted(a.attrs["href"] for a in note.find_all("a")) == ["#other-formats", "downloads/inspection-of-services-for-children-in-testshire.epub",
                                                                   "downloads/inspection-of-services-for-children-in-testshire.txt"]
    import io
    import zipfile
    epub = next(data for path, data in files.items() if path.endswith(".epub"))
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        assert "rs-site-note" not in book.read("EPUB/text/recommendations.xhtml").decode()


@pytest.mark.parametrize("block, expected", [
    ("```facts\n- label: Inspected\n  text: [6 January\n```\n",
     "parts/01-recommendations.md:9: in this facts block, this YAML does not parse"),
    ("```facts\n- label: Inspected\n```\n",
     "parts/01-recommendations.md:7: in this facts block, the required field '[1].text' is missing. Add 'text:' with text."),
    ("```facts\n- label: Inspected\n  text: 6 January 2020\n  txet: a typo\n```\n",
     "parts/01-recommendations.md:9: in this facts block, 'txet' is not a field of a facts block. Check its spelling; the fields are: label, text."),
    ("```facts\n```\n", "parts/01-recommendations.md:7: in this facts block, there is nothing to show. Write at least one item, or remove the block."),
    ("```fact\n- label: A\n  text: B\n```\n", "parts/01-recommendations.md:6: 'fact' is not a building block. Did you mean 'facts'?"),
    ("```table\ncaption: Agenda\ncolumns: [Item, Page]\nrows:\n  - [One item]\n```\n",
     "parts/01-recommendations.md:10: in this table block, this row has 1 cells, but the table has 2 columns."),
    ("```graded-table\ncaption: Grades\ncolumns: [Area, Grade, Trend]\nrows:\n  - area: Help\n    grade: Good\n```\n",
     "parts/01-recommendations.md:8: in this graded-table block, a graded table has two columns, not 3."),
    ("```graded-table\ncaption: Grades\nrows:\n  - area: Help\n    grade: Good\n    part: findngs\n```\n",
     "parts/01-recommendations.md:11: 'part: findngs' names no part of the report. Did you mean 'findings'?"),
    ("```notice\ntext: (paragraph 12 of last year's report)\n```\n",
     "parts/01-recommendations.md:7: this looks like a citation, but cannot be read as one: '(paragraph 12 of last year's report)'."),
    ("```notice\ntext: As in paragraph 3 (paragraph 30)\n```\n",
     "parts/01-recommendations.md:7: this text cites paragraph 30, which does not exist."),
])
def test_a_problem_inside_a_block_is_named_with_its_file_and_line(small_report, block, expected):
    problems = problems_of(with_blocks(small_report, block))
    assert any(problem.startswith(expected) for problem in problems), problems
