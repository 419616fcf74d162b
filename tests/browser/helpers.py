"""Helpers shared by the browser / validation tests.

- build_site(out_dir)            run ``build.py --out DIR`` from the repo root
- html_pages(site_dir)           sorted relative paths of every *.html file
- serve_directory(dir)           context manager: quiet local HTTP server -> base URL
- run_axe(page, tags, rules)     run axe-core in a Playwright page -> violations
- format_violations(violations)  readable multi-line report of axe violations
- vnu_validate(files)            run vnu.jar once over many files -> messages by file
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence
from urllib.parse import unquote, urlparse

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "node_modules"
AXE_PATH = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BUILD_TIMEOUT = 600  # seconds


# --------------------------------------------------------------------------- build


class SiteBuildError(RuntimeError):
    pass


def build_site(out_dir: os.PathLike | str) -> Path:
    """Build the real site into *out_dir* with build.py; raise SiteBuildError on failure."""
    out = Path(out_dir)
    from tests.conftest import DOWNLOADS_CACHE
    cmd = [sys.executable, "build.py", "--out", str(out), "--cache", str(DOWNLOADS_CACHE)]
    if not (REPO_ROOT / "build.py").exists():
        raise SiteBuildError(f"{REPO_ROOT / 'build.py'} does not exist")
    try:
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        raise SiteBuildError(f"{' '.join(cmd)} timed out after {BUILD_TIMEOUT}s") from exc
    if proc.returncode != 0:
        raise SiteBuildError(
            f"{' '.join(cmd)} exited with {proc.returncode}\n"
            f"--- stderr ---\n{proc.stderr}\n--- stdout ---\n{proc.stdout}"
        )
    return out


def html_pages(site_dir: os.PathLike | str) -> list[str]:
    """All *.html files under *site_dir*, as sorted POSIX paths relative to it."""
    root = Path(site_dir)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if p.is_file())


# --------------------------------------------------------------------------- HTTP


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler: no request logging, 404.html for missing paths,
    404 (not a listing) for directories without index.html."""

    def log_message(self, format, *args):  # noqa: A002 - signature from base class
        pass

    def list_directory(self, path):
        self.send_error(404, "File not found")
        return None

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404, message)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve_directory(directory: os.PathLike | str) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1:<free port> in a background thread.

    Yields the base URL ``http://127.0.0.1:PORT/``; shuts the server down on exit.
    """
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- axe


@functools.lru_cache(maxsize=1)
def axe_source(path: os.PathLike | str = AXE_PATH) -> str:
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p} not found; run `make system-deps` (npm ci)")
    return p.read_text(encoding="utf-8")


def _inject_axe(page, source: str) -> None:
    if page.evaluate("typeof window.axe !== 'undefined'"):
        return
    try:
        page.add_script_tag(content=source)
    except Exception:  # e.g. a strict Content-Security-Policy blocks inline scripts
        pass
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Runtime.evaluate is not subject to the page's CSP.
        page.evaluate("() => { " + source + "\n}")


def run_axe(
    page,
    tags: Sequence[str] | None = None,
    rules: Mapping[str, bool | Mapping] | None = None,
    source: str | None = None,
    context: str | Mapping | None = None,
) -> list[dict]:
    """Run axe-core on the current document of *page*; return the violations.

    tags:   restrict to rules with these tags (axe ``runOnly`` by tag), e.g.
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]. None = all rules.
    rules:  per-rule overrides, {"color-contrast": False} or {"id": {"enabled": False}}.
    source: axe.min.js text (default: node_modules/axe-core/axe.min.js).
    context: axe context (selector or {include, exclude}); default the whole document.
    """
    _inject_axe(page, source if source is not None else axe_source())
    options: dict = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    if rules:
        options["rules"] = {
            rid: (cfg if isinstance(cfg, Mapping) else {"enabled": bool(cfg)})
            for rid, cfg in rules.items()
        }
    return page.evaluate(
        """async ([ctx, opts]) => {
            const results = await axe.run(ctx === null ? document : ctx, opts);
            return results.violations;
        }""",
        [context, options],
    )


def format_violations(violations: Iterable[Mapping]) -> str:
    """Readable report: rule id, impact, help, URL, and each node's target + HTML."""
    lines: list[str] = []
    for v in violations:
        lines.append(
            f"[{v.get('impact') or '?'}] {v.get('id')}: {v.get('help')} ({v.get('helpUrl', '')})"
        )
        for node in v.get("nodes", []):
            target = ", ".join(
                " ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", [])
            )
            html = " ".join((node.get("html") or "").split())
            if len(html) > 300:
                html = html[:297] + "..."
            lines.append(f"    - {target}: {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend("        " + s for s in summary.splitlines() if s.strip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- vnu


def _file_from_vnu_url(url: str) -> str | None:
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return os.path.normpath(unquote(parsed.path))


def vnu_validate(
    files: Sequence[os.PathLike | str],
    *,
    errors_only: bool = True,
    jar: os.PathLike | str = VNU_JAR,
    java: str | None = None,
    extra_args: Sequence[str] = (),
    batch_size: int = 400,
) -> dict[str, list[dict]]:
    """Validate *files* with the Nu HTML Checker, one java process per batch.

    Returns {str(file): [message, ...]} with an entry (possibly empty) for every
    file given; keys are the strings of the paths as passed in. Messages are vnu's
    JSON messages (keys: type, subType, message, extract, firstLine, lastLine, ...).
    Messages vnu could not attribute to a given file go under the key "".
    """
    java = java or shutil.which("java")
    if not java:
        raise FileNotFoundError("java not found; run `make system-deps`")
    if not Path(jar).is_file():
        raise FileNotFoundError(f"{jar} not found; run `make system-deps` (npm ci)")
    keys = {os.path.normpath(os.path.abspath(f)): str(f) for f in files}
    grouped: dict[str, list[dict]] = {str(f): [] for f in files}
    paths = list(keys)
    for i in range(0, len(paths), batch_size):
        batch = paths[i : i + batch_size]
        cmd = [java, "-jar", str(jar), "--format", "json", "--stdout"]
        if errors_only:
            cmd.append("--errors-only")
        cmd += [*extra_args, *batch]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        try:
            data = json.loads(proc.stdout or "{}")
        except json.JSONDecodeError as exc:
            raise RuntimeError(
                f"vnu output is not JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            ) from exc
        for msg in data.get("messages", []):
            path = _file_from_vnu_url(msg.get("url", ""))
            key = keys.get(path, "") if path else ""
            grouped.setdefault(key, []).append(msg)
    return grouped


def format_vnu_messages(messages: Iterable[Mapping]) -> str:
    lines = []
    for m in messages:
        where = f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}"
        lines.append(f"  {m.get('type')} {where}: {m.get('message')}")
        if m.get("extract"):
            lines.append("      " + " ".join(m["extract"].split()))
    return "\n".join(lines)


vnu = vnu_validate  # short alias
