"""Shared fixtures. Domain tests use no Qt (pytest-qt is loaded but never touched by them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def small_map():
    """An entry, an action with an owner, a decision, won and lost: a tiny complete funnel."""
    from models.document import Edge, JourneyMap, Node, Process, Stage, Team

    return JourneyMap(
        name="Small funnel",
        teams=[Team(id="sdr", name="SDR", function="sdr", headcount=2, capacity=300)],
        stages=[Stage(id="mql", name="MQL", definition="Scored 50+")],
        processes=[Process(id="funnel", name="Funnel", kind="funnel")],
        nodes=[
            Node(id="web", process="funnel", kind="entry", label="Website", volume=1000, cost=20),
            Node(
                id="call",
                process="funnel",
                kind="action",
                label="Discovery call",
                owner="sdr",
                stage="mql",
                call_to_action="Book a demo",
                technology=["CRM"],
            ),
            Node(id="fit", process="funnel", kind="decision", label="Good fit?"),
            Node(id="won", process="funnel", kind="won", label="Customer", deal_value=20000),
            Node(id="lost", process="funnel", kind="lost", label="Disqualified"),
        ],
        edges=[
            Edge(id="e1", source="web", target="call", conversion=0.1, delay_days=2),
            Edge(id="e2", source="call", target="fit", conversion=0.5),
            Edge(id="e3", source="fit", target="won", conversion=0.3, delay_days=30),
            Edge(id="e4", source="fit", target="lost", conversion=0.7),
        ],
    )
