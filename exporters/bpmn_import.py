"""Read BPMN 2.0 XML (a supported subset) into a map, with a report of what was skipped.

Supported: processes (one map process each), start events (entries), tasks of
every kind (actions),
exclusive/inclusive/parallel/event-based gateways (decisions), call activities
and sub-processes (subprocess nodes; an embedded sub-process's content is
skipped), end events (won; "lost", "lose", "disqualif", "reject" in the name ->
lost), intermediate events (actions), sequence flows (edges; a conversion from
``jm:conversion`` or a percentage in the name such as ``"Yes (30%)"``),
associations between flow nodes ("addresses" edges, also between two pools),
message flows between pools that fit the map (from a company action to a buyer
step: an "addresses" edge across processes; Journeymap's own come back as they
were written), lanes (a team per lane, or the buyer role a Journeymap lane
names: nodes in a lane get it as owner) and DI positions (layout). Files written
by :mod:`exporters.bpmn` come back without loss. Everything else (data objects,
other message flows, boundary events, text annotations...) is listed in
``ImportResult.skipped``, and so is every flow or association the connection
rules refuse (:mod:`models.connect`: a self-loop, a second edge of one kind
between the same two nodes, a sequence flow between processes or out of an end
event).

XML is parsed with defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from models.connect import ConnectError, Connections, connection_kind
from models.document import BuyerRole, Edge, JourneyMap, Layout, Node, Process, Team
from models.errors import JourneymapError
from models.storage import IMPORT_LIMIT, read_input

from ._labels import parse_percent
from ._xmlread import parse_untrusted, refused_value
from .bpmn import BPMN, BPMNDI, DC, JM
from .import_result import ImportResult

TASKS = {
    "task",
    "userTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "scriptTask",
    "businessRuleTask",
    "manualTask",
}
KIND_OF = {
    "startEvent": "entry",
    "endEvent": "won",
    "exclusiveGateway": "decision",
    "inclusiveGateway": "decision",
    "parallelGateway": "decision",
    "eventBasedGateway": "decision",
    "complexGateway": "decision",
    "callActivity": "subprocess",
    "subProcess": "subprocess",
    "transaction": "subprocess",
    "intermediateCatchEvent": "action",
    "intermediateThrowEvent": "action",
    **{t: "action" for t in TASKS},
}
LOST_WORDS = re.compile(r"lost|lose|disqualif|reject|churn", re.IGNORECASE)
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def _tag(element) -> tuple[str, str]:
    tag = element.tag
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _map_id(raw: str, prefix: str, taken: set[str]) -> str:
    """A valid, unused map id from a BPMN id (prefix like ``Node_`` removed)."""
    rest = raw[len(prefix) + 1 :] if prefix and raw.startswith(prefix + "_") else ""
    if rest[:1].isalpha() or rest[:1] == "_":
        raw = rest
    base = _ID_BAD.sub("_", raw)[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


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
    try:
        return _read(root)
    except ValidationError as error:
        raise refused_value(path, error) from None


def _read(root) -> ImportResult:
    skipped: list[str] = []
    doc = JourneyMap(name="Imported BPMN")
    if root.get(f"{{{JM}}}map"):
        doc = JourneyMap.model_validate_json(root.get(f"{{{JM}}}map"))
    if root.get(f"{{{JM}}}group"):  # positions on the buying-group page
        doc.layout.group = Layout.model_validate_json(root.get(f"{{{JM}}}group")).group
    names = {p.get("processRef"): p.get("name") for p in root.iter(f"{{{BPMN}}}participant")}
    bounds = _bounds(root)
    node_ids: set[str] = {n.id for n in doc.nodes}
    edge_ids: set[str] = set()
    process_ids: set[str] = set()
    node_of: dict[str, str] = {}  # BPMN id -> map node id
    process_of: dict[str, str] = {}
    pending_edges = []
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
            process = Process.model_validate_json(jm_process)
            process_ids.add(process.id)
        else:
            pid = _map_id(child.get("id", "process"), "Process", process_ids)
            process = Process(id=pid, name=names.get(child.get("id")) or child.get("name") or pid)
        doc.processes.append(process)
        process_of[child.get("id", "")] = process.id
        lanes = _lanes(child)
        for element in child:
            ns, local = _tag(element)
            if local in ("laneSet", "documentation", "extensionElements", "ioSpecification"):
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
            node = _node(element, local, process.id, node_ids, doc, lanes, skipped)
            doc.nodes.append(node)
            node_of[element.get("id", "")] = node.id
            if element.get("id") in bounds:
                x, y, w, h = bounds[element.get("id")]
                doc.layout.nodes[node.id] = (x + w / 2, y + h / 2)
    connections = Connections(doc.nodes)
    pools = {p.get("id") for p in root.iter(f"{{{BPMN}}}participant")}
    for local, element in pending_edges:
        source, target = (
            node_of.get(element.get("sourceRef")),
            node_of.get(element.get("targetRef")),
        )
        if source is None or target is None:
            ends = {element.get("sourceRef"), element.get("targetRef")}
            why = (
                "it joins a whole pool, and a map edge joins two steps"
                if local == "messageFlow" and ends & pools
                else "its source or target was not imported"
            )
            skipped.append(f"<{local}> {element.get('id', '')}: {why}")
            continue
        if local == "messageFlow" and not element.get(f"{{{JM}}}edge"):
            ends_of = connections.nodes[source], connections.nodes[target]
            if connection_kind(*ends_of) != "addresses":
                skipped.append(
                    f"<messageFlow> {element.get('id', '')} was not imported: only a message "
                    "flow from a company action (a task) to a buyer step becomes a map edge (an "
                    f"addresses edge), and this one joins {_described(ends_of[0])} to "
                    f"{_described(ends_of[1])}"
                )
                continue
        edge = _edge(element, local, source, target, edge_ids)
        try:
            connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"<{local}> {element.get('id', '')} was not imported: {error.message}")
            continue
        connections.add(edge)
        doc.edges.append(edge)
    known = connections.nodes
    doc.layout.group = {k: v for k, v in doc.layout.group.items() if k in known}
    for node in doc.nodes:
        if node.kind == "subprocess" and node.subprocess in process_of:
            node.subprocess = process_of[node.subprocess]
    return ImportResult(doc=doc, skipped=skipped)


def _described(node: Node) -> str:
    """``'the decision "Good fit?"'``: a node as a sentence names it."""
    return f'the {node.kind.replace("_", " ")} "{node.label or node.id}"'


def _bounds(root) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        box = shape.find(f"{{{DC}}}Bounds")
        if box is None:
            continue
        try:
            x, y, width, height = (float(box.get(k, "0")) for k in ("x", "y", "width", "height"))
        except ValueError:
            continue
        out[shape.get("bpmnElement", "")] = (x, y, width, height)
    return out


def _lanes(process) -> dict[str, tuple[str | None, str | None, str]]:
    """BPMN flow node id -> (jm kind, jm ref, lane name) of the innermost lane holding it."""
    out = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        info = (lane.get(f"{{{JM}}}kind"), lane.get(f"{{{JM}}}ref"), lane.get("name") or "")
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            out[(ref.text or "").strip()] = info
    return out


def _node(element, local, process_id, taken, doc, lanes, skipped) -> Node:
    name = element.get("name") or ""
    jm_node = element.get(f"{{{JM}}}node")
    if jm_node:
        node = Node.model_validate_json(jm_node)
        taken.add(node.id)
        if not (node.label == "" and name == node.id):
            node.label = name
        node.process = process_id
        return node
    node_id = _map_id(element.get("id", "node"), "Node", taken)
    kind = KIND_OF[local]
    if local == "endEvent" and LOST_WORDS.search(name):
        kind = "lost"
    doc_el = element.find(f"{{{BPMN}}}documentation")
    node = Node(
        id=node_id,
        process=process_id,
        kind=kind,
        label=name,
        description=(doc_el.text or "") if doc_el is not None else "",
    )
    if local == "subProcess" and len(
        [c for c in element if _tag(c)[1] not in ("incoming", "outgoing", "documentation")]
    ):
        skipped.append(f"the content of embedded sub-process {name or element.get('id')!r}")
    if local == "callActivity" and element.get("calledElement"):
        node.subprocess = element.get("calledElement")  # resolved to a map id at the end
    lane = lanes.get(element.get("id", ""))
    if lane and lane[2]:
        _assign(doc, node, lane)
    return node


def _assign(doc: JourneyMap, node: Node, lane) -> None:
    """Put a node in its lane's role (buyer steps) or team (everything else)."""
    kind, ref, name = lane
    if kind == "role" and ref:
        role_id = ref
        if not any(r.id == role_id for r in doc.roles):
            doc.roles.append(BuyerRole(id=role_id, name=name))
        node.role = role_id
    else:
        team_id = (
            ref
            or next((t.id for t in doc.teams if t.name == name), None)
            or _map_id(name, "", {t.id for t in doc.teams})
        )
        if not any(t.id == team_id for t in doc.teams):
            doc.teams.append(Team(id=team_id, name=name))
        node.owner = team_id


def _edge(element, local, source: str, target: str, taken: set[str]) -> Edge:
    jm_edge = element.get(f"{{{JM}}}edge")
    if jm_edge:
        edge = Edge.model_validate_json(jm_edge)
        taken.add(edge.id)
        edge.source, edge.target = source, target
        return edge
    edge_id = _map_id(element.get("id", "edge"), "Flow", taken)
    name = element.get("name") or ""
    conversion = None
    if element.get(f"{{{JM}}}conversion"):
        conversion = parse_percent(f"{float(element.get(f'{{{JM}}}conversion')) * 100}%")
    match = re.search(r"\(?\s*(\d+(?:\.\d+)?)\s*%\s*\)?\s*$", name)
    if match:
        conversion = conversion if conversion is not None else parse_percent(match.group(1) + "%")
        name = name[: match.start()].strip()
    kind = "flow" if local == "sequenceFlow" else "addresses"
    return Edge(
        id=edge_id, source=source, target=target, kind=kind, label=name, conversion=conversion
    )
