"""The analysis, live: re-run a moment after the map stops changing, off the UI thread when large."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal

from app.gui.common import worker
from models.derived import DerivedState
from models.editing import MapDocument
from models.signals import connect

DEBOUNCE_MS = 300
FIRST_DELAY_MS = 150
"""The session's first analysis waits this long after a map opens: its worker loads networkx
and scipy, holding the interpreter lock the window's first paint needs."""
BACKGROUND_ABOVE = 1000  # nodes; smaller maps analyse in well under a frame
CANVAS_WAIT_MS = 2000
"""The longest a map's analysis waits for its canvas (``wait_for_canvas``)..."""
AFTER_CANVAS_MS = 200
"""...and, for a map of more than BACKGROUND_ABOVE steps, how long after the canvas is built:
its first paints and its routes come next."""


class LiveAnalysis(QObject):
    """Writes the findings of the current map into the derived state.

    One analysis after a burst of edits (debounced); at once when a map opens. A result
    computed for a map that has changed since is dropped: a newer one is on its way.
    """

    finished = Signal(list)  # the findings just written
    failed = Signal(str)  # a plain sentence (an analysis bug must not take the editor down)

    def __init__(self, document: MapDocument, derived: DerivedState, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.derived = document, derived
        self._generation = 0
        self._jobs: set[int] = set()  # generations being analysed in a worker
        self._pending = False  # a map was opened and its analysis is about to start
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        # The window sets this: a map just opened is analysed once its canvas is built. A worker
        # analysing meanwhile holds the interpreter lock every step's paint and every slice of
        # the canvas needs: opening a 2,000-step map stalled the window 0.27-0.36 s, 0.11-0.13 s
        # without it.
        self.wait_for_canvas = False
        self._hold = QTimer(self, singleShot=True, interval=CANVAS_WAIT_MS)
        self._hold.timeout.connect(self.schedule)
        self._subscriptions = [
            (document.changed, self._on_changed),
            (document.reset, self._on_reset),
        ]
        for signal, slot in self._subscriptions:
            connect(signal, slot)

    def close(self) -> None:
        self.timer.stop()
        self._hold.stop()
        for signal, slot in self._subscriptions:
            signal.disconnect(slot)
        self._subscriptions = []

    @property
    def busy(self) -> bool:
        """An analysis is running in a worker."""
        return bool(self._jobs)

    @property
    def settled(self) -> bool:
        """The findings shown are the map's: nothing scheduled, nothing running, no edit waiting."""
        return not (self._pending or self._jobs or self.timer.isActive())

    def _on_reset(self) -> None:
        if self.wait_for_canvas:
            self._mark_pending()
            self._hold.start()  # until canvas_drawn(), or as long as that
        else:
            self.schedule()

    def canvas_drawn(self) -> None:
        """A canvas of the map has been built: an analysis held for it starts, a big map's a
        little later (its first paints and its routes follow the build)."""
        if not self._hold.isActive():
            return
        if len(self.document.map.nodes) > BACKGROUND_ABOVE:
            self._hold.start(AFTER_CANVAS_MS)
        else:
            self._hold.stop()
            self.schedule()

    def schedule(self) -> None:
        """Analyse as soon as the event loop turns: a map just opened shows first, its findings
        right after (the analysis and the libraries it loads never hold up the window)."""
        self._mark_pending()
        first = "models.analysis" not in sys.modules
        QTimer.singleShot(FIRST_DELAY_MS if first else 0, self, self.refresh)

    def _mark_pending(self) -> None:
        """The map to analyse is new: no debounced run, any running one stale."""
        self.timer.stop()
        self._generation += 1
        self._pending = True

    def _on_changed(self) -> None:
        self._generation += 1  # any analysis still running is now stale
        self.timer.start()  # restart the debounce

    def refresh(self) -> None:
        """Analyse now: inline for ordinary maps, in a worker for large ones (typing never waits)
        and for the session's first analysis, which loads networkx and scipy (about half a
        second of imports the window would otherwise freeze for just after it opens)."""
        self._pending = False
        if not self._subscriptions:
            return  # closed meanwhile
        self._generation += 1
        generation = self._generation
        loaded = "models.analysis" in sys.modules
        if loaded and len(self.document.map.nodes) <= BACKGROUND_ABOVE:
            from models.analysis import analyze

            self._show(generation, analyze(self.document.map))
            return
        doc = self.document.snapshot()  # later edits never reach it
        self._jobs.add(generation)
        worker.start(
            lambda progress, cancelled: _analyze(doc),
            lambda found: self._on_job_done(generation, *found),
            lambda error: self._on_job_failed(generation, error),
        )

    def _on_job_failed(self, generation: int, error: BaseException) -> None:
        self._jobs.discard(generation)
        self.failed.emit(
            f"The analysis failed ({type(error).__name__}: {error}); please report it."
        )

    def _on_job_done(self, generation: int, findings: list, badges: dict) -> None:
        self._jobs.discard(generation)
        self._show(generation, findings, badges)

    def _show(self, generation: int, findings: list, badges: dict | None = None) -> None:
        if generation != self._generation:
            return  # a newer edit is already being analysed
        self.derived.set_findings(findings, badges)
        self.finished.emit(findings)


def _analyze(doc) -> tuple[list, dict]:
    """In a worker: the analysis (imported there the first time) and the steps' badges, so
    the UI thread only shows them (on a 2,000-step map, 7,000 findings: badging them there
    was the longest piece of work after the map opened)."""
    from models.analysis import analyze
    from models.derived import badges_for

    findings = analyze(doc)
    return findings, badges_for(findings)
