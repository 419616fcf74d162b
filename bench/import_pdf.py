#!/usr/bin/env python3
"""How long `build.py import` takes on a 100-page PDF report.

    .venv/bin/python bench/import_pdf.py            # 5 runs; --runs N, --pages N

Makes an A4 report of --pages pages with WeasyPrint (11 pt text, numbered paragraphs, running
headers and page numbers, a footnote and a table on every few pages, words hyphenated at line
ends), then times whole `build.py import` processes, as an editor would run them, each into a new
folder, and prints the median. The target is under 10 s for 100 pages.
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.importsources import SENTENCES  # noqa: E402

STYLE = """
@page { size: A4; margin: 25mm 22mm;
        @top-center { content: "Invented Council – a long inspection report"; font: 8pt "DejaVu Sans" }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans" } }
body { font: 11pt/1.4 "DejaVu Sans"; hyphens: auto; text-align: justify }
h2 { font-size: 16pt } p { margin: 0 0 0.6em } .fn { float: footnote; font-size: 8pt }
table { border-collapse: collapse } td, th { border: 1px solid; padding: 3pt 6pt }
"""


def report_html(paragraphs: int) -> str:
    body = ["<h1>A long invented inspection report</h1>"]
    for number in range(1, paragraphs + 1):
        if number % 40 == 1:
            body.append(f"<h2>Part {number // 40 + 1}: findings</h2>")
        text = " ".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(4 + number % 5))
        if number % 25 == 0:
            text += '<span class="fn">A note on the figures in this paragraph.</span>'
        body.append(f"<p>{number}. {html.escape(text) if '<' not in text else text}</p>")
        if number % 60 == 0:
            body.append("<table><tr><th>Measure</th><th>This year</th><th>Last year</th></tr>"
                        "<tr><td>Families seen within ten days</td><td>84%</td><td>71%</td></tr></table>")
    return f'<!DOCTYPE html><html lang="en"><head><style>{STYLE}</style></head><body>{"".join(body)}</body></html>'


def make_pdf(pages: int, path: Path) -> int:
    """A PDF of at least `pages` pages; returns how many it has."""
    import weasyprint

    paragraphs = pages * 5
    while True:
        document = weasyprint.HTML(string=report_html(paragraphs)).render()
        if len(document.pages) >= pages:
            document.write_pdf(path)
            return len(document.pages)
        paragraphs = int(paragraphs * pages / len(document.pages)) + 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=100)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        pdf = work / "long-report.pdf"
        pages = make_pdf(arguments.pages, pdf)
        times = []
        for run in range(arguments.runs):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(pdf), "--content",
                                   str(work / f"content-{run}")], capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                return 1
        print(done.stdout.strip())
        print(f"build.py import, {pages}-page PDF ({pdf.stat().st_size // 1024} KB): median {statistics.median(times):.2f} s "
              f"of {arguments.runs} runs (min {min(times):.2f} s, max {max(times):.2f} s); target under 10 s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
