"""Header height and the h1's top on a 375x740 phone (also with text at 200%), and each page's gzip weight with
its CSS and script, for a built site: python scripts/measure_navigation.py SITE_DIR"""
from pathlib import Path
import gzip
import re
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import helpers
from playwright.sync_api import sync_playwright
site = Path(sys.argv[1])
pages = sorted(p.name for p in site.glob("*.html"))
with helpers.serve_directory(site) as base, sync_playwright() as pw:
    b = pw.chromium.launch(executable_path=helpers.CHROMIUM, headless=True, args=helpers.CHROMIUM_ARGS)
    for name in pages:
        row = [name]
        for zoom in (None, "html{font-size:200%!important}"):
            c = b.new_context(viewport={"width": 375, "height": 740}); pg = c.new_page(); pg.goto(base + name)
            if zoom: pg.add_style_tag(content=zoom)
            r = pg.evaluate("() => [document.querySelector('header').getBoundingClientRect().height, document.querySelector('h1').getBoundingClientRect().top]")
            row += [round(r[0]), round(r[1])]
            c.close()
        html = (site / name).read_bytes()
        loads = set(re.findall(rb'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"(?![^>]*media="print")', html)) | set(re.findall(rb'<script[^>]*src="([^"]+)"', html))
        total = len(gzip.compress(html, compresslevel=6)) + sum(len(gzip.compress((site / u.decode()).read_bytes(), compresslevel=6)) for u in loads if (site / u.decode()).is_file())
        row.append(total)
        print("%-45s header %4d h1 %4d | 200%%: header %4d h1 %4d | %6d B" % tuple(row))
    b.close()
