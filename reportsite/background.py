"""Make the downloads in the background while serve runs, so that a page never waits for them.

A large print PDF takes seconds to lay out; a page reload takes milliseconds. So serve builds
the pages at once and asks a `DownloadMaker` for the downloads. It makes them in a separate
process (at a lower priority, and with its own interpreter lock, so it does not slow the
rebuilds), one job at a time: a request made during a job runs once that job ends, from the
sources as they are then. Each job goes through the same `build_downloads`, with the same cache,
as `build.py` does, so formats whose input did not change are not made again.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from .build import Sources, build_downloads
from .errors import BuildError
from .formats import FormatsResult

STOP_CHECK_S = 0.2  # how often a job's messages are waited for, between looks at whether serve is stopping


def make_downloads(sources: Sources, formats: tuple[str, ...], cache_dir: Path, connection: Connection) -> None:
    """The job, in its own process: send back the FormatsResult, or what went wrong."""
    try:
        os.nice(5)
    except OSError:
        pass
    try:
        result = build_downloads(sources, formats, cache_dir, progress=lambda message: connection.send(("progress", message)))
        connection.send(("done", result))
    except BuildError:  # the content is being edited; the pages show the problem, and the next save asks again
        connection.send(("invalid", None))
    except BaseException as error:  # noqa: BLE001 - whatever it is, the server must hear of it
        connection.send(("failed", "".join(traceback.format_exception(error)).rstrip()))
    finally:
        connection.close()


class DownloadMaker:
    """One background job at a time; `request()` asks for another, `stop()` ends the current one."""

    def __init__(self, sources: Sources, formats: tuple[str, ...], cache_dir: Path,
                 on_done: Callable[[FormatsResult], None], log: Callable[[str], None]):
        self.sources, self.formats, self.cache_dir = sources, formats, Path(cache_dir)
        self.on_done, self.log = on_done, log
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._thread = threading.Thread(target=self._run, name="serve-downloads", daemon=True)
        self._context = multiprocessing.get_context("spawn")  # never fork a process that runs threads

    def start(self) -> None:
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stop.set()
        self._wanted.set()
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stop.is_set():
                return
            self._wanted.clear()
            outcome = self._one_job()
            if self._stop.is_set():
                return
            if outcome is not None:
                try:
                    self.on_done(outcome)
                except Exception as error:  # noqa: BLE001 - keep making downloads after a failed publish
                    self.log("".join(traceback.format_exception(error)).rstrip())

    def _one_job(self) -> FormatsResult | None:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=make_downloads, name="reportsite-downloads",
                                        args=(self.sources, self.formats, self.cache_dir, sender), daemon=True)
        self._process = process
        process.start()
        sender.close()
        outcome: FormatsResult | None = None
        try:
            while True:
                try:
                    while not receiver.poll(STOP_CHECK_S):
                        if self._stop.is_set():  # stopped while the job was starting, or between its messages
                            process.terminate()
                    kind, value = receiver.recv()
                except (EOFError, OSError):
                    if not self._stop.is_set():
                        self.log("The downloads could not be made: their process ended early. Save again to retry.")
                    break
                if kind == "progress":
                    self.log(f"  {value}")
                    continue
                if kind == "done":
                    outcome = value
                elif kind == "failed":
                    self.log(f"The downloads could not be made:\n{value}")
                break
        finally:
            receiver.close()
            process.join(timeout=10)
            self._process = None
        return outcome
