"""The semantic diff of two maps: items added, removed and changed field by field.

Items are matched by id, so a renamed step is one change (its label), not a removal and an
addition. Moves on the diagrams (``layout``) are listed apart, so a reviewer can hide them;
a change in the order of items that both versions hold (rare: the file keeps the order people
drew in) is listed apart too. :func:`apply_diff` replays a diff: ``apply_diff(a, diff_maps(a,
b)) == b`` for any two maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..document import COLLECTIONS, JourneyMap, Scenario
from .items import (
    COLLECTION_NAMES,
    LAYOUT_PARTS,
    MAP_FIELDS,
    MISSING,
    Path,
    as_data,
    field_name,
    flatten,
    set_path,
    title,
)

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    path: Path
    old: Any  # MISSING when the key was not there
    new: Any

    @property
    def field(self) -> str:
        return field_name(self.path)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"field": self.field}
        if self.old is not MISSING:
            record["old"] = self.old
        if self.new is not MISSING:
            record["new"] = self.new
        return record


@dataclass(frozen=True)
class ItemChange:
    collection: str  # a collection of the map, or "map" for the map's own fields
    id: str
    change: Change
    fields: tuple[FieldChange, ...] = ()
    item: dict[str, Any] | None = None  # the whole item, added (new) or removed (old)
    after: str | None = None  # added: the id of the item before it in the new map
    title: str = ""  # what a person calls it: a node's label and kind, an edge's ends

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "collection": self.collection,
            "id": self.id,
            "change": self.change,
        }
        if self.fields:
            record["fields"] = [f.to_dict() for f in self.fields]
        if self.title:
            record["title"] = self.title.strip()
        if self.item is not None:
            record["item"] = _without_defaults(self.collection, self.item)
        if self.change == "added":
            record["after"] = self.after
        return record


@dataclass(frozen=True)
class Move:
    part: str  # "nodes": a process's diagram; "group": the buying-group page
    id: str
    old: tuple[float, float] | None
    new: tuple[float, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "id": self.id, "old": self.old, "new": self.new}


@dataclass
class MapDiff:
    changes: list[ItemChange] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    order: dict[str, list[str]] = field(default_factory=dict)
    """collection -> every id in the new order, when items both maps hold changed order."""

    def equal(self, layout: bool = True) -> bool:
        return not self.changes and not self.order and not (layout and self.moves)

    def counts(self) -> dict[str, int]:
        counted = {
            c: sum(1 for x in self.changes if x.change == c)
            for c in ("added", "removed", "changed")
        }
        return {**counted, "moved": len(self.moves)}

    def to_dict(self, layout: bool = True) -> dict[str, Any]:
        counts = self.counts()
        if not layout:
            counts.pop("moved")
        return {
            "equal": self.equal(layout),
            "summary": counts,
            "changes": [c.to_dict() for c in self.changes],
            **({"layout": [m.to_dict() for m in self.moves]} if layout else {}),
            "order": self.order,
        }


def _without_defaults(collection: str, item: dict[str, Any]) -> dict[str, Any]:
    """An item as the file writes it: fields at their default left out."""
    model = COLLECTIONS[collection].model_validate(item)
    return model.model_dump(mode="json", exclude_defaults=True) | {"id": item["id"]}


def diff_maps(old: JourneyMap, new: JourneyMap) -> MapDiff:
    """What changed from ``old`` to ``new``: linear in the size of the maps (items compare
    as models; only a changed one is taken apart field by field)."""
    result = MapDiff()
    fields = _changed_fields(
        {(f,): getattr(old, f) for f in MAP_FIELDS}, {(f,): getattr(new, f) for f in MAP_FIELDS}
    )
    if fields:
        result.changes.append(ItemChange("map", "map", "changed", fields))
    for collection in COLLECTION_NAMES:
        before = {item.id: item for item in getattr(old, collection)}
        after_items = getattr(new, collection)
        previous: str | None = None
        for model in after_items:
            item_id = model.id
            was = before.get(item_id)
            if was is None:
                item = model.model_dump(mode="json")
                result.changes.append(
                    ItemChange(
                        collection,
                        item_id,
                        "added",
                        item=item,
                        after=previous,
                        title=title(collection, item),
                    )
                )
            elif was != model:
                item = model.model_dump(mode="json")
                fields = _changed_fields(flatten(was.model_dump(mode="json")), flatten(item))
                if fields:
                    result.changes.append(
                        ItemChange(
                            collection, item_id, "changed", fields, title=title(collection, item)
                        )
                    )
            previous = item_id
        now = {model.id for model in after_items}
        for model in getattr(old, collection):
            if model.id not in now:
                item = model.model_dump(mode="json")
                result.changes.append(
                    ItemChange(
                        collection, model.id, "removed", item=item, title=title(collection, item)
                    )
                )
        kept_before = [i for i in before if i in now]
        kept_after = [model.id for model in after_items if model.id in before]
        if kept_before != kept_after:
            result.order[collection] = [model.id for model in after_items]
    for part in LAYOUT_PARTS:
        was_at = getattr(old.layout, part)
        now_at = getattr(new.layout, part)
        for node_id, position in now_at.items():
            if was_at.get(node_id) != position:
                result.moves.append(
                    Move(part, node_id, _point(was_at.get(node_id)), _point(position))
                )
        for node_id, position in was_at.items():
            if node_id not in now_at:
                result.moves.append(Move(part, node_id, _point(position), None))
    return result


def diff_scenarios(old: Scenario, new: Scenario) -> tuple[FieldChange, ...]:
    """The parameters two scenarios set differently: each override (``conversion[e1]``), a
    key one sets and the other does not as :data:`MISSING` (the map's own value)."""
    skip = {("name",), ("description",)}
    before, after = (
        {p: v for p, v in flatten(s.model_dump(mode="json")).items() if p not in skip}
        for s in (old, new)
    )
    return _changed_fields(before, after)


def _point(value: Any) -> tuple[float, float] | None:
    return None if value is None else (value[0], value[1])


def _changed_fields(old: dict[Path, Any], new: dict[Path, Any]) -> tuple[FieldChange, ...]:
    changes = [
        FieldChange(path, value, new.get(path, MISSING))
        for path, value in old.items()
        if new.get(path, MISSING) != value
    ]
    changes += [FieldChange(path, MISSING, value) for path, value in new.items() if path not in old]
    return tuple(changes)


def apply_diff(doc: JourneyMap, diff: MapDiff) -> JourneyMap:
    """``doc`` with ``diff`` applied (the diff of ``doc`` and another map gives that map)."""
    data = as_data(doc)
    for change in diff.changes:
        if change.collection == "map":
            for f in change.fields:
                set_path(data, f.path, f.new)
            continue
        items = data.setdefault(change.collection, [])
        if change.change == "removed":
            items[:] = [item for item in items if item["id"] != change.id]
        elif change.change == "added":
            ids = [item["id"] for item in items]
            if change.after is None:
                at = 0
            elif change.after in ids:
                at = ids.index(change.after) + 1
            else:
                at = len(items)
            items.insert(at, dict(change.item or {}))
        else:
            item = next(item for item in items if item["id"] == change.id)
            for f in change.fields:
                set_path(item, f.path, f.new)
    for collection, order in diff.order.items():
        rank = {item_id: index for index, item_id in enumerate(order)}
        data[collection].sort(key=lambda item: rank.get(item["id"], len(rank)))
    for move in diff.moves:
        positions = data.setdefault("layout", {}).setdefault(move.part, {})
        if move.new is None:
            positions.pop(move.id, None)
        else:
            positions[move.id] = list(move.new)
    return JourneyMap.model_validate(data)
