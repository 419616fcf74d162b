#!/usr/bin/env python3
"""Measure the build and the editing loop, and print the figures with their targets.

  .venv/bin/python bench/run.py            # the full run, about a minute on 2 cores
  .venv/bin/python bench/run.py --quick    # fewer runs and a smaller large report, to try it out

Every figure is a median of several runs, each a real process, as an editor would start it:

- the cold build of the report: `python build.py --formats html`, from process start to exit;
- edit-to-reload: `python build.py serve --formats html` on a copy of the report (the pages;
  the downloads are made in the background and reload the page again later), and a LiveReload client
  (the `hello` handshake, as livereload.js does) timing each save, from the file write to
  the `reload` message, over --edits saves;
- the same two, and the build's peak memory, for a generated report of --paragraphs
  numbered paragraphs (bench/make_large_report.py), and cold builds at smaller sizes to show
  how the time grows;
- the gzip size of each page of the report with the stylesheets and scripts it loads,
  against the 14 KB a browser receives in its first round trip.

Nothing here is a test: the figures depend on the machine. Nothing in content/ is modified.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_large_report import make_report  # noqa: E402

PROTOCOL = "http://livereload.com/protocols/official-7"
FIRST_ROUND_TRIP = 14 * 1024  # bytes: ten TCP segments, what a server may send before the first acknowledgement
TARGETS = {
    "report_cold_s": 0.25,
    "report_reload_ms": 50,
    "large_cold_s": 2.5,
    "large_memory_mb": 400,
    "large_reload_ms": 200,
}


def run_build(content: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak memory in MB) of one whole `build.py --formats html` process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--formats", "html",
                                "--content", str(content), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"the build of {content} failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def cold_builds(content: Path, runs: int, scratch: Path) -> tuple[float, float, list[float]]:
    """(median seconds, highest peak MB, every time) of `runs` cold builds."""
    times, memory = [], []
    for run in range(runs):
        out = scratch / f"site-{run}"
        seconds, megabytes = run_build(content, out)
        times.append(seconds)
        memory.append(megabytes)
        shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times), max(memory), times


class Served:
    """`python build.py serve` in its own process, on a free port of 127.0.0.1."""

    def __init__(self, content: Path, out: Path, timeout: float = 120):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--formats", "html", "--content", str(content), "--out", str(out), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            line = self.process.stdout.readline() if ready else ""
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                return
            if not ready or self.process.poll() is not None:
                self.stop()
                raise SystemExit(f"build.py serve did not start: {line}")

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status")
        if status.exists():
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            if found:
                return int(found.group(1)) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


def edit_to_reload(content: Path, part: Path, edits: int, scratch: Path) -> dict:
    """Median (and spread) of the time from a file write to the `reload` message, over `edits` saves;
    and of the time from the write until the one-page edition, asked for on the reload, is received."""
    from websockets.sync.client import connect

    served = Served(content, scratch / "served-site")
    editions = one_page_editions(content)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    latencies, edition_latencies = [], []
    try:
        with connect(f"ws://127.0.0.1:{served.port}/livereload", proxy=None, max_size=None) as socket:
            socket.send(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
            hello = json.loads(socket.recv(timeout=10))
            assert hello["command"] == "hello", hello
            original = part.read_text(encoding="utf-8")
            first = re.search(r"^(\d+)\. ", original, flags=re.M)
            for edit in range(edits):
                text = original.replace(first.group(0), f"{first.group(0)}Edited {edit + 1} times. ", 1)
                started = time.perf_counter()
                part.write_text(text, encoding="utf-8")
                message = json.loads(socket.recv(timeout=60))
                latencies.append(time.perf_counter() - started)
                assert message["command"] == "reload", message
                if editions:  # as a browser showing the one-page edition would
                    with opener.open(f"http://127.0.0.1:{served.port}/{editions[0]}", timeout=60) as response:
                        page = response.read()
                    edition_latencies.append(time.perf_counter() - started)
                    assert f"Edited {edit + 1} times.".encode() in page
                time.sleep(0.05)  # an editor's pause between saves
            part.write_text(original, encoding="utf-8")
        memory = served.peak_memory_mb()
    finally:
        served.stop()
    milliseconds = sorted(latency * 1000 for latency in latencies)
    return {"median": statistics.median(milliseconds), "min": milliseconds[0], "max": milliseconds[-1],
            "p90": milliseconds[int(0.9 * (len(milliseconds) - 1))], "edits": len(milliseconds), "serve_memory_mb": memory,
            "edition_median": statistics.median(edition_latencies) * 1000 if edition_latencies else float("nan")}


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


def verdict(value: float, target: float) -> str:
    return "met" if value < target else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="cold builds of the report (default: %(default)s)")
    parser.add_argument("--large-runs", type=int, default=3, help="cold builds of the large report (default: %(default)s)")
    parser.add_argument("--edits", type=int, default=25, help="saves timed per report (default: %(default)s; at least 20)")
    parser.add_argument("--paragraphs", type=int, default=25_000, help="size of the large report (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 20 edits, a 5,000-paragraph large report")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.runs, arguments.large_runs, arguments.edits, arguments.paragraphs = 3, 1, 20, 5_000

    figures: dict = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="reportsite-bench-") as scratch_name:
        scratch = Path(scratch_name)
        report = scratch / "report"
        shutil.copytree(ROOT / "content", report)

        print(f"Cold build of the report (build.py --formats html, whole process, {arguments.runs} runs) ...", flush=True)
        seconds, megabytes, times = cold_builds(report, arguments.runs, scratch)
        figures["report_cold_s"], figures["report_memory_mb"] = seconds, megabytes
        print(f"  median {seconds:.3f} s (runs: {', '.join(f'{t:.3f}' for t in times)}), peak {megabytes:.0f} MB")

        print(f"Edit-to-reload on the report ({arguments.edits} saves) ...", flush=True)
        reload = edit_to_reload(report, report / "parts" / "05-help-and-protection.md", arguments.edits, scratch)
        figures["report_reload_ms"] = reload["median"]
        figures["report_reload"] = reload
        print(f"  median {reload['median']:.1f} ms (min {reload['min']:.1f}, p90 {reload['p90']:.1f}, max {reload['max']:.1f}); "
              f"to the one-page edition received: {reload['edition_median']:.1f} ms")

        print("Page weights (gzip, each page with the stylesheets and scripts it loads) ...", flush=True)
        site = scratch / "weights-site"
        run_build(report, site)
        weights = page_weights(report, site)
        figures["page_weights"] = {name: size for name, size, _ in weights}
        over = [name for name, size, edition in weights if size > FIRST_ROUND_TRIP and not edition]
        for name, size, edition in weights:
            note = " (one-page edition)" if edition else (" OVER 14 KB" if size > FIRST_ROUND_TRIP else "")
            print(f"  {name:45} {size / 1024:6.1f} KB{note}")

        large = scratch / "large"
        print(f"Generating a report of {arguments.paragraphs:,} paragraphs ...", flush=True)
        make_report(arguments.paragraphs, large)
        megabytes_of_text = sum(path.stat().st_size for path in large.rglob("*") if path.is_file()) / 1e6
        print(f"Cold build of it ({arguments.large_runs} runs, {megabytes_of_text:.1f} MB of text) ...", flush=True)
        seconds, megabytes, times = cold_builds(large, arguments.large_runs, scratch)
        figures["large_paragraphs"] = arguments.paragraphs
        figures["large_cold_s"], figures["large_memory_mb"] = seconds, megabytes
        print(f"  median {seconds:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}), peak {megabytes:.0f} MB")

        print(f"Edit-to-reload on it ({arguments.edits} saves) ...", flush=True)
        reload = edit_to_reload(large, middle_part(large), arguments.edits, scratch)
        figures["large_reload_ms"] = reload["median"]
        figures["large_reload"] = reload
        print(f"  median {reload['median']:.1f} ms (min {reload['min']:.1f}, p90 {reload['p90']:.1f}, "
              f"max {reload['max']:.1f}); to the one-page edition received: {reload['edition_median']:.1f} ms; "
              f"serve's peak memory {reload['serve_memory_mb']:.0f} MB")
        shutil.rmtree(large)

        print("How the cold build grows with the report ...", flush=True)
        sizes = sorted({max(1_000, arguments.paragraphs // 10), arguments.paragraphs // 4,
                        arguments.paragraphs // 2, arguments.paragraphs})
        growth = []
        for paragraphs in sizes:
            content = scratch / f"growth-{paragraphs}"
            make_report(paragraphs, content)
            seconds, megabytes, _ = cold_builds(content, 2, scratch)
            growth.append((paragraphs, seconds, megabytes))
            shutil.rmtree(content)
            print(f"  {paragraphs:>7,} paragraphs: {seconds:6.2f} s, {seconds / paragraphs * 1e6:5.0f} µs a paragraph, "
                  f"peak {megabytes:4.0f} MB", flush=True)
        figures["growth"] = growth
        (small_n, small_s, _), (large_n, large_s, _) = growth[0], growth[-1]
        exponent = math.log(large_s / small_s) / math.log(large_n / small_n)
        figures["growth_exponent"] = exponent

    print()
    print("Figures and targets")
    rows = [
        ("Cold build of the report (HTML), whole process", f"{figures['report_cold_s']:.3f} s", "< 0.25 s",
         verdict(figures["report_cold_s"], TARGETS["report_cold_s"])),
        ("Edit-to-reload, report, median", f"{figures['report_reload_ms']:.1f} ms", "< 50 ms",
         verdict(figures["report_reload_ms"], TARGETS["report_reload_ms"])),
        (f"Cold build, {figures['large_paragraphs']:,} paragraphs", f"{figures['large_cold_s']:.2f} s", "< 2.5 s",
         verdict(figures["large_cold_s"], TARGETS["large_cold_s"])),
        (f"Peak memory, {figures['large_paragraphs']:,} paragraphs", f"{figures['large_memory_mb']:.0f} MB", "< 400 MB",
         verdict(figures["large_memory_mb"], TARGETS["large_memory_mb"])),
        (f"Edit-to-reload, {figures['large_paragraphs']:,} paragraphs, median", f"{figures['large_reload_ms']:.1f} ms",
         "< 200 ms", verdict(figures["large_reload_ms"], TARGETS["large_reload_ms"])),
        ("Growth of build time with paragraphs (time ~ n^k)", f"k = {exponent:.2f}", "k <= 1",
         "met" if exponent <= 1.05 else "NOT met"),
        ("Pages over 14 KB gzipped (one-page editions aside)", str(len(over)) + (f": {', '.join(over)}" if over else ""),
         "0", "met" if not over else "NOT met"),
    ]
    width = max(len(row[0]) for row in rows)
    for name, value, target, met in rows:
        print(f"  {name:{width}}  {value:>12}  {target:>9}  {met}")
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
