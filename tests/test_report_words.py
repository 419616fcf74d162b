"""The report's words, unaltered in every format.

Each numbered paragraph of the source (tests/seedtext.py reads it independently of the content) is,
word for word, a paragraph of the large print PDF, of the e-book, of the plain text, of the Braille and
of the search index: nothing the site adds (an abbreviation's expansion, a link's label, a backlink) is
inside the report's text. The web pages are checked in the browser: tests/browser/test_report_words.py.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.formats import FormatContext, braille, source_date
from reportsite.formats.blocks import Block
from tests.seedtext import numbered_paragraphs, recommendation_citations
from tests.sitetext import paragraph_words, parse_html

PARAGRAPHS = numbered_paragraphs()


def as_printed(number: int) -> str:
    """A numbered paragraph as the source prints it: its number, then its words."""
    return f"{number}. {PARAGRAPHS[number]}"


def download(site: Path, suffix: str) -> Path:
    return next((site / "downloads").glob(f"*{suffix}"))


def paragraphs_in_lines(text: str, paragraphs: dict[int, str]) -> dict[int, str]:
    """The paragraphs (number -> text) not found, in order, in `text`, each starting at the start of a line
    (after its indent) and ending at the end of one, with any run of white space between two words, and a line
    break allowed after a hyphen; with what stands there instead."""
    missing, position = {}, 0
    for number, paragraph in sorted(paragraphs.items()):
        words = [re.escape(word).replace(r"\-", r"-(?:\n *)?") for word in paragraph.split()]  # a line may end after a hyphen
        pattern = re.compile(r"(?:^|(?<=\n)) *" + r"\s+".join(words) + r"(?=\n|$)")
        found = pattern.search(text, position)
        if found is None:
            start = text.find(paragraph.split()[0] + " ", position)
            missing[number] = " ".join(text[start:start + len(paragraph) + 80].split()) if start >= 0 else "(not found)"
        else:
            position = found.end()
    return missing


def test_the_source_gives_every_paragraph_to_compare():
    assert sorted(PARAGRAPHS) == list(range(1, 130))


def test_the_comparison_finds_a_word_added_inside_a_paragraph():
    text = "Heading\n12. The early help team (EHT (early help team)) works.\nCited in recommendation 1\n"
    assert paragraphs_in_lines(text, {12: "12. The early help team (EHT) works."}) == {
        12: "12. The early help team (EHT (early help team)) works. Cited in recommendation 1"}
    assert paragraphs_in_lines(text.replace(" (early help team)", ""), {12: "12. The early help team (EHT) works."}) == {}


def test_the_large_print_pdf_holds_every_paragraph_as_the_source_has_it(report_site):
    pdf = download(report_site, ".pdf")
    # -raw: the text in the order it is drawn, with no hyphen taken out where a line ends in one
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\n*Page \d+ of \d+\n*\f?", "\n", text)  # each page's footer, where a paragraph runs over
    assert paragraphs_in_lines(text, {number: as_printed(number) for number in PARAGRAPHS}) == {}


def test_the_e_book_holds_every_paragraph_as_the_source_has_it(report_site):
    found = {}
    with zipfile.ZipFile(download(report_site, ".epub")) as book:
        for name in sorted(name for name in book.namelist() if name.endswith(".xhtml")):
            for element in parse_html(book.read(name).decode("utf-8")).find_all("div", "rs-paragraph"):
                found[int(element.attrs["id"].removeprefix("paragraph-"))] = paragraph_words(element)
    assert {number: text for number, text in found.items() if text != PARAGRAPHS.get(number)} == {}
    assert sorted(found) == sorted(PARAGRAPHS)


def test_the_plain_text_holds_every_paragraph_as_the_source_has_it(report_site):
    lines = download(report_site, ".txt").read_text(encoding="utf-8").split("\n")
    missing, position = {}, 0
    for number in sorted(PARAGRAPHS):
        if as_printed(number) in lines[position:]:
            position = lines.index(as_printed(number), position) + 1
        else:
            missing[number] = next((line for line in lines[position:] if line.startswith(f"{number}. ")), "(not found)")
    assert missing == {}


@pytest.fixture(scope="module")
def braille_blocks() -> list[Block]:
    site = resolve(load_report(Sources().content))
    context = FormatContext(Sources().templates, site.report.meta.web_address, source_date(site))
    return [Block(**block) for block in json.loads(braille.source(site, context))]


def test_the_braille_is_made_from_every_paragraph_as_the_source_has_it(braille_blocks):
    found = {int(block.number.rstrip(".")): block.text for block in braille_blocks if block.kind == "numbered"}
    assert {number: text for number, text in found.items() if text != PARAGRAPHS.get(number)} == {}
    assert sorted(found) == sorted(PARAGRAPHS)


def test_the_braille_file_holds_the_braille_of_every_paragraph_as_the_source_has_it(report_site):
    pages = download(report_site, ".brf").read_bytes().decode("ascii").split("\f")
    text = "\n".join(line for page in pages for line in page.split("\r\n")[1:])  # each page's first line: its number
    numbers = sorted(PARAGRAPHS)
    expected = dict(zip(numbers, braille.translate([as_printed(number) for number in numbers])))
    assert paragraphs_in_lines(text, expected) == {}


def test_the_search_index_holds_every_paragraph_as_the_source_has_it(report_site):
    found = {}
    for fragment in sorted((report_site / "pagefind" / "fragment").glob("*.pf_fragment")):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        if "paragraph" in record["meta"]:
            found[int(record["meta"]["paragraph"])] = " ".join(record["content"].split())
    assert {number: text for number, text in found.items() if text != PARAGRAPHS.get(number)} == {}
    assert sorted(found) == sorted(PARAGRAPHS)


def test_each_paragraph_quoted_as_a_recommendations_evidence_is_as_the_source_has_it(report_site):
    page = parse_html((report_site / "recommendations.html").read_text(encoding="utf-8"))
    quoted = {}
    for listed in page.find_all("div", "rs-paragraph__evidence"):
        for item in (child for child in listed.find_all("ul")[0].children if getattr(child, "tag", None) == "li"):
            number = int(item.find_all("a")[0].text().split()[1])
            quoted.setdefault(number, set()).add(item.find_all("blockquote")[0].text(skip_classes=()))
    assert sorted(quoted) == sorted({number for numbers in recommendation_citations().values() for number in numbers})
    assert {number: texts for number, texts in quoted.items() if texts != {PARAGRAPHS[number]}} == {}
