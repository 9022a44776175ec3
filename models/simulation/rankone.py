"""Every lever's effect from one factorisation: Sherman–Morrison with a series in the limits.

A lever changes the rates out of one step (a row of the chain's matrix: a rank-one change), an
entry's volume, or a team's people. In the plain absorbing chain, with ``A = I - diag(s) C``
(``C`` the conversions, ``s`` each step's multiplier) and ``x = A^-T v`` the arrivals, a
change ``d`` of step ``i``'s row gives exactly (Sherman–Morrison)::

    q . x' = q . x + s_i x'_i (d . z_q),    x'_i = x_i / (1 - s_i d . (A^-1 e_i))

for any output ``q`` (deals, revenue, a team's leads), with the adjoint ``z_q = A^-1 q``:
one factorisation and one adjoint solve per output give every lever. ``d . A^-1 e_i`` is 0
unless step ``i`` is on a loop (no lead leaving it comes back), so most levers need nothing
more; a step on a loop takes one more solve.

**The limits.** In the capacity-aware model (:mod:`models.simulation.capacity`) ``s`` depends
on the levers too: a team short of people works a share ``f`` of its leads, ``f = min(1,
capacity / demand)``, and a follow-up cadence converts at ``phi(g)``, ``g = min(1, hours /
hours needed)``. The binding (and nearly binding) ``f`` and ``g`` are the unknowns ``u`` of
a small fixed point. The arrivals and adjoints are power series in ``u - u0`` (``x(u) =
sum x_a (u - u0)^a``, each coefficient one more solve with the same factorisation:
``A0^T x_a = C^T sum_b S_b x_(a-b)``, ``S_b`` the Taylor coefficients of the multipliers), so
each lever's outputs are polynomials in ``u - u0``; Newton solves the fixed point lever by
lever on those polynomials, all levers at once. A lever whose solution lies where the
truncated series is not accurate to about 1e-13 of its value, that makes a resource bind that
was far from binding, or that changes several steps on one loop, is solved again in full
instead: every figure equals a full re-solve to 1e-9 or better.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from .capacity import node_shares, resource_shares_and_factors
from .linear import chain_matrix, factor, trapped
from .loops import loop_entries
from .network import Network
from .rankone_patches import (
    Patch,
    PeoplePatch,
    RaisePatch,
    RowPatch,
    VolumePatch,
    evaluate_in_full,
    full_totals,
    raise_row,
)
from .rankone_series import Series, SeriesMixin, Unknown, degree_for

__all__ = [
    "Levers",
    "Patch",
    "PeoplePatch",
    "RaisePatch",
    "RowPatch",
    "VolumePatch",
    "evaluate_in_full",
    "full_totals",
]

NEAR = 0.8
"""A limit at this share of its capacity or more is an unknown of the fixed point (a lever may
make it bind); one further away stays as it is, and a lever that makes it bind is solved in
full."""


class Levers(SeriesMixin):
    """Every lever of one compiled network from one factorisation (see the module docstring)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        n = net.size
        self.capacities = np.array([r.capacity for r in net.resources], dtype=float)
        cadence = net.cadence
        self.hours = cadence.hours.copy() if cadence is not None else None
        self.f0, factors = resource_shares_and_factors(net, net.conv, net.volume, self.capacities)
        shares = node_shares(net, self.f0)
        effective = net.conv * (shares * factors)[net.src]
        trap, _ = trapped(net, effective, net.volume)
        self.cut = trap[net.src] | trap[net.dst]
        conv = np.where(self.cut, 0.0, net.conv)
        self.conv = conv
        s0 = shares * factors
        self.lu = factor(chain_matrix(n, net.src, net.dst, conv * s0[net.src]), net.src, net.dst)
        x = np.maximum(self.lu.solve(net.volume.astype(float), trans="T"), 0.0)
        self.base = (float(x[net.won].sum()), float(x @ net.deal_value))
        # the limits that are, or may become, binding
        self.g0 = np.ones(len(net.teams))
        paced: list[int] = []
        if cadence is not None and cadence.nodes.size:
            assert self.hours is not None
            spent = np.bincount(
                cadence.team[cadence.nodes],
                weights=(shares * x * cadence.minutes_per_lead())[cadence.nodes] / 60.0,
                minlength=len(net.teams),
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                given = np.where(spent > self.hours, self.hours / spent, 1.0)
            self.g0 = np.nan_to_num(given, nan=1.0)
            paced = sorted(set(cadence.team[cadence.nodes].tolist()))
        unknowns: list[Unknown] = []
        demand = np.array([x[r.members].sum() for r in net.resources])
        for k, cap in enumerate(self.capacities):
            if np.isfinite(cap) and (self.f0[k] < 1.0 or demand[k] >= NEAR * cap):
                unknowns.append(Unknown("share", k, float(self.f0[k])))
        if cadence is not None:
            minutes = shares * x * cadence.minutes_per_lead()
            needed = np.bincount(
                cadence.team[cadence.nodes],
                weights=minutes[cadence.nodes] / 60.0,
                minlength=len(net.teams),
            )
            for t in paced:
                if self.g0[t] < 1.0 or needed[t] >= NEAR * (
                    self.hours[t] if self.hours is not None else 0
                ):
                    unknowns.append(Unknown("given", t, float(self.g0[t])))
        self.unknowns = unknowns
        self.series = Series(len(unknowns), degree_for(len(unknowns)))
        self.member_of: dict[int, list[int]] = {}
        for k, resource in enumerate(net.resources):
            if np.isfinite(self.capacities[k]):
                for i in resource.members.tolist():
                    self.member_of.setdefault(i, []).append(k)
        self.usable = len(unknowns) <= 6
        self.coeffs = self._multiplier_series(shares, factors)  # n x M
        self.capacity_part = self._capacity_series(shares)  # n x M (f only)
        self.cmat = csr_matrix((conv, (net.src, net.dst)), shape=(n, n))
        self.order = np.argsort(net.src, kind="stable")
        self.starts = np.searchsorted(net.src[self.order], np.arange(n + 1))
        self.outsum = np.bincount(net.src, weights=conv, minlength=n)
        self.x = self._arrivals_series(x)  # n x M
        self.outputs = self._outputs()  # name -> q vector(s)
        self.adjoints = self._adjoint_series(np.column_stack(list(self.outputs.values())))
        self.names = list(self.outputs)
        count, labels = connected_components(
            csr_matrix((np.ones(net.src.size), (net.src, net.dst)), shape=(n, n)),
            directed=True,
            connection="strong",
        )
        sizes = np.bincount(labels, minlength=count)
        self.looped = (sizes[labels] > 1) | np.isin(np.arange(n), net.src[net.src == net.dst])
        self.labels = labels
        self._entries: np.ndarray | None = None

    # -- levers -----------------------------------------------------------------------------

    def evaluate(self, patches: list[Patch]) -> list[tuple[float, float]]:
        """(won, revenue) per period with each patch, every one equal to :func:`evaluate_in_full`."""
        results: list[tuple[float, float] | None] = [None] * len(patches)
        if not self.usable:
            return [evaluate_in_full(self.net, patch) for patch in patches]
        blocks: list[tuple[list[int], np.ndarray, np.ndarray, np.ndarray | None]] = []
        raising = [k for k, p in enumerate(patches) if isinstance(p, RaisePatch)]
        if raising:
            edges = np.array([patches[k].edge for k in raising], dtype=np.int64)  # type: ignore[union-attr]
            after = np.array([patches[k].after for k in raising])  # type: ignore[union-attr]
            coeffs, singular = self._raised(edges, after)
            for k in np.array(raising)[singular].tolist():
                results[k] = evaluate_in_full(self.net, patches[k])
            kept = np.flatnonzero(~singular)
            raising = [raising[j] for j in kept.tolist()]
            blocks.append((raising, coeffs[kept], *self._limits(len(raising))))
        volumes = [k for k, p in enumerate(patches) if isinstance(p, VolumePatch)]
        if volumes:
            nodes = np.array([patches[k].node for k in volumes], dtype=np.int64)  # type: ignore[union-attr]
            delta = np.array([patches[k].delta for k in volumes])  # type: ignore[union-attr]
            coeffs = self.adjoints_base()[None] + delta[:, None, None] * self.adjoints[nodes]
            blocks.append((volumes, coeffs, *self._limits(len(volumes))))
        done = {k for k, p in enumerate(patches) if isinstance(p, RaisePatch)} | set(volumes)
        rest: list[tuple[int, np.ndarray, np.ndarray, np.ndarray | None]] = []
        for k, patch in enumerate(patches):
            if k in done:
                continue
            found = self._coefficients(patch)
            if found is None:
                results[k] = evaluate_in_full(self.net, patch)
            else:
                rest.append((k, *found))
        if rest:
            given = [r[3] for r in rest]
            blocks.append(
                (
                    [r[0] for r in rest],
                    np.stack([r[1] for r in rest]),
                    np.stack([r[2] for r in rest]),
                    np.stack(given) if given[0] is not None else None,  # type: ignore[arg-type]
                )
            )
        for indices, coeffs, caps, hours in blocks:
            solved = self._solve(coeffs, caps, hours)
            for k, value in zip(indices, solved, strict=True):
                results[k] = value if value is not None else evaluate_in_full(self.net, patches[k])
        return [r for r in results if r is not None]

    def _limits(self, count: int) -> tuple[np.ndarray, np.ndarray | None]:
        caps = np.broadcast_to(self.capacities, (count, self.capacities.size))
        hours = (
            None if self.hours is None else np.broadcast_to(self.hours, (count, self.hours.size))
        )
        return caps, hours

    def _raised(self, edges: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Output series (levers x outputs x M) with each edge raised, every lever at once, and
        which levers close a loop on themselves (to be solved in full)."""
        net, conv = self.net, self.conv
        source = net.src[edges]
        start, end = self.starts[source], self.starts[source + 1]
        width = end - start
        lever = np.repeat(np.arange(edges.size), width)
        offset = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
        rows = self.order[np.repeat(start, width) + offset]
        room = np.maximum(0.0, 1.0 - after)
        others = self.outsum[source] - conv[edges]
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(others > room, room / others, 1.0)
        d = np.where(
            rows == edges[lever], after[lever] - conv[rows], conv[rows] * (scale[lever] - 1.0)
        )
        d = np.where(self.cut[rows], 0.0, d)
        n, outputs, m = self.adjoints.shape
        change = csr_matrix((d, (lever, net.dst[rows])), shape=(edges.size, n))
        h = (change @ self.adjoints.reshape(n, outputs * m)).reshape(edges.size, outputs, m)
        weight = self.series.multiply(self.x[source], self.coeffs[source])
        singular = np.zeros(edges.size, dtype=bool)
        looped = np.flatnonzero(self.looped[source])
        if looped.size:  # x'_i = x_i / (1 - s_i d . A^-1 e_i): a lead leaving i may come back
            entries = self._loop_entries()
            pick = np.isin(lever, looped)
            back = np.zeros((edges.size, m))
            np.add.at(back, lever[pick], d[pick, None] * entries[rows[pick]])
            back = self.series.multiply(self.coeffs[source], back)[looped]
            singular[looped] = np.abs(1.0 - back[:, 0]) < 1e-12
            one = np.zeros(m)
            one[0] = 1.0
            fine = looped[~singular[looped]]
            weight[fine] = self.series.divide(weight[fine], one - back[~singular[looped]])
        out = self.adjoints_base()[None] + self.series.multiply(weight[:, None, :], h)
        return out, singular

    def _coefficients(self, patch: Patch):
        """(outputs x M coefficients with the patch, capacities, hours), or None (solve in
        full)."""
        base = self.adjoints_base()
        capacities, hours = self.capacities, self.hours
        if isinstance(patch, VolumePatch):
            return base + patch.delta * self.adjoints[patch.node], capacities, hours
        if isinstance(patch, PeoplePatch):
            capacities = capacities.copy()
            capacities[patch.resource] = patch.capacity
            if hours is not None and patch.hours is not None and patch.resource < len(hours):
                hours = hours.copy()
                hours[patch.resource] = patch.hours
            return base, capacities, hours
        net = self.net
        if isinstance(patch, RaisePatch):
            new = np.where(self.cut, 0.0, raise_row(self.conv, net.src, patch.edge, patch.after))
            sources = net.src[[patch.edge]]
        else:
            new = self.conv.copy()
            new[patch.rows] = np.where(self.cut[patch.rows], 0.0, patch.conv)
            sources = np.unique(net.src[patch.rows])
        if sources.size != 1:
            return None if self._interacting(sources) else self._many(sources, new, base)
        i = int(sources[0])
        out = self.order[self.starts[i] : self.starts[i + 1]]
        d = new[out] - self.conv[out]
        h = np.tensordot(d, self.adjoints[net.dst[out]], axes=(0, 0))  # outputs x M
        weight = self.series.multiply(self.x[i], self.coeffs[i])  # x_i s_i
        if self.looped[i]:
            back = self.series.multiply(self.coeffs[i], d @ self._loop_entries()[out])
            one = np.zeros(self.series.size)
            one[0] = 1.0
            if abs(1.0 - back[0]) < 1e-12:
                return None
            weight = self.series.divide(weight, one - back)
        return base + self.series.multiply(weight[None, :], h), capacities, hours

    def _many(self, sources, new, base):
        net = self.net
        total = base.copy()
        for i in sources.tolist():
            out = self.order[self.starts[i] : self.starts[i + 1]]
            d = new[out] - self.conv[out]
            h = np.tensordot(d, self.adjoints[net.dst[out]], axes=(0, 0))
            weight = self.series.multiply(self.x[i], self.coeffs[i])
            total = total + self.series.multiply(weight[None, :], h)
        return total, self.capacities, self.hours

    def _interacting(self, sources: np.ndarray) -> bool:
        """Whether a lead leaving one of ``sources`` can reach one of them again."""
        net = self.net
        starts = np.unique(net.dst[np.isin(net.src, sources)])
        if starts.size == 0:
            return False
        graph = csr_matrix((np.ones(net.src.size), (net.src, net.dst)), shape=(net.size, net.size))
        seen = np.zeros(net.size, dtype=bool)
        for s in starts.tolist():
            if not seen[s]:
                seen[breadth_first_order(graph, s, return_predecessors=False)] = True
        return bool(seen[sources].any())

    def _loop_entries(self) -> np.ndarray:
        """Per edge row ``i -> j`` inside a loop, the series (edges x M) of ``A(u)^-1[j, i]``:
        the expected visits to ``i`` of a lead at ``j`` (0 for an edge on no loop), for every
        edge at once (:func:`models.simulation.loops.loop_entries`)."""
        if self._entries is None:
            net = self.net
            inside = (self.labels[net.src] == self.labels[net.dst]) & self.looped[net.src]
            self._entries = loop_entries(
                net.src, net.dst, self.conv, self.coeffs, inside, self.series.table
            )
        return self._entries

    def adjoints_base(self) -> np.ndarray:
        """outputs x M: every output's series without any lever (q . x(u))."""
        if not hasattr(self, "_base"):
            q = np.column_stack(list(self.outputs.values()))
            self._base = np.einsum("no,nm->om", q, self.x)
        return self._base
