"""The benchmark's inputs and its memory reading: what bench/run.py compares must be the same work."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pytest

from bench.hugo import make_hugo_site
from bench.make_large_report import make_report
from bench.run import measure
from reportsite.build import Sources, check
from tests.conftest import ROOT


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_generated_report_is_valid_content_of_the_size_asked(tmp_path):
    make_report(1_234, tmp_path / "report")
    site = check(Sources(content=tmp_path / "report")).site
    assert [paragraph.label for paragraph in site.paragraphs.values()] == [str(n) for n in range(1, 1_235)]
    assert len(site.citations) > 100


def test_a_generated_report_is_the_same_every_time(tmp_path):
    make_report(1_234, tmp_path / "one")
    make_report(1_234, tmp_path / "two")
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")


def test_hugos_copy_is_the_same_every_time(tmp_path):
    make_hugo_site(ROOT / "content", tmp_path / "one")
    make_hugo_site(ROOT / "content", tmp_path / "two")
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")


def hugo_text_as_written(markdown: str) -> str:
    """Hugo's copy of a part with what the benchmark added taken out again."""
    markdown = re.sub(r"^\{#paragraph-\d+ \.paragraph\}\n", "", markdown, flags=re.M)
    markdown = re.sub(r"^\[(\d+)\.\]\(#paragraph-\1\) ", r"\1. ", markdown, flags=re.M)
    return re.sub(r"\[(\d+)\]\((?:[a-z0-9-]+\.html)?#paragraph-\1\)", r"\1", markdown)


@pytest.mark.parametrize("report", ["the report", "a generated report"])
def test_hugos_copy_has_the_words_anchors_and_citation_links_of_every_part(report, tmp_path):
    content = ROOT / "content"
    if report == "a generated report":
        content = tmp_path / "report"
        make_report(2_000, content)
    site = check(Sources(content=content)).site
    files = make_hugo_site(content, tmp_path / "hugo")
    assert sorted(files) == sorted(part.slug for part in site.report.parts)
    for path in sorted((content / "parts").glob("*.md")):
        written = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        slug = next(part.slug for part in site.report.parts if Path(part.source).name == path.name)
        assert hugo_text_as_written(files[slug].read_text(encoding="utf-8").split("---\n", 2)[2]) == written
    for part in site.report.parts:
        hugo = files[part.slug].read_text(encoding="utf-8")
        numbers = [paragraph.label for paragraph in site.paragraphs.values() if paragraph.part is part]
        assert re.findall(r"^\{#paragraph-(\d+) \.paragraph\}$", hugo, flags=re.M) == numbers
        links = re.findall(r"\[(\d+)\]\(([a-z0-9-]*)(?:\.html)?#paragraph-(\d+)\)", hugo)
        cited = [citation.target for citation in site.citations if citation.part is part and citation.written]
        assert [f"paragraph-{target}" for target, _, _ in links] == cited
        for target, page, anchor in links:
            assert target == anchor
            assert (page or part.slug) == site.paragraphs[f"paragraph-{target}"].part.slug


def test_the_memory_of_a_build_counts_every_process_it_starts():
    # A parent and its worker each hold 150 MB at the same time: the build's peak is both together.
    worker = "import time; b = b'x' * (150 << 20); time.sleep(1.5)"
    parent = (f"import subprocess, sys, time; w = subprocess.Popen([sys.executable, '-c', {worker!r}]); "
              "b = b'x' * (150 << 20); w.wait()")
    run = measure([sys.executable, "-c", parent])
    assert run.memory_mb > 290
    assert run.seconds >= 1.5


def test_the_table_leaves_out_what_was_not_run():
    # `--huge-runs 0`: the 100,000-paragraph figures are absent, and said to be so, not a crash.
    from bench.run import table

    runs = [{"seconds": 1.0, "cpu_seconds": 1.5, "memory_mb": 100.0}]
    figures = {name: {"ours": runs, "hugo": runs} for name in ("report", "large")} | {"huge": {"ours": [], "hugo": []}}
    rows = table(figures, argparse.Namespace(paragraphs=25_000, huge_paragraphs=100_000), hugo="hugo")
    huge = [row for row in rows if "/ the" in row[0]]
    assert huge and huge[0][-1] == "not measured"
    assert [row[-1] for row in rows if row[0].startswith("Cold build of the report")] == ["met"]


def test_the_timeline_follows_each_process_of_a_cold_build(tmp_path, capsys):
    # The report's cold build in one process forks the process that compiles its templates: the timeline sees it
    # start and end, the main process render after the fork and end last, and the bound it prints is no more than
    # the wall time (everything after the fork shared out evenly cannot take longer than it did).
    from bench.profile_build import print_timeline, timeline

    runs = timeline(ROOT / "content", 1, tmp_path)
    marks = runs[0]
    fork = next(mark for mark in marks if mark["what"] == "fork")
    forked = next(mark for mark in marks if mark["what"] == "start")
    ends = {mark["pid"]: mark for mark in marks if mark["what"] == "end"}
    main = next(pid for pid in ends if pid != forked["pid"])
    render = next(mark for mark in marks if mark["what"] == "render")
    assert forked["pid"] in ends and render["pid"] == main
    assert fork["ms"] < render["ms"] < ends[main]["ms"]
    assert ends[forked["pid"]]["cpu_ms"] > 0 and ends[main]["cpu_ms"] > fork["cpu_ms"]
    assert not list(tmp_path.glob("timeline-site-*"))  # each run's site removed
    print_timeline(runs)
    printed = capsys.readouterr().out
    bound = float(re.search(r"shared evenly over \d+ cores\s+([\d.]+) ms", printed).group(1))
    assert 0 < bound <= ends[main]["ms"]
