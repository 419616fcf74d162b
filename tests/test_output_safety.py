"""The build writes only inside its output and cache folders, and replaces only what it built itself.

Each case runs build.py as an editor would, with a mistaken or hostile --out, --cache or content,
and asserts one line saying what is wrong, exit status 1, no traceback, and that nothing outside
the output folder changed: every folder around it is snapshotted before and after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportsite.build import Sources, output_folders
from reportsite.errors import BuildError
from reportsite.folders import CACHE_MANIFEST, CACHE_MANIFEST_DRAFT, SITE_MARKER, FolderRefused, read_manifest
from reportsite.write import write_site
from tests.conftest import ROOT, run_build


def tree(folder: Path) -> dict[str, tuple]:
    """Everything under `folder`: each file's bytes and time, each link's target, each folder."""
    found: dict[str, tuple] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                found[relative] = ("folder",)
            else:
                found[relative] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
    return found


def assert_refused(*arguments: str, expected: str, around: Path, cwd: Path = ROOT, program: Path = ROOT / "build.py",
                   env: dict | None = None) -> str:
    """Run build.py; it must refuse with one line holding `expected`, and change nothing under `around`."""
    before = tree(around)
    # -B: Python's own compiled modules (a clone's __pycache__) are not the build's writing
    result = subprocess.run([sys.executable, "-B", str(program), *arguments], cwd=cwd, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0], lines[0]
    assert tree(around) == before, "a refused build changed something"
    return lines[0]


@pytest.fixture
def clone(tmp_path) -> Path:
    """A copy of the site generator, as an editor's clone: build.py, the package, content, templates and static."""
    copy = tmp_path / "clone"
    copy.mkdir()
    shutil.copy2(ROOT / "build.py", copy / "build.py")
    for name in ("reportsite", "templates", "static"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests" / "fixtures" / "small-report", copy / "content")
    (copy / "notes.txt").write_text("uncommitted work", encoding="utf-8")
    return copy


def run_clone(clone: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-B", str(clone / "build.py"), *arguments], cwd=clone, capture_output=True,
                          text=True, timeout=120)


# ---------------------------------------------------------------- the output folder


@pytest.mark.parametrize("out, expected", [
    (".", "this is the site generator's own folder"),
    ("content", "this is the content folder"),
    ("templates", "this is the templates folder"),
    ("static", "this is the static folder"),
    ("content/site", "this folder is inside the content folder"),
    ("..", "this folder holds the content folder"),
    ("reportsite", "this folder holds files that the build did not write"),
])
def test_an_output_folder_that_holds_the_sources_or_someone_s_files_is_refused(clone, out, expected):
    assert_refused("--formats", "html", "--out", out, expected=expected, around=clone.parent, cwd=clone,
                   program=clone / "build.py")


def test_an_output_folder_of_someone_s_files_is_refused(small_report, tmp_path):
    documents = tmp_path / "documents"
    (documents / "letters").mkdir(parents=True)
    (documents / "letters" / "draft.txt").write_text("a letter", encoding="utf-8")
    line = assert_refused("--content", str(small_report), "--out", str(documents), "--formats", "html",
                          expected="this folder holds files that the build did not write (letters)", around=tmp_path)
    assert line.startswith("build.py: --out ") and "choose an empty or new folder" in line


def test_an_output_that_is_a_file_is_refused(small_report, tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF someone's file")
    assert_refused("--content", str(small_report), "--out", str(tmp_path / "report.pdf"), "--formats", "html",
                   expected="this is a file, not a folder", around=tmp_path)


def test_an_output_that_is_a_symbolic_link_is_refused(small_report, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "site").symlink_to(target)
    assert_refused("--content", str(small_report), "--out", str(tmp_path / "site"), "--formats", "html",
                   expected="this is a symbolic link", around=tmp_path)


def test_a_home_folder_is_refused_even_when_empty(small_report, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert_refused("--content", str(small_report), "--out", str(home), "--formats", "html",
                   expected="this is a home folder", around=tmp_path, env={**os.environ, "HOME": str(home)})


@pytest.mark.parametrize("out", ["/", "/tmp/.."])
def test_the_root_of_the_file_system_is_refused(out):
    with pytest.raises(FolderRefused, match="this folder holds the content folder"):
        output_folders(Sources(), Path(out))


def test_a_site_with_a_file_someone_added_is_not_replaced(small_report, tmp_path):
    out = tmp_path / "site"
    assert run_build("--content", str(small_report), "--out", str(out), "--formats", "html").returncode == 0
    (out / "notes.txt").write_text("kept here by hand", encoding="utf-8")
    (out / "static" / "logo-draft").mkdir()
    assert_refused("--content", str(small_report), "--out", str(out), "--formats", "html",
                   expected="this site holds files that the build did not write (notes.txt, static/logo-draft/)",
                   around=tmp_path)


def test_a_site_it_built_an_empty_folder_and_a_desktop_s_files_are_replaced(small_report, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / ".DS_Store").write_bytes(b"\0")
    for _ in range(2):
        result = run_build("--content", str(small_report), "--out", str(out), "--formats", "html")
        assert result.returncode == 0, result.stderr
        (out / ".DS_Store").write_bytes(b"\0")
    built = (out / SITE_MARKER).read_text(encoding="utf-8").splitlines()
    assert "index.html" in built and "static/css/site.css" in built


def test_a_page_no_longer_built_is_removed_with_the_old_site(small_report, tmp_path):
    out = tmp_path / "site"
    extra = small_report / "parts" / "04-extra.md"
    extra.write_text("---\ntitle: Extra\norder: 4\n---\nA part that goes.\n", encoding="utf-8")
    assert run_build("--content", str(small_report), "--out", str(out), "--formats", "html").returncode == 0
    assert (out / "extra.html").is_file()
    extra.unlink()
    result = run_build("--content", str(small_report), "--out", str(out), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert not (out / "extra.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-") and p.name != ".site-cache"] == [], "nothing is left beside it"


# ---------------------------------------------------------------- the cache folder


@pytest.mark.parametrize("cache, expected", [
    ("public/site", "this folder is the output folder"),
    ("public/site/cache", "this folder is inside the output folder"),
    ("public", "this folder holds the output folder"),
])
def test_a_cache_that_is_holds_or_lies_inside_the_output_folder_is_refused(small_report, tmp_path, cache, expected):
    assert run_build("--content", str(small_report), "--out", str(tmp_path / "public" / "site"), "--formats", "html").returncode == 0
    assert_refused("--content", str(small_report), "--out", "public/site", "--cache", cache, "--formats", "html,text",
                   expected=expected, around=tmp_path, cwd=tmp_path)


def test_a_cache_in_the_content_folder_or_a_file_is_refused(small_report, tmp_path):
    assert_refused("--content", str(small_report), "--out", str(tmp_path / "site"), "--cache", str(small_report),
                   expected="this is the content folder", around=tmp_path)
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    assert_refused("--content", str(small_report), "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "cache"),
                   expected="cache: this is a file, not a folder.", around=tmp_path)


def test_a_cache_folder_of_someone_s_files_is_refused(small_report, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("text-notes.txt", "pdf-plan.pdf", "epub-book.epub", "braille-draft.brf"):
        (folder / name).write_text("someone's file", encoding="utf-8")
    assert_refused("--content", str(small_report), "--out", str(tmp_path / "site"), "--cache", str(folder),
                   "--formats", "html,text", expected="this folder holds files that the build did not keep there",
                   around=tmp_path)


def test_the_cache_deletes_only_what_it_wrote(small_report, tmp_path):
    cache = tmp_path / "cache"
    arguments = ("--content", str(small_report), "--out", str(tmp_path / "site"), "--cache", str(cache), "--formats", "html,text")
    assert run_build(*arguments).returncode == 0
    kept = [name for name in os.listdir(cache) if name.startswith("text-")]
    assert len(kept) == 1 and kept[0] in (cache / CACHE_MANIFEST).read_text(encoding="utf-8")
    (cache / "text-mine.txt").write_text("someone's file, named as the cache names its own", encoding="utf-8")
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text(encoding="utf-8").replace("Plans are clear.", "Plans are clearer."), encoding="utf-8")
    assert run_build(*arguments).returncode == 0
    assert (cache / "text-mine.txt").read_text(encoding="utf-8").startswith("someone's file")
    now = sorted(name for name in os.listdir(cache) if name.startswith("text-") and name != "text-mine.txt")
    assert len(now) == 1 and now != kept, "the older download was replaced"


def test_a_cache_whose_first_manifest_a_killed_build_left_half_written_is_used(small_report, tmp_path):
    """A build killed while it wrote a new cache folder's first manifest leaves only the manifest's draft: the cache's
    own file, so the next build uses the folder rather than refusing it."""
    cache = tmp_path / ".site-cache"
    cache.mkdir()
    (cache / CACHE_MANIFEST_DRAFT).write_text("# The report site generator's cache", encoding="utf-8")
    result = run_build("--content", str(small_report), "--out", str(tmp_path / "site"), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert any(name.startswith("site-") for name in read_manifest(cache / CACHE_MANIFEST))


# ---------------------------------------------------------------- paths from the content


@pytest.mark.parametrize("old, new, line", [
    ("heading: Inspection findings\n", "heading: Inspection findings\npage: ../../escaped\n", 6),
    ("heading: Inspection findings\n", "heading: Inspection findings\npage: /tmp/escaped\n", 6),
    ("slug: findings\n", "slug: ../escaped\n", 4),
])
def test_a_part_s_page_or_slug_cannot_name_a_place_outside_the_site(small_report, tmp_path, old, new, line):
    out = tmp_path / "site"
    assert run_build("--content", str(small_report), "--out", str(out), "--formats", "html").returncode == 0
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = tree(tmp_path)
    result = run_build("--content", str(small_report), "--out", str(out), "--formats", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    name, value = new.splitlines()[-1].split(": ")
    assert f"03-findings.md:{line}: the {name} '{value}' cannot be used in a web address." in result.stderr.splitlines()[0]
    assert tree(tmp_path) == before
    assert not Path("/tmp/escaped.html").exists()


@pytest.mark.parametrize("path", ["../victim.html", "/tmp/victim.html", "a/../../victim.html", "", SITE_MARKER])
def test_no_file_is_written_outside_the_site_whatever_its_path(tmp_path, path):
    out = tmp_path / "site"
    (tmp_path / "victim.html").write_text("someone's page", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(BuildError, match="not a place inside the output folder"):
        write_site({"index.html": b"home", path: b"written outside"}, out)
    assert tree(tmp_path) == before


def test_a_path_no_longer_built_is_never_deleted_outside_the_site(tmp_path):
    """serve's session passes what it wrote last; whatever that names, only the site folder is replaced."""
    out = tmp_path / "site"
    (tmp_path / "victim.html").write_text("someone's page", encoding="utf-8")
    write_site({"index.html": b"home"}, out)
    write_site({"index.html": b"home again"}, out, previous={"index.html": b"home", "../victim.html": b"x", "/etc/passwd": b"x"})
    assert (tmp_path / "victim.html").read_text(encoding="utf-8") == "someone's page"
    assert (out / "index.html").read_bytes() == b"home again"


# ---------------------------------------------------------------- the static folder


@pytest.mark.parametrize("damage, expected", [
    ("missing", "static: the static folder (the site's stylesheets and scripts) does not exist."),
    ("empty", "static/css/base.css:1: this stylesheet is missing, so the site would have no styles."),
])
def test_a_missing_or_empty_static_folder_leaves_the_good_site(clone, damage, expected):
    assert run_clone(clone, "--formats", "html").returncode == 0
    site = tree(clone / "site")
    shutil.rmtree(clone / "static")
    if damage == "empty":
        (clone / "static").mkdir()
    before = tree(clone.parent)
    result = run_clone(clone, "--formats", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == expected + " Restore it from the site generator's repository (git checkout static)."
    assert tree(clone.parent) == before and tree(clone / "site") == site


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("arguments, expected", [
    (("serve", "--port", "99999"), "build.py: argument --port: --port 99999 is not a port number"),
    (("serve", "--port", "-1"), "build.py: argument --port: --port -1 is not a port number"),
    (("--outt=x",), "build.py: unrecognized arguments: --outt=x. See 'python build.py --help'."),
    (("publish",), "build.py: argument command: invalid choice: 'publish'"),
    (("--formats", "html,docx"), "build.py: unknown format docx; choose from"),
    (("--formats", ","), "build.py: --formats names no format"),
])
def test_a_command_line_mistake_is_one_line_and_changes_nothing(tmp_path, arguments, expected):
    assert_refused(*arguments, expected=expected, around=tmp_path, cwd=tmp_path)


def test_a_cache_manifest_naming_places_outside_the_cache_deletes_nothing_there(tmp_path):
    from reportsite.folders import manifest_text
    from reportsite.formats import BY_NAME, FormatCache
    cache = tmp_path / "cache"
    (cache / "text-x").mkdir(parents=True)
    (tmp_path / "victim.txt").write_text("someone's file", encoding="utf-8")
    (cache / CACHE_MANIFEST).write_bytes(manifest_text(CACHE_MANIFEST, ["text-x/../../victim.txt", "text-old"]))
    (cache / "text-old").write_bytes(b"an older download")
    FormatCache(cache).put(BY_NAME["text"], "0123", b"the download")
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "someone's file"
    assert not (cache / "text-old").exists() and (cache / "text-0123").read_bytes() == b"the download"
