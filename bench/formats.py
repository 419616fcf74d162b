#!/usr/bin/env python3
"""How long each download takes to make, and how big it is, for the report in content/.

    .venv/bin/python bench/formats.py            # 3 runs of each; --runs N for more

Prints, for each format, the median time of its two steps (the cheap `source`, and `make`,
which the cache skips when the source is unchanged) and the file's size; then whole
`build.py` processes: with an empty cache (everything made), and again with the cache
(nothing changed, so nothing made). Each figure is a median of --runs runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportsite.build import Sources  # noqa: E402
from reportsite.content import load_report  # noqa: E402
from reportsite.crossrefs import resolve  # noqa: E402
from reportsite.formats import FORMATS, FormatContext, file_size_text, implementation, source_date  # noqa: E402


def median_seconds(action, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def time_formats(runs: int) -> None:
    sources = Sources()
    site = resolve(load_report(sources.content))
    context = FormatContext(sources.templates, site.report.meta.web_address, source_date(site))
    print("Each step in a process that has run it before (templates compiled, parts rendered):")
    print(f"{'format':<18}{'source':>10}{'make':>10}{'size':>12}")
    for fmt in FORMATS:
        module = implementation(fmt)
        missing = module.missing_tool()
        if missing:
            print(f"{fmt.label:<18} skipped: {missing}")
            continue
        source_time, source = median_seconds(lambda: module.source(site, context), runs)
        make_time, data = median_seconds(lambda: module.make(source, context), runs)
        print(f"{fmt.label:<18}{source_time:>9.3f}s{make_time:>9.3f}s{file_size_text(len(data)):>12}  ({len(data):,} bytes)")


def time_builds(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out, cache = Path(folder) / "site", Path(folder) / "cache"

        def build(fresh: bool) -> None:
            if fresh:
                subprocess.run(["rm", "-rf", str(cache)], check=True)
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out), "--cache", str(cache)],
                           check=True, capture_output=True)

        cold, _ = median_seconds(lambda: build(True), runs)
        warm, _ = median_seconds(lambda: build(False), runs)
        print(f"build.py, every format, empty cache: {cold:.2f} s")
        print(f"build.py, every format, nothing changed (all from the cache): {warm:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    time_formats(arguments.runs)
    time_builds(arguments.runs)


if __name__ == "__main__":
    main()
