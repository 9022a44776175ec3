"""What a compiled process is: one process of a map as arrays, what every simulation kernel
works on (:func:`models.simulation.network.compile_network` makes it).

One row per graph node (sub-processes expanded, the ids of :func:`models.graph.process_graph`)
and one row per model edge that carries leads; committee gates add a node and an edge row each
(:mod:`models.simulation.gates`); SLAs add response windows and follow-up cadences
(:mod:`models.simulation.slas`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

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
    """One process as arrays (see :mod:`models.simulation.network`)."""

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
