#!/usr/bin/env python3
"""Pictures of the site, taken from a fresh build with the browser the tests use.

  .venv/bin/python scripts/screenshots.py                  # the pictures in docs/pictures/
  .venv/bin/python scripts/screenshots.py --every-page DIR # every page, desktop and phone, light and dark
  .venv/bin/python scripts/screenshots.py --every-page DIR --full-page --pages leadership.html

The site is built into a temporary folder, served on 127.0.0.1 and shown in Debian's Chromium
through Playwright, launched as tests/browser/conftest.py launches it, so the pictures show what the
tests check. Nothing is fetched from the network; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportsite.build import FORMATS, Sources, build  # noqa: E402
from reportsite.errors import BuildError  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402


@dataclass(frozen=True)
class View:
    """How a page is looked at: the size of the screen and the reader's colour setting."""

    name: str
    width: int
    height: int
    colour_scheme: str = "light"


DESKTOP = View("desktop", 1280, 800)
PHONE = View("phone", 375, 740)
DESKTOP_DARK = View("desktop-dark", 1280, 800, "dark")
PHONE_DARK = View("phone-dark", 375, 740, "dark")
EVERY_VIEW = (DESKTOP, PHONE, DESKTOP_DARK, PHONE_DARK)


@dataclass(frozen=True)
class Picture:
    """One picture for the documentation: a file name, what it shows, the page (with a fragment) and the view;
    `opens`: the header's disclosure (Menu, Search, Display) opened before the picture is taken, if any."""

    file: str
    caption: str
    path: str
    view: View
    opens: str = ""


def first_citation(site_dir: Path, pages: list[str]) -> tuple[str, str] | None:
    """The first page, in reading order, that cites a paragraph, and the address of that paragraph."""
    for page in pages:
        match = re.search(r'<a class="rs-citation" href="([^"]+)"', (site_dir / page).read_text(encoding="utf-8"))
        if match:
            target = match.group(1)
            return page, (page + target if target.startswith("#") else target)
    return None


def reading_order(site_dir: Path) -> list[str]:
    """The site's pages as the home page's contents lists them, then the rest, so that any report works."""
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    contents = re.search(r'<nav[^>]* id="contents".*?</nav>', home, re.S)
    listed = re.findall(r'href="([^"#?/]+\.html)"', contents.group() if contents else home)
    every = sorted(path.name for path in site_dir.glob("*.html"))
    ordered = list(dict.fromkeys(["index.html", *[page for page in listed if page in every]]))
    return ordered + [page for page in every if page not in ordered]


def documentation_pictures(site_dir: Path) -> list[Picture]:
    """The pictures shown in docs/pictures: the home page, the evidence of the first recommendation and
    where its first citation leads, on a desktop and a phone, light and dark, and the large print edition."""
    pictures = [
        Picture("home-desktop.png", "The home page on a desktop (1280 × 800)", "index.html", DESKTOP),
        Picture("home-phone.png", "The home page on a phone (375 × 740)", "index.html", PHONE),
    ]
    cited = first_citation(site_dir, [page for page in reading_order(site_dir) if page != "large-print.html"])
    if cited:
        citing, target = cited
        pictures += [
            Picture("recommendations-desktop.png", "The first recommendation and its evidence, on a desktop", citing, DESKTOP),
            Picture("evidence-desktop-dark.png", "The paragraph its first citation leads to, in the dark colour scheme",
                    target, DESKTOP_DARK),
            Picture("evidence-phone.png", "The same paragraph on a phone", target, PHONE),
            Picture("recommendations-phone-dark.png", "The recommendations on a phone, dark", citing, PHONE_DARK),
            Picture("menu-phone.png", "The menu opened on a phone: the contents, numbered as the report numbers its parts",
                    target.split("#")[0], PHONE, opens="Menu"),
        ]
    if (site_dir / "large-print.html").exists():
        pictures.append(Picture("large-print-desktop.png", "The large print edition", "large-print.html", DESKTOP))
    return pictures


def every_page_pictures(site_dir: Path, pages: list[str] | None) -> list[Picture]:
    """Every page (or the pages named), in every view: for looking the site over."""
    chosen = pages or reading_order(site_dir)
    return [Picture(f"{Path(page.split('#')[0]).stem}-{view.name}.png", page, page, view)
            for page in chosen for view in EVERY_VIEW]


def take_pictures(site_dir: Path, pictures: list[Picture], out_dir: Path, full_page: bool = False) -> list[Path]:
    """Open each picture's page in Chromium over HTTP and save what the screen shows (or the whole page)."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_directory(site_dir) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for picture in pictures:
                context = browser.new_context(viewport={"width": picture.view.width, "height": picture.view.height},
                                              color_scheme=picture.view.colour_scheme, reduced_motion="reduce")
                page = context.new_page()
                page.goto(base_url + picture.path)
                page.evaluate("document.fonts.ready")
                if picture.opens:
                    page.locator("header summary", has_text=picture.opens).click()
                path = out_dir / picture.file
                page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
                written.append(path)
                context.close()
        finally:
            browser.close()
    return written


def write_index(pictures: list[Picture], out_dir: Path) -> Path:
    """docs/pictures/README.md: each picture with its caption, so the pictures are seen where they are kept."""
    lines = ["# What the site looks like", "",
             "Made by `scripts/screenshots.py` from a fresh build, in the Chromium the browser tests use.",
             "Run it again after changing a template or a stylesheet.", ""]
    for picture in pictures:
        lines += [f"## {picture.caption}", "", f"`{picture.path}`, {picture.view.width} × {picture.view.height}, "
                  f"{picture.view.colour_scheme}", "", f"![{picture.caption}]({picture.file})", ""]
    index = out_dir / "README.md"
    index.write_text("\n".join(lines), encoding="utf-8")
    return index


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the report's content folder")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pictures",
                        help="where to write the documentation's pictures (default: docs/pictures)")
    parser.add_argument("--every-page", type=Path, metavar="DIR",
                        help="instead, write every page in every view (desktop, phone; light, dark) into DIR")
    parser.add_argument("--pages", nargs="+", help="with --every-page: only these pages (a fragment is allowed)")
    parser.add_argument("--full-page", action="store_true", help="with --every-page: the whole page, not one screen")
    parser.add_argument("--site", type=Path, help="take the pictures of this built site instead of building one")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="reportsite-pictures-") as temporary:
        site_dir = arguments.site
        if site_dir is None:
            site_dir = Path(temporary) / "site"
            try:
                # the downloads too, so that the pages show their sizes as the published site does
                build(Sources(content=arguments.content), site_dir, FORMATS, cache_dir=Path(temporary) / "cache")
            except BuildError as error:
                for problem in error.problems:
                    print(problem, file=sys.stderr)
                return 1
        if arguments.every_page:
            pictures = every_page_pictures(site_dir, arguments.pages)
            written = take_pictures(site_dir, pictures, arguments.every_page, arguments.full_page)
        else:
            pictures = documentation_pictures(site_dir)
            written = take_pictures(site_dir, pictures, arguments.out)
            written.append(write_index(pictures, arguments.out))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
