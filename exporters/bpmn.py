"""BPMN 2.0 XML with diagram interchange (DI), for bpmn.io, Camunda Modeler and Signavio.

One collaboration with a pool (participant) per process, stacked as the buying-group page
stacks its lanes (the buyer roles' processes first), each with a lane per buyer role or team
when nodes name one (and an "Unassigned" lane for the rest). Node kinds map to:

========== =====================================================================
entry      ``startEvent``
buyer_step ``task`` (the buyer acts, outside the company's systems)
action     ``userTask`` (a person of a team does it)
decision   ``exclusiveGateway``
subprocess ``callActivity`` whose ``calledElement`` is the opened process
won, lost  ``endEvent``
========== =====================================================================

Flow and recycle edges become ``sequenceFlow`` named with their conversion
(``"Yes (30%)"``; flows out of a decision also carry it as a
``conditionExpression``); "addresses" edges, which carry no leads, become
``association`` artifacts. An "addresses" edge between two processes (a company action
serving a buyer step of another role's process) is a ``messageFlow`` between the two pools, or,
where BPMN allows no message between its two shapes (a gateway's, say), an ``association`` of
the collaboration. Every shape, pool, lane, flow and link has its DI. Journeymap's own data rides along in attributes of
a private namespace (``jm:kind``, ``jm:conversion``, ``jm:node`` with the node's
JSON...), which BPMN allows on every element and other tools ignore, so
:mod:`exporters.bpmn_import` reads the map back without loss.

The XML is built with :mod:`xml.etree.ElementTree`, which escapes every
attribute and text value.

>>> from models.document import JourneyMap, Process, Node, Edge
>>> m = JourneyMap(processes=[Process(id="p", name="P")],
...                nodes=[Node(id="a", process="p", kind="entry", label="<Web>"),
...                       Node(id="b", process="p", kind="won")],
...                edges=[Edge(id="e", source="a", target="b", conversion=0.3)])
>>> xml = generate_bpmn(m)
>>> '<bpmn:startEvent id="Node_a" name="&lt;Web&gt;"' in xml, 'name="30%"' in xml
(True, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from models.document import Edge, JourneyMap, Layout, Node, Process
from models.storage import write_atomic

from ._labels import Selection, edge_text, node_text, percent, positions, select
from .bpmn_types import (
    ACTIVITIES,
    INTERRUPTING,
    MESSAGE_SOURCES,
    MESSAGE_TARGETS,
    element_of,
    is_event_or_gateway,
    size_of,
)

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
JM = "https://journeymap.app/schema/bpmn-extension/1"
NAMESPACES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "jm": JM}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

TASK_SIZE = (120, 80)
CONDITIONAL = frozenset({"exclusiveGateway", "inclusiveGateway", "complexGateway"})
"""Gateways whose outgoing flows carry a condition (the share of leads taking each)."""
POOL_LABEL = 30  # width of the pool's name band
LANE_LABEL = 30
MARGIN = 60
LANE_PAD = 60
POOL_GAP = 40


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def bpmn_id(prefix: str, map_id: str) -> str:
    """A BPMN id (an XML NCName) for a map id; map ids already are NCNames.

    >>> bpmn_id("Node", "a.b-c")
    'Node_a.b-c'
    """
    return f"{prefix}_{map_id}"


class _Geometry:
    """Where every shape of the diagram is, across pools: message flows join two of them."""

    def __init__(self) -> None:
        self.centre: dict[str, tuple[float, float]] = {}
        self.size: dict[str, tuple[float, float]] = {}
        self.tag: dict[str, str] = {}
        """The element each node is written as."""


def _lane_key(names: dict[str, dict[str, str]], node: Node) -> tuple[str, str, str] | None:
    """(kind, id, name) of the lane a node belongs in: its role, else its owner team."""
    if node.role:
        return ("role", node.role, names["role"].get(node.role, node.role))
    if node.owner:
        return ("team", node.owner, names["team"].get(node.owner, node.owner))
    return None


def generate_bpmn(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """BPMN 2.0 XML of one process, or every process as pools of one collaboration with the
    links between them as message flows."""
    chosen = select(doc, process_id)
    names = {
        "role": {r.id: r.name for r in doc.roles},
        "team": {t.id: t.name for t in doc.teams},
    }
    root = ET.Element(
        q(BPMN, "definitions"),
        {
            "id": "Definitions_1",
            "targetNamespace": "https://journeymap.app/bpmn",
            "exporter": "Journeymap",
            "exporterVersion": "1",
            q(JM, "map"): doc.model_dump_json(
                exclude={"processes", "nodes", "edges", "layout"}, exclude_defaults=True
            ),
        },
    )
    moved = {k: v for k, v in doc.layout.group.items() if k in chosen.node}
    if moved:  # steps moved on the buying-group page, which BPMN does not draw
        root.set(q(JM, "group"), Layout(group=moved).model_dump_json(include={"group"}))
    collaboration = ET.SubElement(root, q(BPMN, "collaboration"), {"id": "Collaboration_1"})
    diagram = ET.Element(q(BPMNDI, "BPMNDiagram"), {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(
        diagram, q(BPMNDI, "BPMNPlane"), {"id": "BPMNPlane_1", "bpmnElement": "Collaboration_1"}
    )
    geometry = _Geometry()
    several = len(chosen.processes) > 1
    built: dict[str, tuple[ET.Element, ET.Element]] = {}
    top = 0.0
    for process in chosen.in_lane_order(doc) if several else chosen.processes:
        participant, proc, bottom = _add_process(plane, doc, chosen, names, process, top, geometry)
        built[process.id] = (participant, proc)
        top = bottom + POOL_GAP
    for process in chosen.processes:  # the file lists them in the map's order; DI stacks lanes
        participant, proc = built[process.id]
        collaboration.append(participant)
        root.append(proc)
    _add_links(collaboration, plane, chosen, geometry)
    root.append(diagram)
    ET.indent(root)
    root.tail = "\n"  # written by tostring: no copy of a 200 MB text to add it
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _add_links(
    collaboration: ET.Element, plane: ET.Element, chosen: Selection, geometry: _Geometry
) -> None:
    """The edges between processes: message flows where BPMN allows one between their two
    shapes (from an activity, an end or a throw event to an activity, a start or a catch
    event), else associations of the collaboration (a gateway, say, sends no messages)."""
    flows: list[Edge] = []
    associations: list[Edge] = []
    drawn_as = geometry.tag
    for edge in chosen.cross:
        message = (
            drawn_as[edge.source] in MESSAGE_SOURCES and drawn_as[edge.target] in MESSAGE_TARGETS
        )
        (flows if message else associations).append(edge)
    for tag, prefix, edges in (
        ("messageFlow", "MessageFlow", flows),  # the schema wants these before the artifacts
        ("association", "Association", associations),
    ):
        for edge in edges:
            element_id = bpmn_id(prefix, edge.id)
            attrs = {
                "id": element_id,
                "sourceRef": bpmn_id("Node", edge.source),
                "targetRef": bpmn_id("Node", edge.target),
                q(JM, "edge"): edge.model_dump_json(exclude_defaults=True),
            }
            if tag == "messageFlow" and edge_text(edge):
                attrs["name"] = edge_text(edge)
            ET.SubElement(collaboration, q(BPMN, tag), attrs)
            _link_di(plane, element_id, geometry, edge.source, edge.target)


def _add_process(
    plane: ET.Element,
    doc: JourneyMap,
    chosen: Selection,
    names: dict[str, dict[str, str]],
    process: Process,
    top: float,
    geometry: _Geometry,
) -> tuple[ET.Element, ET.Element, float]:
    """One process, its pool and its DI below ``top``: the participant, the process and the
    pool's bottom."""
    pid = bpmn_id("Process", process.id)
    part = bpmn_id("Participant", process.id)
    participant = ET.Element(
        q(BPMN, "participant"), {"id": part, "name": process.name, "processRef": pid}
    )
    proc = ET.Element(
        q(BPMN, "process"),
        {
            "id": pid,
            "name": process.name,
            "isExecutable": "false",
            q(JM, "process"): process.model_dump_json(exclude_defaults=True),
        },
    )
    nodes = chosen.nodes[process.id]
    edges = chosen.edges[process.id]
    pos = positions(doc, nodes)

    # Lanes: one per role/team in order of first use, plus "Unassigned" when needed.
    lanes: dict[tuple | None, list[Node]] = {}
    for node in nodes:
        lanes.setdefault(_lane_key(names, node), []).append(node)
    use_lanes = any(key is not None for key in lanes)
    if not use_lanes:
        lanes = {None: nodes}
    # Vertical bands: each lane keeps its nodes' relative layout.
    min_x = min((pos[n.id][0] for n in nodes), default=0.0)
    x0 = POOL_LABEL + (LANE_LABEL if use_lanes else 0) + MARGIN - min_x + TASK_SIZE[0] / 2
    centre = geometry.centre
    bands = []
    y = top
    for key, members in lanes.items():
        ys = [pos[n.id][1] for n in members]
        low = min(ys, default=0.0)
        height = (max(ys, default=0.0) - low) + TASK_SIZE[1] + 2 * LANE_PAD
        for n in members:
            centre[n.id] = (pos[n.id][0] + x0, y + LANE_PAD + TASK_SIZE[1] / 2 + pos[n.id][1] - low)
        bands.append((key, members, y, height))
        y += height
    width = max((centre[n.id][0] for n in nodes), default=0.0) + TASK_SIZE[0] / 2 + MARGIN

    if use_lanes:
        lane_set = ET.SubElement(proc, q(BPMN, "laneSet"), {"id": bpmn_id("LaneSet", process.id)})
        for i, (key, members, _band_y, _height) in enumerate(bands):
            lane_id = f"Lane_{process.id}_{i}"
            attrs = {"id": lane_id, "name": key[2] if key else "Unassigned"}
            if key:
                attrs[q(JM, "kind")] = key[0]
                attrs[q(JM, "ref")] = key[1]
            lane = ET.SubElement(lane_set, q(BPMN, "lane"), attrs)
            for n in members:
                ET.SubElement(lane, q(BPMN, "flowNodeRef")).text = bpmn_id("Node", n.id)
    shape = ET.SubElement(
        plane,
        q(BPMNDI, "BPMNShape"),
        {"id": part + "_di", "bpmnElement": part, "isHorizontal": "true"},
    )
    _bounds(shape, 0, top, width, y - top)
    if use_lanes:
        for i, (_key, _members, band_y, height) in enumerate(bands):
            lane_id = f"Lane_{process.id}_{i}"
            shape = ET.SubElement(
                plane,
                q(BPMNDI, "BPMNShape"),
                {"id": lane_id + "_di", "bpmnElement": lane_id, "isHorizontal": "true"},
            )
            _bounds(shape, POOL_LABEL, band_y, width - POOL_LABEL, height)

    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    flows = [e for e in edges if e.kind != "addresses"]
    drawn = {node.id: element_of(node) for node in nodes}
    attached = _attachments(drawn, flows)  # boundary event -> the edge from the step it is on
    if attached:
        kept = {id(e) for e in attached.values()}
        flows = [e for e in flows if id(e) not in kept]
    defaults: dict[str, str] = {}  # a step's first flow marked default (looked up, not searched)
    for e in flows:
        outgoing.setdefault(e.source, []).append(bpmn_id("Flow", e.id))
        incoming.setdefault(e.target, []).append(bpmn_id("Flow", e.id))
        if e.bpmn_default:
            defaults.setdefault(e.source, bpmn_id("Flow", e.id))
    sizes = geometry.size
    tags = geometry.tag
    for node in nodes:
        tag, definition = drawn[node.id]
        tags[node.id] = tag
        attrs = {"id": bpmn_id("Node", node.id)}
        if node.label or not (node.bpmn_type or is_event_or_gateway(tag)):
            attrs["name"] = node_text(node)  # unnamed in BPMN stays so; so do events, gateways
        attrs[q(JM, "kind")] = node.kind
        attrs[q(JM, "node")] = node.model_dump_json(exclude_defaults=True)
        if tag == "callActivity" and node.subprocess:
            attrs["calledElement"] = bpmn_id("Process", node.subprocess)
        default = defaults.get(node.id)
        if default is not None and (tag in CONDITIONAL or tag in ACTIVITIES):
            attrs["default"] = default
        if tag == "boundaryEvent":  # the edge from its step is the attachment, not a flow
            attrs["attachedToRef"] = bpmn_id("Node", attached[node.id].source)
            attrs[q(JM, "attached")] = attached[node.id].model_dump_json(exclude_defaults=True)
        if not node.bpmn_interrupting and tag in INTERRUPTING:  # drawn dashed; not on others
            attrs[INTERRUPTING[tag]] = "false"
        # the map's exact position (or none) and where the DI draws it: a re-import keeps the
        # map's position unless the shape was moved in the modeller
        placed = doc.layout.nodes.get(node.id)
        attrs[q(JM, "pos")] = f"{placed[0]!r} {placed[1]!r}" if placed is not None else ""
        attrs[q(JM, "drawn")] = f"{centre[node.id][0]!r} {centre[node.id][1]!r}"
        element = ET.SubElement(proc, q(BPMN, tag), attrs)
        if node.description:
            ET.SubElement(element, q(BPMN, "documentation")).text = node.description
        for ref in incoming.get(node.id, []):
            ET.SubElement(element, q(BPMN, "incoming")).text = ref
        for ref in outgoing.get(node.id, []):
            ET.SubElement(element, q(BPMN, "outgoing")).text = ref
        if definition:
            _event_definition(element, definition, bpmn_id("Node", node.id))
        w, h = size_of(tag)
        sizes[node.id] = (w, h)
        cx, cy = centre[node.id]
        shape = ET.SubElement(
            plane,
            q(BPMNDI, "BPMNShape"),
            {"id": bpmn_id("Node", node.id) + "_di", "bpmnElement": bpmn_id("Node", node.id)},
        )
        if tag == "exclusiveGateway":
            shape.set("isMarkerVisible", "true")
        _bounds(shape, cx - w / 2, cy - h / 2, w, h)
    for e in flows:
        attrs = {
            "id": bpmn_id("Flow", e.id),
            "sourceRef": bpmn_id("Node", e.source),
            "targetRef": bpmn_id("Node", e.target),
            q(JM, "edge"): e.model_dump_json(exclude_defaults=True),
        }
        if edge_text(e):
            attrs["name"] = edge_text(e)
        if e.conversion is not None:
            attrs[q(JM, "conversion")] = repr(e.conversion)
        flow = ET.SubElement(proc, q(BPMN, "sequenceFlow"), attrs)
        if tags[e.source] in CONDITIONAL and e.conversion is not None and not e.bpmn_default:
            cond = ET.SubElement(
                flow, q(BPMN, "conditionExpression"), {q(XSI, "type"): "bpmn:tFormalExpression"}
            )
            cond.text = f"share {percent(e.conversion)}"
        _edge_di(plane, bpmn_id("Flow", e.id), centre, sizes, e.source, e.target)
    for e in edges:
        if e.kind == "addresses":
            aid = bpmn_id("Association", e.id)
            ET.SubElement(
                proc,
                q(BPMN, "association"),
                {
                    "id": aid,
                    "sourceRef": bpmn_id("Node", e.source),
                    "targetRef": bpmn_id("Node", e.target),
                    q(JM, "edge"): e.model_dump_json(exclude_defaults=True),
                },
            )
            _edge_di(plane, aid, centre, sizes, e.source, e.target)
    return participant, proc, y


def _attachments(drawn: dict[str, tuple[str, str | None]], flows: list[Edge]) -> dict[str, Edge]:
    """The boundary events that can be drawn so, each with the one flow edge into it from an
    activity (the step it sits on); a boundary event without one is drawn as an intermediate
    catch event (in ``drawn``), with its definition."""
    into: dict[str, list[Edge]] = {}
    for edge in flows:
        if drawn[edge.target][0] == "boundaryEvent":
            into.setdefault(edge.target, []).append(edge)
    out = {}
    for node_id, (tag, definition) in drawn.items():
        if tag != "boundaryEvent":
            continue
        edges = into.get(node_id, [])
        if len(edges) == 1 and edges[0].kind == "flow" and drawn[edges[0].source][0] in ACTIVITIES:
            out[node_id] = edges[0]
        else:
            drawn[node_id] = ("intermediateCatchEvent", definition)
    return out


def _event_definition(element: ET.Element, definition: str, owner: str) -> None:
    """An event's definition (``<bpmn:timerEventDefinition>``...), with what the schema
    requires of it: a link's name, a conditional event's condition."""
    attrs = {"id": f"{owner}_{definition}"}
    if definition == "link":
        attrs["name"] = owner
    made = ET.SubElement(element, q(BPMN, f"{definition}EventDefinition"), attrs)
    if definition == "conditional":
        ET.SubElement(made, q(BPMN, "condition"), {q(XSI, "type"): "bpmn:tFormalExpression"})


def _bounds(shape, x: float, y: float, w: float, h: float) -> None:
    ET.SubElement(
        shape, q(DC, "Bounds"), {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h)}
    )


def _edge_di(plane, element_id: str, centre, sizes, source: str, target: str) -> None:
    edge = ET.SubElement(
        plane, q(BPMNDI, "BPMNEdge"), {"id": element_id + "_di", "bpmnElement": element_id}
    )
    (sx, sy), (tx, ty) = centre[source], centre[target]
    sw, sh = sizes[source]
    tw, th = sizes[target]
    if source == target:  # a loop over the top of the shape
        points = [
            (sx, sy - sh / 2),
            (sx, sy - sh / 2 - 30),
            (sx + sw / 2 + 20, sy - sh / 2 - 30),
            (sx + sw / 2 + 20, sy),
            (sx + sw / 2, sy),
        ]
    elif tx >= sx:
        points = [(sx + sw / 2, sy), (tx - tw / 2, ty)]
        if sy != ty:
            mid = (sx + sw / 2 + tx - tw / 2) / 2
            points[1:1] = [(mid, sy), (mid, ty)]
    else:  # backwards (recycle): under both shapes
        low = max(sy + sh / 2, ty + th / 2) + 30
        points = [(sx, sy + sh / 2), (sx, low), (tx, low), (tx, ty + th / 2)]
    for x, y in points:
        ET.SubElement(edge, q(DI, "waypoint"), {"x": _num(x), "y": _num(y)})


def _link_di(plane, element_id: str, geometry: _Geometry, source: str, target: str) -> None:
    """Waypoints of a link between two pools: out of the source's top or bottom, across, and
    into the target's side facing it."""
    edge = ET.SubElement(
        plane, q(BPMNDI, "BPMNEdge"), {"id": element_id + "_di", "bpmnElement": element_id}
    )
    (sx, sy), (tx, ty) = geometry.centre[source], geometry.centre[target]
    sh, th = geometry.size[source][1], geometry.size[target][1]
    down = 1 if ty >= sy else -1
    start, end = (sx, sy + down * sh / 2), (tx, ty - down * th / 2)
    middle = (start[1] + end[1]) / 2
    points = [start, end] if sx == tx else [start, (sx, middle), (tx, middle), end]
    for x, y in points:
        ET.SubElement(edge, q(DI, "waypoint"), {"x": _num(x), "y": _num(y)})


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def write_bpmn(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_bpmn(doc, process_id).encode("utf-8"))


__all__ = ["generate_bpmn", "write_bpmn", "JM", "NAMESPACES"]
