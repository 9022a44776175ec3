"""What the simulation reads: lead volumes at the entries, deal values at the won outcomes, the
scenarios' overrides, and connections that would carry leads out of an outcome.

The simulation refuses a scenario that names a missing item (``simulate --scenario``); this
check says so in the editor before anyone runs it. It reads the same table the simulation
applies, :data:`models.document.SCENARIO_TARGETS`, so a new kind of override is checked too.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.document import SCENARIO_TARGETS
from models.findings import Finding
from models.vocabulary import CARRIES_LEADS, OUTCOME_KINDS

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    opened = {n.subprocess for n in ctx.doc.nodes if n.kind == "subprocess" and n.subprocess}
    with_revenue = {n.process for n in ctx.doc.nodes if n.kind == "won" and n.deal_value}
    for node in ctx.doc.nodes:
        if node.kind == "entry" and node.volume is None:
            process = ctx.processes.get(node.process)
            if process is None or process.kind == "subprocess" or process.id in opened:
                continue  # leads come in from the step that opens it
            yield ctx.finding(
                "entry-without-volume",
                f"The entry {ctx.label(node.id)} has no volume, so no leads start there when "
                f"'{process.name}' is simulated.",
                process=node.process,
                nodes=(node.id,),
                hint=f"Enter its leads per {ctx.doc.period} (Volume), 0 if the source is paused",
            )
        elif node.kind == "won" and node.deal_value is None and node.process in with_revenue:
            yield ctx.finding(
                "won-without-deal-value",
                f"The won outcome {ctx.label(node.id)} has no deal value while other deals of "
                f"'{ctx.processes[node.process].name}' have one, so its deals bring no revenue.",
                process=node.process,
                nodes=(node.id,),
                hint="Enter the average revenue of a deal won here",
            )
    for edge in ctx.doc.edges:
        if edge.kind not in CARRIES_LEADS:
            continue
        source = ctx.nodes.get(edge.source)
        if source is not None and source.kind in OUTCOME_KINDS:
            outcome = "won" if source.kind == "won" else "lost"
            yield ctx.finding(
                "edge-from-outcome",
                f"The {edge.kind} connection from the {outcome} outcome {ctx.label(source.id)} to "
                f"{ctx.label(edge.target)} sends on leads that have already ended.",
                process=source.process,
                nodes=[source.id, edge.target],
                edges=[edge.id],
                hint="Remove it, or draw it from the step before the outcome",
            )
    yield from _scenarios(ctx)


def _scenarios(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.scenarios:
        return
    known: dict[str, object] = {}
    for scenario in ctx.doc.scenarios:
        wrong: list[str] = []
        for field, (collection, _attribute, what) in SCENARIO_TARGETS.items():
            keys = getattr(scenario, field, None) or {}
            if not keys:
                continue
            if collection not in known:
                known[collection] = (
                    ctx.nodes
                    if collection == "nodes"
                    else {item.id: item for item in getattr(ctx.doc, collection)}
                )
            items: dict = known[collection]  # type: ignore[assignment]
            for key in keys:
                item = items.get(key)
                words = field.replace("_", " ")
                if item is None:
                    wrong.append(f"the {words} of {what} '{key}', which is not in the map")
                elif what == "entry" and getattr(item, "kind", None) != "entry":
                    wrong.append(f"the {words} of '{key}', which is not an entry")
        if scenario.question_share:
            wrong += _unknown_questions(ctx, scenario.question_share)
        if wrong:
            more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
            yield ctx.finding(
                "scenario-unknown-target",
                f"The scenario '{scenario.name}' changes {wrong[0]}{more}, so it cannot be simulated.",
                hint="Fix the id in the scenario or remove that override",
                items=[("scenarios", scenario.id)],
            )


def _unknown_questions(ctx: Context, shares: dict[str, float]) -> list[str]:
    """The keys of a scenario's ``question_share`` the simulation cannot apply: a key names a
    question as ``"<criteria id>.<question id>"``, or by its id alone when one criteria set of
    the map asks it (:func:`models.simulation.prepare.apply_scenario` reads them so)."""
    owners: dict[str, list[str]] = {}
    for criteria in ctx.doc.criteria:
        for question in criteria.questions:
            owners.setdefault(f"{criteria.id}.{question.id}", []).append(criteria.id)
            owners.setdefault(question.id, []).append(criteria.id)
    wrong = []
    for key in shares:
        matches = owners.get(key, [])
        if len(matches) > 1:
            wrong.append(f"the share of question '{key}', which more than one criteria set asks")
        elif not matches:
            criteria_id, dot, question_id = key.partition(".")
            found = ctx.criteria.get(criteria_id) if dot else None
            wrong.append(
                f"the share of question '{question_id}' of '{found.name}', which they do not ask"
                if found is not None
                else f"the share of question '{key}', which no criteria set of the map asks"
            )
    return wrong
