#!/usr/bin/env python3
"""How much of a phone's first screen the header takes, and what each page weighs, for a built site:

  .venv/bin/python build.py --out /tmp/site && .venv/bin/python scripts/measure_navigation.py /tmp/site

For each page: the header's height and the top of its h1 on a 375 × 740 screen, in Chromium as the browser
tests launch it (also with the text at 200%), and its weight gzipped with the stylesheets and scripts it
loads (bench/run.py's measure, which tests/test_page_weight.py holds to 14 KB).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import page_weights  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402
from tests.browser.pagechecks import TEXT_AT_200_PERCENT  # noqa: E402

PHONE = {"width": 375, "height": 740}
HEADER_AND_HEADING_JS = """() => [document.querySelector('header').getBoundingClientRect().height,
                                  document.querySelector('h1').getBoundingClientRect().top]"""


def header_and_heading(browser, url: str, text_css: str | None = None) -> tuple[float, float]:
    """(the header's height, the h1's top) in CSS pixels, on a phone's screen."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(url)
        if text_css:
            page.add_style_tag(content=text_css)
        header, heading = page.evaluate(HEADER_AND_HEADING_JS)
        return header, heading
    finally:
        context.close()


def main(site: Path) -> int:
    from playwright.sync_api import sync_playwright

    weights = {name: size for name, size, _ in page_weights(ROOT / "content", site)}
    print(f"{'page':45} {'header':>6} {'h1 top':>6} | at 200% text: {'header':>6} {'h1 top':>6} | gzipped with CSS+JS")
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for name in sorted(weights):
                standard = header_and_heading(browser, base + name)
                enlarged = header_and_heading(browser, base + name, TEXT_AT_200_PERCENT)
                print(f"{name:45} {standard[0]:6.0f} {standard[1]:6.0f} | {'':14}{enlarged[0]:6.0f} {enlarged[1]:6.0f} | "
                      f"{weights[name]:6,} B")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
