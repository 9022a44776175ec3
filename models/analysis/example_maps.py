"""The pieces the finding examples (:mod:`models.analysis.examples`) are built from: small maps
written as in a file (a funnel, a CFO's purchase process, a hand-off under an SLA, a staged
funnel, a gated step) and the changes that fix them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

F = {"id": "funnel", "name": "Funnel"}
B = {"id": "cfo-buys", "name": "CFO's purchase process", "kind": "buyer", "role": "cfo"}
CFO = {"id": "cfo", "name": "CFO", "kind": "cfo"}
MKT = {"id": "mkt", "name": "Marketing", "function": "marketing", "headcount": 2}
SALES = {"id": "sales", "name": "Sales", "function": "sales", "headcount": 2, "capacity": 50}


def _node(node_id: str, kind: str, label: str, process: str = "funnel", **fields) -> dict:
    return {"id": node_id, "process": process, "kind": kind, "label": label, **fields}


def _edge(edge_id: str, source: str, target: str, conversion: float | None = 1.0, **fields):
    edge = {"id": edge_id, "source": source, "target": target, **fields}
    if conversion is not None:
        edge["conversion"] = conversion
    return edge


def _score_and_call() -> list[dict]:
    """The edges of the small funnel several examples share: web → score → call → won or lost."""
    return [
        _edge("e1", "web", "score"),
        _edge("e2", "score", "call", 0.4),
        _edge("e3", "score", "lost", 0.6),
        _edge("e4", "call", "won", 0.2),
        _edge("e5", "call", "lost", 0.8),
    ]


def _action(node_id: str, label: str, **fields) -> dict:
    """A company action owned by marketing (only what the example needs)."""
    return _node(node_id, "action", label, **{"owner": "mkt", **fields})


def _funnel(*extra_nodes: dict, edges: tuple = (), **collections) -> dict:
    """Web leads (entry) -> a scoring action -> won or lost, plus what the example adds."""
    doc: dict = {
        "teams": [MKT],
        "processes": [F],
        "nodes": [
            _node("web", "entry", "Web form", volume=100),
            _action("score", "Score the lead"),
            _node("won", "won", "Deal", deal_value=10000),
            _node("lost", "lost", "Lost"),
            *extra_nodes,
        ],
        "edges": [
            _edge("e1", "web", "score"),
            _edge("e2", "score", "won", 0.1),
            _edge("e3", "score", "lost", 0.9),
            *edges,
        ],
    }
    for key, value in collections.items():
        doc[key] = value
    return doc


def _cfo(*extra_nodes: dict, edges: tuple = ()) -> dict:
    """The CFO's purchase process: a budget request, a payback check, signs or declines."""
    return {
        "roles": [CFO],
        "processes": [B],
        "nodes": [
            _node("budget", "entry", "Asks for budget", "cfo-buys", volume=10),
            _node("payback", "buyer_step", "Checks the payback", "cfo-buys"),
            _node("signs", "won", "Signs", "cfo-buys"),
            _node("declines", "lost", "Declines", "cfo-buys"),
            *extra_nodes,
        ],
        "edges": [
            _edge("c1", "budget", "payback"),
            _edge("c2", "payback", "signs", 0.6),
            _edge("c3", "payback", "declines", 0.4),
            *edges,
        ],
    }


def _handoff(**sla_fields) -> dict:
    """Marketing scores, sales calls the qualified leads (BANT): a hand-off under an SLA."""
    sla = {"id": "sla", "name": "MQLs to sales", "from_team": "mkt", "to_team": "sales"}
    return {
        "teams": [MKT, SALES],
        "criteria": [copy.deepcopy(_BANT)],
        "processes": [F],
        "nodes": [
            _node("web", "entry", "Web form", volume=100),
            _action("score", "Score the lead", criteria="bant"),
            _action("call", "Qualification call", owner="sales"),
            _node("won", "won", "Deal", deal_value=10000),
            _node("lost", "lost", "Lost"),
        ],
        "edges": [
            *_score_and_call(),
        ],
        "slas": [{**sla, **sla_fields}],
    }


def _with(doc: dict, collection: str, item_id: str, **fields) -> dict:
    """``doc`` with one item's fields changed (None takes a field out)."""
    doc = copy.deepcopy(doc)
    _set(collection, item_id, **fields)(doc)
    return doc


def _without(doc: dict, collection: str, item_id: str) -> dict:
    doc = copy.deepcopy(doc)
    _drop(doc, collection, item_id)
    return doc


_BANT = {
    "id": "bant",
    "name": "BANT",
    "questions": [
        {"id": "budget", "text": "Budget set aside?", "category": "budget", "points": 30.0},
        {"id": "need", "text": "Has the problem?", "category": "need", "points": 30.0},
    ],
    "threshold_score": 40.0,
}
_STAGES = [
    {"id": "lead", "name": "Lead", "definition": "Gave contact details", "owner": "mkt"},
    {"id": "mql", "name": "MQL", "definition": "Scores 40 or more", "owner": "mkt"},
    {"id": "sql", "name": "SQL", "definition": "Budget confirmed on a call", "owner": "mkt"},
]


def _staged(*edges: dict) -> dict:
    """Lead (the web form) -> MQL (scoring) -> SQL (the call) -> won."""
    return {
        "teams": [MKT],
        "stages": copy.deepcopy(_STAGES),
        "processes": [F],
        "nodes": [
            _node("web", "entry", "Web form", volume=100, stage="lead"),
            _action("score", "Score the lead", stage="mql"),
            _action("call", "Qualification call", stage="sql"),
            _node("won", "won", "Deal", deal_value=10000),
            _node("lost", "lost", "Lost"),
        ],
        "edges": [
            *_score_and_call(),
            *edges,
        ],
    }


def _gated(step: str = "signs", where: str = "score", **gate_fields) -> dict:
    """The funnel's scoring step waits for the CFO to clear ``step`` of the CFO's process."""
    doc = _funnel()
    cfo = _cfo()
    doc["roles"] = cfo["roles"]
    doc["processes"] = [F, B]
    doc["nodes"] += cfo["nodes"]
    doc["edges"] += cfo["edges"]
    for node in doc["nodes"]:
        if node["id"] == where:
            node["gate"] = [{"role": "cfo", "step": step, **gate_fields}]
    return doc


def _drop(doc: dict, collection: str, item_id: str) -> None:
    doc[collection] = [item for item in doc[collection] if item["id"] != item_id]


def _set(collection: str, item_id: str, **fields) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        item = next(i for i in doc[collection] if i["id"] == item_id)
        for name, value in fields.items():
            if value is None:
                item.pop(name, None)
            else:
                item[name] = value

    return change


def _drop_edge(edge_id: str) -> Callable[[dict], None]:
    return lambda doc: _drop(doc, "edges", edge_id)


def _add(collection: str, *items: dict) -> Callable[[dict], None]:
    return lambda doc: doc.setdefault(collection, []).extend(items)


def _all(*changes: Callable[[dict], object]) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        for one in changes:
            one(doc)

    return change


_GATE = [{"role": "cfo", "step": "signs"}]
