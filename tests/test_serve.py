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
import threading
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

    def wait_for_reload(self, timeout: float = 60) -> dict:
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
    assert server.idle.wait(60)
    assert "named social worker at every visit" in (server.out_dir / "help-and-protection.html").read_text(encoding="utf-8")


def test_a_one_page_edition_asked_for_on_reload_is_never_stale(server, browser, sources):
    for version in range(3):
        edit_paragraph(sources, 20, f"Version {version}, in every edition.")
        browser.wait_for_reload()
        status, _, page = fetch(server, "large-print.html")
        assert status == 200 and f"Version {version}, in every edition." in page


def test_a_page_that_an_edit_changes_elsewhere_asked_for_on_reload_is_never_stale(server, browser, sources):
    """The reload comes once the edited part's page is ready; a page whose links back quote the edit is rendered
    after it, and a request for it waits for it."""
    for version in range(3):
        edit_paragraph(sources, 20, f"Version {version} of the words that cite (paragraph 41).")
        browser.wait_for_reload()
        status, _, page = fetch(server, "children-looked-after.html")
        assert status == 200 and f"Version {version} of the words" in page


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
    """Saves that come while a rebuild runs are built together by the next one, however long they take
    (the rebuilds are held while the test saves, so a busy machine cannot split the burst)."""
    builds = server.builds
    with server.rebuilds_held():
        for version in range(1, 6):
            edit_paragraph(sources, 20, f"Version {version} of this paragraph.")
            edit_paragraph(sources, 40, f"Version {version} of the other paragraph.", name="parts/06-children-looked-after.md")
        wait_until_the_watcher_has_seen(server, sources.content / HELP, sources.content / "parts/06-children-looked-after.md")
    browser.wait_for_reload()
    assert server.idle.wait(60)
    assert server.builds == builds + 1
    assert "Version 5 of this paragraph." in fetch(server, "help-and-protection.html")[2]
    assert "Version 5 of the other paragraph." in fetch(server, "children-looked-after.html")[2]


def wait_until_the_watcher_has_seen(server: ReportServer, *paths: Path, timeout: float = 30) -> None:
    """Until every file in `paths` is among the changes waiting to be built, and the watcher has then found
    no other change for a while (so it has read every event of those saves)."""
    deadline = time.monotonic() + timeout
    while not {str(path) for path in paths} <= server.pending_changes():
        assert time.monotonic() < deadline, f"the watcher did not see {paths}"
        time.sleep(0.01)
    quiet = server.quiet_rounds
    while server.quiet_rounds == quiet:
        assert time.monotonic() < deadline, "the watcher never went quiet"
        time.sleep(0.01)


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
    assert server.idle.wait(60)
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
    assert server.idle.wait(60)
    build(sources, tmp_path / "cold", formats=PAGES)
    assert files_in(server.out_dir) == files_in(tmp_path / "cold")


def test_each_kind_of_save_leaves_what_a_cold_build_writes_reading_only_the_parts_saved_where_it_can(
        server, browser, sources, tmp_path):
    """serve tells its session what the watcher saw change: a save of parts' text loads those parts alone, anything
    more the whole report; either way the output folder is, byte for byte, what a cold build writes."""
    looked_after = "parts/06-children-looked-after.md"

    def after_the_reload(loaded_alone, reloads=True):
        if reloads:
            browser.wait_for_reload()
        else:  # the same site, from a file of another name: built, but nothing to reload
            deadline = time.monotonic() + 60
            while server.builds == builds and time.monotonic() < deadline:
                time.sleep(0.01)
        assert server.idle.wait(60)
        edited = server.session.edited
        assert (None if edited is None else sorted(Path(part.source).name for part in edited.values())) == loaded_alone
        cold = tmp_path / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        build(sources, cold, formats=PAGES)
        assert files_in(server.out_dir) == files_in(cold)

    edit_paragraph(sources, 20, "A paragraph's words edited.")
    after_the_reload(["05-help-and-protection.md"])
    edit_paragraph(sources, 20, "Now citing another part (paragraphs 41 to 43).")
    after_the_reload(["05-help-and-protection.md"])
    with server.rebuilds_held():  # two parts in one burst
        edit_paragraph(sources, 21, "Edited in a burst.")
        edit_paragraph(sources, 41, "Edited in the same burst (paragraph 21).", name=looked_after)
        wait_until_the_watcher_has_seen(server, sources.content / HELP, sources.content / looked_after)
    after_the_reload(["05-help-and-protection.md", "06-children-looked-after.md"])
    part = sources.content / looked_after
    part.write_text(re.sub(r"^title: .*$", "title: Retitled", part.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")
    after_the_reload(None)
    summary = sources.content / "parts" / "04-summary-for-children-and-young-people.md"
    builds = server.builds
    summary.rename(summary.with_name("04-summary-for-young-people.md"))  # its slug is in its front matter
    after_the_reload(None, reloads=False)
    report = sources.content / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("site_name: '", "site_name: 'Edited ", 1), encoding="utf-8")
    after_the_reload(None)
    footer = sources.templates / "components" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", "<!-- edited --></footer>"), encoding="utf-8")
    after_the_reload([])


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
            assert server.idle.wait(60)
            assert "only the remade download" in (server.out_dir / download).read_text(encoding="utf-8")
    finally:
        server.stop()


def request(server: ReportServer, path: str, host: str) -> tuple[int, str]:
    """(status, text) of a request addressed to `host` (its Host header), as a browser sends it."""
    opened = urllib.request.Request(f"http://127.0.0.1:{server.port}/{path}", headers={"Host": host})
    try:
        with NO_PROXY.open(opened, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_requests_addressed_to_this_computer_are_answered(server, host):
    for path in ("", "livereload.js"):
        assert request(server, path, f"{host}:{server.port}")[0] == 200
    assert request(server, "", host)[0] == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:80", "localhost.attacker.example", "127.0.0.1.nip.io"])
def test_requests_addressed_to_another_name_are_refused_against_dns_rebinding(server, host):
    for path in ("", "help-and-protection.html", "livereload.js", "static/css/site.css"):
        status, text = request(server, path, host)
        assert status == 403 and "Children" not in text
        assert f"open http://127.0.0.1:{server.port}/" in text
    handshake = urllib.request.Request(f"http://127.0.0.1:{server.port}/livereload", headers={
        "Host": host, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    with pytest.raises(urllib.error.HTTPError, match="403"):
        NO_PROXY.open(handshake, timeout=10)


def test_the_host_given_is_answered_too(sources, tmp_path):
    server = ReportServer(sources, tmp_path / "site", host="localhost", port=0, formats=PAGES, log=[].append)
    server.start()
    try:
        assert request(server, "", f"localhost:{server.port}")[0] == 200
        assert request(server, "", "attacker.example")[0] == 403
    finally:
        server.stop()
    assert server.accepts_host("127.0.0.1") and not server.accepts_host("192.168.1.10")
    everywhere = ReportServer(sources, tmp_path / "site", host="0.0.0.0", port=0, formats=PAGES, log=[].append)
    assert everywhere.accepts_host("192.168.1.10") and everywhere.accepts_host("[fe80::1]")
    assert not everywhere.accepts_host("attacker.example")


def test_an_exception_in_a_rebuild_shows_the_error_page_and_the_next_save_rebuilds(server, browser, sources, monkeypatch):
    import reportsite.serve
    real_build, failures = reportsite.serve.build, []

    def failing_once(*arguments, **keywords):
        if not failures:
            failures.append(1)
            raise RuntimeError("something went wrong inside the build")
        return real_build(*arguments, **keywords)

    monkeypatch.setattr(reportsite.serve, "build", failing_once)
    edit_paragraph(sources, 20, "A save whose build fails.")
    browser.wait_for_reload()
    status, _, page = fetch(server, "help-and-protection.html")
    assert status == 500 and "the build failed unexpectedly: RuntimeError: something went wrong inside the build" in page
    edit_paragraph(sources, 20, "The save after it is built.")
    browser.wait_for_reload()
    status, _, page = fetch(server, "help-and-protection.html")
    assert status == 200 and "The save after it is built." in page


def test_a_rebuild_that_never_ends_is_given_up_and_the_next_save_is_built(sources, tmp_path, monkeypatch):
    import reportsite.serve
    real_build, stuck = reportsite.serve.build, threading.Event()

    def hanging_on_a_word(*arguments, **keywords):
        if "Hangs." in (sources.content / HELP).read_text(encoding="utf-8"):
            stuck.wait(60)  # as a read of a named pipe with no writer would
        return real_build(*arguments, **keywords)

    monkeypatch.setattr(reportsite.serve, "build", hanging_on_a_word)
    lines: list[str] = []
    server = ReportServer(sources, tmp_path / "site", host="127.0.0.1", port=0, formats=PAGES, log=lines.append, hung_after=1)
    server.start()
    try:
        with connect(f"ws://127.0.0.1:{server.port}/livereload", proxy=None, open_timeout=10) as socket:
            browser = LiveReloadClient(socket)
            edit_paragraph(sources, 20, "Hangs.")
            browser.wait_for_reload()
            status, _, page = fetch(server, "help-and-protection.html")
            assert status == 500 and "the build has waited 1 s for something that does not answer" in page
            assert "a named pipe" in page
            edit_paragraph(sources, 20, "Built by the new builder.")
            browser.wait_for_reload()
            assert "Built by the new builder." in fetch(server, "help-and-protection.html")[2]
            assert server.idle.wait(60)
            stuck.set()  # the hung build ends late: what it made is thrown away
            given_up = next(thread for thread in server._threads if thread.name == "serve-build-0")
            given_up.join(30)
            assert not given_up.is_alive()
            assert "Built by the new builder." in fetch(server, "help-and-protection.html")[2]
            assert "Built by the new builder." in (server.out_dir / "help-and-protection.html").read_text(encoding="utf-8")
    finally:
        stuck.set()
        server.stop()


def test_a_named_pipe_as_a_part_is_an_error_within_seconds_and_its_removal_restores_the_site(sources, tmp_path):
    server = ReportServer(sources, tmp_path / "site", host="127.0.0.1", port=0, formats=PAGES, log=[].append, hung_after=3)
    server.start()
    pipe = sources.content / "parts" / "07-pipe.md"
    try:
        with connect(f"ws://127.0.0.1:{server.port}/livereload", proxy=None, open_timeout=10) as socket:
            browser = LiveReloadClient(socket)
            os.mkfifo(pipe)
            browser.wait_for_reload(timeout=30)
            status, _, page = fetch(server, "help-and-protection.html")
            assert status == 500 and ("07-pipe.md" in page or "for something that does not answer" in page)
            pipe.unlink()
            deadline = time.monotonic() + 30
            while fetch(server, "help-and-protection.html")[0] != 200:
                assert time.monotonic() < deadline, "the site did not come back"
                browser.wait_for_reload(timeout=30)
    finally:
        if pipe.exists():
            with open(os.open(pipe, os.O_RDWR | os.O_NONBLOCK), "wb"):  # lets any reader of the pipe go on
                pass
        server.stop()


def test_an_editor_s_lock_file_is_not_part_of_the_report(server, browser, sources, tmp_path):
    builds = server.builds
    (sources.content / "parts" / ".#05-help-and-protection.md").symlink_to("editor@host.12345:1700000000")  # as Emacs makes it
    browser.assert_no_reload(within=0.5)
    assert server.builds == builds
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(sources.content),
                             "--out", str(tmp_path / "cold"), "--formats", "html"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_a_file_put_into_the_site_while_serving_is_kept_and_named(server, browser, sources):
    assert server.idle.wait(60)
    (server.out_dir / "my-notes.txt").write_text("mine", encoding="utf-8")
    edit_paragraph(sources, 20, "A save after the notes were put in the site.")
    browser.wait_for_reload()
    status, _, page = fetch(server, "help-and-protection.html")
    assert status == 500 and "this site holds files that the build did not write (my-notes.txt)" in page
    assert (server.out_dir / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    (server.out_dir / "my-notes.txt").unlink()
    edit_paragraph(sources, 20, "Built again.")
    browser.wait_for_reload()
    assert "Built again." in fetch(server, "help-and-protection.html")[2]


def test_the_site_serve_writes_is_one_a_build_may_replace(server, browser, sources, tmp_path):
    edit_paragraph(sources, 20, "Edited while serving.")
    browser.wait_for_reload()
    assert server.idle.wait(60)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(sources.content),
                             "--out", str(server.out_dir), "--formats", "html"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_serve_refuses_an_output_folder_of_someone_s_files_with_one_line(sources, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(sources.content),
                             "--out", str(folder), "--port", "0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [line for line in result.stderr.strip().splitlines() if "letter.txt" in line]
    assert (folder / "letter.txt").read_text(encoding="utf-8") == "mine" and os.listdir(folder) == ["letter.txt"]
