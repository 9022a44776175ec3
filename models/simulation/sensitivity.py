"""The single changes that move revenue most, ranked.

Each lever is one small change to the map, evaluated with the capacity-aware
expected model (:mod:`models.simulation.capacity`: a team's throughput is
min(load, capacity)), so adding a person shows only where a team is
actually short of people:

* every flow or recycle edge's conversion +10 % relative (edges to a lost
  outcome are not levers), including the edges of the role processes a
  committee gate reads: raising one raises that role's chance to clear, so the
  gate's pass rate (:mod:`models.simulation.gates`). When the node's rates would then add up to more
  than 100 %, the extra is taken from its other edges in proportion, so the
  node never passes on more than all its leads (a decision's "yes" rises,
  its "no" falls). Edges at 0 % or 100 % are left out (10 % more of nothing
  is nothing; all cannot become more);
* every team with a capacity: one more person;
* every entry with a volume: +10 % leads.

The levers change compiled arrays, not the map, so a lever costs one
capacity-aware solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.document import JourneyMap, Scenario

from . import linear
from .capacity import service_shares
from .expected import prepare
from .gates import gate_conv
from .network import GATE, Network
from .results import num

STEP = 0.10
KIND_ORDER = {"conversion": 0, "headcount": 1, "volume": 2}


@dataclass(frozen=True)
class Lever:
    """One change and what it does to deals and revenue per period (capacity-aware)."""

    what: str
    kind: str  # "conversion" | "headcount" | "volume"
    target: str  # edge id, team id or entry id
    before: float
    after: float
    revenue_delta: float
    won_delta: float
    short: str = ""  # a chart label: "Proposal -> Deal +10%", "Sales +1", "Web +10%"

    def to_dict(self) -> dict:
        return {
            "what": self.what,
            "short": self.short,
            "kind": self.kind,
            "target": self.target,
            "before": num(self.before),
            "after": num(self.after),
            "revenue_delta": num(self.revenue_delta),
            "won_delta": num(self.won_delta),
        }


def sensitivity(
    doc: JourneyMap, process_id: str | None = None, scenario: str | Scenario | None = None
) -> list[Lever]:
    """Every lever of the process (see the module docstring), largest revenue gain first."""
    net = prepare(doc, process_id, scenario).net
    capacities = np.array([r.capacity for r in net.resources], dtype=float)
    base_won, base_revenue = totals(net, net.conv, net.volume, capacities)
    levers = []

    def add(
        what, short, kind, target, before, after, conv=net.conv, volume=net.volume, caps=capacities
    ):
        won, revenue = totals(net, conv, volume, caps)
        levers.append(
            Lever(what, kind, target, before, after, revenue - base_revenue, won - base_won, short)
        )

    per = f"per {net.period}"
    seen = set()
    for e, base_id in enumerate(net.edge_base):
        if base_id in seen or net.lost[net.dst[e]] or net.conv[e] <= 0 or net.edge_kind[e] == GATE:
            continue
        seen.add(base_id)
        rows = np.array([k for k, b in enumerate(net.edge_base) if b == base_id])
        before = float(net.conv[e])
        after = min(1.0, before * (1.0 + STEP))
        if after <= before:
            continue  # already 100 %: nothing to raise
        conv = raised(net, rows, after)
        source, target = net.labels[net.src[e]], net.labels[net.step_of(int(net.dst[e]))]
        add(
            f"'{source}' to '{target}' conversion {before:.1%} -> {after:.1%}",
            f"{_clip(source)} -> {_clip(target)} +10%",
            "conversion",
            base_id,
            before,
            after,
            conv=conv,
        )
    for chain in net.chains:  # a role's own conversions move its gate's pass rate
        role = chain.net
        for e, base_id in enumerate(role.edge_base):
            if (
                base_id in seen
                or role.lost[role.dst[e]]
                or role.src[e] == chain.target
                or role.conv[e] <= 0
            ):
                continue
            seen.add(base_id)
            before = float(role.conv[e])
            after = min(1.0, before * (1.0 + STEP))
            if after <= before:
                continue
            patched = {
                k: raised(other.net, rows, after)
                for k, other in enumerate(net.chains)
                if (rows := np.flatnonzero(np.array(other.net.edge_base) == base_id)).size
            }
            source, target = role.labels[role.src[e]], role.labels[role.dst[e]]
            add(
                f"{chain.role_name}: '{source}' to '{target}' conversion {before:.1%} -> {after:.1%}",
                f"{_clip(chain.role_name, 10)}: {_clip(source)} -> {_clip(target)} +10%",
                "conversion",
                base_id,
                before,
                after,
                conv=gate_conv(net, patched, net.conv),
            )
    for k, team in enumerate(net.teams):
        if not np.isfinite(team.capacity) or not team.per_person:
            continue
        caps = capacities.copy()
        caps[k] += team.per_person
        heads = team.headcount or 0
        add(
            f"{team.name}: {heads} -> {heads + 1} people",
            f"{_clip(team.name, 24)} +1",
            "headcount",
            team.id,
            heads,
            heads + 1,
            caps=caps,
        )
    for i in np.flatnonzero(net.entry & (net.volume > 0)).tolist():
        volume = net.volume.copy()
        volume[i] *= 1.0 + STEP
        add(
            f"'{net.labels[i]}': {net.volume[i]:,.0f} -> {volume[i]:,.0f} leads {per}",
            f"{_clip(net.labels[i], 24)} +10%",
            "volume",
            net.ids[i],
            float(net.volume[i]),
            float(volume[i]),
            volume=volume,
        )
    # rounded so that levers equal up to floating-point noise rank by kind and id, the same every run
    return sorted(
        levers,
        key=lambda v: (
            -round(v.revenue_delta, 6),
            -round(v.won_delta, 9),
            KIND_ORDER[v.kind],
            v.target,
        ),
    )


def _clip(text: str, width: int = 14) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def raised(net: Network, rows: np.ndarray, after: float) -> np.ndarray:
    """Conversions with ``rows`` set to ``after``, the other edges of their nodes scaled down if needed."""
    conv = net.conv.copy()
    conv[rows] = after
    lever = np.zeros(conv.size, dtype=bool)
    lever[rows] = True
    for i in np.unique(net.src[rows]).tolist():
        siblings = (net.src == i) & ~lever
        mine = float(conv[(net.src == i) & lever].sum())
        room = max(0.0, 1.0 - mine)
        others = float(conv[siblings].sum())
        if others > room:
            conv[siblings] *= room / others
    return conv


def totals(
    net: Network, conv: np.ndarray, volume: np.ndarray, capacities: np.ndarray
) -> tuple[float, float]:
    """(won, revenue) per period under the capacity-aware expected model."""
    effective = conv * service_shares(net, conv, volume, capacities)[net.src]
    x = linear.solve(net, effective, volume).arrivals
    return float(x[net.won].sum()), float(x @ net.deal_value)
