"""The site's contents, rendered once for all the pages (render.SiteContents), is on each page what its macro gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.make_large_report import make_report
from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.render import CONTENTS_MACRO, CONTENTS_TEMPLATE, SiteContents, page_lists, template_environment
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A generated report of 30 parts: the judged parts share pages, and some pages are not in the contents."""
    content = tmp_path_factory.mktemp("contents") / "content"
    make_report(2_500, content)
    return resolve(load_report(content))


def every_page_s_contents(site, templates: Path) -> tuple[list[str], list[str], int]:
    """Each page's contents through SiteContents, and through the macro itself, page by page; and how many
    times SiteContents rendered the whole list."""
    environment = template_environment(str(templates.resolve()))
    items = page_lists(site).contents
    once = SiteContents(environment, items)
    whole = []
    once.macro = lambda items, macro=once.macro, **options: whole.append(len(items) > 1) or macro(items=items, **options)
    macro = getattr(environment.get_template(CONTENTS_TEMPLATE).module, CONTENTS_MACRO)
    return ([str(once(page)) for page in site.pages],
            [str(macro(items=items, current_url=page.url, heading=False)) for page in site.pages], sum(whole))


def test_each_page_s_contents_is_what_the_macro_renders_for_it(site):
    once, each, whole = every_page_s_contents(site, Sources().templates)
    assert len(site.pages) > 30 and any(not page.in_contents for page in site.pages)
    assert once == each
    assert whole == 1, "the whole list rendered once, for every page"
    current = [contents.count('aria-current="page"') for contents in once]
    assert current == [1 if page.in_contents else 0 for page in site.pages]


def test_a_contents_whose_entries_differ_by_place_is_rendered_whole_for_each_page(site, tmp_path):
    """An entry that shows its place in the list renders differently alone: the page's contents is rendered whole."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    macro = templates / CONTENTS_TEMPLATE
    macro.write_text(macro.read_text(encoding="utf-8").replace("{{ item.text }}", "{{ loop.index }}. {{ item.text }}"),
                     encoding="utf-8")
    once, each, whole = every_page_s_contents(site, templates)
    assert once == each
    assert "2. " in once[0]
    assert whole > len(site.pages) // 2
