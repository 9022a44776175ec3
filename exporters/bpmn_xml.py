"""The parts of a BPMN file every part of the export writes: the namespaces (registered with
:mod:`xml.etree.ElementTree`, so the file names them ``bpmn:``, ``bpmndi:``...), qualified tags,
BPMN ids for map ids, where each shape is drawn, and numbers as the DI writes them.
:mod:`exporters.bpmn` writes the file, :mod:`exporters.bpmn_flows` its flows, and
:mod:`exporters.bpmn_import` reads it back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
JM = "https://journeymap.app/schema/bpmn-extension/1"
NAMESPACES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "jm": JM}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def bpmn_id(prefix: str, map_id: str) -> str:
    """A BPMN id (an XML NCName) for a map id; map ids already are NCNames.

    >>> bpmn_id("Node", "a.b-c")
    'Node_a.b-c'
    """
    return f"{prefix}_{map_id}"


class Geometry:
    """Where every shape of the diagram is, across pools: message flows join two of them."""

    def __init__(self) -> None:
        self.centre: dict[str, tuple[float, float]] = {}
        self.size: dict[str, tuple[float, float]] = {}
        self.tag: dict[str, str] = {}
        """The element each node is written as."""


def num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
