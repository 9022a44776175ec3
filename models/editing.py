"""The map being edited: one mutable document with Qt-free change signals.

The editor's undo commands call only this API; the canvas, outline, panels,
analysis and autosave listen to its psygnal signals. Every method validates
first and changes nothing when it refuses (raising :class:`EditError`), and
signals fire only on a real change.

>>> from models.document import JourneyMap, Process, Node
>>> doc = MapDocument(JourneyMap())
>>> seen = []
>>> _ = doc.item_added.connect(lambda coll, item, index: seen.append((coll, item.id)))
>>> doc.add("processes", Process(id="p", name="Funnel"))
0
>>> doc.add("nodes", Node(id="n", process="p", label="Demo"))
0
>>> doc.update("nodes", "n", label="Live demo")
{'label': 'Demo'}
>>> seen
[('processes', 'p'), ('nodes', 'n')]
"""

from __future__ import annotations

import secrets
from typing import Any

from psygnal import Signal
from pydantic import ValidationError

from .connect import check_connect, check_ends
from .document import COLLECTIONS, SINGULAR, Edge, Item, JourneyMap, Node
from .errors import EditError, plain_validation_message
from .jsonloc import format_path
from .scalars import MAX_COORDINATE, Point


class MapDocument:
    """A :class:`JourneyMap` plus id indexes and change notification."""

    item_added = Signal(str, object, int)
    """(collection, item, index) after an item was inserted."""
    item_removed = Signal(str, object, int)
    """(collection, item, index it had) after an item was removed."""
    item_changed = Signal(str, object, dict)
    """(collection, item, {field: old value}) after fields changed."""
    positions_changed = Signal(dict)
    """({node id: (x, y) or None}) after nodes moved on their diagrams: one edit (a drag, an
    auto-layout of 2,000 steps, its undo) is one signal."""
    group_positions_changed = Signal(dict)
    """({node id: (x, y) or None}) after nodes moved on the buying-group page (None: placed
    by lane and stage again)."""
    map_changed = Signal(dict)
    """({field: old value}) after a top-level field (name, currency, period...) changed."""
    reset = Signal()
    """The whole map was replaced (open, revert): follow it as well as ``changed``."""
    changed = Signal()
    """After any edit above (not after ``reset``): for the debounced analysis and stale results."""

    def __init__(self, doc: JourneyMap | None = None) -> None:
        self.map = doc if doc is not None else JourneyMap()
        self._index: dict[str, dict[str, Item]] = {}
        self._reindex()

    # --- whole document --------------------------------------------------------------------

    def replace(self, doc: JourneyMap) -> None:
        self.map = doc
        self._reindex()
        self.reset.emit()

    def _reindex(self) -> None:
        self._index = {
            name: {item.id: item for item in getattr(self.map, name)} for name in COLLECTIONS
        }

    # --- queries ---------------------------------------------------------------------------

    def get(self, collection: str, item_id: str) -> Any:
        try:
            return self._index[collection][item_id]
        except KeyError:
            raise EditError(f"there is no {SINGULAR[collection]} with id {item_id!r}") from None

    def has(self, collection: str, item_id: str) -> bool:
        return item_id in self._index[collection]

    def index_of(self, collection: str, item_id: str) -> int:
        return getattr(self.map, collection).index(self.get(collection, item_id))

    def edges_at(self, node_id: str) -> list[Edge]:
        """Edges that start or end at a node, in map order."""
        return [e for e in self.map.edges if node_id in (e.source, e.target)]

    def position(self, node_id: str) -> Point | None:
        return self.map.layout.nodes.get(node_id)

    def new_id(self, collection: str, prefix: str | None = None) -> str:
        """A fresh id; random, so two people editing branches of one map rarely collide."""
        prefix = prefix or SINGULAR[collection].lower()
        while True:
            candidate = f"{prefix}-{secrets.token_hex(3)}"
            if candidate not in self._index[collection]:
                return candidate

    # --- edits -----------------------------------------------------------------------------

    def check_add(self, collection: str, item: Item) -> None:
        """Raise EditError if ``item`` cannot be added: its id is taken, its process is
        missing, or (an edge) :func:`~models.connect.check_connect` refuses it."""
        if item.id in self._index[collection]:
            raise EditError(f"the id {item.id!r} is already used by another {SINGULAR[collection]}")
        if isinstance(item, Node):
            self._check_process(item)
        elif isinstance(item, Edge):
            check_connect(self, item.source, item.target, item.kind)

    def add(self, collection: str, item: Item, index: int | None = None) -> int:
        """Insert ``item`` (at ``index``, default the end); returns where it went."""
        items = getattr(self.map, collection)
        self.check_add(collection, item)
        index = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(index, item)
        self._index[collection][item.id] = item
        self.item_added.emit(collection, item, index)
        self.changed.emit()
        return index

    def remove(self, collection: str, item_id: str) -> tuple[Any, int]:
        """Remove an item; returns it and the index it had, for undo.

        A node with edges, or a process with nodes, is refused: remove those
        first (the editor composes that into one undoable step).
        """
        item = self.get(collection, item_id)
        if collection == "nodes" and self.edges_at(item_id):
            raise EditError(f"node {item_id!r} still has edges; remove them first")
        if collection == "processes" and any(n.process == item_id for n in self.map.nodes):
            raise EditError(f"process {item_id!r} still has nodes; remove them first")
        items = getattr(self.map, collection)
        index = items.index(item)
        del items[index]
        del self._index[collection][item_id]
        if collection == "nodes":
            self.map.layout.nodes.pop(item_id, None)
            self.map.layout.group.pop(item_id, None)
        self.item_removed.emit(collection, item, index)
        self.changed.emit()
        return item, index

    def update(self, collection: str, item_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of an item after validating them all; returns the old values.

        Nothing changes if any value is refused: the :class:`EditError` says why
        in words a person can act on.
        """
        item = self.get(collection, item_id)
        checked = self.check_update(collection, item_id, **changes)
        old = {
            name: getattr(item, name)
            for name in changes
            if getattr(item, name) != getattr(checked, name)
        }
        if old:
            # copy-on-write: the edited item is a new object, so a snapshot taken before the edit
            # (a worker analysing, simulating or exporting) never sees it half-changed
            items = getattr(self.map, collection)
            items[next(i for i, x in enumerate(items) if x is item)] = checked
            self._index[collection][item_id] = checked
            self.item_changed.emit(collection, checked, old)
            self.changed.emit()
        return old

    def snapshot(self) -> JourneyMap:
        """The map as it is now, for a worker thread: new lists and layout, items shared.

        Items are never changed in place (see :meth:`update`), so this is as good as a
        deep copy and costs next to nothing, even for 100,000 nodes.
        """
        doc = self.map
        update: dict[str, object] = {name: list(getattr(doc, name)) for name in COLLECTIONS}
        update["layout"] = doc.layout.model_copy(
            update={"nodes": dict(doc.layout.nodes), "group": dict(doc.layout.group)}
        )
        return doc.model_copy(update=update)

    def check_update(self, collection: str, item_id: str, **changes: Any) -> Item:
        """Validate ``changes`` without applying them; return the would-be item or raise EditError.

        An edge whose ends or kind change must pass :func:`~models.connect.check_connect`;
        a node that changes kind or process must leave every edge at it legal.
        """
        item: Item = self.get(collection, item_id)
        if "id" in changes and changes["id"] != item_id:
            raise EditError("ids are stable and cannot be changed; rename the label instead")
        try:
            checked = type(item).model_validate({**item.model_dump(), **changes})
        except ValidationError as error:
            raise EditError(_plain(error)) from None
        if isinstance(checked, Node) and isinstance(item, Node):
            self._check_process(checked)
            if (checked.kind, checked.process) != (item.kind, item.process):
                self._check_edges_at(checked)
        elif isinstance(checked, Edge) and isinstance(item, Edge):
            if (checked.source, checked.target, checked.kind) != (
                item.source,
                item.target,
                item.kind,
            ):
                check_connect(self, checked.source, checked.target, checked.kind, item_id)
        return checked

    def set_position(self, node_id: str, position: Point | None) -> None:
        """Move a node on its process's diagram (None: no position yet)."""
        self.set_positions({node_id: position})

    def group_position(self, node_id: str) -> Point | None:
        """Where the user put a node on the buying-group page (None: placed by lane and stage)."""
        return self.map.layout.group.get(node_id)

    def set_group_position(self, node_id: str, position: Point | None) -> None:
        """Move a node on the buying-group page (None: back to its place by lane and stage)."""
        self.set_positions({node_id: position}, group=True)

    def set_positions(self, moves: dict[str, Point | None], group: bool = False) -> None:
        """Move nodes on their diagrams (``group``: on the buying-group page), all or none, and
        say so once (``positions_changed`` or ``group_positions_changed``, then ``changed``):
        an auto-layout of 2,000 steps is one change, not 2,000."""
        checked = {node_id: self._checked_position(node_id, p) for node_id, p in moves.items()}
        where = self.map.layout.group if group else self.map.layout.nodes
        signal = self.group_positions_changed if group else self.positions_changed
        moved = [node_id for node_id, p in checked.items() if where.get(node_id) != p]
        for node_id in moved:
            position = checked[node_id]
            if position is None:
                del where[node_id]
            else:
                where[node_id] = position
        if moved:
            signal.emit({node_id: where.get(node_id) for node_id in moved})
            self.changed.emit()

    def _checked_position(self, node_id: str, position: Point | None) -> Point | None:
        self.get("nodes", node_id)
        if position is None:
            return None
        position = (float(position[0]), float(position[1]))
        if not all(abs(v) <= MAX_COORDINATE for v in position):  # also refuses nan and inf
            raise EditError(
                f"layout.nodes.{node_id}: a position must lie within "
                f"{MAX_COORDINATE:,.0f} of the origin, not {position}"
            )
        return position

    def set_map_fields(self, **changes: Any) -> dict[str, Any]:
        """Change top-level fields (name, description, currency, period)."""
        checked = self.check_map_fields(**changes)
        old = {}
        for name in changes:
            if getattr(self.map, name) != getattr(checked, name):
                old[name] = getattr(self.map, name)
                setattr(self.map, name, getattr(checked, name))
        if old:
            self.map_changed.emit(old)
            self.changed.emit()
        return old

    def check_map_fields(self, **changes: Any) -> JourneyMap:
        """Validate top-level field changes without applying them; raise EditError if refused."""
        allowed = {"name", "description", "currency", "period", "capacity_policy"}
        unknown = set(changes) - allowed
        if unknown:
            raise EditError(f"cannot set {', '.join(sorted(unknown))} this way")
        header = self.map.model_dump(include=allowed)
        try:
            return JourneyMap.model_validate({**header, **changes})
        except ValidationError as error:
            raise EditError(_plain(error)) from None

    # Only structural references are enforced (the ones loading refuses);
    # a missing stage or team is a finding of the analysis, not an error.

    def _check_process(self, node: Node) -> None:
        if node.process not in self._index["processes"]:
            raise EditError(f"there is no process with id {node.process!r}")

    def _check_edges_at(self, node: Node) -> None:
        """The connection rules for the edges at ``node``, as it would be after a change."""
        for edge in self.edges_at(node.id):
            if edge.kind == "addresses":  # a company action serving a buyer step: any ends
                continue
            source = node if edge.source == node.id else self.get("nodes", edge.source)
            target = node if edge.target == node.id else self.get("nodes", edge.target)
            check_ends(source, target, edge.kind)


def _plain(error: ValidationError) -> str:
    """The refusal as the Properties panel shows it: the field, then what is wrong and what to do."""
    first = error.errors(include_url=False)[0]
    return f"{format_path(tuple(first['loc']))}: {plain_validation_message(first)}"
