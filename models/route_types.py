"""The records the router reads and writes: steps, connections, routes and a routing.

A :class:`Step` and a :class:`Link` are what :func:`models.routing.route` is given; a
:class:`Route` is where one connection is drawn and a :class:`Routing` all of them, with what
went wrong. Plain dataclasses, no Qt: the routing process pickles them to the editor
(:mod:`models.route_server`).

>>> Route(((0.0, 0.0), (10.0, 0.0))).polyline()
[(0.0, 0.0), (10.0, 0.0)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .route_geometry import BOX, bezier_polyline

NODE_WIDTH, NODE_HEIGHT, DIAMOND_RISE = 170.0, 64.0, 6.0
"""A step's size as the canvas draws it (app.gui.common.shapes; a test keeps them equal)."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Step:
    """A step as the router sees it: its centre, outline and the room kept under it (the
    simulation's flow line, links to other processes)."""

    id: str
    x: float
    y: float
    shape: int = BOX
    below: float = 0.0


@dataclass(frozen=True)
class Link:
    """A connection; ``label`` is its label's (width, height), None when it has none."""

    id: str
    source: str
    target: str
    label: tuple[float, float] | None = None


@dataclass(frozen=True)
class Route:
    """Where a connection is drawn: a polyline, or (``curved``) a chain of cubic Béziers given
    as its start and then three points a piece; its label's centre (None: no label)."""

    points: tuple[Point, ...]
    curved: bool = False
    label_at: Point | None = None
    straight: bool = True
    """The line between the two outlines, as the canvas draws a connection by itself."""
    samples: tuple[Point, ...] = ()
    """The curve sampled as a polyline (made once, by the router)."""

    def polyline(self) -> list[Point]:
        """The drawn path as a polyline (curves sampled)."""
        if self.samples:
            return list(self.samples)
        return bezier_polyline(list(self.points)) if self.curved else list(self.points)


@dataclass
class Routing:
    routes: dict[str, Route] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    """Connections that could not be kept off every other step (steps overlapping, no neato)."""
    crowded: list[str] = field(default_factory=list)
    """Connections whose label found no free place."""
    note: str = ""
    """Why some connections are left straight, in a sentence ("" when all went well)."""
    neato_seconds: float = 0.0
    graphs: int = 0
    """How many small graphs went to neato."""
