"""One edge as the canvas knows it: a plain record, not a QGraphicsItem (see edge_layer.py)."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF

from app.gui.canvas.geometry import (
    clip_line,
    edge_box,
    path_box,
    path_distance,
    segment_distance,
    shape_code,
)
from models.route_types import Route


class EdgeLine:
    """One edge as the canvas knows it: its ends (clipped to the two outlines), look and selection.

    A routed edge (``route``, set by the scene when the router has answered for the steps where
    they are now) is drawn along its route, and its label where the router put it; it goes back
    to the straight line as soon as one of its steps moves.
    """

    __slots__ = (
        "edge_id",
        "source",
        "target",
        "kind",
        "text",
        "width",
        "selected",
        "mark",
        "layer",
        "x1",
        "y1",
        "x2",
        "y2",
        "row",
        "route",
        "polyline",
        "label_at",
        "qpath",
        "qlines",
        "given",
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
        self.mark: str | None = None  # "added" or "changed" since a version compared
        self.row = -1  # where the layer's index keeps this edge's box
        self.route: Route | None = None  # None: the straight line between the outlines
        self.polyline: list[tuple[float, float]] | None = None  # the route, curves sampled
        self.label_at: tuple[float, float] | None = None  # None: the middle of the line
        self.qpath = self.qlines = None  # what the layer made to paint the route, while it holds
        self.given: Route | None = None  # the route last given (to skip giving it again)
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
        if self.route is None and self.label_at is None:
            return edge_box(self.x1, self.y1, self.x2, self.y2, self.width)
        points = (
            self.route.points
            if self.route is not None
            else ((self.x1, self.y1), (self.x2, self.y2))
        )
        return path_box(points, self.width, self.label_at)

    def bounds(self) -> QRectF:
        left, top, right, bottom = self.box()
        return QRectF(left, top, right - left, bottom - top)

    def line(self) -> QLineF:
        return QLineF(self.x1, self.y1, self.x2, self.y2)

    def path(self) -> list[tuple[float, float]]:
        """The drawn path as a polyline: the route's (curves sampled) or the straight line."""
        if self.polyline is not None:
            return self.polyline
        return [(self.x1, self.y1), (self.x2, self.y2)]

    def label_centre(self) -> tuple[float, float]:
        if self.label_at is not None:
            return self.label_at
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2

    def adjust(self) -> None:
        """Follow the two steps after one of them moved: the straight line until routed again."""
        ends = self._clipped()
        routed = self.route is not None or self.label_at is not None
        if routed or ends != (self.x1, self.y1, self.x2, self.y2):
            old = self.box()
            self.straighten(ends)
            self.layer.changed(old, self.box(), self)
            self.layer.moved()

    def straighten(self, ends) -> None:
        """The straight line between these (x1, y1, x2, y2) ends, its route and label spot
        dropped until routed again (the layer is told by the caller)."""
        self.x1, self.y1, self.x2, self.y2 = ends
        self.route = self.polyline = self.label_at = self.qpath = self.qlines = None
        self.given = None

    def set_route(self, route: Route | None) -> None:
        """Draw along ``route`` (a straight one keeps the canvas's own line and moves only the
        label); None: the straight line with its label in the middle."""
        old = self.box()
        self.route_to(route)
        self.layer.changed(old, self.box(), self)

    def route_to(self, route: Route | None) -> bool:
        """:meth:`set_route` without telling the layer (which routes many edges at once); False
        when this is the route already drawn."""
        if route is not None and route == self.given:
            return False
        self.given = route
        self.qpath = self.qlines = None
        if route is None:
            if self.route is not None:  # back to the line between the outlines
                self.x1, self.y1, self.x2, self.y2 = self._clipped()
            self.route = self.polyline = self.label_at = None
        elif route.straight:
            self.route = self.polyline = None
            self.label_at = route.label_at
        else:
            self.route = route
            self.polyline = route.polyline()
            self.label_at = route.label_at
            (self.x1, self.y1), (self.x2, self.y2) = self.polyline[0], self.polyline[-1]
        return True

    def distance(self, x: float, y: float) -> float:
        """From a point to the drawn line."""
        if self.polyline is not None:
            return path_distance(x, y, self.polyline)
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
