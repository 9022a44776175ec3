"""Connections to other processes on a process's own diagram: one labelled stub per connection.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene). Only ``addresses``
and ``message`` edges cross processes (models/connect.py); each shows under the step on this
diagram as "→ CFO: Reviews ROI" (this step serves one there) or "← Funnel: Payback model" (one
there serves this step); a message as "✉→ CFO: Reviews ROI" (this step sends it one there) or
"✉← ..." (it receives one from there), its stub outlined as a message is drawn. A click asks
the window to show the other end.
"""

from __future__ import annotations

from app.gui.canvas.stub_item import StubItem
from models.document import Edge
from models.units import shortened


class SceneStubs:
    """Stubs for edges with one end on this diagram."""

    def _add_stub(self, edge: Edge) -> None:
        here_id = edge.source if edge.source in self._nodes else edge.target
        other_id = edge.target if here_id == edge.source else edge.source
        doc = self.document
        if edge.id in self._stubs or not doc.has("nodes", other_id):
            return
        here = self._nodes[here_id]
        text, tooltip = self._stub_text(edge, other_id)
        stub = StubItem(here, edge.id, text, tooltip, message=edge.kind == "message")
        self._stubs[edge.id] = stub
        self._place_stubs(here)

    def _stub_text(self, edge: Edge, other_id: str) -> tuple[str, str]:
        doc = self.document
        other = doc.get("nodes", other_id)
        process = (
            doc.get("processes", other.process) if doc.has("processes", other.process) else None
        )
        role = process.role if process is not None else None
        where = doc.get("roles", role).name if role and doc.has("roles", role) else None
        where = where or (process.name if process is not None else other.process)
        arrow = "→" if other_id == edge.target else "←"
        label = other.label or other.id
        verb = "serves" if arrow == "→" else "is served by"
        if edge.kind == "message":
            verb = "sends a message to" if arrow == "→" else "receives a message from"
            arrow = "✉" + arrow
            if edge.label:
                verb = f"{verb} ({edge.label})"
        tooltip = f"{verb} '{label}' in {where} (click to go there)"
        return f"{arrow} {shortened(where, 18)}: {shortened(label, 26)}", tooltip

    def _place_stubs(self, node_item) -> None:
        stubs = sorted(
            (s for s in self._stubs.values() if s.parentItem() is node_item),
            key=lambda s: s.edge_id,
        )
        for index, stub in enumerate(stubs):
            stub.place(index)

    def _remove_stub(self, edge_id: str) -> None:
        stub = self._stubs.pop(edge_id, None)
        if stub is not None:
            parent = stub.parentItem()
            self.removeItem(stub)
            if parent is not None:
                self._place_stubs(parent)

    def _refresh_stubs(self) -> None:
        """Labels and processes were renamed: say the new names."""
        for edge_id in list(self._stubs):
            if not self.document.has("edges", edge_id):
                continue
            edge = self.document.get("edges", edge_id)
            self._remove_stub(edge_id)
            self._add_stub(edge)

    def stub_ids(self) -> list[str]:
        """The edges shown as stubs here, by id."""
        return list(self._stubs)

    def stub_for_edge(self, edge_id: str) -> StubItem | None:
        return self._stubs.get(edge_id)

    def stub_activated(self, edge_id: str) -> None:
        """A stub was clicked: show its other end."""
        if not self.document.has("edges", edge_id):
            return
        edge = self.document.get("edges", edge_id)
        other = edge.target if edge.source in self._nodes else edge.source
        if self.document.has("nodes", other):
            self.reveal_requested.emit(self.document.get("nodes", other).process, other)
