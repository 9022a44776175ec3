"""The single changes that move revenue most, ranked.

Each lever is one small change to the map, evaluated with the capacity-aware
expected model (:mod:`models.simulation.capacity`: a team's throughput is
min(load, capacity), a follow-up cadence converts at what the team's hours allow),
so adding a person shows only where a team is actually short of people:

* every flow or recycle edge's conversion +10 % relative (edges to a lost
  outcome are not levers), including the edges of the role processes a
  committee gate reads: raising one raises that role's chance to clear, so the
  gate's pass rate (:mod:`models.simulation.gates`). When the node's rates would then add up to more
  than 100 %, the extra is taken from its other edges in proportion, so the
  node never passes on more than all its leads (a decision's "yes" rises,
  its "no" falls). Edges at 0 % or 100 % are left out (10 % more of nothing
  is nothing; all cannot become more);
* qualification criteria whose pass rate feeds the flow (:mod:`models.qualification`):
  the threshold one score level lower and one higher (the next score a lead can
  make), or one positive answer fewer and one more, and each question's share of
  positive answers +10 % relative;
* every team with a capacity or a timed follow-up cadence: one more person (its
  capacity and its working hours);
* every entry with a volume: +10 % leads.

The levers patch compiled arrays, not the map, and are all evaluated from one
factorisation (:mod:`models.simulation.rankone`: Sherman–Morrison, with a series in
the binding limits); each figure equals a full re-solve of the changed map.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from models.document import JourneyMap, Scenario
from models.gcpause import paused_gc

from .expected import prepare
from .lever_candidates import candidates_of
from .rankone import Levers, evaluate_in_full
from .results import num

KIND_ORDER = {"conversion": 0, "question": 1, "threshold": 2, "headcount": 3, "volume": 4}


class Lever(NamedTuple):
    """One change and what it does to deals and revenue per period (capacity-aware)."""

    what: str
    kind: str  # "conversion" | "question" | "threshold" | "headcount" | "volume"
    target: str  # edge id, "criteria.question", criteria id, team id or entry id
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
    doc: JourneyMap,
    process_id: str | None = None,
    scenario: str | Scenario | None = None,
    *,
    in_full: bool = False,
) -> list[Lever]:
    """Every lever of the process (see the module docstring), largest revenue gain first.

    ``in_full=True`` solves each changed map in full instead (the reference the fast
    evaluation is tested against).
    """
    with paused_gc():
        ready = prepare(doc, process_id, scenario)
        candidates = candidates_of(doc, ready)
        net = ready.net
        if in_full:
            values = [evaluate_in_full(net, c.patch) for c in candidates]
            from .rankone import full_totals

            base = full_totals(
                net,
                net.conv,
                net.volume,
                np.array([r.capacity for r in net.resources], dtype=float),
            )
        else:
            levers = Levers(net)
            values = levers.evaluate([c.patch for c in candidates])
            base = levers.base
    found = [
        Lever(
            c.what,
            c.kind,
            c.target,
            c.before,
            c.after,
            revenue - base[1],
            won - base[0],
            c.short,
        )
        for c, (won, revenue) in zip(candidates, values, strict=True)
    ]
    # rounded so that levers equal up to floating-point noise rank by kind and id, the same every run
    revenue = np.round(np.array([v.revenue_delta for v in found]), 6).tolist()
    won = np.round(np.array([v.won_delta for v in found]), 9).tolist()
    order = sorted(
        range(len(found)),
        key=lambda k: (
            -revenue[k],
            -won[k],
            KIND_ORDER[found[k].kind],
            found[k].target,
            found[k].after,
        ),
    )
    return [found[k] for k in order]


__all__ = ["Lever", "sensitivity"]
