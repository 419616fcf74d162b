"""Fixtures for tests that check the built site in Chromium / with vnu.

Fixtures:
  built_site   (session)  Path of the real site, built once with `build.py --out DIR`
  site_server  (session)  base URL "http://127.0.0.1:PORT/" serving built_site
  browser      (session)  Playwright Chromium (/usr/bin/chromium, headless)
  page         (function) fresh context (1280x800) + page
  axe_source   (session)  text of node_modules/axe-core/axe.min.js
  open_page    (function) open_page(path, width, height, **context options) -> page showing it
  vnu_results  (session)  the Nu Html Checker's errors for every page, from one java run
  expansions   (session)  abbreviation -> expansion, from content/abbreviations.yaml
  page_path    (param)    a test that takes `page_path` is parametrized at collection
                          time over every *.html file of the built site (relative
                          path, also the test id), e.g. test_axe[posts/foo/index.html]

The closing note (pytest_terminal_summary) lists the pages checked and each check's counts.

The site is built at most once per session, into a temp dir removed at session end
(or taken from $REPORTSITE_SITE_DIR if set, to reuse a site built beforehand). It is
built at collection time only if some collected test takes `page_path`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser import helpers


class _SiteCache:
    dir: Path | None = None
    error: str | None = None
    built: bool = False
    tmp_root: str | None = None

    @classmethod
    def get(cls) -> Path:
        """Build the site once; raise SiteBuildError (again) if that failed."""
        if not cls.built:
            cls.built = True
            preset = os.environ.get("REPORTSITE_SITE_DIR")
            try:
                if preset:
                    cls.dir = Path(preset).resolve()
                    if not cls.dir.is_dir():
                        raise helpers.SiteBuildError(f"REPORTSITE_SITE_DIR={preset} is not a directory")
                else:
                    cls.tmp_root = tempfile.mkdtemp(prefix="reportsite-test-")
                    cls.dir = helpers.build_site(Path(cls.tmp_root) / "site")
            except helpers.SiteBuildError as exc:
                cls.error = str(exc)
        if cls.error:
            raise helpers.SiteBuildError(cls.error)
        assert cls.dir is not None
        return cls.dir

    @classmethod
    def cleanup(cls) -> None:
        if cls.tmp_root:
            shutil.rmtree(cls.tmp_root, ignore_errors=True)
            cls.tmp_root = None


_BUILD_FAILED_ID = "site-build-failed"


def pytest_generate_tests(metafunc):
    if "page_path" not in metafunc.fixturenames:
        return
    try:
        pages = helpers.html_pages(_SiteCache.get())
    except helpers.SiteBuildError:
        # One failing test that reports the build error (see the page_path fixture)
        # instead of a collection error.
        metafunc.parametrize("page_path", [_BUILD_FAILED_ID], indirect=True, ids=[_BUILD_FAILED_ID])
        return
    if not pages:
        pages = ["no-html-pages-built"]
    metafunc.parametrize("page_path", pages, indirect=True, ids=pages)


def pytest_sessionfinish(session, exitstatus):
    _SiteCache.cleanup()


@pytest.fixture
def page_path(request) -> str:
    """Relative path (POSIX) of one HTML file of the built site."""
    if request.param == _BUILD_FAILED_ID:
        _fail_build()
    if request.param == "no-html-pages-built":
        pytest.fail(f"the built site at {_SiteCache.dir} contains no *.html files", pytrace=False)
    return request.param


def _fail_build():
    error = None
    try:
        _SiteCache.get()
    except helpers.SiteBuildError as exc:
        error = str(exc)
    if error is not None:  # outside the except block: no chained tracebacks
        pytest.fail(f"building the site failed:\n{error}", pytrace=False)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Directory of the real site, built once per session."""
    _fail_build()
    return _SiteCache.get()


@pytest.fixture(scope="session")
def site_server(built_site):
    """Base URL (with trailing slash) of a local HTTP server serving built_site."""
    with helpers.serve_directory(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    if not Path(helpers.CHROMIUM).exists():
        pytest.fail(f"{helpers.CHROMIUM} not found; run `make system-deps`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=helpers.CHROMIUM, headless=True, args=helpers.CHROMIUM_ARGS
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    try:
        return helpers.axe_source()
    except FileNotFoundError as exc:
        pytest.fail(str(exc), pytrace=False)


# --------------------------------------------------------------------------- the checks of every page


@pytest.fixture(scope="session")
def expansions() -> dict[str, str]:
    """Each abbreviation the report uses and its expansion, from content/abbreviations.yaml."""
    import yaml

    entries = yaml.safe_load((helpers.REPO_ROOT / "content" / "abbreviations.yaml").read_text(encoding="utf-8"))
    return {entry["abbreviation"]: entry["expansion"] for entry in entries}


@pytest.fixture(scope="session")
def vnu_results(built_site) -> dict[str, list[dict]]:
    """The Nu Html Checker's errors for every page, from one java run: {relative path: [message, ...]}."""
    pages = helpers.html_pages(built_site)
    try:
        found = helpers.vnu_validate([built_site / page for page in pages])
    except (FileNotFoundError, RuntimeError) as exc:
        pytest.fail(str(exc), pytrace=False)
    return {page: found[str(built_site / page)] for page in pages} | {"": found.get("", [])}


@pytest.fixture
def open_page(browser, site_server):
    """open_page(path, width=1280, height=800, **context options) -> a Playwright page showing `path`.

    Every request the page makes is recorded in `page.requests`."""
    contexts = []

    def _open(path: str, width: int = 1280, height: int = 800, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda request: pg.requests.append(request.url))
        response = pg.goto(site_server + path)
        assert response is not None and response.status in (200, 404), f"{path}: HTTP {response and response.status}"
        return pg

    yield _open
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    """The closing note: the pages checked, and how many times each check ran and passed."""
    checks: dict[str, dict[str, int]] = {}
    pages: set[str] = set()
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if "tests/browser/test_pages.py::" not in nodeid or getattr(report, "when", "call") not in ("call", "setup"):
                continue
            if report.when == "setup" and outcome == "passed":
                continue
            name, _, page = nodeid.split("::", 1)[1].partition("[")
            pages.add(page.rstrip("]"))
            checks.setdefault(name, {}).setdefault(outcome, 0)
            checks[name][outcome] += 1
    if not checks:
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser checks of every page")
    write(f"{len(pages)} pages: {', '.join(sorted(pages))}")
    total = {}
    for name in sorted(checks):
        counts = checks[name]
        for outcome, count in counts.items():
            total[outcome] = total.get(outcome, 0) + count
        write(f"  {name}: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())))
    write(f"{len(checks)} checks x {len(pages)} pages: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(total.items())))
