"""One edge as the canvas knows it: a plain record, not a QGraphicsItem (see edge_layer.py)."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF

from app.gui.canvas.geometry import clip_line, edge_box, segment_distance, shape_code


class EdgeLine:
    """One edge as the canvas knows it: its ends (clipped to the two outlines), look and selection."""

    __slots__ = (
        "edge_id",
        "source",
        "target",
        "kind",
        "text",
        "width",
        "selected",
        "layer",
        "x1",
        "y1",
        "x2",
        "y2",
        "row",
    )

    def __init__(
        self,
        layer,  # the EdgeLayer that paints it (told when the line changes)
        edge_id: str,
        source,
        target,
        kind: str = "flow",
        text: str = "",
        ends: tuple[float, float, float, float] | None = None,
    ) -> None:
        self.layer = layer
        self.edge_id = edge_id
        self.source, self.target = source, target
        self.kind, self.text, self.width = kind, text, 1.6
        self.selected = False
        self.row = -1  # where the layer's index keeps this edge's box
        source.edges.append(self)
        target.edges.append(self)
        # ``ends`` comes from clip_ends() when a scene builds thousands of edges at once
        self.x1, self.y1, self.x2, self.y2 = ends if ends is not None else self._clipped()

    # --- geometry ------------------------------------------------------------------------------

    def _clipped(self) -> tuple[float, float, float, float]:
        """Where the line from centre to centre leaves the source's outline and meets the target's."""
        a, b = self.source.pos(), self.target.pos()
        return clip_line(
            a.x(), a.y(), b.x(), b.y(), shape_code(self.source.kind), shape_code(self.target.kind)
        )

    def box(self) -> tuple[float, float, float, float]:
        """Left, top, right, bottom of everything this edge paints (line, arrow head, label)."""
        return edge_box(self.x1, self.y1, self.x2, self.y2, self.width)

    def bounds(self) -> QRectF:
        left, top, right, bottom = self.box()
        return QRectF(left, top, right - left, bottom - top)

    def line(self) -> QLineF:
        return QLineF(self.x1, self.y1, self.x2, self.y2)

    def adjust(self) -> None:
        """Follow the two steps after one of them moved."""
        ends = self._clipped()
        if ends != (self.x1, self.y1, self.x2, self.y2):
            old = self.box()
            self.x1, self.y1, self.x2, self.y2 = ends
            self.layer.changed(old, self.box(), self)

    def distance(self, x: float, y: float) -> float:
        """From a point to the drawn line."""
        return segment_distance(x, y, self.x1, self.y1, self.x2, self.y2)

    # --- look and selection --------------------------------------------------------------------

    def set_content(self, kind: str, text: str, width: float = 1.6) -> None:
        if (kind, text, width) != (self.kind, self.text, self.width):
            old = self.box()
            self.kind, self.text, self.width = kind, text, width
            self.layer.changed(old, self.box(), self)

    def isSelected(self) -> bool:  # noqa: N802 - reads like the QGraphicsItem it stands in for
        return self.selected

    def detach(self) -> None:
        for end in (self.source, self.target):
            if self in end.edges:
                end.edges.remove(self)
