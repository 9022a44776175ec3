"""Which BPMN element a step is, both ways: the kind an element imports as, and the element a
step exports as.

A step imported from BPMN remembers its element (``Node.bpmn_type``: ``serviceTask``,
``parallelGateway``, ``intermediateCatchEvent:timer``), and the export writes that element again
while it fits the step's kind (a ``serviceTask`` is an action or a buyer step, a
``parallelGateway`` a decision); a step of Journeymap's own, or one whose kind was changed since,
is written as its kind's element (:data:`ELEMENT`). Events and gateways are drawn at BPMN's usual
sizes (36 and 50 pixels), activities as 120 x 80 boxes.
"""

from __future__ import annotations

from models.document import Node

TASKS = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "scriptTask",
        "businessRuleTask",
        "manualTask",
    }
)
GATEWAYS = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
SUBPROCESSES = frozenset({"callActivity", "subProcess", "transaction", "adHocSubProcess"})
INTERMEDIATE = frozenset({"intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"})
"""Events in the middle of a flow: a boundary event is an exit of the activity it sits on (an
edge from that step to it in the map)."""
EVENTS = frozenset({"startEvent", "endEvent", *INTERMEDIATE})
ACTIVITIES = TASKS | SUBPROCESSES
"""Elements a boundary event may sit on."""
MESSAGE_SOURCES = TASKS | SUBPROCESSES | {"endEvent", "intermediateThrowEvent"}
"""BPMN elements that may send a message flow (activities, end and throw events)."""
MESSAGE_TARGETS = TASKS | SUBPROCESSES | {"startEvent", "intermediateCatchEvent"}
"""BPMN elements that may receive one (activities, start and catch events)."""
INTERRUPTING = {"boundaryEvent": "cancelActivity", "startEvent": "isInterrupting"}
"""The elements that may say they do not interrupt (``"false"``; BPMN's default is true), and
the attribute each says it with: a non-interrupting boundary event leaves its step running (a
reminder every two days while the task runs), an event sub-process's start the process."""

KIND_OF = {
    "startEvent": "entry",
    "endEvent": "won",
    **{tag: "decision" for tag in GATEWAYS},
    **{tag: "subprocess" for tag in SUBPROCESSES},
    **{tag: "action" for tag in INTERMEDIATE},
    **{tag: "action" for tag in TASKS},
}
"""The kind of step each BPMN flow node imports as (an end event named lost... is lost)."""

FITS = {
    **{tag: frozenset({"action", "buyer_step"}) for tag in TASKS | INTERMEDIATE},
    **{tag: frozenset({"subprocess"}) for tag in SUBPROCESSES},
    **{tag: frozenset({"decision"}) for tag in GATEWAYS},
    "startEvent": frozenset({"entry"}),
    "endEvent": frozenset({"won", "lost"}),
}
"""The kinds of step each element may be written for."""

ELEMENT = {
    "entry": "startEvent",
    "buyer_step": "task",
    "action": "userTask",
    "decision": "exclusiveGateway",
    "subprocess": "callActivity",
    "won": "endEvent",
    "lost": "endEvent",
}
"""The element a step of each kind is written as when it remembers none (or one that no longer
fits its kind)."""

DEFINITIONS = frozenset(
    {
        "message",
        "timer",
        "signal",
        "error",
        "escalation",
        "compensate",
        "conditional",
        "link",
        "terminate",
        "cancel",
    }
)
"""Event definitions (``<bpmn:timerEventDefinition>``...) a step keeps and writes again."""

EVENT_SIZE = (36.0, 36.0)
GATEWAY_SIZE = (50.0, 50.0)
TASK_SIZE = (120.0, 80.0)


def local(element) -> str:
    """An element's tag without its namespace."""
    return element.tag.rpartition("}")[2]


def source_type(element) -> str:
    """What ``Node.bpmn_type`` keeps of an element: its tag, and for an event its first event
    definition (``intermediateCatchEvent:timer``)."""
    tag = local(element)
    if tag in EVENTS:
        for child in element:
            name = local(child)
            definition = name.removesuffix("EventDefinition")
            if name.endswith("EventDefinition") and definition in DEFINITIONS:
                return f"{tag}:{definition}"
    return tag


def interrupting(element) -> bool:
    """False for an element that says it is non-interrupting (``cancelActivity="false"`` on a
    boundary event, ``isInterrupting="false"`` on a start event); true for every other."""
    attribute = INTERRUPTING.get(local(element))
    return attribute is None or element.get(attribute) != "false"


def element_of(node: Node) -> tuple[str, str | None]:
    """The element and event definition a step is written as: the one it remembers when that
    fits its kind, else its kind's (:data:`ELEMENT`).

    >>> element_of(Node(id="a", process="p", kind="action", bpmn_type="serviceTask"))
    ('serviceTask', None)
    >>> element_of(Node(id="a", process="p", kind="decision", bpmn_type="serviceTask"))
    ('exclusiveGateway', None)
    >>> element_of(Node(id="t", process="p", bpmn_type="intermediateCatchEvent:timer"))
    ('intermediateCatchEvent', 'timer')
    """
    tag, _, definition = node.bpmn_type.partition(":")
    if node.kind in FITS.get(tag, ()):
        return tag, (definition if definition in DEFINITIONS and tag in EVENTS else None)
    return ELEMENT.get(node.kind, "task"), None


def size_of(tag: str) -> tuple[float, float]:
    """Width and height an element is drawn with."""
    if tag in EVENTS:
        return EVENT_SIZE
    if tag in GATEWAYS:
        return GATEWAY_SIZE
    return TASK_SIZE


def is_event_or_gateway(tag: str) -> bool:
    """Whether BPMN tools draw the element's name beside it, so an unnamed one needs none."""
    return tag in EVENTS or tag in GATEWAYS
