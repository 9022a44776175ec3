"""The buying group on one page: a lane per process, columns in the map's stage order.

Method steps 1-4 (seed 003): each buyer role has a buying process of its own, and the
company's actions serve steps in all of them. This module places every step of every
process on one diagram, one horizontal lane per process (the buyer roles' processes first,
in the order of the map's roles, then the company funnel, other company processes and
sub-processes), and one column band per stage of the shared vocabulary, so that the
champion's trial, the funnel's MQL step and the action that serves both line up.

A step without a stage takes the stage of the staged steps that lead to it (its flow) or
of the company actions that address it; a step with neither sits before the first stage.
Inside a stage band, steps keep their order along their process's flow.

Pure data, no Qt: the editor draws :func:`group_layout`'s result, exporters can use it too.

>>> from models.document import Edge, JourneyMap, Node, Process, Stage
>>> doc = JourneyMap(
...     stages=[Stage(id="lead", name="Lead"), Stage(id="sql", name="SQL")],
...     processes=[Process(id="f", name="Funnel"), Process(id="b", name="CFO", kind="buyer")],
...     nodes=[Node(id="in", process="f", kind="entry", stage="lead"),
...            Node(id="call", process="f", stage="sql"),
...            Node(id="roi", process="b", kind="buyer_step")],
...     edges=[Edge(id="e", source="in", target="call"),
...            Edge(id="a", source="call", target="roi", kind="addresses")])
>>> layout = group_layout(doc)
>>> [lane.process for lane in layout.lanes]  # the buyer's process first
['b', 'f']
>>> layout.positions["roi"][0] == layout.positions["call"][0]  # served by a SQL action: SQL column
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .document import JourneyMap, Node, Process
from .scalars import Point
from .vocabulary import CARRIES_LEADS

COLUMN_WIDTH = 230.0
ROW_HEIGHT = 110.0
LANE_HEADER = 36.0  # room above a lane's first row for its title
LANE_PADDING = 30.0
LEFT = 160.0  # where the first column's centres are (lane titles sit left of it)

__all__ = ["Column", "GroupLayout", "Lane", "group_layout", "lane_order", "stage_order"]


@dataclass(frozen=True)
class Lane:
    process: str
    title: str
    top: float
    height: float


@dataclass(frozen=True)
class Column:
    """A stage's band: where its steps go, left to right (``stage`` None: before any stage)."""

    stage: str | None
    title: str
    left: float
    width: float


@dataclass(frozen=True)
class GroupLayout:
    lanes: list[Lane]
    columns: list[Column]
    positions: dict[str, Point]
    """Each step's centre in the buying-group view."""

    def lane_at(self, y: float) -> Lane | None:
        return next((lane for lane in self.lanes if lane.top <= y < lane.top + lane.height), None)

    def lane_of(self, process_id: str) -> Lane | None:
        return next((lane for lane in self.lanes if lane.process == process_id), None)


def lane_order(doc: JourneyMap) -> list[Process]:
    """The processes as lanes: buyer roles' processes (in role order), funnels, other company
    processes, then sub-processes; the map's order within each group."""
    role_rank = {role.id: index for index, role in enumerate(doc.roles)}
    group = {"buyer": 0, "funnel": 1, "company": 2, "subprocess": 3}

    def key(item: tuple[int, Process]) -> tuple:
        index, process = item
        rank = role_rank.get(process.role or "", len(role_rank)) if process.kind == "buyer" else 0
        return (group.get(process.kind, 2), rank, index)

    return [p for _, p in sorted(enumerate(doc.processes), key=key)]


def group_layout(doc: JourneyMap) -> GroupLayout:
    """Lanes, stage columns and a position for every step of every process."""
    order = stage_order(doc)
    band = {node_id: place[0] for node_id, place in order.items()}
    rank = {node_id: place[1] for node_id, place in order.items()}

    # inside a band, the steps of one lane keep their flow order: sub-columns by rank. Steps
    # on a flow take the top rows; the others (an action serving a step, one that only sends or
    # receives messages, one connected to nothing) go under them, so no flow line runs beneath a box it does not reach
    on_flow = {e.source for e in doc.edges if e.kind in CARRIES_LEADS}
    on_flow |= {e.target for e in doc.edges if e.kind in CARRIES_LEADS}
    by_lane_band: dict[tuple[str, int], list[Node]] = defaultdict(list)
    for node in doc.nodes:
        by_lane_band[(node.process, band[node.id])].append(node)
    sub: dict[str, int] = {}
    band_width: dict[int, int] = defaultdict(lambda: 1)
    rows: dict[str, int] = {}
    flow_rows: dict[str, int] = defaultdict(int)  # rows a lane's flow steps take
    for (lane_id, index), members in by_lane_band.items():
        ranks = sorted({rank[n.id] for n in members})
        where = {r: i for i, r in enumerate(ranks)}
        band_width[index] = max(band_width[index], len(ranks))
        stacked: dict[int, int] = defaultdict(int)
        for node in sorted(members, key=lambda n: n.id not in on_flow):
            sub[node.id] = where[rank[node.id]]
            if node.id in on_flow:
                rows[node.id] = stacked[sub[node.id]]
                stacked[sub[node.id]] += 1
        flow_rows[lane_id] = max(flow_rows[lane_id], max(stacked.values(), default=0))
    off_flow: dict[tuple[str, int, int], int] = defaultdict(int)
    lane_rows: dict[str, int] = defaultdict(lambda: 1)
    for node in doc.nodes:
        if node.id not in on_flow:
            slot = (node.process, band[node.id], sub[node.id])
            rows[node.id] = flow_rows[node.process] + off_flow[slot]
            off_flow[slot] += 1
        lane_rows[node.process] = max(lane_rows[node.process], rows[node.id] + 1)

    bands = sorted(set(band.values()) | {0})
    columns, left_of = [], {}
    x = LEFT - COLUMN_WIDTH / 2
    for index in bands:
        width = band_width[index] * COLUMN_WIDTH
        stage = doc.stages[index - 1] if index >= 1 else None
        columns.append(Column(stage.id if stage else None, stage.name if stage else "", x, width))
        left_of[index] = x
        x += width

    lanes, top_of = [], {}
    y = 0.0
    for process in lane_order(doc):
        height = LANE_HEADER + lane_rows[process.id] * ROW_HEIGHT + LANE_PADDING
        lanes.append(Lane(process.id, process.name, y, height))
        top_of[process.id] = y
        y += height

    positions: dict[str, Point] = {}
    for node in doc.nodes:
        if node.process not in top_of:
            continue
        cx = left_of[band[node.id]] + (sub[node.id] + 0.5) * COLUMN_WIDTH
        cy = top_of[node.process] + LANE_HEADER + (rows[node.id] + 0.5) * ROW_HEIGHT
        positions[node.id] = (cx, cy)
    return GroupLayout(lanes, columns, positions)


def stage_order(doc: JourneyMap) -> dict[str, tuple[int, int]]:
    """Each step's place in the map's stage order: (band, rank along its flow); band 0 comes
    before the first stage, band ``i`` is the ``i``-th stage of ``doc.stages``."""
    nodes = {n.id: n for n in doc.nodes}
    flows_in: dict[str, list[str]] = defaultdict(list)
    served_by: dict[str, list[str]] = defaultdict(list)
    for edge in doc.edges:
        if edge.source in nodes and edge.target in nodes:
            if edge.kind == "flow":
                flows_in[edge.target].append(edge.source)
            elif edge.kind == "addresses":
                served_by[edge.target].append(edge.source)
    rank = _flow_ranks(doc, flows_in)
    stage_index = {stage.id: index for index, stage in enumerate(doc.stages)}
    band = _stage_bands(doc, nodes, stage_index, rank, flows_in, served_by)
    # an action hung beside the steps it serves (no stage, nothing flowing in) goes in their
    # column: under the step on its own lane, above or below it on another
    serves: dict[str, list[str]] = defaultdict(list)
    for target, actions in served_by.items():
        for action in actions:
            serves[action].append(target)
    for action, targets in serves.items():
        node = nodes[action]
        if node.stage in stage_index or flows_in.get(action):
            continue
        first = min(targets, key=lambda t: (band[t], rank[t]))
        band[action], rank[action] = band[first], rank[first]
    return {n.id: (band[n.id], rank[n.id]) for n in doc.nodes}


def _flow_ranks(doc: JourneyMap, flows_in: dict[str, list[str]]) -> dict[str, int]:
    """Longest flow path from a step's process's sources, loops cut where they close."""
    rank: dict[str, int] = {}
    for node in doc.nodes:
        _iterative_visit(node.id, flows_in, rank)
    return rank


def _iterative_visit(start: str, flows_in: dict[str, list[str]], rank: dict[str, int]) -> None:
    """``rank`` of ``start`` and its ancestors without recursion (maps may be very deep)."""
    if start in rank:
        return
    stack: list[tuple[str, int]] = [(start, 0)]
    on_path: set[str] = {start}
    while stack:
        node_id, position = stack[-1]
        parents = flows_in.get(node_id, [])
        if position < len(parents):
            stack[-1] = (node_id, position + 1)
            parent = parents[position]
            if parent not in rank and parent not in on_path:
                stack.append((parent, 0))
                on_path.add(parent)
            continue
        stack.pop()
        on_path.discard(node_id)
        rank[node_id] = max((rank[p] + 1 for p in parents if p in rank), default=0)


def _stage_bands(
    doc: JourneyMap,
    nodes: dict[str, Node],
    stage_index: dict[str, int],
    rank: dict[str, int],
    flows_in: dict[str, list[str]],
    served_by: dict[str, list[str]],
) -> dict[str, int]:
    """Each step's band: 1 + its stage's index, or the band its flow or its serving actions
    give it; 0 before every stage."""
    ordered = sorted(doc.nodes, key=lambda n: rank[n.id])  # predecessors first
    first: dict[str, int] = {}
    for node in ordered:
        if node.stage in stage_index:
            first[node.id] = stage_index[node.stage] + 1
        else:
            first[node.id] = max(
                (first[s] for s in flows_in.get(node.id, ()) if s in first), default=0
            )
    band: dict[str, int] = {}
    for node in ordered:  # again, with the bands of the actions that serve a step
        if node.id in first and node.stage in stage_index:
            band[node.id] = first[node.id]
            continue
        inherited = [band[s] for s in flows_in.get(node.id, ()) if s in band]
        serving = [first[a] for a in served_by.get(node.id, ()) if first.get(a)]
        band[node.id] = max(inherited + ([min(serving)] if serving else []), default=0)
    return band
