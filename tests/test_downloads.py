"""The downloads: linked from every page with their format and size, offered after the report's own note
on other formats, made again only when what they are made from changes, and skipped with a reason
(while the rest is built) when a tool is missing."""

from __future__ import annotations

import re

import pytest

import build as command_line
from reportsite import formats
from reportsite.build import Sources, build
from tests.sitetext import parse_html

DOWNLOADS = {".pdf": "PDF", ".epub": "EPUB", ".brf": "BRF", ".txt": "TXT"}


def stated_size(text: str) -> tuple[str, float]:
    """('PDF', 1_200_000.0) from a link that ends '(PDF, 1.2 MB)'."""
    match = re.search(r"\((\w+), (\d+(?:\.\d)?) (KB|MB)\)$", text.strip())
    assert match, f"no format and size in {text!r}"
    return match.group(1), float(match.group(2)) * (1000 if match.group(3) == "KB" else 1000 * 1000)


@pytest.fixture(scope="module")
def downloads(report_site) -> dict[str, int]:
    """Each download's path in the site, and its size in bytes."""
    return {f"downloads/{path.name}": path.stat().st_size for path in sorted((report_site / "downloads").iterdir())}


def test_the_report_is_built_in_every_format(downloads):
    assert sorted(path.rsplit(".", 1)[1] for path in downloads) == ["brf", "epub", "pdf", "txt"]
    assert all(size > 10_000 for size in downloads.values())


def test_every_page_links_every_download_with_its_format_and_size(report_site, downloads):
    pages = sorted(report_site.glob("*.html"))
    assert len(pages) > 15
    for page in pages:
        section = parse_html(page.read_text(encoding="utf-8")).by_id("other-formats")
        assert section is not None, f"{page.name} has no other formats section"
        links = {a.attrs["href"]: a.text() for a in section.find_all("a")}
        for path, size in downloads.items():
            assert path in links, f"{page.name} does not link {path}"
            kind, stated = stated_size(links[path])
            assert kind == DOWNLOADS["." + path.rsplit(".", 1)[1]]
            precision = 500 if stated < 1000 * 1000 else 50_000  # rounded to the KB, or to a tenth of a MB
            assert abs(stated - size) <= precision, f"{page.name}: {path} is {size} bytes, not {links[path]}"


def test_every_page_has_the_other_formats_link_in_its_header(report_site):
    for page in sorted(report_site.glob("*.html")):
        header = parse_html(page.read_text(encoding="utf-8")).find_all("header")[0]
        assert [a.attrs["href"] for a in header.find_all("a") if a.text() == "Other formats"] == ["#other-formats"], page.name


def test_the_reports_note_on_other_formats_is_followed_by_the_downloads(report_site, downloads):
    for name in ("information-about-this-inspection.html", "large-print.html"):
        doc = parse_html((report_site / name).read_text(encoding="utf-8"))
        note = next(p for p in doc.find_all("p") if "large print or Braille, please telephone" in p.text())
        siblings = note.parent.children
        offer = next(child for child in siblings[siblings.index(note) + 1:] if hasattr(child, "tag"))
        assert sorted(a.attrs["href"] for a in offer.find_all("a") if a.attrs["href"].startswith("downloads/")) == sorted(downloads)


def test_the_plain_text_names_the_web_address_it_came_from(report_site, downloads):
    address = "https://www.brent.gov.uk/ofsted-inspection-2015/"
    text = next((report_site / path).read_text(encoding="utf-8") for path in downloads if path.endswith(".txt"))
    assert address in text


def test_a_download_is_made_again_only_when_what_it_is_made_from_changes(small_report, tmp_path, monkeypatch):
    made: list[str] = []
    for name in ("text", "epub"):
        module = formats.implementation(formats.BY_NAME[name])
        original = module.make
        monkeypatch.setattr(module, "make", lambda source, context, name=name, original=original: made.append(name) or original(source, context))
    sources, out = Sources(content=small_report), tmp_path / "site"

    build(sources, out, formats=("html", "text", "epub"))
    assert made == ["epub", "text"]
    first = {path.name: path.read_bytes() for path in (out / "downloads").iterdir()}

    made.clear()
    build(sources, out, formats=("html", "text", "epub"))
    assert made == []
    assert {path.name: path.read_bytes() for path in (out / "downloads").iterdir()} == first

    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text(encoding="utf-8").replace("\n\n", "\n\nAn added sentence.\n\n", 1), encoding="utf-8")
    build(sources, out, formats=("html", "text", "epub"))
    assert made == ["epub", "text"]


def test_a_build_without_a_formats_tool_says_what_it_skipped_and_builds_the_rest(small_report, tmp_path, monkeypatch, capsys):
    braille = formats.implementation(formats.BY_NAME["braille"])
    monkeypatch.setattr(braille, "missing_tool", lambda: "liblouis is not installed. Install it with: sudo apt-get install liblouis-bin liblouis-data")
    out = tmp_path / "site"
    status = command_line.main(["--content", str(small_report), "--out", str(out), "--formats", "html,braille,text"])
    printed = capsys.readouterr()
    assert status == 0
    assert "Skipped the Braille (BRF): liblouis is not installed. Install it with: sudo apt-get install liblouis-bin liblouis-data" in printed.err
    assert [path.suffix for path in (out / "downloads").iterdir()] == [".txt"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert ".txt" in index and ".brf" not in index
