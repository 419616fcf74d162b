"""A part's abbreviations are marked once, while it is parsed and rendered, and the page around it is marked
without going through the part's HTML again: every page is what marking the whole page would make."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportsite.render
from reportsite.build import Sources, build, build_files
from reportsite.plugins.abbreviations import mark_abbreviations_in_html
from tests.test_incremental import files_in

ABBREVIATIONS = {"CAF": "Common Assessment Framework", "SoS": "Signs of Safety",
                 # words the site writes itself beside the report's, listed as abbreviations to see them marked
                 "Evidence": "a word of the evidence list", "Cited": "a word of the links back", "here": "a word of the quote",
                 "Area": "a heading of a block", "LA": "local authority", "IRO": "independent reviewing officer"}
PARTS = {
    "01-recommendations.md": "---\ntitle: Recommendations\nrecommendations: true\n---\n"
                             "1. Use the `CAF` well (paragraph 3) and SoS[^CAF].\n\n[^CAF]: A note labelled CAF with `SoS`.\n",
    "02-findings.md": "---\ntitle: Findings\n---\n## The CAF in a heading\n\n"
                      "2. Plain CAF, CAFs and *SoS*, [a CAF link](https://example.org), `CAF` and `the LA` in code.\n\n"
                      "3. Code in a quoted paragraph: `SoS` and `CAF`.\n\n"
                      "```\nfenced IRO code\n```\n\n"
                      "| CAF | SoS |\n|---|---|\n| the CAF | `SoS` |\n\n"
                      "```graded-table\ncaption: CAF grades\nrows:\n  - area: The CAF area\n    grade: Good\n```\n",
}


@pytest.fixture
def report(tmp_path) -> Path:
    """A report whose abbreviations stand in code, notes, blocks, quotes and the words the site adds."""
    content = tmp_path / "content"
    (content / "parts").mkdir(parents=True)
    (content / "report.yaml").write_text("title: A report of abbreviations\npublisher: A council\n", encoding="utf-8")
    (content / "abbreviations.yaml").write_text(
        "".join(f"- abbreviation: {key}\n  expansion: {value}\n" for key, value in ABBREVIATIONS.items()), encoding="utf-8")
    for name, text in PARTS.items():
        (content / "parts" / name).write_text(text, encoding="utf-8")
    return content


def test_pages_are_those_of_marking_every_part_again_in_the_page(report, tmp_path, monkeypatch):
    build(Sources(content=report), tmp_path / "once", formats=("html", "epub"), workers=1)
    once = files_in(tmp_path / "once")
    monkeypatch.setattr(reportsite.render, "fence_off_marked", lambda site, part, html: html)  # the page marks the parts too
    build(Sources(content=report), tmp_path / "again", formats=("html", "epub"), workers=1)
    again = files_in(tmp_path / "again")
    assert once == again
    recommendations = once["recommendations.html"].decode("utf-8")
    for word in ("Evidence", "here", "CAF", "SoS"):  # the site's words and code are marked and explained
        assert f'data-rs-expansion="{ABBREVIATIONS[word]}"><abbr>{word}</abbr></a>' in recommendations
    findings = once["findings.html"].decode("utf-8")
    for word in ("Cited", "Area"):
        assert f'data-rs-expansion="{ABBREVIATIONS[word]}"><abbr>{word}</abbr></a>' in findings
    for word in ("LA", "IRO"):  # used in code only
        assert f'data-rs-expansion="{ABBREVIATIONS[word]}"><abbr>{word}</abbr></a>' in findings
    assert "rs:marked" not in "".join(text.decode("utf-8", "replace") for text in once.values())


def test_a_parts_html_is_left_as_it_is_by_marking_it_again(report, monkeypatch):
    rendered: list[tuple[str, dict]] = []
    render_part = reportsite.render.render_part

    def keep(site, page, part, *arguments, **options):
        html = render_part(site, page, part, *arguments, **options)
        rendered.append((html, reportsite.render.expansions_of(site)))
        return html

    monkeypatch.setattr(reportsite.render, "render_part", keep)
    build_files(Sources(content=report), ("html",), workers=1)
    fenced = [(html, expansions) for html, expansions in rendered if html.startswith(reportsite.render.MARKED_FROM)]
    assert len(fenced) >= 4  # each part on its page and in the one-page edition
    for html, expansions in fenced:
        assert mark_abbreviations_in_html(html, expansions) == html
