"""What changed since a version compared (File ▸ Compare with…), marked on the canvas.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene): steps and
connections added since are drawn in green, changed ones in amber (a step says what changed
on hover), the steps removed since appear as faded ghosts where they were, and the connections
removed since as faded dashed lines between their two ends (steps of the map now, or ghosts),
with the label they had. Ghosts are never selected, dragged or edited. The marks are the
workspace's derived state (the Changes dock computes them); nothing here edits the map.
"""

from __future__ import annotations

import math

import shiboken6
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from app.gui.canvas.labels import percent
from app.gui.common.style import NODE_HEIGHT, NODE_WIDTH
from models.versions.marks import GhostEdge

GHOST_OPACITY = 0.45
GHOST_GREY = "#868e96"


class SceneChanges:
    """Marks of another version, written to the scene's items."""

    def _on_changes_changed(self) -> None:
        marks = self.derived.change_marks
        for node_id, item in self._nodes.items():
            mark = marks.get(("nodes", node_id))
            item.set_change(mark.change if mark else None, mark.text if mark else "")
        for edge_id, line in self._edges.items():
            mark = marks.get(("edges", edge_id))
            self.edge_layer.set_mark(line, mark.change if mark else None)
        for ghost in self._ghosts:
            if shiboken6.isValid(ghost) and ghost.scene() is self:  # a rebuild cleared it
                self.removeItem(ghost)
        steps = [
            g for g in self.derived.ghosts if not self.group_page and g.process == self.process_id
        ]
        self._ghosts = [self._ghost(g.label, g.position) for g in steps]
        # (the buying-group page lays out today's steps: a removed step has no place there, but
        # a removed connection between two of today's steps, across processes too, is drawn)
        removed = {g.node_id: QPointF(*g.position) for g in steps}
        for edge in self.derived.ghost_edges:
            ends = [self._ghost_end(node_id, removed) for node_id in (edge.source, edge.target)]
            if ends[0] is not None and ends[1] is not None:  # both ends on this canvas
                self._ghosts.append(self._ghost_edge(edge, ends[0], ends[1]))
        # a step at the end of a removed connection may move while compared: the line follows
        doc = self.document
        moved = doc.group_positions_changed if self.group_page else doc.positions_changed
        moved.disconnect(self._ghost_ends_moved, missing_ok=True)
        if self.ghost_edges():
            moved.connect(self._ghost_ends_moved)

    def _ghost_ends_moved(self, moves: dict) -> None:
        if not shiboken6.isValid(self):  # the scene is gone (its tab closed)
            return
        ends = {node_id for g in self.ghost_edges() for node_id in (g.source, g.target)}
        if not ends.isdisjoint(moves):
            self._on_changes_changed()

    def ghost_labels(self) -> list[str]:
        """The steps removed since the version compared, as drawn on this canvas."""
        return [
            g.data(0)
            for g in self._ghosts
            if shiboken6.isValid(g) and isinstance(g, QGraphicsRectItem)
        ]

    def ghost_edges(self) -> list[GhostEdgeItem]:
        """The connections removed since the version compared, as drawn on this canvas."""
        return [g for g in self._ghosts if shiboken6.isValid(g) and isinstance(g, GhostEdgeItem)]

    def _ghost_end(self, node_id: str, removed: dict[str, QPointF]) -> QPointF | None:
        """Where a removed connection's end is drawn: its step now, or the step's ghost."""
        item = self._nodes.get(node_id)
        return item.pos() if item is not None else removed.get(node_id)

    def _ghost_edge(self, edge: GhostEdge, start: QPointF, end: QPointF) -> GhostEdgeItem:
        text = edge.label
        if not text and edge.kind not in ("addresses", "message"):
            text = percent(edge.conversion) if edge.conversion is not None else ""
        item = GhostEdgeItem(edge.edge_id, start, end, text)
        item.source, item.target = edge.source, edge.target
        item.setToolTip(edge.text)
        self.addItem(item)
        return item

    def _ghost(self, label: str, position: tuple[float, float]) -> QGraphicsRectItem:
        """A removed step: a faded, dashed box with its label struck through, never selectable."""
        box = QGraphicsRectItem(QRectF(-NODE_WIDTH / 2, -NODE_HEIGHT / 2, NODE_WIDTH, NODE_HEIGHT))
        pen = QPen(QColor("#868e96"), 1.6, Qt.DashLine)
        box.setPen(pen)
        box.setBrush(QBrush(QColor(241, 243, 245)))
        box.setOpacity(GHOST_OPACITY)
        box.setPos(*position)
        box.setZValue(-2)  # under the steps and the connections
        box.setData(0, label)
        box.setToolTip(f"Removed since the other version: {label}")
        text = QGraphicsSimpleTextItem(box)
        font = text.font()
        font.setStrikeOut(True)
        text.setFont(font)
        text.setText(QFontMetricsF(font).elidedText(label, Qt.ElideRight, NODE_WIDTH - 12))
        bounds = text.boundingRect()
        text.setPos(-bounds.width() / 2, -bounds.height() / 2)
        self.addItem(box)
        return box


class GhostEdgeItem(QGraphicsPathItem):
    """A removed connection: a faded, dashed line with an arrowhead between the two steps'
    boxes and the label it had at its middle. Not an edge of the map: the edge layer does not
    know it, so it is never selected, and it takes no mouse button (hover shows its tooltip)."""

    HOVER_WIDTH = 10.0

    def __init__(self, edge_id: str, start: QPointF, end: QPointF, text: str) -> None:
        super().__init__()
        self.edge_id = edge_id
        self.source = self.target = ""  # the ends' step ids
        self.text = text
        line = QLineF(_off_box(start, end), _off_box(end, start))
        path = QPainterPath(line.p1())
        path.lineTo(line.p2())
        if line.length() > 1:  # the arrowhead at the target
            angle = math.atan2(line.dy(), line.dx())
            for turn in (2.6, -2.6):
                path.moveTo(line.p2())
                path.lineTo(
                    line.p2() + QPointF(10 * math.cos(angle + turn), 10 * math.sin(angle + turn))
                )
        stroker = QPainterPathStroker()
        stroker.setWidth(self.HOVER_WIDTH)
        self._band = stroker.createStroke(path)  # before setPath, which asks for the bounds
        self.setPath(path)
        self.setPen(QPen(QColor(GHOST_GREY), 1.6, Qt.DashLine))
        self.setOpacity(GHOST_OPACITY)
        self.setZValue(-2)  # under the steps and the connections, as the removed steps
        self.setAcceptedMouseButtons(Qt.NoButton)  # a click goes to what is under it
        self.setData(0, text)
        if text:
            label = QGraphicsSimpleTextItem(self)
            font = label.font()
            font.setStrikeOut(True)
            label.setFont(font)
            label.setBrush(QBrush(QColor(GHOST_GREY)))
            label.setText(text)
            bounds = label.boundingRect()
            middle = line.center()
            label.setPos(middle.x() - bounds.width() / 2, middle.y() - bounds.height() - 2)

    def shape(self) -> QPainterPath:
        """A band along the line, so hovering near it shows what was removed."""
        return self._band

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._band.boundingRect().united(super().boundingRect())


def _off_box(centre: QPointF, toward: QPointF) -> QPointF:
    """Where the line from ``centre`` to ``toward`` leaves a step's box centred at ``centre``."""
    dx, dy = toward.x() - centre.x(), toward.y() - centre.y()
    if dx == 0 and dy == 0:
        return QPointF(centre)
    scale = min(
        (NODE_WIDTH / 2) / abs(dx) if dx else math.inf,
        (NODE_HEIGHT / 2) / abs(dy) if dy else math.inf,
    )
    scale = min(scale, 0.5)  # boxes that overlap: meet in the middle
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)
