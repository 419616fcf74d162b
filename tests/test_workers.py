"""A cold build on several cores (workers.py) writes what a build in one process writes, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportsite.build import Sources, build, build_files, check
from reportsite.errors import BuildError
from reportsite.folders import SITE_MARKER, manifest_text, read_manifest
from reportsite.write import Sizes
from tests.conftest import ROOT
from tests.test_incremental import files_in

PARTS = {
    # the recommendations cite paragraphs in parts that other processes parse
    "01-recommendations.md": "---\ntitle: Recommendations\nrecommendations: true\n---\n"
                             "1. Improve the early help offer (paragraphs 3, 9).\n\n2. Review every plan (paragraph 12).\n",
    "02-summary.md": "---\ntitle: Summary\n---\n3. The LA knows its children well.[^1]\n\n"
                     "4. Most plans are clear (paragraph 10).\n\n[^1]: As the last inspection found.\n",
    "03-help.md": "---\ntitle: Help and protection\n---\n## Early help\n\n5. Early help is offered in time.\n\n"
                  "6. The LA and its partners share what they know (paragraphs 3 to 4).\n",
    # two parts on one page: one process parses both
    "04-looked-after.md": "---\ntitle: Children looked after\npage: looked-after\n---\n7. Most children live near home.\n\n"
                          "8. Visits are on time.\n",
    "05-adoption.md": "---\ntitle: Adoption\npage: looked-after\n---\n9. Adoption is timely (paragraph 7).\n",
    "06-leavers.md": "---\ntitle: Care leavers\n---\n10. Care leavers have a personal adviser.\n\n11. The LA keeps in touch.\n",
    "07-leadership.md": "---\ntitle: Leadership\n---\n| Area | Grade |\n|---|---|\n| Leadership | Good |\n\n"
                        "12. Leaders know the service (paragraph 1).\n",
}


@pytest.fixture
def report(tmp_path) -> Path:
    """A report of seven parts and six pages, each citing across the others, with notes and abbreviations."""
    content = tmp_path / "content"
    (content / "parts").mkdir(parents=True)
    (content / "report.yaml").write_text("title: A report built on several cores\npublisher: A council\n", encoding="utf-8")
    (content / "abbreviations.yaml").write_text("- abbreviation: LA\n  expansion: local authority\n", encoding="utf-8")
    (content / "front-page.md").write_text("The LA was inspected (paragraphs 5, 8).\n", encoding="utf-8")
    for name, text in PARTS.items():
        (content / "parts" / name).write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize("workers", [2, 3])
def test_a_build_in_several_processes_writes_the_same_files_as_one_process(report, tmp_path, workers):
    one = build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=workers)
    assert (one.processes, several.processes) == (1, workers)
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")
    assert several.site.paragraphs.keys() == one.site.paragraphs.keys()
    leadership = files_in(tmp_path / "one")["leadership.html"]
    assert b'href="recommendations.html#paragraph-1"' in leadership  # its citation of a paragraph another process parsed
    assert b'href="recommendations.html#paragraph-2"' in leadership  # the backlink from the recommendation citing it


@pytest.mark.parametrize("workers", [1, 2])
def test_a_check_measures_every_page_a_build_writes_and_keeps_none(report, tmp_path, workers):
    built = build(Sources(content=report), tmp_path / "site", formats=("html",), workers=1)
    checked = check(Sources(content=report), workers=workers)
    assert checked.processes == workers
    written = {path: len(data) for path, data in files_in(tmp_path / "site").items() if path != SITE_MARKER}
    assert isinstance(checked.files, Sizes) and checked.files.sizes == written  # each page's size, not its bytes
    assert checked.pages == built.pages and len(checked.pages) == 13
    assert list(tmp_path.iterdir()) == [tmp_path / "content", tmp_path / "site"]  # nothing written


def test_two_builds_in_several_processes_are_identical(report):
    first = build_files(Sources(content=report), ("html",), workers=2)
    second = build_files(Sources(content=report), ("html",), workers=2)
    assert first.processes == second.processes == 2
    assert first.files == second.files


@pytest.mark.parametrize("leavers, problem", [
    ("10. Care leavers have an adviser (paragraph 99).\n\n11. The LA keeps in touch.\n", "paragraph 99"),
    ("10. Care leavers have an adviser.\n\n10. The LA keeps in touch.\n", "numbered twice"),  # checked by the main process
])
def test_a_problem_in_a_part_another_process_parses_is_reported_as_in_one_process(report, leavers, problem):
    (report / "parts" / "06-leavers.md").write_text("---\ntitle: Care leavers\n---\n" + leavers, encoding="utf-8")
    with pytest.raises(BuildError) as one:
        build_files(Sources(content=report), ("html",), workers=1)
    with pytest.raises(BuildError) as several:
        build_files(Sources(content=report), ("html",), workers=2)
    assert [str(problem) for problem in several.value.problems] == [str(problem) for problem in one.value.problems]
    assert problem in str(one.value.problems[0])


def test_the_paragraphs_numbers_are_checked_once_by_the_main_process(report, tmp_path, monkeypatch):
    """Every process resolves the report; the numbers' check (the same in each) is left to the main process."""
    from reportsite import crossrefs

    checked, check_numbering = tmp_path / "checked", crossrefs.check_numbering

    def recorded(*arguments):
        with checked.open("a") as record:
            record.write(f"{os.getpid()}\n")
        return check_numbering(*arguments)

    monkeypatch.setattr(crossrefs, "check_numbering", recorded)
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=2)
    monkeypatch.undo()
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert several.processes == 2
    assert set(checked.read_text().split()) == {str(os.getpid())}  # once for each series of numbers, all here
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")


def test_the_templates_are_compiled_once_each_by_one_of_the_processes(report, tmp_path, monkeypatch):
    """Each process compiles its share of the pages' templates before it parses, and every process is given the code of
    all of them: no template is compiled twice."""
    import jinja2

    compiled, compile_template = tmp_path / "compiled", jinja2.Environment.compile

    def recorded(environment, source, name=None, *arguments, **options):
        with compiled.open("a") as record:
            record.write(f"{os.getpid()} {name}\n")
        return compile_template(environment, source, name, *arguments, **options)

    templates = tmp_path / "templates"  # a folder of their own: no earlier test compiled them
    shutil.copytree(ROOT / "templates", templates)
    monkeypatch.setattr(jinja2.Environment, "compile", recorded)
    several = build(Sources(content=report, templates=templates), tmp_path / "several", formats=("html",), workers=3)
    monkeypatch.undo()
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert several.processes == 3
    records = [line.split() for line in compiled.read_text().splitlines()]
    assert len({pid for pid, _ in records}) == 3 and str(os.getpid()) in {pid for pid, _ in records}
    assert len(records) == len({name for _, name in records}) and ["pages/part.html"] in [[name] for _, name in records]
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")


@pytest.mark.parametrize("broken", ["pages/part.html", "components/unused-partial.html"])
def test_a_template_that_does_not_compile_is_reported_as_in_one_process(report, tmp_path, broken):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / broken).write_text("{% if %}broken\n", encoding="utf-8")
    outcomes = []
    for workers in (1, 2):
        try:
            outcomes.append(build(Sources(content=report, templates=templates), tmp_path / f"site-{workers}",
                                  formats=("html",), workers=workers).processes and files_in(tmp_path / f"site-{workers}"))
        except BuildError as error:
            outcomes.append([str(problem) for problem in error.problems])
    assert outcomes[0] == outcomes[1]
    assert isinstance(outcomes[0], list) == (broken == "pages/part.html")


def test_a_small_report_is_built_in_one_process(report):
    assert build_files(Sources(content=report), ("html",)).processes == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_written_as_they_are_rendered_are_the_files_a_build_in_memory_makes(report, tmp_path, workers):
    """A build writes each page as soon as it is rendered (by the process that rendered it); the site is the same
    as the files built in memory, and its marker lists exactly them."""
    out = tmp_path / "public" / "site"
    written = build(Sources(content=report), out, formats=("html",), workers=workers)
    in_memory = build_files(Sources(content=report), ("html",), workers=workers)
    assert written.processes == in_memory.processes == workers
    assert read_manifest(out / SITE_MARKER) == set(in_memory.files)
    assert files_in(out) == {**in_memory.files, SITE_MARKER: manifest_text(SITE_MARKER, in_memory.files)}
    assert dict(written.files) == dict(in_memory.files)
    assert sorted(path.name for path in out.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_template_failing_after_pages_were_written_leaves_the_old_site_and_nothing_beside_it(report, tmp_path, workers):
    out = tmp_path / "public" / "site"
    build(Sources(content=report), out, formats=("html",), workers=workers)
    before = files_in(out)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    last = templates / "pages" / "not_found.html"  # rendered after the parts' pages
    last.write_text(last.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ no_such_name }}"),
                    encoding="utf-8")
    with pytest.raises(BuildError, match="no_such_name"):
        build(Sources(content=report, templates=templates), out, formats=("html",), workers=workers)
    assert files_in(out) == before
    assert sorted(path.name for path in out.parent.iterdir()) == ["site"]


def test_a_worker_that_fails_after_writing_its_pages_leaves_a_build_in_one_process_and_nothing_of_its_own(
        report, tmp_path, monkeypatch):
    """The worker writes its pages, then fails before the one-page edition: the build is made again in one process into
    the same new folder, whose marker lists exactly the site's files, and no file of the worker's."""
    from reportsite import workers

    main_process, editions = os.getpid(), workers.one_page_editions

    def failing_in_the_worker(*arguments, **keywords):
        if os.getpid() != main_process:
            raise RuntimeError("a worker's failure")
        return editions(*arguments, **keywords)

    monkeypatch.setattr(workers, "one_page_editions", failing_in_the_worker)
    out = tmp_path / "public" / "site"
    several = build(Sources(content=report), out, formats=("html",), workers=2)
    one = build_files(Sources(content=report), ("html",), workers=1)
    assert several.processes == 1
    assert files_in(out) == {**one.files, SITE_MARKER: manifest_text(SITE_MARKER, one.files)}
    assert sorted(path.name for path in out.parent.iterdir()) == ["site"]


def test_the_main_process_reads_no_part_again_to_quote_what_a_recommendation_cites(report, tmp_path, monkeypatch):
    """The recommendations (the main process's share) cite paragraphs that a worker parsed: the worker quotes them."""
    import os

    import reportsite.render

    main, read_again = os.getpid(), []
    parse_part = reportsite.render.parse_part

    def counted(source, *arguments, **options):
        if os.getpid() == main:
            read_again.append(source.file)
        return parse_part(source, *arguments, **options)

    monkeypatch.setattr(reportsite.render, "parse_part", counted)
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=2)
    assert several.processes == 2
    assert read_again == []
    recommendations = files_in(tmp_path / "several")["recommendations.html"].decode("utf-8")
    assert "Read paragraph 9 here" in recommendations and "Adoption is timely" in recommendations  # quoted from 05-adoption.md


def test_a_site_built_on_several_cores_is_kept_and_written_again_byte_for_byte(report, tmp_path):
    """Each process takes the digests of the pages it writes; the kept site made from them is whole and is used."""
    def cached(out: str):
        return build(Sources(content=report), tmp_path / out, formats=("html",), workers=2, cache_dir=tmp_path / "cache",
                     reuse_unchanged=True)

    first, second = cached("first"), cached("second")
    assert first.processes == 2 and second.site is None  # the second parsed and rendered nothing
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert files_in(tmp_path / "second") == files_in(tmp_path / "first") == files_in(tmp_path / "one")


@pytest.mark.parametrize("shares", [[[0, 1, 2, 3], [4, 5, 6]], [[0, 1, 2], [3], [4, 5, 6]]])
def test_a_page_whose_parts_different_processes_read_is_parsed_whole_by_one(report, tmp_path, monkeypatch, shares):
    """Each process reads a run of the files; 04-looked-after.md and 05-adoption.md, one page, are read by two processes
    here (the main process and a worker, or two workers): one of them parses both, and the site is the same."""
    from reportsite.workers import PartWorkers

    monkeypatch.setattr(PartWorkers, "_shares", lambda self, sizes, groups: shares)
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=len(shares))
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert several.processes == len(shares)
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")


def test_a_process_done_with_its_own_share_parses_pages_of_a_slower_one(report, tmp_path, monkeypatch):
    """Each process parses the pages of the files it read, then takes the last pages of the share that has most left:
    here the worker is held on its first page until the main process, done with its own, has taken the last page of the
    worker's share. (Events shared across the fork set the order, not the machine's speed.)"""
    import multiprocessing

    from reportsite import workers

    main_process, parse_part, parsed_here = os.getpid(), workers.parse_part, []
    worker_began, main_took_the_last = multiprocessing.Event(), multiprocessing.Event()

    def held_in_the_worker(source, *arguments, **options):
        name = Path(source.file).name
        if os.getpid() != main_process:
            if not worker_began.is_set():  # it has taken the first page of its share
                worker_began.set()
                main_took_the_last.wait(30)
            return parse_part(source, *arguments, **options)
        if not parsed_here:
            worker_began.wait(30)
        parsed_here.append(name)
        try:
            return parse_part(source, *arguments, **options)
        finally:
            if name == "07-leadership.md":
                main_took_the_last.set()

    monkeypatch.setattr(workers, "parse_part", held_in_the_worker)
    monkeypatch.setattr(workers.PartWorkers, "_shares", lambda self, sizes, groups: [[0, 1, 2], [3, 4, 5, 6]])
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=2)
    monkeypatch.undo()
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert several.processes == 2
    assert parsed_here[:4] == ["01-recommendations.md", "02-summary.md", "03-help.md", "07-leadership.md"]
    assert "04-looked-after.md" not in parsed_here and "05-adoption.md" not in parsed_here
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")


@pytest.mark.parametrize("files, processes", [(1, 1), (2, 2)])
def test_a_report_of_one_page_asked_to_build_on_several_cores_writes_what_one_process_writes(report, tmp_path, files, processes):
    """A part alone is read and parsed in one process; two parts of one page are read by two, parsed by one."""
    for path in (report / "parts").iterdir():
        path.unlink()
    (report / "parts" / "01-findings.md").write_text("---\ntitle: Findings\n---\n1. The LA knows its children.\n\n"
                                                     "2. Most plans are clear (paragraph 1).\n", encoding="utf-8")
    if files == 2:
        (report / "parts" / "02-more.md").write_text("---\ntitle: More findings\npage: findings\n---\n3. Visits are on time.\n",
                                                     encoding="utf-8")
    (report / "front-page.md").write_text("The LA was inspected (paragraph 2).\n", encoding="utf-8")
    several = build(Sources(content=report), tmp_path / "several", formats=("html",), workers=2)
    build(Sources(content=report), tmp_path / "one", formats=("html",), workers=1)
    assert several.processes == processes
    assert files_in(tmp_path / "several") == files_in(tmp_path / "one")
