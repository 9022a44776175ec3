"""The buying-group page as the exports draw it (draw.io's "Buying group" page, the report's
first diagram): :func:`models.buying_group.group_layout`'s lanes and stage columns, every step at
its place there (or where the user moved it on that page, ``Layout.group``), and a band above the
lanes for the stage titles.

>>> from models.document import JourneyMap, Node, Process, Stage
>>> doc = JourneyMap(stages=[Stage(id="mql", name="MQL")],
...                  processes=[Process(id="f", name="Funnel"), Process(id="b", name="CFO", kind="buyer")],
...                  nodes=[Node(id="a", process="f", stage="mql"), Node(id="s", process="b", kind="buyer_step")])
>>> page = group_page(doc)
>>> [lane.title for lane in page.lanes], page.lanes[0].top == HEADER
(['CFO', 'Funnel'], True)
>>> [column.title for column in page.columns]
['', 'MQL']
"""

from __future__ import annotations

from dataclasses import dataclass

from models.buying_group import Column, Lane, group_layout
from models.document import JourneyMap
from models.scalars import Point

HEADER = 40.0
"""Room above the lanes for the stage titles."""
MARGIN = 40.0

__all__ = ["HEADER", "GroupPage", "group_page"]


@dataclass(frozen=True)
class GroupPage:
    lanes: list[Lane]
    """One per process, top to bottom, in page coordinates (below the header)."""
    columns: list[Column]
    """One per stage band, left to right; the first (``stage`` None) holds steps before any stage."""
    centre: dict[str, Point]
    """Every step's centre on the page."""
    width: float
    height: float

    def lane_top(self) -> dict[str, float]:
        """Each process's lane top, by process id."""
        return {lane.process: lane.top for lane in self.lanes}


def group_page(doc: JourneyMap) -> GroupPage:
    """Where everything of ``doc`` goes on the buying-group page."""
    layout = group_layout(doc)
    lanes = [
        Lane(lane.process, lane.title, lane.top + HEADER, lane.height) for lane in layout.lanes
    ]
    centre: dict[str, Point] = {}
    for node_id, (x, y) in layout.positions.items():
        x, y = doc.layout.group.get(node_id, (x, y))
        centre[node_id] = (x, y + HEADER)
    right = max((c.left + c.width for c in layout.columns), default=0.0)
    right = max([right, *(x + MARGIN * 3 for x, _y in centre.values())])
    bottom = max((lane.top + lane.height for lane in lanes), default=HEADER)
    bottom = max([bottom, *(y + MARGIN * 2 for _x, y in centre.values())])
    return GroupPage(lanes, layout.columns, centre, right, bottom)


# --- the picture the HTML report draws -----------------------------------------------------------

PICTURE_SIZE = {"entry": (110.0, 50.0), "won": (110.0, 50.0), "lost": (110.0, 50.0)}
PICTURE_SIZE.update({"decision": (120.0, 64.0)})
PICTURE_BOX = (160.0, 60.0)
LANE_FILL = {"buyer": "#f3faf5", "funnel": "#fdf8ee", "subprocess": "#f7f4fb"}
EDGE_DASH = {"flow": "", "recycle": "6 4", "addresses": "2 3", "message": "8 4"}
WRAP = 22  # characters per line inside a shape


def picture(doc: JourneyMap) -> dict:
    """The buying-group page as plain geometry for the report template's ``group_diagram`` macro:
    lanes, stage columns, shapes with their wrapped labels, and edges as lines with arrowheads
    (no markers, no references: the template writes every value as escaped text).

    >>> from models.document import Edge, JourneyMap, Node, Process
    >>> doc = JourneyMap(processes=[Process(id="f", name="Funnel"),
    ...                             Process(id="b", name="CFO", kind="buyer")],
    ...                  nodes=[Node(id="a", process="f", label="Send the ROI calculator"),
    ...                         Node(id="s", process="b", kind="buyer_step", label="Checks ROI")],
    ...                  edges=[Edge(id="x", source="a", target="s", kind="addresses")])
    >>> view = picture(doc)
    >>> [n["lines"] for n in view["nodes"]], [e["cross"] for e in view["edges"]]
    ([['Checks ROI'], ['Send the ROI', 'calculator']], [True])
    """
    import textwrap

    from ._labels import CROSS_COLOR, FILL, edge_text, node_text

    page = group_page(doc)
    kinds = {p.id: p.kind for p in doc.processes}
    lanes = [
        {
            "title": lane.title,
            "y": lane.top,
            "height": lane.height,
            "fill": LANE_FILL.get(kinds.get(lane.process, ""), "#ffffff"),
        }
        for lane in page.lanes
    ]
    columns = [
        {"title": c.title, "x": c.left, "width": c.width, "shade": i % 2 == 1}
        for i, c in enumerate(page.columns)
    ]
    boxes: dict[str, tuple[float, float, float, float]] = {}
    nodes = []
    process_of: dict[str, str] = {}
    lane_rank = {lane.process: i for i, lane in enumerate(page.lanes)}
    for node in sorted(
        (n for n in doc.nodes if n.id in page.centre), key=lambda n: lane_rank[n.process]
    ):
        w, h = PICTURE_SIZE.get(node.kind, PICTURE_BOX)
        x, y = page.centre[node.id]
        boxes[node.id] = (x, y, w / 2, h / 2)
        process_of[node.id] = node.process
        text = node_text(node)
        lines = textwrap.wrap(text, WRAP, break_long_words=True) or [""]
        if len(lines) > 3:
            lines = [*lines[:2], lines[2][: WRAP - 1] + "\u2026"]
        nodes.append(
            {
                "kind": node.kind,
                "x": x - w / 2,
                "y": y - h / 2,
                "width": w,
                "height": h,
                "cx": x,
                "cy": y,
                "points": f"{x},{y - h / 2} {x + w / 2},{y} {x},{y + h / 2} {x - w / 2},{y}",
                "fill": FILL.get(node.kind, "#ffffff"),
                "title": text,
                "lines": lines,
                "first": y - (len(lines) - 1) * 7 + 4,
            }
        )
    edges = []
    for edge in doc.edges:
        if edge.source not in boxes or edge.target not in boxes:
            continue
        cross = process_of[edge.source] != process_of[edge.target]
        (x1, y1), (x2, y2) = _clipped(boxes[edge.source], boxes[edge.target])
        arrow = ""
        if edge.kind != "addresses":
            arrow = _arrowhead(x1, y1, x2, y2)
        edges.append(
            {
                "line": f"{_n(x1)},{_n(y1)} {_n(x2)},{_n(y2)}",
                "dash": EDGE_DASH.get(edge.kind, ""),
                "color": CROSS_COLOR if cross else "#555555",
                "width": 2 if cross else 1,
                "arrow": arrow,
                "cross": cross,
                "message": edge.kind == "message",  # an open arrow, a circle at the start
                "x1": _n(x1),
                "y1": _n(y1),
                "label": edge_text(edge),
                "lx": _n((x1 + x2) / 2),
                "ly": _n((y1 + y2) / 2 - 4),
            }
        )
    return {
        "width": _n(page.width),
        "height": _n(page.height),
        "header": HEADER,
        "lanes": lanes,
        "columns": columns,
        "nodes": nodes,
        "edges": edges,
        "links": sum(1 for e in edges if e["cross"]),
    }


def _clipped(
    source: tuple[float, float, float, float], target: tuple[float, float, float, float]
) -> tuple[Point, Point]:
    """The line between two boxes' centres, cut where it leaves each box."""
    (sx, sy, sw, sh), (tx, ty, tw, th) = source, target
    dx, dy = tx - sx, ty - sy
    if dx == dy == 0:
        return (sx, sy), (tx, ty)

    def reach(w: float, h: float) -> float:
        return min(w / abs(dx) if dx else float("inf"), h / abs(dy) if dy else float("inf"))

    a, b = reach(sw, sh), 1 - reach(tw, th)
    return (sx + dx * a, sy + dy * a), (sx + dx * b, sy + dy * b)


def _arrowhead(x1: float, y1: float, x2: float, y2: float) -> str:
    """A small triangle pointing at (x2, y2) along the line from (x1, y1)."""
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * 9, y2 - uy * 9
    return " ".join(
        f"{_n(x)},{_n(y)}"
        for x, y in ((x2, y2), (bx - uy * 4, by + ux * 4), (bx + uy * 4, by - ux * 4))
    )


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
