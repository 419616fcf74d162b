"""The site kept between builds (sitecache.py): written again only while nothing it was built from has changed,
and never different from what a build without it writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build
from reportsite.sitecache import site_key
from tests.conftest import ROOT, SMALL_REPORT
from tests.test_incremental import files_in

PAGES = ("html",)


@pytest.fixture
def sources(tmp_path) -> Sources:
    """The small report with copies of the templates and stylesheets, free to be edited by the test."""
    shutil.copytree(SMALL_REPORT, tmp_path / "content")
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return Sources(content=tmp_path / "content", templates=tmp_path / "templates", static=tmp_path / "static")


def cached_build(sources: Sources, out: Path, cache: Path):
    return build(sources, out, formats=PAGES, cache_dir=cache, reuse_unchanged=True)


def cold_build(sources: Sources, out: Path) -> dict[str, bytes]:
    build(sources, out, formats=PAGES, cache_dir=out.parent / f"{out.name}-no-cache")
    return files_in(out)


def test_a_second_build_of_unchanged_sources_writes_the_kept_site_byte_for_byte(sources, tmp_path):
    first = cached_build(sources, tmp_path / "first", tmp_path / "cache")
    second = cached_build(sources, tmp_path / "second", tmp_path / "cache")
    assert first.site is not None and second.site is None  # the second parsed and rendered nothing
    assert files_in(tmp_path / "second") == files_in(tmp_path / "first") == cold_build(sources, tmp_path / "cold")


def test_the_kept_site_is_written_whole_when_the_output_folder_was_deleted(sources, tmp_path):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    built = files_in(tmp_path / "site")
    shutil.rmtree(tmp_path / "site")
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is None
    assert files_in(tmp_path / "site") == built


def test_an_edit_to_a_cited_paragraph_is_built_again_and_reaches_every_page_that_shows_it(sources, tmp_path):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    before = files_in(tmp_path / "site")
    findings = sources.content / "parts" / "03-findings.md"  # paragraph 3, cited by recommendation 1
    findings.write_text(findings.read_text(encoding="utf-8").replace("3. Early help is timely.", "3. Early help is always timely."),
                        encoding="utf-8")
    again = cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert again.site is not None
    after = files_in(tmp_path / "site")
    assert after == cold_build(sources, tmp_path / "cold")
    changed = {path for path in after if after[path] != before.get(path)}
    assert {"findings.html", "large-print.html"} <= changed
    assert b"Early help is always timely." in after["findings.html"]
    # and a build of the edit is kept in turn: the next one, unchanged, writes it again
    assert cached_build(sources, tmp_path / "later", tmp_path / "cache").site is None
    assert files_in(tmp_path / "later") == after


@pytest.mark.parametrize("edit", ["template", "stylesheet", "abbreviations"])
def test_a_change_to_templates_static_files_or_yaml_builds_everything_again(sources, tmp_path, edit):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    if edit == "template":
        base = sources.templates / "base.html"
        base.write_text(base.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    elif edit == "stylesheet":
        stylesheet = next((sources.static / "css").glob("*.css"))
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n.rs-edited { color: inherit; }\n", encoding="utf-8")
    else:
        abbreviations = sources.content / "abbreviations.yaml"
        abbreviations.write_text(abbreviations.read_text(encoding="utf-8") + "- abbreviation: XYZ\n  expansion: an edit\n",
                                 encoding="utf-8")
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is not None
    assert files_in(tmp_path / "site") == cold_build(sources, tmp_path / "cold")


def test_the_key_changes_with_the_code_the_formats_and_the_date_of_the_files(sources, tmp_path, monkeypatch):
    code = tmp_path / "code"
    shutil.copytree(ROOT / "reportsite", code, ignore=shutil.ignore_patterns("__pycache__"))
    key = site_key(sources.content, sources.templates, sources.static, PAGES, code=code)
    assert key == site_key(sources.content, sources.templates, sources.static, PAGES, code=code)
    render = code / "render.py"
    render.write_text(render.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = site_key(sources.content, sources.templates, sources.static, PAGES, code=code)
    assert edited != key
    assert site_key(sources.content, sources.templates, sources.static, ("html", "search"), code=code) != edited
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert site_key(sources.content, sources.templates, sources.static, PAGES, code=code) != edited


def test_a_build_with_downloads_is_never_answered_by_the_kept_site(sources):
    assert site_key(sources.content, sources.templates, sources.static, ("html", "text")) is None


def test_a_build_the_kept_site_answers_does_not_load_the_parser_or_the_templates(sources, tmp_path):
    """Importing Jinja, markdown-it and PyYAML would be most of such a build's time."""
    import subprocess
    import sys

    arguments = ["--formats", "html", "--content", str(sources.content), "--templates", str(sources.templates),
                 "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "cache")]
    script = ("import sys; sys.argv[1:] = {!r}; import build; status = build.main(); "
              "print(status, sorted(name for name in ('jinja2', 'markdown_it', 'yaml') if name in sys.modules))")
    first = subprocess.run([sys.executable, "-c", script.format(arguments)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    second = subprocess.run([sys.executable, "-c", script.format(arguments)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert first.stdout.splitlines()[-1] == "0 ['jinja2', 'markdown_it', 'yaml']", first.stderr
    assert second.stdout.splitlines()[-1] == "0 []", second.stderr


def test_a_folder_that_leads_back_to_itself_is_never_kept(sources, tmp_path):
    (sources.content / "loop").symlink_to(sources.content)
    assert site_key(sources.content, sources.templates, sources.static, PAGES) is None
