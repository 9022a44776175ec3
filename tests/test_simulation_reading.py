"""Reading the map for a run: what the compile reads (and may skip) and the solve it picks.

The compile reads each field of the map's lists once and skips a field no node or edge was given
(pydantic's fields set); a chain whose edges all go one way in node order is solved with two
triangular solves instead of an LU. These tests pin what a user relies on through both shortcuts.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from models.document import Edge, JourneyMap, Node, Process, Team
from models.generate import generate_funnel
from models.simulation import expected_flow
from models.simulation.network import compile_network
from models.vocabulary import CARRIES_LEADS, EDGE_KINDS


def small_map(**extra) -> JourneyMap:
    """Entry -> a -> b -> won in one process (a and b drop the rest)."""
    return JourneyMap(
        name="Small",
        processes=[Process(id="p", name="P")],
        teams=[Team(id="sales", name="Sales", headcount=1, capacity=500)],
        nodes=[
            Node(id="in", process="p", kind="entry", volume=1000.0),
            Node(id="a", process="p", label="A", **extra.get("a", {})),
            Node(id="b", process="p", label="B"),
            Node(id="won", process="p", kind="won", deal_value=100.0),
        ],
        edges=[
            Edge(id="e1", source="in", target="a", conversion=0.5),
            Edge(id="e2", source="a", target="b", conversion=0.4, **extra.get("e2", {})),
            Edge(id="e3", source="b", target="won", conversion=0.5),
        ],
    )


@pytest.mark.parametrize("kind", sorted(set(EDGE_KINDS) - CARRIES_LEADS))
def test_an_edge_of_a_kind_that_carries_no_leads_moves_none(kind):
    """An addresses or message edge between two steps takes no leads, whatever its conversion,
    also when it is the only edge of the map whose kind was given."""
    doc = small_map()
    doc.edges.append(Edge(id="x", source="a", target="won", kind=kind, conversion=0.5))
    net = compile_network(doc, "p")
    assert "x" not in net.edge_ids and len(net.edge_ids) == 3
    flow = expected_flow(doc)
    assert flow.won == pytest.approx(1000 * 0.5 * 0.4 * 0.5)
    assert "x" not in flow.edges


def test_fields_assigned_after_construction_are_read():
    """A cost, duration, owner, capacity or delay set on an item after it was made (or by a copy
    with an update) counts exactly as one given when it was made."""
    given = small_map(
        a={"cost": 2.0, "duration_days": 3.0, "owner": "sales", "capacity": 100.0},
        e2={"delay_days": 4.0},
    )
    assigned = small_map()
    a = assigned.node("a")
    a.cost, a.duration_days, a.owner = 2.0, 3.0, "sales"
    assigned.nodes[1] = a.model_copy(update={"capacity": 100.0})
    assigned.edge("e2").delay_days = 4.0
    plain = expected_flow(small_map())
    for doc in (given, assigned):
        net = compile_network(doc, "p")
        assert net.cost.tolist() == [0.0, 2.0, 0.0, 0.0]
        assert net.duration.tolist() == [0.0, 3.0, 0.0, 0.0]
        assert net.delay.tolist() == [0.0, 4.0, 0.0]
        assert net.owner == [None, "sales", None, None]
        assert [t.id for t in net.teams] == ["sales"]
        assert [r.id for r in net.node_limits] == ["a"]
        flow = expected_flow(doc)
        assert flow.cost == pytest.approx(2.0 * 500)
        assert flow.days_to_close == pytest.approx(plain.days_to_close + 3.0 + 4.0)
        assert flow.bottleneck is not None and flow.bottleneck.kind == "capacity"


def reordered(doc: JourneyMap, order: list[int]) -> JourneyMap:
    return doc.model_copy(update={"nodes": [doc.nodes[i] for i in order]})


@pytest.mark.parametrize("seed", range(4))
def test_the_flow_is_the_same_whatever_order_the_steps_are_listed_in(seed):
    """Steps listed in funnel order (every edge forward: triangular solves), in reverse (every
    edge backward) or shuffled (one sparse LU) give the same flow to the last digits."""
    doc = generate_funnel(60, 90, seed=seed, thin_spine=True)
    n = len(doc.nodes)
    net = compile_network(doc, doc.processes[0].id)
    assert (net.src < net.dst).all()  # the generated funnel lists its steps in order
    shuffled = list(range(n))
    random.Random(seed).shuffle(shuffled)
    flows = [expected_flow(reordered(doc, o)) for o in (range(n), range(n - 1, -1, -1), shuffled)]
    assert (compile_network(reordered(doc, shuffled), doc.processes[0].id).src > 0).any()
    base = flows[0]
    for other in flows[1:]:
        assert other.won == pytest.approx(base.won, rel=1e-12)
        assert other.days_to_close == pytest.approx(base.days_to_close, rel=1e-12)
        assert other.cost == pytest.approx(base.cost, rel=1e-12)
        for node_id, node in base.nodes.items():
            assert other.nodes[node_id].arrivals == pytest.approx(node.arrivals, rel=1e-12)
            assert other.win_chance[node_id] == pytest.approx(
                base.win_chance[node_id], rel=1e-12, abs=1e-15
            )
        assert dict(other.edges) == pytest.approx(dict(base.edges), rel=1e-12)
    assert np.isfinite(base.won) and base.won > 0


@pytest.mark.parametrize("backward", [False, True])
def test_triangular_solves_agree_with_the_lu(backward):
    """Random forward (or backward) edge rows, with parallel edges and rows not sorted by source:
    the triangular solves give what one sparse LU of the same matrix gives."""
    from models.simulation.linear import both_ways, chain_matrix, factor

    rng = np.random.default_rng(7)
    for trial in range(150):
        n = int(rng.integers(1, 40))
        a, b = rng.integers(0, n, 80), rng.integers(0, n, 80)
        keep = a > b if backward else a < b
        a, b = a[keep], b[keep]
        if trial % 3:
            order = np.argsort(a, kind="stable")
            a, b = a[order], b[order]
        conv = rng.random(a.size) / 4
        volume, won = rng.random(n), rng.random(n) < 0.3
        x, h = both_ways(n, a, b, conv, volume, won)
        lu = factor(chain_matrix(n, a, b, conv), a, b)
        assert x == pytest.approx(lu.solve(volume, trans="T"), rel=1e-12, abs=1e-14)
        assert h == pytest.approx(lu.solve(won.astype(float)), rel=1e-12, abs=1e-14)
