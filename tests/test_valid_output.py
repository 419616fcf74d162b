"""Every page is valid and unambiguous whatever the content holds: ids unique on the page, no link inside a
link, one first-level heading; and content that cannot be published so is refused with its line.

The fixture tests/fixtures/ids-and-links holds what once broke these: the title's note, the front page's
note and every part's note all labelled [^1]; C++ and C#; headings named like the site's own ids
('Main content', 'Contents', 'Paragraph 2', 'Footnotes'); two parts on one page, each with '## Summary'
and a note [^1]; citations and abbreviations inside links. (The Nu Html Checker checks the same pages in
tests/browser/test_valid_output.py.)
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reportsite.build import Sources, build
from tests.conftest import run_build

IDS_AND_LINKS = Path(__file__).parent / "fixtures" / "ids-and-links"


class PageShape(HTMLParser):
    """The ids of a page, its h1s, each link written inside another, and what each link says and where it goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.h1s = 0
        self.nested_links: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._open_links: list[list] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        if tag == "h1":
            self.h1s += 1
        if tag == "a":
            if self._open_links:
                self.nested_links.append(f"{attributes.get('href')} inside {self._open_links[-1][0]}")
            self._open_links.append([attributes.get("href"), ""])

    def handle_data(self, data):
        for link in self._open_links:
            link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            self.links.append(tuple(self._open_links.pop()))


def page_shape(path: Path) -> PageShape:
    shape = PageShape()
    shape.feed(path.read_text(encoding="utf-8"))
    shape.close()
    return shape


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ids-and-links") / "site"
    build(Sources(content=IDS_AND_LINKS), out, formats=("html",))
    return out


def pages_of(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_every_page_has_unique_ids_one_h1_and_no_link_inside_a_link(site):
    problems = {}
    for path in pages_of(site):
        shape = page_shape(path)
        repeated = sorted(name for name, count in shape.ids.items() if count > 1)
        if repeated or shape.nested_links or shape.h1s != 1:
            problems[path.name] = (repeated, shape.nested_links, shape.h1s)
    assert len(pages_of(site)) >= 8
    assert problems == {}


def test_every_link_within_a_page_goes_to_an_id_of_that_page(site):
    broken = [(path.name, href) for path in pages_of(site) for shape in [page_shape(path)]
              for href, _ in shape.links if href and href.startswith("#") and href[1:] not in shape.ids]
    assert broken == []


def test_a_heading_named_like_an_id_of_the_build_s_own_templates_keeps_apart_from_it(tmp_path):
    """The ids the site keeps for itself are read from the templates the build is given, not the repository's."""
    content = shutil.copytree(IDS_AND_LINKS, tmp_path / "content")
    part = content / "parts" / "01-what-we-found.md"
    part.write_text(part.read_text(encoding="utf-8") + "\n## Where to start\n\nA heading of the report.\n", encoding="utf-8")
    templates = shutil.copytree(Path(__file__).parent.parent / "templates", tmp_path / "templates")
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace('<body class="rs-body{% block body_classes %}{% endblock %}">',
                    '<body class="rs-body{% block body_classes %}{% endblock %}"><span id="where-to-start"></span>', 1),
                    encoding="utf-8")
    for given, heading_id in ((None, "where-to-start"), (templates, "where-to-start-section")):
        out = tmp_path / f"site-{heading_id}"
        build(Sources(content=content, **({"templates": given} if given else {})), out, formats=("html",))
        shape = page_shape(out / "what-we-found.html")
        assert shape.ids[heading_id] == 1 and max(shape.ids.values()) == 1
        html = (out / "what-we-found.html").read_text(encoding="utf-8")
        assert f'<h2 id="{heading_id}"' in html and f'href="#{heading_id}"' in html  # the page's sections list it


def test_a_citation_or_abbreviation_inside_a_link_leaves_the_link_as_written(site):
    links = page_shape(site / "what-we-found.html").links
    assert ("https://example.org/code", "See the C++ code (paragraph 1)") in links
    assert ("https://example.org/plan", "the ICT plan") in links
    assert ("https://example.org/(paragraph-2)", "https://example.org/(paragraph-2)") in links
    # outside a link the same words are linked: the citation, and the first use of each abbreviation
    assert ("#paragraph-2", "2") in links
    assert any(href.startswith("glossary.html#") and text == "C++" for href, text in links)


def test_c_plus_plus_and_c_sharp_each_link_to_their_own_glossary_entry(site):
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    shape = page_shape(site / "what-we-found.html")
    targets = {text: href.split("#")[1] for href, text in shape.links if href.startswith("glossary.html#")}
    assert set(targets) == {"C++", "C#", "ICT"}
    assert len(set(targets.values())) == 3
    for abbreviation, anchor in targets.items():
        entry = glossary.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
        assert f"<abbr>{abbreviation}</abbr>" in entry


NOTE = re.compile(r'<div class="rs-footnote" id="([^"]+)"[^>]*>\s*<span[^>]*>[^<]*</span>\s*<p>(.*?) <a class="rs-footnote__back"', re.S)
NOTE_REFERENCE = re.compile(r'<sup class="rs-footnote-ref"><a href="#([^"]+)"')


@pytest.mark.parametrize("page, notes", [
    ("large-print.html", ["The title's note.", "The front page's note.", "A part's note", "A note labelled like",
                          "A note whose label has a full stop.", "A note whose label has a hyphen.",
                          "The recommendations' note.", "The annex's note"]),
    ("index.html", ["The title's note.", "The front page's note."]),
    ("recommendations.html", ["The recommendations' note.", "The annex's note"]),
])
def test_each_note_reference_leads_to_its_own_note(site, page, notes):
    html = (site / page).read_text(encoding="utf-8")
    found = dict(NOTE.findall(html))
    for start in notes:
        assert sum(text.startswith(start) for text in found.values()) == 1, (start, found)
    assert len(found) == len(notes)
    assert {target for target in NOTE_REFERENCE.findall(html)} == set(found)


# ---------------------------------------------------------------- refused, with the line


def with_part(small_report: Path, text: str, name: str = "04-more.md") -> Path:
    (small_report / "parts" / name).write_text("---\ntitle: More\norder: 4\n---\n" + text, encoding="utf-8")
    return small_report


def assert_refused(content: Path, out: Path, *expected: str) -> list[str]:
    """The build stops with exactly the `expected` lines (each a start), no traceback, and writes nothing."""
    result = run_build("--content", str(content), "--out", str(out), "--formats", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(expected) + 1 and lines[-1].endswith("nothing was written."), result.stderr
    for line, start in zip(lines, expected):
        assert line.startswith(start), line
    assert not out.exists()
    return lines


def test_a_first_level_heading_in_a_part_is_refused_at_its_line(small_report, tmp_path):
    with_part(small_report, "Text.\n\n# A second title\n\nMore text.\n\nUnderlined\n==========\n")
    lines = assert_refused(small_report, tmp_path / "site",
                           f"{small_report}/parts/04-more.md:7: a heading of the first level ('# ') would be a second main "
                           "heading on the page",
                           f"{small_report}/parts/04-more.md:11: a heading of the first level")
    assert "Start the heading with '## '" in lines[0]


def test_a_first_level_heading_on_the_front_page_is_refused_too(small_report, tmp_path):
    front = small_report / "front-page.md"
    front.write_text("# Welcome\n\n" + front.read_text(encoding="utf-8"), encoding="utf-8")
    assert_refused(small_report, tmp_path / "site", f"{front}:1: a heading of the first level")


def test_abbreviations_that_differ_only_in_capitals_are_refused(small_report, tmp_path):
    with open(small_report / "abbreviations.yaml", "a", encoding="utf-8") as listing:
        listing.write("- abbreviation: SOS\n  expansion: Save Our Souls\n")
    lines = assert_refused(small_report, tmp_path / "site",
                           f"{small_report}/abbreviations.yaml:5: the abbreviation 'SOS' differs from 'SoS' (line 3) only in "
                           "capitals, so the glossary cannot tell them apart.")
    assert "Keep one entry" in lines[0]


@pytest.mark.parametrize("written", ["(paragraph {n})", "(paragraphs 3 to {n})", "(paragraph 3.{n})"])
def test_a_paragraph_number_of_thousands_of_digits_is_a_citation_that_cannot_be_read(small_report, tmp_path, written):
    citation = written.format(n="9" * 5000)
    with_part(small_report, f"6. A paragraph that cites {citation}.\n")
    lines = assert_refused(small_report, tmp_path / "site",
                           f"{small_report}/parts/04-more.md:5: this looks like a citation, but cannot be read as one: "
                           f"'{citation[:20]}")
    assert len(lines[0].removeprefix(str(small_report))) < 400, "the message quotes the start of the citation, not all of it"


def test_a_paragraph_numbered_with_thousands_of_digits_is_plain_text(tmp_path):
    content = tmp_path / "content"
    (content / "parts").mkdir(parents=True)
    (content / "report.yaml").write_text("title: Chapters\nnumbering: chapter\n", encoding="utf-8")
    (content / "parts" / "01-one.md").write_text(
        "---\ntitle: One\n---\n1.1 First.\n\n1.2 Second.\n\n" + "9" * 5000 + ".1 Not a paragraph number.\n", encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert "9" * 5000 + ".1 Not a paragraph number." in (tmp_path / "site" / "one.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["parts/04-elsewhere.md", "about.md", "abbreviations.yaml"])
def test_a_file_that_links_out_of_the_content_folder_is_not_read(small_report, tmp_path, name):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\norder: 9\n---\nNot for publishing.\n", encoding="utf-8")
    link = small_report / name
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    assert_refused(small_report, tmp_path / "site",
                   f"{link}:1: this is a symbolic link to '{secret}', outside the content folder, so it is not read. "
                   "Copy the file into the content folder in place of the link.")


def test_a_file_that_links_within_the_content_folder_is_read(small_report, tmp_path):
    (small_report / "notes").mkdir()
    os.replace(small_report / "parts" / "03-findings.md", small_report / "notes" / "findings.md")
    (small_report / "parts" / "03-findings.md").symlink_to("../notes/findings.md")
    result = run_build("--content", str(small_report), "--out", str(tmp_path / "site"), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert "Early help is timely." in (tmp_path / "site" / "findings.html").read_text(encoding="utf-8")
