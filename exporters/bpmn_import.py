"""Read BPMN 2.0 XML (a supported subset) into a map, with a report of what was skipped.

Supported: processes (one map process each), start events (entries), tasks of
every kind (actions),
exclusive/inclusive/parallel/event-based gateways (decisions), call activities
and sub-processes (subprocess nodes; an embedded sub-process's content is
skipped), end events (won; "lost", "lose", "disqualif", "reject" in the name ->
lost), intermediate events (actions), sequence flows (edges; a conversion from
``jm:conversion`` or a percentage in the name such as ``"Yes (30%)"``),
associations between flow nodes ("addresses" edges, also between two pools),
message flows between steps of two pools (from a company action to a buyer step an
"addresses" edge, any other a "message" edge; Journeymap's own come back as they
were written), lanes (a team per lane, or the buyer role a Journeymap lane
names: nodes in a lane get it as owner) and DI positions (layout). Files written
by :mod:`exporters.bpmn` come back without loss. Everything else (data objects,
message flows to a whole pool, text annotations...) is listed in
``ImportResult.skipped``, and so is every flow or association the connection
rules refuse (:mod:`models.connect`: a self-loop, a second edge of one kind
between the same two nodes, a sequence flow between processes or out of an end
event).

XML is parsed with defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from pydantic import ValidationError

from models.connect import Connections, connection_kind
from models.connect_errors import ConnectError
from models.document import BuyerRole, Edge, JourneyMap, Layout, Node, Process, Team
from models.errors import JourneymapError, plain_validation_message
from models.storage import IMPORT_LIMIT, read_input
from models.vocabulary import EdgeKind

from ._ids import Ids
from ._labels import LOST_WORDS, split_share
from ._xmlread import parse_untrusted, refused_value
from .bpmn_read_shapes import kept_position, lanes_of, shape_bounds
from .bpmn_types import FITS, INTERRUPTING, KIND_OF, element_of, interrupting, source_type
from .bpmn_xml import BPMN, JM
from .import_result import ImportResult

EMBEDDING = frozenset({"subProcess", "transaction", "adHocSubProcess"})
"""Sub-processes that may hold their steps inside (a call activity calls another process)."""

_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def _tag(element) -> tuple[str, str]:
    tag = element.tag
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _map_id(raw: str, prefix: str, taken: Ids) -> str:
    """A valid, unused map id from a BPMN id (prefix like ``Node_`` removed); now taken."""
    rest = raw[len(prefix) + 1 :] if prefix and raw.startswith(prefix + "_") else ""
    if rest[:1].isalpha() or rest[:1] == "_":
        raw = rest
    base = _ID_BAD.sub("_", raw)[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    return taken.fresh(base, sep="_")


class _Refused(Exception):
    """A part of the file the map cannot hold; :func:`read_bpmn` names the file before it."""


def _element(element) -> str:
    """How a message names an element: ``<bpmn:task id="Task_1">``."""
    return f'<bpmn:{_tag(element)[1]} id="{element.get("id", "")}">'


def _validated(element, make, *args, **kwargs):
    """``make(*args, **kwargs)``, with a refusal of what the map cannot hold naming ``element``."""
    try:
        return make(*args, **kwargs)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        if first["type"] == "json_invalid":  # the jm: data was changed by hand or by a tool
            raise _Refused(
                f"{_element(element)}: its Journeymap data is {first['msg'][:1].lower()}"
                f"{first['msg'][1:]}; remove the element's "
                "jm: attributes, or export the map again from Journeymap"
            ) from None
        field = ".".join(map(str, first["loc"])) or "value"
        raise _Refused(f"{_element(element)}: {field}: {plain_validation_message(first)}") from None


def read_bpmn(path: Path) -> ImportResult:
    """Read a .bpmn file into a :class:`JourneyMap`; unsupported parts go to ``skipped``."""
    path = Path(path)
    data = read_input(path, max_bytes=IMPORT_LIMIT)
    root = parse_untrusted(
        data, path, "the file", "export the diagram again from the modelling tool"
    )
    if _tag(root) != (BPMN, "definitions"):
        raise JourneymapError(
            f"{path}: this is not BPMN 2.0 XML (the root element is "
            f"<{_tag(root)[1]}>, not <bpmn:definitions>)."
        )
    if root.find(f"{{{BPMN}}}process") is None:
        raise JourneymapError(
            f"{path}: the file holds no BPMN process (no <bpmn:process> element), so there is "
            "nothing to import; export the diagram again with its process from the modelling tool."
        )
    try:
        return _read(root)
    except ValidationError as error:
        raise refused_value(path, error) from None
    except _Refused as refusal:
        raise JourneymapError(f"{path}: {refusal}.") from None


def _read(root) -> ImportResult:
    skipped: list[str] = []
    doc = JourneyMap(name="Imported BPMN")
    if root.get(f"{{{JM}}}map"):
        doc = _validated(
            root, JourneyMap.model_validate_json, root.get(f"{{{JM}}}map"), strict=True
        )
    if root.get(f"{{{JM}}}group"):  # positions on the buying-group page
        doc.layout.group = _validated(
            root, Layout.model_validate_json, root.get(f"{{{JM}}}group"), strict=True
        ).group
    names = {p.get("processRef"): p.get("name") for p in root.iter(f"{{{BPMN}}}participant")}
    bounds = shape_bounds(root, skipped)
    node_ids = Ids(n.id for n in doc.nodes)
    edge_ids = Ids()
    process_ids = Ids()
    lanes_to = _LaneOwners(doc)
    node_of: dict[str, str] = {}  # BPMN id -> map node id
    process_of: dict[str, str] = {}
    pending_edges = []
    called: dict[str, tuple[str, str]] = {}  # node id -> (its element, the process it calls)
    for child in root:
        ns, local = _tag(child)
        if (ns, local) == (BPMN, "collaboration"):
            for part in child:
                part_tag = _tag(part)[1]
                if part_tag in ("messageFlow", "association"):  # links between pools
                    pending_edges.append((part_tag, part))
                elif part_tag != "participant":
                    skipped.append(f"<{part_tag}> {part.get('id', '')} in the collaboration")
            continue
        if (ns, local) != (BPMN, "process"):
            if ns == BPMN and local not in (
                "message",
                "signal",
                "error",
                "escalation",
                "itemDefinition",
                "documentation",
            ):
                skipped.append(f"<{local}> {child.get('id', '')}")
            continue
        jm_process = child.get(f"{{{JM}}}process")
        if jm_process:
            process = _validated(child, Process.model_validate_json, jm_process, strict=True)
            if process.id in process_ids:
                process.id = _map_id(process.id, "", process_ids)
            process_ids.take(process.id)
        else:
            pid = _map_id(child.get("id", "process"), "Process", process_ids)
            name = names.get(child.get("id")) or child.get("name") or pid
            process = _validated(child, Process, id=pid, name=name)
        doc.processes.append(process)
        process_of[child.get("id", "")] = process.id
        todo = [(child, process, lanes_of(child, bounds))]
        while todo:  # the process, then each embedded sub-process as a process of its own
            container, process, lanes = todo.pop()
            for element in container:
                ns, local = _tag(element)
                if local in SKIPPED_CHILDREN:
                    continue
                if local in ("sequenceFlow", "association"):
                    pending_edges.append((local, element))
                    continue
                if local not in KIND_OF:
                    skipped.append(
                        f"<{local}> {element.get('id', '')} {element.get('name', '')!r} "
                        f"in process {process.name!r}".replace(" ''", "")
                    )
                    continue
                node = _node(element, local, process.id, node_ids, lanes_to, lanes, skipped)
                if local == "callActivity" and element.get("calledElement") and not node.subprocess:
                    called[node.id] = (_element(element), element.get("calledElement", ""))
                if _embeds(element) and not element.get(f"{{{JM}}}node"):
                    inner = _embedded(element, node, process_ids)
                    doc.processes.append(inner)
                    node.subprocess = inner.id
                    todo.append((element, inner, {}))
                doc.nodes.append(node)
                node_of[element.get("id", "")] = node.id
                if local == "boundaryEvent":  # an exit of the step it sits on: an edge
                    pending_edges.append((local, element))
                if element.get("id") in bounds:
                    x, y, w, h = bounds[element.get("id")]
                    centre = kept_position(element, (x + w / 2, y + h / 2))
                    if centre is not None:
                        doc.layout.nodes[node.id] = centre
    connections = Connections(doc.nodes)
    pools = {p.get("id") for p in root.iter(f"{{{BPMN}}}participant")}
    defaults = {  # the flows elements name as their default
        e.get("default") for e in root.iter() if isinstance(e.tag, str) and e.get("default")
    }
    for local, element in pending_edges:
        refs = ("attachedToRef", "id") if local == "boundaryEvent" else ("sourceRef", "targetRef")
        named = [element.get(ref) or "" for ref in refs]  # an id, or a QName (IBM: "file:id")
        source, target = (node_of.get(n, node_of.get(n.rpartition(":")[2])) for n in named)
        if source is None or target is None:
            ends = {element.get("sourceRef"), element.get("targetRef")}
            why = (
                "it joins a whole pool, and a map edge joins two steps"
                if local == "messageFlow" and ends & pools
                else "its source or target was not imported"
            )
            skipped.append(f"<{local}> {element.get('id', '')}: {why}")
            continue
        kind = "flow" if local in ("sequenceFlow", "boundaryEvent") else "addresses"
        if local == "messageFlow":  # serving a buyer step, or a message to another process
            kind = connection_kind(connections.nodes[source], connections.nodes[target])
            kind = "addresses" if kind == "addresses" else "message"
        edge = _validated(element, _edge, element, local, kind, (source, target), edge_ids)
        try:
            connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"<{local}> {element.get('id', '')} was not imported: {error.message}")
            continue
        connections.add(edge)
        doc.edges.append(edge)
        if local == "sequenceFlow" and element.get("id") in defaults:
            edge.bpmn_default = True
    known = connections.nodes
    doc.layout.group = {k: v for k, v in doc.layout.group.items() if k in known}
    _resolve_called(doc, called, process_of, skipped)
    return ImportResult(doc=doc, skipped=skipped)


def _resolve_called(doc, called, process_of, skipped) -> None:
    """A call activity opens the process its ``calledElement`` names, by id or QName
    (``tns:Process_1``); one naming something outside the file (a UUID of another model, say)
    opens none, and is listed."""
    for node in doc.nodes:
        if node.id not in called:
            continue
        where, reference = called[node.id]
        found = process_of.get(reference, process_of.get(reference.rpartition(":")[2]))
        if found is not None:
            node.subprocess = found
        else:
            skipped.append(
                f"{where} calls {reference[:80]!r}, which is no process of this file: the step "
                "opens no process (add it in Journeymap)"
            )


SKIPPED_CHILDREN = frozenset(
    {
        "laneSet",
        "documentation",
        "extensionElements",
        "ioSpecification",
        "incoming",
        "outgoing",
        "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics",
    }
)
"""Children of a process or sub-process that are neither steps nor links, and not content."""


def _embeds(element) -> bool:
    """Whether an element is an embedded sub-process with steps inside."""
    return _tag(element)[1] in EMBEDDING and any(_tag(child)[1] in KIND_OF for child in element)


def _embedded(element, node: Node, process_ids: Ids) -> Process:
    """The process an embedded sub-process's content becomes (a sub-process of the map, which
    its step opens)."""
    pid = _map_id(element.get("id", "subprocess"), "Process", process_ids)
    name = element.get("name") or ("Event sub-process" if _triggered(element) else "Sub-process")
    return _validated(element, Process, id=pid, name=" ".join(name.split()), kind="subprocess")


def _triggered(element) -> bool:
    return element.get("triggeredByEvent") == "true"


def _node(element, local, process_id, taken: Ids, lanes_to, lanes, skipped) -> Node:
    name = element.get("name") or ""
    jm_node = element.get(f"{{{JM}}}node")
    if jm_node:
        node = _validated(element, Node.model_validate_json, jm_node, strict=True)
        if node.id in taken:  # the same element twice: the second gets an id of its own
            node.id = _map_id(node.id, "", taken)
        taken.take(node.id)
        if not (node.label == "" and name == node.id):
            _validated(element, setattr, node, "label", name)
        node.process = process_id
        found = source_type(element)
        if found.partition(":")[0] != element_of(node)[0] and node.kind in FITS.get(local, ()):
            node.bpmn_type = found  # changed in the modeller (a userTask made a serviceTask)
        if local in INTERRUPTING:  # made (non-)interrupting in the modeller, or kept so
            node.bpmn_interrupting = interrupting(element)
        return node
    node_id = _map_id(element.get("id", "node"), "Node", taken)
    kind = KIND_OF[local]
    if local == "endEvent" and LOST_WORDS.search(name):
        kind = "lost"
    doc_el = element.find(f"{{{BPMN}}}documentation")
    node = _validated(
        element,
        Node,
        id=node_id,
        process=process_id,
        kind=kind,
        label=name,
        description=(doc_el.text or "") if doc_el is not None else "",
        bpmn_type=source_type(element),
        bpmn_interrupting=interrupting(element),
    )
    lane = lanes.get(element.get("id", ""))
    if lane and lane[2]:
        _validated(element, lanes_to.assign, node, lane)
    return node


class _LaneOwners:
    """The roles and teams lanes name, found by id and by name in constant time."""

    def __init__(self, doc: JourneyMap) -> None:
        self.doc = doc
        self.roles = {r.id for r in doc.roles}
        self.teams = {t.id for t in doc.teams}
        self.team_named: dict[str, str] = {}
        for team in doc.teams:
            self.team_named.setdefault(team.name, team.id)
        self.team_ids = Ids(self.teams)

    def assign(self, node: Node, lane) -> None:
        """Put a node in its lane's role (buyer steps) or team (everything else)."""
        kind, ref, name = lane
        if kind == "role" and ref:
            if ref not in self.roles:
                self.doc.roles.append(BuyerRole(id=ref, name=name))
                self.roles.add(ref)
            node.role = ref
            return
        team_id = ref or self.team_named.get(name) or _map_id(name, "", self.team_ids)
        if team_id not in self.teams:
            self.doc.teams.append(Team(id=team_id, name=name))
            self.teams.add(team_id)
            self.team_ids.take(team_id)
            self.team_named.setdefault(name, team_id)
        node.owner = team_id


def _edge(element, local, kind: EdgeKind, ends: tuple[str, str], taken: Ids) -> Edge:
    source, target = ends
    jm_edge = element.get(f"{{{JM}}}attached" if local == "boundaryEvent" else f"{{{JM}}}edge")
    if jm_edge:
        edge = Edge.model_validate_json(jm_edge, strict=True)
        if edge.id in taken:
            edge.id = _map_id(edge.id, "", taken)
        taken.take(edge.id)
        edge.source, edge.target = source, target
        return edge
    edge_id = _map_id(element.get("id", "edge"), "Flow", taken)
    name = element.get("name") or "" if local != "boundaryEvent" else ""
    conversion = None
    raw = element.get(f"{{{JM}}}conversion")
    if raw:
        try:
            share = float(raw)
        except ValueError:
            share = math.nan
        if not 0.0 <= share <= 1.0:  # also refuses nan
            raise _Refused(
                f'{_element(element)}: jm:conversion is "{raw[:40]}", not a share between 0 '
                "and 1; fix it or remove the attribute"
            )
        conversion = round(share, 12)
    shown, named = split_share(name)
    if named is not None or shown != name:
        conversion = conversion if conversion is not None else named
        name = shown
    return Edge(
        id=edge_id, source=source, target=target, kind=kind, label=name, conversion=conversion
    )
