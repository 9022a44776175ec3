"""Mouse modes as small objects with start / move / end / cancel (orange-canvas style)."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF


class Interaction:
    def __init__(self, scene) -> None:
        self.scene = scene

    def start(self, event) -> None: ...

    def move(self, event) -> None: ...

    def end(self, event) -> None: ...

    def cancel(self) -> None: ...


class MoveInteraction(Interaction):
    """Qt moves the items while dragging; the move is recorded once, at release, as one undo step."""

    def start(self, event) -> None:
        self.items = self._selected()
        self.before = {i.node_id: (i.pos().x(), i.pos().y()) for i in self.items}

    def move(self, event) -> None:
        for item in self.items:
            item.adjust_edges()

    def _selected(self):
        from app.gui.canvas.node_item import NodeItem

        return [i for i in self.scene.selectedItems() if isinstance(i, NodeItem)]

    def end(self, event) -> None:
        moves = {}
        for item in self._selected():
            start = self.before.get(item.node_id)
            now = (item.pos().x(), item.pos().y())
            if start is not None and now != start:
                moves[item.node_id] = self.scene.snapped(item.pos())
        if moves:
            self.scene.editor.move_nodes(moves, group=self.scene.group_page)
            for node_id, pos in moves.items():  # snapping may differ from where the mouse left it
                item = self.scene.item_for_node(node_id)
                if (item.pos().x(), item.pos().y()) != pos:
                    item.set_position(QPointF(*pos))


class ConnectInteraction(Interaction):
    """Shift- or Alt-drag from a node to another: a flow edge (or 'addresses' from an action to a buyer step)."""

    def __init__(self, scene, source_item) -> None:
        super().__init__(scene)
        self.source = source_item
        self.line = None

    def start(self, event) -> None:
        self.line = self.scene.temporary_line(self.source.pos())

    def move(self, event) -> None:
        self.line.setLine(QLineF(self.source.pos(), event.scenePos()))

    def end(self, event) -> None:
        self.cancel()
        target = self.scene.node_at(event.scenePos())
        if target is not None and target is not self.source:
            self.scene.connect_nodes(self.source.node_id, target.node_id)

    def cancel(self) -> None:
        if self.line is not None:
            self.scene.removeItem(self.line)
            self.line = None
