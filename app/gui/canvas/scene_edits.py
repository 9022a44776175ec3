"""Drawing on the canvas: new steps, the next step, connections, deletion, nudges, labels typed in place.

A mixin of :class:`~app.gui.canvas.scene.MapScene`. Every change goes through the workspace's
undo editor; the scene then redraws from the document's signals, never from the gesture.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from app.gui.canvas.geometry import clip_line, crosses_rect, shape_code
from app.gui.canvas.label_editor import LabelEditor
from app.gui.canvas.scene_selection import SceneSelection
from app.gui.common import dialogs
from app.gui.common.style import NODE_HEIGHT, NODE_WIDTH
from models.connect import check_connect, connection_kind
from models.connect_errors import ConnectError
from models.document import Edge, Node
from models.route_geometry import segment_hits
from models.routing import CLEAR


class SceneEdits(SceneSelection):
    """What the user draws and types on a scene (``self`` is the MapScene)."""

    def _process_role(self, process_id: str) -> str | None:
        """The buyer role whose process this is: its new buyer steps are that role's."""
        process = self.document.get("processes", process_id)
        return process.role if process.role and self.document.has("roles", process.role) else None

    def _place_new(self, node: Node, point: QPointF | None, near: str | None) -> None:
        """Add ``node``: at ``point`` on this page, or (None) next to step ``near``.

        On a process's own diagram that is its position. On the buying-group page the step
        also gets a place on its process's diagram, beside ``near`` or right of the others.
        """
        if not self.group_page:
            self.editor.add_node(node, self.snapped(point) if point is not None else None)
            return
        self.editor.add_node(node, self._spot_on_process_page(node.process, near))
        if point is not None:
            self.editor.move_nodes({node.id: self.snapped(point)}, group=True)

    def _spot_on_process_page(self, process_id: str, near: str | None) -> tuple[float, float]:
        """A free place on a process's own diagram: right of ``near``, else right of its steps."""
        doc = self.document
        taken = [doc.position(n.id) for n in doc.map.nodes if n.process == process_id]
        taken = [p for p in taken if p is not None]
        base = doc.position(near) if near else None
        if base is None:
            base = (max((p[0] for p in taken), default=-(NODE_WIDTH + 60)), 0.0)
        x, y = base[0] + NODE_WIDTH + 60, base[1]
        while any(abs(px - x) + abs(py - y) < 40 for px, py in taken):
            y += 120
        return self.snapped(QPointF(x, y))

    def add_node_at(
        self, point: QPointF, kind: str = "action", label: str = "", edit: bool = True
    ) -> str:
        process = self.process_at(point)
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=process,
            kind=kind,
            label=label or _default_label(kind),
            role=self._process_role(process) if kind == "buyer_step" else None,
        )
        if self.group_page:
            with self.editor.macro(f"Add {node.label}"):
                self._place_new(node, point, None)
        else:
            self._place_new(node, point, None)
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
        process = source.process
        kind = "buyer_step" if source.kind in ("buyer_step",) else "action"
        if source.kind == "entry":
            buyer = self.document.get("processes", process).kind == "buyer"
            kind = "buyer_step" if buyer else "action"
        point = None if self.group_page else self._free_spot_after(source.id)
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=process,
            kind=kind,
            label=_default_label(kind),
            owner=source.owner if kind == "action" else None,
            role=(source.role or self._process_role(process)) if kind == "buyer_step" else None,
        )
        edge = Edge(id=self.document.new_id("edges", "edge"), source=source.id, target=node.id)
        with self.editor.macro(f"Add next step after '{source.label or source.id}'"):
            self._place_new(node, point, source.id)
            self.editor.add_edge(edge)
        self.select_nodes([node.id])
        self.start_label_edit(node.id)
        return node.id

    def _free_spot_after(self, source_id: str) -> QPointF:
        """Where the next step after ``source_id`` goes: to its right, else in the next row below
        that where the new step covers no step and no connection, and the line to it passes no
        step (else the first row where the step at least is free: the router takes the line around)."""
        base = self._nodes[source_id].pos()
        x = base.x() + NODE_WIDTH + 60
        centres = np.array([(p.x(), p.y()) for p in (i.pos() for i in self._nodes.values())])
        others = np.array([i is not self._nodes[source_id] for i in self._nodes.values()])
        half = np.array([NODE_WIDTH / 2, NODE_HEIGHT / 2])
        boxes = np.column_stack((centres - half - CLEAR, centres + half + CLEAR))[others]
        first = None
        for row in range(60):
            y = base.y() + row * 120
            room = (x - NODE_WIDTH / 2 - 20, y - NODE_HEIGHT / 2 - 20)
            room += (x + NODE_WIDTH / 2 + 20, y + NODE_HEIGHT / 2 + 36)  # the flow line under it
            taken = (
                (boxes[:, 0] < room[2])
                & (room[0] < boxes[:, 2])
                & (boxes[:, 1] < room[3])
                & (room[1] < boxes[:, 3])
            ).any()
            if taken or any(crosses_rect(line.path(), room) for line in self.edge_layer.near(room)):
                continue
            if first is None:
                first = QPointF(x, y)
            ends = clip_line(base.x(), base.y(), x, y, shape_code(self._nodes[source_id].kind), 0)
            if not len(segment_hits(np.array([ends]), boxes)[0]):
                return QPointF(x, y)
        return first if first is not None else QPointF(x, base.y())

    def add_step_in_view(self, point: QPointF) -> str:
        """Tab with nothing selected: a first step where the user is looking, label ready to type."""
        process = self.document.get("processes", self.process_at(point))
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

    def address_dialog(self, node_id: str) -> str | None:
        """Right-click ▸ Addresses…: pick the buyer step (in any process) a company action
        serves, or for a buyer step the action that serves it; connects them (one undo step)."""
        doc = self.document
        node = doc.get("nodes", node_id)
        serving = node.kind == "action"
        wanted = "buyer_step" if serving else "action"
        linked = {
            (e.target if serving else e.source)
            for e in doc.map.edges
            if e.kind == "addresses" and (e.source if serving else e.target) == node_id
        }
        names = {p.id: p.name for p in doc.map.processes}
        choices = [
            (n.id, f"{names.get(n.process, n.process)}: {n.label or n.id}")
            for n in doc.map.nodes
            if n.kind == wanted and n.id not in linked
        ]
        label = node.label or node.id
        if not choices:
            what = "buyer steps" if serving else "company actions"
            self.status_message.emit(f"There are no other {what} for '{label}' to connect to.")
            return None
        title, text = (
            ("Addresses a buyer step", f"Which buyer step does '{label}' serve?")
            if serving
            else ("Addressed by an action", f"Which company action serves '{label}'?")
        )
        parent = self.views()[0] if self.views() else None
        picked = dialogs.choose(parent, title, text, choices)
        if not picked:
            return None
        return (
            self.connect_nodes(node_id, picked) if serving else self.connect_nodes(picked, node_id)
        )

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
            self.editor.move_nodes(moves, mergeable=True, group=self.group_page)

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
            f"'{a}' and '{b}' are in different processes: only a company action serving a "
            "buyer step, or a message between two steps (never from an entry, to an outcome, "
            "or to or from a decision), can reach across."
        )
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
