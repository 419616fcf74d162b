#!/usr/bin/env python3
"""Where the build's time and memory go: imports, then each stage of the pipeline, then rebuilds in serve.

  .venv/bin/python bench/profile_build.py                          # the report in content/
  .venv/bin/python bench/profile_build.py --paragraphs 25000       # a generated report (bench/make_large_report.py)
  .venv/bin/python bench/profile_build.py --paragraphs 25000 --reload 10   # and 10 rebuilds after an edit, as serve does them
  .venv/bin/python bench/profile_build.py --cprofile /tmp/build.prof       # the whole build under cProfile, top functions
  .venv/bin/python bench/profile_build.py --timeline 11                    # only: when each process of a cold build starts and ends

Imports: `python -X importtime build.py --formats html`, --runs times; the median of each
module's own import time, summed by package (what each costs, with what it alone loads).
Stages: each run in a new process, the steps of `reportsite.build.build_files` for the web
pages one by one, each timed in CPU time of the process (so that other work on the machine
changes the figures little; the write's waits for the disk are left out), with the process's resident memory after it (and at its peak):
load (YAML and Markdown parsed to tokens), resolve, render (by page kind; within it, Markdown
to HTML of the parts, and the marking of abbreviations), encode, write. Timers wrap the
functions by name, so the figures follow the pipeline as it is named today; a stage whose
function is no longer found is said to be missing, never counted as zero.
Timeline (--timeline RUNS): `build.py --formats html` as the command line runs it, each run a new process into a new
folder, from the moment the process is started: when each process it forks starts and ends, with its CPU time, and when
the main process starts rendering; then the least wall time that work could take on this machine's cores, if all of
it after the first fork were shared out evenly (what parallelism alone could save).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")

STAGES = r'''
import gc, json, sys, time
from pathlib import Path
started, wall = time.process_time(), time.perf_counter()
import reportsite.build as build
from reportsite.content import load_report  # the pipeline's stages (reportsite.build imports them when it runs them)
from reportsite.crossrefs import one_page_editions, resolve
from reportsite.render import render_pages
imported = time.process_time() - started

def rss_mb(field="VmRSS"):
    import re
    return int(re.search(field + r":\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024

figures = {"import": imported, "memory_after": {"import": rss_mb()}}
spent = {}  # seconds inside the wrapped functions

def timed(module, name, label):
    function = getattr(module, name, None)
    if function is None:
        figures.setdefault("missing", []).append(f"{module.__name__}.{name}")
        return
    def wrapper(*args, **kwargs):
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - began
    setattr(module, name, wrapper)

import reportsite.render as render
timed(render, "render_part", "Markdown to HTML of the parts (render_part)")
timed(render, "explain_abbreviations", "abbreviations explained on each page (explain_abbreviations)")
timed(render, "mark_abbreviations_in_html", "abbreviations marked in template text (mark_abbreviations_in_html)")
timed(render, "mark_abbreviations_in_text", "abbreviations marked in template text (mark_abbreviations_in_text)")
timed(render, "page_context", "page context, parts included (page_context)")

content, out = Path(sys.argv[1]), Path(sys.argv[2])
sources = build.Sources(content=content)
gc.disable()
step = time.process_time()
report = load_report(sources.content)
figures["load"] = time.process_time() - step
figures["memory_after"]["load"] = rss_mb()
step = time.process_time()
site = resolve(report)
figures["resolve"] = time.process_time() - step
figures["memory_after"]["resolve"] = rss_mb()
editions = {page.slug for page in one_page_editions(site)}
kinds = {}
for page in site.pages:
    kinds.setdefault(page.kind, []).append(page)
order = sorted(kinds, key=lambda kind: not any(page.slug in editions for page in kinds[kind]))
files, figures["render"], figures["pages"] = {}, {}, {}
for kind in order:
    step = time.process_time()
    rendered = render_pages(site, sources.templates, only={page.slug for page in kinds[kind]})
    figures["render"][kind] = time.process_time() - step
    figures["pages"][kind] = [len(kinds[kind]), sum(len(html) for html in rendered.values())]
    step = time.process_time()
    files.update((url, html.encode("utf-8")) for url, html in rendered.items())
    figures["encode"] = figures.get("encode", 0.0) + time.process_time() - step
    del rendered
figures["memory_after"]["render"] = rss_mb()
figures["within_render"] = spent
files.update(build.collect_static(sources.static))
step = time.process_time()
build.write_site(files, out)
figures["write"] = time.process_time() - step
figures["memory_after"]["write"] = rss_mb()
figures["peak_mb"] = rss_mb("VmHWM")
figures["total"] = time.process_time() - started
figures["wall"] = time.perf_counter() - wall
print(json.dumps(figures))
'''

RELOAD = r'''
import gc, json, re, statistics, sys, time, cProfile, pstats, io
from pathlib import Path
import reportsite.build as build
from reportsite.incremental import BuildSession
content, out, part, edits = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
sources = build.Sources(content=content)
pages_early = []
session = BuildSession(early_pages=lambda files, pending: pages_early.append(time.perf_counter()))
build.build(sources, out, ("html",), session=session)
gc.collect(); gc.freeze()
original = part.read_text(encoding="utf-8")
first = re.search(r"^(\d+)\. ", original, flags=re.M)
times, early, rendered, loaded_alone = [], [], [], []
profile = cProfile.Profile()
try:
    for edit in range(2 * edits):  # timed, then again under cProfile (which slows it)
        part.write_text(original.replace(first.group(0), f"{first.group(0)}Edited {edit + 1} times. ", 1), encoding="utf-8")
        pages_early.clear()
        session.watched = {str(part)}  # as serve's watcher tells it
        profiled = edit >= edits
        started = time.perf_counter()
        if profiled:
            profile.enable()
        build.build(sources, out, ("html",), session=session)
        if profiled:
            profile.disable()
        else:
            times.append(time.perf_counter() - started)
            early.append((pages_early[0] - started) if pages_early else None)
            rendered.append(len(session.rendered))
            loaded_alone.append(session.edited is not None)
        gc.collect(); gc.freeze()
finally:
    part.write_text(original, encoding="utf-8")
stream = io.StringIO()
stats = pstats.Stats(profile, stream=stream)
stats.sort_stats("cumulative").print_stats(30)
print(json.dumps({"rebuild_ms": statistics.median(times) * 1000, "early_ms": statistics.median(e * 1000 for e in early if e is not None) if any(e is not None for e in early) else None,
                  "pages_rendered": rendered[-1], "loaded_alone": all(loaded_alone), "profile": stream.getvalue()}))
'''

# `build.py` run as the command line runs it (argv after the script's name), with its beginning, each fork, each
# process's end and the main process's first render written as a line of JSON to the file $TIMELINE_FILE, in ms from $TIMELINE_T0
# (time.monotonic() just before the process was started; the clock is the system's, the same in every process).
TIMELINE = r'''
import atexit, json, os, runpy, sys, time
origin, record = float(os.environ["TIMELINE_T0"]), os.environ["TIMELINE_FILE"]
ended = set()

def mark(what):
    if what == "end":
        if os.getpid() in ended:
            return
        ended.add(os.getpid())
    line = json.dumps({"what": what, "pid": os.getpid(), "ms": (time.monotonic() - origin) * 1000,
                       "cpu_ms": time.process_time() * 1000})
    descriptor = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(descriptor, line.encode() + b"\n")
    os.close(descriptor)

fork, leave = os.fork, os._exit

def timed_fork():
    mark("fork")
    pid = fork()
    if pid == 0:
        mark("start")
    else:
        build = sys.modules.get("reportsite.build")
        render = getattr(build, "render_html", None)
        if render is not None and not getattr(render, "timed", False):
            def first_render(*args, **kwargs):
                mark("render")
                build.render_html = render
                return render(*args, **kwargs)
            first_render.timed = True
            build.render_html = first_render
    return pid

def timed_exit(status):
    mark("end")
    leave(status)

os.fork, os._exit = timed_fork, timed_exit
mark("begin")
atexit.register(mark, "end")  # a process that ends through Python's teardown
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
'''


def timeline(content: Path, runs: int, scratch: Path) -> list[list[dict]]:
    """The marks of each run of a cold build of the web pages (TIMELINE), each into a new folder with a new cache."""
    found = []
    for run in range(runs):
        record = scratch / f"timeline-{run}.jsonl"
        out = scratch / f"timeline-site-{run}"
        environment = {**os.environ, "TIMELINE_FILE": str(record)}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)  # as an editor's build runs: the package's modules compiled once
        environment["TIMELINE_T0"] = repr(time.monotonic())
        result = subprocess.run([sys.executable, "-c", TIMELINE, str(ROOT / "build.py"), "--formats", "html", "--content",
                                 str(content), "--out", str(out)], capture_output=True, text=True, cwd=ROOT, env=environment)
        if result.returncode:
            raise SystemExit(f"the timeline could not be measured:\n{result.stderr}")
        found.append([json.loads(line) for line in record.read_text().splitlines()])
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out.parent / f".{out.name}-cache", ignore_errors=True)
    return found


def print_timeline(runs: list[list[dict]]) -> None:
    def med(values) -> float:
        return statistics.median(values)

    cores = len(os.sched_getaffinity(0))
    rows: dict[str, list[float]] = defaultdict(list)
    bounds, totals, walls = [], [], []
    for marks in runs:
        main_pid = next(mark["pid"] for mark in marks if mark["what"] == "begin")
        forks = [mark for mark in marks if mark["what"] == "fork"]
        ended = {mark["pid"]: mark for mark in marks if mark["what"] == "end"}
        others = [mark for mark in marks if mark["what"] == "start"]
        wall, cpu = ended[main_pid]["ms"], sum(mark["cpu_ms"] for mark in ended.values())
        if forks:
            rows["first fork (everything before it is done once, in one process)"].append(forks[0]["ms"])
        for number, started in enumerate(others, 1):
            if started["pid"] in ended:
                rows[f"process {number + 1} (forked) done"].append(ended[started["pid"]]["ms"])
                rows[f"  process {number + 1}'s CPU time"].append(ended[started["pid"]]["cpu_ms"])
        for mark in marks:
            if mark["what"] == "render" and mark["pid"] == main_pid:
                rows["main process starts rendering"].append(mark["ms"])
        rows["main process done: the build's wall time"].append(wall)
        rows["  the main process's CPU time"].append(ended[main_pid]["cpu_ms"])
        prefix = forks[0]["cpu_ms"] if forks else cpu
        before = forks[0]["ms"] if forks else wall
        bounds.append(before + (cpu - prefix) / cores)
        totals.append(cpu)
        walls.append(wall)
    print(f"Timeline of a cold build of the web pages (`build.py --formats html`, a new process and folder each run; "
          f"median of {len(runs)}), in ms from the moment the process was started:")
    for label, values in rows.items():
        print(f"  {label:66} {med(values):7.1f} ms" + (f" (in {len(values)} of {len(runs)} runs)" if len(values) != len(runs) else ""))
    print(f"  {'CPU time of every process together':66} {med(totals):7.1f} ms")
    print(f"  {'least wall time: the CPU after the first fork shared evenly over ' + str(cores) + ' cores':66} "
          f"{med(bounds):7.1f} ms (the build took {med(walls):.1f})")


def import_costs(content: Path, runs: int) -> tuple[float, dict[str, float], dict[str, float]]:
    """(median total import time, median own time by package, median own time by reportsite module), in ms."""
    totals, by_package, by_module = [], defaultdict(list), defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):  # each into a new folder, with a cache of its own: a build the kept site does not answer
            result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "build.py"), "--formats", "html",
                                     "--content", str(content), "--out", str(Path(scratch) / f"site-{run}")],
                                    capture_output=True, text=True, check=True, cwd=ROOT)
            package_time, module_time = defaultdict(int), {}
            total = 0
            for line in result.stderr.splitlines():
                found = IMPORT_LINE.match(line)
                if not found:
                    continue
                own, name = int(found.group(1)), found.group(4)
                total += own
                package = name.split(".")[0]
                package_time[package if package in THIRD_PARTY or package == "reportsite" else "(standard library)"] += own
                if package == "reportsite":
                    module_time[name] = own
                if package not in THIRD_PARTY and package != "reportsite":
                    package_time[f"  {name}"] += own
            totals.append(total / 1000)
            for name, own in package_time.items():
                by_package[name].append(own / 1000)
            for name, own in module_time.items():
                by_module[name].append(own / 1000)
    middle = lambda values: statistics.median(values + [0.0] * (runs - len(values)))  # noqa: E731
    return (statistics.median(totals), {name: middle(values) for name, values in by_package.items()},
            {name: middle(values) for name, values in by_module.items()})


THIRD_PARTY = {"jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "mdurl", "yaml", "_yaml", "livereload", "tornado",
               "watchfiles", "weasyprint", "pagefind", "linkify_it", "uc_micro", "PIL", "fontTools", "pydyf", "tinycss2",
               "cssselect2", "pyphen", "tinyhtml5"}


def stages(content: Path, runs: int) -> list[dict]:
    """One dict of stage figures per run, each run in a new process."""
    found = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):
            result = subprocess.run([sys.executable, "-c", STAGES, str(content), str(Path(scratch) / f"site-{run}")],
                                    capture_output=True, text=True, cwd=ROOT)
            if result.returncode:
                raise SystemExit(f"the stages could not be measured:\n{result.stderr}")
            found.append(json.loads(result.stdout))
    return found


def print_stages(runs: list[dict]) -> None:
    def med(get) -> float:
        return statistics.median(get(run) for run in runs)

    total = med(lambda run: run["total"])
    print(f"Stages, in a new process each, in CPU seconds of the process (median of {len(runs)}; whole: {total:.3f} s "
          f"of CPU, {med(lambda run: run['wall']):.3f} s of wall time; peak {med(lambda r: r['peak_mb']):.0f} MB)")
    rows = [("import reportsite (and all it imports)", "import"), ("load: YAML, front matter, Markdown to tokens", "load"),
            ("resolve: pages, paragraphs, citations", "resolve")]
    for label, key in rows:
        print(f"  {label:58} {med(lambda run: run[key]):8.3f} s   RSS after {med(lambda run: run['memory_after'][key]):6.0f} MB")
    first = runs[0]
    print("  render, by page kind (pages; MB of HTML):")
    for kind in first["render"]:
        pages, size = first["pages"][kind]
        print(f"    {kind:56} {med(lambda run: run['render'][kind]):8.3f} s   ({pages} pages; {size / 1e6:.1f} MB)")
    print(f"  {'  render, all kinds':58} {med(lambda run: sum(run['render'].values())):8.3f} s   "
          f"RSS after {med(lambda run: run['memory_after']['render']):6.0f} MB")
    print("  of which, inside render:")
    for label in first["within_render"]:
        print(f"    {label:72} {med(lambda run: run['within_render'].get(label, 0.0)):8.3f} s")
    print(f"  {'encode pages as UTF-8':58} {med(lambda run: run['encode']):8.3f} s")
    print(f"  {'write: every file, then swapped in':58} {med(lambda run: run['write']):8.3f} s   "
          f"RSS after {med(lambda run: run['memory_after']['write']):6.0f} MB")
    for name in first.get("missing", []):
        print(f"  not measured: {name} is no longer found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the content folder (default: content/)")
    parser.add_argument("--paragraphs", type=int, help="profile a generated report of this many paragraphs instead")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default: %(default)s)")
    parser.add_argument("--reload", type=int, default=0, metavar="EDITS", help="also time this many rebuilds after an edit")
    parser.add_argument("--cprofile", type=Path, help="also run the whole build under cProfile and write its stats here")
    parser.add_argument("--no-imports", action="store_true", help="skip the import times")
    parser.add_argument("--timeline", type=int, default=0, metavar="RUNS",
                        help="only time when each process of a cold build starts and ends, in this many runs")
    arguments = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="reportsite-profile-") as scratch_name:
        scratch = Path(scratch_name)
        content = arguments.content
        if arguments.paragraphs:
            from bench.make_large_report import make_report
            content = scratch / "report"
            make_report(arguments.paragraphs, content)
        else:
            content = scratch / "report"
            subprocess.run(["cp", "-r", str(arguments.content), str(content)], check=True)
        if arguments.timeline:
            print_timeline(timeline(content, arguments.timeline, scratch))
            return 0
        if not arguments.no_imports:
            total, by_package, by_module = import_costs(content, arguments.runs)
            print(f"Imports of `build.py --formats html` (python -X importtime, median of {arguments.runs}): {total:.0f} ms")
            for name, ms in sorted(by_package.items(), key=lambda item: -item[1]):
                if ms >= 1 and not name.startswith(" "):
                    print(f"  {name:40} {ms:6.1f} ms")
            print("  of the standard library, modules over 2 ms:")
            for name, ms in sorted(((n, m) for n, m in by_package.items() if n.startswith(" ")), key=lambda item: -item[1]):
                if ms > 2:
                    print(f"  {name:40} {ms:6.1f} ms")
            print("  reportsite's own modules (their own code, not what they import):")
            for name, ms in sorted(by_module.items(), key=lambda item: -item[1]):
                if ms >= 0.5:
                    print(f"    {name:38} {ms:6.1f} ms")
        print_stages(stages(content, arguments.runs))
        if arguments.reload:
            parts = [path for path in sorted((content / "parts").glob("*.md"))
                     if re.search(r"^\d+\. ", path.read_text(encoding="utf-8"), flags=re.M)]
            part = parts[len(parts) // 2]
            result = subprocess.run([sys.executable, "-c", RELOAD, str(content), str(scratch / "served"), str(part),
                                     str(arguments.reload)], capture_output=True, text=True, cwd=ROOT)
            if result.returncode:
                raise SystemExit(f"the rebuilds could not be measured:\n{result.stderr}")
            found = json.loads(result.stdout)
            early = f"{found['early_ms']:.0f} ms" if found["early_ms"] is not None else "not used"
            alone = "that part alone loaded" if found["loaded_alone"] else "the whole report loaded"
            print(f"Rebuild after an edit of {part.name}, in process, told of it as serve's watcher tells it (median of "
                  f"{arguments.reload}): {found['rebuild_ms']:.0f} ms ({alone}); the browsers reloaded after {early}; "
                  f"{found['pages_rendered']} pages rendered. {arguments.reload} more under cProfile (slower), by cumulative time:")
            print(found["profile"])
        if arguments.cprofile:
            profile = cProfile.Profile()
            import build as command
            profile.enable()
            command.main(["--formats", "html", "--content", str(content), "--out", str(scratch / "profiled")])
            profile.disable()
            profile.dump_stats(arguments.cprofile)
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats("tottime").print_stats(30)
            print(f"The whole build under cProfile (in this process, imports already made), by own time; stats in {arguments.cprofile}:")
            print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
