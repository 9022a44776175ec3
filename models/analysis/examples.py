"""A minimal example for every finding code: a small map that has the problem, and the same map
fixed. ``journeymap analyze --explain CODE`` prints :func:`explain`; a test checks that each
example triggers its code and that its fix does not.

Maps are written as in a file (plain dicts, fields at their defaults left out), so the example
shows exactly what to look for in a map and what to change.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass

from models.document import SINGULAR, JourneyMap
from models.findings import CATALOGUE

from .example_maps import (
    _BANT,
    _GATE,
    CFO,
    MKT,
    B,
    F,
    _action,
    _add,
    _all,
    _cfo,
    _drop_edge,
    _edge,
    _funnel,
    _gated,
    _handoff,
    _node,
    _set,
    _staged,
    _with,
    _without,
)

__all__ = ["EXAMPLES", "Example", "explain"]


@dataclass(frozen=True)
class Example:
    broken: dict
    """A map (as in a file) that triggers the code."""
    fixed: dict
    """The same map with the problem fixed."""

    def maps(self) -> tuple[JourneyMap, JourneyMap]:
        return JourneyMap.model_validate(self.broken), JourneyMap.model_validate(self.fixed)


def _example(broken: dict, fix: Callable[[dict], object]) -> Example:
    fixed = copy.deepcopy(broken)
    fix(fixed)
    return Example(broken, fixed)


EXAMPLES: dict[str, Example] = {
    "dead-end": _example(
        {"processes": [F], "nodes": [_node("show", "entry", "Trade show scans", volume=300)]},
        _all(
            _add("nodes", _node("won", "won", "Deal")),
            _add("edges", _edge("e1", "show", "won", 0.02)),
        ),
    ),
    "no-call-to-action": _example(
        _funnel(),
        _set("nodes", "score", call_to_action="Book a call with an expert"),
    ),
    "orphan-activity": _example(
        _funnel(_action("event", "Sponsored brand event")),
        _add("edges", _edge("e9", "event", "score", 0.1)),
    ),
    "unreachable": _example(
        _funnel(_action("demo", "Demo"), edges=(_edge("e9", "demo", "won", 0.5),)),
        _add("edges", _edge("e10", "web", "demo", 0.0)),
    ),
    "no-path-to-won": _example(
        _funnel(
            _action("wait", "Waiting list"),
            _node("gone", "lost", "Gave up"),
            edges=(_edge("e9", "web", "wait", 0.0), _edge("e10", "wait", "gone", 1.0)),
        ),
        _add("edges", _edge("e11", "wait", "score", 0.0)),
    ),
    "trap-loop": _example(
        _funnel(
            _action("a", "Reminder e-mail"),
            _action("b", "Another reminder"),
            edges=(
                _edge("e9", "web", "a", 0.0),
                _edge("e10", "a", "b", 1.0),
                _edge("e11", "b", "a", 1.0),
            ),
        ),
        _all(_set("edges", "e11", conversion=0.5), _add("edges", _edge("e12", "b", "lost", 0.5))),
    ),
    "recycle-no-reentry": _example(
        _funnel(
            _action("nurture", "Nurture program"),
            edges=(
                _edge("e9", "score", "nurture", 0.0),
                _edge("e10", "nurture", "lost", 0.5, kind="recycle"),
            ),
        ),
        _set("edges", "e10", target="score"),
    ),
    "unaddressed-step": _example(
        _cfo(),
        _all(
            _add("teams", MKT),
            _add("nodes", _action("model", "Payback model", process="cfo-buys")),
            _add("edges", _edge("a1", "model", "payback", None, kind="addresses")),
        ),
    ),
    "role-without-process": _example(
        {"roles": [CFO]},
        _all(_add("processes", B), _add("nodes", _node("budget", "entry", "Asks", "cfo-buys"))),
    ),
    "unowned-action": _example(
        _with(_funnel(), "nodes", "score", owner=None),
        _set("nodes", "score", owner="mkt"),
    ),
    "no-customer-view": _example(
        _funnel(),
        _set(
            "nodes",
            "score",
            motivations=["Learns what fits their team"],
            concerns=["Another sales pitch"],
        ),
    ),
    "no-technology": _example(
        _funnel(),
        _set("nodes", "score", technology=["Lead scoring in the CRM"]),
    ),
    "handoff-without-criteria": _example(
        _with(_handoff(), "nodes", "score", criteria=None),
        _set("nodes", "score", criteria="bant"),
    ),
    "handoff-without-sla": _example(
        _without(_handoff(), "slas", "sla"),
        _add(
            "slas", {"id": "sla", "name": "MQLs to sales", "from_team": "mkt", "to_team": "sales"}
        ),
    ),
    "missing-conversion": _example(
        _with(_funnel(), "edges", "e1", conversion=None),
        _set("edges", "e1", conversion=0.9),
    ),
    "conversion-over-100": _example(
        _with(_funnel(), "edges", "e3", conversion=0.95),
        _set("edges", "e3", conversion=0.9),
    ),
    "single-branch-decision": _example(
        _funnel(
            _node("fit", "decision", "Good fit?"),
            edges=(_edge("e9", "web", "fit", 0.0), _edge("e10", "fit", "score", 1.0)),
        ),
        _all(_set("edges", "e10", conversion=0.7), _add("edges", _edge("e11", "fit", "lost", 0.3))),
    ),
    "undefined-stage": _example(
        _with(_funnel(), "nodes", "score", stage="mql"),
        _add("stages", {"id": "mql", "name": "MQL", "definition": "Scores 60+", "owner": "mkt"}),
    ),
    "missing-criteria": _example(
        _with(_funnel(), "nodes", "score", criteria="bant"),
        _add("criteria", _BANT),
    ),
    "broken-subprocess": _example(
        _funnel(_node("trial", "subprocess", "Free trial", subprocess="trial-process")),
        _all(
            _add("processes", {"id": "trial-process", "name": "Free trial", "kind": "subprocess"}),
            _add("nodes", _node("starts", "entry", "Starts", "trial-process")),
        ),
    ),
    "sla-over-capacity": _example(
        _handoff(leads_per_rep=10.0),
        _set("slas", "sla", leads_per_rep=25.0),
    ),
    "no-entry": _example(
        {"processes": [F], "nodes": [_node("won", "won", "Deal")]},
        _all(
            _add("nodes", _node("web", "entry", "Web form", volume=100)),
            _add("edges", _edge("e1", "web", "won", 0.1)),
        ),
    ),
    "gate-role-without-process": _example(
        _with(_funnel(roles=[CFO]), "nodes", "score", gate=_GATE),
        lambda doc: doc.update(_without(_gated(), "roles", "cfo")),
    ),
    "gate-step-outside-role": _example(
        _gated(step="won"),
        _set("nodes", "score", gate=_GATE),
    ),
    "gate-step-unreachable": _example(
        _without(_gated(), "edges", "c2"),
        _add("edges", _edge("c2", "payback", "signs", 0.6)),
    ),
    "gate-never-clears": _example(
        _with(_gated(), "edges", "c2", conversion=0.0),
        _set("edges", "c2", conversion=0.6),
    ),
    "gate-outside-funnel": _example(
        _gated(where="payback"),
        _all(_set("nodes", "payback", gate=None), _set("nodes", "score", gate=_GATE)),
    ),
    "gate-on-entry-or-outcome": _example(
        _gated(where="won"),
        _all(_set("nodes", "won", gate=None), _set("nodes", "score", gate=_GATE)),
    ),
    "stage-without-owner": _example(
        _with(_staged(), "stages", "mql", owner=None),
        _set("stages", "mql", owner="mkt"),
    ),
    "stage-without-definition": _example(
        _with(_staged(), "stages", "mql", definition=None),
        _set("stages", "mql", definition="Scores 40 or more on the BANT model"),
    ),
    "stage-skipped": _example(
        _staged(_edge("e9", "web", "call", 0.0)),
        _set("edges", "e9", source="score"),
    ),
    "stage-backwards": _example(
        _staged(_edge("e9", "call", "score", 0.0)),
        _set("edges", "e9", kind="recycle"),
    ),
    "broken-sla": _example(
        _handoff(to_team="inside-sales"),
        _set("slas", "sla", to_team="sales"),
    ),
    "sla-unmatched": _example(
        _handoff(from_team="sales", to_team="mkt"),
        _set("slas", "sla", from_team="mkt", to_team="sales"),
    ),
    "sla-attempts-without-window": _example(
        _handoff(attempts=5),
        _set("slas", "sla", attempt_window_days=14.0),
    ),
    "sla-cadence-over-hours": _example(
        _with(
            _handoff(attempts=5, attempt_window_days=14.0, attempt_minutes=60.0),
            "teams",
            "sales",
            headcount=1,
            capacity=None,
        ),
        _set("slas", "sla", attempt_minutes=15.0),
    ),
    "team-over-capacity": _example(
        _with(_handoff(), "teams", "sales", capacity=15.0),
        _set("teams", "sales", headcount=3),
    ),
    "team-without-people": _example(
        _with(_handoff(), "teams", "sales", headcount=0),
        _set("teams", "sales", headcount=2),
    ),
    "unused-criteria": _example(
        _funnel(criteria=[_BANT]),
        _set("nodes", "score", criteria="bant"),
    ),
    "criteria-threshold-unreachable": _example(
        _with(_handoff(), "criteria", "bant", threshold_score=70.0),
        _set("criteria", "bant", threshold_score=60.0),
    ),
    "incomplete-criteria": _example(
        _with(_handoff(), "criteria", "bant", threshold_score=None),
        _set("criteria", "bant", threshold_answers=2),
    ),
    "buyer-process-without-role": _example(
        _with(_cfo(), "processes", "cfo-buys", role=None),
        _set("processes", "cfo-buys", role="cfo"),
    ),
    "buyer-step-wrong-role": _example(
        _with(
            _cfo() | {"roles": [CFO, {"id": "it", "name": "IT approver", "kind": "it_approver"}]},
            "nodes",
            "payback",
            role="it",
        ),
        _set("nodes", "payback", role="cfo"),
    ),
    "misdirected-addresses": _example(
        _cfo(
            _action("model", "Payback model", process="cfo-buys"),
            edges=(_edge("a1", "payback", "model", None, kind="addresses"),),
        )
        | {"teams": [MKT]},
        _set("edges", "a1", source="model", target="payback"),
    ),
    "won-without-deal-value": _example(
        _funnel(_node("upsell", "won", "Upsell"), edges=(_edge("e9", "score", "upsell", 0.0),)),
        _set("nodes", "upsell", deal_value=2000.0),
    ),
    "entry-without-volume": _example(
        _funnel(_node("show", "entry", "Trade show"), edges=(_edge("e9", "show", "score"),)),
        _set("nodes", "show", volume=40.0),
    ),
    "scenario-unknown-target": _example(
        _funnel(scenarios=[{"id": "hire", "name": "Hire two SDRs", "headcount": {"sdr": 2}}]),
        lambda doc: doc["scenarios"][0].update(headcount={"mkt": 4}),
    ),
    "edge-from-outcome": _example(
        _funnel(edges=(_edge("e9", "won", "score", 0.5),)),
        _drop_edge("e9"),
    ),
}
"""One minimal example per finding code (a map that has the problem, and the same map fixed)."""


# --- explaining a code -------------------------------------------------------------------------


def explain(code: str) -> str:
    """What ``analyze --explain CODE`` prints: the rule, why it matters, an example and its fix.

    Raises KeyError for a code that is not in the catalogue.
    """
    from . import analyze  # the package imports this module's siblings, not this module

    rule = CATALOGUE[code]
    example = EXAMPLES[code]
    broken, fixed = example.maps()
    found = [f for f in analyze(broken) if f.code == code]
    lines = [f"{code} ({rule.severity})", "", _wrap(rule.why)]
    if rule.blocks_simulation:
        lines += ["", "It stops a simulation of the process that has it."]
    lines += ["", "Example (a map that has it):", *_items(example.broken), "", "analyze says:"]
    for finding in found:
        lines.append(f"  {finding.code}: {finding.message}")
        lines.append(f"      fix: {finding.hint}.")
    lines += ["", "Fixed (what changes):", *_changes(example.broken, example.fixed)]
    still = [f for f in analyze(fixed) if f.code == code]
    if still:  # the examples are tested; this never shows
        lines.append(f"  (still {len(still)} finding of this code)")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 96) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _items(doc: dict) -> list[str]:
    """A map in the file's words, one item a line."""
    lines = []
    for collection, items in doc.items():
        lines.append(f'  "{collection}": [')
        lines += [f"    {_json(item)}," for item in items]
        lines[-1] = lines[-1].rstrip(",")
        lines.append("  ],")
    if lines:
        lines[-1] = lines[-1].rstrip(",")
    return lines


def _changes(before: dict, after: dict) -> list[str]:
    lines = []
    for collection in dict.fromkeys([*before, *after]):
        old = {i["id"]: i for i in before.get(collection, [])}
        new = {i["id"]: i for i in after.get(collection, [])}
        what = SINGULAR.get(collection, collection)
        for item_id, item in new.items():
            if item_id not in old:
                lines.append(f"  add the {what} {_json(item)}")
            elif item != old[item_id]:
                lines.append(f"  change the {what} '{item_id}' to {_json(item)}")
        for item_id in old:
            if item_id not in new:
                lines.append(f"  remove the {what} '{item_id}'")
    return lines


def _json(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False)
