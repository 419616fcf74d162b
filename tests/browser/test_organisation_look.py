"""A report with its organisation's logo and brand colour, in Chromium: the logo is shown and named by its
text alternative, links and the band under the header take the brand colour of each colour scheme, and
every page keeps 7:1 text contrast and passes axe in the light scheme and the dark one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build
from reportsite.colours import DARK, readable_variant, rgb
from tests.browser import helpers
from tests.browser.pagechecks import AXE_RULES, AXE_TAGS, low_contrast_text

pytestmark = pytest.mark.browser

LOOK = Path(__file__).resolve().parents[1] / "fixtures" / "organisation-look"
BRAND = {"light": "#5a2d82", "dark": readable_variant("#5a2d82", DARK)}


def css_rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*rgb(colour))


@pytest.fixture(scope="module")
def look_site(tmp_path_factory):
    """The report's pages, built once and served."""
    site = tmp_path_factory.mktemp("organisation-look") / "site"
    build(Sources(content=LOOK), site, formats=("html",))
    with helpers.serve_directory(site) as base_url:
        yield site, base_url


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser, look_site):
    """A page of the report in each colour scheme, opened on the home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=request.param)
    try:
        page = context.new_page()
        page.goto(look_site[1] + "index.html")
        yield request.param, page
    finally:
        context.close()


def test_the_logo_is_shown_and_named_by_its_text_alternative(scheme_page):
    _, page = scheme_page
    logo = page.get_by_role("img", name="Fellgate", exact=True)
    assert logo.count() == 1
    assert logo.is_visible()
    assert logo.evaluate("image => image.complete && image.naturalWidth > 0"), "the logo's file was loaded"
    assert page.locator("header").get_by_text("Fellgate Borough Council").is_visible()


def test_links_and_the_header_band_take_the_brand_colour_of_the_scheme(scheme_page):
    scheme, page = scheme_page
    link = page.locator("main a[href='introduction.html']").first
    assert link.evaluate("a => getComputedStyle(a).color") == css_rgb(BRAND[scheme])
    assert page.locator("header").evaluate("h => getComputedStyle(h).borderBottomColor") == css_rgb(BRAND[scheme])
    footer_link = page.locator("footer a[href='about.html']").first
    assert footer_link.evaluate("a => getComputedStyle(a).color") == css_rgb(BRAND[scheme])


def test_every_page_keeps_7_to_1_text_contrast_and_passes_axe_in_each_scheme(scheme_page, look_site):
    scheme, page = scheme_page
    site, base_url = look_site
    failures = []
    for path in helpers.html_pages(site):
        page.goto(base_url + path)
        checked, low = low_contrast_text(page)
        assert checked > 0
        failures += [f"{path} ({scheme}): {line}" for line in low]
        violations = helpers.run_axe(page, tags=AXE_TAGS, rules=AXE_RULES)
        if violations:
            failures.append(f"{path} ({scheme}):\n{helpers.format_violations(violations)}")
    assert failures == []
