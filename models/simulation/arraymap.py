"""A read-only mapping of ids to the numbers of an array, made into a dict only when read.

The expected flow reports the leads along every edge and every step's chance to be won by id; at
10,000 steps each such dict costs about a millisecond to build, for results nobody may read (a
headline, a lever of the sensitivity). :class:`ArrayMap` keeps the ids and the array and builds
the dict the first time anything is asked of it. An id given twice (parallel rows of one model
edge) gets the sum of its values, in the place it first appears.

>>> flows = ArrayMap(["a", "b", "a"], np.array([0.5, 1.5, 2.0]))
>>> flows["a"], len(flows), flows == {"a": 2.5, "b": 1.5}
(2.5, 2, True)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np


class ArrayMap(Mapping[str, float]):
    """``keys`` to the sums of their ``values``, a dict built on first use (see the module
    docstring)."""

    __slots__ = ("_dict", "_keys", "_values")

    def __init__(self, keys: Sequence[str], values: np.ndarray) -> None:
        if len(keys) != len(values):
            raise ValueError(f"{len(keys)} ids for {len(values)} values")
        self._keys: Sequence[str] | None = keys
        self._values: np.ndarray | None = values
        self._dict: dict[str, float] | None = None

    def _items(self) -> dict[str, float]:
        if self._dict is None:
            assert self._keys is not None and self._values is not None
            values = self._values.tolist()
            found = dict(zip(self._keys, values, strict=True))
            if len(found) < len(values):  # an id given twice: add its values up
                found = {}
                for key, value in zip(self._keys, values, strict=True):
                    found[key] = found.get(key, 0.0) + value
            self._dict = found
            self._keys = self._values = None
        return self._dict

    def __getitem__(self, key: str) -> float:
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __contains__(self, key: object) -> bool:
        return key in self._items()

    def __repr__(self) -> str:
        return repr(self._items())
