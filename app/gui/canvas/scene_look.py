"""How a step and a connection look: the document's data, and the workspace's derived state.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene): the one place
that turns findings into badges and a simulation's flow into flow lines, edge widths and
the rates a scenario changed.
"""

from __future__ import annotations

from app.gui.canvas.labels import edge_width, flow_text, percent
from models.document import Edge


class SceneLook:
    """Labels, widths, flow lines and badges, written to the scene's items."""

    def _repaint_views(self) -> None:
        for view in self.views():
            view.viewport().update()

    def conversion_shown(self, edge: Edge) -> float | None:
        """The rate an edge is labelled with: the scenario's while its flow is drawn, else the map's."""
        flow = self._flow
        if flow is not None and edge.id in flow.conversions:
            return flow.conversions[edge.id]
        return edge.conversion

    def _edge_text(self, edge: Edge) -> str:
        if edge.kind == "message":
            return edge.label  # a message carries no leads: its name, never a rate
        return "" if edge.kind == "addresses" else percent(self.conversion_shown(edge))

    def _edge_width(self, edge_id: str) -> float:
        flow = self._flow
        if flow is None:
            return edge_width(None, 1.0)
        return edge_width(flow.edges.get(edge_id), self._busiest)

    def _flow_look(self, node_id: str) -> tuple[str, bool]:
        flow = self._flow
        if flow is None:
            return "", False
        step = flow.nodes.get(node_id)
        return (flow_text(step.arrivals, step.dropoff) if step else ""), node_id == flow.bottleneck

    def _on_findings_changed(self) -> None:
        badges = self.derived.badges
        for node_id, item in self._nodes.items():
            item.set_badge(badges.get(node_id))

    def flow_caption(self) -> str:
        """What the canvas says while a simulation's flow is drawn on it ("" when none is)."""
        overlay = self.derived.overlay
        if overlay is None or self._flow is None:
            return ""
        period = self.derived.outcome.period if self.derived.outcome else "period"
        stale = " (the map changed since: run again)" if self.derived.stale else ""
        return f"Expected flow per {period}: {overlay.title}{stale}"

    def _on_overlay_changed(self) -> None:
        self._flow = self._flow_shown()
        self.caption_changed.emit(self.flow_caption())
        self._busiest = self._flow.busiest_edge() if self._flow else 1.0
        for node_id, item in self._nodes.items():
            item.set_flow(*self._flow_look(node_id))
        doc = self.document
        for edge_id, line in list(self._edges.items()):
            edge = doc.get("edges", edge_id)
            line.set_content(edge.kind, self._edge_text(edge), self._edge_width(edge_id))
