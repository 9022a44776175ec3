"""Drawing on the canvas: new steps, the next step, connections, deletion, nudges, labels typed in place.

A mixin of :class:`~app.gui.canvas.scene.MapScene`. Every change goes through the workspace's
undo editor; the scene then redraws from the document's signals, never from the gesture.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from app.gui.canvas.label_editor import LabelEditor
from app.gui.canvas.scene_selection import SceneSelection
from app.gui.common.style import NODE_WIDTH
from models.connect import ConnectError, check_connect, connection_kind
from models.document import Edge, Node


class SceneEdits(SceneSelection):
    """What the user draws and types on a scene (``self`` is the MapScene)."""

    def _process_role(self) -> str | None:
        """The buyer role whose process this is: its new buyer steps are that role's."""
        process = self.document.get("processes", self.process_id)
        return process.role if process.role and self.document.has("roles", process.role) else None

    def add_node_at(
        self, point: QPointF, kind: str = "action", label: str = "", edit: bool = True
    ) -> str:
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=self.process_id,
            kind=kind,
            label=label or _default_label(kind),
            role=self._process_role() if kind == "buyer_step" else None,
        )
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
        if source.kind in ("won", "lost"):
            self.status_message.emit(_OUTCOME.format(label=source.label or source.id))
            return None
        kind = "buyer_step" if source.kind in ("buyer_step",) else "action"
        if source.kind == "entry":
            kind = (
                "buyer_step"
                if self.document.get("processes", self.process_id).kind == "buyer"
                else "action"
            )
        base = self._nodes[source.id].pos()
        point = QPointF(base.x() + NODE_WIDTH + 60, base.y())
        while any((item.pos() - point).manhattanLength() < 40 for item in self._nodes.values()):
            point += QPointF(0, 120)
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=self.process_id,
            kind=kind,
            label=_default_label(kind),
            owner=source.owner if kind == "action" else None,
            role=(source.role or self._process_role()) if kind == "buyer_step" else None,
        )
        edge = Edge(id=self.document.new_id("edges", "edge"), source=source.id, target=node.id)
        with self.editor.macro(f"Add next step after '{source.label or source.id}'"):
            self.editor.add_node(node, self.snapped(point))
            self.editor.add_edge(edge)
        self.select_nodes([node.id])
        self.start_label_edit(node.id)
        return node.id

    def add_step_in_view(self, point: QPointF) -> str:
        """Tab with nothing selected: a first step where the user is looking, label ready to type."""
        process = self.document.get("processes", self.process_id)
        kind = "buyer_step" if process.kind == "buyer" else "action"
        return self.add_node_at(point, kind)

    def connect_nodes(self, source_id: str, target_id: str) -> str | None:
        """Connect two steps (Shift+drag); a connection the map's rules refuse is explained in
        the status bar, and nothing changes."""
        if source_id == target_id:
            return None
        source = self.document.get("nodes", source_id)
        target = self.document.get("nodes", target_id)
        kind = connection_kind(source, target)
        try:
            check_connect(self.document, source_id, target_id, kind)
        except ConnectError as error:
            self.status_message.emit(_refusal(error, source, target))
            return None
        edge = Edge(
            id=self.document.new_id("edges", "edge"), source=source_id, target=target_id, kind=kind
        )
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
        for (
            view
        ) in self.views():  # a room dictating step after step: the one being typed stays in sight
            view.ensureVisible(item.sceneBoundingRect(), 80, 60)

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


def _default_label(kind: str) -> str:
    return {
        "entry": "New lead source",
        "buyer_step": "New buyer step",
        "action": "New action",
        "decision": "Decision?",
        "subprocess": "Sub-process",
        "won": "Won",
        "lost": "Lost",
    }[kind]


_OUTCOME = "'{label}' is an outcome: leads that reach it stay there, so it has no next step."


def _refusal(error: ConnectError, source: Node, target: Node) -> str:
    """Why a connection is refused, in the words of the canvas (labels, not ids)."""
    a, b = source.label or source.id, target.label or target.id
    if error.code == "duplicate-edge":
        return "Those two are already connected."
    if error.code == "leaves-outcome":
        return _OUTCOME.format(label=a)
    if error.code == "crosses-processes":
        return (
            f"'{a}' and '{b}' are in different processes: only a company action can reach "
            "across, to a buyer step it serves."
        )
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
