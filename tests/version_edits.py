"""Edits two people make to one map, generated (hypothesis) for the diff and merge tests.

Each edit is one a person makes in the editor and leaves a map that loads: a label or a
conversion changed, a step added with the connection to it, a connection or a step removed,
a step moved, a scenario override set. Ids of new items carry the side's name, as the
editor's random ids keep two people's additions apart.
"""

from __future__ import annotations

from hypothesis import strategies as st

from models.document import Edge, JourneyMap, Node

LABELS = st.sampled_from(["Demo", "Call back", "Webinar", "Trial day 3", "ROI review", ""])
RATES = st.sampled_from([0.05, 0.1, 0.25, 0.5, 0.9])
SPOTS = st.tuples(
    st.integers(0, 8).map(lambda i: i * 230.0), st.integers(0, 4).map(lambda i: i * 120.0)
)


def apply_edit(doc: JourneyMap, edit: tuple, side: str, count: int) -> None:
    """Apply one generated edit to ``doc`` in place (skipped when it does not apply)."""
    kind, pick, value = edit
    nodes, edges = doc.nodes, doc.edges
    if kind == "label" and nodes:
        node = nodes[pick % len(nodes)]
        nodes[nodes.index(node)] = node.model_copy(update={"label": value})
    elif kind == "conversion" and edges:
        edge = edges[pick % len(edges)]
        if edge.kind != "addresses":
            edges[edges.index(edge)] = edge.model_copy(update={"conversion": value})
    elif kind == "add_step" and doc.processes:
        process = doc.processes[pick % len(doc.processes)].id
        sources = [n for n in doc.nodes_of(process) if n.kind not in ("won", "lost")]
        step = Node(id=f"node-{side}{count}", process=process, label=f"{side} step {count}")
        nodes.append(step)
        if sources:
            source = sources[pick % len(sources)]
            edges.append(Edge(id=f"edge-{side}{count}", source=source.id, target=step.id))
        doc.layout.nodes[step.id] = value
    elif kind == "remove_edge" and edges:
        edges.pop(pick % len(edges))
    elif kind == "remove_step" and nodes:
        gone = nodes.pop(pick % len(nodes)).id
        doc.edges = [e for e in edges if gone not in (e.source, e.target)]
        doc.layout.nodes.pop(gone, None)
        doc.layout.group.pop(gone, None)
        for scenario in doc.scenarios:
            for overrides in (scenario.entry_volume, scenario.deal_value, scenario.cost):
                overrides.pop(gone, None)
        kept = {e.id for e in doc.edges}
        for scenario in doc.scenarios:
            for overrides in (scenario.conversion, scenario.delay_days):
                for key in [k for k in overrides if k not in kept]:
                    del overrides[key]
    elif kind == "move" and nodes:
        doc.layout.nodes[nodes[pick % len(nodes)].id] = value
    elif kind == "override" and doc.scenarios and edges:
        edge = edges[pick % len(edges)]
        doc.scenarios[0].conversion[edge.id] = 0.5


EDITS = st.one_of(
    st.tuples(st.just("label"), st.integers(0, 99), LABELS),
    st.tuples(st.just("conversion"), st.integers(0, 99), RATES),
    st.tuples(st.just("add_step"), st.integers(0, 99), SPOTS),
    st.tuples(st.just("remove_edge"), st.integers(0, 99), st.none()),
    st.tuples(st.just("remove_step"), st.integers(0, 99), st.none()),
    st.tuples(st.just("move"), st.integers(0, 99), SPOTS),
    st.tuples(st.just("override"), st.integers(0, 99), st.none()),
)


def edited(base: JourneyMap, edits: list[tuple], side: str) -> JourneyMap:
    """A deep copy of ``base`` with ``edits`` applied in turn."""
    doc = base.model_copy(deep=True)
    for count, edit in enumerate(edits):
        apply_edit(doc, edit, side, count)
    return doc
