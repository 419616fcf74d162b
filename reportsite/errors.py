"""The one family of errors a build reports to an editor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong in the content or templates, located by file and line."""

    file: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        if self.fix:
            text += f" {self.fix}"
        return text


class BuildError(Exception):
    """Raised when a build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def display_path(path: Path) -> str:
    """Name a file the way an editor will recognise it: relative to here where possible."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
