"""Proves the browser-test infrastructure itself (server, Chromium, axe, vnu)
on tiny pages written here -- independent of the real site and build.py."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.browser import helpers

VALID_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Infrastructure smoke test</title>
</head>
<body>
<main>
<h1>Hello</h1>
<p>A tiny, valid, accessible page.</p>
</main>
</body>
</html>
"""

NO_LANG_PAGE = VALID_PAGE.replace('<html lang="en">', "<html>")

DUPLICATE_ID_PAGE = VALID_PAGE.replace(
    "<p>A tiny, valid, accessible page.</p>",
    '<p id="dup">One.</p>\n<p id="dup">Two.</p>',
)

NOT_FOUND_PAGE = VALID_PAGE.replace("<h1>Hello</h1>", "<h1>Not found</h1>")


@pytest.fixture
def tiny_site(tmp_path):
    (tmp_path / "index.html").write_text(VALID_PAGE, encoding="utf-8")
    (tmp_path / "nolang.html").write_text(NO_LANG_PAGE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "dup.html").write_text(DUPLICATE_ID_PAGE, encoding="utf-8")
    (tmp_path / "404.html").write_text(NOT_FOUND_PAGE, encoding="utf-8")
    return tmp_path


def test_html_pages_lists_relative_sorted(tiny_site):
    assert helpers.html_pages(tiny_site) == ["404.html", "index.html", "nolang.html", "sub/dup.html"]


def test_server_serves_files_and_404_page(tiny_site):
    with helpers.serve_directory(tiny_site) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        with urllib.request.urlopen(base) as resp:
            assert resp.status == 200
            assert b"<h1>Hello</h1>" in resp.read()
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(base + "missing/page/")
        assert info.value.code == 404
        assert b"<h1>Not found</h1>" in info.value.read()
        with pytest.raises(urllib.error.HTTPError) as info:  # no directory listings
            urllib.request.urlopen(base + "sub/")
        assert info.value.code == 404


@pytest.mark.browser
def test_axe_passes_valid_page(tiny_site, page, axe_source):
    with helpers.serve_directory(tiny_site) as base:
        page.goto(base + "index.html")
        assert page.title() == "Infrastructure smoke test"
        violations = helpers.run_axe(page, source=axe_source)
    assert violations == [], helpers.format_violations(violations)


@pytest.mark.browser
def test_axe_flags_missing_lang(tiny_site, page, axe_source):
    with helpers.serve_directory(tiny_site) as base:
        page.goto(base + "nolang.html")
        violations = helpers.run_axe(
            page, tags=["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"], source=axe_source
        )
    assert "html-has-lang" in {v["id"] for v in violations}
    report = helpers.format_violations(violations)
    assert "html-has-lang" in report and "<html>" in report


def test_vnu_valid_page_has_no_errors_and_duplicate_id_does(tiny_site):
    valid, dup = tiny_site / "index.html", tiny_site / "sub" / "dup.html"
    results = helpers.vnu_validate([valid, dup])
    assert set(results) == {str(valid), str(dup)}
    assert results[str(valid)] == [], helpers.format_vnu_messages(results[str(valid)])
    assert any("Duplicate ID" in m["message"] for m in results[str(dup)]), results
