"""Every edit of the map is one of these undoable commands.

Commands are tiny and call only the :class:`~models.editing.MapDocument` API;
views update from the document's signals, never from here. The
:class:`DocumentEditor` is the one edit API the canvas, panels and dialogs use:
it validates first (so a refused value never reaches the stack), composes
multi-item edits into macros, and owns the :class:`QUndoStack` whose clean
state is the window's "modified" flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.document import Edge, Node
from models.editing import MapDocument
from models.scalars import Point
from models.units import shortened

_KIND_WORDS = {
    "nodes": "step",
    "edges": "connection",
    "processes": "process",
    "roles": "role",
    "teams": "team",
    "stages": "stage",
    "criteria": "criteria",
    "slas": "SLA",
    "scenarios": "scenario",
}


_FIELD_WORDS = {
    "delay_days": "delay",
    "duration_days": "duration",
    "response_hours": "response time",
    "attempt_window_days": "attempt window",
    "attempt_minutes": "minutes per attempt",
    "owner": "owner team",
    "subprocess": "opened process",
}


def _name(item: Any, document: MapDocument | None = None) -> str:
    """How the undo history names an item: its label or name; a connection by its two steps."""
    text = getattr(item, "label", None) or getattr(item, "name", None)
    if not text and isinstance(item, Edge) and document is not None:
        ends = [
            document.get("nodes", n).label or n if document.has("nodes", n) else n
            for n in (item.source, item.target)
        ]
        return f"{shortened(ends[0], 20)} → {shortened(ends[1], 20)}"
    return shortened(text or item.id)


def _fields(changes) -> str:
    """Field names as words: delay_days -> delay, call_to_action -> call to action."""
    return ", ".join(_FIELD_WORDS.get(field, field.replace("_", " ")) for field in changes)


class AddItemCommand(QUndoCommand):
    def __init__(
        self,
        document: MapDocument,
        collection: str,
        item: Any,
        index: int | None = None,
        position: Point | None = None,
    ) -> None:
        super().__init__(f"Add {_KIND_WORDS[collection]} '{_name(item, document)}'")
        self.document, self.collection, self.item = document, collection, item
        self.index, self.position = index, position

    def redo(self) -> None:
        self.index = self.document.add(self.collection, self.item, self.index)
        if self.position is not None:
            self.document.set_position(self.item.id, self.position)

    def undo(self) -> None:
        self.document.remove(self.collection, self.item.id)


class RemoveItemCommand(QUndoCommand):
    def __init__(self, document: MapDocument, collection: str, item_id: str) -> None:
        item = document.get(collection, item_id)
        super().__init__(f"Remove {_KIND_WORDS[collection]} '{_name(item, document)}'")
        self.document, self.collection, self.item_id = document, collection, item_id
        self.item, self.index, self.position, self.group_position = item, None, None, None

    def redo(self) -> None:
        if self.collection == "nodes":
            self.position = self.document.position(self.item_id)
            self.group_position = self.document.group_position(self.item_id)
        self.item, self.index = self.document.remove(self.collection, self.item_id)

    def undo(self) -> None:
        self.document.add(self.collection, self.item, self.index)
        if self.position is not None:
            self.document.set_position(self.item_id, self.position)
        if self.group_position is not None:
            self.document.set_group_position(self.item_id, self.group_position)


class UpdateItemCommand(QUndoCommand):
    def __init__(
        self,
        document: MapDocument,
        collection: str,
        item_id: str,
        changes: dict[str, Any],
        text: str | None = None,
    ) -> None:
        item = document.get(collection, item_id)
        super().__init__(text or f"Change {_fields(changes)} of '{_name(item, document)}'")
        self.document, self.collection, self.item_id = document, collection, item_id
        self.changes, self.old = dict(changes), {}

    def redo(self) -> None:
        old = self.document.update(self.collection, self.item_id, **self.changes)
        self.old = {
            **{
                k: getattr(self.document.get(self.collection, self.item_id), k)
                for k in self.changes
                if k not in old
            },
            **old,
        }

    def undo(self) -> None:
        self.document.update(self.collection, self.item_id, **self.old)


class MoveNodesCommand(QUndoCommand):
    """Moves recorded once per drag (at mouse release); keyboard nudges merge into one step."""

    ID = 1001

    def __init__(
        self,
        document: MapDocument,
        moves: dict[str, tuple[Point | None, Point | None]],
        mergeable: bool = False,
        group: bool = False,
    ) -> None:
        count = len(moves)
        super().__init__("Move step" if count == 1 else f"Move {count} steps")
        self.document, self.moves, self.mergeable = document, dict(moves), mergeable
        self.group = group  # on the buying-group page, or on the steps' own process diagrams

    def id(self) -> int:
        return self.ID if self.mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, MoveNodesCommand) or not other.mergeable:
            return False
        if other.group != self.group:
            return False
        if set(other.moves) != set(self.moves):
            return False
        for node_id, (_, new) in other.moves.items():
            self.moves[node_id] = (self.moves[node_id][0], new)
        return True

    def redo(self) -> None:  # one change of the document, however many steps move
        self.document.set_positions({n: new for n, (_, new) in self.moves.items()}, self.group)

    def undo(self) -> None:
        self.document.set_positions({n: old for n, (old, _) in self.moves.items()}, self.group)


class SetMapFieldsCommand(QUndoCommand):
    def __init__(self, document: MapDocument, changes: dict[str, Any]) -> None:
        super().__init__(f"Change map {_fields(changes)}")
        self.document, self.changes, self.old = document, dict(changes), {}

    def redo(self) -> None:
        self.old = {
            **{k: getattr(self.document.map, k) for k in self.changes},
            **self.document.set_map_fields(**self.changes),
        }

    def undo(self) -> None:
        self.document.set_map_fields(**self.old)


class DocumentEditor(QObject):
    """The single edit API of the desktop app: validated, undoable edits of one map."""

    def __init__(self, document: MapDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")

    # --- composition -----------------------------------------------------------------------

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group the edits made inside the block into one undo step."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    # --- edits -----------------------------------------------------------------------------

    def add_node(self, node: Node, position: Point | None = None) -> str:
        self.document.check_add("nodes", node)
        self.push(AddItemCommand(self.document, "nodes", node, position=position))
        return node.id

    def add_edge(self, edge: Edge) -> str:
        self.document.check_add("edges", edge)
        self.push(AddItemCommand(self.document, "edges", edge))
        return edge.id

    def add_item(self, collection: str, item: Any, index: int | None = None) -> str:
        self.document.check_add(collection, item)
        self.push(AddItemCommand(self.document, collection, item, index))
        return item.id

    def update(
        self, collection: str, item_id: str, text: str | None = None, **changes: Any
    ) -> bool:
        """Validate and apply; raises EditError (nothing pushed) when refused. False if no change."""
        checked = self.document.check_update(collection, item_id, **changes)
        current = self.document.get(collection, item_id)
        real = {
            k: getattr(checked, k) for k in changes if getattr(current, k) != getattr(checked, k)
        }
        if not real:
            return False
        self.push(UpdateItemCommand(self.document, collection, item_id, real, text))
        return True

    def set_map_fields(self, **changes: Any) -> None:
        self.push(SetMapFieldsCommand(self.document, changes))

    def move_nodes(
        self, positions: dict[str, Point], *, mergeable: bool = False, group: bool = False
    ) -> None:
        """Move steps on their process diagrams, or (``group``) on the buying-group page."""
        now = self.document.group_position if group else self.document.position
        moves: dict[str, tuple[Point | None, Point | None]] = {
            nid: (now(nid), (float(p[0]), float(p[1])))
            for nid, p in positions.items()
            if now(nid) != tuple(p)
        }
        if moves:
            self.push(MoveNodesCommand(self.document, moves, mergeable, group))

    def remove_edges(self, edge_ids: Iterable[str]) -> None:
        edge_ids = [e for e in dict.fromkeys(edge_ids) if self.document.has("edges", e)]
        if not edge_ids:
            return
        with self.macro(f"Remove {len(edge_ids)} connection{'s' if len(edge_ids) > 1 else ''}"):
            for edge_id in edge_ids:
                self.push(RemoveItemCommand(self.document, "edges", edge_id))

    def remove_nodes(self, node_ids: Iterable[str], edge_ids: Iterable[str] = ()) -> None:
        """Remove nodes with every edge touching them (and extra edges) as one undo step."""
        node_ids = [n for n in dict.fromkeys(node_ids) if self.document.has("nodes", n)]
        edges = list(dict.fromkeys(edge_ids))
        for node_id in node_ids:
            edges += [e.id for e in self.document.edges_at(node_id)]
        edges = [e for e in dict.fromkeys(edges) if self.document.has("edges", e)]
        if not node_ids and not edges:
            return
        if len(node_ids) == 1 and not edge_ids:
            text = f"Remove step '{_name(self.document.get('nodes', node_ids[0]))}'"
        else:
            text = f"Remove {len(node_ids)} steps and {len(edges)} connections"
        with self.macro(text):
            for edge_id in edges:
                self.push(RemoveItemCommand(self.document, "edges", edge_id))
            for node_id in node_ids:
                self.push(RemoveItemCommand(self.document, "nodes", node_id))

    def remove_item(self, collection: str, item_id: str) -> None:
        """Remove a role, team, stage... or a whole process with its nodes, as one step."""
        if collection == "nodes":
            self.remove_nodes([item_id])
            return
        item = self.document.get(collection, item_id)
        with self.macro(f"Remove {_KIND_WORDS[collection]} '{_name(item)}'"):
            if collection == "processes":
                self.remove_nodes([n.id for n in self.document.map.nodes if n.process == item_id])
            self.push(RemoveItemCommand(self.document, collection, item_id))
