"""A map as plain values, item by item and field by field: what diff and merge compare.

Each item of a collection (``nodes``, ``edges``...) is flattened to ``{path: value}``: a
path is ``(field,)``, or ``(field, key)`` for a field that maps ids to values (a scenario's
overrides), so one override is one field. Values are JSON values; a field at its default is
there too, so each side of a change has a value. :data:`MISSING` stands for a key that is
not there (an override not set, an item not in the map).
"""

from __future__ import annotations

import json
from typing import Any, Final

from ..document import COLLECTIONS, JourneyMap
from ..fileformat import shown

MAP_FIELDS: Final = ("name", "description", "currency", "period", "capacity_policy")
"""The map's own fields, compared as the fields of one item (collection ``"map"``)."""

LAYOUT_PARTS: Final = ("nodes", "group")

Path = tuple[str, ...]
Flat = dict[Path, Any]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""Not there: an item absent from one version, or a key absent from a field's mapping."""


def as_data(doc: JourneyMap) -> dict[str, Any]:
    """``doc`` as JSON values with every field (defaults included)."""
    return doc.model_dump(mode="json")


def flatten(item: dict[str, Any]) -> Flat:
    """One item's fields by path; ``id`` is left out (it names the item)."""
    flat: Flat = {}
    for name, value in item.items():
        if name == "id":
            continue
        if isinstance(value, dict):
            for key, inner in value.items():
                flat[(name, key)] = inner
        else:
            flat[(name,)] = value
    return flat


def set_path(item: dict[str, Any], path: Path, value: Any) -> None:
    """Set (or, for :data:`MISSING`, remove) one field of an item in place."""
    if len(path) == 1:
        if value is MISSING:
            item.pop(path[0], None)
        else:
            item[path[0]] = value
        return
    mapping = item.setdefault(path[0], {})
    if value is MISSING:
        mapping.pop(path[1], None)
    else:
        mapping[path[1]] = value


def field_name(path: Path) -> str:
    """``conversion`` or ``conversion[e1]``: a path as the messages and the JSON say it."""
    return path[0] if len(path) == 1 else f"{path[0]}[{path[1]}]"


def value_text(value: Any) -> str:
    return "(none)" if value is MISSING or value is None else shown(value)


def title(collection: str, item: dict[str, Any]) -> str:
    """What a person calls an item, after its id: a node's label and kind, an edge's ends."""
    if collection == "nodes":
        label = (
            f" {json.dumps(item.get('label', ''), ensure_ascii=False)}" if item.get("label") else ""
        )
        return f"{label} ({item.get('kind', 'action')} in {item.get('process', '?')})"
    if collection == "edges":
        return f" ({item.get('kind', 'flow')} {item.get('source')} -> {item.get('target')})"
    name = item.get("name")
    return f" {json.dumps(name, ensure_ascii=False)}" if name else ""


COLLECTION_NAMES: Final = tuple(COLLECTIONS)
