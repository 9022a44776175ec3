"""A small buying group for the export tests: two buyer roles' processes, the company funnel and
a sub-process, with company actions addressing buyer steps in other processes.

The links between processes cover every case the exports treat apart: an action serving a
buyer step (the usual one: a BPMN message flow), an action serving an entry, a decision and an
action serving an outcome (BPMN cannot draw those as message flows), and one link with a label
full of characters a format could choke on. One step was moved on the buying-group page.
"""

from __future__ import annotations

from models.connect import can_connect
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

NASTY = 'ROI "calc" <b>&amp;</b> \\ ; = -- end'


def buying_group_map() -> JourneyMap:
    """Four processes, 19 nodes, 15 edges in processes and 6 between them."""
    n = Node
    nodes = [
        # the company funnel
        n(id="web", process="funnel", kind="entry", label="Website", stage="lead", volume=500),
        n(id="nurture", process="funnel", label="Nurture emails", stage="mql", owner="mkt"),
        n(id="demo", process="funnel", label="Demo", stage="sql", owner="sales"),
        n(id="roi-call", process="funnel", label="ROI call", stage="sql", owner="sales"),
        n(id="fit", process="funnel", kind="decision", label="Good fit?", stage="sql"),
        n(id="won", process="funnel", kind="won", label="Customer", deal_value=30000),
        n(id="lost", process="funnel", kind="lost", label="Disqualified"),
        # the champion's purchase process
        n(id="c-start", process="champion", kind="entry", label="Needs a tool", role="champ"),
        n(id="c-research", process="champion", kind="buyer_step", label="Researches", role="champ"),
        n(id="c-trial", process="champion", kind="subprocess", label="Trial", subprocess="trial"),
        n(id="c-pick", process="champion", kind="buyer_step", label="Picks us", role="champ"),
        n(id="c-won", process="champion", kind="won", label="Champion convinced"),
        # the CFO's
        n(id="f-review", process="cfo", kind="buyer_step", label="Checks the ROI", role="cfo"),
        n(id="f-ok", process="cfo", kind="decision", label="Payback < 1 year?", role="cfo"),
        n(id="f-won", process="cfo", kind="won", label="Budget approved"),
        n(id="f-lost", process="cfo", kind="lost", label="Budget refused"),
        # the trial the champion runs
        n(id="t-signup", process="trial", kind="entry", label="Signs up"),
        n(id="t-use", process="trial", kind="buyer_step", label="Uses it", role="champ"),
        n(id="t-done", process="trial", kind="won", label="Trial works"),
    ]
    e = Edge
    edges = [
        e(id="e1", source="web", target="nurture", conversion=0.4),
        e(id="e2", source="nurture", target="demo", conversion=0.3, delay_days=7),
        e(id="e3", source="demo", target="roi-call", conversion=0.6),
        e(id="e4", source="roi-call", target="fit", conversion=0.9),
        e(id="e5", source="fit", target="won", label="Yes", conversion=0.4),
        e(id="e6", source="fit", target="lost", label="No", conversion=0.6),
        # between processes (from funnel actions: in file order, with the funnel's edges)
        e(id="x1", source="nurture", target="c-research", kind="addresses", label=NASTY),
        e(id="x2", source="demo", target="c-pick", kind="addresses"),
        e(id="x3", source="roi-call", target="f-review", kind="addresses", label="Payback sheet"),
        e(id="x4", source="nurture", target="c-start", kind="addresses"),  # to an entry
        e(id="x5", source="fit", target="f-review", kind="addresses"),  # from a decision
        e(id="x6", source="demo", target="t-done", kind="addresses"),  # to an outcome
        e(id="e7", source="c-start", target="c-research"),
        e(id="e8", source="c-research", target="c-trial"),
        e(id="e9", source="c-trial", target="c-pick"),
        e(id="e10", source="c-pick", target="c-won"),
        e(id="e11", source="f-review", target="f-ok"),
        e(id="e12", source="f-ok", target="f-won", label="Yes"),
        e(id="e13", source="f-ok", target="f-lost", label="No"),
        e(id="e14", source="t-signup", target="t-use"),
        e(id="e15", source="t-use", target="t-done"),
    ]
    return JourneyMap(
        name="Buying group",
        roles=[
            BuyerRole(id="champ", name="Technical champion", kind="champion"),
            BuyerRole(id="cfo", name="CFO", kind="cfo"),
        ],
        teams=[Team(id="mkt", name="Marketing"), Team(id="sales", name="Sales")],
        stages=[
            Stage(id="lead", name="Lead"),
            Stage(id="mql", name="MQL"),
            Stage(id="sql", name="SQL"),
        ],
        processes=[
            Process(id="funnel", name="Funnel", kind="funnel"),
            Process(id="champion", name="Champion's purchase", kind="buyer", role="champ"),
            Process(id="cfo", name="CFO's purchase", kind="buyer", role="cfo"),
            Process(id="trial", name="Free trial", kind="subprocess"),
        ],
        nodes=nodes,
        edges=edges,
        layout=Layout(
            nodes={node.id: (i % 5 * 200.0, i // 5 * 120.0) for i, node in enumerate(nodes)},
            group={"f-lost": (900.0, 260.0)},
        ),
    )


def cross_edges(doc: JourneyMap) -> list[Edge]:
    """The edges of ``doc`` between two processes."""
    process = {node.id: node.process for node in doc.nodes}
    return [e for e in doc.edges if process[e.source] != process[e.target]]


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
