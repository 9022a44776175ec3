"""The worker behind analysis, simulation, export and layout: results and errors come back on
the UI thread, and no cycle collection runs in a worker thread while a job runs (one would
destroy the UI's unreachable Qt objects from that thread, which crashes Qt)."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QThreadPool

from app.gui.common import worker


def test_a_job_runs_off_the_ui_thread_with_the_collector_paused_and_reports_on_it(qtbot):
    QThreadPool.globalInstance().waitForDone()  # no job of an earlier test still running
    assert gc.isenabled()
    seen = {}

    def work(progress, cancelled):
        seen["ui thread"] = threading.current_thread() is threading.main_thread()
        seen["collector on"] = gc.isenabled()
        return 42

    results = []
    worker.start(work, lambda value: results.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(results))
    assert seen == {"ui thread": False, "collector on": False}
    assert results == [(42, threading.main_thread())]  # the callback runs on the UI thread
    QThreadPool.globalInstance().waitForDone()
    assert gc.isenabled()  # back on once no job runs


def test_a_failing_job_reports_its_error_and_gives_the_collector_back(qtbot):
    errors = []

    def work(progress, cancelled):
        raise ValueError("bad map")

    worker.start(work, lambda value: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad map"
    QThreadPool.globalInstance().waitForDone()
    assert gc.isenabled()
