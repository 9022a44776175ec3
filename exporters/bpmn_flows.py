"""The flows of the BPMN export, with their DI: a process's sequence flows and associations,
and the message flows and associations of the collaboration between two processes' pools
(:mod:`exporters.bpmn` writes the pools and their shapes).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from models.document import Edge

from ._labels import Selection, edge_text, percent
from .bpmn_types import MESSAGE_SOURCES, MESSAGE_TARGETS
from .bpmn_xml import BPMN, BPMNDI, DI, JM, XSI, Geometry, bpmn_id, num, q

CONDITIONAL = frozenset({"exclusiveGateway", "inclusiveGateway", "complexGateway"})
"""Gateways whose outgoing flows carry a condition (the share of leads taking each)."""


def add_links(
    collaboration: ET.Element, plane: ET.Element, chosen: Selection, geometry: Geometry
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


def add_flows(
    proc: ET.Element, plane: ET.Element, flows: list[Edge], edges: list[Edge], geometry: Geometry
) -> None:
    """A process's sequence flows (``flows``: its flow and recycle edges that are not a
    boundary event's attachment) and an association for each of its "addresses" edges."""
    centre, sizes, tags = geometry.centre, geometry.size, geometry.tag
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
        ET.SubElement(edge, q(DI, "waypoint"), {"x": num(x), "y": num(y)})


def _link_di(plane, element_id: str, geometry: Geometry, source: str, target: str) -> None:
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
        ET.SubElement(edge, q(DI, "waypoint"), {"x": num(x), "y": num(y)})
