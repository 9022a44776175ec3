"""Can the receiving team meet its SLA at the volume the funnel delivers?"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import spsolve

from models.findings import Finding
from models.graph import CARRIES_LEADS

from .context import Context
from .handoffs import handoffs


def expected_arrivals(ctx: Context) -> dict[str, float]:
    """Leads per period arriving at each node: entry volumes pushed along the conversions.

    Solves (I - P^T) x = s once for the whole map (sparse). Missing rates count
    as 0; a map whose loops keep every lead (no exit) has no finite answer and
    gives an empty result (the trap-loop finding explains why).
    """
    ids = [n.id for n in ctx.doc.nodes]
    index = {node_id: i for i, node_id in enumerate(ids)}
    rows, cols, values = [], [], []
    for edge in ctx.doc.edges:
        if edge.kind in CARRIES_LEADS and edge.conversion:
            rows.append(index[edge.target])
            cols.append(index[edge.source])
            values.append(edge.conversion)
    source = np.array([(n.volume or 0.0) if n.kind == "entry" else 0.0 for n in ctx.doc.nodes])
    if not source.any():
        return {}
    matrix = identity(len(ids), format="csr") - csr_matrix(
        (values, (rows, cols)), shape=(len(ids), len(ids))
    )
    with np.errstate(all="ignore"):
        try:
            arrivals = spsolve(matrix.tocsc(), source)
        except RuntimeError:
            return {}
    arrivals = np.atleast_1d(arrivals)
    if not np.all(np.isfinite(arrivals)) or (arrivals < -1e-6).any():
        return {}
    return dict(zip(ids, arrivals.tolist(), strict=True))


def check(ctx: Context) -> Iterator[Finding]:
    slas = [
        s
        for s in ctx.doc.slas
        if s.leads_per_rep or ctx.teams.get(s.to_team) and ctx.teams[s.to_team].capacity
    ]
    if not slas:
        return
    arrivals = expected_arrivals(ctx)
    if not arrivals:
        return
    pairs = handoffs(ctx)
    period = ctx.doc.period
    for sla in slas:
        team = ctx.teams.get(sla.to_team)
        if team is None:
            continue
        receivers = sorted(
            {
                t
                for s, t, _, _ in pairs
                if ctx.nodes[s].owner == sla.from_team and ctx.nodes[t].owner == sla.to_team
            }
        )
        if not receivers:
            continue
        volume = sum(arrivals.get(n, 0.0) for n in receivers)
        per_rep = min(x for x in (sla.leads_per_rep, team.capacity) if x)
        can_take = team.headcount * per_rep
        if volume > can_take + 1e-9:
            needed = int(-(-volume // per_rep))
            yield ctx.finding(
                "sla-over-capacity",
                f"{team.name} receives about {volume:,.0f} leads per {period} under '{sla.name}', but "
                f"{team.headcount} people at {per_rep:,.0f} each can take {can_take:,.0f}.",
                process=ctx.nodes[receivers[0]].process,
                nodes=receivers,
                hint=f"Plan for {needed} people in {team.name}, or qualify harder before the hand-off",
            )
