"""A one-page edition (the whole report on one page) is rendered, finished and written a piece at a time, and is
the same page as rendered whole."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from bench.make_large_report import make_report
from reportsite.build import Sources, build
from reportsite.content import load_report
from reportsite.crossrefs import one_page_editions, resolve
from reportsite.plugins.abbreviations import explain_abbreviations, explain_in_pieces
from reportsite.render import (EXPLAIN_FROM, each_page, expansions_of, finish_page, finish_page_in_pieces, page_context,
                               render_pages, template_environment)
from reportsite.pages import KINDS
from tests.conftest import ROOT, SMALL_REPORT
from tests.test_incremental import files_in

TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A generated report of 30 parts, its abbreviations explained across them."""
    content = tmp_path_factory.mktemp("edition") / "content"
    make_report(2_500, content)
    return content


@pytest.fixture(params=["the report", "a small report", "a generated report"])
def site(request, large):
    content = {"the report": ROOT / "content", "a small report": SMALL_REPORT, "a generated report": large}[request.param]
    return resolve(load_report(content))


def edition(site):
    return next(page for url, page in each_page(site, TEMPLATES) if url == one_page_editions(site)[0].url)


def cut_anywhere(text: str, seed: int) -> list[str]:
    """`text` cut at random places, inside tags and words too."""
    chance = random.Random(seed)
    cuts = sorted(chance.sample(range(1, len(text)), min(len(text) - 1, 400)))
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]


def test_the_edition_in_pieces_is_the_edition_rendered_whole(site):
    page = edition(site)
    pieces = list(page.pieces())  # never NotInPieces here: rendered in pieces, not whole
    assert len(pieces) > len(site.report.parts)
    assert "".join(pieces) == page.whole() == render_pages(site, TEMPLATES, only={"large-print"})["large-print.html"]


def test_no_piece_of_a_large_edition_is_much_of_it(large):
    pieces = list(edition(resolve(load_report(large))).pieces())
    assert max(len(piece) for piece in pieces) < sum(len(piece) for piece in pieces) / 20


def test_a_page_finished_in_pieces_cut_anywhere_is_the_page_finished_whole(site):
    """However the template's text comes cut, the pieces are finished as the whole page is."""
    environment = template_environment(str(TEMPLATES.resolve()))
    expansions = expansions_of(site)
    for page in site.pages:
        html = environment.get_template(KINDS[page.kind].template).render(page_context(site, page, environment))
        assert EXPLAIN_FROM in html

        def glossary(anchor, page=page):
            return f"glossary.html#{anchor}" if not page.is_one_page_edition else f"#{anchor}"

        whole = finish_page(html, expansions, glossary)
        for seed in range(3):
            assert "".join(finish_page_in_pieces(cut_anywhere(html, seed), expansions, glossary)) == whole, page.url


@pytest.mark.parametrize("describe", [True, False])
def test_abbreviations_explained_in_pieces_are_explained_as_on_the_whole_page(describe):
    """First uses explained once, spelled-out ones left, the descriptions before the last </body>, as whole."""
    expansions = {"LA": "local authority", "IRO": "independent reviewing officer", "CSE": "child sexual exploitation"}

    def candidate(key):
        return f'<abbr data-rs-abbreviation="{key}">{key}</abbr>'

    page = ("<html><body>\n<p>The " + candidate("LA") + " and its\n<em>independent reviewing officers</em> (" +
            candidate("IRO") + ")</p>\n<p>" + candidate("LA") + " again; " + candidate("CSE") + ".</p>\n"
            "<div>no candidates here</div>\n</body>\n<p>after</p>\n</body>\n</html>\n")
    whole = explain_abbreviations(page, expansions, lambda anchor: f"g.html#{anchor}", describe)
    assert whole.count('class="rs-abbr"') == 2 and ("rs-abbreviations-used" in whole) == describe
    pieces = [piece for piece in page.replace("\n<", "\n\0<").split("\0")]  # cut before each tag that starts a line
    assert "".join(explain_in_pieces(pieces, expansions, lambda anchor: f"g.html#{anchor}", describe)) == whole


@pytest.mark.parametrize("describe", [True, False])
def test_pieces_without_an_abbreviation_left_to_explain_still_say_where_a_block_spells_one_out(describe):
    """A piece whose abbreviations were all explained before it (taken in one step) still counts as the text of its
    block: the words it spells out before a later first use, and the block tags that end what came before."""
    expansions = {"LA": "local authority", "IRO": "independent reviewing officer", "CSE": "child sexual exploitation"}

    def candidate(key):
        return f'<abbr data-rs-abbreviation="{key}">{key}</abbr>'

    pieces = ["<html><body>\n<p>The " + candidate("LA") + " board\n",
              "<em>of independent reviewing officers and the " + candidate("LA") + "</em>\n",  # LA explained already
              "<strong>(" + candidate("IRO") + ")</strong></p>\n",  # spelled out two pieces back, in its block
              "<p>child sexual exploitation, said the " + candidate("LA") + "</p><p>then\n",  # a new block starts
              "<em>" + candidate("CSE") + "</em></p>\n</body>\n</html>\n"]  # not spelled out in its block
    href = lambda anchor: f"g.html#{anchor}"  # noqa: E731
    whole = explain_abbreviations("".join(pieces), expansions, href, describe)
    assert 'href="g.html#abbreviation-iro"' not in whole and 'href="g.html#abbreviation-cse"' in whole
    assert "".join(explain_in_pieces(pieces, expansions, href, describe)) == whole


def test_an_edition_template_that_shows_the_parts_twice_is_written_whole(tmp_path):
    """Where the page cannot be put together in pieces, it is rendered whole: the same files."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    one_page = templates / "pages" / "large_print.html"
    one_page.write_text(one_page.read_text(encoding="utf-8").replace(
        "{% if abbreviations %}", "<p>{{ shown_parts() | length }} parts</p>\n{% if abbreviations %}"), encoding="utf-8")
    built = build(Sources(content=SMALL_REPORT, templates=templates), tmp_path / "site", formats=("html",))
    site = built.site
    expected = render_pages(site, templates)
    assert files_in(tmp_path / "site")["large-print.html"].decode("utf-8") == expected["large-print.html"]
    assert f"<p>{len(site.report.parts)} parts</p>" in expected["large-print.html"]
