"""Where a draw.io cell is on its page: its geometry, with the offsets of the containers it
sits in (swimlanes, groups) added, each container's offset summed once."""

from __future__ import annotations

import math


class Offsets:
    """Each container's offset on the page, summed up its parents once (a chain of nested
    groups costs its length once, not once per shape inside it)."""

    def __init__(self, cells: dict) -> None:
        self.cells = cells
        self.known: dict[str, tuple[float, float]] = {}

    def of(self, cell_id: str) -> tuple[float, float]:
        """The page position of the origin inside the cell ``cell_id`` (0, 0 for a layer)."""
        chain = []
        seen = set()
        current = cell_id
        while current not in self.known:
            cell = self.cells.get(current)
            if cell is None or cell.get("vertex") != "1" or current in seen:
                self.known[current] = (0.0, 0.0)
                break
            seen.add(current)
            chain.append(current)
            current = cell.get("parent", "")
        base = self.known[current]
        for link in reversed(chain):
            dx, dy = _xy(self.cells[link])
            base = (base[0] + dx, base[1] + dy)
            self.known[link] = base
        return self.known[cell_id]


def _xy(cell) -> tuple[float, float]:
    geo = cell.find("mxGeometry")
    if geo is None:
        return (0.0, 0.0)
    try:
        return float(geo.get("x", "0")), float(geo.get("y", "0"))
    except ValueError:
        return (0.0, 0.0)


def centre_of(cell, offsets: Offsets) -> tuple[float, float] | None:
    """A vertex's centre in page coordinates (container offsets added); None without geometry
    or with a number that is not one (the caller checks the result is finite)."""
    geo = cell.find("mxGeometry")
    if geo is None:
        return None
    try:
        x = float(geo.get("x", "0")) + float(geo.get("width", "0")) / 2
        y = float(geo.get("y", "0")) + float(geo.get("height", "0")) / 2
    except ValueError:
        return (math.nan, math.nan)
    dx, dy = offsets.of(cell.get("parent", ""))
    return (x + dx, y + dy)
