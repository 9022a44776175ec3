"""Before a run: which process, is it runnable, and the map with a scenario's overrides applied.

A run is refused up front, with the findings that block it, rather than
producing numbers nobody should trust: a process with no entry, a loop leads
can never leave, a flow without a conversion rate, conversions leaving a
node that add up to more than 100 %, or a committee gate naming a role with no
process or a step outside that role's process. The role processes a gate reads
are in the run's scope: their loops and rates are checked too.

>>> from models.templates import load_template
>>> doc = load_template("plugged-funnel")
>>> default_process(doc)
'funnel'
>>> fixed = apply_scenario(doc, "Fix: qualification, cadence, nurture")
>>> fixed.node("inquiries").volume, doc.node("inquiries").volume
(100.0, 1000.0)
"""

from __future__ import annotations

from operator import attrgetter
from typing import cast

from pydantic import ValidationError

from models.analysis import conversions, flow, gates
from models.analysis.context import Context
from models.committee import GateIndex
from models.connect import check_ends
from models.connect_errors import ConnectError
from models.document import SCENARIO_TARGETS, Criteria, Item, JourneyMap, Node, Scenario
from models.errors import plain_validation_message
from models.findings import CATALOGUE, Finding
from models.vocabulary import CARRIES_LEADS, OUTCOME_KINDS

from .columns import Columns, where
from .errors import SimulationError

BLOCKING = frozenset(code for code, rule in CATALOGUE.items() if rule.blocks_simulation)
"""Finding codes that stop a run: no-entry, trap-loop, missing-conversion, conversion-over-100,
gate-role-without-process, gate-step-outside-role."""


def default_process(doc: JourneyMap, nodes: Columns[Node] | None = None) -> str:
    """The process to simulate when none is named.

    The first process of kind ``funnel`` with an entry that has a volume (the
    company funnel is what leaders simulate), else the first process with such
    an entry. ``nodes``: the columns of ``doc.nodes``, when the run reads them anyway.
    """
    kinds = nodes["kind"] if nodes is not None else list(map(attrgetter("kind"), doc.nodes))
    entries = nodes.where("kind", "entry") if nodes is not None else where(kinds, "entry")
    fed = {doc.nodes[i].process for i in entries.tolist() if doc.nodes[i].volume}
    with_volume = [p for p in doc.processes if p.id in fed]
    for process in with_volume:
        if process.kind == "funnel":
            return process.id
    if with_volume:
        return with_volume[0].id
    raise SimulationError(
        f"'{doc.name}' has no process with a lead source to simulate. "
        "Add an entry with a volume (leads per period) to the funnel."
    )


def resolve_process(
    doc: JourneyMap, process_id: str | None, nodes: Columns[Node] | None = None
) -> str:
    """``process_id`` checked against the map, or :func:`default_process` (``nodes``: the columns
    of ``doc.nodes``, when the run reads them anyway)."""
    if process_id is None:
        return default_process(doc, nodes)
    if any(p.id == process_id for p in doc.processes):
        return process_id
    known = ", ".join(p.id for p in doc.processes) or "none"
    raise SimulationError(
        f"There is no process '{process_id}' in '{doc.name}'. The processes are: {known}."
    )


def scope(doc: JourneyMap, process_id: str) -> list[str]:
    """The process and every process its subprocess nodes open, recursively (what a run expands),
    then the buyer processes its committee gates read (and what those open): a run solves them too.
    """
    opens: dict[str, list[str]] = {}
    gated = False
    for node in doc.nodes:
        if node.kind == "subprocess" and node.subprocess:
            opens.setdefault(node.process, []).append(node.subprocess)
        gated = gated or bool(node.gate)
    seen, stack = [process_id], [process_id]
    while stack:
        for target in opens.get(stack.pop(), []):
            if target not in seen:
                seen.append(target)
                stack.append(target)
    if not gated:
        return seen
    index = GateIndex(doc)
    reads: dict[str, list[str]] = {}
    for node in index.counted():
        for clearance in node.gate:
            role_process = index.resolve(clearance)
            if role_process is not None:
                reads.setdefault(node.process, []).append(role_process)
    done = 0
    while done < len(seen):  # what the gates of every process so far read, and what that opens
        stack = list(reads.get(seen[done], []))
        done += 1
        while stack:
            target = stack.pop()
            if target not in seen:
                seen.append(target)
                stack.extend(opens.get(target, []))
    return seen


def blocking_findings(doc: JourneyMap, process_id: str) -> list[Finding]:
    """The findings that stop a run of ``process_id`` (its own and those of the sub-processes it opens).

    Only the blocking part of the flow check and the conversion check run, so
    refusing is cheaper than a full analysis and says the same thing.
    """
    in_scope = set(scope(doc, process_id))
    ctx = Context(doc)
    found = [
        f
        for f in [
            *flow.blocking(ctx, in_scope),
            *conversions.check(ctx),
            *gates.blocking(ctx, in_scope),
        ]
        if f.code in BLOCKING
        and f.process in in_scope
        and (f.process == process_id or f.code != "no-entry")
    ]
    order = {
        "no-entry": 0,
        "trap-loop": 1,
        "conversion-over-100": 2,
        "missing-conversion": 3,
        "gate-role-without-process": 4,
        "gate-step-outside-role": 4,
    }
    return sorted(found, key=lambda f: (order.get(f.code, 9), f.nodes))


def check_runnable(doc: JourneyMap, process_id: str) -> None:
    """Raise :class:`SimulationError` (with ``.findings``) if ``process_id`` cannot be simulated.

    >>> from models.document import Node, Process
    >>> doc = JourneyMap(processes=[Process(id="p", name="Funnel")],
    ...                  nodes=[Node(id="a", process="p", kind="action")])
    >>> check_runnable(doc, "p")
    Traceback (most recent call last):
    ...
    models.simulation.errors.SimulationError: Cannot simulate 'Funnel': 'Funnel' has no entry, so no leads flow into it. Fix: add an entry (a lead source) with its volume.
    """
    process_id = resolve_process(doc, process_id)
    name = doc.process(process_id).name
    _refuse_outcome_exits(doc, process_id, name)
    findings = blocking_findings(doc, process_id)
    if findings:
        shown = "; ".join(_describe(f) for f in findings[:2])
        more = f" (and {len(findings) - 2} more)" if len(findings) > 2 else ""
        hints = []
        for f in findings[:2]:
            if f.hint and f.hint not in hints:
                hints.append(f.hint)
        fix = f" Fix: {_lower_first('; '.join(hints))}." if hints else ""
        raise SimulationError(f"Cannot simulate '{name}': {shown}{more}.{fix}", findings)
    entries = [n for n in doc.nodes if n.process == process_id and n.kind == "entry"]
    if entries and not any(n.volume for n in entries):
        ids = ", ".join(n.id for n in entries[:3])
        finding = Finding(
            "no-entry",
            "info",
            f"No entry of '{name}' has a volume.",
            process_id,
            tuple(n.id for n in entries),
        )
        raise SimulationError(
            f"Cannot simulate '{name}': no entry has a volume ({ids}). "
            "Give an entry its leads per period, or simulate the process that opens this one.",
            [finding],
        )


def _refuse_outcome_exits(doc: JourneyMap, process_id: str, name: str) -> None:
    """Refuse a flow or recycle edge leaving a won or lost outcome of the run's processes.

    Loading, the editor and every import refuse such an edge (:mod:`models.connect`) and the
    analysis reports it; a map built in code can still hold one. Leads that reach an outcome stay
    there, so the run would have to drop it: it is refused instead, with the connection rule's
    own words, never ignored in silence.
    """
    outcomes = {n.id: n for n in doc.nodes if n.kind in OUTCOME_KINDS}
    if not outcomes:
        return
    in_scope = set(scope(doc, process_id))
    bad = [
        e
        for e in doc.edges
        if e.kind in CARRIES_LEADS
        and e.source in outcomes
        and outcomes[e.source].process in in_scope
    ]
    if not bad:
        return
    edge, source = bad[0], outcomes[bad[0].source]
    try:
        check_ends(source, doc.node(edge.target), edge.kind)
        reason = f"the {edge.kind} edge '{edge.id}' leaves the outcome '{source.id}'"
    except ConnectError as error:
        reason = f"{error.message} (edge '{edge.id}')"
    except KeyError:
        reason = f"the {edge.kind} edge '{edge.id}' leaves the outcome '{source.id}'"
    finding = Finding(
        "edge-from-outcome",
        "error",
        f"The {edge.kind} connection '{edge.id}' leaves the {source.kind} outcome '{source.id}'.",
        source.process,
        (source.id, edge.target),
        tuple(e.id for e in bad),
        hint="Remove it, or draw it from the step before the outcome",
    )
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    raise SimulationError(
        f"Cannot simulate '{name}': {reason}{more}. Leads that reach an outcome stay there: "
        "remove the edge, or draw it from the step before the outcome.",
        [finding],
    )


def _describe(finding: Finding) -> str:
    text = finding.message.rstrip(".")
    text = _lower_first(text)
    ids = ", ".join(finding.nodes[:4]) + (" ..." if len(finding.nodes) > 4 else "")
    return f"{text} [{ids}]" if ids and finding.code != "no-entry" else text


def _lower_first(text: str) -> str:
    if text[:1].isupper() and not text[1:2].isupper():
        return text[0].lower() + text[1:]
    return text


# --- scenarios -----------------------------------------------------------------------------------


def resolve_scenario(doc: JourneyMap, scenario: str | Scenario | None) -> Scenario | None:
    """The scenario named (by name or id), a :class:`Scenario` as given, or None for the baseline."""
    if scenario is None or isinstance(scenario, Scenario):
        return scenario
    try:
        return doc.scenario(scenario)
    except KeyError:
        known = ", ".join(f"'{s.name}'" for s in doc.scenarios) or "none (the map has no scenarios)"
        raise SimulationError(
            f"There is no scenario '{scenario}' in '{doc.name}'. The scenarios are: {known}."
        ) from None


def _question_shares(doc: JourneyMap, scenario: Scenario) -> dict[str, dict[str, float]]:
    """The scenario's ``question_share`` by criteria and question id. A key is
    ``"<criteria id>.<question id>"``, or a question id alone when one criteria set has it."""
    if not scenario.question_share:
        return {}
    owners: dict[str, list[str]] = {}
    for criteria in doc.criteria:
        for question in criteria.questions:
            owners.setdefault(f"{criteria.id}.{question.id}", []).append(criteria.id)
            owners.setdefault(question.id, []).append(criteria.id)
    found: dict[str, dict[str, float]] = {}
    for key, share in scenario.question_share.items():
        matches = owners.get(key, [])
        if len(matches) != 1:
            why = (
                "which is not a question of"
                if not matches
                else "which more than one criteria set of"
            )
            raise SimulationError(
                f"Scenario '{scenario.name}' changes the share of question '{key}', {why} "
                f"'{doc.name}' has. Name it as <criteria id>.<question id>."
            )
        criteria_id = matches[0]
        asked = {q.id for q in next(c for c in doc.criteria if c.id == criteria_id).questions}
        qid = key[len(criteria_id) + 1 :] if key.startswith(criteria_id + ".") else key
        found.setdefault(criteria_id, {})[qid if qid in asked else key] = share
    return found


def apply_scenario(doc: JourneyMap, scenario: str | Scenario | None) -> JourneyMap:
    """A validated copy of ``doc`` with the scenario's overrides applied (``doc`` is not changed).

    ``scenario`` is a scenario's name or id, a :class:`Scenario`, or None for
    the baseline (then ``doc`` itself is returned). Keys name entries
    (``entry_volume``), edges (``conversion``, ``delay_days``), teams
    (``headcount``, ``capacity``), nodes (``deal_value``, ``cost``) and criteria
    (``threshold_score``, ``threshold_answers``, and ``question_share`` by
    ``"<criteria id>.<question id>"``).
    Unchanged items are shared with ``doc``; changed ones are copies
    validated on assignment, so a copy is cheap even for a big map.
    """
    chosen = resolve_scenario(doc, scenario)
    if chosen is None:
        return doc
    changes: dict[str, dict[str, dict[str, object]]] = {}
    known_by: dict[str, dict[str, Item]] = {}
    for field, (collection, attribute, what) in SCENARIO_TARGETS.items():
        known = known_by.setdefault(
            collection, {item.id: item for item in getattr(doc, collection)}
        )
        for key, value in getattr(chosen, field).items():
            item = known.get(key)
            if item is None or (
                what == "entry" and not (isinstance(item, Node) and item.kind == "entry")
            ):
                raise SimulationError(
                    f"Scenario '{chosen.name}' changes the {field.replace('_', ' ')} of {what} '{key}', "
                    f"which is not in '{doc.name}'. Fix the id in the scenario or remove that override."
                )
            changes.setdefault(collection, {}).setdefault(key, {})[attribute] = value
    shares = _question_shares(doc, chosen)
    for criteria_id, by_question in shares.items():
        changes.setdefault("criteria", {}).setdefault(criteria_id, {})["questions"] = by_question
    known_by.setdefault("criteria", {item.id: item for item in doc.criteria})
    update: dict[str, list[Item]] = {}
    for collection, by_id in changes.items():
        items = getattr(doc, collection)
        known = known_by[collection]
        copies = {}
        for key, fields in by_id.items():
            copy = known[key].model_copy()
            try:
                for attribute, value in fields.items():
                    if attribute == "questions" and isinstance(copy, Criteria):
                        shares = cast(dict, value)  # question id -> share
                        value = [
                            q.model_copy(update={"share": shares[q.id]}) if q.id in shares else q
                            for q in copy.questions
                        ]
                    setattr(copy, attribute, value)
            except ValidationError as error:
                detail = plain_validation_message(error)
                raise SimulationError(
                    f"Scenario '{chosen.name}' sets an invalid value on '{key}': {detail}."
                ) from None
            copies[key] = copy
        update[collection] = [copies.get(item.id, item) for item in items]
    return doc.model_copy(update=update)
