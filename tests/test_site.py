"""The built site: its pages, their skeleton, their links, and the build's command line."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reportsite.build import Sources, build
from tests.conftest import ROOT, run_build
from tests.sitetext import parse_html

EXPECTED_PAGES = {
    "index.html", "executive-summary.html", "the-local-authority.html", "recommendations.html",
    "summary-for-children-and-young-people.html", "help-and-protection.html", "children-looked-after.html",
    "adoption.html", "care-leavers.html",
    "leadership.html", "lscb.html", "lscb-inspection-findings.html", "information-about-this-inspection.html",
    "about-this-paper.html", "glossary.html", "accessibility.html", "404.html",
}


@pytest.fixture(scope="module")
def pages(report_site):
    return {path.name: parse_html(path.read_text(encoding="utf-8")) for path in sorted(report_site.glob("*.html"))}


def test_every_page_the_report_needs_is_built(pages):
    assert EXPECTED_PAGES <= set(pages)


def test_each_page_has_a_unique_title(pages):
    titles = [doc.find_all("title")[0].text() for doc in pages.values()]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_each_page_has_the_accessible_skeleton(name, pages):
    doc = pages[name]
    assert doc.find_all("html")[0].attrs["lang"] == "en-GB"
    assert len(doc.find_all("h1")) == 1
    first_link = doc.find_all("a")[0]
    assert first_link.attrs["href"] == "#main-content" and "rs-skip-link" in first_link.classes
    main = doc.find_all("main")
    assert len(main) == 1 and main[0].attrs["id"] == "main-content"
    assert doc.find_all("header") and doc.find_all("footer") and doc.find_all("nav")
    levels = [int(e.tag[1]) for e in doc.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"headings skip a level: {levels}"


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_tables_have_captions_and_header_cells(name, pages):
    for table in pages[name].find_all("table"):
        assert table.find_all("caption")
        assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th"))


def test_the_home_page_shows_the_judgements(pages):
    home = pages["index.html"]
    text = home.text()
    assert "Children's services in Brent require improvement to be good" in text
    rows = [(tr.find_all("th")[0].text(), tr.find_all("td")[0].text()) for tr in home.find_all("tbody")[0].find_all("tr")]
    assert rows == [
        ("1. Children who need help and protection", "Requires improvement"),
        ("2. Children looked after and achieving permanence", "Requires improvement"),
        ("2.1 Adoption performance", "Good"),
        ("2.2 Experiences and progress of care leavers", "Requires improvement"),
        ("3. Leadership, management and governance", "Requires improvement"),
    ]
    links = [tr.find_all("a")[0].attrs["href"] for tr in home.find_all("tbody")[0].find_all("tr")]
    assert links == ["help-and-protection.html", "children-looked-after.html", "adoption.html", "care-leavers.html", "leadership.html"]


def test_the_recommendations_page_holds_the_local_authority_and_lscb_recommendations(pages):
    page = pages["recommendations.html"]
    numbers = [int(e.attrs["id"].split("-")[1]) for e in page.find_all("div", "rs-paragraph")]
    assert numbers == list(range(1, 12)) + list(range(108, 114))


def test_contents_and_previous_next_links_follow_the_reading_order(pages):
    contents = pages["index.html"].by_id("contents")
    order = [a.attrs["href"] for a in contents.find_all("a")]
    assert order[:4] == ["index.html", "executive-summary.html", "the-local-authority.html", "recommendations.html"]
    for here, there in zip(order, order[1:]):
        if here in ("accessibility.html",) or there in ("accessibility.html",):
            continue
        next_link = [a for a in pages[here].find_all("a") if a.attrs.get("rel") == "next"]
        assert next_link and next_link[0].attrs["href"] == there, here
    current = pages["leadership.html"].by_id("contents").find_all("a", "rs-contents__link--current")
    assert current[0].attrs["aria-current"] == "page" and current[0].attrs["href"] == "leadership.html"


def test_every_link_is_relative_and_reaches_its_target(report_site, pages):
    ids = {name: {e.attrs["id"] for e in doc.iter() if "id" in e.attrs} for name, doc in pages.items()}
    broken = []
    for name, doc in pages.items():
        for element in doc.iter():
            for attribute in ("href", "src"):
                url = element.attrs.get(attribute)
                if url is None or url.startswith(("mailto:", "tel:")) or (element.tag == "a" and url.startswith("https://")):
                    continue  # links to other websites are for the reader to follow; nothing is loaded from them
                parts = urlsplit(url)
                assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), f"{name}: {url} is not relative"
                target = parts.path or name
                if not (report_site / target).is_file():
                    broken.append(f"{name}: {url}")
                elif parts.fragment and target.endswith(".html") and parts.fragment not in ids[target]:
                    broken.append(f"{name}: {url} (no such anchor)")
    assert broken == []


def test_pages_load_nothing_from_other_websites(pages):
    for name, doc in pages.items():
        for element in doc.iter():
            url = element.attrs.get("src") or (element.attrs.get("href") if element.tag == "link" else None) or ""
            assert not url.startswith(("http:", "https:", "//")), f"{name}: {element.tag} loads {url}"


def test_the_site_works_without_javascript(pages):
    for name, doc in pages.items():
        for noscript_needed in doc.find_all("script"):
            assert noscript_needed.attrs.get("src", "").startswith("static/js/"), name
        assert not any(e.attrs.get(a, "").startswith("javascript:") for e in doc.iter() for a in ("href",)), name


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(Sources(), first)
    build(Sources(), second)
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    assert files(first) == files(second)


def test_the_command_line_explains_itself():
    result = run_build("--help")
    assert result.returncode == 0
    for option in ("check", "serve", "--content", "--out", "--formats"):
        assert option in result.stdout


def test_the_command_line_reports_what_it_built(small_report, tmp_path):
    result = run_build("--content", str(small_report), "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert re.match(r"Built \d+ pages(, [^,]+ \(\d+(\.\d)? [KM]B\))+ into .* in \d+\.\d\d s\.", result.stdout), result.stdout


def test_stylesheets_are_served_without_their_comments(report_site):
    source = (ROOT / "static" / "css" / "components.css").read_text(encoding="utf-8")
    assert "/*" in source
    served = (report_site / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert "/*" not in served and "\n\n" not in served
    assert ".rs-downloads__link {" in served and ".rs-skip-link" in served
    assert "/*" not in (report_site / "static" / "css" / "print.css").read_text(encoding="utf-8")


def test_scripts_are_served_as_one_file_without_their_comments(report_site):
    served = (report_site / "static" / "js" / "site.js").read_text(encoding="utf-8")
    for name, statement in (("reading-preferences.js", 'var KEY = "reportsite-text-size";'),
                            ("abbreviations.js", 'var DISMISSED = "rs-dismissed";'),
                            ("copy-link.js", 'button.className = "rs-paragraph__copy";')):
        source = (ROOT / "static" / "js" / name).read_text(encoding="utf-8")
        opening_comment = source[2:source.index("*/")]
        assert statement in source and statement in served, name
        assert opening_comment.splitlines()[0].strip() not in served, name
        assert not (report_site / "static" / "js" / name).exists()
    assert not any(line.startswith(("/*", "//", " ")) for line in served.splitlines())


def test_a_script_with_a_template_literal_is_served_as_it_is():
    from reportsite.write import without_script_comments

    script = b"/* note */\nconst text = `\n/* kept: inside the literal */\n`;\n"
    assert without_script_comments(script) == script
    assert without_script_comments(b"/* a\n   b */\nrun(); /* why */\n  // aside\n/* c */ go();\n") == b"run(); /* why */\ngo();\n"
