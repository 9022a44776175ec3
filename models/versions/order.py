"""The order of a merged list: each side's additions after the item they follow.

Items both sides keep stay in the common version's order, or in the order one side gave them
when only that side reordered them. Each new item goes after the nearest item before it on
its own side that the common version has; when both sides add after the same item, the two
runs go in the order of their first ids, so merging (base, x, y) and (base, y, x) gives one
order.

>>> merge_order(["a", "b", "c"], ["a", "x", "b", "c"], ["a", "b", "y", "c"])
['a', 'x', 'b', 'y', 'c']
>>> merge_order(["a", "b"], ["a", "b", "q"], ["a", "b", "p"])
['a', 'b', 'p', 'q']
"""

from __future__ import annotations

from collections.abc import Iterable


def merge_order(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Every id of the three lists once (removed ones too: the caller drops them)."""
    in_base = set(base)
    source = ours if _reordered(base, ours) else theirs if _reordered(base, theirs) else base
    skeleton = [i for i in source if i in in_base]
    if len(skeleton) < len(base):  # ids the reordering side removed: back after their anchors
        skeleton = _weave(skeleton, [_runs(base, set(skeleton))])
    known = set(skeleton)
    return _weave(skeleton, [_runs(ours, known), _runs(theirs, known)])


def _reordered(base: list[str], side: list[str]) -> bool:
    on_side, in_base = set(side), set(base)
    return [i for i in base if i in on_side] != [i for i in side if i in in_base]


def _runs(side: Iterable[str], known: set[str]) -> dict[str | None, list[str]]:
    """anchor -> the ids after it on ``side`` that are not ``known`` (None: before the first)."""
    runs: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for item_id in side:
        if item_id in known:
            anchor = item_id
        else:
            runs.setdefault(anchor, []).append(item_id)
    return runs


def _weave(skeleton: list[str], sides: list[dict[str | None, list[str]]]) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    for anchor in [None, *skeleton]:
        if anchor is not None and anchor not in seen:
            result.append(anchor)
            seen.add(anchor)
        runs = sorted((s[anchor] for s in sides if anchor in s), key=lambda run: (run[0], run))
        for run in runs:
            for item_id in run:
                if item_id not in seen:
                    result.append(item_id)
                    seen.add(item_id)
    return result
