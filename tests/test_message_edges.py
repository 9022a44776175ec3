"""Message edges (BPMN's message flows between processes) carry no leads: a map that gains them
keeps every finding of the analysis and every figure of the simulation."""

from __future__ import annotations

import pytest
from group_map import with_messages

from models import Edge, JourneyMap
from models.analysis import analyze
from models.buying_group import group_layout
from models.connect import can_connect
from models.simulation import expected_flow, monte_carlo
from models.templates import load_template, template_names


def _findings(doc: JourneyMap) -> list:
    return analyze(doc)


@pytest.mark.parametrize(
    "name",
    template_names(),
)
def test_message_edges_change_no_finding(name):
    doc = load_template(name)
    messages = with_messages(doc)
    assert sum(e.kind == "message" for e in messages.edges) >= 4
    assert _findings(messages) == _findings(doc)


@pytest.mark.parametrize("name", template_names())
def test_message_edges_change_no_flow(name):
    doc = load_template(name)
    messages = with_messages(doc)
    assert expected_flow(messages) == expected_flow(doc)
    assert monte_carlo(messages, runs=20, periods=2, seed=3) == monte_carlo(
        doc, runs=20, periods=2, seed=3
    )


def test_message_edges_move_no_step_on_the_buying_group_page():
    """A step whose only connection is a message sits where one connected to nothing sits."""
    doc = load_template("enterprise")
    loose = [n for n in doc.nodes if not any(n.id in (e.source, e.target) for e in doc.edges)]
    assert loose  # the template has a step connected to nothing
    messages = doc.model_copy(deep=True)
    source, target = next(
        (a.id, b.id) for a in loose for b in doc.nodes if can_connect(doc, a.id, b.id, "message")
    )
    messages.edges.append(Edge(id="m", source=source, target=target, kind="message"))
    assert group_layout(messages).positions == group_layout(doc).positions
