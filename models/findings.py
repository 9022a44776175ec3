"""What the analysis reports: findings with stable codes.

A :class:`Finding` is one thing an experienced consultant would point at on a
map: a dead end, an unowned action, a hand-off without an SLA. Codes are
stable (tests, the CLI's JSON and teams' CI gates depend on them); the
catalogue below gives each its default severity and why it matters in the
method's terms (shown as the tooltip in the editor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    process: str | None = None
    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    hint: str = ""
    items: tuple[tuple[str, str], ...] = ()
    """What the finding is about that is not a step or a connection: ``(collection, id)`` pairs
    such as ``("teams", "sdr")`` or ``("stages", "mql")`` (collections as in
    :data:`models.document.COLLECTIONS`). The editor selects the first one when clicked."""

    @property
    def why(self) -> str:
        return CATALOGUE.get(self.code, Rule(self.code, self.severity, "")).why

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "process": self.process,
            "nodes": list(self.nodes),
            "edges": list(self.edges),
            "hint": self.hint,
            "items": [{"collection": c, "id": i} for c, i in self.items],
        }


def make_finding(
    code: str,
    severity: str,
    message: str,
    process: str | None,
    nodes: tuple[str, ...],
    edges: tuple[str, ...],
    hint: str,
    items: tuple[tuple[str, str], ...],
) -> Finding:
    """``Finding(code, severity, ...)``, built without the frozen dataclass's ``__init__``.

    That ``__init__`` sets each field through ``object.__setattr__``; a 2,000-step map gets some
    7,000 findings per analysis, and filling the instance's dictionary at once halves their cost.
    The object is the same in every way (equality, hash, fields).

    >>> make_finding("dead-end", "error", "m", "p", ("a",), (), "h", ()) == Finding(
    ...     "dead-end", "error", "m", "p", ("a",), (), "h")
    True
    """
    finding = _new(Finding)
    fields = finding.__dict__  # filled key by key: cheaper than a keyword dictionary copied in
    fields["code"] = code
    fields["severity"] = severity
    fields["message"] = message
    fields["process"] = process
    fields["nodes"] = nodes
    fields["edges"] = edges
    fields["hint"] = hint
    fields["items"] = items
    return finding


_new = object.__new__


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    why: str
    blocks_simulation: bool = field(default=False)


CATALOGUE: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule(
            "dead-end",
            "error",
            "Leads that reach a step with no next step are lost silently: the trade-show leads nobody processes (method step 5).",
        ),
        Rule(
            "no-call-to-action",
            "warning",
            "An action without a call to action gives the buyer no obvious next step (method step 5).",
        ),
        Rule(
            "orphan-activity",
            "warning",
            "An activity connected to nothing, like a sponsored brand event, spends money without feeding the funnel (method step 5).",
        ),
        Rule("unreachable", "warning", "No lead source leads here, so the step never sees a lead."),
        Rule(
            "no-path-to-won",
            "warning",
            "No lead that reaches this node can ever become a customer.",
        ),
        Rule(
            "trap-loop",
            "error",
            "Leads that enter this loop circle forever and never reach an outcome.",
            True,
        ),
        Rule(
            "recycle-no-reentry",
            "warning",
            "Recycled leads should come back into the funnel after nurturing, not vanish (seeds: leads that stall are returned to marketing).",
        ),
        Rule(
            "unaddressed-step",
            "warning",
            "A buyer step no company action serves is where buyers stall on their own (method step 3).",
        ),
        Rule(
            "role-without-process",
            "warning",
            "Each buyer role buys differently and needs its own purchase process (method steps 1-2).",
        ),
        Rule(
            "unowned-action",
            "warning",
            "A step nobody owns is a step nobody is measured on, so nobody does it (method step 8).",
        ),
        Rule(
            "no-customer-view",
            "warning",
            "Most broken processes fail on the customer's motivations and concerns (method step 7).",
        ),
        Rule(
            "no-technology",
            "info",
            "Naming the technology (CRM, marketing automation, scoring) is how the flow gets automated (method step 9).",
        ),
        Rule(
            "handoff-without-criteria",
            "warning",
            "A hand-off between teams needs qualification criteria, or the teams argue over lead quality (method step 6).",
        ),
        Rule(
            "handoff-without-sla",
            "warning",
            "A hand-off between teams needs an SLA for volume and follow-up speed (shared vocabulary and SLAs).",
        ),
        Rule(
            "missing-conversion",
            "warning",
            "Without a conversion rate the flow cannot be measured or simulated (method step 4).",
            True,
        ),
        Rule(
            "conversion-over-100",
            "error",
            "More than 100% of a node's leads cannot leave it: the rates on its edges are inconsistent.",
            True,
        ),
        Rule(
            "single-branch-decision",
            "warning",
            "A decision with one branch is not a decision: what happens to the other answer?",
        ),
        Rule(
            "undefined-stage",
            "warning",
            "Teams must define the same things the same way: every stage used needs a definition in the shared vocabulary.",
        ),
        Rule(
            "missing-criteria",
            "error",
            "A step refers to qualification criteria that are not defined.",
        ),
        Rule(
            "broken-subprocess",
            "error",
            "A sub-process node must open an existing process other than its own.",
        ),
        Rule(
            "sla-over-capacity",
            "warning",
            "An SLA the receiving team cannot meet with its people at the funnel's volume will be breached every period.",
        ),
        Rule("no-entry", "info", "A process without an entry has no leads to simulate.", True),
        Rule(
            "gate-role-without-process",
            "error",
            "A committee gate needs each role to clear a step of its own purchase process; a role with no process can never clear, and nobody can say how often it would (method steps 1-2).",
            True,
        ),
        Rule(
            "gate-step-outside-role",
            "error",
            "What a role clears must be a step of that role's own purchase process: the CFO clears the CFO's payback check, not a step of the funnel or of IT's review.",
            True,
        ),
        Rule(
            "gate-step-unreachable",
            "warning",
            "A cleared step the role's journey never reaches can never be cleared: every deal stops at the gate.",
        ),
        Rule(
            "gate-never-clears",
            "warning",
            "A role that clears with probability 0 stops every deal at the committee gate: one 0% on the role's path decides the whole funnel.",
        ),
        Rule(
            "gate-outside-funnel",
            "warning",
            "A committee gate holds deals back in the company funnel; on a step of a buyer's own process or a sub-process it means nothing, and the simulation ignores it.",
        ),
        Rule(
            "gate-on-entry-or-outcome",
            "warning",
            "A committee decides on a step deals go through: leads start at an entry before any committee meets, and leads that reach an outcome stay there, so a gate on either holds nothing back.",
        ),
        Rule(
            "stage-without-owner",
            "warning",
            "Teams must define the same things the same way, and each stage needs an owner: an MQL nobody owns is a lead nobody works while each team says the other should (seeds 001, 004).",
        ),
        Rule(
            "stage-without-definition",
            "warning",
            "A stage without a definition means one thing to marketing and another to sales, so the teams argue over what an MQL is instead of working it (seeds 001, 004: define the same things the same way).",
        ),
        Rule(
            "stage-skipped",
            "warning",
            "Every lead passes each stage of the shared vocabulary: a path from Lead straight to SQL skips the review the missing stage stands for, and the stage counts and conversions of the integrated funnel no longer add up.",
        ),
        Rule(
            "stage-backwards",
            "warning",
            "A lead that goes back to an earlier stage is a returned lead: drawn as ordinary flow it is counted again as new, and nobody owns the return; leads that stall go back to marketing for nurturing through a recycle connection (seeds 000, 001).",
        ),
        Rule(
            "broken-sla",
            "error",
            "An SLA binds two teams of the map on a stage of the shared vocabulary: one that names a team or stage that does not exist binds nobody and is never checked (seed 001).",
        ),
        Rule(
            "sla-unmatched",
            "warning",
            "An SLA applies where one team's step passes leads to the other team's step; with no such hand-off on any diagram, its volumes and response times are never simulated or checked.",
        ),
        Rule(
            "sla-attempts-without-window",
            "warning",
            "A follow-up cadence is a number of attempts within a window ('5 attempts within 14 days', seed 001); attempts with no window say nothing about how fast sales must follow up, so nobody can check them.",
        ),
        Rule(
            "sla-cadence-over-hours",
            "warning",
            "With N leads and X working hours a month a rep can make only so many follow-up attempts (seed 001): a cadence the receiving team's hours cannot cover is breached every period.",
        ),
        Rule(
            "team-over-capacity",
            "warning",
            "A team that must work more leads per period than its people can handle leaves the rest untouched: they go cold at its steps whatever the conversion rates say (method step 8; the simulation's bottleneck).",
        ),
        Rule(
            "team-without-people",
            "warning",
            "A team with no people cannot do the steps it owns: every lead that reaches them waits or is lost, and nobody is measured on them (method step 8).",
        ),
        Rule(
            "unused-criteria",
            "warning",
            "Qualification criteria no step applies exist only on paper: leads are handed over without them and the teams argue over lead quality (method step 6).",
        ),
        Rule(
            "criteria-threshold-unreachable",
            "error",
            "A threshold that even a lead answering every question positively cannot reach qualifies nobody: every lead fails the steps that apply it (method step 6).",
        ),
        Rule(
            "incomplete-criteria",
            "warning",
            "Qualification criteria need questions (BANT and company-specific ones) and a threshold, the score or number of positive answers that makes a lead acceptable (method step 6); without either, no two people apply them the same way.",
        ),
        Rule(
            "buyer-process-without-role",
            "warning",
            "A purchase process is one buyer role's journey (method steps 1-2): without its role nobody knows whose motivations and concerns its steps carry, and no committee gate can read it.",
        ),
        Rule(
            "buyer-step-wrong-role",
            "warning",
            "A role's purchase process holds that role's steps (method step 2): a step of another role mixes two journeys, and the actions that serve it address the wrong person.",
        ),
        Rule(
            "misdirected-addresses",
            "warning",
            "An 'addresses' connection says a company action serves a buyer step (method step 3): drawn from anything else, or the wrong way round, the step is not really served and the Company actions list misses it.",
        ),
        Rule(
            "won-without-deal-value",
            "warning",
            "Revenue is deals times deal value (customers needed = quota / revenue per customer, seed 000): a won outcome with no deal value counts its deals at zero while the rest of the funnel has revenue, so the simulated revenue falls short.",
        ),
        Rule(
            "entry-without-volume",
            "warning",
            "Volume by source is where every funnel number starts (seeds 000, 001): an entry with no leads per period adds nothing to the simulation, so its campaign cannot be measured or compared.",
        ),
        Rule(
            "scenario-unknown-target",
            "error",
            "A what-if scenario changes items of the map by id: one that names a step, connection or team the map does not have cannot be run, and the simulation refuses it.",
        ),
        Rule(
            "edge-from-outcome",
            "error",
            "Leads that reach a won or lost outcome stay there: a connection leaving an outcome sends on leads that have already ended, and the simulation refuses to run with it.",
        ),
    ]
}
"""Every finding code, its default severity and why it matters."""
