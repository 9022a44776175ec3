"""A map's list (its nodes or its edges) read as columns: each field of each item at most once.

Compiling a process reads a dozen fields of every node and edge; at 10,000 steps each field costs
about as much as a sparse solve's worth of Python attribute reads. :class:`Columns` reads a field
when it is first asked for and keeps the plain list for the rest of that one compile, and does
not read at all a field that no item of the list has been given: pydantic records in
``model_fields_set`` every field set when an item was made, assigned since (``node.cost = 5``)
or changed by ``model_copy(update=...)``, so a field outside all of them holds its default in
every item (the generated 10,000-step chain gives no owner, stage, cost, duration, capacity or
delay). Only fields whose default is an immutable value (None, a string, a number) are skipped
that way: a list default could have been changed in place. A field is read from each item's
``__dict__`` (where pydantic keeps the field values), fetched once for all the fields: a third
less than an attribute read per field. Nothing outlives the compile: every run reads its map
afresh, so no cached column can go stale.

>>> from models.document import Node
>>> nodes = [Node(id="a", process="p", label="A"), Node(id="b", process="p")]
>>> nodes[1].cost = 2.0
>>> cols = Columns(nodes)
>>> cols["label"], cols["owner"], cols.numbers("cost").tolist()
(['A', ''], [None, None], [0.0, 2.0])
>>> where(["entry", "action", "won", "action", "won"], "won").tolist()
[2, 4]
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

import numpy as np
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

_GIVEN = attrgetter("__pydantic_fields_set__")
_VALUES = attrgetter("__dict__")
Item = TypeVar("Item", bound=BaseModel)
_IMMUTABLE = (str, int, float, bool)


class Columns(Generic[Item]):
    """The fields of ``items`` (models of one class) as lists, read on demand (see the module
    docstring)."""

    __slots__ = ("_found", "_given", "_read", "_values", "items")

    def __init__(self, items: Sequence[Item], given: set[str] | None = None) -> None:
        self.items = items
        self._given = given
        self._read: dict[str, list] = {}
        self._values: list[dict[str, Any]] | None = None  # each item's __dict__
        self._found: dict[tuple[str, object], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.items)

    def given(self) -> set[str]:
        """The fields any item has been given (pydantic's ``model_fields_set``, united)."""
        if self._given is None:
            self._given = set().union(*map(_GIVEN, self.items))
        return self._given

    def default(self, name: str) -> tuple[bool, Any]:
        """(True, the default) when every item holds ``name``'s immutable default, else (False, None)."""
        if not self.items or name in self.given():
            return False, None
        value = type(self.items[0]).model_fields[name].default
        if value is None or (value is not PydanticUndefined and isinstance(value, _IMMUTABLE)):
            return True, value
        return False, None

    def __getitem__(self, name: str) -> list:
        found = self._read.get(name)
        if found is None:
            same, value = self.default(name)
            found = [value] * len(self.items) if same else self._take(name)
            self._read[name] = found
        return found

    def _take(self, name: str) -> list:
        if self._values is None:
            self._values = list(map(_VALUES, self.items))
        try:
            return list(map(itemgetter(name), self._values))
        except KeyError:  # not kept in __dict__ (a property, say): read as an attribute
            return list(map(attrgetter(name), self.items))

    def where(self, name: str, value: object) -> np.ndarray:
        """The positions of the items whose ``name`` is ``value`` (see :func:`where`)."""
        key = (name, value)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = where(self[name], value)
        return found

    def mask(self, name: str, value: object) -> np.ndarray:
        """``name == value`` per item, as a bool array."""
        out = np.zeros(len(self.items), dtype=bool)
        out[self.where(name, value)] = True
        return out

    def numbers(self, name: str, missing: float | None = 0.0) -> np.ndarray:
        """An optional number field as floats, None as ``missing`` (``None``: left as nan)."""
        same, value = self.default(name)
        fill = np.nan if missing is None else missing
        if same:
            return np.full(len(self.items), fill if value is None else float(value))
        values = self[name]
        if not values:
            return np.zeros(0)
        array = np.array(values, dtype=float)  # None reads as nan
        return array if missing is None else np.nan_to_num(array, nan=missing)

    def subset(self, rows: Sequence[int], items: Sequence[Item] | None = None) -> Columns[Item]:
        """The columns of ``items`` (default: the items at ``rows``), which are the items at
        ``rows`` in this order: what was read already is carried over, nothing is read again."""
        picked = list(items) if items is not None else [self.items[k] for k in rows]
        out: Columns[Item] = Columns(picked, self._given)
        for name, values in self._read.items():
            out._read[name] = [values[k] for k in rows]
        if self._values is not None:
            out._values = [self._values[k] for k in rows]
        return out


def where(values: list, value: object) -> np.ndarray:
    """The positions of ``value`` in ``values``, found by ``list.index`` scans (a rare kind among
    10,000 steps costs one scan in C, a third of a comparison per item through ``map``)."""
    found = []
    i = -1
    try:
        while True:
            i = values.index(value, i + 1)
            found.append(i)
    except ValueError:
        return np.array(found, dtype=np.int64)


def mask(values: list, value: object) -> np.ndarray:
    """``values == value`` as a bool array (see :func:`where`)."""
    out = np.zeros(len(values), dtype=bool)
    out[where(values, value)] = True
    return out
