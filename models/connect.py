"""Which connections a map may hold: the rules, in one place.

The editor (:class:`~models.editing.MapDocument`), loading (:mod:`models.integrity`) and
every import ask :func:`check_connect` before an edge goes into a map. A refused
connection raises a :class:`~models.connect_errors.ConnectError` (an
:class:`~models.errors.EditError`, :mod:`models.connect_errors` has one class per rule) whose
``code`` names the rule:

=====================  ====================================================================
``missing-node``       the source or the target is not a node of the map
``self-loop``          the edge starts and ends at the same node
``duplicate-edge``     an edge of the same kind already joins the same source and target
``crosses-processes``  a ``flow`` or ``recycle`` edge joins nodes of two processes (only
                       ``addresses`` edges may cross, a company action serving a buyer step
                       of another role's process, and ``message`` edges)
``leaves-outcome``     a ``flow`` or ``recycle`` edge leaves a ``won`` or ``lost`` outcome
``message-within``     a ``message`` edge joins two steps of one process (a message always
                       goes from one process to another)
``message-end``        a ``message`` edge leaves a decision or an entry, or reaches a
                       decision or an outcome (BPMN's rules for a message flow: never a
                       gateway; a start event only receives, an end event only sends)
=====================  ====================================================================

>>> from models.document import Edge, JourneyMap, Node, Process
>>> m = JourneyMap(
...     processes=[Process(id="funnel", name="Funnel"), Process(id="cfo", name="CFO", kind="buyer")],
...     nodes=[Node(id="call", process="funnel"), Node(id="won", process="funnel", kind="won"),
...            Node(id="review", process="cfo", kind="buyer_step")],
...     edges=[Edge(id="e1", source="call", target="won")])
>>> check_connect(m, "call", "review", "addresses")  # legal: nothing raised
>>> check_connect(m, "call", "review", "flow")
Traceback (most recent call last):
...
models.connect_errors.CrossProcessError: a flow edge cannot join "call" in process "funnel" to "review" in process "cfo"; only addresses and message edges may cross processes: connect two steps of one process, or make it an addresses or a message edge
>>> try:
...     check_connect(m, "won", "call", "flow")
... except ConnectError as error:
...     print(error.code)
leaves-outcome
>>> connection_kind(m.node("call"), m.node("review"))
'addresses'
>>> check_connect(m, "review", "call", "message")  # the CFO writes back: legal
>>> connection_kind(m.node("review"), m.node("call"))
'message'
>>> check_connect(m, "call", "won", "message")
Traceback (most recent call last):
...
models.connect_errors.MessageWithinProcessError: a message edge cannot join "call" to "won" in the same process "funnel"; a message goes from one process to another: connect them with a flow edge, or send the message to a step of another process
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Protocol

from .connect_errors import (
    ConnectError,
    ConnectRule,
    CrossProcessError,
    DuplicateEdgeError,
    MessageEndError,
    MessageWithinProcessError,
    MissingNodeError,
    OutcomeExitError,
    SelfLoopError,
)
from .document import Edge, JourneyMap, Node
from .vocabulary import CARRIES_LEADS, MESSAGE_RECEIVERS, MESSAGE_SENDERS, OUTCOME_KINDS, EdgeKind

# --- what the rules look at ----------------------------------------------------------------------


class EditedMap(Protocol):
    """What the rules read of the editor's :class:`~models.editing.MapDocument`."""

    map: JourneyMap

    def has(self, collection: str, item_id: str) -> bool: ...

    def get(self, collection: str, item_id: str) -> Any: ...


class _Lookup(Protocol):
    def find_node(self, node_id: str) -> Node | None: ...

    def existing_edge(
        self, source: str, target: str, kind: str, ignore_edge: str | None
    ) -> str | None: ...


class Connections:
    """Each node and the edges already drawn, indexed for checking many connections fast.

    Loading and the imports build one and :meth:`admit` (or :meth:`check`, then
    :meth:`add`) each edge in turn, so a map of 200,000 edges is checked in one pass.
    For a single check, :func:`check_connect` takes the map (or the editor's document)
    directly.
    """

    def __init__(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        self.nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str, str], list[str]] = {}
        for node in nodes:
            self.add_node(node)
        for edge in edges:
            self.add(edge)

    @classmethod
    def of(cls, doc: JourneyMap) -> Connections:
        return cls(doc.nodes, doc.edges)

    def add_node(self, node: Node) -> None:
        """Know one more node (an import reading page after page)."""
        self.nodes.setdefault(node.id, node)

    def add(self, edge: Edge) -> None:
        """Count ``edge`` as drawn (call it after a check passed)."""
        self._edges.setdefault((edge.source, edge.target, edge.kind), []).append(edge.id)

    def check(
        self, source_id: str, target_id: str, kind: EdgeKind, ignore_edge: str | None = None
    ) -> None:
        """:func:`check_connect` against this index."""
        _check(self, source_id, target_id, kind, ignore_edge)

    def admit(self, edge: Edge) -> None:
        """:meth:`check` ``edge``, then :meth:`add` it; a refused edge raises and is not added."""
        source_id, target_id, kind = key = (edge.source, edge.target, edge.kind)
        source, target = self.nodes.get(source_id), self.nodes.get(target_id)
        if (
            source is None
            or target is None
            or key in self._edges
            or _broken_rule(source, target, kind) is not None
        ):
            _check(self, source_id, target_id, kind, None)  # raises, naming the rule
        self._edges[key] = [edge.id]

    def find_node(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def existing_edge(
        self, source: str, target: str, kind: str, ignore_edge: str | None
    ) -> str | None:
        for edge_id in self._edges.get((source, target, kind), ()):
            if edge_id != ignore_edge:
                return edge_id
        return None


class _DocumentLookup:
    """The editor's document: its node index; edges scanned (one check per gesture)."""

    def __init__(self, doc: EditedMap) -> None:
        self.doc = doc

    def find_node(self, node_id: str) -> Node | None:
        return self.doc.get("nodes", node_id) if self.doc.has("nodes", node_id) else None

    def existing_edge(
        self, source: str, target: str, kind: str, ignore_edge: str | None
    ) -> str | None:
        return next(
            (
                e.id
                for e in self.doc.map.edges
                if e.source == source and e.target == target and e.kind == kind
                if e.id != ignore_edge
            ),
            None,
        )


# --- the rules -----------------------------------------------------------------------------------


def check_connect(
    where: JourneyMap | EditedMap | Connections,
    source_id: str,
    target_id: str,
    kind: EdgeKind = "flow",
    ignore_edge: str | None = None,
) -> None:
    """Raise a :class:`~models.connect_errors.ConnectError` if a ``kind`` edge from
    ``source_id`` to ``target_id`` may not be added to ``where``; return None if it may.

    ``where`` is a map, the editor's :class:`~models.editing.MapDocument` or a
    :class:`Connections` index. ``ignore_edge`` is the id of an edge being changed, so
    it does not count as its own duplicate.
    """
    lookup: _Lookup
    if isinstance(where, Connections):
        lookup = where
    elif isinstance(where, JourneyMap):
        lookup = Connections.of(where)
    else:
        lookup = _DocumentLookup(where)
    _check(lookup, source_id, target_id, kind, ignore_edge)


def can_connect(
    where: JourneyMap | EditedMap | Connections,
    source_id: str,
    target_id: str,
    kind: EdgeKind = "flow",
    ignore_edge: str | None = None,
) -> bool:
    """Whether :func:`check_connect` accepts the connection."""
    try:
        check_connect(where, source_id, target_id, kind, ignore_edge)
    except ConnectError:
        return False
    return True


def connection_kind(source: Node, target: Node) -> EdgeKind:
    """The kind of a connection drawn from ``source`` to ``target``: ``addresses`` when a
    company action connects to a buyer step (of any process); ``message`` between two steps
    of different processes that a message may join (:data:`MESSAGE_SENDERS` to
    :data:`MESSAGE_RECEIVERS`); else ``flow``."""
    if source.kind == "action" and target.kind == "buyer_step":
        return "addresses"
    if source.process != target.process and _message_ends(source, target):
        return "message"
    return "flow"


def _message_ends(source: Node, target: Node) -> bool:
    return source.kind in MESSAGE_SENDERS and target.kind in MESSAGE_RECEIVERS


def check_ends(source: Node, target: Node, kind: EdgeKind) -> None:
    """The rules that depend only on the two nodes and the kind (no look-up of other edges).

    The editor also asks this when a node with edges changes kind or process.
    """
    rule = _broken_rule(source, target, kind)
    if rule is None:
        return
    ends = (source.id, target.id, kind)
    if rule == "self-loop":
        raise SelfLoopError(
            f'{_a(kind)} edge cannot join node "{source.id}" to itself',
            "Connect it to another node, or remove it",
            *ends,
            end="target",
        )
    if rule == "leaves-outcome":
        raise OutcomeExitError(
            f'{_a(kind)} edge cannot leave "{source.id}", a {source.kind} outcome',
            f'Leads that reach an outcome stay there: remove the edge, or make "{source.id}" '
            "a step of another kind",
            *ends,
            end="source",
        )
    if rule == "message-within":
        raise MessageWithinProcessError(
            f'a message edge cannot join "{source.id}" to "{target.id}" in the same process '
            f'"{source.process}"',
            "A message goes from one process to another: connect them with a flow edge, "
            "or send the message to a step of another process",
            *ends,
            end="target",
        )
    if rule == "message-end":
        sends = source.kind in MESSAGE_SENDERS
        node = target if sends else source
        raise MessageEndError(
            f'a message edge cannot {"reach" if sends else "leave"} "{node.id}", '
            f"{_a(node.kind.replace('_', ' '))}",
            "A message leaves or reaches an action, a buyer step or a sub-process (an entry "
            "only receives one, an outcome only sends one): connect another step",
            *ends,
            end="target" if sends else "source",
        )
    raise CrossProcessError(
        f'{_a(kind)} edge cannot join "{source.id}" in process "{source.process}" '
        f'to "{target.id}" in process "{target.process}"',
        "Only addresses and message edges may cross processes: connect two steps of one "
        "process, or make it an addresses or a message edge",
        *ends,
        end="target",
    )


def _broken_rule(source: Node, target: Node, kind: str) -> ConnectRule | None:
    """The rule a ``kind`` edge from ``source`` to ``target`` breaks, of those about its ends."""
    if source.id == target.id:
        return "self-loop"
    if kind in CARRIES_LEADS:
        if source.kind in OUTCOME_KINDS:
            return "leaves-outcome"
        if source.process != target.process:
            return "crosses-processes"
    elif kind == "message":
        if source.process == target.process:
            return "message-within"
        if not _message_ends(source, target):
            return "message-end"
    return None


def _check(
    lookup: _Lookup, source_id: str, target_id: str, kind: EdgeKind, ignore_edge: str | None
) -> None:
    ends = (source_id, target_id, kind)
    source = lookup.find_node(source_id)
    if source is None:
        raise _missing(source_id, ends, "source")
    target = lookup.find_node(target_id)
    if target is None:
        raise _missing(target_id, ends, "target")
    check_ends(source, target, kind)
    existing = lookup.existing_edge(source_id, target_id, kind, ignore_edge)
    if existing is not None:
        error = DuplicateEdgeError(
            f'{_a(kind)} edge from "{source_id}" to "{target_id}" already exists ("{existing}")',
            "Keep one of the two",
            *ends,
        )
        error.existing = existing
        raise error


def _missing(
    node_id: str, ends: tuple[str, str, str], end: Literal["source", "target"]
) -> MissingNodeError:
    return MissingNodeError(
        f"there is no node with id {node_id!r}", "Connect two nodes of the map", *ends, end=end
    )


def _a(kind: str) -> str:
    """``"a flow"``, ``"an addresses"``."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"
