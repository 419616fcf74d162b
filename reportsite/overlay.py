"""`build.py --static DIR`: a folder of static files laid over static/, each taking the place of the file of
the same path there (css/base.css, js/search.js), and any other added. Only ordinary files inside DIR are
published: DIR is checked before anything of it is read."""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError, Problem, display_path
from .write import SCRIPTS, STYLESHEETS, without_comments, without_script_comments


def overlay_files(folder: Path) -> dict[str, Path]:
    """Every file of `folder` (but hidden ones) by its path within it. The folder must exist, and may not
    lead outside itself: a symbolic link to a file elsewhere, or anything but an ordinary file, is a problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError([Problem(display_path(folder), 1, "the folder given to --static does not exist.",
                                  "Give --static a folder of files to lay over static/, such as css/base.css.")])
    root = folder.resolve()
    paths: dict[str, Path] = {}
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        if path.resolve().is_relative_to(root) and path.resolve().is_file():
            paths[path.relative_to(folder).as_posix()] = path
        else:
            problems.append(Problem(display_path(path), 1, "this is not an ordinary file inside the folder given to "
                                    "--static, so it cannot be published.", "Copy the file itself into the folder."))
    if problems:
        raise BuildError(problems)
    return paths


def lay_over(static: dict[str, bytes], static_dir: Path, folder: Path) -> dict[str, bytes]:
    """The static files of the site (`collect_static(static_dir)`) with `folder`'s laid over them. The
    bundled site.css and site.js are made again from the stylesheets and scripts as laid over."""
    paths = overlay_files(folder)
    files = dict(static)
    for relative, path in paths.items():
        if not ((relative.startswith("css/") and path.name in STYLESHEETS) or (relative.startswith("js/") and path.name in SCRIPTS)):
            data = path.read_bytes()
            served = {".css": without_comments, ".js": without_script_comments}.get(path.suffix)
            files[f"static/{relative}"] = served(data) if served else data
    if any(f"css/{name}" in paths for name in STYLESHEETS):
        bundle = [paths.get(f"css/{name}") or Path(static_dir) / "css" / name for name in STYLESHEETS]
        files["static/css/site.css"] = b"".join(without_comments(path.read_bytes()) for path in bundle if path.exists())
    if any(f"js/{name}" in paths for name in SCRIPTS):
        scripts = [paths.get(f"js/{name}") or Path(static_dir) / "js" / name for name in SCRIPTS]
        files["static/js/site.js"] = b"".join(without_script_comments(path.read_bytes()) for path in scripts if path.exists())
    return files
