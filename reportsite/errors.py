"""The one family of errors a build reports to an editor."""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong in the content or templates, located by file and line (0: the file as a whole)."""

    file: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"
        if self.fix:
            text += f" {self.fix}"
        return text


class BuildError(Exception):
    """Raised when a build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class ProblemFound(Exception):
    """Raised while reading one file, to stop reading it; the loader adds its problems to the rest."""

    def __init__(self, *problems: Problem):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)
        self.problem = problems[0]


def display_path(path: Path) -> str:
    """Name a file the way an editor will recognise it: relative to here where possible."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
    except (OSError, RuntimeError):  # a symbolic link that leads back to itself cannot be resolved
        absolute, here = os.path.abspath(path), os.getcwd()
        return os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else str(path)
