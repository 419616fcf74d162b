#!/usr/bin/env python3
"""Measure what marking and explaining the abbreviations costs a build.

  .venv/bin/python bench/abbreviations.py                  # the report, and a report of 5,000 paragraphs
  .venv/bin/python bench/abbreviations.py --paragraphs 0   # the report only

The pages are rendered once as a build renders them, recording every call of
mark_abbreviations_in_html (the template filter) and explain_abbreviations (once a page) with
its real input; each is then replayed --runs times, and the median of the runs is printed:
the time a build spends on each, all pages together, and on the one-page edition alone.
Nothing here is a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_large_report import make_report  # noqa: E402
from reportsite.build import Sources  # noqa: E402  (first: it imports the pipeline in order)
from reportsite import render  # noqa: E402
from reportsite.content import load_report  # noqa: E402
from reportsite.crossrefs import resolve  # noqa: E402


def recorded_calls(content: Path) -> dict[str, list[tuple[str, tuple, dict]]]:
    """Every call the rendering of every page makes to the two functions: (page, args, kwargs)."""
    calls: dict[str, list] = {"mark": [], "explain": []}
    page_url = [""]
    mark, explain = render.mark_abbreviations_in_html, render.explain_abbreviations

    def recording_mark(*args, **kwargs):
        calls["mark"].append((page_url[0], args, kwargs))
        return mark(*args, **kwargs)

    def recording_explain(*args, **kwargs):
        calls["explain"].append((page_url[0], args, kwargs))
        return explain(*args, **kwargs)

    site = resolve(load_report(content))
    render.mark_abbreviations_in_html, render.explain_abbreviations = recording_mark, recording_explain
    try:
        for page in site.pages:
            page_url[0] = page.url
            render.render_pages(site, Sources().templates, only={page.slug})
    finally:
        render.mark_abbreviations_in_html, render.explain_abbreviations = mark, explain
    return calls


def median_ms(calls: list, function, runs: int) -> float:
    """The median over `runs` of the time to make every call in `calls`, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for _page, args, kwargs in calls:
            function(*args, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(name: str, content: Path, runs: int) -> None:
    calls = recorded_calls(content)
    size = sum(len(args[0]) for _page, args, _kwargs in calls["explain"])
    print(f"{name}: {len(calls['explain'])} pages, {size / 1e6:.2f} MB of HTML; median of {runs} runs")
    for label, function in (("mark_abbreviations_in_html", render.mark_abbreviations_in_html),
                            ("explain_abbreviations", render.explain_abbreviations)):
        every = median_ms(calls[label.split("_")[0]], function, runs)
        one_page = median_ms([c for c in calls[label.split("_")[0]] if c[0] == "large-print.html"], function, runs)
        print(f"  {label}: every page {every:.1f} ms, the large print page {one_page:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--paragraphs", type=int, default=5000, help="size of the generated report (0: none)")
    arguments = parser.parse_args()
    measure("the report", Sources().content, arguments.runs)
    if arguments.paragraphs:
        with tempfile.TemporaryDirectory() as folder:
            content = Path(folder) / "content"
            make_report(arguments.paragraphs, content)
            measure(f"a report of {arguments.paragraphs} paragraphs", content, arguments.runs)


if __name__ == "__main__":
    main()
