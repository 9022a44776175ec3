"""Message edges (BPMN's message flows between processes) carry no leads: a map that gains them
keeps every finding of the analysis and every figure of the simulation."""

from __future__ import annotations

import pytest

from models import Edge, JourneyMap
from models.analysis import analyze
from models.connect import can_connect
from models.simulation import expected_flow, monte_carlo
from models.templates import load_template, template_names


def with_messages(doc: JourneyMap, most: int = 12) -> JourneyMap:
    """``doc`` with message edges between steps of different processes, both ways, wherever
    the connection rules let one go (at most ``most``)."""
    out = doc.model_copy(deep=True)
    added = 0
    for source in doc.nodes:
        for target in doc.nodes:
            if added == most:
                return out
            if source.process != target.process and can_connect(
                out, source.id, target.id, "message"
            ):
                out.edges.append(
                    Edge(id=f"msg{added}", source=source.id, target=target.id, kind="message")
                )
                added += 1
    return out


def _findings(doc: JourneyMap) -> list:
    return analyze(doc)


_ANALYSIS_COUNTS_MESSAGES = pytest.mark.xfail(
    strict=True,
    reason="models/analysis/context.py indexes message edges in out_edges/in_edges, so an "
    "action whose only edge is a message is no longer an orphan-activity (owned by the "
    "analysis rewrite: skip kind 'message' there, then drop this mark)",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=_ANALYSIS_COUNTS_MESSAGES) if n == "enterprise" else n
        for n in template_names()
    ],
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
