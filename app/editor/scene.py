"""One process as a QGraphicsScene: a projection of the document that follows its signals.

Only the scene maps model to item (``item_for_node``, ``node_for_item``).
Items paint and emit intent; every change the user makes goes through the
:class:`~app.editor.commands.DocumentEditor`, and the scene redraws from the
document's signals, never from the gesture itself.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from app.editor.commands import DocumentEditor
from app.editor.edge_item import EdgeItem, overview_pen
from app.editor.interactions import ConnectInteraction, Interaction, MoveInteraction
from app.editor.label_editor import LabelEditor
from app.editor.node_item import NodeItem
from app.editor.style import GRID, NODE_WIDTH, team_color
from models.document import Edge, Node

PROGRESSIVE_ABOVE = 600  # nodes: bigger processes are built in slices between repaints
SLICE_NODES, SLICE_EDGES = 250, 400  # small enough that a slice and a repaint fit the 200 ms stall budget


def percent(conversion: float | None) -> str:
    if conversion is None:
        return "?"
    text = f"{conversion * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


class MapScene(QGraphicsScene):
    subprocess_requested = Signal(str)  # a process id to open
    status_message = Signal(str)
    built = Signal()  # every item of the process is on the scene (emitted after each rebuild)

    def __init__(self, editor: DocumentEditor, process_id: str, parent=None,
                 progressive: bool | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.document = editor.document
        self.process_id = process_id
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self.interaction: Interaction | None = None
        self.label_editor: LabelEditor | None = None
        self.snap = True
        self._built_for = None
        self._progressive = progressive  # None: decide by size
        self._builder = None
        self.building = False
        self.overview = False  # far zoom: edge items hidden, edges painted in one batch by the view
        self._connect_model()
        self.rebuild()

    # --- model -> items ----------------------------------------------------------------------

    def _connect_model(self) -> None:
        doc = self.document
        self._subscriptions = [
            (doc.item_added, self._on_item_added),
            (doc.item_removed, self._on_item_removed),
            (doc.item_changed, self._on_item_changed),
            (doc.position_changed, self._on_position_changed),
            (doc.reset, self._on_reset),
        ]
        for signal, slot in self._subscriptions:
            signal.connect(slot)

    def detach(self) -> None:
        """Stop following the document (the tab closed)."""
        for signal, slot in self._subscriptions:
            signal.disconnect(slot)
        self._subscriptions = []
        self._builder = None

    def item_for_node(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def item_for_edge(self, edge_id: str) -> EdgeItem | None:
        return self._edges.get(edge_id)

    @staticmethod
    def node_for_item(item) -> str | None:
        return getattr(item, "node_id", None)

    def _on_reset(self) -> None:
        # A scene created while `reset` is being delivered was just built from the new map.
        if self._subscriptions and self.document.map is not self._built_for:
            self.rebuild()

    def rebuild(self) -> None:
        """Recreate every item from the document.

        A large process is built in slices between event-loop turns, so opening a
        2,000-step map never freezes the window; edits made meanwhile are applied
        as usual (the slices skip what the signals already added or removed).
        """
        self._built_for = self.document.map
        self._builder = None
        self.cancel_label_edit()
        self.clear()
        self._nodes.clear()
        self._edges.clear()
        if not self.document.has("processes", self.process_id):
            self._finish_build()
            return
        nodes = [n for n in self.document.map.nodes if n.process == self.process_id]
        progressive = self._progressive
        if progressive is None:
            progressive = len(nodes) > PROGRESSIVE_ABOVE
        if not progressive:
            for node in nodes:
                self._add_node_item(node)
            centres = self._centres()
            for edge in self.document.map.edges:
                self._add_edge_item(edge, centres)
            self._finish_build()
            return
        self.building = True
        self._builder = self._slices([n.id for n in nodes])
        QTimer.singleShot(0, self, self._build_next)

    def _slices(self, node_ids: list[str]):
        doc = self.document
        for start in range(0, len(node_ids), SLICE_NODES):
            for node_id in node_ids[start:start + SLICE_NODES]:
                if node_id not in self._nodes and doc.has("nodes", node_id):
                    node = doc.get("nodes", node_id)
                    if node.process == self.process_id:
                        self._add_node_item(node)
            yield
        edges = list(doc.map.edges)
        for start in range(0, len(edges), SLICE_EDGES):
            centres = self._centres()  # read afresh: a step may have been dragged since the last slice
            for edge in edges[start:start + SLICE_EDGES]:
                if doc.has("edges", edge.id):
                    self._add_edge_item(doc.get("edges", edge.id), centres)
            yield

    def _build_next(self) -> None:
        builder = self._builder
        if builder is None:
            return  # rebuilt or detached since this slice was scheduled
        try:
            next(builder)
        except StopIteration:
            self._builder = None
            self._finish_build()
            return
        QTimer.singleShot(0, self, self._build_next)

    def _finish_build(self) -> None:
        self.building = False
        self.setSceneRect(self.itemsBoundingRect().adjusted(-400, -300, 400, 300))
        self.built.emit()

    def _add_node_item(self, node: Node) -> NodeItem:
        item = NodeItem(node.id)
        self._refresh_node(item, node)
        position = self.document.position(node.id)
        if position is None:
            count = len(self._nodes)
            position = ((count % 6) * 230.0, (count // 6) * 120.0)
        item.setPos(QPointF(*position))
        self.addItem(item)
        self._nodes[node.id] = item
        return item

    def _refresh_node(self, item: NodeItem, node: Node) -> None:
        color = team_color(node.owner, self.document.map.teams)
        item.set_content(node.kind, node.label, color)

    def _centres(self) -> dict[str, tuple[float, float]]:
        """Every step's centre as plain floats, read once for a batch of edges."""
        out = {}
        for node_id, item in self._nodes.items():
            point = item.pos()
            out[node_id] = (point.x(), point.y())
        return out

    def _add_edge_item(self, edge: Edge, centres: dict | None = None) -> None:
        if edge.id in self._edges:
            return
        source, target = self._nodes.get(edge.source), self._nodes.get(edge.target)
        if source is None or target is None:
            return
        ends = None
        if centres is not None and edge.source in centres and edge.target in centres:
            ends = (*centres[edge.source], *centres[edge.target])
        item = EdgeItem(edge.id, source, target, ends)
        item.set_content(edge.kind, "" if edge.kind == "addresses" else percent(edge.conversion))
        if self.overview:
            item.setVisible(False)
        self.addItem(item)
        self._edges[edge.id] = item

    def _on_item_added(self, collection: str, item, index: int) -> None:
        if collection == "nodes" and item.process == self.process_id:
            self._add_node_item(item)
        elif collection == "edges":
            self._add_edge_item(item)

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == "nodes":
            node_item = self._nodes.pop(item.id, None)
            if node_item is not None:
                if self.label_editor and self.label_editor.node_id == item.id:
                    self.cancel_label_edit()
                self.removeItem(node_item)
        elif collection == "edges":
            edge_item = self._edges.pop(item.id, None)
            if edge_item is not None:
                edge_item.detach()
                self.removeItem(edge_item)

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        if collection == "nodes":
            node_item = self._nodes.get(item.id)
            if "process" in old:
                if old["process"] == self.process_id and item.process != self.process_id:
                    self.rebuild()
                    return
                if item.process == self.process_id and node_item is None:
                    self.rebuild()
                    return
            if node_item is not None:
                self._refresh_node(node_item, item)
        elif collection == "edges":
            edge_item = self._edges.get(item.id)
            if edge_item is not None:
                if {"source", "target"} & set(old):
                    self.rebuild()
                    return
                edge_item.set_content(item.kind, "" if item.kind == "addresses" else percent(item.conversion))
        elif collection == "teams":
            for node_id, node_item in self._nodes.items():
                self._refresh_node(node_item, self.document.get("nodes", node_id))

    def _on_position_changed(self, node_id: str, position) -> None:
        item = self._nodes.get(node_id)
        if item is not None and position is not None:
            item.set_position(QPointF(*position))

    # --- selection ---------------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edge_ids(self) -> list[str]:
        return [i.edge_id for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, node_ids, edge_ids=()) -> None:
        self.clearSelection()
        for node_id in node_ids:
            if node_id in self._nodes:
                self._nodes[node_id].setSelected(True)
        for edge_id in edge_ids:
            if edge_id in self._edges:
                self._edges[edge_id].setSelected(True)

    def snapped(self, point: QPointF) -> tuple[float, float]:
        if not self.snap:
            return (point.x(), point.y())
        return (round(point.x() / GRID) * GRID, round(point.y() / GRID) * GRID)

    # --- creation ----------------------------------------------------------------------------

    def add_node_at(self, point: QPointF, kind: str = "action", label: str = "", edit: bool = True) -> str:
        node = Node(id=self.document.new_id("nodes", "node"), process=self.process_id, kind=kind,
                    label=label or _default_label(kind))
        self.editor.add_node(node, self.snapped(point))
        self.select_nodes([node.id])
        if edit:
            self.start_label_edit(node.id)
        return node.id

    def add_next_step(self) -> str | None:
        """Create the next step after the selected node, connected, with its label ready to type."""
        selected = self.selected_node_ids()
        if len(selected) != 1:
            return None
        source = self.document.get("nodes", selected[0])
        kind = "buyer_step" if source.kind in ("buyer_step",) else "action"
        if source.kind == "entry":
            kind = "buyer_step" if self.document.get("processes", self.process_id).kind == "buyer" else "action"
        base = self._nodes[source.id].pos()
        point = QPointF(base.x() + NODE_WIDTH + 60, base.y())
        while any((item.pos() - point).manhattanLength() < 40 for item in self._nodes.values()):
            point += QPointF(0, 120)
        node = Node(id=self.document.new_id("nodes", "node"), process=self.process_id, kind=kind,
                    label=_default_label(kind), owner=source.owner if kind == "action" else None,
                    role=source.role if kind == "buyer_step" else None)
        edge = Edge(id=self.document.new_id("edges", "edge"), source=source.id, target=node.id)
        with self.editor.macro(f"Add next step after '{source.label or source.id}'"):
            self.editor.add_node(node, self.snapped(point))
            self.editor.add_edge(edge)
        self.select_nodes([node.id])
        self.start_label_edit(node.id)
        return node.id

    def connect_nodes(self, source_id: str, target_id: str) -> str | None:
        if source_id == target_id:
            return None
        source = self.document.get("nodes", source_id)
        target = self.document.get("nodes", target_id)
        kind = "addresses" if source.kind == "action" and target.kind == "buyer_step" else "flow"
        if any(e.source == source_id and e.target == target_id and e.kind == kind for e in self.document.map.edges):
            self.status_message.emit("Those two are already connected.")
            return None
        edge = Edge(id=self.document.new_id("edges", "edge"), source=source_id, target=target_id, kind=kind)
        self.editor.add_edge(edge)
        return edge.id

    def delete_selection(self) -> None:
        nodes, edges = self.selected_node_ids(), self.selected_edge_ids()
        if nodes or edges:
            self.editor.remove_nodes(nodes, edges)

    def nudge(self, dx: float, dy: float) -> None:
        nodes = self.selected_node_ids()
        if nodes:
            moves = {}
            for node_id in nodes:
                pos = self._nodes[node_id].pos()
                moves[node_id] = (pos.x() + dx, pos.y() + dy)
            self.editor.move_nodes(moves, mergeable=True)

    # --- inline label editing ------------------------------------------------------------------

    def start_label_edit(self, node_id: str) -> None:
        self.cancel_label_edit()
        item = self._nodes.get(node_id)
        if item is None:
            return
        node = self.document.get("nodes", node_id)
        self.label_editor = LabelEditor(node_id, node.label, item)
        self.label_editor.committed.connect(self._on_label_committed)
        self.label_editor.cancelled.connect(self.cancel_label_edit)
        self.addItem(self.label_editor)
        self.label_editor.begin()

    def _on_label_committed(self, node_id: str, text: str) -> None:
        self.cancel_label_edit()
        if self.document.has("nodes", node_id):
            self.editor.update("nodes", node_id, label=text, text=f"Rename step to '{text}'")
        item = self._nodes.get(node_id)
        if item is not None:
            self.select_nodes([node_id])
            item.setFocus()

    def cancel_label_edit(self) -> None:
        editor, self.label_editor = self.label_editor, None
        if editor is not None:
            editor.committed.disconnect(self._on_label_committed)
            editor.cancelled.disconnect(self.cancel_label_edit)
            if editor.scene() is self:
                self.removeItem(editor)
            editor.deleteLater()

    # --- mouse and keyboard ------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.label_editor is not None and not self.label_editor.contains(
                self.label_editor.mapFromScene(event.scenePos())):
            self.label_editor.commit()
        item = self._node_at(event.scenePos())
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
        if interaction is not None:
            interaction.end(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        item = self._node_at(event.scenePos())
        if item is None:
            if self.itemAt(event.scenePos(), self.views()[0].transform() if self.views() else _identity()) is None:
                self.add_node_at(event.scenePos())
                event.accept()
                return
            super().mouseDoubleClickEvent(event)
            return
        node = self.document.get("nodes", item.node_id)
        if node.kind == "subprocess" and node.subprocess and self.document.has("processes", node.subprocess):
            self.subprocess_requested.emit(node.subprocess)
        else:
            self.start_label_edit(item.node_id)
        event.accept()

    def _node_at(self, point: QPointF) -> NodeItem | None:
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item
        return None

    def temporary_line(self, start: QPointF) -> QGraphicsLineItem:
        line = QGraphicsLineItem(start.x(), start.y(), start.x(), start.y())
        line.setPen(QPen(QColor("#1864ab"), 2, Qt.DashLine))
        line.setZValue(5)
        self.addItem(line)
        return line

    # --- overview (far zoom) -------------------------------------------------------------------

    def set_overview(self, on: bool) -> None:
        """Hide edge items and let the view paint all edges in a single call (thousands of
        Python paint calls are what makes a zoomed-out 2,000-step map slow to repaint)."""
        if on == self.overview:
            return
        self.overview = on
        for item in self._edges.values():
            item.setVisible(not on)
        self.update()

    def paint_overview_edges(self, painter, rect: QRectF) -> None:
        by_pen: dict[str, list] = {}
        for item in self._edges.values():
            if item.bounds().intersects(rect):
                key = "selected" if item.isSelected() else item.kind
                by_pen.setdefault(key, []).append(item.line())
        painter.setRenderHint(QPainter.Antialiasing, False)
        for key, lines in by_pen.items():
            painter.setPen(overview_pen(key))
            painter.drawLines(lines)

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self._nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect


def _default_label(kind: str) -> str:
    return {"entry": "New lead source", "buyer_step": "New buyer step", "action": "New action",
            "decision": "Decision?", "subprocess": "Sub-process", "won": "Won", "lost": "Lost"}[kind]


def _identity():
    from PySide6.QtGui import QTransform

    return QTransform()
