"""Hostile-label fixture shared by every exporter test.

``hostile_map()`` returns a small but complete map whose every free-text field
carries characters that break naive exporters: quotes, backslashes (also a
trailing one), newlines, tab and CR, markup, spreadsheet formula triggers, XML
CDATA/comment terminators, Mermaid/DOT punctuation and non-ASCII text.
``HOSTILE_EXPORT_NAME`` is a file name that tries to escape its folder.

A correct exporter produces output that, re-parsed by an independent reader,
has exactly ``len(doc.nodes_of(p))`` nodes and ``len(doc.edges_of(p))`` edges.

>>> doc = hostile_map()
>>> len(doc.nodes), len(doc.edges)
(9, 10)
"""

from __future__ import annotations

from models.document import (
    BuyerRole,
    Edge,
    JourneyMap,
    Layout,
    Node,
    Process,
    Stage,
    Team,
)

HOSTILE_STRINGS: list[str] = [
    "He said \"hi\" & 'bye'",
    "back\\slash \\n not a newline",
    "trailing backslash\\",
    "two\nlines\r\nand CR\ralone",
    "tab\there",
    "<script>alert(1)</script>",
    "=cmd|' /c calc'!A1",
    "@SUM(1+1)",
    "+1",
    "-1",
    "]]> --> <!-- {} | [x] (y) ;",
    "end",
    "graph } subgraph { -> -- ",
    "Ünïcödé — 日本語 ✓ 🚀",
    "",
]
"""Every hostile string; exporters may assert each survives a round trip."""

HOSTILE_EXPORT_NAME = "../../x"
"""An export name that must never make a writer leave the chosen folder."""


def hostile(i: int) -> str:
    """The i-th hostile string, cycling through the list."""
    return HOSTILE_STRINGS[i % len(HOSTILE_STRINGS)]


def hostile_map() -> JourneyMap:
    """A map with one funnel process and one sub-process, every label hostile.

    Ids are valid ids but chosen to collide with reserved words of target
    formats (``end``, ``graph``, ``subgraph``, ``node``, ``style``).
    """
    nodes = [
        Node(
            id="graph",
            process="end",
            kind="entry",
            label=hostile(0),
            description=hostile(1),
            volume=1000,
            cost=5,
        ),
        Node(
            id="end",
            process="end",
            kind="buyer_step",
            label=hostile(2),
            role="subgraph",
            motivations=[hostile(6), hostile(7)],
            concerns=[hostile(8), hostile(9)],
        ),
        Node(
            id="node",
            process="end",
            kind="action",
            label=hostile(3),
            owner="style",
            stage="class",
            call_to_action=hostile(5),
            technology=[hostile(10)],
            description=hostile(4),
        ),
        Node(id="style", process="end", kind="decision", label=hostile(5)),
        Node(id="subgraph", process="end", kind="subprocess", label=hostile(6), subprocess="click"),
        Node(id="won", process="end", kind="won", label=hostile(10), deal_value=1000),
        Node(id="lost", process="end", kind="lost", label=hostile(13)),
        Node(id="a.b-c", process="click", kind="entry", label=hostile(11), volume=10),
        Node(id="_x", process="click", kind="action", label=hostile(12)),
    ]
    edges = [
        Edge(id="e1", source="graph", target="end", conversion=0.5, label=hostile(7)),
        Edge(id="e2", source="end", target="node", conversion=0.25, delay_days=3, label=hostile(2)),
        Edge(id="e3", source="node", target="style", conversion=1.0, label=hostile(3)),
        Edge(id="e4", source="style", target="subgraph", conversion=0.333, label=hostile(5)),
        Edge(id="e5", source="style", target="lost", conversion=0.667, label=hostile(10)),
        Edge(id="e6", source="subgraph", target="won", conversion=0.9, label=hostile(8)),
        Edge(
            id="e7",
            source="subgraph",
            target="node",
            kind="recycle",
            conversion=0.1,
            label=hostile(9),
        ),
        Edge(id="e8", source="node", target="end", kind="addresses", label=hostile(6)),
        Edge(id="e9", source="graph", target="lost", conversion=0.0, label=hostile(1)),
        Edge(id="e10", source="a.b-c", target="_x", conversion=0.75, label=hostile(13)),
    ]
    layout = Layout(
        nodes={
            "graph": (0.0, 0.0),
            "end": (180.0, 0.0),
            "node": (360.0, 0.0),
            "style": (540.0, 0.0),
            "subgraph": (720.0, -80.0),
            "won": (900.0, -80.0),
            "lost": (720.0, 80.0),
            "a.b-c": (0.0, 0.0),
            "_x": (200.0, 0.0),
        }
    )
    return JourneyMap(
        name=hostile(0) + " " + hostile(5),
        description=hostile(3),
        roles=[
            BuyerRole(
                id="subgraph",
                name=hostile(1),
                description=hostile(3),
                goals=[hostile(6)],
                concerns=[hostile(7)],
            )
        ],
        teams=[Team(id="style", name=hostile(2))],
        stages=[Stage(id="class", name=hostile(5), definition=hostile(6))],
        processes=[
            Process(id="end", name=hostile(4), kind="funnel", description=hostile(5)),
            Process(
                id="click", name=HOSTILE_EXPORT_NAME, kind="subprocess", description=hostile(10)
            ),
        ],
        nodes=nodes,
        edges=edges,
        layout=layout,
    )
