"""The process graph used by analysis and simulation."""

from __future__ import annotations

from models import Edge, Node, Process
from models.graph import PASS, flow_view, process_graph


def test_graph_has_business_data_and_no_coordinates(small_map):
    small_map.layout.nodes["web"] = (10.0, 20.0)
    graph = process_graph(small_map, "funnel")
    assert set(graph) == {"web", "call", "fit", "won", "lost"}
    assert graph.edges["fit", "won"]["conversion"] == 0.3
    assert graph.nodes["web"]["kind"] == "entry"
    assert all("pos" not in data for _, data in graph.nodes(data=True))


def test_addresses_edges_are_left_out_unless_asked(small_map):
    small_map.nodes.append(
        Node(id="step", process="funnel", kind="buyer_step", label="Compare vendors")
    )
    small_map.edges.append(Edge(id="a1", source="call", target="step", kind="addresses"))
    assert not process_graph(small_map, "funnel").has_edge("call", "step")
    graph = process_graph(small_map, "funnel", include_addresses=True)
    assert graph.has_edge("call", "step")
    assert not flow_view(graph).has_edge("call", "step")


def test_subprocess_is_expanded_between_its_entry_and_wins(small_map):
    small_map.processes.append(Process(id="trial", name="Free trial", kind="subprocess"))
    small_map.nodes += [
        Node(id="t-start", process="trial", kind="entry", label="Start trial"),
        Node(id="t-use", process="trial", kind="buyer_step", label="Use product"),
        Node(id="t-ok", process="trial", kind="won", label="Trial works"),
        Node(id="t-no", process="trial", kind="lost", label="Gives up"),
        Node(id="sub", process="funnel", kind="subprocess", label="Free trial", subprocess="trial"),
    ]
    small_map.edges += [
        Edge(id="t1", source="t-start", target="t-use", conversion=0.8),
        Edge(id="t2", source="t-use", target="t-ok", conversion=0.5),
        Edge(id="t3", source="t-use", target="t-no", conversion=0.5),
    ]
    small_map.edges[1] = Edge(id="e2", source="call", target="sub", conversion=0.5)
    small_map.edges.append(Edge(id="e5", source="sub", target="fit", conversion=0.9))
    graph = process_graph(small_map, "funnel")
    assert "sub" not in graph
    assert graph.has_edge("call", "sub/t-start")
    assert graph.edges["sub/t-ok", "fit"]["conversion"] == 0.9
    assert graph.nodes["sub/t-start"]["kind"] == PASS and graph.nodes["sub/t-ok"]["kind"] == PASS
    assert graph.nodes["sub/t-no"]["kind"] == "lost"
    flat = process_graph(small_map, "funnel", expand=False)
    assert flat.has_edge("call", "sub") and flat.has_edge("sub", "fit")


def test_self_referencing_subprocess_stays_a_plain_node(small_map):
    small_map.nodes.append(
        Node(id="loop", process="funnel", kind="subprocess", subprocess="funnel")
    )
    small_map.edges.append(Edge(id="e9", source="call", target="loop", conversion=0.1))
    graph = process_graph(small_map, "funnel")
    assert graph.nodes["loop"]["kind"] == "subprocess"
