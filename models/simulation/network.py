"""A process compiled to arrays: what every simulation kernel works on.

:func:`compile_network` reads the map's lists once, laying the process out as
:func:`models.graph.process_graph` does (sub-processes expanded, the same ids and order,
without building the networkx graph) and keeps only numbers: one row per graph node and
one row per model edge that carries leads. Kernels then build sparse
matrices and vectors from these arrays without touching pydantic objects,
and levers (sensitivity) patch the arrays instead of rebuilding the graph.

Node ids are the graph ids (an expanded inner node is
``"<subprocess node>/<inner id>"``); edge ids are the model ids, prefixed the
same way inside an expansion. Parallel model edges stay separate rows (the
matrix adds them up), and a model edge out of an expanded sub-process leaves
from each of its won outcomes, so one id can own several rows.

Outcome nodes (won, lost) absorb. A map holds no flow leaving one (loading, the
editor and the imports refuse it: :mod:`models.connect`); a map built in code that
has one is refused before it compiles (:func:`models.simulation.prepare.check_runnable`).

A committee gate (:mod:`models.simulation.gates`) adds one node of kind ``"gate"``
in front of the gated step (``"<step>#gate"``, after the model's nodes): every edge
into the step enters the gate instead, and one edge row of kind ``"gate"`` leads on
to the step with the gate's pass rate as its conversion. A map without gates
compiles exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter
from typing import Final

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from models.document import CARRIES_LEADS, OUTCOME_KINDS, PERIOD_DAYS, JourneyMap
from models.graph import PASS

WORKING_HOURS_PER_DAY = 8.0
CALENDAR_DAYS_PER_WORKING_DAY = 7.0 / 5.0


@dataclass(frozen=True)
class Resource:
    """Something with a capacity per period: a team (its nodes) or one node with its own capacity."""

    kind: str  # "team" or "node"
    id: str
    name: str
    capacity: float  # leads per period (headcount x capacity for a team)
    members: np.ndarray  # node indices
    per_person: float | None = None  # a team's capacity per head
    headcount: int | None = None


GATE: Final = "gate"
"""The kind of a committee gate's node and of its edge row to the gated step."""


@dataclass(frozen=True)
class Gate:
    """A committee gate in a compiled network: the virtual node in front of the gated step."""

    node: str  # graph id of the gated step
    label: str
    host: int  # index of the gated step
    index: int  # index of the gate's node
    edge: int  # the edge row gate -> step (its conversion is the pass rate)
    chains: tuple[int, ...]  # per clearance: its role chain in ``Network.chains``
    probabilities: tuple[float, ...]  # per clearance: the role's chance to clear
    days: tuple[float | None, ...]  # per clearance: expected days to clear, when it clears


@dataclass(frozen=True)
class Network:
    """One process as arrays (see the module docstring)."""

    process: str
    process_name: str
    period: str
    period_days: float
    currency: str
    ids: list[str]
    labels: list[str]
    kind: list[str]
    origin: list[str]  # the model node id behind each graph node
    stage: list[str | None]
    owner: list[str | None]
    volume: np.ndarray  # leads per period at entries, 0 elsewhere
    cost: np.ndarray  # cost per lead handled (entries: per lead acquired)
    duration: np.ndarray  # days spent at the node before leaving
    deal_value: np.ndarray  # at won outcomes, 0 elsewhere
    won: np.ndarray  # bool
    lost: np.ndarray  # bool
    entry: np.ndarray  # bool
    src: np.ndarray  # edge rows: source index
    dst: np.ndarray  # edge rows: target index
    conv: np.ndarray  # edge rows: conversion (missing counts as 0; runs refuse it earlier)
    delay: np.ndarray  # edge rows: delay in days
    edge_ids: list[str]  # edge rows: prefixed model edge id
    edge_base: list[str]  # edge rows: model edge id (what a scenario or lever changes)
    edge_kind: list[str]
    teams: list[Resource] = field(default_factory=list)
    node_limits: list[Resource] = field(default_factory=list)
    sla_window: np.ndarray | None = None  # per node: response window in days (inf: none)
    sla_factor: np.ndarray | None = None  # per node: conversion multiplier when touched late
    sla_id: list[str | None] = field(default_factory=list)
    stages: list[tuple[str, str]] = field(
        default_factory=list
    )  # (id, name) used here, in map order
    gates: tuple[Gate, ...] = ()  # committee gates (see the module docstring)
    chains: tuple[RoleChain, ...] = ()  # the role processes the gates read
    policy: str = "shared"  # the map's capacity policy (models.simulation.mc_serve)
    unique_edges: bool = True  # no edge id owns two rows (then flows by id need no summing)
    acyclic: bool = False  # no loop at all (then no lead can be trapped, whatever the rates)
    cadence: Cadence | None = None  # follow-up cadences owed at hand-off steps (with_slas)
    clean: bool = False
    """True when compiling saw nothing a run refuses (see :func:`compile_network`): then the
    analysis's blocking checks would find nothing either, and a run can skip them."""

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def index(self) -> dict[str, int]:
        return {node_id: i for i, node_id in enumerate(self.ids)}

    @property
    def outcome(self) -> np.ndarray:
        return self.won | self.lost

    @property
    def resources(self) -> list[Resource]:
        return self.teams + self.node_limits

    @property
    def steps(self) -> int:
        """How many nodes come from the map (the gates' nodes follow them)."""
        return self.size - len(self.gates)

    def step_of(self, i: int) -> int:
        """The map's step node ``i`` stands for: a gate's node stands for its gated step."""
        return i if i < self.steps else self.gates[i - self.steps].host


@dataclass(frozen=True)
class RoleChain:
    """A buyer role's purchase process, compiled, as one clearance of a committee gate reads it.

    The role's journey starts at the process's entries (``start``: weights summing to 1, by
    volume when every entry has one, else equal) and clears on arriving at ``target``.
    """

    role: str
    role_name: str
    process: str
    process_name: str
    step: str  # model id of the cleared step
    step_label: str
    net: Network
    target: int  # index of the cleared step in ``net`` (-1: not in it)
    start: np.ndarray


def edge_prefix(graph_source: str, model_source: str) -> str:
    """The expansion prefix of a model edge, from the graph id of the node it leaves.

    ``"sp/trial-won"`` leaving through model edge ``sp -> next`` has prefix
    ``""``; ``"sp/setup"`` through ``setup -> run`` has prefix ``"sp/"``.

    >>> edge_prefix("sp/inner/x", "inner"), edge_prefix("sp/won", "sp"), edge_prefix("a", "a")
    ('sp/', '', '')
    """
    parts = graph_source.split("/")
    for k, part in enumerate(parts):
        if part == model_source:
            return "/".join(parts[:k]) + "/" if k else ""
    return ""


def response_window_days(hours: float) -> float:
    """Working hours to calendar days: 8 working hours a day, 5 working days in 7.

    >>> response_window_days(8)
    1.4
    """
    return hours / WORKING_HOURS_PER_DAY * CALENDAR_DAYS_PER_WORKING_DAY


def _walk(doc: JourneyMap, process_id: str):
    """The process as :func:`models.graph.process_graph` lays it out, without building a graph.

    Returns (graph ids, model nodes, effective kinds, origins, edges, doubts) where edges lists
    ``(source index, target index, model edge)`` in the order ``graph.edges(data=True)`` gives
    them (by source in node order, then by target in the order each pair first appears, then
    the pair's model edges in order), so the compiled arrays are the same as when they were read
    from the networkx graph, at a fraction of the cost. Sub-process expansion follows
    :mod:`models.graph`: a subprocess node opening an existing, non-empty process not already
    open on the way is replaced by that process (ids ``"<node>/<inner>"``); edges into it lead to
    its first entry, its won outcomes carry on along the node's outgoing edges, and inner entries
    and won outcomes become ``"pass"`` nodes. ``doubts`` lists what the blocking analysis must
    look at (empty: nothing a run refuses, see :func:`compile_network`).
    """
    processes_of = list(map(_PROCESS, doc.nodes))
    if "subprocess" not in map(_KIND, doc.nodes):  # nothing to expand: one pass over arrays
        if all(p == process_id for p in processes_of):
            return _walk_flat(doc, doc.nodes)
        mine = [n for n, p in zip(doc.nodes, processes_of, strict=True) if p == process_id]
        return _walk_flat(doc, mine)
    nodes_by_process: dict[str, list] = {}
    for node, process in zip(doc.nodes, processes_of, strict=True):
        nodes_by_process.setdefault(process, []).append(node)
    members = nodes_by_process.get(process_id, [])
    if "subprocess" not in map(_KIND, members):
        return _walk_flat(doc, members)
    out_edges: dict[str, list] = {}
    for edge in doc.edges:
        if edge.kind in CARRIES_LEADS:
            out_edges.setdefault(edge.source, []).append(edge)
    processes = {p.id for p in doc.processes}
    ids: list[str] = []
    models: list = []
    kinds: list[str] = []
    index: dict[str, int] = {}
    model_at: dict[str, int] = {}  # model id -> its first graph index
    rows: list[list] = []  # per graph node: [(target index, model edge), ...] in order
    doubts: list[str] = []
    pairs: list[tuple[str, str]] = []  # lead edges between two steps of a process, model ids
    checked: set[str] = set()

    def add(process: str, prefix: str, stack: tuple[str, ...]) -> tuple[list[int], list[int]]:
        members = nodes_by_process.get(process, [])
        expanded: dict[str, tuple[list[int], list[int]]] = {}
        entries, wins = [], []
        for node in members:
            kind = node.kind
            if kind == "subprocess":
                target = node.subprocess
                if target in processes and target not in stack and nodes_by_process.get(target):
                    inner = add(target, prefix + node.id + "/", (*stack, target))
                    if inner[0]:
                        expanded[node.id] = inner
                        continue
            i = len(ids)
            gid = prefix + node.id
            index[gid] = i
            ids.append(gid)
            models.append(node)
            kinds.append(kind)
            rows.append([])
            model_at.setdefault(node.id, i)
            if kind == "entry":
                entries.append(i)
            elif kind == "won":
                wins.append(i)
        for node in members:
            leaving = out_edges.get(node.id)
            if not leaving:
                continue
            if node.id not in checked:
                checked.add(node.id)
                total = 0.0
                for edge in leaving:
                    if edge.conversion is None:
                        doubts.append(f"missing conversion on '{edge.id}'")
                    else:
                        total += edge.conversion
                    pairs.append((node.id, edge.target))
                if total > 1.0 + 1e-9:
                    doubts.append(f"rates out of '{node.id}' over 100%")
                if node.kind in OUTCOME_KINDS:
                    doubts.append(f"lead edges leave the outcome '{node.id}'")
            sources = expanded[node.id][1] if node.id in expanded else (index[prefix + node.id],)
            for edge in leaving:
                if edge.target in expanded:
                    target_index = expanded[edge.target][0][0]
                else:
                    found = index.get(prefix + edge.target)
                    if found is None:
                        doubts.append(f"edge '{edge.id}' leaves its process")
                        continue  # an edge leaving this process: the analysis reports it
                    target_index = found
                for source in sources:
                    if kinds[source] not in ("won", "lost"):  # refused before any run
                        rows[source].append((target_index, edge))
        if prefix:  # inside an expansion, entries and wins only route leads through
            for i in entries + wins:
                kinds[i] = PASS
        return entries, wins

    add(process_id, "", (process_id,))
    if not doubts and pairs:
        doubts += _traps(pairs, model_at, models)
    src: list[int] = []
    dst: list[int] = []
    edges: list = []
    for u, listed in enumerate(rows):
        if len(listed) == 1:
            src.append(u)
            dst.append(listed[0][0])
            edges.append(listed[0][1])
        elif listed:
            grouped: dict[int, list] = {}
            for v, edge in listed:
                grouped.setdefault(v, []).append(edge)
            for v, same in grouped.items():
                src += [u] * len(same)
                dst += [v] * len(same)
                edges += same
    origins = [node.id for node in models]
    return (
        ids,
        models,
        kinds,
        origins,
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        edges,
        doubts,
    )


def _walk_flat(doc: JourneyMap, members: list):
    """:func:`_walk` for a process that opens no sub-process: the same result, with the edges
    read once into arrays and put in the graph's order by one stable sort."""
    ids = list(map(_ID, members))
    kinds = list(map(_KIND, members))
    index = dict(zip(ids, range(len(ids)), strict=True))
    n = len(ids)
    edges = doc.edges
    at = index.get
    src = np.fromiter(map(at, map(_SOURCE, edges), repeat(-1)), dtype=np.int64, count=len(edges))
    carries = np.fromiter(
        map(CARRIES_LEADS.__contains__, map(_KIND, edges)), dtype=bool, count=len(edges)
    )
    mine = np.flatnonzero((src >= 0) & carries)
    lead = edges if mine.size == len(edges) else [edges[k] for k in mine.tolist()]
    src = src[mine]
    dst = np.fromiter(map(at, map(_TARGET, lead), repeat(-1)), dtype=np.int64, count=len(lead))
    conv = np.array(list(map(_CONVERSION, lead)), dtype=float)  # None reads as nan
    outcome = np.fromiter(map(OUTCOME_KINDS.__contains__, kinds), dtype=bool, count=n)
    doubts = []
    if np.isnan(conv).any():
        doubts.append("a missing conversion")
    if (np.bincount(src, weights=np.nan_to_num(conv), minlength=n) > 1.0 + 1e-9).any():
        doubts.append("rates over 100% at a step")
    if (dst < 0).any():
        doubts.append("an edge leaving its process")
    if outcome[src].any():
        doubts.append("lead edges leaving an outcome")
    inside = dst >= 0
    if not doubts and inside.any():
        doubts += _loops(src[inside], dst[inside], outcome, n)
    keep = inside & ~outcome[src]
    if not keep.all():
        src, dst = src[keep], dst[keep]
        lead = [lead[k] for k in np.flatnonzero(keep).tolist()]
    # the graph's order: by source, then by the first appearance of each (source, target) pair
    pair = src * max(n, 1) + dst
    if (src[1:] >= src[:-1]).all() and np.unique(pair).size == pair.size:
        return ids, list(members), kinds, list(ids), src, dst, list(lead), doubts  # already so
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    order = np.lexsort((first[inverse], src))
    ordered = [lead[k] for k in order.tolist()]
    return ids, list(members), kinds, list(ids), src[order], dst[order], ordered, doubts


_ID = attrgetter("id")
_PROCESS = attrgetter("process")
_KIND = attrgetter("kind")
_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_CONVERSION = attrgetter("conversion")
_CAPACITY = attrgetter("capacity")
_NODE_FIELDS = tuple(map(attrgetter, ("label", "owner", "stage", "cost", "duration_days")))
_EDGE_FIELDS = tuple(map(attrgetter, ("id", "kind", "conversion", "delay_days")))


def _numbers(values: list, n: int, missing: float | None = 0.0) -> np.ndarray:
    """Optional numbers as a float array, ``None`` as ``missing`` (``None``: left as nan)."""
    if missing is not None and values.count(None) == n:
        return np.full(n, missing)
    array = np.array(values, dtype=float) if n else np.zeros(0)
    return array if missing is None else np.nan_to_num(array, nan=missing)


def _acyclic(n: int, src: np.ndarray, dst: np.ndarray) -> bool:
    """True when the edges form no loop (no self-loop, every strong component one node)."""
    if src.size == 0:
        return True
    if (src == dst).any():
        return False
    graph = csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    count, _ = connected_components(graph, directed=True, connection="strong")
    return bool(count == n)


def _loops(rows: np.ndarray, cols: np.ndarray, outcome: np.ndarray, size: int) -> list[str]:
    """Is there a loop no lead edge leaves and no outcome ends (a strongly connected set of steps
    with no edge out, of two or more or with a self-loop), as the analysis finds them?"""
    graph = csr_matrix((np.ones(rows.size), (rows, cols)), shape=(size, size))
    count, labels = connected_components(graph, directed=True, connection="strong")
    leaves = np.zeros(count, dtype=bool)
    leaves[labels[rows[labels[rows] != labels[cols]]]] = True
    members = np.bincount(labels, minlength=count)
    looped = np.zeros(count, dtype=bool)
    looped[labels[rows[rows == cols]]] = True
    ends = np.zeros(count, dtype=bool)
    ends[labels[outcome[:size]]] = True
    trap = ~leaves & ~ends & ((members > 1) | looped)
    return ["a loop leads cannot leave"] if trap.any() else []


def _traps(pairs: list[tuple[str, str]], model_at: dict[str, int], models: list) -> list[str]:
    """Loops no lead edge leaves and no outcome ends, by model node (as the analysis finds them:
    a strongly connected set of steps with no edge out, of two or more or with a self-loop)."""
    at = dict(model_at)  # an expanded sub-process node is a step of its own process here
    size = len(models)
    for a, b in pairs:
        for name in (a, b):
            if name not in at:
                at[name] = size
                size += 1
    rows = np.fromiter((at[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((at[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    outcome = np.zeros(size, dtype=bool)
    outcome[[i for i, node in enumerate(models) if node.kind in OUTCOME_KINDS]] = True
    return _loops(rows, cols, outcome, size)


def compile_network(doc: JourneyMap, process_id: str, *, slas: bool = True) -> Network:
    """Compile one process (sub-processes expanded) to a :class:`Network`.

    Reads the map's lists once (no networkx graph: see :func:`_walk`). Committee gates are left
    out (:func:`models.simulation.gates.compile_process` adds them); ``slas=False`` leaves out
    the SLA windows too (:func:`with_slas` adds them).
    """
    ids, nodes, kind, origin, src, dst, walked, doubts = _walk(doc, process_id)
    n = len(ids)
    won, lost, entry = (
        np.fromiter(map(name.__eq__, kind), dtype=bool, count=n)
        for name in ("won", "lost", "entry")
    )
    labels_raw, owner_raw, stage, cost_raw, duration_raw = (
        list(map(getter, nodes)) for getter in _NODE_FIELDS
    )
    volume = np.zeros(n)
    at = np.flatnonzero(entry)
    volume[at] = [nodes[i].volume or 0.0 for i in at.tolist()]
    deal_value = np.zeros(n)
    at = np.flatnonzero(won)
    deal_value[at] = [nodes[i].deal_value or 0.0 for i in at.tolist()]
    cost = _numbers(cost_raw, n)
    duration = _numbers(duration_raw, n)
    m = len(walked)
    edge_base, edge_kind, conv_raw, delay_raw = (list(map(g, walked)) for g in _EDGE_FIELDS)
    conv = _numbers(conv_raw, m)
    delay = _numbers(delay_raw, m)
    if any("/" in node_id for node_id in ids):
        edge_ids = [
            e.id if "/" not in ids[u] else edge_prefix(ids[u], e.source) + e.id
            for u, e in zip(src.tolist(), walked, strict=True)
        ]
    else:
        edge_ids = list(edge_base)
    outcome = won | lost
    owners = np.array(owner_raw, dtype=object)
    owners[outcome] = None
    owner = owners.tolist()
    teams = []
    for team in doc.teams:
        members = np.flatnonzero(owners == team.id)
        if members.size == 0:
            continue
        capacity = team.headcount * team.capacity if team.capacity is not None else np.inf
        teams.append(
            Resource(
                "team", team.id, team.name, float(capacity), members, team.capacity, team.headcount
            )
        )
    capacities = list(map(_CAPACITY, nodes))
    limited = (
        np.flatnonzero(~np.isnan(_numbers(capacities, n, None)) & ~outcome)
        if capacities.count(None) < n
        else np.zeros(0, dtype=np.int64)
    )
    node_limits = [
        Resource(
            "node",
            ids[i],
            nodes[i].label or ids[i],
            float(nodes[i].capacity),
            np.array([i], dtype=np.int64),
        )
        for i in limited.tolist()
    ]
    stage = list(stage)
    used = {s for s in stage if s}
    stages = [(s.id, s.name) for s in doc.stages if s.id in used]
    stages += [(s, s) for s in sorted(used - {s.id for s in doc.stages})]
    net = Network(
        process=process_id,
        process_name=doc.process(process_id).name,
        period=doc.period,
        period_days=PERIOD_DAYS[doc.period],
        currency=doc.currency,
        ids=ids,
        labels=[label or g for label, g in zip(labels_raw, ids, strict=True)],
        kind=kind,
        origin=origin,
        stage=stage,
        owner=owner,
        volume=volume,
        cost=cost,
        duration=duration,
        deal_value=deal_value,
        won=won,
        lost=lost,
        entry=entry,
        src=src,
        dst=dst,
        conv=conv,
        delay=delay,
        edge_ids=edge_ids,
        edge_base=edge_base,
        edge_kind=edge_kind,
        teams=teams,
        node_limits=node_limits,
        stages=stages,
        policy=getattr(doc, "capacity_policy", "shared"),
        unique_edges=len(set(edge_ids)) == len(edge_ids),
        acyclic=_acyclic(n, src, dst),
        clean=not doubts and bool((entry & (volume > 0)).any()),
    )
    return with_slas(doc, net) if slas else net


@dataclass(frozen=True)
class Cadence:
    """Follow-up cadences compiled: the SLA attempts the receiving teams' hand-off steps owe.

    Per node (arrays of the network's size): ``attempts`` (0 where no cadence applies),
    ``minutes`` per attempt, ``reach`` (the chance one attempt reaches the lead; nan when the
    SLA gives none), ``late`` (the SLA's late factor, 1 when none) and ``team`` (index into
    ``Network.teams``, -1 none). Per team: ``hours`` (working hours per period: headcount x 8
    hours x the period's working days) and ``window`` (days the attempts are spread over).
    """

    attempts: np.ndarray
    minutes: np.ndarray
    reach: np.ndarray
    late: np.ndarray
    team: np.ndarray
    hours: np.ndarray
    window: np.ndarray
    sla: list[str | None]

    @property
    def nodes(self) -> np.ndarray:
        return np.flatnonzero(self.attempts > 0)

    def minutes_per_lead(self) -> np.ndarray:
        """Per node, the minutes of follow-up one lead arriving there costs its team."""
        return self.attempts * self.minutes

    def factor(self, given: np.ndarray, nodes: np.ndarray | None = None) -> np.ndarray:
        """Per node (of ``nodes``, default all), the conversion multiplier when the team gives
        ``given`` (0..1, per node, broadcast over any leading axes) of the attempts the SLA
        asks: ``(1 - (1 - r)^(g n)) / (1 - (1 - r)^n)`` with a reach rate ``r``, else
        ``g + (1 - g) x late`` (a share ``g`` of the leads gets every attempt, the others
        convert at the SLA's late factor)."""
        at = slice(None) if nodes is None else nodes
        attempts, reach, late = self.attempts[at], self.reach[at], self.late[at]
        given = np.clip(given, 0.0, 1.0)
        n = np.maximum(attempts, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            miss = 1.0 - np.nan_to_num(reach, nan=0.0)
            full = 1.0 - miss**n
            by_reach = np.where(full > 0, (1.0 - miss ** (given * n)) / full, 1.0)
        by_late = given + (1.0 - given) * late
        out = np.where(np.isnan(reach), by_late, by_reach)
        return np.where(attempts > 0, out, 1.0)


def working_hours(period_days: float) -> float:
    """Working hours of one person in a period: 8 a working day, 5 working days in 7.

    >>> round(working_hours(30.4), 1)
    173.7
    """
    return period_days / CALENDAR_DAYS_PER_WORKING_DAY * WORKING_HOURS_PER_DAY


def with_slas(doc: JourneyMap, net: Network) -> Network:
    """Where each SLA applies: its receiving team's hand-off steps get its response window
    and, with ``attempts`` and ``attempt_minutes``, its follow-up cadence.

    A hand-off receiver is a node owned by ``to_team`` reached by a flow edge
    from a node owned by ``from_team``, directly or through unowned nodes
    (decisions, buyer steps), as in the analysis. Working hours become
    calendar days with :func:`response_window_days`. Where several SLAs reach a step, the
    shortest window applies, and the first SLA of the map with a cadence.
    """
    n = net.size
    window = np.full(n, np.inf)
    factor = np.ones(n)
    sla_id: list[str | None] = [None] * n
    timed = [s for s in doc.slas if s.response_hours is not None]
    paced = [s for s in doc.slas if s.attempts and s.attempt_minutes]
    if not timed and not paced:
        return replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
    out: dict[int, list[int]] = {}
    for s, t, k in zip(net.src.tolist(), net.dst.tolist(), net.edge_kind, strict=True):
        if k == "flow" or k == GATE:  # a gate passes its leads on to the step it holds
            out.setdefault(s, []).append(t)
    for sla in timed:
        days = response_window_days(sla.response_hours or 0.0)
        late = sla.late_conversion_factor if sla.late_conversion_factor is not None else 1.0
        for nxt in _receivers(net, out, sla.from_team, sla.to_team):
            if days < window[nxt]:
                window[nxt], factor[nxt], sla_id[nxt] = days, late, sla.id
    net = replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
    return replace(net, cadence=_cadence(doc, net, out, paced)) if paced else net


def _receivers(net: Network, out: dict[int, list[int]], from_team: str, to_team: str):
    """The hand-off receivers of an SLA from ``from_team`` to ``to_team`` (see with_slas)."""
    found: set[int] = set()
    for start in (i for i in range(net.size) if net.owner[i] == from_team):
        seen, stack = {start}, [start]
        while stack:
            for nxt in out.get(stack.pop(), ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if net.owner[nxt] == to_team:
                    found.add(nxt)
                elif net.owner[nxt] is None and not (net.won[nxt] or net.lost[nxt]):
                    stack.append(nxt)
    return sorted(found)


def _cadence(doc: JourneyMap, net: Network, out, paced) -> Cadence:
    n = net.size
    attempts = np.zeros(n)
    minutes = np.zeros(n)
    reach = np.full(n, np.nan)
    late = np.ones(n)
    team = np.full(n, -1, dtype=np.int64)
    sla: list[str | None] = [None] * n
    team_index = {t.id: k for k, t in enumerate(net.teams)}
    window = np.full(len(net.teams), net.period_days)
    windows: dict[int, list[float]] = {}
    for s in paced:
        k = team_index.get(s.to_team, -1)
        if k < 0:
            continue
        for i in _receivers(net, out, s.from_team, s.to_team):
            if attempts[i] > 0:
                continue  # the first SLA of the map with a cadence applies
            attempts[i], minutes[i], team[i], sla[i] = s.attempts, s.attempt_minutes, k, s.id
            reach[i] = s.reach_per_attempt if s.reach_per_attempt is not None else np.nan
            late[i] = s.late_conversion_factor if s.late_conversion_factor is not None else 1.0
            if s.attempt_window_days:
                windows.setdefault(k, []).append(float(s.attempt_window_days))
    for k, days in windows.items():
        window[k] = max(days)
    hours = np.array([(t.headcount or 0) * working_hours(net.period_days) for t in net.teams])
    return Cadence(attempts, minutes, reach, late, team, hours, window, sla)
