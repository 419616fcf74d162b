"""A build of the web pages loads only what it uses: every module imported is time at every build's start."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT, SMALL_REPORT

# What a build of the web pages of a report without a logo or brand colours never uses.
NOT_USED = ("reportsite.formats.pdf", "reportsite.formats.epub", "reportsite.formats.braille", "reportsite.formats.text",
            "reportsite.formats.blocks", "reportsite.serve", "reportsite.incremental", "reportsite.background",
            "reportsite.search", "reportsite.importer", "reportsite.scaffold", "reportsite.colours", "livereload", "tornado",
            "xml.parsers.expat", "_strptime")
USED = ("reportsite.content", "reportsite.crossrefs", "reportsite.render", "jinja2", "markdown_it", "yaml")
SCRIPT = ("import sys; sys.argv[1:] = {!r}; import build; status = build.main(); "
          "print(status, sorted(name for name in {!r} if name in sys.modules))")


def modules_loaded(arguments: list[str], names: tuple[str, ...]) -> str:
    """The exit status of `build.py ARGUMENTS` in a new interpreter, and which of `names` it had imported by the end."""
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(arguments, names)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    return result.stdout.splitlines()[-1] if result.stdout else result.stderr


def test_a_build_of_the_web_pages_imports_no_download_format_nor_serve_nor_the_importer(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SMALL_REPORT, content)
    arguments = ["--formats", "html", "--content", str(content), "--out", str(tmp_path / "site")]
    assert modules_loaded(arguments, USED) == f"0 {sorted(USED)}"  # it did build
    shutil.rmtree(tmp_path / "site")
    shutil.rmtree(tmp_path / ".site-cache")
    assert modules_loaded(arguments, NOT_USED) == "0 []"


def test_a_build_of_a_download_imports_its_format(tmp_path):
    arguments = ["--formats", "html,text", "--content", str(SMALL_REPORT), "--out", str(tmp_path / "site")]
    assert modules_loaded(arguments, ("reportsite.formats.text", "reportsite.formats.epub")) == "0 ['reportsite.formats.text']"
