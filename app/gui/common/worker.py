"""Work off the UI thread: one small helper behind analysis, simulation, export and layout.

``start(work, on_done, on_failed)`` runs ``work(progress, cancelled)`` in Qt's
thread pool and calls back on the UI thread. The job object is kept alive
until it reports; ``job.cancel()`` sets the flag ``cancelled()`` reads. An
exception becomes a call to ``on_failed`` (never a crash of a worker thread).

Python's cycle collector is paused while a job runs (counted pauses, ``models.gcpause``): a
collection runs in the thread whose allocation triggers it, and one triggered by a worker
would destroy the UI's unreachable Qt objects from that thread, which crashes Qt (seen as a
rare segfault while a worker imported the simulation and Properties rebuilt its fields).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from models.gcpause import paused_gc

_running: set[Job] = set()


class Job(QRunnable):
    class Signals(QObject):
        progress = Signal(int, int)
        done = Signal(object)
        failed = Signal(object)  # the exception

    def __init__(
        self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps it until it has reported
        self.work = work
        self.cancel_requested = False
        self.signals = Job.Signals()

    def cancel(self) -> None:
        self.cancel_requested = True

    def run(self) -> None:
        try:
            with paused_gc():  # no collection of the UI's Qt objects from this thread
                result = self.work(self.signals.progress.emit, lambda: self.cancel_requested)
        except Exception as error:  # noqa: BLE001 - reported to the UI, which says it plainly
            self._report(self.signals.failed, error)
        else:
            self._report(self.signals.done, result)

    @staticmethod
    def _report(signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the application is quitting and took the job's signals with it
            pass


def start(
    work,
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    job = Job(work)
    _running.add(job)

    def finish(callback, value) -> None:
        _running.discard(job)
        if callback is not None:
            callback(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda error: finish(on_failed, error))
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(job)
    return job
