"""The process that routes connections for every scene (:mod:`models.route_server`).

Routing a big map is seconds of Python; in a worker thread it would hold the interpreter lock
the window needs to paint, and on a busy machine the window would wait for the thread to be
scheduled again. So a worker thread only sends the work to a process of its own and waits for
the answer, without the lock. One process serves every scene, one request at a time; it starts
with the first routing (after the window is shown: it is no part of starting up) and ends with
the window. When it cannot start (or dies), the worker
thread routes by itself, as before.
"""

from __future__ import annotations

import atexit
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import models
from models.route_server import answer, request
from models.route_types import Link, Routing, Step
from models.routing import route

_ROOT = Path(models.__file__).resolve().parent.parent  # where ``models`` is importable from


class RoutingProcess:
    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one request at a time
        self._answered = False  # the process running has answered at least once
        self.failed = False  # the process could not start or died unused: route in the thread

    def start(self) -> None:
        """Start the process now (it takes a moment to import), unless it runs or is busy."""
        if self._lock.acquire(blocking=False):
            try:
                self._running()
            finally:
                self._lock.release()

    def route(self, steps: list[Step], links: list[Link], cancelled) -> Routing | None:
        """The routing of ``steps`` and ``links``, made by the process (None: cancelled while
        waiting for its turn)."""
        with self._lock:
            if cancelled():
                return None
            process = self._running()
            if process is not None:
                try:
                    assert process.stdin is not None and process.stdout is not None
                    request(process.stdin, steps, links)
                    made = answer(process.stdout)
                except (OSError, EOFError, pickle.UnpicklingError):
                    self.failed = not self._answered  # it cannot start: do without it
                    self._stop()  # it died: started again next time
                else:
                    self._answered = True
                    if isinstance(made, Exception):
                        raise made
                    return made
        return route(steps, links, cancelled=cancelled)

    def _running(self) -> subprocess.Popen | None:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()  # one that ended: its pipes closed
        if self.failed:
            return None
        path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "models.route_server"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
                cwd=_ROOT,
            )
        except OSError:
            self.failed = True
            return None
        self._answered = False
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass  # broken already

    def close(self) -> None:
        """End the process: nothing it might be routing is needed any more."""
        self._stop()


ROUTER = RoutingProcess()
atexit.register(ROUTER.close)
