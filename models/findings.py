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
        }


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
    ]
}
"""Every finding code, its default severity and why it matters."""
