"""Selection on the canvas: steps are selected by Qt, connections by the edge layer; one API for both.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from app.gui.canvas.edge_layer import EdgeLine
from app.gui.canvas.node_item import NodeItem
from app.gui.common.style import GRID


class SceneSelection:
    """Which steps and connections are selected, and what is under a point."""

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edge_ids(self) -> list[str]:
        return [line.edge_id for line in self.edge_layer.selected()]

    def select_nodes(self, node_ids, edge_ids=()) -> None:
        self.clearSelection()
        for node_id in node_ids:
            if node_id in self._nodes:
                self._nodes[node_id].setSelected(True)
        self.select_edges([self._edges[e] for e in edge_ids if e in self._edges], add=True)

    def select_edges(self, lines, add: bool = False) -> None:
        """Edges are selected in the edge layer, not by Qt; ``selectionChanged`` is emitted all the same."""
        changed = False
        if not add:
            for line in self.edge_layer.selected():
                self.edge_layer.set_selected(line, False)
                changed = True
        for line in lines:
            changed |= not line.selected
            self.edge_layer.set_selected(line, True)
        if changed:
            self.selectionChanged.emit()

    def select_all(self) -> None:
        """Every step and every connection of the process (Edit ▸ Select all)."""
        self.select_nodes(list(self._nodes), list(self._edges))

    def toggle_edge(self, line: EdgeLine) -> None:
        self.edge_layer.set_selected(line, not line.selected)
        self.selectionChanged.emit()

    def clearSelection(self) -> None:  # noqa: N802 - Qt API, extended to the edge layer
        self.select_edges([])
        super().clearSelection()

    def edge_at(self, point: QPointF, view_scale: float = 1.0) -> EdgeLine | None:
        """The edge under a point: within 5 screen pixels (never less than 5 scene units) of its stroke."""
        return self.edge_layer.edge_at(point, max(5.0, 5.0 / max(view_scale, 1e-6)))

    def snapped(self, point: QPointF) -> tuple[float, float]:
        if not self.snap:
            return (point.x(), point.y())
        return (round(point.x() / GRID) * GRID, round(point.y() / GRID) * GRID)

    def node_at(self, point: QPointF) -> NodeItem | None:
        """The step under a scene point, if any."""
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item
        return None
