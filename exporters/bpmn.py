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
attribute and text value. This module writes the pools, lanes and shapes;
:mod:`exporters.bpmn_flows` writes the flows and links, and :mod:`exporters.bpmn_xml` holds
the namespaces and ids.

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

from ._labels import Selection, node_text, positions, select
from .bpmn_flows import CONDITIONAL, add_flows, add_links
from .bpmn_types import ACTIVITIES, INTERRUPTING, element_of, is_event_or_gateway, size_of
from .bpmn_xml import BPMN, BPMNDI, DC, JM, XSI, Geometry, bpmn_id, num, q

TASK_SIZE = (120, 80)
POOL_LABEL = 30  # width of the pool's name band
LANE_LABEL = 30
MARGIN = 60
LANE_PAD = 60
POOL_GAP = 40


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
    geometry = Geometry()
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
    add_links(collaboration, plane, chosen, geometry)
    root.append(diagram)
    ET.indent(root)
    root.tail = "\n"  # written by tostring: no copy of a 200 MB text to add it
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _add_process(
    plane: ET.Element,
    doc: JourneyMap,
    chosen: Selection,
    names: dict[str, dict[str, str]],
    process: Process,
    top: float,
    geometry: Geometry,
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
    add_flows(proc, plane, flows, edges, geometry)
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
        shape, q(DC, "Bounds"), {"x": num(x), "y": num(y), "width": num(w), "height": num(h)}
    )


def write_bpmn(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_bpmn(doc, process_id).encode("utf-8"))


__all__ = ["generate_bpmn", "write_bpmn"]
