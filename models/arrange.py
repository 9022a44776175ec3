"""Align and distribute: where the selected steps go (pure geometry; the editor pushes one undo step)."""

from __future__ import annotations

Point = tuple[float, float]

ALIGN = ("left", "top", "vcenter")
DISTRIBUTE = ("hdist", "vdist")


def arrange_positions(positions: dict[str, Point], how: str) -> dict[str, Point]:
    """New positions for ``how`` in left, top, vcenter (align) or hdist, vdist (distribute evenly).

    >>> arrange_positions({"a": (0, 5), "b": (40, 9)}, "top")
    {'a': (0, 5), 'b': (40, 5)}
    >>> arrange_positions({"a": (0, 0), "b": (7, 0), "c": (30, 0)}, "hdist")
    {'a': (0.0, 0), 'b': (15.0, 0), 'c': (30.0, 0)}
    """
    if len(positions) < 2:
        return dict(positions)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    if how == "left":
        return {k: (min(xs), p[1]) for k, p in positions.items()}
    if how == "top":
        return {k: (p[0], min(ys)) for k, p in positions.items()}
    if how == "vcenter":
        return {k: (sum(xs) / len(xs), p[1]) for k, p in positions.items()}
    if how in DISTRIBUTE:
        axis = 0 if how == "hdist" else 1
        ordered = sorted(positions, key=lambda k: (positions[k][axis], positions[k][1 - axis]))
        first, last = positions[ordered[0]][axis], positions[ordered[-1]][axis]
        step = (last - first) / (len(ordered) - 1)
        moved = {}
        for index, key in enumerate(ordered):
            point = list(positions[key])
            point[axis] = first + index * step
            moved[key] = (point[0], point[1])
        return moved
    raise ValueError(f"unknown arrangement {how!r}")
