"""The unknowns of the capacity-aware fixed point, the multipliers' and the arrivals' Taylor
series in them, and the fixed point solved lever by lever on those series (the parts of
:class:`models.simulation.rankone.Levers` that work on series; see that module's docstring)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from .network import Network

TRUNCATION = 1e-13
NEWTON_STEPS = 30


@dataclass
class Unknown:
    kind: str  # "share" (a resource's f) or "given" (a cadence team's g)
    index: int  # resource index or team index
    value: float  # at the base


@dataclass
class Series:
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


def degree_for(count: int) -> int:
    return {0: 0, 1: 10, 2: 7, 3: 5, 4: 4}.get(count, 3)


class SeriesMixin:
    """The series and the fixed point of :class:`~models.simulation.rankone.Levers`, which
    sets these attributes."""

    net: Network
    series: Series
    unknowns: list[Unknown]
    member_of: dict[int, list[int]]
    f0: np.ndarray
    g0: np.ndarray
    coeffs: np.ndarray
    capacity_part: np.ndarray
    capacities: np.ndarray
    hours: np.ndarray | None
    cmat: csr_matrix
    lu: Any  # scipy's SuperLU of the chain's matrix
    names: list[str]

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
