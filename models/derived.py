"""What is derived from the map and shown beside it: the findings, their badges, the simulation.

One :class:`DerivedState` per open map, Qt-free, with psygnal signals like the document's.
The editor's workspace writes it (the live analysis, a finished simulation, the "show flow"
switch); the canvas and the panels only read it and follow its signals. So every picture
of a step has one writer: the scene paints a step's badge and flow from here and its label
from the document, never from another widget.

>>> from models.editing import MapDocument
>>> from models.findings import Finding
>>> state = DerivedState(MapDocument())
>>> state.set_findings([Finding("dead-end", "warning", "no next step", "p", ("a",)),
...                     Finding("unowned", "error", "nobody owns it", "p", ("a",))])
>>> state.badges["a"]
Badge(severity='error', count=2, messages=('nobody owns it', 'no next step'))
"""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import Signal

from .editing import MapDocument
from .findings import SEVERITY_RANK, Finding
from .gcpause import paused_gc
from .signals import connect
from .simulation.overlay import FlowOverlay, ProcessFlow
from .simulation.session import Outcome
from .versions.marks import ChangeMark, Ghost, GhostEdge

__all__ = ["Badge", "DerivedState", "badges_for"]


@dataclass(frozen=True)
class Badge:
    """The findings on one step: the worst severity, how many, and what they say (worst first)."""

    severity: str
    count: int
    messages: tuple[str, ...]


def badges_for(findings: list[Finding]) -> dict[str, Badge]:
    """Each step named by a finding, with the badge its findings give it."""
    by_node: dict[str, list[Finding]] = {}
    for finding in findings:
        for node_id in finding.nodes:
            by_node.setdefault(node_id, []).append(finding)
    badges = {}
    for node_id, found in by_node.items():
        found.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 9))
        badges[node_id] = Badge(found[0].severity, len(found), tuple(f.message for f in found))
    return badges


class DerivedState:
    """The findings and the simulation of one map, for every view of it."""

    findings_changed = Signal()
    """New findings (and badges) are in."""
    outcome_changed = Signal()
    """A simulation finished, or its result was dropped (a new map)."""
    overlay_changed = Signal()
    """The flow drawn on the diagram changed: shown, hidden or replaced."""
    stale_changed = Signal(bool)
    """The map changed since the last simulation (True), or a new one arrived (False)."""
    changes_changed = Signal()
    """What the canvas marks as changed since another version (File ▸ Compare with…)."""

    def __init__(self, document: MapDocument) -> None:
        self.document = document
        self.findings: list[Finding] = []
        self.badges: dict[str, Badge] = {}
        self.outcome: Outcome | None = None
        self.stale = False
        self.overlay_shown = False
        self.change_marks: dict[tuple[str, str], ChangeMark] = {}  # (collection, id) -> mark
        self.ghosts: list[Ghost] = []  # steps removed since the other version
        self.ghost_edges: list[GhostEdge] = []  # connections removed since the other version
        connect(document.changed, self._on_changed)
        connect(document.reset, self._on_reset)

    def close(self) -> None:
        """Stop following the document."""
        self.document.changed.disconnect(self._on_changed)
        self.document.reset.disconnect(self._on_reset)

    # --- findings ----------------------------------------------------------------------------

    def set_findings(self, findings: list[Finding], badges: dict[str, Badge] | None = None) -> None:
        """New findings, with their badges when the caller made them already (a worker does,
        off the UI thread). The collector is paused meanwhile: thousands of findings and badges
        made or shown at once, and a collection would walk the whole map for none of them."""
        with paused_gc():
            self.findings = list(findings)
            self.badges = badges if badges is not None else badges_for(self.findings)
            self.findings_changed.emit()

    # --- simulation ----------------------------------------------------------------------------

    def set_outcome(self, outcome: Outcome | None) -> None:
        """A finished simulation (None: none yet); the flow on the diagram follows it when shown."""
        self.outcome = outcome
        if self.stale:
            self.stale = False
            self.stale_changed.emit(False)
        self.outcome_changed.emit()
        if self.overlay_shown:
            self.overlay_changed.emit()

    def show_overlay(self, shown: bool) -> None:
        """Draw the last simulation's flow on the diagram, or take it away."""
        if shown != self.overlay_shown:
            self.overlay_shown = shown
            self.overlay_changed.emit()

    @property
    def overlay(self) -> FlowOverlay | None:
        """The flow drawn on the diagram now, if any."""
        return self.outcome.overlay if (self.overlay_shown and self.outcome) else None

    def process_flow(self, process_id: str) -> ProcessFlow | None:
        overlay = self.overlay
        return overlay.for_process(process_id) if overlay else None

    # --- another version --------------------------------------------------------------------

    def set_changes(
        self,
        marks: dict[tuple[str, str], ChangeMark],
        ghosts: list[Ghost],
        ghost_edges: list[GhostEdge] | None = None,
    ) -> None:
        """The steps and connections added or changed since another version, and the steps and
        connections removed since (empty: nothing compared)."""
        ghost_edges = list(ghost_edges or [])
        if (marks, ghosts, ghost_edges) != (self.change_marks, self.ghosts, self.ghost_edges):
            self.change_marks, self.ghosts = dict(marks), list(ghosts)
            self.ghost_edges = ghost_edges
            self.changes_changed.emit()

    # --- following the document ------------------------------------------------------------------

    def _on_changed(self) -> None:
        if self.outcome is not None and not self.stale:
            self.stale = True
            self.stale_changed.emit(True)

    def _on_reset(self) -> None:
        """Another map: nothing derived from the old one stays, the flow switch included."""
        self.findings, self.badges = [], {}
        self.stale = False
        self.outcome = None
        self.findings_changed.emit()
        self.outcome_changed.emit()
        if self.overlay_shown:
            self.overlay_shown = False
            self.overlay_changed.emit()
