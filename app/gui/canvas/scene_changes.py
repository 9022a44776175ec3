"""What changed since a version compared (File ▸ Compare with…), marked on the canvas.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene): steps and
connections added since are drawn in green, changed ones in amber (a step says what changed
on hover), and the steps removed since appear as faded ghosts where they were. The marks are
the workspace's derived state (the Changes dock computes them); nothing here edits the map.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from app.gui.common.style import NODE_HEIGHT, NODE_WIDTH

GHOST_OPACITY = 0.45


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
        self._ghosts = [
            self._ghost(g.label, g.position)
            for g in self.derived.ghosts
            if not self.group_page and g.process == self.process_id
        ]

    def ghost_labels(self) -> list[str]:
        """The steps removed since the version compared, as drawn on this canvas."""
        return [g.data(0) for g in self._ghosts if shiboken6.isValid(g)]

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
