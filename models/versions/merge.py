"""The three-way merge of a map: what each side changed since the common version, joined.

Items are matched by id. An item changed on one side only takes that side's version;
different fields of one item changed on the two sides are both kept; the same field changed
to two different values is a :class:`Conflict`, as is an item one side removed and the other
changed, and a merged map that breaks a rule loading enforces (an edge whose step the other
side removed, two new edges joining the same two steps...). The merged file is always valid
JSON; with conflicts it carries the list under ``merge_conflicts`` (and ours' value at each
place), which loading refuses until a person resolves them.

>>> from models.document import Edge, JourneyMap, Node, Process
>>> base = JourneyMap(processes=[Process(id="f", name="F")],
...                   nodes=[Node(id="a", process="f"), Node(id="b", process="f")],
...                   edges=[Edge(id="e", source="a", target="b", conversion=0.3)])
>>> ours = base.model_copy(deep=True); ours.edges[0].conversion = 0.4
>>> theirs = base.model_copy(deep=True); theirs.edges[0].label = "Booked"
>>> merged = merge_maps(base, ours, theirs)
>>> merged.conflicts, merged.doc.edges[0].conversion, merged.doc.edges[0].label
([], 0.4, 'Booked')
>>> theirs.edges[0].conversion = 0.5
>>> [c.line() for c in merge_maps(base, ours, theirs).conflicts]
['edge "e" conversion: base 0.3, ours 0.4, theirs 0.5 (changed on both sides)']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..canonical import canonical_json
from ..document import COLLECTIONS, JourneyMap, Layout
from ..fileformat import CONFLICTS_KEY, conflict_line
from ..integrity import structural_problems
from ..storage import dumps_map
from .items import (
    COLLECTION_NAMES,
    LAYOUT_PARTS,
    MAP_FIELDS,
    MISSING,
    Flat,
    Path,
    field_name,
    flatten,
    set_path,
)
from .order import merge_order


@dataclass(frozen=True)
class Conflict:
    """One place the two sides disagree: an item, a field ("" for the whole item), three values."""

    collection: str  # a collection, "map" for the map's own fields, "layout.nodes" / "layout.group"
    id: str
    field: str
    base: Any
    ours: Any
    theirs: Any
    reason: str

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"collection": self.collection, "id": self.id, "field": self.field}
        for side in ("base", "ours", "theirs"):
            value = getattr(self, side)
            if value is not MISSING:
                record[side] = value
        record["reason"] = self.reason
        return record

    def line(self) -> str:
        return conflict_line(self.to_dict())


@dataclass
class MergeResult:
    doc: JourneyMap
    """The merged map (ours' value at each conflict)."""
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def text(self) -> str:
        """The file to write: the canonical map, with conflicts their list at its top."""
        text = dumps_map(self.doc)
        if self.clean:
            return text
        body = json.loads(text)
        head = {key: body.pop(key) for key in ("format", "schema_version")}
        head[CONFLICTS_KEY] = [c.to_dict() for c in self.conflicts]
        return canonical_json({**head, **body}) + "\n"


def merge_maps(base: JourneyMap | None, ours: JourneyMap, theirs: JourneyMap) -> MergeResult:
    """Merge ``ours`` and ``theirs``, two versions of ``base`` (None: no common version).

    Items compare as models; only an item both sides changed is taken apart field by field
    (and validated again), so merging two 2,000-step maps costs little more than reading them.
    """
    sides = (base, ours, theirs)
    conflicts: list[Conflict] = []
    fields, clashes = _merge_flat(*(_own_fields(doc) for doc in sides))
    conflicts += [
        Conflict("map", "map", field_name(p), b, o, t, "changed on both sides")
        for p, b, o, t in clashes
    ]
    values: dict[str, Any] = {name: fields[(name,)] for name in MAP_FIELDS if (name,) in fields}
    for collection in COLLECTION_NAMES:
        items, found = _merge_items(
            collection, *(getattr(doc, collection) if doc is not None else [] for doc in sides)
        )
        values[collection] = items
        conflicts += found
    nodes = {node.id for node in values["nodes"]}
    layout: dict[str, dict[str, Any]] = {}
    for part in LAYOUT_PARTS:
        positions, clashes = _merge_flat(
            *(_keyed(getattr(doc.layout, part)) if doc is not None else {} for doc in sides)
        )
        layout[part] = {p[0]: v for p, v in positions.items() if p[0] in nodes}
        conflicts += [
            Conflict(
                f"layout.{part}",
                p[0],
                "",
                _point(b),
                _point(o),
                _point(t),
                "moved to different places on both sides",
            )
            for p, b, o, t in clashes
            if p[0] in nodes
        ]
    # every item is a model that was valid on its own: what is left to check spans items
    placed = Layout.model_construct(nodes=layout["nodes"], group=layout["group"])
    doc = JourneyMap.model_construct(**values, layout=placed)
    for problem in structural_problems(doc):
        conflicts.append(_located(doc, sides, problem.path, f"breaks a rule: {problem.message}"))
    return MergeResult(doc, conflicts)


def _merge_items(
    collection: str, base: list[Any], ours: list[Any], theirs: list[Any]
) -> tuple[list[Any], list[Conflict]]:
    b_items, o_items, t_items = (
        {item.id: item for item in items} for items in (base, ours, theirs)
    )
    merged: list[Any] = []
    conflicts: list[Conflict] = []
    order = merge_order(*([item.id for item in items] for items in (base, ours, theirs)))
    for item_id in order:
        b, o, t = b_items.get(item_id), o_items.get(item_id), t_items.get(item_id)
        if o == t:
            result = o
        elif o == b:
            result = t
        elif t == b:
            result = o
        elif o is None or t is None:  # removed on one side, changed on the other: keep it
            kept = t if o is None else o
            assert kept is not None
            result = kept
            before = _flat(b)
            changed = _changed(before, _flat(kept))
            removed, kept_by = ("ours", "theirs") if o is None else ("theirs", "ours")
            record: dict[str, Any] = {
                "base": {field_name(p): _json(before.get(p, MISSING)) for p in changed},
                removed: MISSING,
                kept_by: {field_name(p): _json(v) for p, v in changed.items()},
            }
            conflicts.append(
                Conflict(
                    collection,
                    item_id,
                    "",
                    record["base"],
                    record["ours"],
                    record["theirs"],
                    f"removed by {removed}, changed by {kept_by}: kept with {kept_by}' changes",
                )
            )
        else:
            dumps = [_dump(x) for x in (b, o, t)]
            flat, clashes = _merge_flat(*(flatten(d) for d in dumps))
            data: dict[str, Any] = {"id": item_id}
            for path, value in flat.items():
                set_path(data, path, value)
            _order_mappings(data, *dumps)
            result = COLLECTIONS[collection].model_validate(data)
            reason = "changed on both sides" if b is not None else "added on both sides"
            conflicts += [
                Conflict(collection, item_id, field_name(p), bv, ov, tv, reason)
                for p, bv, ov, tv in clashes
            ]
        if result is not None:
            merged.append(result)
    return merged, conflicts


def _dump(item: Any) -> dict[str, Any]:
    return {} if item is None else item.model_dump(mode="json")


def _flat(item: Any) -> Flat:
    return flatten(_dump(item))


def _point(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _order_mappings(item: dict[str, Any], *sides: dict[str, Any]) -> None:
    """Keys of each mapping field (a scenario's overrides) in one order whichever side is ours."""
    for name, mapping in item.items():
        if isinstance(mapping, dict):
            keys = merge_order(*(list(side.get(name) or {}) for side in sides))
            item[name] = {key: mapping[key] for key in keys if key in mapping}


def _own_fields(doc: JourneyMap | None) -> Flat:
    return {} if doc is None else {(name,): getattr(doc, name) for name in MAP_FIELDS}


def _keyed(positions: dict[str, Any]) -> Flat:
    return {(node_id,): position for node_id, position in positions.items()}


def _json(value: Any) -> Any:
    return None if value is MISSING else value


def _changed(before: Flat, after: Flat) -> dict[Path, Any]:
    """after's value of every path that differs from before (MISSING for a key it dropped)."""
    changed = {p: v for p, v in after.items() if before.get(p, MISSING) != v}
    changed.update({p: MISSING for p in before if p not in after})
    return changed


def _merge_flat(
    base: Flat, ours: Flat, theirs: Flat
) -> tuple[Flat, list[tuple[Path, Any, Any, Any]]]:
    """Three versions of one item's fields, field by field; the clashes (ours' value kept)."""
    merged: Flat = {}
    clashes: list[tuple[Path, Any, Any, Any]] = []
    for path in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = base.get(path, MISSING), ours.get(path, MISSING), theirs.get(path, MISSING)
        if o == t:
            value = o
        elif o == b:
            value = t
        elif t == b:
            value = o
        else:
            clashes.append((path, b, o, t))
            value = o
        if value is not MISSING:
            merged[path] = value
    return merged, clashes


def _located(
    doc: JourneyMap, sides: tuple[JourneyMap | None, ...], path: tuple[Any, ...], message: str
) -> Conflict:
    """A rule the merged map breaks, at the item and field it names, with the three values."""
    collection = str(path[0]) if path else ""
    if collection not in COLLECTION_NAMES or len(path) < 2 or not isinstance(path[1], int):
        field_path = ".".join(map(str, path))
        return Conflict("map", "map", field_path, MISSING, MISSING, MISSING, message)
    item_id = getattr(doc, collection)[path[1]].id
    name = str(path[2]) if len(path) > 2 else ""
    values: list[Any] = []
    for side in sides:
        items = getattr(side, collection) if side is not None else []
        item = next((x for x in items if x.id == item_id), None)
        values.append(
            MISSING if item is None else _dump(item).get(name, MISSING) if name else "present"
        )
    return Conflict(collection, item_id, name, values[0], values[1], values[2], message)
