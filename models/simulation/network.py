"""A process compiled to arrays: what every simulation kernel works on.

:func:`compile_network` reads the map's lists once (each field of each node and edge at most
once, a field no item was given not at all: :mod:`models.simulation.columns`), laying the
process out as :func:`models.graph.process_graph` does (sub-processes expanded, the same ids
and order, without building the networkx graph: :mod:`models.simulation.walk`) and keeps only
numbers: one row per graph node and
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

import numpy as np

from models.document import Edge, JourneyMap, Node
from models.vocabulary import PERIOD_DAYS

from .columns import Columns, mask
from .compiled import (
    CALENDAR_DAYS_PER_WORKING_DAY,
    GATE,
    WORKING_HOURS_PER_DAY,
    Cadence,
    Gate,
    Network,
    Resource,
    RoleChain,
    edge_prefix,
    response_window_days,
    working_hours,
)
from .slas import with_slas
from .walk import acyclic, walk

__all__ = [
    "CALENDAR_DAYS_PER_WORKING_DAY",
    "GATE",
    "WORKING_HOURS_PER_DAY",
    "Cadence",
    "Gate",
    "Network",
    "Resource",
    "RoleChain",
    "compile_network",
    "edge_prefix",
    "response_window_days",
    "with_slas",
    "working_hours",
]


def compile_network(
    doc: JourneyMap,
    process_id: str,
    *,
    slas: bool = True,
    nodes: Columns[Node] | None = None,
    edges: Columns[Edge] | None = None,
) -> Network:
    """Compile one process (sub-processes expanded) to a :class:`Network`.

    Reads the map's lists once (no networkx graph: see :mod:`models.simulation.walk`);
    ``nodes`` and ``edges`` are the columns of ``doc.nodes`` and ``doc.edges`` when the caller
    has read some already. Committee gates are left out
    (:func:`models.simulation.gates.compile_process` adds them); ``slas=False`` leaves out the
    SLA windows too (:func:`with_slas` adds them).
    """
    walked = walk(
        doc,
        process_id,
        Columns(doc.nodes) if nodes is None else nodes,
        Columns(doc.edges) if edges is None else edges,
    )
    ids, columns, kind = walked.ids, walked.nodes, walked.kinds
    n = len(ids)
    if columns["kind"] is kind:  # the model's kinds: their scans are shared with the walk
        won, lost, entry = (columns.mask("kind", name) for name in ("won", "lost", "entry"))
    else:  # an inner entry or won outcome of an expansion is a pass node
        won, lost, entry = (mask(kind, name) for name in ("won", "lost", "entry"))
    models = columns.items
    volume = np.zeros(n)
    at = np.flatnonzero(entry)
    volume[at] = [models[i].volume or 0.0 for i in at.tolist()]
    deal_value = np.zeros(n)
    at = np.flatnonzero(won)
    deal_value[at] = [models[i].deal_value or 0.0 for i in at.tolist()]
    outcome = won | lost
    owner, teams = _teams(doc, columns, outcome)
    rows = walked.edges
    edge_base = rows["id"]
    if walked.origins == ids:  # nothing expanded: the graph ids are the model ids
        edge_ids = list(edge_base)
    else:
        edge_ids = [
            e if "/" not in ids[u] else edge_prefix(ids[u], source) + e
            for u, e, source in zip(walked.src.tolist(), edge_base, rows["source"], strict=True)
        ]
    labels = columns["label"]
    if not all(labels):  # a step without a label shows its id
        labels = [label or g for label, g in zip(labels, ids, strict=True)]
    stage = columns["stage"]
    used = {s for s in stage if s} if not columns.default("stage")[0] else set()
    stages = [(s.id, s.name) for s in doc.stages if s.id in used]
    stages += [(s, s) for s in sorted(used - {s.id for s in doc.stages})]
    net = Network(
        process=process_id,
        process_name=doc.process(process_id).name,
        period=doc.period,
        period_days=PERIOD_DAYS[doc.period],
        currency=doc.currency,
        ids=ids,
        labels=labels,
        kind=kind,
        origin=walked.origins,
        stage=list(stage),
        owner=owner,
        volume=volume,
        cost=columns.numbers("cost"),
        duration=columns.numbers("duration_days"),
        deal_value=deal_value,
        won=won,
        lost=lost,
        entry=entry,
        src=walked.src,
        dst=walked.dst,
        conv=np.nan_to_num(walked.conv, nan=0.0),
        delay=rows.numbers("delay_days"),
        edge_ids=edge_ids,
        edge_base=edge_base,
        edge_kind=rows["kind"],
        teams=teams,
        node_limits=_node_limits(columns, ids, outcome),
        stages=stages,
        policy=getattr(doc, "capacity_policy", "shared"),
        acyclic=walked.acyclic
        if walked.acyclic is not None
        else acyclic(n, walked.src, walked.dst),
        clean=not walked.doubts and bool((entry & (volume > 0)).any()),
    )
    return with_slas(doc, net) if slas else net


def _teams(
    doc: JourneyMap, columns: Columns[Node], outcome: np.ndarray
) -> tuple[list[str | None], list[Resource]]:
    """(Each node's owner, None at outcomes; the teams owning a node, with their members.)"""
    n = len(columns)
    if columns.default("owner") == (True, None):
        return [None] * n, []
    owners = np.array(columns["owner"], dtype=object)
    owners[outcome] = None
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
    return owners.tolist(), teams


def _node_limits(columns: Columns[Node], ids: list[str], outcome: np.ndarray) -> list[Resource]:
    """The steps with a capacity of their own (outcomes have none)."""
    capacity = columns.numbers("capacity", None)
    limited = np.flatnonzero(~np.isnan(capacity) & ~outcome)
    labels = columns["label"]
    return [
        Resource(
            "node", ids[i], labels[i] or ids[i], float(capacity[i]), np.array([i], dtype=np.int64)
        )
        for i in limited.tolist()
    ]
