"""The outline and size of a node of each kind: plain data without Qt.

The style table (colours, :mod:`app.gui.common.style`) and the canvas geometry (where edges meet
outlines, :mod:`app.gui.canvas.geometry`, which must not need Qt) both read it from here.
"""

from __future__ import annotations

NODE_WIDTH, NODE_HEIGHT = 170.0, 64.0
DIAMOND_RISE = 6.0
"""A decision's diamond reaches this far above and below the node's box (its left and right
corners are on the box's sides)."""

KIND_SHAPES: dict[str, str] = {
    "entry": "pill",
    "buyer_step": "round",
    "action": "rect",
    "decision": "diamond",
    "subprocess": "double",
    "won": "ellipse",
    "lost": "ellipse",
}
"""The outline each node kind is drawn with: "rect", "round", "diamond", "pill", "ellipse" or
"double"; a kind not listed is drawn as an action."""


def kind_shape(kind: str) -> str:
    """The outline of a node kind.

    >>> kind_shape("decision"), kind_shape("no such kind")
    ('diamond', 'rect')
    """
    return KIND_SHAPES.get(kind, KIND_SHAPES["action"])
