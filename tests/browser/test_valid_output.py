"""The pages of content made to trip the HTML up (tests/fixtures/ids-and-links: notes labelled alike on one
page, C++ and C#, headings named like the site's own ids, citations inside links) pass the Nu Html Checker:
no duplicate id, no link inside a link. (tests/test_valid_output.py checks the same pages without Java.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build
from tests.browser import helpers

pytestmark = pytest.mark.browser

IDS_AND_LINKS = Path(__file__).resolve().parents[1] / "fixtures" / "ids-and-links"


def test_every_page_of_content_made_to_trip_the_html_up_is_valid_html(tmp_path):
    site = tmp_path / "site"
    build(Sources(content=IDS_AND_LINKS), site, formats=("html",))
    pages = [site / path for path in helpers.html_pages(site)]
    found = helpers.vnu_validate(pages)
    errors = {str(path.relative_to(site)): helpers.format_vnu_messages(found[str(path)]) for path in pages if found.get(str(path))}
    assert len(pages) >= 8
    assert errors == {}
