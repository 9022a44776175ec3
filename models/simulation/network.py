"""A process compiled to arrays: what every simulation kernel works on.

:func:`compile_network` walks :func:`models.graph.process_graph` once
(sub-processes expanded) and keeps only numbers: one row per graph node and
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
from typing import Final

import numpy as np

from models.document import PERIOD_DAYS, JourneyMap
from models.graph import CARRIES_LEADS, process_graph

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


def compile_network(doc: JourneyMap, process_id: str, *, slas: bool = True) -> Network:
    """Compile one process (sub-processes expanded) to a :class:`Network`.

    Committee gates are left out (:func:`models.simulation.gates.compile_process` adds them);
    ``slas=False`` leaves out the SLA windows too (:func:`with_slas` adds them).
    """
    graph = process_graph(doc, process_id)
    ids = list(graph)
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)
    nodes = [graph.nodes[g]["node"] for g in ids]
    kind = [graph.nodes[g]["kind"] for g in ids]
    won = np.array([k == "won" for k in kind], dtype=bool)
    lost = np.array([k == "lost" for k in kind], dtype=bool)
    entry = np.array([k == "entry" for k in kind], dtype=bool)
    volume = np.array(
        [(nd.volume or 0.0) if e else 0.0 for nd, e in zip(nodes, entry, strict=True)]
    )
    deal_value = np.array(
        [(nd.deal_value or 0.0) if w else 0.0 for nd, w in zip(nodes, won, strict=True)]
    )
    cost = np.array([nd.cost or 0.0 for nd in nodes])
    duration = np.array([nd.duration_days or 0.0 for nd in nodes])
    src, dst, conv, delay, edge_ids, edge_base, edge_kind = [], [], [], [], [], [], []
    for u, v, data in graph.edges(data=True):
        if data["kind"] not in CARRIES_LEADS or kind[index[u]] in ("won", "lost"):
            continue
        for edge in data["edges"]:
            src.append(index[u])
            dst.append(index[v])
            conv.append(edge.conversion or 0.0)
            delay.append(edge.delay_days or 0.0)
            edge_ids.append(edge_prefix(u, edge.source) + edge.id)
            edge_base.append(edge.id)
            edge_kind.append(edge.kind)
    owner = [
        nd.owner if k not in ("won", "lost") else None for nd, k in zip(nodes, kind, strict=True)
    ]
    teams = []
    for team in doc.teams:
        members = np.array([i for i in range(n) if owner[i] == team.id], dtype=np.int64)
        if members.size == 0:
            continue
        capacity = team.headcount * team.capacity if team.capacity is not None else np.inf
        teams.append(
            Resource(
                "team", team.id, team.name, float(capacity), members, team.capacity, team.headcount
            )
        )
    node_limits = [
        Resource(
            "node",
            ids[i],
            nodes[i].label or ids[i],
            float(nodes[i].capacity),
            np.array([i], dtype=np.int64),
        )
        for i in range(n)
        if nodes[i].capacity is not None and kind[i] not in ("won", "lost")
    ]
    used = {nd.stage for nd in nodes if nd.stage}
    stages = [(s.id, s.name) for s in doc.stages if s.id in used]
    stages += [(s, s) for s in sorted(used - {s.id for s in doc.stages})]
    net = Network(
        process=process_id,
        process_name=doc.process(process_id).name,
        period=doc.period,
        period_days=PERIOD_DAYS[doc.period],
        currency=doc.currency,
        ids=ids,
        labels=[nd.label or g for nd, g in zip(nodes, ids, strict=True)],
        kind=kind,
        origin=[graph.nodes[g]["origin"] for g in ids],
        stage=[nd.stage for nd in nodes],
        owner=owner,
        volume=volume,
        cost=cost,
        duration=duration,
        deal_value=deal_value,
        won=won,
        lost=lost,
        entry=entry,
        src=np.array(src, dtype=np.int64),
        dst=np.array(dst, dtype=np.int64),
        conv=np.array(conv, dtype=float),
        delay=np.array(delay, dtype=float),
        edge_ids=edge_ids,
        edge_base=edge_base,
        edge_kind=edge_kind,
        teams=teams,
        node_limits=node_limits,
        stages=stages,
    )
    return with_slas(doc, net) if slas else net


def with_slas(doc: JourneyMap, net: Network) -> Network:
    """Where each SLA's response window applies: its receiving team's hand-off steps.

    A hand-off receiver is a node owned by ``to_team`` reached by a flow edge
    from a node owned by ``from_team``, directly or through unowned nodes
    (decisions, buyer steps), as in the analysis. Working hours become
    calendar days with :func:`response_window_days`.
    """
    n = net.size
    window = np.full(n, np.inf)
    factor = np.ones(n)
    sla_id: list[str | None] = [None] * n
    if not any(sla.response_hours is not None for sla in doc.slas):
        return replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
    out: dict[int, list[int]] = {}
    for s, t, k in zip(net.src.tolist(), net.dst.tolist(), net.edge_kind, strict=True):
        if k == "flow" or k == GATE:  # a gate passes its leads on to the step it holds
            out.setdefault(s, []).append(t)
    for sla in doc.slas:
        if sla.response_hours is None:
            continue
        days = response_window_days(sla.response_hours)
        late = sla.late_conversion_factor if sla.late_conversion_factor is not None else 1.0
        for start in (i for i in range(n) if net.owner[i] == sla.from_team):
            seen, stack = {start}, [start]
            while stack:
                for nxt in out.get(stack.pop(), ()):
                    if nxt in seen:
                        continue
                    seen.add(nxt)
                    if net.owner[nxt] == sla.to_team:
                        if days < window[nxt]:
                            window[nxt], factor[nxt], sla_id[nxt] = days, late, sla.id
                    elif net.owner[nxt] is None and not (net.won[nxt] or net.lost[nxt]):
                        stack.append(nxt)
    return replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
