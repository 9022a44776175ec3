"""The mouse on the canvas: select, drag, connect with Shift+drag, double-click to add, tooltips.

A mixin of :class:`~app.gui.canvas.scene.MapScene`: the interactions (move, connect) are small
objects with start/move/end (``interactions.py``); this decides which one a press starts.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QToolTip

from app.gui.canvas.interactions import ConnectInteraction, MoveInteraction
from app.gui.canvas.labels import percent
from app.gui.canvas.scene_edits import SceneEdits
from app.gui.common.style import plain_tooltip


class SceneInput(SceneEdits):
    """Mouse handling of a MapScene (``self`` is the scene; Qt calls these overrides)."""

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.label_editor is not None and not self.label_editor.contains(
            self.label_editor.mapFromScene(event.scenePos())
        ):
            self.label_editor.commit()
        item = self.node_at(event.scenePos())
        adding = bool(event.modifiers() & Qt.ControlModifier)
        if event.button() == Qt.LeftButton and item is None:
            line = self.edge_at(event.scenePos(), _scale(event))
            if line is not None:  # an edge: select it (Ctrl toggles), no rubber band
                if adding:
                    self.toggle_edge(line)
                else:
                    super().clearSelection()
                    self.select_edges([line])
                event.accept()
                return
            if not adding:
                self.select_edges(
                    []
                )  # the press on empty canvas clears the steps too (Qt does that)
        # A press on a selected step keeps the selection for a drag; a click without moving
        # leaves that step alone selected (Qt does it for the steps at release, see below).
        self._pressed_selected = item is not None and not adding and item.isSelected()
        if item is not None and not adding and not item.isSelected():
            self.select_edges([])
        if event.button() == Qt.LeftButton and item is not None:
            if event.modifiers() & (Qt.ShiftModifier | Qt.AltModifier):
                self.interaction = ConnectInteraction(self, item)
                self.interaction.start(event)
                event.accept()
                return
            super().mousePressEvent(event)
            self.interaction = MoveInteraction(self)
            self.interaction.start(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if isinstance(self.interaction, ConnectInteraction):
            self.interaction.move(event)
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self.interaction is not None:
            self.interaction.move(event)  # a drag: the moved steps' edges follow

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        interaction, self.interaction = self.interaction, None
        if isinstance(interaction, ConnectInteraction):
            interaction.end(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if (
            self._pressed_selected
            and event.button() == Qt.LeftButton
            and event.scenePos() == event.buttonDownScenePos(Qt.LeftButton)
        ):
            self.select_edges(
                []
            )  # Qt's own clearSelection() at release does not reach the edge layer
        self._pressed_selected = False
        if interaction is not None:
            interaction.end(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        item = self.node_at(event.scenePos())
        if item is None:
            if (
                self.itemAt(
                    event.scenePos(), self.views()[0].transform() if self.views() else _identity()
                )
                is None
                and self.edge_at(event.scenePos(), _scale(event)) is None
            ):
                self.add_node_at(event.scenePos())
                event.accept()
                return
            super().mouseDoubleClickEvent(event)
            return
        node = self.document.get("nodes", item.node_id)
        if (
            node.kind == "subprocess"
            and node.subprocess
            and self.document.has("processes", node.subprocess)
        ):
            self.subprocess_requested.emit(node.subprocess)
        else:
            self.start_label_edit(item.node_id)
        event.accept()

    def temporary_line(self, start: QPointF) -> QGraphicsLineItem:
        line = QGraphicsLineItem(start.x(), start.y(), start.x(), start.y())
        line.setPen(QPen(QColor("#1864ab"), 2, Qt.DashLine))
        line.setZValue(5)
        self.addItem(line)
        return line

    def helpEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Tooltips for steps (their label, escaped) and edges (what they convert), asked for on hover."""
        text = self.tooltip_at(event.scenePos(), _scale(event))
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
            event.accept()
        else:
            QToolTip.hideText()
            event.ignore()

    def tooltip_at(self, point: QPointF, view_scale: float = 1.0) -> str:
        item = self.node_at(point)
        if item is not None:
            node = self.document.get("nodes", item.node_id)
            if not node.gate:
                return item.tooltip()
            names = {r.id: r.name for r in self.document.map.roles}
            steps = {n.id: n.label for n in self.document.map.nodes}
            needed = ", ".join(
                f"{names.get(c.role, c.role)} ('{steps.get(c.step, c.step)}')" for c in node.gate
            )
            gate = f"Committee gate: a lead passes when {needed} have cleared"
            found = [f"• {m}" for m in item.badge.messages] if item.badge else []
            return plain_tooltip("\n".join([item.label, gate, *found]))
        line = self.edge_at(point, view_scale)
        if line is None:
            return ""
        edge = self.document.get("edges", line.edge_id)
        source, target = (self.document.get("nodes", n).label for n in (edge.source, edge.target))
        text = f"{source} → {target}"
        if edge.kind == "message":
            text = f"Message from {source} to {target}" + (f": {edge.label}" if edge.label else "")
        elif edge.kind != "addresses":
            shown = self.conversion_shown(edge)
            text += f": {percent(shown)}" if shown is not None else ": no conversion set yet"
        return plain_tooltip(text)


def _scale(event) -> float:
    """The zoom of the view a scene event came through (1 when there is none, as in tests)."""
    widget = event.widget()
    view = widget.parent() if widget is not None else None
    return view.transform().m11() if hasattr(view, "transform") else 1.0


def _identity():
    from PySide6.QtGui import QTransform

    return QTransform()
