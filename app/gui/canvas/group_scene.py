"""The buying group on one canvas: every process as a lane, columns in the map's stage order.

A :class:`MapScene` showing every step of every process. Steps sit where
:func:`models.buying_group.group_layout` places them (lane by process, column by stage)
unless the user moved them on this page (``Layout.group``). Everything else is the process
canvas's: the same commands and undo, Tab dictation inside a lane, Shift+drag across lanes
(a company action reaching a buyer step of another process addresses it; any other two steps
that may exchange a message, as BPMN's message flow, get a message edge),
properties, badges and the simulation's flow.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from app.gui.canvas.lanes_item import HEADER, LanesItem
from app.gui.canvas.scene import MapScene
from app.gui.workspace.workspace import Workspace
from models.buying_group import GroupLayout, group_layout
from models.document import Node
from models.simulation.overlay import ProcessFlow

GROUP = "*buying-group"
"""The scene's stand-in for a process id (never a valid id, so never a process's)."""
TITLE = "Buying group"

# what changes where steps go on this page
_MOVES_STEPS = {
    "nodes": {"stage", "process", "kind"},
    "edges": {"kind", "source", "target"},
    "processes": {"name", "kind", "role"},
}


class GroupScene(MapScene):
    group_page = True

    _layout: GroupLayout | None = None
    lanes: LanesItem | None = None  # made with every rebuild (``_decorate``)

    def __init__(self, workspace: Workspace, parent=None, progressive: bool | None = None) -> None:
        super().__init__(workspace, GROUP, parent, progressive)

    # --- what this page shows ----------------------------------------------------------------

    def shows(self, node: Node) -> bool:
        return True

    def _exists(self) -> bool:
        return True

    def title(self) -> str:
        return TITLE

    def group_layout(self) -> GroupLayout:
        if self._layout is None:
            self._layout = group_layout(self.document.map)
        return self._layout

    def position_of(self, node_id: str) -> tuple[float, float] | None:
        moved = self.document.group_position(node_id)
        return moved if moved is not None else self.group_layout().positions.get(node_id)

    def process_at(self, point: QPointF) -> str:
        """The lane under ``point``, or the nearest one (the first process when there is none)."""
        lanes = self.group_layout().lanes
        if not lanes:
            return self.document.map.processes[0].id if self.document.map.processes else ""
        lane = self.group_layout().lane_at(point.y())
        if lane is None:
            lane = lanes[0] if point.y() < lanes[0].top else lanes[-1]
        return lane.process

    def _flow_shown(self) -> ProcessFlow | None:
        overlay = self.derived.overlay
        if overlay is None:
            return None
        merged = ProcessFlow()
        for flow in overlay.processes.values():
            merged.nodes.update(flow.nodes)
            merged.edges.update(flow.edges)
            merged.conversions.update(flow.conversions)
            merged.bottleneck = merged.bottleneck or flow.bottleneck
        return merged

    # --- lanes ---------------------------------------------------------------------------------

    def _decorate(self) -> None:
        self._layout = None
        self.lanes = LanesItem()
        self.addItem(self.lanes)
        self.lanes.set_layout(self.group_layout())

    def _content_extent(self) -> QRectF:
        extent = super()._content_extent()
        if self.lanes is not None and not self.lanes.boundingRect().isNull():
            extent = extent.united(self.lanes.boundingRect())
        return extent

    def content_rect(self) -> QRectF:
        rect = super().content_rect()
        if self.lanes is not None and not self.lanes.boundingRect().isNull():
            lanes = self.lanes.boundingRect()
            rect = rect.united(QRectF(lanes.left(), -HEADER, 1, 1)) if not rect.isNull() else lanes
        return rect

    def relayout(self) -> None:
        """Place every step the user has not moved here again, and redraw the lanes."""
        if self.lanes is None:
            return
        self._layout = group_layout(self.document.map)
        self.lanes.set_layout(self._layout)
        for node_id, item in list(self._nodes.items()):
            position = self.position_of(node_id)
            if position is not None:
                item.set_position(QPointF(*position))
        if not self.building:
            self.setSceneRect(self._content_extent().adjusted(-400, -300, 400, 300))

    # --- following the document ----------------------------------------------------------------

    def _on_item_added(self, collection: str, item, index: int) -> None:
        if collection == "nodes":
            self._layout = None  # where the new step goes is worked out afresh
        super()._on_item_added(collection, item, index)
        if collection in ("nodes", "edges", "processes", "stages", "roles"):
            self.relayout()

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        super()._on_item_removed(collection, item, index)
        if collection in ("nodes", "edges", "processes", "stages", "roles"):
            self.relayout()

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        super()._on_item_changed(collection, item, old)
        if _MOVES_STEPS.get(collection, set()) & set(old):
            self.relayout()

    def _on_positions_changed(self, moves: dict) -> None:
        placed = self.group_layout().positions  # no longer moved by hand: back to lane and column
        super()._on_positions_changed(
            {n: p if p is not None else placed.get(n) for n, p in moves.items()}
        )
