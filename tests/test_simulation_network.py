"""The compiled network: read from the map's lists once, the same arrays networkx gave."""

from __future__ import annotations

import numpy as np
import pytest

from models.document import Edge, Node, Process
from models.generate import generate_funnel
from models.graph import process_graph
from models.simulation.network import compile_network, edge_prefix
from models.templates import load_template, template_names


def reference(doc, process_id):
    """The arrays as the networkx graph gives them (the compile of before, kept as the oracle)."""
    graph = process_graph(doc, process_id)
    ids = list(graph)
    index = {node_id: i for i, node_id in enumerate(ids)}
    kind = [graph.nodes[g]["kind"] for g in ids]
    rows = []
    for u, v, data in graph.edges(data=True):
        if kind[index[u]] in ("won", "lost"):
            continue
        for edge in data["edges"]:
            rows.append(
                (
                    index[u],
                    index[v],
                    edge.conversion or 0.0,
                    edge.delay_days or 0.0,
                    edge_prefix(u, edge.source) + edge.id,
                    edge.id,
                    edge.kind,
                )
            )
    return ids, kind, [graph.nodes[g]["origin"] for g in ids], rows


def nested_map():
    """A funnel opening a sub-process twice, which opens another, with parallel edges."""
    doc = generate_funnel(30, 45, seed=3)
    funnel = doc.processes[0].id
    doc.processes += [
        Process(id="trial", name="Trial", kind="subprocess"),
        Process(id="setup", name="Setup", kind="subprocess"),
    ]
    doc.nodes += [
        Node(id="t-in", process="trial", kind="entry"),
        Node(id="t-setup", process="trial", kind="subprocess", subprocess="setup"),
        Node(id="t-ok", process="trial", kind="won"),
        Node(id="t-no", process="trial", kind="lost"),
        Node(id="s-in", process="setup", kind="entry"),
        Node(id="s-done", process="setup", kind="won"),
        Node(id="sp1", process=funnel, kind="subprocess", subprocess="trial"),
        Node(id="sp2", process=funnel, kind="subprocess", subprocess="trial"),
    ]
    doc.edges += [
        Edge(id="ts1", source="t-in", target="t-setup", conversion=0.8),
        Edge(id="ts2", source="t-setup", target="t-ok", conversion=0.5),
        Edge(id="ts3", source="t-setup", target="t-no", conversion=0.5),
        Edge(id="ss1", source="s-in", target="s-done", conversion=0.9),
        Edge(id="in1", source="n3", target="sp1", conversion=0.1),
        Edge(id="in2", source="n4", target="sp2", conversion=0.1),
        Edge(id="out1", source="sp1", target="n10", conversion=0.7),
        Edge(id="out1b", source="sp1", target="n10", kind="recycle", conversion=0.1),
        Edge(id="out2", source="sp2", target=doc.nodes[28].id, conversion=0.6),
    ]
    return doc, funnel


CASES = [(name, None) for name in template_names()] + [("nested", None), ("generated", None)]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_compiled_arrays_equal_the_graph_walk(name):
    if name == "nested":
        doc, funnel = nested_map()
        processes = [funnel]
    elif name == "generated":
        doc = generate_funnel(300, 500, seed=7, recycle_share=0.1)
        processes = [doc.processes[0].id]
    else:
        doc = load_template(name)
        processes = [p.id for p in doc.processes]
    for process in processes:
        net = compile_network(doc, process)
        ids, kind, origin, rows = reference(doc, process)
        assert net.ids == ids and net.kind == kind and net.origin == origin
        got = list(
            zip(
                net.src.tolist(),
                net.dst.tolist(),
                net.conv.tolist(),
                net.delay.tolist(),
                net.edge_ids,
                net.edge_base,
                net.edge_kind,
                strict=True,
            )
        )
        assert got == rows
        assert net.won.tolist() == [k == "won" for k in kind]
        assert np.all(net.volume[~net.entry] == 0)


MUTATIONS = ("none", "missing", "over", "trap", "self-loop", "trap-through-subprocess", "cross")


def mutated(seed: int, mutation: str):
    """A generated funnel (with a sub-process) carrying one defect a run must refuse."""
    doc, funnel = nested_map() if seed % 2 else (generate_funnel(40, 70, seed=seed), None)
    funnel = funnel or doc.processes[0].id
    steps = [n.id for n in doc.nodes if n.process == funnel and n.kind == "action"]
    a, b = steps[seed % len(steps)], steps[(seed * 7 + 3) % len(steps)]
    if mutation == "missing":
        doc.edges[seed % len(doc.edges)].conversion = None
    elif mutation == "over":
        doc.edges[seed % len(doc.edges)].conversion = 1.0
        doc.edges.append(
            Edge(
                id="extra",
                source=doc.edges[seed % len(doc.edges)].source,
                target=doc.nodes[-1].id if doc.nodes[-1].process == funnel else a,
                kind="recycle",
                conversion=0.5,
            )
        )
    elif mutation == "trap":
        doc.nodes += [Node(id="t1", process=funnel), Node(id="t2", process=funnel)]
        doc.edges += [
            Edge(id="in-t", source=a, target="t1", conversion=0.0),
            Edge(id="t12", source="t1", target="t2", conversion=0.5),
            Edge(id="t21", source="t2", target="t1", conversion=0.5),
        ]
    elif mutation == "self-loop":
        doc.nodes.append(Node(id="t1", process=funnel))
        doc.edges += [
            Edge(id="in-t", source=a, target="t1", conversion=0.0),
            Edge(id="t11", source="t1", target="t1", conversion=0.5),
        ]
    elif mutation == "trap-through-subprocess" and seed % 2:
        # a loop through an expanded sub-process: a trap in the funnel's own graph
        doc.nodes.append(Node(id="t1", process=funnel))
        doc.edges += [
            Edge(id="in-t", source=a, target="t1", conversion=0.0),
            Edge(id="t-sp", source="t1", target="sp1", conversion=0.5),
        ]
        doc.edges = [e for e in doc.edges if e.source != "sp1"]
        doc.edges.append(Edge(id="sp-t", source="sp1", target="t1", conversion=0.5))
    elif mutation == "cross":
        other = doc.nodes[-1] if doc.nodes[-1].process != funnel else None
        if other is not None:
            doc.edges.append(Edge(id="cross", source=b, target=other.id, conversion=0.0))
    return doc, funnel


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("seed", range(8))
def test_a_clean_compile_never_skips_a_refusal(seed, mutation):
    """A run skips the blocking analysis only when compiling saw nothing to refuse: whenever the
    analysis would block (or an edge leaves an outcome), the network is not clean."""
    from models.simulation.prepare import blocking_findings

    doc, funnel = mutated(seed, mutation)
    net = compile_network(doc, funnel)
    blocked = blocking_findings(doc, funnel)
    if blocked:
        assert not net.clean, [f.code for f in blocked]
    if mutation == "none":
        assert net.clean and not blocked


def test_a_clean_map_runs_without_the_blocking_analysis(monkeypatch):
    """The analysis's blocking checks run only when compiling saw something to refuse: a clean
    map goes straight to the solve; a broken one is still refused with the analysis's words."""
    from models.simulation import SimulationError, expected_flow, prepare

    calls = []
    real = prepare.blocking_findings
    monkeypatch.setattr(prepare, "blocking_findings", lambda *a: calls.append(a) or real(*a))
    doc = load_template("plugged-funnel")
    assert expected_flow(doc).won == pytest.approx(2.0)
    assert calls == []
    doc.edge("funnel-e3").conversion = None
    with pytest.raises(SimulationError, match="no conversion rate"):
        expected_flow(doc)
    assert len(calls) == 1
