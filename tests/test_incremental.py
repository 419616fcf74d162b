"""A serve session's rebuilds: each renders only what a change affects, and writes what a cold build writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build
from reportsite.errors import BuildError
from reportsite.incremental import BuildSession, one_page_editions

ROOT = Path(__file__).resolve().parent.parent
HELP = "parts/05-help-and-protection.md"  # paragraphs 12 to 38
LOOKED_AFTER = "parts/06-children-looked-after.md"  # paragraphs 39 to 87


@pytest.fixture
def sources(tmp_path) -> Sources:
    """A copy of the real report, templates and stylesheets, free to be edited by the test."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return Sources(content=tmp_path / "content", templates=tmp_path / "templates", static=tmp_path / "static")


# The pages only: the downloads are made by serve in the background, and tested in test_downloads.py.
PAGES = ("html",)


class Session:
    """A build session writing into one folder, as serve runs it. `watched`: before each build, the session is told
    which files changed since the last, as serve's watcher tells it; otherwise it finds them itself."""

    def __init__(self, sources: Sources, out: Path, watched: bool = False):
        self.sources, self.out, self.session, self.watched = sources, out, BuildSession(), watched
        self._files = self.source_files()

    def source_files(self) -> dict[str, bytes]:
        return {str(path): path.read_bytes() for folder in (self.sources.content, self.sources.templates, self.sources.static)
                for path in folder.rglob("*") if path.is_file()}

    def build(self):
        if self.watched:
            now = self.source_files()
            self.session.watched = {path for path in now.keys() | self._files.keys() if now.get(path) != self._files.get(path)}
            self._files = now
        return build(self.sources, self.out, formats=PAGES, session=self.session)

    @property
    def rendered(self) -> set[str]:
        return set(self.session.rendered)

    @property
    def edited(self) -> list[str] | None:
        """The parts the last build loaded again alone, by file name; None if it loaded the whole content folder."""
        edited = self.session.edited
        return None if edited is None else sorted(Path(part.source).name for part in edited.values())


@pytest.fixture(params=["watched", "not watched"])
def session(request, sources, tmp_path) -> Session:
    """Every test of a session runs twice: told what changed, as serve tells it, and not."""
    session = Session(sources, tmp_path / "site", watched=request.param == "watched")
    session.build()
    return session


@pytest.fixture
def watched(sources, tmp_path) -> Session:
    session = Session(sources, tmp_path / "site", watched=True)
    session.build()
    return session


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_same_as_cold_build(session: Session, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    build(session.sources, cold, formats=PAGES)
    incremental, expected = files_in(session.out), files_in(cold)
    assert sorted(incremental) == sorted(expected)
    different = [path for path in expected if incremental[path] != expected[path]]
    assert different == [], f"these files differ from a cold build: {different}"


def edit(sources: Sources, name: str, change) -> None:
    path = sources.content / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def edit_paragraph(text: str, number: int, new_text: str) -> str:
    changed, count = re.subn(rf"^{number}\. .*$", f"{number}. {new_text}", text, count=1, flags=re.M)
    assert count == 1, f"paragraph {number} not found"
    return changed


def test_a_session_first_build_is_a_cold_build(session, tmp_path):
    assert "index.html" in session.rendered and "glossary.html" in session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_nothing_changed_renders_and_writes_nothing(session, tmp_path):
    session.build()
    assert session.rendered == set()
    assert session.session.written == []


def test_unchanged_parts_are_not_parsed_again(session, sources):
    before = {part.source: part for part in session.build().site.report.parts}
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone, every time."))
    after = {part.source: part for part in session.build().site.report.parts}
    changed = [source for source in after if after[source] is not before[source]]
    assert len(changed) == 1 and changed[0].endswith("05-help-and-protection.md")


def test_editing_a_paragraph_renders_its_page_and_the_one_page_editions(session, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone, every time, by a named social worker."))
    site = session.build().site
    assert "help-and-protection.html" in session.rendered
    assert "children-looked-after.html" not in session.rendered
    assert "glossary.html" not in session.rendered and "index.html" not in session.rendered
    editions = {page.url for page in one_page_editions(site)}
    assert editions and editions <= session.rendered
    assert "every time, by a named social worker" in (session.out / "help-and-protection.html").read_text()
    assert set(session.session.written) <= session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_citing_a_paragraph_renders_the_page_that_gains_the_backlink(session, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone, as at their reviews (paragraph 40)."))
    session.build()
    assert {"help-and-protection.html", "children-looked-after.html"} <= session.rendered
    assert "leadership.html" not in session.rendered
    looked_after = (session.out / "children-looked-after.html").read_text()
    assert 'href="help-and-protection.html#paragraph-20"' in looked_after
    assert_same_as_cold_build(session, tmp_path)
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone."))
    session.build()
    assert "children-looked-after.html" in session.rendered
    assert 'href="help-and-protection.html#paragraph-20"' not in (session.out / "children-looked-after.html").read_text()
    assert_same_as_cold_build(session, tmp_path)


def test_changing_a_recommendations_citations_renders_the_cited_pages(session, sources, tmp_path):
    edit(sources, "parts/03-recommendations.md", lambda text: text.replace("(paragraph 93)", "(paragraphs 93, 41)"))
    session.build()
    assert {"recommendations.html", "children-looked-after.html"} <= session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_editing_a_cited_paragraph_renders_the_recommendations_that_quote_it(session, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 13, "Early help is offered to every family that asks for it."))
    session.build()
    assert {"help-and-protection.html", "recommendations.html"} <= session.rendered
    assert "leadership.html" not in session.rendered
    assert "Early help is offered to every family that asks for it." in (session.out / "recommendations.html").read_text()
    assert_same_as_cold_build(session, tmp_path)


def test_rewording_a_recommendation_renders_the_pages_whose_links_back_quote_it(session, sources, tmp_path):
    edit(sources, "parts/03-recommendations.md", lambda text: text.replace("2. Improve governance arrangements", "2. Strengthen governance arrangements"))
    session.build()
    assert {"recommendations.html", "leadership.html"} <= session.rendered
    assert "Recommendation 2: Strengthen governance arrangements so…" in (session.out / "leadership.html").read_text()
    assert_same_as_cold_build(session, tmp_path)


def test_retitling_a_part_renders_every_page(session, sources, tmp_path):
    edit(sources, LOOKED_AFTER, lambda text: re.sub(r"^title: .*$", "title: Retitled children looked after", text,
                                                     count=1, flags=re.M))
    session.build()
    assert "Retitled" in (session.out / "glossary.html").read_text()
    assert "glossary.html" in session.rendered and "index.html" in session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_an_invalid_edit_changes_nothing_and_the_fix_catches_up(session, sources, tmp_path):
    before = files_in(session.out)
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Cites a paragraph that is not there (paragraph 9999)."))
    with pytest.raises(BuildError) as raised:
        session.build()
    assert "9999" in str(raised.value)
    assert files_in(session.out) == before
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Now cites one that is (paragraph 41)."))
    session.build()
    assert_same_as_cold_build(session, tmp_path)


def test_a_broken_template_is_reported_and_the_fix_renders_every_page(session, sources, tmp_path):
    footer = sources.templates / "components" / "footer.html"
    original = footer.read_text(encoding="utf-8")
    footer.write_text(original + "{% if %}\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        session.build()
    assert "footer.html" in str(raised.value)
    footer.write_text(original.replace("</footer>", "<!-- edited --></footer>"), encoding="utf-8")
    session.build()
    assert "<!-- edited -->" in (session.out / "index.html").read_text()
    assert "glossary.html" in session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_a_stylesheet_change_writes_the_stylesheet_and_renders_no_page(session, sources, tmp_path):
    with (sources.static / "css" / "components.css").open("a", encoding="utf-8") as css:
        css.write("\n.rs-test-edit { color: inherit; }\n")
    session.build()
    assert session.rendered == set()
    assert session.session.written == ["static/css/site.css"]
    assert_same_as_cold_build(session, tmp_path)


def test_a_deleted_part_is_removed_and_its_return_restored(session, sources, tmp_path):
    part = sources.content / "parts" / "04-summary-for-children-and-young-people.md"
    text = part.read_bytes()
    part.unlink()
    session.build()
    assert not (session.out / "summary-for-children-and-young-people.html").exists()
    assert_same_as_cold_build(session, tmp_path)
    part.write_bytes(text)
    session.build()
    assert (session.out / "summary-for-children-and-young-people.html").exists()
    assert_same_as_cold_build(session, tmp_path)


def test_a_yaml_change_renders_every_page(session, sources, tmp_path):
    edit(sources, "abbreviations.yaml", lambda text: text.replace("expansion: Brent Family Front Door",
                                                                  "expansion: The Brent Family Front Door"))
    session.build()
    assert "help-and-protection.html" in session.rendered and "glossary.html" in session.rendered
    assert_same_as_cold_build(session, tmp_path)
    edit(sources, "report.yaml", lambda text: text.replace("site_name: '", "site_name: 'Edited ", 1))
    session.build()
    assert_same_as_cold_build(session, tmp_path)


def test_many_edits_in_a_row_stay_identical_to_a_cold_build(session, sources, tmp_path):
    for round_ in range(3):
        edit(sources, HELP, lambda text: edit_paragraph(text, 25, f"Round {round_} (paragraphs 50, 60)."))
        edit(sources, LOOKED_AFTER, lambda text: edit_paragraph(text, 60, f"Round {round_}, cited back (paragraph 25)."))
        session.build()
    assert_same_as_cold_build(session, tmp_path)


# The abbreviations are marked and explained on every page of every build, the one-page
# editions included; these faster ways must give what the straightforward ones give.

ABBREVIATIONS = {"CAF": "Common Assessment Framework", "LSCB": "Local Safeguarding Children Board", "SoS": "Signs of Safety",
                 "CA": "A shorter key", "a&b": "A key with an ampersand"}
PIECES = ["CAF", "CAFs", "LSCB", "SoS", "CA", "xCAF", "CAFx", "CAF1", " ", "\n", "s", "<", ">", "/", "<a>", "</a>",
          '<a href="CAF">', "<abbr>", "</abbr>", "<h2>", "</H2>", "<p>", "</p>", "<br/>", "<a/>", "<!-- CAF -->",
          "<script>", "</script>", '<div class="LSCB">', "\n<div>", "&amp;", "é", "ſcript", "<ſcript>", "</ a>",
          "<ab>", "<abbrx>", "<A HREF=x>", "<title>", '<abbr data-rs-abbreviation="CAF">CAF</abbr>',
          '<abbr data-rs-abbreviation="XYZ">XYZ</abbr>', '<abbr data-rs-abbreviation="a&amp;b">a&amp;b</abbr>',
          '<abbr data-rs-abbreviation="a&b">a&b</abbr>', '<abbr data-rs-abbreviation="CAF"></abbr>',
          "Signs of Safety", "signs of  safety", "Signs <em>of</em> Safety", "Common Assessment", " Framework", "</body>",
          "<li>", "<td>", "<P>", "<pre>", "&#x27;", '<abbr data-rs-abbreviation="SoS">SoS</abbr>', "<section "]


def explain_abbreviations_reference(html, abbreviations, href):
    """Each candidate in turn: the first of each abbreviation explained, unless the text of its block spells it
    out before it, the rest plain text; the expansions of those explained listed, hidden, before the </body>
    after the last candidate."""
    from html import escape, unescape

    from reportsite.plugins.abbreviations import CANDIDATE, abbreviation_anchor
    block = re.compile(r"</?(?:p|li|dd|dt|td|th|div|h[1-6]|caption|figcaption|blockquote|section|article|aside|"
                       r"table|tr|ul|ol|dl|main|header|footer|nav|body)(?=[\s/>])", re.IGNORECASE)
    words = lambda text: " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())  # noqa: E731
    seen, described = set(), []

    def replace(match):
        key, text = match.group("key"), match.group("text")
        if key in seen or key not in abbreviations:
            return text
        seen.add(key)
        before = html[:match.start()]
        starts = [tag.start() for tag in block.finditer(before)]
        context = CANDIDATE.sub(lambda candidate: candidate.group("text"), before[starts[-1] if starts else 0:])
        if re.search(rf"(?<!\w){re.escape(words(abbreviations[key]))}(?:s|es)?(?!\w)", words(unescape(re.sub(r"<[^>]*>", "", context)))):
            return text
        anchor = abbreviation_anchor(key)
        described.append(f'<div><dt>{escape(key, quote=False)}</dt><dd id="{anchor}-expansion">'
                         f'{escape(abbreviations[key], quote=False)}</dd></div>\n')
        return (f'<a class="rs-abbr" href="{escape(href(anchor))}" aria-describedby="{anchor}-expansion" '
                f'data-rs-expansion="{escape(abbreviations[key])}"><abbr>{text}</abbr></a>')

    page = CANDIDATE.sub(replace, html)
    if not described:
        return page
    tail = html[list(CANDIDATE.finditer(html))[-1].end():]  # after the last candidate: the same in the page
    end = len(page) - len(tail) + (tail.rfind("</body>") if "</body>" in tail else len(tail))
    return page[:end] + '<dl class="rs-abbreviations-used" hidden>\n' + "".join(described) + "</dl>\n" + page[end:]


def random_pages(count: int, seed: int):
    import random
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))


def test_marking_abbreviations_gives_what_marking_piece_by_piece_gives(tmp_path):
    from reportsite.plugins.abbreviations import MarkedChunks, mark_abbreviations_in_html, mark_abbreviations_in_html_by_pieces
    build(Sources(), tmp_path / "site")
    pages = [path.read_text(encoding="utf-8") for path in sorted((tmp_path / "site").glob("*.html"))]
    expansions = dict(ABBREVIATIONS, BFFD="Brent Family Front Door", CFA="Child and family assessment")
    for html in [*pages, *random_pages(20_000, seed=1)]:
        assert mark_abbreviations_in_html(html, expansions) == mark_abbreviations_in_html_by_pieces(html, expansions), html[:300]
    memo = MarkedChunks()  # and in chunks, as serve does, build after build with edits anywhere
    page = "\n".join(pages)
    for edit, piece in enumerate(random_pages(40, seed=2)):
        at = (edit * 7919) % len(page)
        page = page[:at] + piece + page[at:]
        assert mark_abbreviations_in_html(page, expansions, memo) == mark_abbreviations_in_html_by_pieces(page, expansions)
        memo.next_build()


def test_explaining_abbreviations_gives_what_explaining_one_by_one_gives(tmp_path):
    from reportsite.plugins.abbreviations import explain_abbreviations, mark_abbreviations_in_html
    build(Sources(), tmp_path / "site")
    pages = [mark_abbreviations_in_html(path.read_text(encoding="utf-8"), ABBREVIATIONS)
             for path in sorted((tmp_path / "site").glob("*.html"))]
    href = lambda anchor: f"glossary.html#{anchor}"  # noqa: E731
    for html in [*pages, *random_pages(20_000, seed=3)]:
        assert explain_abbreviations(html, ABBREVIATIONS, href) == explain_abbreviations_reference(html, ABBREVIATIONS, href)


def test_finding_abbreviations_without_the_look_behind_finds_what_the_pattern_finds():
    import random

    from reportsite.plugins.abbreviations import _abbreviation_uses, _pattern
    keys = tuple(sorted([*ABBREVIATIONS, "S", "AFs", "s"]))
    atoms = [*keys, "CAFs", "x", " ", "1", "é", "-", "&", "\n"]
    rng = random.Random(4)
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "content" / "parts").glob("*.md")]
    texts += ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 20))) for _ in range(20_000)]
    for text in texts:
        found = [(use.start(), use.end(), use.group("key")) for use in _abbreviation_uses(text, keys)]
        assert found == [(use.start(), use.end(), use.group("key")) for use in _pattern(keys).finditer(text)], text


def test_editing_the_front_page_or_the_about_text_renders_the_pages_that_show_it(session, sources, tmp_path):
    edit(sources, "front-page.md", lambda text: text.replace("caption: Graded judgements", "caption: The graded judgements"))
    session.build()
    assert {"index.html", "large-print.html"} <= session.rendered
    assert "leadership.html" not in session.rendered and "about-this-paper.html" not in session.rendered
    assert "The graded judgements" in (session.out / "index.html").read_text()
    assert_same_as_cold_build(session, tmp_path)
    edit(sources, "about.md", lambda text: text.replace("The press and public are welcome", "The public are welcome"))
    session.build()
    assert "about-this-paper.html" in session.rendered and "index.html" not in session.rendered
    assert_same_as_cold_build(session, tmp_path)


def test_a_citation_on_the_front_page_gives_the_paragraph_a_backlink_to_the_home_page(session, sources, tmp_path):
    edit(sources, "front-page.md", lambda text: text.replace("text: Children's services in Brent require improvement to be good",
                                                             "text: Children's services in Brent require improvement to be good (paragraph 12)"))
    session.build()
    assert {"index.html", "help-and-protection.html"} <= session.rendered
    page = (session.out / "help-and-protection.html").read_text()
    paragraph = page[page.index('id="paragraph-12"'):page.index('id="paragraph-13"')]
    assert 'rs-paragraph__backlinks' in paragraph and 'href="index.html"' in paragraph
    assert_same_as_cold_build(session, tmp_path)


# What a save changes, as serve's watcher reports it: the shortcuts a session takes, each compared to a cold build.

def same_resolution(site, cold) -> None:
    """The session's resolved site is what resolving the whole report gives: every paragraph, citation and backlink."""
    paragraphs = lambda site: [(anchor, p.label, p.series, p.part.source, p.page.url, p.line, p.opening)
                               for anchor, p in site.paragraphs.items()]
    citation = lambda c: (c.target, c.source, c.part.source, c.page.url, c.line, c.written)
    assert paragraphs(site) == paragraphs(cold)
    assert [citation(c) for c in site.citations] == [citation(c) for c in cold.citations]
    assert {a: [citation(c) for c in cs] for a, cs in site.cited_by.items()} == {a: [citation(c) for c in cs] for a, cs in cold.cited_by.items()}
    assert list(site.cited_by) == list(cold.cited_by)
    assert [(page.url, page.title, [part.source for part in page.parts]) for page in site.pages] == \
           [(page.url, page.title, [part.source for part in page.parts]) for page in cold.pages]


def test_a_watched_edit_of_a_paragraph_s_words_loads_and_renders_only_its_part(watched, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone, every time, by a named social worker."))
    site = watched.build().site
    assert watched.edited == ["05-help-and-protection.md"]
    # its page, the one-page editions, and the recommendations that quote paragraph 20 as their evidence
    assert watched.rendered == {"help-and-protection.html", "recommendations.html"} | {page.url for page in one_page_editions(site)}
    same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_citation_of_another_part_gives_it_the_backlink_without_loading_it(watched, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone, as at their reviews (paragraphs 40 to 42)."))
    site = watched.build().site
    assert watched.edited == ["05-help-and-protection.md"]
    assert {"help-and-protection.html", "children-looked-after.html"} <= watched.rendered
    assert "leadership.html" not in watched.rendered and "search.html" not in watched.rendered
    assert 'href="help-and-protection.html#paragraph-20"' in (watched.out / "children-looked-after.html").read_text()
    same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
    assert_same_as_cold_build(watched, tmp_path)
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Children are seen alone."))  # and the citation taken back
    site = watched.build().site
    assert watched.edited == ["05-help-and-protection.md"] and "children-looked-after.html" in watched.rendered
    same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_edit_of_two_parts_in_one_burst_loads_both(watched, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 25, "Edited in a burst (paragraphs 50, 60)."))
    edit(sources, LOOKED_AFTER, lambda text: edit_paragraph(text, 60, "Edited in the same burst (paragraph 25)."))
    site = watched.build().site
    assert watched.edited == ["05-help-and-protection.md", "06-children-looked-after.md"]
    same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
    assert_same_as_cold_build(watched, tmp_path)


@pytest.mark.parametrize("change", ["title", "heading", "renumbered paragraph"])
def test_a_watched_edit_of_a_part_s_title_or_numbers_loads_the_whole_report(watched, sources, tmp_path, change):
    if change == "title":
        edit(sources, LOOKED_AFTER, lambda text: re.sub(r"^title: .*$", "title: Retitled", text, count=1, flags=re.M))
    elif change == "heading":
        edit(sources, HELP, lambda text: text.replace("\n---\n", "\nheading: A heading of its own\n---\n", 1))
    else:  # paragraph 40 numbered 41: the numbers go wrong, and the build says so
        edit(sources, LOOKED_AFTER, lambda text: re.sub(r"^40\. ", "41. ", text, count=1, flags=re.M))
        with pytest.raises(BuildError) as raised:
            watched.build()
        assert watched.edited is None and "paragraph 41" in str(raised.value)
        edit(sources, LOOKED_AFTER, lambda text: re.sub(r"^41\. ", "40. ", text, count=1, flags=re.M))
        watched.build()  # put right: only that part changed since the last good build
        assert watched.edited == ["06-children-looked-after.md"]
        assert_same_as_cold_build(watched, tmp_path)
        return
    watched.build()
    assert watched.edited is None
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_edit_that_may_change_the_report_s_numbering_loads_the_whole_report(watched, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Two figures follow.\n\n1.5 Million pounds\n\n2.5 Million pounds\n"))
    watched.build()
    assert watched.edited is None
    assert_same_as_cold_build(watched, tmp_path)


@pytest.mark.parametrize("how", ["renamed", "deleted", "added"])
def test_a_watched_part_renamed_deleted_or_added_loads_the_whole_report(watched, sources, tmp_path, how):
    part = sources.content / "parts" / "04-summary-for-children-and-young-people.md"
    if how == "renamed":
        part.rename(part.with_name("04-summary-for-young-people.md"))
    elif how == "deleted":
        part.unlink()
    else:
        (part.parent / "14-afterword.md").write_text("---\ntitle: Afterword\n---\nWords after the report.\n", encoding="utf-8")
    watched.build()
    assert watched.edited is None
    assert_same_as_cold_build(watched, tmp_path)


@pytest.mark.parametrize("name", ["report.yaml", "abbreviations.yaml", "front-page.md", "about.md"])
def test_a_watched_edit_of_any_other_content_file_loads_the_whole_report(watched, sources, tmp_path, name):
    edit(sources, name, lambda text: text.replace("Brent", "The Brent", 1))
    watched.build()
    assert watched.edited is None
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_template_edit_loads_nothing_and_renders_every_page(watched, sources, tmp_path):
    footer = sources.templates / "components" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", "<!-- edited --></footer>"), encoding="utf-8")
    watched.build()
    assert watched.edited == []
    assert "glossary.html" in watched.rendered and "<!-- edited -->" in (watched.out / "glossary.html").read_text()
    assert_same_as_cold_build(watched, tmp_path)


def test_an_edit_the_file_s_stamp_misses_is_loaded_when_the_watcher_saw_it(watched, sources, tmp_path, monkeypatch):
    from reportsite import incremental

    stamps = incremental.file_stamps(sources.content)
    monkeypatch.setattr(incremental, "file_stamps", lambda folder: stamps)  # as if written within the same tick
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Seen by the watcher alone."))
    watched.build()
    assert watched.edited == ["05-help-and-protection.md"]
    assert_same_as_cold_build(watched, tmp_path)


def test_an_edit_the_watcher_did_not_report_is_found_by_the_file_s_stamp(watched, sources, tmp_path):
    watched.watched = False
    watched.session.watched = set()  # told that nothing changed
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Not reported by the watcher."))
    watched.build()
    assert watched.edited == ["05-help-and-protection.md"]
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_invalid_edit_then_its_fix_catch_up_with_both_saves(watched, sources, tmp_path):
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Cites what is not there (paragraph 9999)."))
    edit(sources, LOOKED_AFTER, lambda text: edit_paragraph(text, 60, "A good edit in the same save (paragraph 20)."))
    with pytest.raises(BuildError):
        watched.build()
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Cites what is there (paragraph 41)."))
    site = watched.build().site
    assert watched.edited == ["05-help-and-protection.md", "06-children-looked-after.md"]
    same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
    assert_same_as_cold_build(watched, tmp_path)


def test_a_watched_edit_of_a_part_sharing_a_page_renders_the_shared_page(watched, sources, tmp_path):
    edit(sources, "parts/07-adoption.md", lambda text: text.replace("slug: adoption\n", "slug: adoption\npage: children-looked-after\n"))
    watched.build()
    assert watched.edited is None  # front matter: the whole report
    for name, number in (("parts/07-adoption.md", 67), (LOOKED_AFTER, 41)):  # the second and the first part of the page
        edit(sources, name, lambda text: edit_paragraph(text, number, f"Edited on a shared page (paragraph {number + 1})."))
        site = watched.build().site
        assert watched.edited == [Path(name).name]
        assert "children-looked-after.html" in watched.rendered
        assert f"Edited on a shared page (paragraph {number + 1})." in (watched.out / "children-looked-after.html").read_text()
        same_resolution(site, build(watched.sources, tmp_path / "cold-resolved", formats=PAGES).site)
        assert_same_as_cold_build(watched, tmp_path)


def test_what_a_failed_build_read_is_not_taken_for_the_last_good_build(watched, sources, tmp_path):
    """A part edited so that it may change the report's numbering, in a build that fails (a broken template): the next
    build still compares that part with the last good build, and loads the whole report."""
    footer = sources.templates / "components" / "footer.html"
    original = footer.read_text(encoding="utf-8")
    footer.write_text(original + "{% if %}\n", encoding="utf-8")
    edit(sources, HELP, lambda text: edit_paragraph(text, 20, "Two figures follow.\n\n1.5 Million pounds\n\n2.5 Million pounds\n"))
    with pytest.raises(BuildError):
        watched.build()
    footer.write_text(original, encoding="utf-8")
    watched.build()
    assert watched.edited is None
    assert_same_as_cold_build(watched, tmp_path)
