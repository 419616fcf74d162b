"""The Braille edition: UEB grade 2 in 40 cells by 25 lines, numbered pages, and text that translates back."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.formats import BY_NAME, FormatCache, FormatContext, braille, build_formats, source_date
from tests.seedtext import numbered_paragraphs

PARAGRAPHS = numbered_paragraphs()
BRF_CHARACTERS = set(range(0x20, 0x60)) | {0x0A, 0x0C, 0x0D}


def make_brf(content: Path) -> bytes:
    site = resolve(load_report(content))
    context = FormatContext(Sources().templates, site.report.meta.web_address, source_date(site))
    return braille.make(braille.source(site, context), context)


def pages_of(data: bytes) -> list[list[str]]:
    """Each page's lines, its page number line first."""
    pages = data.decode("ascii").split("\f")
    assert all(page.endswith("\r\n") for page in pages)
    return [page.removesuffix("\r\n").split("\r\n") for page in pages]


def braille_number(number: int) -> str:
    return "#" + "".join("JABCDEFGHI"[int(digit)] for digit in str(number))


def paragraph_braille(pages: list[list[str]], number: int) -> str:
    """A numbered paragraph's braille, its lines (across pages) joined again."""
    body = [line for page in pages for line in page[1:]]
    start = next(index for index, line in enumerate(body) if line.startswith(f"  {braille_number(number)}4 "))
    lines = [body[start].strip()]
    for line in body[start + 1:]:
        if not line or line.startswith(" "):  # a blank line, or the next paragraph in cell 3
            break
        lines.append(line)
    return " ".join(lines)


def lou_translate(direction: str, text: str, tables: str = braille.TABLES) -> str:
    done = subprocess.run(["lou_translate", direction, tables], input=text.replace("\\", "\\\\") + "\n",
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


def normalised(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


@pytest.fixture(scope="module")
def brf() -> bytes:
    return make_brf(Sources().content)


@pytest.fixture(scope="module")
def pages(brf) -> list[list[str]]:
    return pages_of(brf)


def test_liblouis_is_installed_for_the_tests():
    assert braille.missing_tool() is None


def test_no_line_is_longer_than_40_cells(pages):
    too_long = [(number, line) for number, page in enumerate(pages, 1) for line in page if len(line) > 40]
    assert too_long == []


def test_no_page_is_longer_than_25_lines(pages):
    assert [number for number, page in enumerate(pages, 1) if len(page) > 25] == []
    assert len(pages) > 50  # the whole report, not a stub


def test_every_page_is_numbered_in_sequence_at_the_right_of_its_first_line(pages):
    for number, page in enumerate(pages, 1):
        assert page[0] == braille_number(number).rjust(40)


def test_only_ascii_braille_characters_crlf_and_form_feeds(brf):
    assert sorted({chr(byte) for byte in brf if byte not in BRF_CHARACTERS}) == []
    assert b"\n" not in brf.replace(b"\r\n", b"")
    assert b"\r" not in brf.replace(b"\r\n", b"")


@pytest.mark.parametrize("number", [1, 45, 100, 108, 129])
def test_a_paragraph_translates_back_to_the_report_text(pages, number):
    back = normalised(lou_translate("--backward", paragraph_braille(pages, number)))
    expected = normalised(f"{number}. {PARAGRAPHS[number]}")
    ratio = difflib.SequenceMatcher(None, back, expected).ratio()
    difference = "\n".join(line for line in difflib.ndiff(back.split(), expected.split()) if line[0] in "+-")
    assert ratio >= 0.95, f"paragraph {number} came back {ratio:.3f} similar:\n{difference}"


def test_paragraphs_start_in_cell_3_and_run_over_to_cell_1(pages):
    body = [line for page in pages for line in page[1:]]
    start = next(index for index, line in enumerate(body) if line.startswith(f"  {braille_number(45)}4 "))
    assert body[start + 1][0] != " "


def test_part_headings_are_centred_after_a_blank_line(pages):
    heading = lou_translate("--forward", "Executive summary")
    page = next(page for page in pages if any(line.strip() == heading for line in page))
    index = next(index for index, line in enumerate(page) if line.strip() == heading)
    line = page[index]
    left = len(line) - len(line.lstrip())
    assert abs(left - (40 - len(line))) <= 1
    assert index == 1 or page[index - 1] == ""
    assert page[index + 1] == ""


def test_no_page_ends_with_a_heading(pages):
    headings = {lou_translate("--forward", part.heading) for part in resolve(load_report(Sources().content)).report.parts
                if len(part.heading) < 30}
    assert [number for number, page in enumerate(pages, 1) if page[-1].strip() in headings] == []


def test_the_translation_is_unified_english_braille_not_the_old_british_code(brf):
    words = "require improvement to be good"
    ueb = lou_translate("--forward", words)
    old_british = lou_translate("--forward", words, "en-us-brf.dis,en-GB-g2.ctb")
    assert ueb != old_british
    text = " ".join(brf.decode("ascii").split())
    assert ueb.upper() in text
    assert old_british.upper() not in text


def test_the_title_page_names_the_report_source_web_address_and_code(pages):
    site = resolve(load_report(Sources().content))
    back = normalised(lou_translate("--backward", " ".join(line.strip() for line in pages[0][1:] if line)))
    assert normalised(site.report.meta.published.text) in back
    assert "unified english braille, grade 2" in back
    assert "www.brent.gov.uk/ofsted-inspection-2015/" in back  # 'https:' does not come back as written


def test_footnote_references_are_ueb_superscript_numbers(brf):
    text = " ".join(brf.decode("ascii").split())
    assert ";9#A" in text and ";9#B" in text and ";9#C" in text
    assert "\\XJJBI" not in text  # what liblouis makes of a '¹' it cannot translate


def test_two_makes_give_identical_bytes(brf):
    assert make_brf(Sources().content) == brf


def test_the_small_report_fits_the_page_too(small_report):
    pages = pages_of(make_brf(small_report))
    assert all(len(line) <= 40 for page in pages for line in page)
    assert all(len(page) <= 25 for page in pages)
    back = normalised(lou_translate("--backward", paragraph_braille(pages, 1)))
    assert back == "1. improve early help (paragraphs 3, 5)."


def test_a_word_longer_than_a_line_breaks_after_a_slash_or_hyphen():
    lines = braille.wrap("HTTPS3_/_/WWW4BR5T4GOV4UK_/(/$-9SPEC;N-#BJAE_/ & MORE", 40, 2, 0)
    assert lines == ["  HTTPS3_/_/WWW4BR5T4GOV4UK_/(/$-", "9SPEC;N-#BJAE_/ & MORE"]
    assert braille.wrap("X" * 90, 40, 0, 0) == ["X" * 40, "X" * 40, "X" * 10]


def test_a_backslash_in_the_text_is_translated_not_read_as_an_escape():
    escaped, letter = braille.translate(["\\x0041", "A"])
    assert escaped != letter
    assert braille.translate(["a\\b"]) == ["A_*B"]  # the UEB backslash


def test_missing_liblouis_names_the_debian_packages(monkeypatch):
    monkeypatch.setenv("PATH", "")
    message = braille.missing_tool()
    assert message is not None
    assert "liblouis-bin" in message and "liblouis-data" in message


def test_a_build_without_liblouis_skips_braille_and_makes_the_rest(monkeypatch, small_report):
    site = resolve(load_report(small_report))
    monkeypatch.setenv("PATH", "")
    result = build_formats(site, ("braille", "text"), Sources().templates, FormatCache(None))
    assert [skipped.what for skipped in result.skipped] == ["the Braille (BRF)"]
    assert "sudo apt-get install liblouis-bin liblouis-data" in str(result.skipped[0])
    assert [download.format.name for download in result.downloads] == ["text"]


def test_list_items_run_over_beyond_the_start_of_their_sublist(pages):
    body = [line for page in pages for line in page[1:]]
    item = next(index for index, line in enumerate(body) if line.startswith(",! PROPOR;N ( *N 5TITL$ TO FREE"))
    assert body[item + 1].startswith("    ") and not body[item + 1].startswith("     ")  # a runover, in cell 5
    assert body[item + 2].startswith("  9 PRIM>Y S*OOLS")                                 # a sub-item, in cell 3
