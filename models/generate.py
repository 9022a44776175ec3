"""Generated maps for benchmarks, property tests and demos.

>>> doc = generate_funnel(50, 80, seed=1)
>>> len(doc.nodes), len(doc.edges)
(50, 80)
"""

from __future__ import annotations

import random

from .document import Edge, JourneyMap, Layout, Node, Process, Stage, Team
from .vocabulary import EdgeKind, NodeKind

_KINDS_MIDDLE: tuple[NodeKind, ...] = ("action", "action", "buyer_step", "decision")


def generate_funnel(
    n_nodes: int,
    n_edges: int,
    *,
    seed: int = 0,
    layers: int | None = None,
    recycle_share: float = 0.0,
    process_id: str = "funnel",
    thin_spine: bool = False,
) -> JourneyMap:
    """A layered funnel of ``n_nodes`` nodes and about ``n_edges`` flow edges.

    Layer 0 holds the entries, the last layer a won and a lost outcome; a spine
    gives every other node an edge in and an edge out, then random edges are
    added up to ``n_edges`` (conversions leaving a node sum to at most 1). The
    spine takes about 2 edges a node and is cut at ``n_edges``, so with fewer
    edges the last layers are never reached (no deals). ``thin_spine=True``
    gives a node its edge out only when it has none yet (about 1.4 edges a node):
    with 1.5 edges a node, every node is then on a path from an entry to an
    outcome. With ``recycle_share`` > 0 some edges point back to an earlier layer as
    recycle edges (nurture loops). Nodes are laid out on a grid.

    >>> from models.simulation import expected_flow
    >>> expected_flow(generate_funnel(2000, 3000, seed=1)).won
    0.0
    >>> expected_flow(generate_funnel(2000, 3000, seed=1, thin_spine=True)).won > 0
    True
    """
    if n_nodes < 4:
        raise ValueError("a generated funnel needs at least 4 nodes")
    rng = random.Random(seed)
    layers = layers or max(3, int(n_nodes**0.5))
    teams = [
        Team(id="marketing", name="Marketing", function="marketing", headcount=4, capacity=2000),
        Team(id="sdr", name="SDR", function="sdr", headcount=6, capacity=300),
        Team(id="sales", name="Sales", function="sales", headcount=5, capacity=60),
    ]
    stages = [Stage(id=s, name=s.upper()) for s in ("lead", "mql", "sql", "opportunity")]
    doc = JourneyMap(
        name=f"Generated funnel ({n_nodes} nodes)",
        teams=teams,
        stages=stages,
        processes=[Process(id=process_id, name="Generated funnel", kind="funnel")],
    )
    n_entries = max(1, n_nodes // 20)
    middle = n_nodes - n_entries - 2
    per_layer: list[list[str]] = [[] for _ in range(layers)]
    nodes: list[Node] = []
    for i in range(n_entries):
        node = Node(
            id=f"n{i}",
            process=process_id,
            kind="entry",
            label=f"Source {i}",
            volume=float(rng.randint(100, 2000)),
            cost=float(rng.randint(5, 80)),
        )
        nodes.append(node)
        per_layer[0].append(node.id)
    for j in range(middle):
        i = n_entries + j
        layer = 1 + j * (layers - 2) // max(1, middle)
        layer = min(max(layer, 1), layers - 2)
        kind = _KINDS_MIDDLE[rng.randrange(len(_KINDS_MIDDLE))]
        team = teams[min(2, layer * 3 // layers)].id
        node = Node(
            id=f"n{i}",
            process=process_id,
            kind=kind,
            label=f"Step {i}",
            owner=team if kind == "action" else None,
            stage=stages[min(3, layer * 4 // layers)].id,
            call_to_action="Book a call" if kind == "action" else "",
            duration_days=float(rng.randint(0, 5)),
        )
        nodes.append(node)
        per_layer[layer].append(node.id)
    won = Node(
        id=f"n{n_nodes - 2}", process=process_id, kind="won", label="Won", deal_value=25000.0
    )
    lost = Node(id=f"n{n_nodes - 1}", process=process_id, kind="lost", label="Lost")
    nodes += [won, lost]
    per_layer[-1] += [won.id, lost.id]
    per_layer = [layer for layer in per_layer if layer]

    pairs: list[tuple[str, str, EdgeKind]] = []
    seen: set[tuple[str, str]] = set()

    def link(a: str, b: str, kind: EdgeKind = "flow") -> None:
        if (a, b) not in seen and a != b:
            seen.add((a, b))
            pairs.append((a, b, kind))

    # a spine: every node gets an edge in (from the previous layer) and an edge out (to the next)
    for k in range(len(per_layer) - 1):
        for node_id in per_layer[k + 1]:
            link(rng.choice(per_layer[k]), node_id)
        leaving = {a for a, _, _ in pairs} if thin_spine else set()
        for node_id in per_layer[k]:
            if node_id not in leaving:
                link(node_id, rng.choice(per_layer[k + 1]))
    flat = [(k, node_id) for k, layer in enumerate(per_layer[:-1]) for node_id in layer]
    attempts = 0
    while len(pairs) < n_edges and attempts < n_edges * 20:
        attempts += 1
        k, a = flat[rng.randrange(len(flat))]
        if recycle_share and k > 1 and rng.random() < recycle_share:
            back = rng.randrange(1, k)
            link(a, rng.choice(per_layer[back]), "recycle")
        else:
            ahead = min(len(per_layer) - 1, k + 1 + int(rng.random() < 0.2))
            link(a, rng.choice(per_layer[ahead]))
    pairs = pairs[:n_edges] if len(pairs) > n_edges else pairs

    out_count: dict[str, int] = {}
    for a, _, _ in pairs:
        out_count[a] = out_count.get(a, 0) + 1
    edges: list[Edge] = []
    for index, (a, b, edge_kind) in enumerate(pairs):
        share = rng.uniform(0.3, 0.9) / out_count[a]
        edges.append(
            Edge(
                id=f"e{index}",
                source=a,
                target=b,
                kind=edge_kind,
                conversion=round(share, 4),
                delay_days=float(rng.randint(0, 7)),
            )
        )
    doc.nodes = nodes
    doc.edges = edges
    positions: dict[str, tuple[float, float]] = {}
    for k, ids in enumerate(per_layer):
        for row, node_id in enumerate(ids):
            positions[node_id] = (k * 220.0, row * 110.0)
    doc.layout = Layout(nodes=positions)
    return doc


def generate_chain(
    n_nodes: int, *, conversion: float = 0.9, process_id: str = "chain"
) -> JourneyMap:
    """An entry, ``n_nodes - 2`` actions in a line, and a won outcome; lost is the drop-off.

    >>> len(generate_chain(10).edges)
    9
    """
    doc = JourneyMap(
        name=f"Chain ({n_nodes} nodes)", processes=[Process(id=process_id, name="Chain")]
    )
    doc.nodes = [Node(id="n0", process=process_id, kind="entry", label="Source", volume=1000.0)]
    doc.nodes += [
        Node(id=f"n{i}", process=process_id, kind="action", label=f"Step {i}")
        for i in range(1, n_nodes - 1)
    ]
    doc.nodes.append(
        Node(id=f"n{n_nodes - 1}", process=process_id, kind="won", label="Won", deal_value=1000.0)
    )
    doc.edges = [
        Edge(id=f"e{i}", source=f"n{i}", target=f"n{i + 1}", conversion=conversion)
        for i in range(n_nodes - 1)
    ]
    return doc


def generate_buying_group(
    n_roles: int = 10, n_steps: int = 2000, *, seed: int = 0, addresses: int | None = None
) -> JourneyMap:
    """A buying group of ``n_roles`` buyer roles' processes and a company funnel, ``n_steps``
    steps in all: half in the funnel, the rest shared by the roles (each a chain from an entry
    to a won outcome), with funnel actions addressing buyer steps across processes.

    >>> doc = generate_buying_group(3, 60, seed=1)
    >>> len(doc.nodes), len(doc.processes)
    (60, 4)
    >>> any(e.kind == "addresses" for e in doc.edges)
    True
    """
    from .document import BuyerRole

    rng = random.Random(seed)
    funnel_steps = max(4, n_steps // 2)
    doc = generate_funnel(funnel_steps, int(funnel_steps * 1.5), seed=seed)
    remaining = max(3 * n_roles, n_steps - funnel_steps)
    nodes, edges = list(doc.nodes), list(doc.edges)
    roles, processes = [], list(doc.processes)
    buyer_steps: list[str] = []
    for r in range(n_roles):
        size = remaining // n_roles + (remaining % n_roles if r == n_roles - 1 else 0)
        role, process = f"role{r}", f"role{r}-journey"
        roles.append(BuyerRole(id=role, name=f"Role {r}"))
        processes.append(Process(id=process, name=f"Role {r}'s process", kind="buyer", role=role))
        chain = [Node(id=f"r{r}s0", process=process, kind="entry", label=f"Role {r} starts")]
        chain += [
            Node(id=f"r{r}s{s}", process=process, kind="buyer_step", label=f"Role {r} step {s}")
            for s in range(1, size - 1)
        ]
        chain.append(Node(id=f"r{r}ok", process=process, kind="won", label=f"Role {r} clears"))
        nodes += chain
        for a, b in zip(chain, chain[1:], strict=False):
            edges.append(Edge(id=f"{a.id}-{b.id}", source=a.id, target=b.id, conversion=0.9))
        buyer_steps += [n.id for n in chain if n.kind == "buyer_step"]
    actions = [n.id for n in doc.nodes if n.kind == "action"]
    wanted = addresses if addresses is not None else min(len(actions), len(buyer_steps)) // 2
    served: set[tuple[str, str]] = set()
    for _ in range(wanted * 3):
        if len(served) >= wanted or not actions or not buyer_steps:
            break
        pair = (rng.choice(actions), rng.choice(buyer_steps))
        if pair not in served:
            served.add(pair)
            edges.append(
                Edge(id=f"serves{len(served)}", source=pair[0], target=pair[1], kind="addresses")
            )
    doc.roles, doc.processes, doc.nodes, doc.edges = roles, processes, nodes, edges
    return doc
