"""A build in one process has its templates compiled by a second process while it reads the report
(reportsite/templates.py): the same pages, nothing kept outside the build's folders, no process left behind."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys

import jinja2

from reportsite import templates
from reportsite.compiler import PIPE_SIZE, TemplatesCompiler
from tests.conftest import ROOT, SMALL_REPORT, run_build

# Builds the web pages of CONTENT in this new interpreter and prints, as JSON, each page's bytes (as text), how
# many templates were taken as the second process sent them, and whether a child process was left.
SCRIPT = """
import json, os, sys
from pathlib import Path
import reportsite.templates as templates
from reportsite.build import Sources, build_files

taken = []
load = templates.CompiledElsewhere.load_bytecode
def counted(self, bucket):
    load(self, bucket)
    taken.append(bucket.code is not None)
templates.CompiledElsewhere.load_bytecode = counted
if sys.argv[2] == "here":
    templates.template_environment(str(Sources().templates.resolve())).get_template("base.html")  # loaded: nothing forked
result = build_files(Sources(content=Path(sys.argv[1])), formats=("html",))
try:
    os.waitpid(-1, os.WNOHANG)
    left = True
except ChildProcessError:
    left = False
print(json.dumps({"pages": {path: data.decode() for path, data in result.files.items() if path.endswith(".html")},
                  "taken": sum(taken), "asked": len(taken), "left": left}))
"""


def built(content, where: str) -> dict:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(content), where], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_templates_compiled_by_the_second_process_give_the_same_pages_and_no_process_is_left():
    ahead, here = built(SMALL_REPORT, "ahead"), built(SMALL_REPORT, "here")
    assert ahead["taken"] > 0  # some were compiled by the other process (the rest, here, meanwhile)
    assert here["asked"] == 0  # the templates compiled here: nothing was forked
    assert ahead["pages"] == here["pages"]
    assert len(ahead["pages"]) > 5
    assert not ahead["left"]


def test_a_cold_build_writes_no_compiled_template_outside_its_folders(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--formats", "html", "--content", str(SMALL_REPORT),
                             "--out", str(tmp_path / "out" / "site")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert list(temporary.iterdir()) == []
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [".site-cache", "site"]


def test_a_template_that_does_not_compile_is_named_though_compiled_ahead(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "pages" / "search.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    result = run_build("--formats", "html", "--content", str(SMALL_REPORT), "--templates", str(templates),
                       "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "search.html:" in result.stderr and "template error: Encountered unknown tag 'endblok'" in result.stderr


def test_the_second_process_passes_by_the_templates_the_first_compiled_itself():
    environment = templates.template_environment(str((ROOT / "templates").resolve()))
    keys = jinja2.BytecodeCache()
    names = environment.list_templates(filter_func=lambda name: not name.startswith(templates.DOWNLOADS_TEMPLATES))
    key_of = {name: keys.get_cache_key(name, environment.loader.get_source(environment, name)[1]) for name in names}
    compiled_reader, compiled_writer = os.pipe()
    fcntl.fcntl(compiled_writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)  # room for all: nothing reads until it is done
    taken_reader, taken_writer = os.pipe()
    os.write(taken_writer, f"{key_of['base.html']}\n{key_of['pages/part.html']}\n".encode("ascii"))
    templates.compile_and_send(ROOT / "templates", compiled_writer, taken_reader)  # here, not forked
    received = templates.CompiledElsewhere(TemplatesCompiler(0, compiled_reader, taken_writer))
    received._receive()
    for end in (compiled_reader, taken_reader, taken_writer):
        os.close(end)
    assert set(received.code) == set(key_of.values()) - {key_of["base.html"], key_of["pages/part.html"]}
    assert len(received.code) > 10


# Builds CONTENT into OUT with build.py in this new interpreter, and prints whether it forked, and whether markdown-it
# had been imported when it did.
FORKS = """
import os, sys
forks = []
fork = os.fork
def counted():
    forks.append("markdown_it" in sys.modules)
    return fork()
os.fork = counted
sys.argv[1:] = ["--formats", "html", "--content", sys.argv[1], "--out", sys.argv[2]]
import build
status = build.main()
print(status, forks)
"""


def forks_of_a_build(content, out) -> str:
    result = subprocess.run([sys.executable, "-c", FORKS, str(content), str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_the_second_process_is_started_before_the_parser_is_imported_and_not_for_the_kept_site(tmp_path):
    assert forks_of_a_build(SMALL_REPORT, tmp_path / "site") == "0 [False]"  # forked as soon as it can be
    assert forks_of_a_build(SMALL_REPORT, tmp_path / "site") == "0 []"  # the kept site written: nothing compiled
