#!/usr/bin/env python3
"""Measure the build and the editing loop beside Hugo on the same text, and print each target.

  .venv/bin/python bench/run.py            # the full run, about 6 minutes on 2 cores
  .venv/bin/python bench/run.py --quick    # fewer runs and smaller reports, to try it out
  .venv/bin/python bench/run.py --no-hugo  # this project's figures only

Every figure is a median of several runs, each a real process as an editor would start it.
Where Hugo runs too, its run and ours alternate (ours, Hugo, ours, Hugo...), so that both
see the same machine; one run of each is made first and not counted (files read into memory,
templates compiled). Hugo is given its own copy of the same text (bench/hugo.py; what it
does and does not do is in bench/README.md); run as root, this installs Debian's `hugo` if
it is missing, and otherwise skips Hugo's figures with a one-line message.

- cold build: `build.py --formats html` (or `hugo`) into an empty folder, process start to exit;
  its peak memory (every process of the build, together) and its CPU time;
- of the report in content/, of a generated report of --paragraphs numbered paragraphs and of
  one of --huge-paragraphs (bench/make_large_report.py);
- edit-to-reload: `build.py serve` (or `hugo server`) with a LiveReload client (the `hello`
  handshake, as livereload.js does) timing each save of a part, from the file write to the
  `reload` message, with the edited page open; saves come at random moments (Hugo gathers
  file events for up to half a second before it rebuilds);
- a second build of unchanged content in a new process, against a build with nothing kept
  from earlier builds (an empty temporary folder, so no compiled templates, and no cache);
- the gzip size of each page of the report with the stylesheets and scripts it loads,
  against the 14 KB a browser receives in its first round trip.

Nothing here is a test: the figures depend on the machine. Nothing in content/ is modified.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hugo import make_hugo_site, part_slug  # noqa: E402
from bench.make_large_report import make_report  # noqa: E402

PROTOCOL = "http://livereload.com/protocols/official-7"
FIRST_ROUND_TRIP = 14 * 1024  # bytes: ten TCP segments, what a server may send before the first acknowledgement
TARGETS = {  # issue 14, and the earlier ones that still hold
    "report_ratio": 2.0,  # the report's cold build, at most this many times Hugo's
    "large_ratio": 1.0,  # 25,000 paragraphs no slower than Hugo
    "large_memory_mb": 400,
    "busy_cores": 0.75,  # of the machine's cores, busy on average during the 25,000-paragraph build
    "huge_growth": 4.0,  # 100,000 paragraphs in less than this many times the 25,000-paragraph time
    "huge_memory_mb": 1024,
    "cache_speedup": 3.0,  # a second build of unchanged content, at least this many times faster
    "report_reload_ms": 50,
    "large_reload_ms": 200,
}
SAMPLE_EVERY = 0.02  # seconds between two readings of a build's memory


@dataclass(frozen=True)
class Run:
    """One process, measured: wall time, CPU time (every process of it) and peak memory (every process together)."""

    seconds: float
    cpu_seconds: float
    memory_mb: float


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and every process below it, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, AttributeError, ValueError):
            continue  # ended while being read
    return total


def measure(command: list[str], env: dict | None = None) -> Run:
    """Run `command` to its end. Peak memory is the larger of the process's own peak and the highest
    sum over its process tree, read every SAMPLE_EVERY s (so worker processes count, shared pages twice)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_kb, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY):
            peak_kb[0] = max(peak_kb[0], tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    except BaseException:  # interrupted: leave nothing running
        process.kill()
        process.wait()
        raise
    finally:
        done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode(errors='replace')}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, max(peak_kb[0], usage.ru_maxrss) / 1024)  # KB on Linux


def our_build(content: Path, out: Path, env: dict | None = None) -> Run:
    # Python keeps each module compiled (__pycache__) after its first import, as it does for an editor after
    # the first build, unless PYTHONDONTWRITEBYTECODE says not to (set in some shells): then every build
    # compiled the whole package again, a tenth of the report's build.
    env = {name: value for name, value in (os.environ if env is None else env).items() if name != "PYTHONDONTWRITEBYTECODE"}
    return measure([sys.executable, str(ROOT / "build.py"), "--formats", "html", "--content", str(content), "--out", str(out)], env)


def hugo_build(hugo: str, site: Path, out: Path) -> Run:
    return measure([hugo, "--quiet", "--source", str(site), "--destination", str(out), "--cacheDir", str(site.parent / "hugo-cache")])


def side_by_side(ours: Callable[[Path], Run], hugo: Callable[[Path], Run] | None, runs: int,
                 scratch: Path) -> tuple[list[Run], list[Run]]:
    """`runs` runs of each, alternating, after one of each not counted; each into a new empty folder."""
    measured: tuple[list[Run], list[Run]] = ([], [])
    for run in range(-1, runs):
        for build, into in ((ours, measured[0]), (hugo, measured[1])):
            if build is None:
                continue
            out = scratch / "out"
            made = build(out)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(scratch / ".out-cache", ignore_errors=True)
            if run >= 0:
                into.append(made)
    return measured


def second_builds(content: Path, runs: int, scratch: Path) -> tuple[list[Run], list[Run]]:
    """(builds with nothing kept from earlier builds, second builds of the same content in a new process).
    Stops if a second build's files differ from the first's: the cache may never change the output."""
    without, again = [], []
    for run in range(runs):
        temporary = scratch / f"tmp-{run}"
        temporary.mkdir()
        env = {**os.environ, "TMPDIR": str(temporary)}  # where Jinja keeps compiled templates
        out = scratch / f"second-{run}"
        without.append(our_build(content, out, env))
        first = site_files(out)
        again.append(our_build(content, out, env))
        if site_files(out) != first:
            raise SystemExit(f"the second build of {content} wrote other files than the first: the cache changed the output")
        for folder in (temporary, out, scratch / f".second-{run}-cache"):
            shutil.rmtree(folder, ignore_errors=True)
    return without, again


def site_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def second_build_figures(name: str, content: Path, runs: int, scratch: Path, figures: dict) -> None:
    without, again = second_builds(content, runs, scratch)
    figures[name] = {"without": median(without), "again": median(again),
                     "without_cpu": median(without, "cpu_seconds"), "again_cpu": median(again, "cpu_seconds")}
    print(f"  nothing kept: {summary(without)}\n  again:        {summary(again)}\n"
          f"  ratio: {median(without) / median(again):.2f}× faster (target ≥ {TARGETS['cache_speedup']:.0f}×)", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A development server in its own process, on 127.0.0.1; its output is read as it comes."""

    def __init__(self, command: list[str], ready: str, rebuilt: str, timeout: float = 180):
        self.rebuilt = re.compile(rebuilt)  # a rebuild as the server reports it: its last group is the milliseconds
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line:
                seen.append(line)
                match = re.search(ready, line)
                if match:
                    self.port = int(match.group(1))
                    return
            elif self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{' '.join(command)} did not start:\n{''.join(seen[-20:])}")

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # the end

    def output(self) -> list[str]:
        found = []
        while not self.lines.empty():
            found.append(self.lines.get_nowait())
        return found

    def peak_memory_mb(self) -> float:
        found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{self.process.pid}/status").read_text())
        return int(found.group(1)) / 1024 if found else float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def our_server(content: Path, out: Path) -> Server:
    return Server([sys.executable, str(ROOT / "build.py"), "serve", "--formats", "html", "--content", str(content),
                   "--out", str(out), "--port", "0"], r"http://127\.0\.0\.1:(\d+)/",
                  r" in (\d+) ms(?: \(browsers reloaded after (\d+) ms\))?")


def hugo_server(hugo: str, site: Path) -> Server:
    return Server([hugo, "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(free_port()),
                   "--cacheDir", str(site.parent / "hugo-cache")], r"Web Server is available at http://localhost:(\d+)/",
                  r"^Total in (\d+) ms")


def edit_to_reload(server: Server, part: Path, first_paragraph: str, page: str, edits: int,
                   edition: str | None = None) -> dict:
    """Times from each write of `part` (words added after the match of `first_paragraph`) to the `reload`
    message, with `page` open as a browser would have it; and, if `edition` is given, to that page received."""
    from websockets.sync.client import connect

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    base = f"http://127.0.0.1:{server.port}/"
    with opener.open(base + page, timeout=60) as response:
        response.read()
    pauses = random.Random(14)
    latencies, edition_latencies = [], []
    original = part.read_text(encoding="utf-8")
    first = re.search(first_paragraph, original, flags=re.M)
    try:
        with connect(f"ws://127.0.0.1:{server.port}/livereload", proxy=None, max_size=None) as socket_:
            # compact, as livereload.js sends it (Hugo looks for the exact text "command":"hello")
            socket_.send(json.dumps({"command": "hello", "protocols": [PROTOCOL]}, separators=(",", ":")))
            hello = json.loads(socket_.recv(timeout=10))
            assert hello["command"] == "hello", hello
            server.output()
            for edit in range(edits):
                text = original.replace(first.group(0), f"{first.group(0)}Edited {edit + 1} times. ", 1)
                started = time.perf_counter()
                part.write_text(text, encoding="utf-8")
                message = json.loads(socket_.recv(timeout=60))
                latencies.append(time.perf_counter() - started)
                assert message["command"] == "reload", message
                if edition:  # as a browser showing the one-page edition would
                    with opener.open(base + edition, timeout=60) as response:
                        received = response.read()
                    edition_latencies.append(time.perf_counter() - started)
                    assert f"Edited {edit + 1} times.".encode() in received
                time.sleep(pauses.uniform(0.05, 0.55))  # an editor's pause, at any moment of Hugo's half-second
    finally:
        part.write_text(original, encoding="utf-8")
    rebuilds = [int(found.group(found.lastindex)) for found in map(server.rebuilt.search, server.output()) if found]
    milliseconds = sorted(latency * 1000 for latency in latencies)
    return {"median": statistics.median(milliseconds), "min": milliseconds[0], "max": milliseconds[-1],
            "p90": milliseconds[int(0.9 * (len(milliseconds) - 1))], "edits": len(milliseconds),
            "edition_median": statistics.median(edition_latencies) * 1000 if edition_latencies else None,
            "own_rebuild_median": statistics.median(rebuilds) if rebuilds else None,
            "serve_memory_mb": server.peak_memory_mb()}


EDITIONS = """
import json, sys
from reportsite.build import Sources, build_files
from reportsite.incremental import one_page_editions
print(json.dumps([page.url for page in one_page_editions(build_files(Sources(content=sys.argv[1]), ("html",)).site)]))
"""


def one_page_editions(content: Path) -> list[str]:
    """The pages that show every part of the report (the large-print edition, and any like it).

    Found in a process of its own: this one stays small, as every process it starts begins as
    a copy of it, and would be counted in that process's peak memory.
    """
    found = subprocess.run([sys.executable, "-c", EDITIONS, str(content)], cwd=ROOT, capture_output=True, text=True,
                           check=True)
    return json.loads(found.stdout)


def page_weights(content: Path, site: Path) -> list[tuple[str, int, bool]]:
    """(page, gzip bytes of the page with the stylesheets and scripts it loads, is a one-page edition)."""
    editions = set(one_page_editions(content))
    weights = []
    for page in sorted(site.glob("*.html")):
        html = page.read_bytes()
        loads = set(re.findall(rb'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"(?![^>]*media="print")', html))
        loads |= set(re.findall(rb'<script[^>]*src="([^"]+)"', html))
        total = len(gzip.compress(html, compresslevel=6))
        for url in loads:
            path = site / url.decode().split("?")[0].split("#")[0]
            if path.is_file():
                total += len(gzip.compress(path.read_bytes(), compresslevel=6))
        weights.append((page.name, total, page.name in editions))
    return weights


def middle_part(content: Path) -> Path:
    parts = [path for path in sorted((content / "parts").glob("*.md"))
             if re.search(r"^\d+\. ", path.read_text(encoding="utf-8"), flags=re.M)]
    return parts[len(parts) // 2]


def find_hugo(wanted: bool) -> str | None:
    """Hugo's command, installed from Debian when missing and run as root; None (said in one line) otherwise."""
    if not wanted:
        return None
    if shutil.which("hugo") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Hugo from Debian for the comparison (apt-get install hugo) ...", flush=True)
        install = ["apt-get", "install", "-y", "-q", "hugo"]
        if subprocess.run(install, capture_output=True).returncode:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True)
            subprocess.run(install, capture_output=True)
    hugo = shutil.which("hugo")
    if hugo is None:
        print("Hugo is not installed (as root: apt-get install hugo): its figures are skipped.")
    return hugo


def hugo_version(hugo: str) -> str:
    found = re.search(r"v(\d+\.\d+\.\d+)", subprocess.run([hugo, "version"], capture_output=True, text=True).stdout)
    return found.group(1) if found else "?"


def median(runs: list[Run], field: str = "seconds") -> float:
    return statistics.median(getattr(run, field) for run in runs) if runs else float("nan")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def summary(runs: list[Run]) -> str:
    if not runs:
        return "skipped"
    return (f"median {median(runs):.3f} s (runs: {', '.join(f'{run.seconds:.3f}' for run in runs)}), "
            f"peak {max(run.memory_mb for run in runs):.0f} MB, CPU {median(runs, 'cpu_seconds'):.2f} s")


def compare(name: str, content: Path, runs: int, scratch: Path, hugo: str | None, figures: dict) -> None:
    """Cold builds of `content` by this project and by Hugo, alternating; figures under `name`."""
    site = scratch / f"hugo-{name}"
    if hugo:
        make_hugo_site(content, site)
    ours, theirs = side_by_side(lambda out: our_build(content, out),
                                (lambda out: hugo_build(hugo, site, out)) if hugo else None, runs, scratch)
    figures[name] = {"ours": [run.__dict__ for run in ours], "hugo": [run.__dict__ for run in theirs]}
    print(f"  this project: {summary(ours)}")
    print(f"  Hugo:         {summary(theirs)}", flush=True)


def reloads(name: str, content: Path, part: Path, edits: int, scratch: Path, hugo: str | None, figures: dict) -> None:
    """Edit-to-reload on `content` (saving `part`), by this project's serve and by `hugo server`."""
    slug = part_slug(part)
    served = our_server(content, scratch / "served-site")
    try:
        editions = one_page_editions(content)
        ours = edit_to_reload(served, part, r"^(\d+)\. ", f"{slug}.html", edits, editions[0] if editions else None)
    finally:
        served.stop()
    figures[name] = {"ours": ours}
    print(f"  this project: median {ours['median']:.1f} ms (min {ours['min']:.1f}, p90 {ours['p90']:.1f}, "
          f"max {ours['max']:.1f}); its rebuild until the reload: {ours['own_rebuild_median']} ms; "
          f"to the one-page edition received: {ours['edition_median'] or float('nan'):.0f} ms; "
          f"serve's peak memory {ours['serve_memory_mb']:.0f} MB", flush=True)
    if hugo:
        site = scratch / f"hugo-{name}"
        hugo_parts = make_hugo_site(content, site)
        served = hugo_server(hugo, site)
        try:
            theirs = edit_to_reload(served, hugo_parts[slug], r"^\[(\d+)\.\]\(#paragraph-\d+\) ", f"report/{slug}.html", edits)
        finally:
            served.stop()
        figures[name]["hugo"] = theirs
        own = theirs["own_rebuild_median"]
        print(f"  Hugo:         median {theirs['median']:.1f} ms (min {theirs['min']:.1f}, p90 {theirs['p90']:.1f}, "
              f"max {theirs['max']:.1f}); its rebuild alone ('Total in'): {own if own is not None else '?'} ms; "
              f"peak memory {theirs['serve_memory_mb']:.0f} MB", flush=True)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def ratio(ours: float, theirs: float) -> str:
    if theirs != theirs or ours != ours:  # not measured
        return ""
    return f"{ours / theirs:.2f}× slower" if ours > theirs else f"{theirs / ours:.2f}× faster"


def table(figures: dict, arguments: argparse.Namespace, hugo: str | None) -> list[tuple[str, ...]]:
    """(work, this project, Hugo, ratio, target, met) for every figure and target."""
    def cold(name: str, field: str = "seconds") -> tuple[float, float]:
        found = figures.get(name)
        if not found or not found["ours"]:  # not run (--huge-runs 0)
            return float("nan"), float("nan")
        ours = statistics.median(run[field] for run in found["ours"])
        theirs = statistics.median(run[field] for run in found["hugo"]) if found["hugo"] else float("nan")
        return ours, theirs

    def peak(name: str) -> tuple[float, float]:
        found = figures.get(name)
        if not found or not found["ours"]:
            return float("nan"), float("nan")
        return (max(run["memory_mb"] for run in found["ours"]),
                max(run["memory_mb"] for run in found["hugo"]) if found["hugo"] else float("nan"))

    def shown(value: float, unit: str, digits: int = 2) -> str:
        if value != value:
            return "—"
        return f"{value:,.{digits}f}" + ("" if unit in ("", "×") else " ") + unit

    def judged(value: float, target: float, below: bool = True, strict: bool = True) -> str:
        if value != value:
            return "not measured"
        return verdict(value < target if strict else value <= target) if below else verdict(value >= target)

    def cpu_row(name: str) -> tuple[str, ...]:
        ours, theirs = cold(name, "cpu_seconds")
        return ("  its CPU time (user + system; less changed by a busy machine)", shown(ours, "s"), shown(theirs, "s"),
                ratio(ours, theirs), "", "")

    rows = []
    large, huge = f"{arguments.paragraphs:,} paragraphs", f"{arguments.huge_paragraphs:,} paragraphs"
    ours, theirs = cold("report")
    rows.append(("Cold build of the report (HTML), whole process", shown(ours, "s", 3), shown(theirs, "s", 3),
                 ratio(ours, theirs), "≤ 2× Hugo", judged(ours / theirs, TARGETS["report_ratio"], strict=False)))
    rows.append(cpu_row("report"))
    ours, theirs = peak("report")
    rows.append(("  its peak memory", shown(ours, "MB", 0), shown(theirs, "MB", 0), "", "", ""))
    ours_large, theirs = cold("large")
    rows.append((f"Cold build, {large}", shown(ours_large, "s"), shown(theirs, "s"), ratio(ours_large, theirs),
                 "≤ 1× Hugo", judged(ours_large / theirs, TARGETS["large_ratio"], strict=False)))
    theirs_large = theirs
    rows.append(cpu_row("large"))
    ours, theirs = peak("large")
    rows.append(("  its peak memory", shown(ours, "MB", 0), shown(theirs, "MB", 0), "",
                 f"< {TARGETS['large_memory_mb']} MB", judged(ours, TARGETS["large_memory_mb"])))
    cpu, cpu_theirs = cold("large", "cpu_seconds")
    cores = os.cpu_count() or 1
    rows.append(("  cores busy (CPU time / wall time)", shown(cpu / ours_large, "", 2), shown(cpu_theirs / theirs_large, "", 2),
                 "", f"≥ {TARGETS['busy_cores'] * cores:.1f} of {cores}", judged(cpu / ours_large, TARGETS["busy_cores"] * cores, below=False)))
    if arguments.huge_paragraphs:
        ours, theirs = cold("huge")
        rows.append((f"Cold build, {huge}", shown(ours, "s"), shown(theirs, "s"), ratio(ours, theirs), "", ""))
        rows.append(cpu_row("huge"))
        rows.append((f"  its time / the {large}' time", shown(ours / ours_large, "×"), shown(theirs / theirs_large, "×"), "",
                     f"< {TARGETS['huge_growth']:.0f}×", judged(ours / ours_large, TARGETS["huge_growth"])))
        ours, theirs = peak("huge")
        rows.append(("  its peak memory", shown(ours, "MB", 0), shown(theirs, "MB", 0), "",
                     f"< {TARGETS['huge_memory_mb']} MB", judged(ours, TARGETS["huge_memory_mb"])))
    for name, label, target in (("report_reload", "the report", "report_reload_ms"), ("large_reload", large, "large_reload_ms")):
        found = figures.get(name, {})
        ours = found["ours"]["median"] if "ours" in found else float("nan")
        theirs = found["hugo"]["median"] if "hugo" in found else float("nan")
        rows.append((f"Edit to reload, {label}", shown(ours, "ms", 1), shown(theirs, "ms", 1), ratio(ours, theirs),
                     f"< {TARGETS[target]} ms", judged(ours, TARGETS[target])))
        if "ours" in found:
            own = [found.get(side, {}).get("own_rebuild_median") for side in ("ours", "hugo")]
            rows.append(("  the rebuild until the reload, as the server reports it", *(shown(ms if ms is not None else float("nan"), "ms", 0) for ms in own),
                         "", "", ""))
    rows += second_build_rows(figures, large)
    over = figures.get("pages_over_14kb")
    if over is not None:
        rows.append(("Pages over 14 KB gzipped (one-page editions aside)", str(len(over)), "", "", "0", verdict(not over)))
    return rows


def second_build_rows(figures: dict, large: str) -> list[tuple[str, ...]]:
    """The rows of the cache between runs: a build with nothing kept, then the same again in a new process."""
    rows = []
    for name, label in (("report_second", "the report"), ("large_second", large)):
        found = figures.get(name)
        if found:
            without, again = found["without"], found["again"]
            rows.append((f"Build of {label} with nothing kept from earlier builds", f"{without:.3f} s (CPU {found['without_cpu']:.2f} s)",
                         "", "", "", ""))
            rows.append(("  again, unchanged, in a new process (with cache)", f"{again:.3f} s (CPU {found['again_cpu']:.2f} s)", "",
                         ratio(again, without), f"≥ {TARGETS['cache_speedup']:.0f}× faster",
                         verdict(without / again >= TARGETS["cache_speedup"])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="cold builds of the report, each (default: %(default)s)")
    parser.add_argument("--large-runs", type=int, default=3, help="cold builds of the large report, each (default: %(default)s)")
    parser.add_argument("--huge-runs", type=int, default=3, help="cold builds of the huge report, each (default: %(default)s)")
    parser.add_argument("--edits", type=int, default=25, help="saves timed per report and server (default: %(default)s)")
    parser.add_argument("--paragraphs", type=int, default=25_000, help="size of the large report (default: %(default)s)")
    parser.add_argument("--huge-paragraphs", type=int, default=100_000,
                        help="size of the huge report, 0 for none (default: %(default)s)")
    parser.add_argument("--no-hugo", action="store_true", help="this project's figures only")
    parser.add_argument("--quick", action="store_true", help="3 runs, 1 of each large build, 10 edits, 5,000 and 20,000 paragraphs")
    parser.add_argument("--second-builds", action="store_true",
                        help="only the cache between runs: --runs builds of the report and --large-runs of --paragraphs "
                             "paragraphs, each with nothing kept and then again in a new process")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--only", choices=("cold", "reload", "large-reload"),
                        help="only the cold builds beside Hugo's (the report, the large report and, unless "
                             "--huge-paragraphs 0, the huge one), or only the edit-to-reload figures (of the report and "
                             "the large report), or only the large one's")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.runs, arguments.large_runs, arguments.huge_runs, arguments.edits = 3, 1, 1, 10
        arguments.paragraphs, arguments.huge_paragraphs = 5_000, 20_000 if arguments.huge_paragraphs else 0

    hugo = find_hugo(not arguments.no_hugo)
    figures: dict = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "hugo": hugo and hugo_version(hugo),
                     "load_before": load(), "arguments": {k: str(v) for k, v in vars(arguments).items()}}
    print(f"Python {figures['python']}, {figures['cpus']} cores, Hugo {figures['hugo'] or 'skipped'}; "
          f"load average {figures['load_before']} (1, 5, 15 min)", flush=True)
    with tempfile.TemporaryDirectory(prefix="reportsite-bench-") as scratch_name:
        scratch = Path(scratch_name)
        report = scratch / "report"
        shutil.copytree(ROOT / "content", report)
        if arguments.second_builds:
            second_builds_only(report, scratch, arguments, figures)
        elif arguments.only == "cold":
            cold_figures(arguments, report, scratch, hugo, figures)
        elif arguments.only:
            reload_figures(arguments, report, scratch, hugo, figures)
        else:
            everything(report, scratch, arguments, hugo, figures)
    figures["load_after"] = load()

    print()
    print(f"Figures (medians) and targets; load average before {figures['load_before']}, after {figures['load_after']}")
    large = f"{arguments.paragraphs:,} paragraphs"
    rows = [("", "this project", f"Hugo {figures['hugo']}" if hugo else "Hugo", "ratio", "target", "")]
    rows += second_build_rows(figures, large) if arguments.second_builds else table(figures, arguments, hugo)
    if arguments.only == "cold":
        rows = rows[:1] + [row for row in rows if row[0].startswith(("Cold build", "  its", "  cores busy"))]
    elif arguments.only:
        rows = rows[:1] + [row for row in rows if "reload" in row[0].lower() or row[0].startswith("  the rebuild")]
    widths = [max(len(row[column]) for row in rows) for column in range(6)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) if column in (0, 4, 5) else cell.rjust(width)
                               for column, (cell, width) in enumerate(zip(row, widths))).rstrip())
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


def second_builds_only(report: Path, scratch: Path, arguments: argparse.Namespace, figures: dict) -> None:
    print(f"A second build of the unchanged report in a new process, against one with nothing kept ({arguments.runs} runs) ...",
          flush=True)
    second_build_figures("report_second", report, arguments.runs, scratch, figures)
    large = scratch / "large"
    make_report(arguments.paragraphs, large)
    print(f"A second build of a report of {arguments.paragraphs:,} paragraphs in a new process, against one with nothing kept "
          f"({arguments.large_runs} runs) ...", flush=True)
    second_build_figures("large_second", large, arguments.large_runs, scratch, figures)


def cold_figures(arguments: argparse.Namespace, report: Path, scratch: Path, hugo: str | None, figures: dict) -> None:
    """`--only cold`: the cold builds alone, each beside Hugo's, as the full run makes them."""
    print(f"Cold build of the report, whole process ({arguments.runs} runs each) ...", flush=True)
    compare("report", report, arguments.runs, scratch, hugo, figures)
    for name, paragraphs, runs in (("large", arguments.paragraphs, arguments.large_runs),
                                   ("huge", arguments.huge_paragraphs, arguments.huge_runs)):
        if paragraphs:
            made = scratch / name
            make_report(paragraphs, made)
            print(f"Cold build of a report of {paragraphs:,} paragraphs ({runs} runs each) ...", flush=True)
            compare(name, made, runs, scratch, hugo, figures)
            shutil.rmtree(made)
            shutil.rmtree(scratch / f"hugo-{name}", ignore_errors=True)


def reload_figures(arguments: argparse.Namespace, report: Path, scratch: Path, hugo: str | None, figures: dict) -> None:
    """`--only reload`: the edit-to-reload figures alone (`--only large-reload`: the large report's alone)."""
    if arguments.only == "reload":
        print(f"Edit to reload, the report ({arguments.edits} saves each) ...", flush=True)
        reloads("report_reload", report, report / "parts" / "05-help-and-protection.md", arguments.edits, scratch, hugo, figures)
    large = scratch / "large"
    make_report(arguments.paragraphs, large)
    print(f"Edit to reload, {arguments.paragraphs:,} paragraphs ({arguments.edits} saves each) ...", flush=True)
    reloads("large_reload", large, middle_part(large), arguments.edits, scratch, hugo, figures)


def everything(report: Path, scratch: Path, arguments: argparse.Namespace, hugo: str | None, figures: dict) -> None:
    """Every figure, beside Hugo's where Hugo runs."""
    print(f"Cold build of the report, whole process ({arguments.runs} runs each) ...", flush=True)
    compare("report", report, arguments.runs, scratch, hugo, figures)
    print(f"Edit to reload, the report ({arguments.edits} saves each) ...", flush=True)
    reloads("report_reload", report, report / "parts" / "05-help-and-protection.md", arguments.edits, scratch, hugo, figures)
    print("A second build of the unchanged report in a new process, against one with nothing kept "
          f"({arguments.runs} runs) ...", flush=True)
    second_build_figures("report_second", report, arguments.runs, scratch, figures)

    print("Page weights (gzip, each page with the stylesheets and scripts it loads) ...", flush=True)
    site = scratch / "weights-site"
    our_build(report, site)
    weights = page_weights(report, site)
    figures["page_weights"] = {name: size for name, size, _ in weights}
    figures["pages_over_14kb"] = [name for name, size, edition in weights if size > FIRST_ROUND_TRIP and not edition]
    for name, size, edition in weights:
        note = " (one-page edition)" if edition else (" OVER 14 KB" if size > FIRST_ROUND_TRIP else "")
        print(f"  {name:45} {size / 1024:6.1f} KB{note}")

    large = scratch / "large"
    make_report(arguments.paragraphs, large)
    megabytes_of_text = sum(path.stat().st_size for path in large.rglob("*") if path.is_file()) / 1e6
    print(f"Cold build of a report of {arguments.paragraphs:,} paragraphs ({megabytes_of_text:.1f} MB of Markdown; "
          f"{arguments.large_runs} runs each) ...", flush=True)
    compare("large", large, arguments.large_runs, scratch, hugo, figures)
    print(f"Edit to reload, {arguments.paragraphs:,} paragraphs ({arguments.edits} saves each) ...", flush=True)
    reloads("large_reload", large, middle_part(large), arguments.edits, scratch, hugo, figures)
    print(f"A second build of it in a new process, against one with nothing kept ({arguments.large_runs} runs) ...", flush=True)
    second_build_figures("large_second", large, arguments.large_runs, scratch, figures)
    shutil.rmtree(large)
    shutil.rmtree(scratch / "hugo-large", ignore_errors=True)
    shutil.rmtree(scratch / "hugo-large_reload", ignore_errors=True)

    if arguments.huge_paragraphs:
        huge = scratch / "huge"
        make_report(arguments.huge_paragraphs, huge)
        print(f"Cold build of a report of {arguments.huge_paragraphs:,} paragraphs ({arguments.huge_runs} runs each) ...", flush=True)
        compare("huge", huge, arguments.huge_runs, scratch, hugo, figures)


if __name__ == "__main__":
    sys.exit(main())
