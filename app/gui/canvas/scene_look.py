"""How a step and a connection look: the document's data, and the workspace's derived state.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene): the one place
that turns findings into badges and a simulation's flow into flow lines, edge widths and
the rates a scenario changed.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from app.gui.canvas.labels import edge_width, flow_text, percent
from app.gui.canvas.node_item import NodeItem
from app.gui.common.style import team_color
from models.document import Edge, Node

CACHED = QGraphicsItem.DeviceCoordinateCache


class SceneLook:
    """Labels, widths, flow lines and badges, written to the scene's items; and from when the
    steps keep a picture of themselves."""

    def painted(self) -> None:
        """A view has painted this page: from its next paint on, each step keeps a picture of
        itself at the view's zoom (DeviceCoordinateCache), so scrolling, hovering and selecting
        repaint a 2,000-step page in a quarter of the time. Not before: on the first paint a
        picture per step is made, painted into and drawn, about a fifth more than painting
        the steps, and the page shows that much later. (Dropping the pictures at each new
        zoom, to paint straight once more, measured no quicker.)"""
        if not self._steps_cached:
            self._steps_cached = True
            for item in self._nodes.values():
                item.setCacheMode(CACHED)

    def _team_color(self, team_id: str | None) -> QColor | None:
        """One QColor per team while a scene is built (rather than a list search and a new colour per step)."""
        if team_id not in self._colors:
            self._colors[team_id] = team_color(team_id, self.document.map.teams)
        return self._colors[team_id]

    def _refresh_node(self, item: NodeItem, node: Node) -> None:
        color = team_color(node.owner, self.document.map.teams)
        reshaped = node.kind != item.kind
        item.set_content(node.kind, node.label, color)
        if reshaped:  # a new outline: its edges now end on a diamond, an ellipse...
            item.adjust_edges()

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
