"""One process as a QGraphicsScene: a projection of the workspace that follows its signals.

Only the scene creates and changes canvas items (``item_for_node``, ``node_for_item``):
labels, shapes and colours from the document, badges and the simulation's flow from the
workspace's derived state. Items paint and emit intent; every change the user makes goes
through the workspace's undo editor (``scene_edits.py``), and the scene redraws from the
signals, never from the gesture itself.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

from app.gui.canvas.edge_layer import EdgeLayer, EdgeLine, clip_ends, shape_code
from app.gui.canvas.geometry import centres_extent
from app.gui.canvas.interactions import Interaction
from app.gui.canvas.label_editor import LabelEditor
from app.gui.canvas.labels import percent
from app.gui.canvas.node_item import NodeItem
from app.gui.canvas.scene_changes import SceneChanges
from app.gui.canvas.scene_input import SceneInput
from app.gui.canvas.scene_look import CACHED, SceneLook
from app.gui.canvas.scene_routing import SceneRouting
from app.gui.canvas.scene_stubs import SceneStubs
from app.gui.canvas.stub_item import StubItem
from app.gui.workspace.workspace import Workspace
from models.document import Edge, Node
from models.signals import connect
from models.simulation.overlay import ProcessFlow

__all__ = ["MapScene", "percent"]

PROGRESSIVE_ABOVE = 600  # nodes: bigger processes are built in slices between repaints
# 4–11 ms a slice measured; with a repaint between slices, far inside the 200 ms stall budget
SLICE_NODES, SLICE_EDGES = 500, 1500


class MapScene(SceneLook, SceneChanges, SceneStubs, SceneRouting, SceneInput, QGraphicsScene):
    subprocess_requested = Signal(str)  # a process id to open
    reveal_requested = Signal(str, str)  # a process id and a step in it to show (a stub clicked)
    caption_changed = Signal(str)  # what the canvas says about the flow drawn on it ("": nothing)
    status_message = Signal(str)
    built = Signal()  # every item of the process is on the scene (emitted after each rebuild)
    routed = Signal()  # the connections are drawn along routes made for where the steps are now

    def __init__(
        self, workspace: Workspace, process_id: str, parent=None, progressive: bool | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.editor = workspace.editor
        self.document = workspace.document
        self.derived = workspace.derived
        self.process_id = process_id
        self._flow: ProcessFlow | None = self._flow_shown()  # the simulation's, drawn on the steps
        self._busiest = self._flow.busiest_edge() if self._flow else 1.0
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self._nodes: dict[str, NodeItem] = {}
        self._ghosts: list = []  # steps removed since a version compared (SceneChanges)
        self.edge_layer = EdgeLayer()
        self._edges: dict[str, EdgeLine] = self.edge_layer.lines
        self.interaction: Interaction | None = None
        self.label_editor: LabelEditor | None = None
        self.snap = True
        self._built_for = None
        self._progressive = progressive  # None: decide by size
        self._builder = None
        self.building = False
        self._pressed_selected = False
        # connections selected before a rebuild, selected again after it
        self._reselect: list[str] = []
        # steps keep a picture of themselves once the page has been painted (``painted``)
        self._steps_cached = False
        self._connect_model()
        self._init_routing()
        self.rebuild()

    # --- model -> items ----------------------------------------------------------------------

    def _connect_model(self) -> None:
        doc = self.document
        self._subscriptions = [
            (doc.item_added, self._on_item_added),
            (doc.item_removed, self._on_item_removed),
            (doc.item_changed, self._on_item_changed),
            (
                doc.group_positions_changed if self.group_page else doc.positions_changed,
                self._on_positions_changed,
            ),
            (doc.reset, self._on_reset),
            (self.derived.findings_changed, self._on_findings_changed),
            (self.derived.overlay_changed, self._on_overlay_changed),
            (self.derived.stale_changed, lambda _: self.caption_changed.emit(self.flow_caption())),
            (self.derived.changes_changed, self._on_changes_changed),
            (self.built, self._on_changes_changed),  # new items take the marks too
        ]
        for signal, slot in self._subscriptions:
            connect(signal, slot)

    def detach(self) -> None:
        """Stop following the workspace (the tab closed)."""
        for signal, slot in self._subscriptions:
            signal.disconnect(slot)
        self._subscriptions = []
        self._builder = None
        self.stop_routing()

    # --- what this scene shows (the buying-group scene shows every process) ----------------------

    group_page = False
    """True on the buying-group page: moves are recorded as that page's positions."""

    def shows(self, node: Node) -> bool:
        return node.process == self.process_id

    def _exists(self) -> bool:
        return self.document.has("processes", self.process_id)

    def position_of(self, node_id: str) -> tuple[float, float] | None:
        """Where a step sits on this page (None: not placed yet)."""
        return self.document.position(node_id)

    def _flow_shown(self) -> ProcessFlow | None:
        return self.derived.process_flow(self.process_id)

    def title(self) -> str:
        """What the tab and an export of this canvas are called."""
        if self._exists():
            return self.document.get("processes", self.process_id).name
        return self.process_id

    def process_at(self, point: QPointF) -> str:
        """The process a step made at ``point`` belongs to."""
        return self.process_id

    def item_count(self) -> int:
        """How many steps the scene shows."""
        return len(self._nodes)

    def node_ids(self) -> list[str]:
        """The steps the scene shows, by id."""
        return list(self._nodes)

    def item_for_node(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def item_for_edge(self, edge_id: str) -> EdgeLine | None:
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
        self._reselect = self.selected_edge_ids()
        self.clear()  # deletes the edge layer too: start a new one
        self._nodes.clear()
        self.edge_layer = EdgeLayer()
        self._edges = self.edge_layer.lines
        self.addItem(self.edge_layer)
        self._colors = {}
        self._stubs: dict[str, StubItem] = {}
        self._decorate()
        if not self._exists():
            self._finish_build()
            return
        nodes = [n for n in self.document.map.nodes if self.shows(n)]
        progressive = self._progressive
        if progressive is None:
            progressive = len(nodes) > PROGRESSIVE_ABOVE
        if not progressive:
            for node in nodes:
                self._add_node_item(node)
            self._add_edges(self.document.map.edges)
            self._finish_build()
            return
        self.building = True
        self._builder = self._slices([n.id for n in nodes])
        QTimer.singleShot(0, self, self._build_next)

    def _slices(self, node_ids: list[str]):
        doc = self.document
        for start in range(0, len(node_ids), SLICE_NODES):
            for node_id in node_ids[start : start + SLICE_NODES]:
                if node_id not in self._nodes and doc.has("nodes", node_id):
                    node = doc.get("nodes", node_id)
                    if self.shows(node):
                        self._add_node_item(node)
            yield
        edges = list(doc.map.edges)
        for start in range(0, len(edges), SLICE_EDGES):
            # read afresh: an edge may have been changed or removed, a step dragged, since the last slice
            self._add_edges(
                [
                    doc.get("edges", e.id)
                    for e in edges[start : start + SLICE_EDGES]
                    if doc.has("edges", e.id)
                ]
            )
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
        self.setSceneRect(self._content_extent().adjusted(-400, -300, 400, 300))
        kept, self._reselect = self._reselect, []
        if kept:  # the old layer went with clear(): select what still exists, and say so either way
            for edge_id in kept:
                if edge_id in self._edges:
                    self.edge_layer.set_selected(self._edges[edge_id], True)
            self.selectionChanged.emit()
        self.built.emit()

    def _content_extent(self) -> QRectF:
        """Steps and edges together, from plain numbers (itemsBoundingRect asks every item in Python)."""
        extent = self.edge_layer.boundingRect()
        nodes = self._nodes_extent(self._centres().values())
        if nodes.isNull():
            return extent
        return nodes.united(extent) if not extent.isNull() else nodes

    @staticmethod
    def _nodes_extent(centres) -> QRectF:
        """What steps centred at ``centres`` cover, badges and overlay text included."""
        box = NodeItem.BOUNDS
        extent = centres_extent(centres, (box.left(), box.top(), box.width(), box.height()))
        return QRectF(*extent) if extent else QRectF()

    def _decorate(self) -> None:
        """Items under the steps that are not the map's (the buying group's lanes)."""

    def _add_node_item(self, node: Node) -> NodeItem:
        item = NodeItem(node.id, node.kind, node.label, self._team_color(node.owner))
        item.badge = self.derived.badges.get(node.id)
        if self._flow is not None:
            item.overlay, item.highlight = self._flow_look(node.id)
        position = self.position_of(node.id)
        if position is None:
            count = len(self._nodes)
            position = ((count % 6) * 230.0, (count // 6) * 120.0)
        item.setPos(position[0], position[1])
        if self._steps_cached:
            item.setCacheMode(CACHED)
        self.addItem(item)
        self._nodes[node.id] = item
        return item

    def _centres(self) -> dict[str, tuple[float, float]]:
        """Every step's centre as plain floats, read once for a batch of edges."""
        out = {}
        for node_id, item in self._nodes.items():
            point = item.pos()
            out[node_id] = (point.x(), point.y())
        return out

    def _add_edges(self, edges) -> None:
        """A batch of edges: positions read once, ends clipped in one vectorised step, one
        geometry change for the layer."""
        nodes, known = self._nodes, self._edges
        centres = self._centres()
        batch, coords, source_shapes, target_shapes = [], [], [], []
        for edge in edges:
            source, target = nodes.get(edge.source), nodes.get(edge.target)
            if source is None or target is None or edge.id in known:
                if (source is None) != (target is None):
                    self._add_stub(edge)  # the other end is in another process
                continue
            batch.append((edge, source, target))
            coords.append(centres[edge.source] + centres[edge.target])
            source_shapes.append(shape_code(source.kind))
            target_shapes.append(shape_code(target.kind))
        if not batch:
            return
        ends = clip_ends(np.array(coords), np.array(source_shapes), np.array(target_shapes))
        layer = self.edge_layer
        lines = []
        for (edge, source, target), row in zip(batch, ends.tolist(), strict=True):
            line = EdgeLine(
                layer, edge.id, source, target, edge.kind, self._edge_text(edge), tuple(row)
            )
            if self._flow is not None:
                line.width = self._edge_width(edge.id)
            lines.append(line)
        layer.add_batch(lines, self._nodes_extent(centres.values()), ends)

    def _add_edge(self, edge: Edge) -> None:
        source, target = self._nodes.get(edge.source), self._nodes.get(edge.target)
        if (source is None) != (target is None):
            self._add_stub(edge)
        if source is not None and target is not None and edge.id not in self._edges:
            line = EdgeLine(
                self.edge_layer, edge.id, source, target, edge.kind, self._edge_text(edge)
            )
            line.width = self._edge_width(edge.id)
            self.edge_layer.add(line)

    def _on_item_added(self, collection: str, item, index: int) -> None:
        if collection == "nodes" and self.shows(item):
            self._room_for(self._add_node_item(item))
            if len(self._nodes) == 1:
                self._repaint_views()  # the empty-process hint goes
        elif collection == "edges":
            self._add_edge(item)

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == "nodes":
            node_item = self._nodes.pop(item.id, None)
            if node_item is not None:
                if self.label_editor and self.label_editor.node_id == item.id:
                    self.cancel_label_edit()
                self.removeItem(node_item)
                if not self._nodes:
                    self._repaint_views()  # the empty-process hint comes back
        elif collection == "edges":
            self._remove_stub(item.id)
            line = self.edge_layer.remove(item.id)
            if line is not None and line.selected:
                self.selectionChanged.emit()

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        if collection == "nodes":
            node_item = self._nodes.get(item.id)
            if "process" in old:
                if node_item is not None and not self.shows(item):
                    self.rebuild()
                    return
                if node_item is None and self.shows(item):
                    self.rebuild()
                    return
            if node_item is not None:
                self._refresh_node(node_item, item)
            if self._stubs and "label" in old:
                self._refresh_stubs()
        elif collection == "edges":
            line = self._edges.get(item.id)
            if (line is not None or item.id in self._stubs) and {"source", "target"} & set(old):
                self.rebuild()
                return
            if line is not None:
                line.set_content(item.kind, self._edge_text(item), self._edge_width(item.id))
        elif collection in ("processes", "roles") and self._stubs:
            self._refresh_stubs()
        elif collection == "teams":
            for node_id, node_item in self._nodes.items():
                self._refresh_node(node_item, self.document.get("nodes", node_id))

    def _on_positions_changed(self, moves: dict) -> None:
        edges: dict = {}  # the connections of the steps moved, each once (an ordered set)
        for node_id, position in moves.items():
            item = self._nodes.get(node_id)
            if item is not None and position is not None:
                point = QPointF(*position)
                if item.pos() != point:
                    item.setPos(point)
                    edges.update(dict.fromkeys(item.edges))
                self._room_for(item)
        self.edge_layer.follow(list(edges))

    def _room_for(self, item: NodeItem) -> None:
        """Grow the scrollable area when a step is added or moved past it (it is fixed at build time)."""
        if not self.building:
            bounds = item.sceneBoundingRect()
            if not self.sceneRect().contains(bounds):
                self.setSceneRect(self.sceneRect().united(bounds.adjusted(-400, -300, 400, 300)))

    def content_rect(self) -> QRectF:
        """What the steps cover (the edges run between them), from their centres."""
        return self._nodes_extent(self._centres().values())
