"""Versions of a map: the semantic diff, the three-way merge, reading a version from git.

Headless like the rest of ``models``: ``journeymap diff`` and ``journeymap merge`` (and the
git merge driver) are thin commands over these. docs/versions.md is the user's guide.
"""

from .diff import FieldChange, ItemChange, MapDiff, Move, apply_diff, diff_maps
from .merge import Conflict, MergeResult, merge_maps
from .source import read_version

__all__ = [
    "Conflict",
    "FieldChange",
    "ItemChange",
    "MapDiff",
    "MergeResult",
    "Move",
    "apply_diff",
    "diff_maps",
    "merge_maps",
    "read_version",
]
