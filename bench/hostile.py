#!/usr/bin/env python3
"""How long `build.py check` takes, and how much memory it holds, on the worst content it is given.

    .venv/bin/python bench/hostile.py            # 3 runs of each; --runs N for more

Each case is the small test report with one file replaced: a part of Markdown at the size limit
written in the patterns that cost markdown-it most per character, YAML made to multiply or nest,
and files that are not files. Prints the median wall time of whole `build.py check` processes,
their peak memory (resident set), and whether the check passed or named a problem. The size limit
(reportsite.textfile.MAX_FILE_BYTES) is what bounds the first group; the others are refused before
they cost anything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportsite.textfile import MAX_FILE_BYTES  # noqa: E402

SMALL_REPORT = ROOT / "tests" / "fixtures" / "small-report"
FRONT_MATTER = "---\ntitle: Inspection findings\norder: 3\nslug: findings\njudgement: Good\n---\n"
PROSE = "3. Early help is timely.\n\n4. Plans use the SoS approach.\n\n5. Plans are clear (paragraph 3).\n\n"


def part_of(pattern: str) -> Callable[[Path], None]:
    """A findings part filled up to the size limit with `pattern`, its paragraphs kept."""
    def write(content: Path) -> None:
        room = MAX_FILE_BYTES - len((FRONT_MATTER + PROSE).encode()) - 2
        filler = (pattern * (room // len(pattern.encode()) + 1)).encode()[:room].decode("utf-8", "ignore")
        (content / "parts" / "03-findings.md").write_text(FRONT_MATTER + PROSE + filler + "\n", encoding="utf-8")
    return write


def yaml_of(text: str) -> Callable[[Path], None]:
    def write(content: Path) -> None:
        with (content / "area.yaml").open("a", encoding="utf-8") as file:
            file.write(text)
    return write


def special(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def write(content: Path) -> None:
        make(content / "parts" / "04-extra.md")
    return write


BILLION_LAUGHS = "\n".join(['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]" for previous, name in zip("abcdefgh", "bcdefghi")]) + "\n"

CASES: dict[str, Callable[[Path], None]] = {
    "part of ordinary paragraphs, 1 MB": part_of("Early help is timely and the CAF is used well (paragraph 3).\n\n"),
    "part of '![' (unclosed images), 1 MB": part_of("!["),
    "part of '[' (unclosed links), 1 MB": part_of("["),
    "part of '[a](' (unclosed link targets), 1 MB": part_of("[a]("),
    "part of '*a ' (unmatched emphasis), 1 MB": part_of("*a "),
    "part of '[^a' (unclosed footnotes), 1 MB": part_of("[^a"),
    "part of one table row of '|a', 1 MB": part_of("|a"),
    "part of list items nested at random, 1 MB": part_of("".join(" " * (i % 24) + "- a\n" for i in range(97))),
    "part of '> ' (quotations), 1 MB": part_of("> "),
    "YAML alias bomb (billion laughs)": yaml_of(BILLION_LAUGHS),
    "YAML nested 100,000 deep": yaml_of("x: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "named pipe as a part": special(lambda path: os.mkfifo(path)),
    "/dev/zero as a part": special(lambda path: path.symlink_to("/dev/zero")),
    "part larger than the limit (sparse, 1 GB)": special(lambda path: sparse_file(path, 1 << 30)),
}


def run_check(content: Path) -> tuple[float, int, str]:
    """(seconds, peak resident memory in MB, the first line printed) of one `build.py check` process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own peak memory, not the largest of all children
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    lines = output.strip().splitlines()
    return seconds, round(usage.ru_maxrss / 1024), lines[0] if lines else ""


def sparse_file(path: Path, size: int) -> None:
    with path.open("wb") as file:
        file.truncate(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    arguments = parser.parse_args()
    runs = arguments.runs
    print(f"Size limit: {MAX_FILE_BYTES:,} bytes. Median of {runs} runs of `build.py check`.")
    print(f"{'case':46} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, write in CASES.items():
        if arguments.only not in name:
            continue
        folder = Path(tempfile.mkdtemp(prefix="hostile-"))
        try:
            content = folder / "content"
            shutil.copytree(SMALL_REPORT, content)
            write(content)
            results = [run_check(content) for _ in range(runs)]
        finally:
            shutil.rmtree(folder)
        seconds = statistics.median(result[0] for result in results)
        outcome = results[-1][2]
        outcome = "passed" if outcome.startswith("The content is valid") else outcome.split(": ", 1)[-1][:60]
        print(f"{name:46} {seconds:8.2f} {max(result[1] for result in results):8}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
