"""The site kept between builds (sitecache.py): written again only while nothing it was built from has changed,
and never different from what a build without it writes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

import reportsite.build
from reportsite.build import Sources, build
from reportsite.folders import CACHE_MANIFEST, SITE_MARKER, read_manifest
from reportsite.sitecache import ENTRY, site_key
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


def cached_build(sources: Sources, out: Path, cache: Path, formats: tuple[str, ...] = PAGES):
    return build(sources, out, formats=formats, cache_dir=cache, reuse_unchanged=True)


def cold_build(sources: Sources, out: Path, formats: tuple[str, ...] = PAGES) -> dict[str, bytes]:
    build(sources, out, formats=formats, cache_dir=out.parent / f"{out.name}-no-cache")
    return files_in(out)


def kept_entries(cache: Path) -> list[Path]:
    return sorted(cache.glob(f"{ENTRY}-*"))


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


def test_the_pages_the_site_still_holds_unchanged_are_linked_and_the_others_written_again(sources, tmp_path):
    site = tmp_path / "site"
    cached_build(sources, site, tmp_path / "cache")
    built = files_in(site)
    inodes = {path: (site / path).stat().st_ino for path in built}
    changed = built["index.html"].replace(b"<main", b"<MAIN", 1)  # the same size, other bytes
    (site / "index.html").write_bytes(changed)
    outside = tmp_path / "outside.html"
    outside.write_bytes(built["glossary.html"])
    (site / "glossary.html").unlink()
    (site / "glossary.html").symlink_to(outside)  # the same bytes, through a link
    (site / "static" / "css" / "site.css").unlink()
    assert cached_build(sources, site, tmp_path / "cache").site is None
    assert files_in(site) == built and not (site / "glossary.html").is_symlink()
    assert outside.read_bytes() == built["glossary.html"]
    again = {path: (site / path).stat().st_ino for path in built}
    assert {path for path in built if again[path] != inodes[path]} == {"index.html", "glossary.html", "static/css/site.css",
                                                                      SITE_MARKER}  # the marker is always written anew


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


# -- every input that changes what is written makes another key ----------------------------------------------

def another_templates_folder(sources: Sources, tmp_path: Path, monkeypatch) -> tuple[Sources, tuple[str, ...]]:
    """`--templates DIR`: another folder, whose base template differs."""
    other = tmp_path / "other-templates"
    shutil.copytree(sources.templates, other)
    base = other / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "<!-- other templates -->\n", encoding="utf-8")
    return dataclasses.replace(sources, templates=other), PAGES


def static_folder_laid_over(sources: Sources, tmp_path: Path, monkeypatch) -> tuple[Sources, tuple[str, ...]]:
    """`--static DIR` given where it was not: its stylesheet takes the place of static/'s."""
    overlay = tmp_path / "overlay"
    (overlay / "css").mkdir(parents=True)
    base = sources.static / "css" / "base.css"
    (overlay / "css" / "base.css").write_text(base.read_text(encoding="utf-8") + "\n.rs-overlay { color: inherit; }\n",
                                               encoding="utf-8")
    return dataclasses.replace(sources, static_overrides=overlay), PAGES


def search_index_asked_for(sources: Sources, tmp_path: Path, monkeypatch) -> tuple[Sources, tuple[str, ...]]:
    """`--formats html,search` after `--formats html`."""
    return sources, ("html", "search")


def source_date_epoch_set(sources: Sources, tmp_path: Path, monkeypatch) -> tuple[Sources, tuple[str, ...]]:
    """SOURCE_DATE_EPOCH, the one environment variable the build reads (the date inside the files)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return sources, PAGES


@pytest.mark.parametrize("change", [another_templates_folder, static_folder_laid_over, search_index_asked_for,
                                    source_date_epoch_set], ids=lambda change: change.__name__)
def test_a_change_of_option_or_environment_builds_again_what_a_cold_build_writes(sources, tmp_path, monkeypatch, change):
    if change is search_index_asked_for:
        pytest.importorskip("pagefind")
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    before = files_in(tmp_path / "site")
    changed, formats = change(sources, tmp_path, monkeypatch)
    assert cached_build(changed, tmp_path / "site", tmp_path / "cache", formats).site is not None
    after = files_in(tmp_path / "site")
    assert after == cold_build(changed, tmp_path / "cold", formats)
    if change is not source_date_epoch_set:  # the web pages carry no date of the build: the key alone changes
        assert after != before


def test_an_edit_in_the_static_folder_laid_over_builds_again(sources, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "js").mkdir(parents=True)
    (overlay / "js" / "extra.js").write_text("// first\nwindow.rsExtra = 1;\n", encoding="utf-8")
    laid_over = dataclasses.replace(sources, static_overrides=overlay)
    cached_build(laid_over, tmp_path / "site", tmp_path / "cache")
    (overlay / "js" / "extra.js").write_text("// second\nwindow.rsExtra = 2;\n", encoding="utf-8")
    assert cached_build(laid_over, tmp_path / "site", tmp_path / "cache").site is not None
    after = files_in(tmp_path / "site")
    assert b"rsExtra = 2" in after["static/js/extra.js"]
    assert after == cold_build(laid_over, tmp_path / "cold")


def test_a_new_logo_builds_again(tmp_path):
    """The logo is read from the content folder (the build refuses one outside it), so it is in the key."""
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "organisation-look", content)
    look = Sources(content=content)
    cached_build(look, tmp_path / "site", tmp_path / "cache")
    logo = content / "logo.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("</svg>", "<circle cx='1' cy='1' r='1'/></svg>"), encoding="utf-8")
    assert cached_build(look, tmp_path / "site", tmp_path / "cache").site is not None
    after = files_in(tmp_path / "site")
    assert after["static/organisation/logo.svg"] == logo.read_bytes()
    assert after == cold_build(look, tmp_path / "cold")


def test_the_key_changes_with_python_and_the_installed_packages(sources, tmp_path, monkeypatch):
    key = site_key(sources.content, sources.templates, sources.static, PAGES)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    python = site_key(sources.content, sources.templates, sources.static, PAGES)
    assert python != key
    packages = tmp_path / "lib" / "site-packages"
    (packages / "jinja2-3.1.4.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(packages))
    installed = site_key(sources.content, sources.templates, sources.static, PAGES)
    (packages / "jinja2-3.1.4.dist-info").rename(packages / "jinja2-3.1.5.dist-info")
    upgraded = site_key(sources.content, sources.templates, sources.static, PAGES)
    assert len({python, installed, upgraded}) == 3


def test_a_site_whose_sources_change_while_it_is_built_is_not_kept(sources, tmp_path, monkeypatch):
    """It may be of neither the sources before nor after: kept under the key of either, it would be wrong."""
    build_files = reportsite.build.build_files
    findings = sources.content / "parts" / "03-findings.md"

    def edited_while_building(*arguments, **options):
        result = build_files(*arguments, **options)
        findings.write_text(findings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return result

    monkeypatch.setattr(reportsite.build, "build_files", edited_while_building)
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert kept_entries(tmp_path / "cache") == []


def test_a_build_whose_sources_are_untouched_tells_it_by_their_times_and_reads_them_once(sources, tmp_path, monkeypatch):
    """Sources last changed well before the build (RACY_NS, here 0) are known unchanged at its end by their metadata: the
    key is taken from their bytes once, and the site is kept."""
    import reportsite.sitecache

    taken, key_of = [], reportsite.sitecache._key_of
    monkeypatch.setattr(reportsite.sitecache, "RACY_NS", 0)
    monkeypatch.setattr(reportsite.sitecache, "_key_of", lambda *arguments: taken.append(1) or key_of(*arguments))
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert len(taken) == 1 and len(kept_entries(tmp_path / "cache")) == 1
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is None
    assert files_in(tmp_path / "site") == cold_build(sources, tmp_path / "cold")


def _rewritten_with_its_times(path: Path) -> None:
    found = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"e", b"a", 1))
    os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns))


def _replaced_by_another(path: Path) -> None:
    other = path.with_name("other.tmp")
    other.write_bytes(path.read_bytes().replace(b"e", b"a", 1))
    shutil.copystat(path, other)
    other.replace(path)


@pytest.mark.parametrize("edit", [
    lambda content: (content / "parts" / "03-findings.md").open("a").write("\n"),
    lambda content: _rewritten_with_its_times(content / "parts" / "03-findings.md"),  # same size and times, but changed
    lambda content: _replaced_by_another(content / "parts" / "03-findings.md"),  # another file of the same size and times
    lambda content: (content / "parts" / "09-new.md").write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8"),
    lambda content: (content / "parts" / "03-findings.md").unlink(),
], ids=["appended", "rewritten, times set back", "replaced by another", "added", "removed"])
def test_any_change_to_the_sources_shows_in_their_metadata(sources, monkeypatch, edit):
    from reportsite.sitecache import site_key_of, unchanged_since

    monkeypatch.setattr("reportsite.sitecache.RACY_NS", 0)
    key = site_key_of(sources.content, sources.templates, sources.static, PAGES)
    assert unchanged_since(key)
    edit(sources.content)
    assert not unchanged_since(key)
    assert not key.holds()


def test_sources_changed_just_before_the_key_was_taken_are_read_again_to_tell(sources):
    """A file written within RACY_NS of the key could be written again unseen by its times (a file system that keeps
    them to the second): its metadata cannot tell, and the key is taken again from the bytes."""
    from reportsite.sitecache import site_key_of, unchanged_since

    (sources.content / "parts" / "03-findings.md").open("a").write("\n")
    key = site_key_of(sources.content, sources.templates, sources.static, PAGES)
    assert not unchanged_since(key)
    assert key.holds()


# -- what the cache reads and writes ---------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "altered", "emptied"])
def test_a_damaged_kept_site_is_built_again_in_full_and_kept_again(sources, tmp_path, damage):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    [entry] = kept_entries(tmp_path / "cache")
    data = entry.read_bytes()
    middle = len(data) // 2
    entry.write_bytes({"truncated": data[:middle], "altered": data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:],
                       "emptied": b""}[damage])
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is not None
    assert files_in(tmp_path / "site") == cold_build(sources, tmp_path / "cold")
    assert entry.read_bytes() == data
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is None


def test_a_page_changed_after_it_was_written_is_not_kept_as_the_build_wrote_it(sources, tmp_path, monkeypatch):
    """The kept site copies the pages from the folder they were written into, and checks them against the digests taken
    as they were written: a page that changed in between makes an entry that is not used."""
    put = reportsite.build.FormatCache.put

    def changed_before_kept(cache, fmt, key, pieces):
        pieces = list(pieces)
        page = next(piece for piece in pieces if isinstance(piece, Path) and piece.name == "findings.html")
        page.write_bytes(page.read_bytes().replace(b"Early help", b"Early hold"))
        put(cache, fmt, key, pieces)

    monkeypatch.setattr(reportsite.build.FormatCache, "put", changed_before_kept)
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert len(kept_entries(tmp_path / "cache")) == 1
    monkeypatch.undo()
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is not None
    assert files_in(tmp_path / "site") == cold_build(sources, tmp_path / "cold")


def test_the_cache_writes_only_its_listed_entry_in_the_cache_folder(sources, tmp_path):
    before = sorted(path for path in tmp_path.rglob("*"))
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    findings = sources.content / "parts" / "03-findings.md"
    findings.write_text(findings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    cache = tmp_path / "cache"
    written = {path.name for path in cache.iterdir()}
    assert written == {CACHE_MANIFEST, *read_manifest(cache / CACHE_MANIFEST)}
    assert [path.name for path in kept_entries(cache)] == sorted(read_manifest(cache / CACHE_MANIFEST)), \
        "one site is kept: the one before the edit was removed"
    new = {path.relative_to(tmp_path).parts[0] for path in tmp_path.rglob("*") if path not in before}
    assert new == {"site", "cache"}


def test_a_kept_site_is_published_in_one_step_and_a_failed_publish_leaves_the_site_as_it_was(sources, tmp_path, monkeypatch):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    (tmp_path / "site" / "findings.html").write_bytes(b"the site before")  # as if edited by hand: replaced by the kept one
    before = files_in(tmp_path / "site")

    def exchange_fails(staging, out_dir):
        assert files_in(staging) == files_in(tmp_path / "site") | {"findings.html": staging.joinpath("findings.html").read_bytes()}
        raise OSError("no space left on device")

    monkeypatch.setattr(reportsite.write, "exchange", exchange_fails)
    with pytest.raises(OSError):
        cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert files_in(tmp_path / "site") == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site")] == []
    monkeypatch.undo()
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is None
    assert files_in(tmp_path / "site") == cold_build(sources, tmp_path / "cold")


def test_a_site_larger_than_the_bound_is_not_kept(sources, tmp_path, monkeypatch):
    built = cached_build(sources, tmp_path / "site", tmp_path / "cache")
    size = sum(len(data) for data in built.files.values())
    for name in os.listdir(tmp_path / "cache"):
        (tmp_path / "cache" / name).unlink()
    monkeypatch.setattr(reportsite.build, "MAX_KEPT_BYTES", size - 1)
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    assert kept_entries(tmp_path / "cache") == []
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is not None


def test_a_kept_entry_larger_than_the_bound_is_not_read(sources, tmp_path, monkeypatch):
    cached_build(sources, tmp_path / "site", tmp_path / "cache")
    [entry] = kept_entries(tmp_path / "cache")
    monkeypatch.setattr(reportsite.build, "MAX_ENTRY_BYTES", entry.stat().st_size - 1)
    assert cached_build(sources, tmp_path / "site", tmp_path / "cache").site is not None


def test_a_named_pipe_in_the_sources_is_never_read_for_the_key(sources):
    os.mkfifo(sources.content / "notes")
    keys = []
    reading = threading.Thread(target=lambda: keys.append(site_key(sources.content, sources.templates, sources.static, PAGES)),
                               daemon=True)
    reading.start()
    reading.join(timeout=20)
    assert keys == [None], "the key waited on the pipe"


def test_a_folder_linked_from_elsewhere_is_never_read_for_the_key(sources, tmp_path):
    """It may lead anywhere (a whole disk): such a site is not kept, and the build says what it refuses."""
    (tmp_path / "elsewhere").mkdir()
    (sources.templates / "shared").symlink_to(tmp_path / "elsewhere")
    assert site_key(sources.content, sources.templates, sources.static, PAGES) is None
