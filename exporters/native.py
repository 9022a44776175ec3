"""The native Journeymap file, whole or cut down to one process and what it needs.

:func:`generate_json` is :func:`models.storage.dumps_map`: stable key order,
so the output diffs well. With a process id the map keeps that process, the
sub-processes it opens (recursively), their nodes, the edges between them, the
roles, teams, stages and criteria they refer to, the SLAs between kept teams,
the scenarios (with overrides of removed items dropped) and the layout of the
kept nodes, so the result opens, analyses and simulates on its own.

>>> from models.document import JourneyMap, Process, Node, Team
>>> m = JourneyMap(teams=[Team(id="sdr", name="SDR"), Team(id="cs", name="CS")],
...                processes=[Process(id="a", name="A"), Process(id="b", name="B")],
...                nodes=[Node(id="x", process="a", owner="sdr"), Node(id="y", process="b")])
>>> cut = restrict(m, "a")
>>> [p.id for p in cut.processes], [t.id for t in cut.teams], [n.id for n in cut.nodes]
(['a'], ['sdr'], ['x'])
"""

from __future__ import annotations

from pathlib import Path

from models.document import JourneyMap
from models.storage import dumps_map, write_atomic

from ._labels import processes


def restrict(doc: JourneyMap, process_id: str) -> JourneyMap:
    """A copy of ``doc`` holding ``process_id``, the sub-processes it opens and what they use."""
    processes(doc, process_id)  # an unknown id raises the usual one-line error
    known = {p.id for p in doc.processes}
    keep = {process_id}
    todo = [process_id]
    while todo:
        current = todo.pop()
        for node in doc.nodes_of(current):
            if node.subprocess in known and node.subprocess not in keep:
                keep.add(node.subprocess)
                todo.append(node.subprocess)
    chosen = [p for p in doc.processes if p.id in keep]
    nodes = [n for n in doc.nodes if n.process in keep]
    node_ids = {n.id for n in nodes}
    edges = [e for e in doc.edges if e.source in node_ids and e.target in node_ids]
    roles = {n.role for n in nodes} | {p.role for p in chosen}
    stages = {n.stage for n in nodes}
    criteria = {n.criteria for n in nodes}
    teams = {n.owner for n in nodes} | {s.owner for s in doc.stages if s.id in stages}
    slas = [s for s in doc.slas if s.from_team in teams and s.to_team in teams]
    criteria |= {s.criteria for s in slas}
    stages |= {s.stage for s in slas}
    ids = node_ids | {e.id for e in edges} | teams
    scenarios = []
    for scenario in doc.scenarios:
        data = scenario.model_dump()
        for field in (
            "entry_volume",
            "conversion",
            "delay_days",
            "headcount",
            "capacity",
            "deal_value",
            "cost",
        ):
            data[field] = {k: v for k, v in data[field].items() if k in ids}
        scenarios.append(type(scenario).model_validate(data))
    return doc.model_copy(
        update={
            "processes": chosen,
            "nodes": nodes,
            "edges": edges,
            "roles": [r for r in doc.roles if r.id in roles],
            "teams": [t for t in doc.teams if t.id in teams],
            "stages": [s for s in doc.stages if s.id in stages],
            "criteria": [c for c in doc.criteria if c.id in criteria],
            "slas": slas,
            "scenarios": scenarios,
            "layout": doc.layout.model_copy(
                update={"nodes": {k: v for k, v in doc.layout.nodes.items() if k in node_ids}}
            ),
        }
    ).model_copy(deep=True)  # deep after the update: the kept items are copies too


def generate_json(doc: JourneyMap, process_id: str | None = None) -> str:
    """The map file's text: the whole map, or :func:`restrict` ``(doc, process_id)``."""
    return dumps_map(doc if process_id is None else restrict(doc, process_id))


def write_json(doc: JourneyMap, path: str | Path, process_id: str | None = None) -> None:
    """Write :func:`generate_json` to ``path`` atomically."""
    write_atomic(Path(path), generate_json(doc, process_id).encode("utf-8"))
