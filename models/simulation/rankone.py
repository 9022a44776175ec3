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

import math
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from .capacity import node_shares, resource_shares_and_factors, shares_and_factors
from .linear import chain_matrix, factor, solve, trapped
from .loops import loop_entries
from .network import Network

NEAR = 0.8
"""A limit at this share of its capacity or more is an unknown of the fixed point (a lever may
make it bind); one further away stays as it is, and a lever that makes it bind is solved in
full."""
TRUNCATION = 1e-13
NEWTON_STEPS = 30


@dataclass
class RowPatch:
    """New conversions for some edge rows (every row out of the steps it changes)."""

    rows: np.ndarray  # edge rows
    conv: np.ndarray  # their new conversions


@dataclass
class RaisePatch:
    """One edge row's conversion raised to ``after``, the other edges of its step scaled down
    in proportion when the step would pass on more than all its leads."""

    edge: int
    after: float


@dataclass
class VolumePatch:
    node: int
    delta: float


@dataclass
class PeoplePatch:
    """A team's capacity and follow-up hours with one more person (per ``net.resources`` and
    ``net.teams``)."""

    resource: int
    capacity: float
    hours: float | None


Patch = RowPatch | RaisePatch | VolumePatch | PeoplePatch


def raise_row(conv: np.ndarray, src: np.ndarray, edge: int, after: float) -> np.ndarray:
    """``conv`` with row ``edge`` at ``after`` and its siblings scaled down if needed."""
    conv = conv.copy()
    siblings = (src == src[edge]) & (np.arange(conv.size) != edge)
    room = max(0.0, 1.0 - after)
    others = float(conv[siblings].sum())
    if others > room:
        conv[siblings] *= room / others
    conv[edge] = after
    return conv


def full_totals(
    net: Network,
    conv: np.ndarray,
    volume: np.ndarray,
    capacities: np.ndarray,
    hours: np.ndarray | None = None,
) -> tuple[float, float]:
    """(won, revenue) per period under the capacity-aware expected model, solved in full."""
    shares, factors = shares_and_factors(net, conv, volume, capacities, hours)
    x = solve(net, conv * (shares * factors)[net.src], volume).arrivals
    return float(x[net.won].sum()), float(x @ net.deal_value)


def evaluate_in_full(net: Network, patch: Patch) -> tuple[float, float]:
    conv, volume = net.conv, net.volume
    capacities = np.array([r.capacity for r in net.resources], dtype=float)
    hours = net.cadence.hours.copy() if net.cadence is not None else None
    if isinstance(patch, RowPatch):
        conv = conv.copy()
        conv[patch.rows] = patch.conv
    elif isinstance(patch, RaisePatch):
        conv = raise_row(conv, net.src, patch.edge, patch.after)
    elif isinstance(patch, VolumePatch):
        volume = volume.copy()
        volume[patch.node] += patch.delta
    else:
        capacities = capacities.copy()
        capacities[patch.resource] = patch.capacity
        if hours is not None and patch.hours is not None and patch.resource < len(net.teams):
            hours[patch.resource] = patch.hours
    return full_totals(net, conv, volume, capacities, hours)


# --- the unknowns and the multipliers' Taylor series ----------------------------------------------


@dataclass
class _Unknown:
    kind: str  # "share" (a resource's f) or "given" (a cadence team's g)
    index: int  # resource index or team index
    value: float  # at the base


@dataclass
class _Series:
    """Multi-indices up to ``degree`` over ``count`` unknowns, with a product table."""

    count: int
    degree: int
    exponents: np.ndarray = field(init=False)  # M x P
    table: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False)
    top: np.ndarray = field(init=False)  # bool per multi-index: of the highest degree

    def __post_init__(self) -> None:
        found = [
            e for e in product(range(self.degree + 1), repeat=self.count) if sum(e) <= self.degree
        ]
        found.sort(key=lambda e: (sum(e), tuple(-k for k in e)))
        self.exponents = np.array(found, dtype=np.int64).reshape(len(found), self.count)
        where = {tuple(e): k for k, e in enumerate(found)}
        a, b, c = [], [], []
        for i, ei in enumerate(found):
            for j, ej in enumerate(found):
                total = tuple(p + q for p, q in zip(ei, ej, strict=True))
                if sum(total) <= self.degree:
                    a.append(i)
                    b.append(j)
                    c.append(where[total])
        self.table = (np.array(a), np.array(b), np.array(c))
        self.top = self.exponents.sum(axis=1) == self.degree
        self.index = where

    @property
    def size(self) -> int:
        return len(self.exponents)

    def multiply(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Truncated product of coefficient arrays (``... x M``)."""
        a, b, c = self.table
        out = np.zeros(np.broadcast_shapes(left.shape, right.shape))
        for i, j, k in zip(a.tolist(), b.tolist(), c.tolist(), strict=True):
            out[..., k] += left[..., i] * right[..., j]
        return out

    def divide(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Truncated ``left / right`` (``right``'s constant term must not be 0)."""
        out = np.zeros(np.broadcast_shapes(left.shape, right.shape))
        a, b, c = self.table
        for k in range(self.size):  # by increasing degree: earlier terms are final
            pairs = (c == k) & (b != 0)
            acc = left[..., k] - (out[..., a[pairs]] * right[..., b[pairs]]).sum(axis=-1)
            out[..., k] = acc / right[..., 0]
        return out

    def monomials(self, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(delta^a for every a: L x M, their derivatives: L x M x P) for deltas L x P."""
        powers = delta[:, None, :] ** self.exponents[None, :, :]
        value = powers.prod(axis=2)
        grad = np.zeros(value.shape + (self.count,))
        for j in range(self.count):
            e = self.exponents[:, j]
            lower = np.where(e > 0, e - 1, 0)
            partial = np.where(
                e[None, :] > 0, e[None, :] * delta[:, None, j] ** lower[None, :], 0.0
            )
            others = np.delete(powers, j, axis=2).prod(axis=2) if self.count > 1 else 1.0
            grad[:, :, j] = partial * others
        return value, grad


def _degree(count: int) -> int:
    return {0: 0, 1: 10, 2: 7, 3: 5, 4: 4}.get(count, 3)


# --- the evaluator ---------------------------------------------------------------------------


class Levers:
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
        unknowns: list[_Unknown] = []
        demand = np.array([x[r.members].sum() for r in net.resources])
        for k, cap in enumerate(self.capacities):
            if np.isfinite(cap) and (self.f0[k] < 1.0 or demand[k] >= NEAR * cap):
                unknowns.append(_Unknown("share", k, float(self.f0[k])))
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
                    unknowns.append(_Unknown("given", t, float(self.g0[t])))
        self.unknowns = unknowns
        self.series = _Series(len(unknowns), _degree(len(unknowns)))
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

    # -- series -----------------------------------------------------------------------------

    def _multiplier_series(self, shares: np.ndarray, factors: np.ndarray) -> np.ndarray:
        net, series = self.net, self.series
        m = series.size
        coeffs = np.zeros((net.size, m))
        coeffs[:, 0] = shares * factors
        if not self.unknowns:
            return coeffs
        cadence = net.cadence
        touched: set[int] = set()
        for u in self.unknowns:
            if u.kind == "share":
                touched.update(net.resources[u.index].members.tolist())
            elif cadence is not None:
                touched.update(i for i in cadence.nodes.tolist() if cadence.team[i] == u.index)
        made: dict[tuple, np.ndarray] = {}
        for i in sorted(touched):
            key: tuple = (tuple(self.member_of.get(i, ())),)
            if cadence is not None and cadence.attempts[i] > 0:
                key += (
                    int(cadence.team[i]),
                    float(cadence.attempts[i]),
                    float(cadence.reach[i]),
                    float(cadence.late[i]),
                )
            if key not in made:
                poly = self._share_poly(i)
                if len(key) > 1:
                    poly = series.multiply(poly, self._cadence_term(i))
                made[key] = poly
            coeffs[i] = made[key]
        return coeffs

    def _share_poly(self, i: int) -> np.ndarray:
        """Series of step ``i``'s service share: the product of its resources' shares."""
        series = self.series
        poly = np.zeros(series.size)
        poly[0] = 1.0
        for k in self.member_of.get(i, ()):
            term = np.zeros(series.size)
            term[0] = self.f0[k]
            j = self._unknown("share", k)
            if j is not None:
                term[self._unit(j)] = 1.0
            poly = series.multiply(poly, term)
        return poly

    def _capacity_series(self, shares: np.ndarray) -> np.ndarray:
        """Per node, the series of its service share alone (the cadence's hours count the
        leads a team works, whatever they then convert at)."""
        net, series = self.net, self.series
        coeffs = np.zeros((net.size, series.size))
        coeffs[:, 0] = shares
        made: dict[tuple, np.ndarray] = {}
        for u in self.unknowns:
            if u.kind == "share":
                for i in net.resources[u.index].members.tolist():
                    key = tuple(self.member_of.get(i, ()))
                    if key not in made:
                        made[key] = self._share_poly(i)
                    coeffs[i] = made[key]
        return coeffs

    def _cadence_term(self, i: int) -> np.ndarray:
        """Taylor series of node ``i``'s cadence factor phi(g) around its team's g0."""
        cadence = self.net.cadence
        assert cadence is not None
        series = self.series
        t = int(cadence.team[i])
        g0 = float(self.g0[t])
        term = np.zeros(series.size)
        term[0] = float(cadence.factor(np.array([g0]), np.array([i]))[0])
        j = self._unknown("given", t)
        if j is None:
            return term
        n = max(float(cadence.attempts[i]), 1.0)
        if np.isnan(cadence.reach[i]):
            term[self._unit(j)] = 1.0 - float(cadence.late[i])  # phi = g + (1 - g) late
            return term
        miss = 1.0 - float(cadence.reach[i])
        if miss <= 0.0:
            return term  # every attempt reaches: phi = 1 for any g > 0
        full = 1.0 - miss**n
        rate = n * math.log(miss)
        for k in range(1, series.degree + 1):
            e = np.zeros(series.count, dtype=np.int64)
            e[j] = k
            term[series.index[tuple(e)]] = (
                -(rate**k) * miss ** (g0 * n) / (full * math.factorial(k))
            )
        return term

    def _unknown(self, kind: str, index: int) -> int | None:
        for j, u in enumerate(self.unknowns):
            if u.kind == kind and u.index == index:
                return j
        return None

    def _unit(self, j: int) -> int:
        e = [0] * self.series.count
        e[j] = 1
        return self.series.index[tuple(e)]

    def _shifted(self, alpha: int) -> list[tuple[int, int]]:
        """(beta, alpha - beta) pairs with beta != 0."""
        a, b, c = self.series.table
        pick = (c == alpha) & (a != 0)
        return list(zip(a[pick].tolist(), b[pick].tolist(), strict=True))

    def _arrivals_series(self, x0: np.ndarray) -> np.ndarray:
        m = self.series.size
        x = np.zeros((self.net.size, m))
        x[:, 0] = x0
        ct = self.cmat.T.tocsr()
        for alpha in range(1, m):
            rhs = np.zeros(self.net.size)
            for beta, rest in self._shifted(alpha):
                rhs += ct @ (self.coeffs[:, beta] * x[:, rest])
            if rhs.any():
                x[:, alpha] = self.lu.solve(rhs, trans="T")
        return x

    def _adjoint_series(self, q: np.ndarray) -> np.ndarray:
        """n x outputs x M."""
        m = self.series.size
        z = np.zeros((self.net.size, q.shape[1], m))
        z[:, :, 0] = self.lu.solve(q)
        for alpha in range(1, m):
            rhs = np.zeros((self.net.size, q.shape[1]))
            for beta, rest in self._shifted(alpha):
                rhs += self.coeffs[:, beta, None] * (self.cmat @ z[:, :, rest])
            if rhs.any():
                z[:, :, alpha] = self.lu.solve(rhs)
        return z

    def _outputs(self) -> dict[str, np.ndarray]:
        net = self.net
        out = {"won": net.won.astype(float), "revenue": net.deal_value.astype(float)}
        for k, resource in enumerate(net.resources):
            if np.isfinite(self.capacities[k]):
                q = np.zeros(net.size)
                q[resource.members] = 1.0
                out[f"demand:{k}"] = q
        cadence = net.cadence
        if cadence is not None and cadence.nodes.size:
            cost = cadence.minutes_per_lead() / 60.0
            for t in sorted(set(cadence.team[cadence.nodes].tolist())):
                mine = np.zeros(net.size, dtype=bool)
                mine[cadence.nodes[cadence.team[cadence.nodes] == t]] = True
                for gamma in range(self.series.size):
                    q = np.where(mine, cost * self.capacity_part[:, gamma], 0.0)
                    if q.any():
                        out[f"hours:{t}:{gamma}"] = q
        return out

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

    # -- the fixed point --------------------------------------------------------------------

    def _solve(
        self, c: np.ndarray, caps: np.ndarray, hrs: np.ndarray | None
    ) -> list[tuple[float, float] | None]:
        """Each lever's fixed point (``c``: levers x outputs x M; ``caps``: levers x resources;
        ``hrs``: levers x teams), then its deals and revenue, or None where the series or the
        limits say it must be solved in full."""
        series, unknowns = self.series, self.unknowns
        levers = c.shape[0]
        names = {name: k for k, name in enumerate(self.names)}
        delta = np.zeros((levers, len(unknowns)))
        base_value = np.array([u.value for u in unknowns])

        def hours_needed(t: int, value: np.ndarray, grad: np.ndarray):
            total = np.zeros(levers)
            gradient = np.zeros((levers, len(unknowns)))
            for gamma in range(series.size):
                key = f"hours:{t}:{gamma}"
                if key not in names:
                    continue
                poly = c[:, names[key], :]
                shifted = np.zeros_like(poly)
                a, b, cc = series.table
                pick = a == gamma
                np.add.at(shifted.T, cc[pick], poly[:, b[pick]].T)
                total += (shifted * value).sum(axis=1)
                gradient += np.einsum("lm,lmp->lp", shifted, grad)
            return total, gradient

        for _ in range(NEWTON_STEPS):
            value, grad = series.monomials(delta)
            residual = np.zeros_like(delta)
            jacobian = np.tile(np.eye(len(unknowns)), (levers, 1, 1))
            for j, u in enumerate(unknowns):
                if u.kind == "share":
                    poly = c[:, names[f"demand:{u.index}"], :]
                    demand = (poly * value).sum(axis=1)
                    ddemand = np.einsum("lm,lmp->lp", poly, grad)
                    cap = caps[:, u.index]
                else:
                    demand, ddemand = hours_needed(u.index, value, grad)
                    cap = hrs[:, u.index] if hrs is not None else np.full(levers, np.inf)
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.where(demand > 0, cap / demand, np.inf)
                binding = ratio < 1.0
                target = np.where(binding, ratio, 1.0)
                residual[:, j] = base_value[j] + delta[:, j] - target
                slope = np.where(
                    binding[:, None], cap[:, None] / demand[:, None] ** 2 * ddemand, 0.0
                )
                jacobian[:, j, :] += np.nan_to_num(slope)
            if np.max(np.abs(residual), initial=0.0) < 1e-15:
                break
            step = np.linalg.solve(jacobian, -residual[:, :, None])[:, :, 0]
            delta = delta + step
            delta = np.clip(delta + base_value, 0.0, 1.0) - base_value
        value, _ = series.monomials(delta)
        won = (c[:, names["won"], :] * value).sum(axis=1)
        revenue = (c[:, names["revenue"], :] * value).sum(axis=1)
        ok = np.abs(residual).max(axis=1, initial=0.0) < 1e-11
        for name in ("won", "revenue"):
            poly = c[:, names[name], :]
            tail = np.abs((poly[:, series.top] * value[:, series.top]).sum(axis=1))
            scale = np.abs((poly * value).sum(axis=1)) + 1e-300
            if series.degree:
                ok &= tail <= TRUNCATION * np.maximum(scale, np.abs(poly[:, 0]))
        fixed = {u.index for u in unknowns if u.kind == "share"}
        for k, cap in enumerate(self.capacities):  # a limit far from binding must stay so
            if np.isfinite(cap) and k not in fixed:
                demand = (c[:, names[f"demand:{k}"], :] * value).sum(axis=1)
                ok &= demand <= caps[:, k] * (1 + 1e-12)
        paced = {u.index for u in unknowns if u.kind == "given"}
        cadence = self.net.cadence
        if cadence is not None and hrs is not None:
            for t in sorted(set(cadence.team[cadence.nodes].tolist()) - paced):
                needed, _ = hours_needed(t, value, np.zeros(value.shape + (len(unknowns),)))
                ok &= needed <= hrs[:, t] * (1 + 1e-12)
        return [
            (float(w), float(r)) if good else None
            for w, r, good in zip(won, revenue, ok, strict=True)
        ]
