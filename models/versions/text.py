"""A diff and a merge in words, as ``journeymap diff`` and ``journeymap merge`` print them."""

from __future__ import annotations

from .diff import ItemChange, MapDiff
from .items import COLLECTION_NAMES, value_text
from .merge import MergeResult

_MARK = {"added": "+", "removed": "-", "changed": "~"}


def diff_text(diff: MapDiff, old: str, new: str, layout: bool = True) -> str:
    """The diff as a reviewer reads it: per collection, then the moves, then a count."""
    lines = [f"--- {old}", f"+++ {new}"]
    if diff.equal(layout):
        hidden = "" if layout or not diff.moves else f" (apart from {len(diff.moves)} moves)"
        return "\n".join([*lines, f"No changes{hidden}."]) + "\n"
    groups: dict[str, list[ItemChange]] = {}
    for change in diff.changes:
        groups.setdefault(change.collection, []).append(change)
    for collection in ("map", *COLLECTION_NAMES):
        if collection not in groups:
            continue
        lines.append("map" if collection == "map" else collection)
        for change in groups[collection]:
            lines.extend(_change_lines(change))
    for collection, order in diff.order.items():
        lines.append(f"{collection}: order changed; now {', '.join(order[:10])}")
    if layout and diff.moves:
        lines.append("layout")
        for move in diff.moves:
            page = "" if move.part == "nodes" else " (buying-group page)"
            lines.append(f"  {move.id}{page}: {_at(move.old)} -> {_at(move.new)}")
    counts = diff.counts()
    summary = f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
    if layout:
        summary += f"; {counts['moved']} moved"
    lines.append(f"Changes: {summary}.")
    return "\n".join(lines) + "\n"


def _change_lines(change: ItemChange) -> list[str]:
    if change.collection == "map":
        head = "  ~ the map"
    else:
        head = f"  {_MARK[change.change]} {change.id}{change.title}"
    return [head] + [
        f"      {f.field}: {value_text(f.old)} -> {value_text(f.new)}" for f in change.fields
    ]


def _at(point: tuple[float, float] | None) -> str:
    return "(not placed)" if point is None else f"({point[0]:g}, {point[1]:g})"


def merge_text(result: MergeResult, out: str) -> str:
    """What a merge did: written where, clean or the conflicts one a line."""
    if result.clean:
        return f"{out}: merged with no conflict.\n"
    count = len(result.conflicts)
    lines = [
        f"{out}: {count} conflict{'s' if count != 1 else ''}; the file holds ours' value at each "
        f'and lists them under "merge_conflicts": set the values you want, then delete that list.'
    ]
    lines += [f"  {conflict.line()}" for conflict in result.conflicts]
    return "\n".join(lines) + "\n"
