"""Leads per period reaching each step: the entries' volumes pushed along the conversions.

The same expected flow the simulation computes for the process it runs (``journeymap simulate``:
"Teams (leads per period)"), for every process at once:

* each process that is not opened by a sub-process step starts from its own entries' volumes;
* a sub-process step is replaced by a copy of the process it opens: leads reaching it go to
  that process's first entry, and its won outcomes carry on along the step's connections (as
  :func:`models.graph.process_graph` expands it); a step's leads are summed over its copies;
* a committee gate on a funnel step lets through only the share of leads that every required
  role clears: each role's chance is its process's first arrivals at the cleared step, from
  its entries weighted by volume when every entry has one and equally otherwise (as
  :mod:`models.simulation.gates` reads it; a clearance that does not resolve counts as 1);
* an edge left without a conversion out of a step applying qualification criteria whose every
  question has its share takes the criteria's rate (:mod:`models.qualification`), as in the
  simulation; any other missing rate counts as 0; a flow leaving a won or lost outcome is ignored.

One sparse solve of ``(I - P^T) x = s`` (see :func:`_solve`). A map whose loops keep every lead
(a trap loop) has no finite answer: the result is empty and the trap-loop finding says why.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import MatrixRankWarning, spsolve, spsolve_triangular

from models.committee import GateIndex, gate_counts
from models.document import Clearance
from models.vocabulary import OUTCOME_KINDS

from .context import Context


def expected_arrivals(ctx: Context) -> dict[str, float]:
    """Leads per period arriving at each node (summed over its sub-process copies); computed
    once per analysis. Empty when no entry has a volume or the flow has no finite answer."""
    if ctx.arrivals is None:
        ctx.arrivals = _arrivals(ctx)
    return ctx.arrivals


def _arrivals(ctx: Context) -> dict[str, float]:
    doc = ctx.doc
    expands = any(
        n.kind == "subprocess" and n.subprocess in ctx.processes and n.subprocess != n.process
        for n in doc.nodes
    )
    gated = any(n.gate for n in doc.nodes)
    if not expands and not gated:
        return _plain(ctx)
    graph = _Expanded(ctx)
    opened = {n.subprocess for n in doc.nodes if n.kind == "subprocess" and n.subprocess}
    for process in doc.processes:
        graph.add_root(process.id, with_volume=process.id not in opened)
    if gated:
        rates = _pass_rates(ctx)
        if rates:
            for k, target in enumerate(graph.dst):
                rate = rates.get(graph.origin[target])
                if rate is not None:
                    graph.conv[k] *= rate
    x = _solve(len(graph.ids), graph.src, graph.dst, graph.conv, graph.volume)
    if x is None:
        return {}
    arrivals: dict[str, float] = {}
    for origin, leads in zip(graph.origin, x.tolist(), strict=True):
        arrivals[origin] = arrivals.get(origin, 0.0) + leads
    return arrivals


def _plain(ctx: Context) -> dict[str, float]:
    """No sub-process to expand and no gate: one solve over the map's own nodes."""
    nodes = ctx.doc.nodes
    index = {n.id: i for i, n in enumerate(nodes)}
    src: list[int] = []
    dst: list[int] = []
    conv: list[float] = []
    conversion = ctx.conversions
    for source, edges in ctx.flow_sources().items():
        i = index.get(source)
        if i is None or nodes[i].kind in OUTCOME_KINDS:
            continue  # leads that reach an outcome stay there
        for edge in edges:
            rate = conversion(edge)
            if rate:
                j = index.get(edge.target)
                if j is not None:
                    src.append(i)
                    dst.append(j)
                    conv.append(rate)
    volume = [(n.volume or 0.0) if n.kind == "entry" else 0.0 for n in nodes]
    x = _solve(len(nodes), src, dst, conv, volume)
    if x is None:
        return {}
    return dict(zip(index, x.tolist(), strict=True))


def _solve(n: int, src, dst, conv, volume) -> np.ndarray | None:
    """``x`` with ``x = s + P^T x`` (``P[i, j]``: the conversion from ``i`` to ``j``), or None.

    Steps are put in the order of their strongly connected components (every connection between
    two components then goes forward) and, inside one, in map order; the forward connections
    are one triangular solve, and the few that go back (recycling) are added round by round
    until nothing changes, as leads come round again. A map whose loops keep too many leads for
    that to settle quickly is solved directly (sparse LU). A direct solve of a 100,000-step map
    with nurture loops took 4 s; this takes under 0.1 s.
    """
    s = np.asarray(volume, dtype=float)
    if n == 0 or not s.any():
        return None
    src, dst, conv = (np.asarray(a) for a in (src, dst, conv))
    src, dst = src.astype(np.int64, copy=False), dst.astype(np.int64, copy=False)
    conv = conv.astype(float, copy=False)
    with np.errstate(all="ignore"):
        x = _by_components(n, src, dst, conv, s)
        if x is None:
            flow = csr_matrix((conv, (dst, src)), shape=(n, n))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", MatrixRankWarning)  # a trap loop: no answer
                    x = np.atleast_1d(spsolve((identity(n, format="csr") - flow).tocsc(), s))
            except RuntimeError:
                return None
    if not np.all(np.isfinite(x)) or (x < -1e-6).any():
        return None
    return x


ROUNDS = 60
"""Rounds of recycled leads added before the direct solve takes over (see :func:`_solve`)."""


def _by_components(n: int, src, dst, conv, s) -> np.ndarray | None:
    graph = csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="strong")
    order = np.lexsort((np.arange(n), -labels))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    a, b = position[src], position[dst]
    forward = a < b
    if not (labels[src] >= labels[dst]).all():  # components not numbered sinks first: no order
        return None
    lower = identity(n, format="csr") - csr_matrix(
        (conv[forward], (b[forward], a[forward])), shape=(n, n)
    )
    start = s[order]
    x = spsolve_triangular(lower, start, lower=True, unit_diagonal=True)
    if forward.all():
        return _unordered(x, order)
    back = csr_matrix((conv[~forward], (b[~forward], a[~forward])), shape=(n, n))
    change = np.inf
    for _ in range(ROUNDS):
        again = spsolve_triangular(lower, start + back @ x, lower=True, unit_diagonal=True)
        before, change = change, float(np.max(np.abs(again - x)))
        x = again
        if change <= 1e-12 * max(1.0, float(np.max(np.abs(x)))):
            return _unordered(x, order)
        if change > 0.9 * before:
            return None  # recycled leads barely fade (or grow): the direct solve says which
    return None


def _unordered(x: np.ndarray, order: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    out[order] = x
    return out


class _Expanded:
    """Processes as arrays, each sub-process step replaced by a copy of the process it opens."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ids: list[str] = []
        self.origin: list[str] = []
        self.index: dict[str, int] = {}
        self.volume: list[float] = []
        self.src: list[int] = []
        self.dst: list[int] = []
        self.conv: list[float] = []

    def add_root(self, process_id: str, *, with_volume: bool) -> tuple[list[str], list[str]]:
        start = len(self.ids)
        entries, wins = self._add(process_id, "", (process_id,))
        if with_volume:
            for i in range(start, len(self.ids)):
                node = self.ctx.nodes[self.origin[i]]
                if node.kind == "entry" and self.ids[i] == node.id:
                    self.volume[i] = node.volume or 0.0
        return entries, wins

    def _add(self, process_id: str, prefix: str, stack: tuple[str, ...]):
        ctx = self.ctx
        conversion = ctx.conversions
        members = ctx.by_process.get(process_id, [])
        expanded: dict[str, tuple[list[str], list[str]]] = {}
        entries, wins = [], []
        for node in members:
            gid = prefix + node.id
            target = node.subprocess
            if (
                node.kind == "subprocess"
                and target is not None
                and target in ctx.processes
                and target not in stack
                and ctx.by_process.get(target)
            ):
                inner = self._add(target, gid + "/", (*stack, target))
                if inner[0]:
                    expanded[node.id] = inner
                    continue
            self.index[gid] = len(self.ids)
            self.ids.append(gid)
            self.origin.append(node.id)
            self.volume.append(0.0)
            if node.kind == "entry":
                entries.append(gid)
            elif node.kind == "won":
                wins.append(gid)
        for node in members:
            if node.kind in OUTCOME_KINDS:
                continue
            for edge in ctx.flow_out(node.id):
                target_node = ctx.nodes.get(edge.target)
                rate = conversion(edge)
                if not rate or target_node is None:
                    continue
                if target_node.process != process_id:
                    continue
                sources = expanded[node.id][1] if node.id in expanded else [prefix + node.id]
                target = (
                    expanded[edge.target][0][0] if edge.target in expanded else prefix + edge.target
                )
                for source in sources:
                    if source in self.index and target in self.index:
                        self.src.append(self.index[source])
                        self.dst.append(self.index[target])
                        self.conv.append(rate)
        return entries, wins


def _pass_rates(ctx: Context) -> dict[str, float]:
    """Each counted committee gate's pass rate: the product of its roles' chances to clear."""
    index = GateIndex(ctx.doc)
    rates: dict[str, float] = {}
    chances: dict[tuple[str, str], float] = {}
    for node in ctx.doc.nodes:
        if not node.gate or not gate_counts(node, ctx.processes.get(node.process)):
            continue
        rate = 1.0
        for clearance in node.gate:
            key = (clearance.role, clearance.step)
            if key not in chances:
                chances[key] = _chance(ctx, index, clearance)
            rate *= chances[key]
        rates[node.id] = rate
    return rates


def _chance(ctx: Context, index: GateIndex, clearance: Clearance) -> float:
    """The role's chance to clear its step: first arrivals there from its process's entries."""
    process_id = index.resolve(clearance)
    if process_id is None:
        return (
            1.0  # the gate cannot be read; gate-role-without-process or -step-outside-role say why
        )
    graph = _Expanded(ctx)
    entries, _ = graph.add_root(process_id, with_volume=False)
    target = graph.index.get(clearance.step)
    if target is None:  # a sub-process step, expanded: reaching it is reaching its first entry
        inner = [
            gid
            for gid in graph.ids
            if gid.startswith(clearance.step + "/")
            and "/" not in gid[len(clearance.step) + 1 :]
            and ctx.nodes[graph.origin[graph.index[gid]]].kind == "entry"
        ]
        if not inner:
            return 0.0
        target = graph.index[inner[0]]
    if not entries:
        return 0.0
    volumes = [ctx.nodes[graph.origin[graph.index[e]]].volume or 0.0 for e in entries]
    weights = (
        [v / sum(volumes) for v in volumes]
        if all(v > 0 for v in volumes)
        else [1.0 / len(entries)] * len(entries)
    )
    start = [0.0] * len(graph.ids)
    for gid, weight in zip(entries, weights, strict=True):
        start[graph.index[gid]] = weight
    keep = [k for k, s in enumerate(graph.src) if s != target]  # reaching the step ends the journey
    x = _solve(
        len(graph.ids),
        [graph.src[k] for k in keep],
        [graph.dst[k] for k in keep],
        [graph.conv[k] for k in keep],
        start,
    )
    return 1.0 if x is None else float(min(max(x[target], 0.0), 1.0))
