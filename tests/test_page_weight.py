"""Every page of the site arrives in the first round trip: gzipped, with the stylesheets and scripts it loads,
within the 14 KB a server may send before the browser's first acknowledgement (the one-page editions, which
hold the whole report, aside). bench/run.py prints each page's weight; this holds the line."""

from __future__ import annotations

from bench.run import FIRST_ROUND_TRIP, page_weights
from tests.conftest import ROOT


def test_every_page_with_its_stylesheets_and_scripts_is_within_14_kb_gzipped(report_site):
    weights = page_weights(ROOT / "content", report_site)
    assert len(weights) > 10 and all(size > 2_000 for _, size, _ in weights), "every page is counted, with what it loads"
    assert {name: size for name, size, edition in weights if size > FIRST_ROUND_TRIP and not edition} == {}
    assert [name for name, _, edition in weights if edition] == ["large-print.html"]
