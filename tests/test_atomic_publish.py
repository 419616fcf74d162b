"""A build killed at any instant leaves the whole old site or the whole new one, and the next build cleans up.

A build is killed (SIGKILL) at every step of writing and putting the new site in place: before and
after each file operation of the write, in a child process. After each kill the output folder must
be exactly the old site or exactly the new one, and the next build must succeed and leave nothing
beside it. Then real `build.py` processes are killed at random moments, and interrupted by Ctrl+C.
"""

from __future__ import annotations

import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportsite import write
from reportsite.folders import SITE_MARKER, manifest_text
from tests.conftest import ROOT

OLD = {"index.html": b"old home", "part-a.html": b"old a", "part-b.html": b"same b", "static/css/site.css": b"old css",
       "static/js/x.js": b"same js", "gone/only-old.html": b"old only"}
NEW = {"index.html": b"new home", "part-a.html": b"new a", "part-b.html": b"same b", "static/css/site.css": b"new css",
       "static/js/x.js": b"same js", "added/deep/only-new.html": b"new only"}


def site_files(folder: Path) -> dict[str, bytes] | None:
    if not folder.exists():
        return None
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def as_written(files: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, SITE_MARKER: manifest_text(SITE_MARKER, files)}


def write_killed_at(step: int, out: Path, exchange_available: bool = True) -> int:
    """Write NEW over OLD in a child process killed at `step` of the write; returns how many steps there were."""
    counter = out.parent / "steps"
    child = os.fork()
    if child == 0:  # the build, killed at `step`
        steps = 0

        def counted(function):
            def step_then(*arguments, **keywords):
                nonlocal steps
                for _ in (0, 1):  # before the operation, then after it
                    steps += 1
                    if steps == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                    if _ == 0:
                        result = function(*arguments, **keywords)
                return result
            return step_then

        for module, name in [(os, "link"), (os, "rename"), (os, "unlink"), (os, "rmdir"), (os, "chmod"), (shutil, "rmtree"),
                             (pathlib.Path, "write_bytes"), (pathlib.Path, "mkdir"), (pathlib.Path, "unlink"),
                             (pathlib.Path, "rmdir"), (write.tempfile, "mkdtemp")]:
            setattr(module, name, counted(getattr(module, name)))
        exchange_names = write.renameat2()
        write.renameat2 = lambda: counted(exchange_names) if exchange_available else None
        try:
            write.write_site(NEW, out, previous=OLD)
            counter.write_text(str(steps))
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    return int(counter.read_text()) if counter.exists() else 0


@pytest.mark.parametrize("exchange_available", [True, False], ids=["renameat2", "two renames"])
def test_a_build_killed_at_any_step_leaves_a_whole_site_and_the_next_build_cleans_up(tmp_path, exchange_available):
    out = tmp_path / "site"
    write.write_site(OLD, out)
    total = write_killed_at(10**9, out, exchange_available)
    assert site_files(out) == as_written(NEW) and total > 40
    seen = set()
    for step in range(1, total + 1):
        shutil.rmtree(out)
        for leftover in tmp_path.glob(".site-*"):
            shutil.rmtree(leftover)
        write.write_site(OLD, out)
        write_killed_at(step, out, exchange_available)
        found = site_files(out)
        if found == as_written(OLD):
            seen.add("old")
        elif found == as_written(NEW):
            seen.add("new")
        else:  # without an atomic exchange, the one instant between the two renames has no site
            assert found is None and not exchange_available, f"killed at step {step} of {total}: a mixed site {sorted(found or {})}"
            seen.add("absent")
        write.write_site(NEW, out)  # the next build
        assert site_files(out) == as_written(NEW)
        assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "steps"], f"left behind after step {step}"
    assert {"old", "new"} <= seen


def build_command(content: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--formats", "html"]


def test_build_processes_killed_at_random_moments_leave_a_whole_site(small_report, tmp_path):
    old_site = tmp_path / "old-site"
    subprocess.run(build_command(small_report, old_site), check=True, capture_output=True, timeout=120)
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text(encoding="utf-8").replace("Plans are clear.", "Plans are clear, and kept."), encoding="utf-8")
    started = time.monotonic()
    subprocess.run(build_command(small_report, tmp_path / "new-site"), check=True, capture_output=True, timeout=120)
    duration = time.monotonic() - started
    old, new = site_files(old_site), site_files(tmp_path / "new-site")
    out = tmp_path / "public" / "site"
    moment = random.Random(10)
    for attempt in range(8):
        shutil.rmtree(out.parent, ignore_errors=True)
        shutil.copytree(old_site, out)
        process = subprocess.Popen(build_command(small_report, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment.uniform(0.5, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert site_files(out) in (old, new), f"attempt {attempt}: the site is neither the old nor the new one"
        result = subprocess.run(build_command(small_report, out), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert site_files(out) == new
        # the site, and the cache the build keeps beside it (the last site built, sitecache.py)
        assert sorted(os.listdir(out.parent)) == [".site-cache", "site"], "a killed build left something behind"


def test_ctrl_c_ends_a_build_with_one_line_and_the_site_as_it_was(small_report, tmp_path):
    out = tmp_path / "site"
    subprocess.run(build_command(small_report, out), check=True, capture_output=True, timeout=120)
    before = site_files(out)
    part = small_report / "parts" / "03-findings.md"
    part.write_text(part.read_text(encoding="utf-8").replace("Plans are clear.", "Plans are clearer."), encoding="utf-8")
    command = build_command(small_report, out)[:-1] + ["html,text,epub,pdf"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:  # the slow step has begun
        if line.startswith("Making the"):
            break
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130
    assert errors.strip().splitlines() == ["build.py: stopped by Ctrl+C before the build finished; the site was not changed."]
    assert site_files(out) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".site-")) in ([], [".site-cache"])
