"""Properties over generated maps: load(save(doc)) == doc in file order, and saving is deterministic."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import SLA, Edge, JourneyMap, Node, Process, Scenario, Stage, Team, dumps_map, loads_map
from models.document import Layout

# Any text a person could type, minus the control characters the format refuses.
TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127]),
    ),
    max_size=30,
)
IDS = st.text(alphabet=string.ascii_letters + string.digits + "_-.", min_size=1, max_size=12).map(
    lambda s: "x" + s
)
AMOUNT = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
SHARE = st.floats(min_value=0, max_value=1, allow_nan=False)
KINDS = st.sampled_from(["entry", "buyer_step", "action", "decision", "subprocess", "won", "lost"])


@st.composite
def maps(draw) -> JourneyMap:
    process_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    node_ids = draw(st.lists(IDS, min_size=0, max_size=12, unique=True))
    team_ids = draw(st.lists(IDS, max_size=3, unique=True))
    nodes = [
        Node(
            id=node_id,
            process=draw(st.sampled_from(process_ids)),
            kind=draw(KINDS),
            label=draw(TEXT),
            description=draw(TEXT),
            owner=draw(st.none() | st.sampled_from(team_ids or ["t"])),
            motivations=draw(st.lists(TEXT, max_size=2)),
            concerns=draw(st.lists(TEXT, max_size=2)),
            call_to_action=draw(TEXT),
            technology=draw(st.lists(TEXT, max_size=2)),
            volume=draw(st.none() | AMOUNT),
            cost=draw(st.none() | AMOUNT),
            deal_value=draw(st.none() | AMOUNT),
            duration_days=draw(st.none() | AMOUNT),
        )
        for node_id in node_ids
    ]
    edges = []
    drawn: set[tuple[str, str, str]] = set()
    for index in range(draw(st.integers(0, 15)) if len(nodes) > 1 else 0):
        # only legal connections: no self-loop or duplicate; flow and recycle stay in one
        # process and never leave an outcome; addresses edges may cross processes
        kind = draw(st.sampled_from(["flow", "recycle", "addresses"]))
        source = draw(st.sampled_from(nodes))
        if kind != "addresses" and source.kind in ("won", "lost"):
            continue
        targets = [
            n.id
            for n in nodes
            if n.id != source.id
            and (kind == "addresses" or n.process == source.process)
            and (source.id, n.id, kind) not in drawn
        ]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        drawn.add((source.id, target, kind))
        edges.append(
            Edge(
                id=f"e{index}",
                source=source.id,
                target=target,
                kind=kind,
                conversion=draw(st.none() | SHARE),
                delay_days=draw(st.none() | AMOUNT),
                label=draw(TEXT),
            )
        )
    teams = [
        Team(
            id=t,
            name=draw(TEXT),
            headcount=draw(st.integers(0, 50)),
            capacity=draw(st.none() | AMOUNT),
        )
        for t in team_ids
    ]
    layout = {
        n: (draw(st.floats(-1e6, 1e6)), draw(st.floats(-1e6, 1e6)))
        for n in node_ids
        if draw(st.booleans())
    }
    slas = []
    if len(team_ids) >= 2:
        slas.append(
            SLA(
                id="sla",
                name=draw(TEXT),
                from_team=team_ids[0],
                to_team=team_ids[1],
                leads_per_rep=draw(st.none() | AMOUNT),
                late_conversion_factor=draw(st.none() | SHARE),
            )
        )
    scenarios = [
        Scenario(
            id="s",
            name=draw(TEXT),
            conversion={e.id: draw(SHARE) for e in edges[:3]},
            headcount={t: draw(st.integers(0, 9)) for t in team_ids[:2]},
        )
    ]
    return JourneyMap(
        name=draw(TEXT),
        description=draw(TEXT),
        period=draw(st.sampled_from(["week", "month", "quarter"])),
        teams=teams,
        stages=[Stage(id="mql", name=draw(TEXT), definition=draw(TEXT))],
        processes=[
            Process(
                id=p, name=draw(TEXT), kind=draw(st.sampled_from(["buyer", "funnel", "subprocess"]))
            )
            for p in process_ids
        ],
        nodes=nodes,
        edges=edges,
        slas=slas,
        scenarios=scenarios,
        layout=Layout(nodes=layout),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_load_of_save_is_the_same_map_and_resave_is_byte_identical(doc):
    text = dumps_map(doc)
    again = loads_map(text, "generated.json")
    assert again == _in_file_order(doc)
    assert dumps_map(again) == text


def _in_file_order(doc: JourneyMap) -> JourneyMap:
    """The file groups nodes by process and edges by their source's process (the order of
    ``processes``), each group in the map's order: the only thing a save changes."""
    rank = {p.id: i for i, p in enumerate(doc.processes)}
    nodes = sorted(doc.nodes, key=lambda n: rank[n.process])
    process = {n.id: n.process for n in doc.nodes}
    edges = sorted(doc.edges, key=lambda e: rank[process[e.source]])
    return doc.model_copy(update={"nodes": nodes, "edges": edges})


@settings(max_examples=60, deadline=None)
@given(maps())
def test_saved_text_is_strict_json(doc):
    import json

    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    json.loads(dumps_map(doc), parse_constant=refuse)
