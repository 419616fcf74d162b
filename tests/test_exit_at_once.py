"""build.py ends without Python's teardown, yet as a normal exit would: its status, everything it printed, what runs at exit."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_status_what_was_printed_and_what_runs_at_exit_are_kept():
    result = run("import atexit, sys, build; atexit.register(print, 'at exit'); print('printed', end=' '); "
                 "print('to stderr', end='', file=sys.stderr); build.exit_at_once(3)")
    assert (result.returncode, result.stdout, result.stderr) == (3, "printed at exit\n", "to stderr")


def test_a_thread_still_running_is_waited_for_as_by_a_normal_exit():
    result = run("import threading, time, build; "
                 "threading.Thread(target=lambda: (time.sleep(0.3), print('the thread ended'))).start(); build.exit_at_once(0)")
    assert (result.returncode, result.stdout) == (0, "the thread ended\n")


def test_the_command_line_prints_what_it_built_into_a_pipe(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--formats", "html", "--out", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Built \d+ pages into {re.escape(str(tmp_path / 'site'))} in [\d.]+ s\.\n", result.stdout), result.stdout
