"""The kind of step a draw.io shape imports as, by its style: the basic shapes, the flowchart
library and the BPMN library.

=========================================================  =====================================
Style                                                      Step
=========================================================  =====================================
``rhombus``, ``shape=mxgraph.flowchart.decision``          decision
BPMN gateways (``mxgraph.bpmn.gateway2``, ``...Gw``)       decision, with its gateway type
BPMN start, end and intermediate events                    entry, won/lost, action, with the type
BPMN tasks (``mxgraph.bpmn.task``, ``taskMarker=...``)     action, with its task type
``doubleEllipse``                                          won (lost when the label says so)
``ellipse``, flowchart terminators and start shapes        entry with no edge in; won/lost with
                                                           no edge out; else an action
``shape=process``, ``mxgraph.flowchart.predefined_process`` sub-process
anything else                                              action
=========================================================  =====================================

Shapes of the BPMN library also give the step's ``bpmn_type`` (``parallelGateway``,
``endEvent:terminate``, ``serviceTask``), so a BPMN export writes the element drawn.

An edge's kind comes from its style too (:func:`edge_kind`): no arrow head is an
"addresses" edge; dashed with a circle at the start (BPMN's message flow, as the BPMN
library and :mod:`exporters.drawio` draw it) a "message" edge; otherwise dashed a recycle edge,
else a flow.
"""

from __future__ import annotations

from models.vocabulary import EdgeKind

from ._labels import LOST_WORDS

GATEWAY_TYPES = {
    "exclusive": "exclusiveGateway",
    "parallel": "parallelGateway",
    "inclusive": "inclusiveGateway",
    "complex": "complexGateway",
    "eventBased": "eventBasedGateway",
    "exclusiveGw": "exclusiveGateway",
    "parallelGw": "parallelGateway",
    "inclusiveGw": "inclusiveGateway",
    "complexGw": "complexGateway",
    "eventGw": "eventBasedGateway",
}
TASK_TYPES = {
    "abstract": "task",
    "user": "userTask",
    "manual": "manualTask",
    "send": "sendTask",
    "receive": "receiveTask",
    "service": "serviceTask",
    "script": "scriptTask",
    "businessRule": "businessRuleTask",
}
EVENT_SYMBOLS = {
    "message": "message",
    "timer": "timer",
    "signal": "signal",
    "error": "error",
    "escalation": "escalation",
    "compensation": "compensate",
    "conditional": "conditional",
    "link": "link",
    "terminate": "terminate",
    "terminate2": "terminate",
    "cancel": "cancel",
}
INTERMEDIATE = {
    "catching": "intermediateCatchEvent",
    "eventInt": "intermediateCatchEvent",
    "eventNonint": "intermediateCatchEvent",
    "boundInt": "intermediateCatchEvent",
    "boundNonint": "intermediateCatchEvent",
    "throwing": "intermediateThrowEvent",
}
NAMED_EVENTS = {
    "mxgraph.bpmn.general_start": ("entry", "startEvent"),
    "mxgraph.bpmn.timer_start": ("entry", "startEvent:timer"),
    "mxgraph.bpmn.terminate": ("won", "endEvent:terminate"),
}
TERMINALS = frozenset(
    {"mxgraph.flowchart.terminator", "mxgraph.flowchart.start_1", "mxgraph.flowchart.start_2"}
)
SUBPROCESSES = frozenset({"process", "mxgraph.flowchart.predefined_process"})


def _style(style: str) -> tuple[set[str], dict[str, str]]:
    parts = [part.strip() for part in style.split(";") if part.strip()]
    return {p for p in parts if "=" not in p}, dict(p.split("=", 1) for p in parts if "=" in p)


def edge_kind(style: str) -> EdgeKind:
    """The kind of edge a draw.io edge's style draws.

    >>> edge_kind("endArrow=block;"), edge_kind("endArrow=block;dashed=1;")
    ('flow', 'recycle')
    >>> edge_kind("dashed=1;startArrow=oval;startFill=0;endArrow=block;endFill=0;")
    'message'
    >>> edge_kind("endArrow=none;dashed=1;dashPattern=1 3;")
    'addresses'
    """
    _flags, values = _style(style)
    if values.get("endArrow") == "none":
        return "addresses"
    if values.get("dashed") == "1":
        return "message" if values.get("startArrow") == "oval" else "recycle"
    return "flow"


def _end(label: str) -> str:
    return "lost" if LOST_WORDS.search(label) else "won"


def shape_kind(style: str, label: str, ins: int, outs: int) -> tuple[str, str]:
    """The kind of step a vertex is and the BPMN element it draws (empty when it draws none),
    from its style, its label and how many edges come in and go out.

    >>> shape_kind("shape=mxgraph.flowchart.decision;html=1", "Images?", 1, 2)
    ('decision', '')
    >>> shape_kind("shape=mxgraph.flowchart.terminator;", "start", 0, 1)
    ('entry', '')
    >>> shape_kind("shape=mxgraph.flowchart.terminator;", "Deal lost", 1, 0)
    ('lost', '')
    >>> shape_kind("shape=mxgraph.bpmn.gateway2;gwType=parallel;", "", 1, 2)
    ('decision', 'parallelGateway')
    >>> shape_kind("shape=mxgraph.bpmn.event;outline=end;symbol=terminate2;", "", 1, 0)
    ('won', 'endEvent:terminate')
    >>> shape_kind("shape=mxgraph.bpmn.shape;outline=eventInt;symbol=timer;", "2 days", 1, 1)
    ('action', 'intermediateCatchEvent:timer')
    >>> shape_kind("shape=mxgraph.bpmn.task;taskMarker=service;", "Score", 1, 1)
    ('action', 'serviceTask')
    >>> shape_kind("rounded=1;whiteSpace=wrap;", "Call", 1, 1)
    ('action', '')
    """
    flags, values = _style(style)
    shape = values.get("shape", "")
    if shape in ("mxgraph.bpmn.gateway2", "mxgraph.bpmn.gateway") or (
        shape == "mxgraph.bpmn.shape" and values.get("symbol", "").endswith("Gw")
    ):
        gateway = values.get("gwType") or values.get("symbol", "")
        return "decision", GATEWAY_TYPES.get(gateway, "exclusiveGateway")
    outline = values.get("outline", "")
    if shape in ("mxgraph.bpmn.event", "mxgraph.bpmn.shape") and (
        outline in ("standard", "end") or outline in INTERMEDIATE
    ):
        return _event(values, label)
    if shape in NAMED_EVENTS:
        kind, element = NAMED_EVENTS[shape]
        return (_end(label) if kind == "won" else kind), element
    if shape == "mxgraph.bpmn.task":
        return "action", TASK_TYPES.get(values.get("taskMarker", ""), "task")
    if shape == "mxgraph.bpmn.user_task":
        return "action", "userTask"
    if "rhombus" in flags or shape in ("rhombus", "mxgraph.flowchart.decision"):
        return "decision", ""
    if shape == "doubleEllipse" or "doubleEllipse" in flags:
        return _end(label), ""
    if shape in SUBPROCESSES:
        return "subprocess", ""
    if "ellipse" in flags or shape in TERMINALS:
        if ins == 0:
            return "entry", ""
        if outs == 0:
            return _end(label), ""
    return "action", ""


def _event(values: dict[str, str], label: str) -> tuple[str, str]:
    """A BPMN-library event: its outline says start, end or intermediate, its symbol the
    definition."""
    outline = values.get("outline", "")
    definition = EVENT_SYMBOLS.get(values.get("symbol", ""), "")
    suffix = f":{definition}" if definition else ""
    if outline == "end":
        return _end(label), f"endEvent{suffix}"
    if outline in INTERMEDIATE:
        return "action", f"{INTERMEDIATE[outline]}{suffix}"
    return "entry", f"startEvent{suffix}"


def degrees(cells) -> tuple[dict[str, int], dict[str, int]]:
    """How many edges come into and go out of each cell: ``cells`` yields ``(id, holder,
    mxCell)`` as the import reads them."""
    ins: dict[str, int] = {}
    outs: dict[str, int] = {}
    for _cid, _holder, cell in cells:
        if cell.get("edge") == "1":
            source, target = cell.get("source") or "", cell.get("target") or ""
            if source:
                outs[source] = outs.get(source, 0) + 1
            if target:
                ins[target] = ins.get(target, 0) + 1
    return ins, outs
