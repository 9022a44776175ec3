"""Committee gates: a deal passes a gated funnel step only when every required role has cleared.

A purchase is made by a buying group (seed 003): the champion, the business buyer, IT, the
CFO each buy through a process of their own. A funnel step's ``gate`` names, per role, the
step of that role's process it must reach ("security review approved", "payback accepted").

**Exact model.** Each clearance reads its role's process as an absorbing chain: the journey
starts at the process's entries, weighted by their volumes when every entry has one and
equally otherwise, and clears on arriving at the cleared step (that step absorbs). With
``A = I - M`` (``M``: the role's conversions, the cleared step's own edges removed):

* the chance to clear is ``P = start . h`` with ``A h = e_step``;
* the expected days to clear, of the journeys that clear, are ``start . g / P`` with
  ``A g = c`` and ``c_i = sum_j M_ij (duration_i + delay_ij) h_j`` (as for days to close).

Roles are **independent** of each other: the gate's pass rate is the product of the roles'
chances. A lead reaching the gated step passes with that rate, or leaves there (a drop-off
at the gate); the step's own conversions apply to the leads that pass. The gate's wait is
the **slowest role's expected days** (max over roles of E[days | cleared]), added on top of
the step's own duration. That is a lower bound: the expected slowest of several random
times is at least the slowest expected time (E[max] >= max E), so days to close are on the
short side when roles take comparable times.

**Compiled.** :func:`compile_process` puts a node of kind ``"gate"`` in front of each gated
step (see :mod:`models.simulation.network`): edges into the step enter the gate, and one
edge row leads on with the pass rate as its conversion and the wait as the gate's duration.
Everything else (capacity, stages, SLAs, levers, goal seek) then works unchanged.

**Monte Carlo.** :func:`walk` draws each role's journey through its process, hop by hop,
with its conversions and whole-day delays (``round(duration + delay)``, as everywhere in the
Monte Carlo): each lead reaching a gate draws one journey per required role and passes, after
the slowest, only if every journey cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter

import numpy as np
from scipy.sparse import csc_matrix, identity
from scipy.sparse.linalg import splu

from models.committee import GateIndex
from models.document import Clearance, JourneyMap

from . import mc_plan
from .linear import solve, trapped
from .network import GATE, Gate, Network, RoleChain, compile_network, with_slas

_GATE = attrgetter("gate")
MAX_HOPS = 100_000  # a journey still going after this many hops counts as not cleared


def compile_process(doc: JourneyMap, process_id: str) -> Network:
    """:func:`~models.simulation.network.compile_network` with the process's committee gates."""
    net = compile_network(doc, process_id, slas=False)
    return with_slas(doc, with_gates(doc, net))


def role_chain(doc: JourneyMap, clearance: Clearance, index: GateIndex | None = None) -> RoleChain:
    """The role's process compiled as ``clearance`` reads it (see the module docstring).

    The clearance must resolve (:meth:`models.committee.GateIndex.resolve`); the simulation
    refuses to run otherwise.
    """
    index = index or GateIndex(doc)
    process_id = index.resolve(clearance)
    if process_id is None:
        raise ValueError(f"clearance {clearance!r} names no step of its role's process")
    net = compile_network(doc, process_id, slas=False)
    target = net.index.get(clearance.step, -1)
    if target < 0:  # the step is a sub-process, expanded: reaching it is reaching its first entry
        inner = [
            i
            for i, gid in enumerate(net.ids)
            if gid.startswith(clearance.step + "/")
            and "/" not in gid[len(clearance.step) + 1 :]
            and index.nodes.get(net.origin[i]) is not None
            and index.nodes[net.origin[i]].kind == "entry"
        ]
        target = inner[0] if inner else -1
    chain = RoleChain(
        clearance.role,
        index.role_name(clearance.role),
        process_id,
        index.processes[process_id].name,
        clearance.step,
        index.step_label(clearance.step),
        net,
        target,
        start_weights(net),
    )
    _, reached = trapped(net, _absorbing(chain, net.conv), chain.start)
    if reached.any():  # a loop whose conversions keep every journey: refused as in the funnel
        solve(net, _absorbing(chain, net.conv), chain.start)
    return chain


def _absorbing(chain: RoleChain, conv: np.ndarray) -> np.ndarray:
    """Conversions with the cleared step's own edges removed: reaching it ends the journey."""
    return np.where(chain.net.src == chain.target, 0.0, conv)


def start_weights(net: Network) -> np.ndarray:
    """Where a role's journey starts: its entries, by volume when every entry has one, else equally.

    >>> from models.document import JourneyMap, Node, Process
    >>> from models.simulation.network import compile_network
    >>> doc = JourneyMap(processes=[Process(id="p", name="P", kind="buyer")],
    ...     nodes=[Node(id="a", process="p", kind="entry", volume=30),
    ...            Node(id="b", process="p", kind="entry", volume=10)])
    >>> start_weights(compile_network(doc, "p")).tolist()
    [0.75, 0.25]
    >>> doc.node("b").volume = None
    >>> start_weights(compile_network(doc, "p")).tolist()
    [0.5, 0.5]
    """
    weights = np.zeros(net.size)
    entries = np.flatnonzero(net.entry)
    if entries.size == 0:
        return weights
    volumes = net.volume[entries]
    weights[entries] = volumes / volumes.sum() if (volumes > 0).all() else 1.0 / entries.size
    return weights


def clearing(chain: RoleChain, conv: np.ndarray | None = None) -> tuple[float, float | None]:
    """(chance to clear, expected days to clear when it clears) of a role chain, exactly.

    ``conv`` replaces the chain's conversions (a lever or a scenario's patch).
    """
    net = chain.net
    if chain.target < 0 or not chain.start.any():
        return 0.0, None
    conv = _absorbing(chain, net.conv if conv is None else conv)
    trap, _ = trapped(net, conv, chain.start)
    if trap.any():  # nodes that never leave never clear either: cut them out
        conv = np.where(trap[net.src] | trap[net.dst], 0.0, conv)
    n = net.size
    matrix = identity(n, format="csc") - csc_matrix((conv, (net.src, net.dst)), shape=(n, n))
    lu = splu(matrix.tocsc())
    goal = np.zeros(n)
    goal[chain.target] = 1.0
    reach = np.clip(lu.solve(goal), 0.0, 1.0)
    chance = float(min(1.0, chain.start @ reach))
    if chance <= 0.0:
        return 0.0, None
    hop = conv * (net.duration[net.src] + net.delay) * reach[net.dst]
    timed = lu.solve(np.bincount(net.src, weights=hop, minlength=n))
    return chance, max(0.0, float(chain.start @ timed) / chance)


def pass_rate(probabilities) -> float:
    """The gate's pass rate: every role clears, independently (the product of their chances)."""
    return float(np.prod(np.asarray(probabilities, dtype=float))) if len(probabilities) else 1.0


def wait_days(probabilities, days) -> float:
    """The gate's wait: the slowest role's expected days to clear (0 when some role never clears)."""
    if any(p <= 0 for p in probabilities):
        return 0.0
    return max((d or 0.0 for d in days), default=0.0)


def with_gates(doc: JourneyMap, net: Network) -> Network:
    """``net`` with a gate node in front of every step whose committee gate counts.

    The same ``net`` when it has none, so maps without gates compile exactly as before.
    """
    if not any(map(_GATE, doc.nodes)):
        return net
    index = GateIndex(doc)
    counted = {node.id: node for node in index.counted()}
    hosts = [i for i in range(net.size) if net.origin[i] in counted and not net.entry[i]]
    if not hosts:
        return net
    chains: list[RoleChain] = []
    chain_of: dict[tuple[str, str, str], int] = {}
    n = net.size
    gates: list[Gate] = []
    host_gate = np.full(n, -1, dtype=np.int64)
    for k, host in enumerate(hosts):
        host_gate[host] = n + k
    src, dst = net.src, host_gate[net.dst]
    dst = np.where(dst >= 0, dst, net.dst)  # every edge into a gated step enters its gate
    src_rows, dst_rows, conv_rows, delay_rows = [src], [dst], [net.conv], [net.delay]
    ids, labels, kinds, origins = list(net.ids), list(net.labels), list(net.kind), list(net.origin)
    stages, owners = list(net.stage), list(net.owner)
    durations = []
    edge_ids, edge_base, edge_kind = list(net.edge_ids), list(net.edge_base), list(net.edge_kind)
    for k, host in enumerate(hosts):
        node = counted[net.origin[host]]
        used = []
        for clearance in node.gate:
            key = (clearance.role, clearance.step, index.resolve(clearance) or "")
            if key not in chain_of:
                chain_of[key] = len(chains)
                chains.append(role_chain(doc, clearance, index))
            used.append(chain_of[key])
        measured = [clearing(chains[c]) for c in used]
        probabilities = tuple(p for p, _ in measured)
        days = tuple(d for _, d in measured)
        gate_id = f"{net.ids[host]}#{GATE}"
        row = len(edge_ids)
        gates.append(
            Gate(
                net.ids[host],
                net.labels[host],
                host,
                n + k,
                row,
                tuple(used),
                probabilities,
                days,
            )
        )
        ids.append(gate_id)
        labels.append(f"Committee gate on '{net.labels[host]}'")
        kinds.append(GATE)
        origins.append(f"{net.origin[host]}#{GATE}")
        stages.append(net.stage[host])
        owners.append(None)
        durations.append(wait_days(probabilities, days))
        src_rows.append(np.array([n + k]))
        dst_rows.append(np.array([host]))
        conv_rows.append(np.array([pass_rate(probabilities)]))
        delay_rows.append(np.zeros(1))
        edge_ids.append(gate_id)
        edge_base.append(gate_id)
        edge_kind.append(GATE)
    extra = np.zeros(len(hosts))
    none = np.zeros(len(hosts), dtype=bool)
    return replace(
        net,
        ids=ids,
        labels=labels,
        kind=kinds,
        origin=origins,
        stage=stages,
        owner=owners,
        volume=np.concatenate([net.volume, extra]),
        cost=np.concatenate([net.cost, extra]),
        duration=np.concatenate([net.duration, np.array(durations)]),
        deal_value=np.concatenate([net.deal_value, extra]),
        won=np.concatenate([net.won, none]),
        lost=np.concatenate([net.lost, none]),
        entry=np.concatenate([net.entry, none]),
        src=np.concatenate(src_rows).astype(np.int64),
        dst=np.concatenate(dst_rows).astype(np.int64),
        conv=np.concatenate(conv_rows).astype(float),
        delay=np.concatenate(delay_rows).astype(float),
        edge_ids=edge_ids,
        edge_base=edge_base,
        edge_kind=edge_kind,
        gates=tuple(gates),
        chains=tuple(chains),
    )


def gate_conv(net: Network, chain_conv: dict[int, np.ndarray], conv: np.ndarray) -> np.ndarray:
    """``conv`` with each gate's pass rate recomputed from patched role conversions.

    ``chain_conv`` maps a chain's index to its patched conversions; gates that read none of
    them keep their rate.
    """
    conv = conv.copy()
    for gate in net.gates:
        if not any(c in chain_conv for c in gate.chains):
            continue
        probabilities = [
            clearing(net.chains[c], chain_conv[c])[0] if c in chain_conv else p
            for c, p in zip(gate.chains, gate.probabilities, strict=True)
        ]
        conv[gate.edge] = pass_rate(probabilities)
    return conv


# --- the Monte Carlo's journeys ---------------------------------------------------------------


@dataclass(frozen=True)
class Walker:
    """A role chain ready for drawing journeys: cumulative split per node, targets and lags."""

    cum: np.ndarray  # nodes x K cumulative conversions (inf past a node's last edge)
    dest: np.ndarray  # nodes x K target index
    lag: np.ndarray  # nodes x K whole days
    stop: np.ndarray  # bool per node: an outcome or the cleared step
    target: int
    starts: np.ndarray  # entry indices
    start_cum: np.ndarray  # their cumulative weights


def walker(chain: RoleChain) -> Walker:
    net = chain.net
    n = net.size
    lag = mc_plan.lags(net)
    degree = np.bincount(net.src, minlength=n)
    width = max(1, int(degree.max()) if degree.size else 1)
    cum = np.full((n, width), np.inf)
    dest = np.zeros((n, width), dtype=np.int64)
    lags = np.zeros((n, width), dtype=np.int64)
    total = np.zeros(n)
    slot = np.zeros(n, dtype=np.int64)
    for e in np.argsort(net.src, kind="stable").tolist():
        i = int(net.src[e])
        total[i] += net.conv[e]
        cum[i, slot[i]] = total[i]
        dest[i, slot[i]] = net.dst[e]
        lags[i, slot[i]] = lag[e]
        slot[i] += 1
    stop = net.outcome.copy()
    if chain.target >= 0:
        stop[chain.target] = True
    trap, _ = trapped(net, _absorbing(chain, net.conv), chain.start)
    stop |= trap  # a journey there never clears (no lead reaches one: runs refuse that)
    starts = np.flatnonzero(chain.start > 0)
    return Walker(
        cum,
        dest,
        lags,
        stop,
        chain.target,
        starts,
        np.cumsum(chain.start[starts]) if starts.size else np.zeros(0),
    )


def walk(w: Walker, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` journeys of one role: (cleared, whole days to clear) per journey.

    Each journey starts at an entry (drawn by the chain's weights) and moves hop by hop: at
    each node one uniform draw picks an edge by its conversion, or the journey leaves (the
    share no edge takes); each hop takes its whole-day lag.
    """
    if count == 0 or w.target < 0 or w.starts.size == 0:
        return np.zeros(count, dtype=bool), np.zeros(count, dtype=np.int64)
    pick = np.minimum(
        np.searchsorted(w.start_cum, rng.random(count) * w.start_cum[-1], side="right"),
        w.starts.size - 1,
    )
    pos = w.starts[pick]
    days = np.zeros(count, dtype=np.int64)
    alive = np.flatnonzero(~w.stop[pos])
    for _ in range(MAX_HOPS):
        if alive.size == 0:
            break
        here = pos[alive]
        u = rng.random(alive.size)
        k = (u[:, None] >= w.cum[here]).sum(axis=1)
        moves = k < w.cum.shape[1]
        moves[moves] = np.isfinite(w.cum[here[moves], k[moves]])
        gone = alive[~moves]
        pos[gone] = -1
        alive, here, k = alive[moves], here[moves], k[moves]
        pos[alive] = w.dest[here, k]
        days[alive] += w.lag[here, k]
        alive = alive[~w.stop[pos[alive]]]
    else:
        pos[alive] = -1
    return pos == w.target, days
