"""Fresh ids for what an import creates, in constant time each.

Another tool's file may give thousands of shapes the same id, or none: every importer makes map
ids through one :class:`Ids` per collection, which remembers the next free suffix of each base,
so 25,000 tasks all called ``Task_1`` take 25,000 steps, not 25,000² / 2.

>>> ids = Ids({"a"})
>>> ids.fresh("a"), ids.fresh("a"), ids.fresh("b"), ids.fresh("a", sep="_")
('a-2', 'a-3', 'b', 'a_2')
>>> "a-3" in ids, ids.take("c"), "c" in ids
(True, 'c', True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from models.scalars import MAX_COORDINATE


class Ids:
    """The ids taken so far, and the next suffix to try for each base."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)
        self._next: dict[tuple[str, str], int] = {}

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.taken

    def take(self, item_id: str) -> str:
        """Mark ``item_id`` as used (an id the file gives and the map keeps); return it."""
        self.taken.add(item_id)
        return item_id

    def fresh(self, base: str, sep: str = "-") -> str:
        """``base`` if it is free, else ``base<sep>2``, ``base<sep>3``... (the first free one)."""
        if base not in self.taken:
            return self.take(base)
        n = self._next.get((base, sep), 2)
        while f"{base}{sep}{n}" in self.taken:
            n += 1
        self._next[(base, sep)] = n + 1
        return self.take(f"{base}{sep}{n}")


def usable_position(x: float, y: float) -> bool:
    """Whether a position read from a file can go in the layout (finite, on the canvas).

    >>> usable_position(10.0, -5.0), usable_position(float("nan"), 0.0), usable_position(1e300, 0.0)
    (True, False, False)
    """
    return all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in (x, y))


def position_pair(text: str) -> tuple[float, float] | None:
    """``"x y"`` (two numbers, as a Journeymap attribute writes a position) as a usable
    position, or None."""
    parts = text.split()
    if len(parts) != 2:
        return None
    try:
        x, y = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return (x, y) if usable_position(x, y) else None
