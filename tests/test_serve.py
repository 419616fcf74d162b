"""`python build.py serve`: pages follow each save, errors show in the page, and the server survives everything.

Each test serves a copy of the report on 127.0.0.1 (a free port) and listens as a browser
does, through the LiveReload protocol; it waits for the `reload` message, never for a set time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.sync.client import connect

from reportsite.build import Sources, build
from reportsite.serve import ReportServer

ROOT = Path(__file__).resolve().parent.parent
HELP = "parts/05-help-and-protection.md"
PROTOCOL = "http://livereload.com/protocols/official-7"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PAGES = ("html",)  # most tests are about the pages; test_downloads_are_made_in_the_background has the rest


@pytest.fixture
def sources(tmp_path) -> Sources:
    """A copy of the report, templates and stylesheets: the tests edit and break them."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return Sources(content=tmp_path / "content", templates=tmp_path / "templates", static=tmp_path / "static")


@pytest.fixture
def server(sources, tmp_path):
    lines: list[str] = []
    server = ReportServer(sources, tmp_path / "site", host="127.0.0.1", port=0, formats=PAGES, log=lines.append)
    server.lines = lines
    server.start()
    try:
        yield server
    finally:
        server.stop()


class LiveReloadClient:
    """What livereload.js does in the browser: the hello handshake, then waiting for `reload`."""

    def __init__(self, socket):
        self.socket = socket
        socket.send(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
        hello = json.loads(socket.recv(timeout=10))
        assert hello["command"] == "hello" and PROTOCOL in hello["protocols"]

    def wait_for_reload(self, timeout: float = 15) -> dict:
        message = json.loads(self.socket.recv(timeout=timeout))
        assert message["command"] == "reload"
        return message

    def assert_no_reload(self, within: float) -> None:
        with pytest.raises(TimeoutError):
            self.socket.recv(timeout=within)


@pytest.fixture
def browser(server):
    with connect(f"ws://127.0.0.1:{server.port}/livereload", proxy=None, open_timeout=10) as socket:
        yield LiveReloadClient(socket)


def fetch(server: ReportServer, path: str) -> tuple[int, str, str]:
    """(status, content type, text) of a page as the server serves it."""
    try:
        with NO_PROXY.open(f"http://127.0.0.1:{server.port}/{path}", timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode("utf-8")


def edit_paragraph(sources: Sources, number: int, new_text: str, name: str = HELP) -> None:
    path = sources.content / name
    text, count = re.subn(rf"^{number}\. .*$", f"{number}. {new_text}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1
    path.write_text(text, encoding="utf-8")


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_pages_are_served_with_the_reload_script_that_the_site_does_not_hold(server):
    status, kind, index = fetch(server, "")
    assert status == 200 and kind.startswith("text/html")
    assert "/livereload.js?port=" in index
    assert "livereload" not in (server.out_dir / "index.html").read_text(encoding="utf-8")
    assert fetch(server, "livereload.js")[0] == 200
    status, kind, css = fetch(server, "static/css/site.css")
    assert status == 200 and kind.startswith("text/css") and "livereload" not in css
    status, _, missing = fetch(server, "no-such-page.html")
    assert status == 404 and "Page not found" in missing


def test_a_saved_edit_is_served_once_the_reload_message_comes(server, browser, sources):
    edit_paragraph(sources, 20, "Children are seen alone by a named social worker at every visit.")
    message = browser.wait_for_reload()
    assert not message["path"].endswith(".css")
    assert "named social worker at every visit" in fetch(server, "help-and-protection.html")[2]
    assert server.idle.wait(15)
    assert "named social worker at every visit" in (server.out_dir / "help-and-protection.html").read_text(encoding="utf-8")


def test_a_one_page_edition_asked_for_on_reload_is_never_stale(server, browser, sources):
    for version in range(3):
        edit_paragraph(sources, 20, f"Version {version}, in every edition.")
        browser.wait_for_reload()
        status, _, page = fetch(server, "large-print.html")
        assert status == 200 and f"Version {version}, in every edition." in page


def test_an_invalid_edit_shows_the_error_in_every_page_and_a_fix_brings_the_site_back(server, browser, sources):
    on_disk = files_in(server.out_dir)
    edit_paragraph(sources, 20, "Children are seen <alone> (paragraph 9999).")
    browser.wait_for_reload()
    for path in ("", "help-and-protection.html", "glossary.html", "no-such-page.html"):
        status, kind, page = fetch(server, path)
        assert status == 500 and kind.startswith("text/html")
        assert "<h1 id=\"build-error-title\">The site could not be built</h1>" in page
        assert 'role="alert"' in page
        assert "05-help-and-protection.md, line " in page
        assert "cites paragraph 9999, which does not exist" in page
        assert "What to change: Cite a paragraph between 1 and" in page
        assert "/livereload.js?port=" in page  # so that the fix reloads it
    assert "<alone>" not in fetch(server, "")[2]
    assert fetch(server, "static/css/site.css")[0] == 200
    assert files_in(server.out_dir) == on_disk, "the last good site must stay in the output folder"
    assert any("9999" in line for line in server.lines), "the terminal names the problem too"

    edit_paragraph(sources, 20, "Children are seen alone, as they should be.")
    browser.wait_for_reload()
    status, _, page = fetch(server, "help-and-protection.html")
    assert status == 200 and "seen alone, as they should be" in page


def test_a_burst_of_saves_is_one_rebuild_and_the_last_save_wins(server, browser, sources):
    builds = server.builds
    for version in range(1, 6):
        edit_paragraph(sources, 20, f"Version {version} of this paragraph.")
        edit_paragraph(sources, 40, f"Version {version} of the other paragraph.", name="parts/06-children-looked-after.md")
    browser.wait_for_reload()
    browser.assert_no_reload(within=0.5)
    assert server.builds == builds + 1
    assert "Version 5 of this paragraph." in fetch(server, "help-and-protection.html")[2]
    assert "Version 5 of the other paragraph." in fetch(server, "children-looked-after.html")[2]


def test_a_save_during_a_rebuild_is_built_next(server, browser, sources):
    edit_paragraph(sources, 20, "First save.")
    browser.wait_for_reload()
    edit_paragraph(sources, 20, "Second save.")
    time.sleep(0.002)  # lands while the first rebuild may still be running; it must not be lost
    edit_paragraph(sources, 21, "Third save.")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page = fetch(server, "help-and-protection.html")[2]
        if "Second save." in page and "Third save." in page:
            break
        browser.wait_for_reload()
    assert "Second save." in page and "Third save." in page


def test_an_atomic_save_is_picked_up(server, browser, sources):
    path = sources.content / HELP
    text = path.read_text(encoding="utf-8")
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(re.sub(r"^20\. .*$", "20. Saved by writing a temporary file and renaming it.", text, flags=re.M),
                         encoding="utf-8")
    os.replace(temporary, path)
    browser.wait_for_reload()
    assert "renaming it" in fetch(server, "help-and-protection.html")[2]

    # As vim does by default: move the file aside as a backup, write it anew, delete the backup.
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)
    path.write_text(re.sub(r"^20\. .*$", "20. Saved as vim saves.", text, flags=re.M), encoding="utf-8")
    backup.unlink()
    browser.wait_for_reload()
    assert "Saved as vim saves." in fetch(server, "help-and-protection.html")[2]


def test_editor_swap_and_lock_files_start_no_rebuild(server, browser, sources):
    builds = server.builds
    parts = sources.content / "parts"
    for name in (".05-help-and-protection.md.swp", "4913", ".#05-help-and-protection.md", "05-help-and-protection.md~"):
        (parts / name).write_text("not the report", encoding="utf-8")
    browser.assert_no_reload(within=0.5)
    assert server.builds == builds


def test_a_deleted_file_is_reported_and_its_return_restores_the_site(server, browser, sources):
    report = sources.content / "report.yaml"
    text = report.read_bytes()
    report.unlink()
    browser.wait_for_reload()
    status, _, page = fetch(server, "")
    assert status == 500 and "report.yaml, line 1:" in page and "this file is missing" in page
    report.write_bytes(text)
    browser.wait_for_reload()
    assert fetch(server, "")[0] == 200

    part = sources.content / "parts" / "04-summary-for-children-and-young-people.md"
    text = part.read_bytes()
    part.unlink()
    browser.wait_for_reload()
    assert fetch(server, "summary-for-children-and-young-people.html")[0] == 404
    assert server.idle.wait(15)
    assert not (server.out_dir / "summary-for-children-and-young-people.html").exists()
    part.write_bytes(text)
    browser.wait_for_reload()
    assert fetch(server, "summary-for-children-and-young-people.html")[0] == 200


def test_a_broken_template_shows_the_error_and_its_fix_restores_the_site(server, browser, sources):
    footer = sources.templates / "components" / "footer.html"
    original = footer.read_text(encoding="utf-8")
    footer.write_text(original + "{% if %}\n", encoding="utf-8")
    browser.wait_for_reload()
    status, _, page = fetch(server, "glossary.html")
    assert status == 500 and "footer.html, line" in page and "template error" in page
    footer.write_text(original.replace("</footer>", "<!-- edited footer --></footer>"), encoding="utf-8")
    browser.wait_for_reload()
    status, _, page = fetch(server, "glossary.html")
    assert status == 200 and "<!-- edited footer -->" in page


def test_a_stylesheet_change_restyles_the_page_in_place(server, browser, sources):
    with (sources.static / "css" / "components.css").open("a", encoding="utf-8") as css:
        css.write("\n.rs-test-edit { color: inherit; }\n")
    message = browser.wait_for_reload()
    assert message["path"] == "static/css/site.css" and message["liveCSS"] is True
    assert ".rs-test-edit" in fetch(server, "static/css/site.css")[2]


def test_after_edits_the_output_folder_is_what_a_cold_build_writes(server, browser, sources, tmp_path):
    edit_paragraph(sources, 20, "Now citing another paragraph (paragraph 41).")
    browser.wait_for_reload()
    edit_paragraph(sources, 41, "Cited back (paragraph 20).", name="parts/06-children-looked-after.md")
    browser.wait_for_reload()
    assert server.idle.wait(15)
    build(sources, tmp_path / "cold", formats=PAGES)
    assert files_in(server.out_dir) == files_in(tmp_path / "cold")


def test_the_command_line_serves_on_127_0_0_1_and_stops_on_ctrl_c(sources, tmp_path):
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(sources.content), "--out", str(tmp_path / "site"),
         "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        with NO_PROXY.open(f"http://127.0.0.1:{match.group(1)}/", timeout=10) as response:
            assert response.status == 200
    finally:
        process.send_signal(2)  # Ctrl+C
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "Traceback" not in output


def test_downloads_are_made_in_the_background_and_follow_each_save(sources, tmp_path):
    server = ReportServer(sources, tmp_path / "site", host="127.0.0.1", port=0, formats=("html", "text"), log=[].append)
    server.start()
    download = "downloads/brent-ofsted-2015.txt"
    try:
        with connect(f"ws://127.0.0.1:{server.port}/livereload", proxy=None, open_timeout=10) as socket:
            browser = LiveReloadClient(socket)
            if download not in server.snapshot.files:  # the pages came first; the download follows
                browser.wait_for_reload(timeout=60)
            assert f'href="{download}"' in fetch(server, "index.html")[2]
            assert fetch(server, download)[0] == 200

            edit_paragraph(sources, 20, "A sentence that only the remade download holds.")
            message = browser.wait_for_reload()
            assert message["path"].endswith(".html")
            assert "only the remade download" in fetch(server, "help-and-protection.html")[2]
            assert "only the remade download" not in fetch(server, download)[2], "the page waited for the download"

            browser.wait_for_reload(timeout=60)
            assert "only the remade download" in fetch(server, download)[2]
            assert server.idle.wait(15)
            assert "only the remade download" in (server.out_dir / download).read_text(encoding="utf-8")
    finally:
        server.stop()
