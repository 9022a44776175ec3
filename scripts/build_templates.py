"""Build the shipped templates in resources/templates/ from readable Python.

    python scripts/build_templates.py          # rewrite the JSON files
    python scripts/build_templates.py --check  # print each template's expected flow

The JSON files are committed; tests/test_templates.py checks they equal this
script's output, so edit the templates here, never by hand. Numbers follow
../shared/DOMAIN.md; each template leaves a few deliberate, realistic gaps for
the analysis to find (their descriptions start with "Deliberate gap").
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.document import (  # noqa: E402
    SLA,
    BuyerRole,
    Clearance,
    Criteria,
    Edge,
    JourneyMap,
    Node,
    Process,
    Question,
    Scenario,
    Stage,
    Team,
)
from models.storage import dumps_map  # noqa: E402

COLUMN, ROW = 230.0, 120.0


class Builder:
    """Small helpers so a template reads like the diagram it describes."""

    def __init__(self, doc: JourneyMap) -> None:
        self.doc = doc
        self.process = ""
        self._edges = 0

    def in_process(self, process_id: str) -> Builder:
        self.process = process_id
        self._edges = 0
        return self

    def node(self, node_id: str, kind: str, label: str, col: float, row: float, **fields) -> str:
        self.doc.nodes.append(
            Node(id=node_id, process=self.process, kind=kind, label=label, **fields)
        )
        self.doc.layout.nodes[node_id] = (col * COLUMN, row * ROW)
        return node_id

    def flow(
        self,
        source: str,
        target: str,
        conversion: float | None,
        delay: float | None = None,
        kind: str = "flow",
        label: str = "",
    ) -> None:
        self._edges += 1
        self.doc.edges.append(
            Edge(
                id=f"{self.process}-e{self._edges}",
                source=source,
                target=target,
                kind=kind,
                conversion=conversion,
                delay_days=delay,
                label=label,
            )
        )

    def addresses(self, action: str, step: str) -> None:
        self._edges += 1
        self.doc.edges.append(
            Edge(id=f"{self.process}-a{self._edges}", source=action, target=step, kind="addresses")
        )


# --- shared vocabulary ---------------------------------------------------------------------------


def lifecycle_stages() -> list[Stage]:
    return [
        Stage(
            id="lead",
            name="Lead",
            owner="marketing",
            definition="A person who gave us contact details (form, scan, sign-up) and is in the CRM.",
            entry_criteria="Created by a form, a badge scan or a trial sign-up; source and campaign recorded.",
            on_rejection="Stays in marketing nurture; deleted after 24 months without activity.",
        ),
        Stage(
            id="mql",
            name="MQL",
            owner="marketing",
            definition="Marketing-qualified lead: lead score of 60 or more on the BANT model.",
            entry_criteria="Score >= 60, or a demo request from a company of 50+ employees.",
            on_rejection="Back to nurture with the reason recorded.",
        ),
        Stage(
            id="sal",
            name="SAL",
            owner="sdr",
            definition="Sales-accepted lead: an SDR reviewed the MQL and accepted to work it.",
            entry_criteria="Reviewed within 8 working hours of becoming an MQL.",
            on_rejection="Returned to marketing with a rejection reason (wrong persona, no budget, student...).",
        ),
        Stage(
            id="sql",
            name="SQL",
            owner="sdr",
            definition="Sales-qualified lead: BANT confirmed on a call (4 of 6 questions positive).",
            entry_criteria="Qualification call held and logged in the CRM.",
            on_rejection="Back to nurture if timing is wrong; disqualified if no need.",
        ),
        Stage(
            id="opportunity",
            name="Opportunity",
            owner="sales",
            definition="A deal the account executive forecasts, with amount and close date.",
            entry_criteria="Discovery meeting held; the AE owns the record from here.",
            on_rejection="Closed lost with a reason; a 6-month nurture track for 'not now'.",
        ),
        Stage(
            id="customer",
            name="Customer",
            owner="customer_success",
            definition="Signed contract; handed to customer success for onboarding, retention and expansion.",
            entry_criteria="Contract signed and first invoice sent.",
            on_rejection="Churned customers enter the win-back (recover) program.",
        ),
    ]


def bant() -> Criteria:
    return Criteria(
        id="bant",
        name="BANT + fit",
        description="A lead becomes an MQL at 60 points; an SQL when 4 of the 6 questions are confirmed on a call.",
        questions=[
            Question(
                id="budget",
                text="Has budget been set aside this year?",
                category="budget",
                points=20,
            ),
            Question(
                id="authority",
                text="Is the contact the decision maker or the champion?",
                category="authority",
                points=20,
            ),
            Question(
                id="need",
                text="Do they have the problem we solve, today?",
                category="need",
                points=25,
            ),
            Question(
                id="timing",
                text="Do they plan to buy within 6 months?",
                category="timing",
                points=15,
            ),
            Question(
                id="midsize",
                text="Is the company mid-size (50-1,000 employees)?",
                category="custom",
                points=10,
            ),
            Question(
                id="b2b", text="Do they sell business to business?", category="custom", points=10
            ),
        ],
        threshold_score=60,
        threshold_answers=4,
    )


def core_teams(sdr_headcount: int = 2) -> list[Team]:
    return [
        Team(
            id="marketing",
            name="Marketing",
            function="marketing",
            headcount=4,
            capacity=1500,
            color="#d9822b",
        ),
        Team(
            id="sdr",
            name="SDR / inside sales",
            function="sdr",
            headcount=sdr_headcount,
            capacity=300,
            color="#2b8a3e",
        ),
        Team(
            id="sales",
            name="Account executives",
            function="sales",
            headcount=4,
            capacity=25,
            color="#1c7ed6",
        ),
        Team(
            id="customer_success",
            name="Customer success",
            function="customer_success",
            headcount=3,
            capacity=40,
            color="#7048e8",
        ),
    ]


# --- enterprise ------------------------------------------------------------------------------------


def enterprise() -> JourneyMap:
    doc = JourneyMap(
        name="Enterprise buying group",
        description=(
            "A mid-market B2B software sale with four buyer roles (champion, business buyer, IT approver, CFO), "
            "each with its own purchase process, and the company funnel from Lead to Customer with BANT "
            "qualification, SLAs between marketing, SDRs and sales, and an 'unreachable' loop back to nurture. "
            "The contract waits for the buying committee: every role must clear its own process first. "
            "Open the analysis: the trade-show leads, the sponsored brand event and the buyer's reference check "
            "are deliberate gaps."
        ),
        roles=[
            BuyerRole(
                id="champion",
                name="Technical champion",
                kind="champion",
                influence="high",
                goals=["Solve the team's daily pain", "Look good for bringing the right tool"],
                concerns=["Another tool to maintain", "Being blamed if it fails"],
            ),
            BuyerRole(
                id="business-buyer",
                name="Business buyer",
                kind="economic_buyer",
                influence="high",
                goals=["Hit the department's targets", "Predictable cost"],
                concerns=["Disruption during roll-out", "Budget already committed"],
            ),
            BuyerRole(
                id="it-approver",
                name="IT approver",
                kind="it_approver",
                influence="medium",
                goals=["Security and compliance", "Fits the existing stack"],
                concerns=["Data leaving the network", "Shadow IT"],
            ),
            BuyerRole(
                id="cfo",
                name="CFO",
                kind="cfo",
                influence="medium",
                description="Only involved when the purchase is above $50,000 a year.",
                goals=["Payback within 12 months"],
                concerns=["Multi-year commitments", "Hidden costs"],
            ),
        ],
        teams=core_teams(),
        stages=lifecycle_stages(),
        criteria=[bant()],
        processes=[
            Process(
                id="funnel",
                name="Company funnel",
                kind="funnel",
                description="Marketing's lead funnel and sales' opportunity funnel as one end-to-end funnel.",
            ),
            Process(
                id="champion-journey",
                name="Champion's purchase process",
                kind="buyer",
                role="champion",
            ),
            Process(
                id="business-journey",
                name="Business buyer's purchase process",
                kind="buyer",
                role="business-buyer",
            ),
            Process(id="it-journey", name="IT approval", kind="buyer", role="it-approver"),
            Process(id="cfo-journey", name="CFO sign-off", kind="buyer", role="cfo"),
        ],
        slas=[
            SLA(
                id="sla-mql-volume",
                name="300 MQLs per SDR per month",
                from_team="marketing",
                to_team="sdr",
                stage="mql",
                criteria="bant",
                leads_per_rep=300,
                description="Marketing delivers 300 MQLs per SDR per month that meet the BANT+fit score.",
            ),
            SLA(
                id="sla-follow-up",
                name="First touch within 8 working hours, 5 attempts in 14 days",
                from_team="marketing",
                to_team="sdr",
                stage="sal",
                response_hours=8,
                attempts=5,
                attempt_window_days=14,
                late_conversion_factor=0.6,
                description="Leads touched late convert at 60% of the normal rate.",
            ),
            SLA(
                id="sla-sql-accept",
                name="AE accepts SQLs within 2 working days",
                from_team="sdr",
                to_team="sales",
                stage="sql",
                criteria="bant",
                response_hours=16,
            ),
        ],
    )
    b = Builder(doc)

    # The company funnel: row 0-1 lead sources, the spine on row 2, loops below.
    b.in_process("funnel")
    b.node(
        "web-inbound",
        "entry",
        "Website inbound",
        0,
        0,
        stage="lead",
        volume=800,
        cost=35,
        technology=["Web analytics", "Forms"],
        description="Content downloads, contact forms, pricing-page visits.",
    )
    b.node(
        "paid-search",
        "entry",
        "Paid search",
        0,
        1.2,
        stage="lead",
        volume=400,
        cost=60,
        technology=["Ads"],
    )
    b.node(
        "trade-show",
        "entry",
        "Trade show badge scans",
        0,
        3.4,
        stage="lead",
        volume=250,
        cost=90,
        description="Deliberate gap: the trade-show leads nobody processes afterwards (no next step).",
    )
    b.node(
        "brand-event",
        "action",
        "Sponsored brand event",
        0,
        4.6,
        owner="marketing",
        cost=30,
        call_to_action="Visit our booth",
        description="Deliberate gap: a sponsored brand event with no connection to the funnel at all.",
    )
    b.node(
        "capture",
        "action",
        "Capture in marketing automation",
        1,
        0.6,
        owner="marketing",
        stage="lead",
        call_to_action="Confirm your e-mail",
        technology=["Marketing automation", "CRM"],
        motivations=["Gets the content they asked for"],
        concerns=["Spam"],
    )
    b.node(
        "score",
        "action",
        "Score and nurture",
        2,
        0.6,
        owner="marketing",
        stage="lead",
        criteria="bant",
        duration_days=14,
        call_to_action="Register for the technical webinar",
        technology=["Lead scoring", "Marketing automation"],
        motivations=["Useful content at their pace"],
        concerns=["Being pushed to a sales call too early"],
    )
    b.node("is-mql", "decision", "Score 60 or more?", 3, 0.6, stage="mql", criteria="bant")
    b.node(
        "nurture",
        "action",
        "Nurture program",
        3,
        2.2,
        owner="marketing",
        stage="lead",
        duration_days=30,
        call_to_action="Read the customer story",
        technology=["Marketing automation"],
        motivations=["Learns without talking to sales"],
        concerns=["Irrelevant e-mails"],
    )
    b.node(
        "sdr-review",
        "action",
        "SDR reviews the MQL",
        4,
        0.6,
        owner="sdr",
        stage="sal",
        criteria="bant",
        call_to_action="Accept or return with a reason",
        technology=["CRM"],
        motivations=["Fast, relevant answer"],
        concerns=["A cold call out of nowhere"],
    )
    b.node(
        "first-touch",
        "action",
        "First touch, 5 attempts in 14 days",
        5,
        0.6,
        owner="sdr",
        stage="sal",
        duration_days=14,
        call_to_action="Book a 20-minute call",
        technology=["Sales engagement", "CRM"],
        motivations=["Help with a real problem"],
        concerns=["Too many calls"],
    )
    b.node("reached", "decision", "Reached?", 6, 0.6)
    b.node(
        "unreachable",
        "action",
        "Unreachable after 5 attempts",
        6,
        2.2,
        owner="sdr",
        stage="sal",
        call_to_action="Return to marketing nurture",
        technology=["CRM"],
        motivations=["Not now"],
        concerns=["Being chased"],
    )
    b.node(
        "qualify",
        "action",
        "BANT qualification call",
        7,
        0.6,
        owner="sdr",
        stage="sql",
        criteria="bant",
        call_to_action="Meet an account executive",
        technology=["CRM", "Video calls"],
        motivations=["Get a tailored answer"],
        concerns=["Sharing budget too early"],
    )
    b.node(
        "discovery",
        "action",
        "Discovery and demo",
        8,
        0.6,
        owner="sales",
        stage="opportunity",
        criteria="bant",
        duration_days=10,
        call_to_action="Start a guided evaluation",
        technology=["CRM", "Demo environment"],
        motivations=["See their own use case"],
        concerns=["Generic demo"],
    )
    b.node(
        "proposal",
        "action",
        "Proposal and negotiation",
        9,
        0.6,
        owner="sales",
        stage="opportunity",
        duration_days=20,
        call_to_action="Take the proposal to your buying group",
        technology=["CPQ"],
        motivations=["Clear price, clear plan"],
        concerns=["Lock-in", "Hidden costs"],
    )
    b.node(
        "contract",
        "action",
        "Committee sign-off and contract",
        10,
        0.6,
        owner="sales",
        stage="opportunity",
        duration_days=5,
        call_to_action="Sign the order form",
        technology=["E-signature", "CRM"],
        motivations=["Every approver on board"],
        concerns=["Legal redlines"],
        description=(
            "The buying committee: a deal reaches the contract only when the champion, the business "
            "buyer, IT and the CFO have each cleared their own purchase process."
        ),
        gate=[
            Clearance(role="champion", step="ch-recommends"),
            Clearance(role="business-buyer", step="bb-approves"),
            Clearance(role="it-approver", step="it-approved"),
            Clearance(role="cfo", step="cfo-signs"),
        ],
    )
    b.node("customer", "won", "Customer", 11, 0, stage="customer", deal_value=48000)
    b.node("closed-lost", "lost", "Closed lost", 11, 1.2)
    # The company's actions that serve the buying group's steps (method step 3), below the
    # funnel in the stage they belong to: the company-centric view lists them in that order.
    b.node(
        "act-webinar",
        "action",
        "Technical webinar",
        2,
        2.2,
        owner="marketing",
        stage="lead",
        call_to_action="Start a free trial",
        technology=["Webinar platform", "Marketing automation"],
        motivations=["Ask an engineer"],
        concerns=["Sales pitch disguised as a webinar"],
    )
    b.node(
        "act-content",
        "action",
        "Comparison guide and reviews",
        8,
        2.2,
        owner="marketing",
        stage="opportunity",
        call_to_action="Download the comparison guide",
        technology=["CMS", "Review sites"],
        motivations=["Honest comparison"],
        concerns=["Gated content"],
    )
    b.node(
        "act-guided-trial",
        "action",
        "Guided trial with a sales engineer",
        8,
        3.4,
        owner="sales",
        stage="opportunity",
        call_to_action="Book the set-up call",
        technology=["Trial environment", "CRM"],
        motivations=["Working set-up in one hour"],
        concerns=["Firewall change requests"],
    )
    b.node(
        "act-case-kit",
        "action",
        "Business case kit",
        8,
        4.6,
        owner="sales",
        stage="opportunity",
        call_to_action="Share the ROI calculator with your manager",
        technology=["ROI calculator"],
        motivations=["Ready-made slides"],
        concerns=["Numbers that look like marketing"],
    )
    b.node(
        "act-exec-brief",
        "action",
        "Executive briefing",
        9,
        2.2,
        owner="sales",
        stage="opportunity",
        call_to_action="Agree a success plan",
        technology=["CRM"],
        motivations=["A plan with dates"],
        concerns=["Too technical"],
    )
    b.node(
        "act-payback-model",
        "action",
        "Payback model with finance terms",
        9,
        3.4,
        owner="sales",
        stage="opportunity",
        call_to_action="Review the payback model with your controller",
        technology=["ROI calculator"],
        motivations=["Conservative numbers"],
        concerns=["Vendor spreadsheet"],
    )
    b.node(
        "act-security-pack",
        "action",
        "Security questionnaire pack",
        10,
        2.2,
        owner="sales",
        stage="opportunity",
        call_to_action="Download the SOC 2 report",
        technology=["Trust portal"],
        motivations=["Answers ready"],
        concerns=["NDA first"],
    )
    b.node(
        "act-integration-docs",
        "action",
        "SSO and CRM integration guide",
        10,
        3.4,
        owner="customer_success",
        stage="opportunity",
        call_to_action="Test SSO in the sandbox",
        technology=["Docs site", "Sandbox"],
        motivations=["Self-serve test"],
        concerns=["Out-of-date docs"],
    )
    b.flow("web-inbound", "capture", 0.9, 0)
    b.flow("paid-search", "capture", 0.85, 0)
    b.flow("capture", "score", 1.0, 1)
    b.flow("score", "is-mql", 1.0, 14)
    b.flow("is-mql", "sdr-review", 0.25, 0, label="MQL")
    b.flow("is-mql", "nurture", 0.75, 0, label="not yet")
    b.flow("nurture", "score", 0.3, 30, kind="recycle", label="re-engaged")
    b.flow("sdr-review", "first-touch", 0.85, 0.3, label="SAL")
    b.flow("sdr-review", "nurture", 0.15, 0, kind="recycle", label="rejected MQL")
    b.flow("first-touch", "reached", 1.0, 3)
    b.flow("reached", "qualify", 0.6, 1)
    b.flow("reached", "unreachable", 0.4, 14)
    b.flow("unreachable", "nurture", 0.9, 0, kind="recycle", label="unreachable -> nurture")
    b.flow("qualify", "discovery", 0.45, 5, label="SQL")
    b.flow("qualify", "nurture", 0.35, 0, kind="recycle", label="timing wrong")
    b.flow("discovery", "proposal", 0.55, 10)
    b.flow("proposal", "contract", 0.8, 5)
    b.flow("proposal", "closed-lost", 0.2, 0)
    b.flow("contract", "customer", 0.95, 3)
    b.flow("contract", "closed-lost", 0.05, 0)
    b.addresses("act-webinar", "ch-trial")
    b.addresses("act-content", "ch-compare")
    b.addresses("act-guided-trial", "ch-trial")
    b.addresses("act-case-kit", "ch-case")
    b.addresses("act-exec-brief", "bb-weighs")
    b.addresses("act-payback-model", "cfo-roi")
    b.addresses("act-security-pack", "it-security")
    b.addresses("act-integration-docs", "it-integration")

    # The buying group. Each role's purchase process is its part in a deal once the proposal
    # is on the table: it starts when the deal reaches that role (its entry: about the deals a
    # month that reach the committee) and ends in a won outcome, the step the contract's
    # committee gate requires it to clear. The actions serving these steps are the funnel's.
    committee = 35

    # Champion: the technical validation.
    b.in_process("champion-journey")
    b.node(
        "ch-sponsor",
        "entry",
        "Sponsors the evaluation",
        0,
        0,
        role="champion",
        volume=committee,
        motivations=["Solve the team's daily pain"],
        concerns=["Being blamed if it fails"],
    )
    b.node(
        "ch-compare",
        "buyer_step",
        "Compares us with two other vendors",
        1,
        0,
        role="champion",
        stage="opportunity",
        motivations=["Pick the safest option"],
        concerns=["Feature lists all look the same"],
    )
    b.node(
        "ch-trial",
        "buyer_step",
        "Tries the product on own data",
        2,
        0,
        role="champion",
        stage="opportunity",
        duration_days=10,
        motivations=["See it work on own data"],
        concerns=["Trial needs a firewall port opened", "No time to set it up"],
    )
    b.node("ch-works", "decision", "Does it solve the problem?", 3, 0, role="champion")
    b.node(
        "ch-case",
        "buyer_step",
        "Builds the internal case",
        4,
        0,
        role="champion",
        stage="opportunity",
        motivations=["Credit for the improvement"],
        concerns=["Can't answer finance questions"],
    )
    b.node("ch-recommends", "won", "Technical validation passed", 5, 0)
    b.node("ch-status-quo", "lost", "Stays with the status quo", 4, 1.2)
    b.flow("ch-sponsor", "ch-compare", 1.0, 2)
    b.flow("ch-compare", "ch-trial", 0.95, 3)
    b.flow("ch-trial", "ch-works", 1.0, 0)
    b.flow("ch-works", "ch-case", 0.85, 2, label="yes")
    b.flow("ch-works", "ch-status-quo", 0.15, 0, label="no")
    b.flow("ch-case", "ch-recommends", 0.95, 5)

    # Business buyer: weighs value against priorities and decides.
    b.in_process("business-journey")
    b.node(
        "bb-hears",
        "entry",
        "Hears the champion's case",
        0,
        0,
        role="business-buyer",
        volume=committee,
        motivations=["Team productivity"],
        concerns=["Another pet project"],
    )
    b.node(
        "bb-weighs",
        "buyer_step",
        "Weighs value against priorities",
        1,
        0,
        role="business-buyer",
        stage="opportunity",
        motivations=["Hit the department's targets"],
        concerns=["Roll-out disruption"],
    )
    b.node(
        "bb-references",
        "buyer_step",
        "Asks peers for references",
        2,
        0,
        role="business-buyer",
        stage="opportunity",
        motivations=["Proof from a similar company"],
        concerns=["Vendor-picked references"],
        description="Deliberate gap: no company action addresses the reference check.",
    )
    b.node("bb-worth", "decision", "Worth the budget?", 3, 0, role="business-buyer")
    b.node("bb-approves", "won", "Approves the purchase", 4, 0)
    b.node("bb-defers", "lost", "Defers to next year", 4, 1.2)
    b.flow("bb-hears", "bb-weighs", 1.0, 3)
    b.flow("bb-weighs", "bb-references", 0.95, 3)
    b.flow("bb-references", "bb-worth", 1.0, 7)
    b.flow("bb-worth", "bb-approves", 0.85, 2, label="yes")
    b.flow("bb-worth", "bb-defers", 0.15, 0, label="no")

    # IT approver: the security review.
    b.in_process("it-journey")
    b.node(
        "it-request",
        "entry",
        "Receives the approval request",
        0,
        0,
        role="it-approver",
        volume=committee,
        concerns=["One more vendor to assess"],
    )
    b.node(
        "it-security",
        "buyer_step",
        "Security review",
        1,
        0,
        role="it-approver",
        stage="opportunity",
        duration_days=10,
        motivations=["Pass the audit"],
        concerns=["Data leaving the network"],
    )
    b.node(
        "it-integration",
        "buyer_step",
        "Checks SSO and CRM integration",
        2,
        0,
        role="it-approver",
        stage="opportunity",
        motivations=["No new passwords"],
        concerns=["Custom integration work"],
    )
    b.node("it-ok", "decision", "Approve?", 3, 0, role="it-approver")
    b.node("it-approved", "won", "Security review approved", 4, 0)
    b.node("it-blocked", "lost", "Blocked", 4, 1.2)
    b.flow("it-request", "it-security", 1.0, 2)
    b.flow("it-security", "it-integration", 0.95, 0)
    b.flow("it-integration", "it-ok", 1.0, 3)
    b.flow("it-ok", "it-approved", 0.9, 1, label="yes")
    b.flow("it-ok", "it-blocked", 0.1, 0, label="no")

    # CFO: the payback check, the committee's weakest link.
    b.in_process("cfo-journey")
    b.node(
        "cfo-desk",
        "entry",
        "Large purchase lands on the desk",
        0,
        0,
        role="cfo",
        volume=committee,
        concerns=["Multi-year commitment"],
    )
    b.node(
        "cfo-roi",
        "buyer_step",
        "Reviews ROI and payback",
        1,
        0,
        role="cfo",
        stage="opportunity",
        duration_days=7,
        motivations=["Payback within 12 months"],
        concerns=["Optimistic assumptions"],
    )
    b.node("cfo-payback", "decision", "Payback under 12 months?", 2, 0, role="cfo")
    b.node("cfo-signs", "won", "Payback accepted", 3, 0)
    b.node("cfo-rejects", "lost", "Sends it back", 3, 1.2)
    b.flow("cfo-desk", "cfo-roi", 1.0, 2)
    b.flow("cfo-roi", "cfo-payback", 1.0, 0)
    b.flow("cfo-payback", "cfo-signs", 0.65, 3, label="yes")
    b.flow("cfo-payback", "cfo-rejects", 0.35, 0, label="no")

    doc.scenarios = [
        Scenario(
            id="mql-to-sql-plus-10",
            name="MQL-to-SQL +10%",
            description="A better qualification call: 10% more SQLs from the same MQLs.",
            conversion={"funnel-e14": 0.495},
        ),
        Scenario(
            id="add-sdr",
            name="Add an SDR",
            description="A third SDR: 900 MQLs a month of capacity.",
            headcount={"sdr": 3},
        ),
        Scenario(
            id="payback-model",
            name="Conservative payback model",
            description=(
                "A payback model the CFO's controller trusts: 80% of CFOs accept the payback "
                "instead of 65%, so more deals pass the buying committee."
            ),
            conversion={"cfo-journey-e3": 0.8, "cfo-journey-e4": 0.2},
        ),
    ]
    return doc


# --- saas-trial ----------------------------------------------------------------------------------


def saas_trial() -> JourneyMap:
    doc = JourneyMap(
        name="SaaS free trial",
        description=(
            "A technical champion finds, tries and buys a SaaS tool. The free trial is its own sub-process "
            "(double-click it): most broken trials fail on the buyer's concerns, like a firewall port to open "
            "or a credit card at sign-up. Beige boxes are the company's actions serving each buyer step."
        ),
        roles=[
            BuyerRole(
                id="champion",
                name="Technical champion",
                kind="champion",
                influence="high",
                goals=["Fix the team's pain this quarter"],
                concerns=["Set-up effort", "Security review"],
            )
        ],
        teams=[
            Team(
                id="marketing",
                name="Growth marketing",
                function="marketing",
                headcount=3,
                capacity=5000,
                color="#d9822b",
            ),
            Team(
                id="sdr",
                name="Trial concierge (SDR)",
                function="sdr",
                headcount=2,
                capacity=400,
                color="#2b8a3e",
            ),
            Team(
                id="sales",
                name="Account executives",
                function="sales",
                headcount=2,
                capacity=40,
                color="#1c7ed6",
            ),
        ],
        stages=[
            Stage(
                id="visitor",
                name="Visitor",
                owner="marketing",
                definition="Anonymous visitor on docs or reviews.",
            ),
            Stage(
                id="trial",
                name="Trial user",
                owner="marketing",
                definition="Signed up for the 14-day trial.",
                on_rejection="Trial-expired nurture sequence.",
            ),
            Stage(
                id="pql",
                name="PQL",
                owner="sdr",
                definition="Product-qualified lead: connected data and invited a teammate.",
                entry_criteria="Two activation events within the trial.",
                on_rejection="Back to onboarding e-mails.",
            ),
            Stage(id="customer", name="Customer", owner="sales", definition="Paying team plan."),
        ],
        processes=[
            Process(
                id="champion-journey",
                name="Champion's purchase process",
                kind="buyer",
                role="champion",
            ),
            Process(
                id="free-trial",
                name="Free trial",
                kind="subprocess",
                description="From sign-up to the 'it works' moment; opened from the champion's process.",
            ),
        ],
    )
    b = Builder(doc)
    b.in_process("champion-journey")
    b.node(
        "need",
        "entry",
        "Needs a tool for the team",
        0,
        0,
        role="champion",
        stage="visitor",
        volume=4000,
        cost=4,
        motivations=["Recurring manual work"],
        concerns=["No budget of his own"],
    )
    b.node(
        "research",
        "buyer_step",
        "Reads docs and reviews",
        1,
        0,
        role="champion",
        stage="visitor",
        motivations=["Honest technical detail"],
        concerns=["Marketing fluff"],
    )
    b.node(
        "trial",
        "subprocess",
        "Free trial",
        2,
        0,
        role="champion",
        stage="trial",
        subprocess="free-trial",
        duration_days=14,
        motivations=["Try before talking to sales"],
        concerns=["Credit card at sign-up"],
    )
    b.node("works", "decision", "Does the trial work?", 3, 0, role="champion", stage="pql")
    b.node(
        "asks-manager",
        "buyer_step",
        "Asks the manager to buy",
        4,
        0,
        role="champion",
        stage="pql",
        motivations=["A tool that already works"],
        concerns=["Can't justify the price"],
    )
    b.node("buys", "won", "Buys a team plan", 5, 0, stage="customer", deal_value=6000)
    b.node("abandons", "lost", "Abandons", 3, 1.2)
    b.node(
        "act-docs",
        "action",
        "Public docs and review program",
        1,
        1.2,
        owner="marketing",
        call_to_action="Start free, no credit card",
        technology=["Docs site", "Review sites", "Web analytics"],
        motivations=["Answers without a sales call"],
        concerns=["Outdated docs"],
    )
    b.node(
        "act-signup",
        "action",
        "Frictionless sign-up",
        2,
        1.2,
        owner="marketing",
        call_to_action="Sign up with Google or GitHub",
        technology=["Product analytics", "SSO"],
        motivations=["Started in one minute"],
        concerns=["Credit card requested"],
    )
    b.node(
        "act-pql-call",
        "action",
        "Usage-triggered sales call",
        4,
        1.2,
        owner="sales",
        call_to_action="Get a quote for your team",
        technology=["Product analytics", "CRM"],
        motivations=["Help making the case"],
        concerns=["Pushy sales"],
    )
    b.flow("need", "research", 0.3, 3)
    b.flow("research", "trial", 0.25, 2)
    b.flow("trial", "works", 1.0, 0)
    b.flow("works", "asks-manager", 0.9, 2, label="yes")
    b.flow("works", "abandons", 0.1, 0, label="no")
    b.flow("asks-manager", "buys", 0.5, 14)
    b.addresses("act-docs", "research")
    b.addresses("act-signup", "trial")
    b.addresses("act-pql-call", "asks-manager")

    b.in_process("free-trial")
    b.node(
        "t-account",
        "entry",
        "Creates an account",
        0,
        0,
        role="champion",
        stage="trial",
        motivations=["Curiosity"],
        concerns=["Credit card at sign-up"],
    )
    b.node(
        "t-connect",
        "buyer_step",
        "Connects own data",
        1,
        0,
        role="champion",
        stage="trial",
        duration_days=3,
        motivations=["See real numbers"],
        concerns=["Trial needs a firewall port opened", "IT approval"],
    )
    b.node(
        "t-invite",
        "buyer_step",
        "Invites a teammate",
        2,
        0,
        role="champion",
        stage="trial",
        motivations=["Share the result"],
        concerns=["Colleague's time"],
    )
    b.node("t-aha", "decision", "Reached the 'aha' moment?", 3, 0, role="champion", stage="pql")
    b.node("t-success", "won", "Trial succeeds", 4, 0, stage="pql")
    b.node("t-abandoned", "lost", "Trial abandoned", 4, 1.2)
    b.node(
        "act-onboarding",
        "action",
        "Onboarding e-mail sequence",
        1,
        1.2,
        owner="marketing",
        call_to_action="Connect your data in 5 minutes",
        technology=["Marketing automation", "Product analytics"],
        motivations=["Step-by-step help"],
        concerns=["Too many e-mails"],
    )
    b.node(
        "act-agent",
        "action",
        "Outbound connector (no firewall change)",
        1,
        2.4,
        owner="marketing",
        call_to_action="Install the outbound agent",
        technology=["Connector agent"],
        motivations=["No IT ticket"],
        concerns=["Installing software"],
    )
    b.node(
        "act-concierge",
        "action",
        "Trial concierge chat",
        2,
        1.2,
        owner="sdr",
        call_to_action="Invite your team",
        technology=["In-app chat", "CRM"],
        motivations=["A human when stuck"],
        concerns=["Being sold to"],
    )
    b.node(
        "act-expiry",
        "action",
        "Trial expiry e-mail",
        3,
        1.2,
        owner="marketing",
        technology=["Marketing automation"],
        motivations=["A reminder before losing the work"],
        concerns=["Nagging e-mails"],
        description="Deliberate gap: an e-mail with no call to action, so the buyer has no obvious next step.",
    )
    b.flow("t-account", "t-connect", 0.6, 1)
    b.flow("t-connect", "t-invite", 0.55, 3)
    b.flow("t-invite", "t-aha", 1.0, 4)
    b.flow("t-aha", "t-success", 0.7, 0, label="yes")
    b.flow("t-aha", "t-abandoned", 0.3, 0, label="no")
    b.addresses("act-onboarding", "t-connect")
    b.addresses("act-agent", "t-connect")
    b.addresses("act-concierge", "t-invite")
    b.addresses("act-expiry", "t-aha")
    doc.scenarios = [
        Scenario(
            id="no-firewall",
            name="Outbound connector removes the firewall step",
            description="Connecting data no longer needs IT: 80% instead of 60% get there.",
            conversion={"free-trial-e1": 0.8},
        )
    ]
    return doc


# --- channel -------------------------------------------------------------------------------------


def channel() -> JourneyMap:
    doc = JourneyMap(
        name="Selling through resellers and integrators",
        description=(
            "The company recruits and enables value-added resellers and system integrators (VAR/SI), "
            "whose owners, salespeople and technical staff each buy into the partnership differently; "
            "partner-sourced deals then run through deal registration and co-selling, and an order is "
            "signed only when the reseller backs the deal and the end customer goes ahead."
        ),
        roles=[
            BuyerRole(
                id="partner-owner",
                name="Partner owner",
                kind="channel_partner",
                influence="high",
                goals=["Margin", "A line customers ask for"],
                concerns=["Channel conflict with direct sales"],
            ),
            BuyerRole(
                id="partner-seller",
                name="Partner salesperson",
                kind="channel_partner",
                goals=["Commission", "Easy to sell"],
                concerns=["Long sales cycles"],
            ),
            BuyerRole(
                id="partner-engineer",
                name="Partner technical staff",
                kind="channel_partner",
                influence="low",
                goals=["Billable services"],
                concerns=["Certification effort"],
            ),
            BuyerRole(
                id="end-customer",
                name="End customer",
                kind="economic_buyer",
                goals=["One trusted supplier"],
                concerns=["Who supports it after go-live"],
            ),
        ],
        teams=[
            Team(
                id="partner-team",
                name="Channel managers",
                function="partner",
                headcount=2,
                capacity=30,
                color="#0ca678",
            ),
            Team(
                id="marketing",
                name="Partner marketing",
                function="marketing",
                headcount=1,
                capacity=2000,
                color="#d9822b",
            ),
            Team(
                id="sales",
                name="Channel account executives",
                function="sales",
                headcount=3,
                capacity=20,
                color="#1c7ed6",
            ),
        ],
        stages=[
            Stage(
                id="prospect-partner",
                name="Prospect partner",
                owner="partner-team",
                definition="A reseller or integrator we are talking to.",
            ),
            Stage(
                id="active-partner",
                name="Active partner",
                owner="partner-team",
                definition="Signed agreement, one certified engineer, one deal registered.",
            ),
            Stage(
                id="registered-deal",
                name="Registered deal",
                owner="sales",
                definition="A partner-sourced opportunity approved in deal registration.",
                on_rejection="Rejected registrations go back to the partner with the conflicting account.",
            ),
            Stage(
                id="customer",
                name="Customer",
                owner="sales",
                definition="Signed through the partner.",
            ),
        ],
        criteria=[
            Criteria(
                id="deal-reg",
                name="Deal registration rules",
                questions=[
                    Question(id="new-logo", text="Is the account new to us?", points=1),
                    Question(id="budget", text="Named budget holder?", category="budget", points=1),
                    Question(
                        id="timing", text="Close within 120 days?", category="timing", points=1
                    ),
                ],
                threshold_answers=2,
            )
        ],
        processes=[
            Process(
                id="partner-journey",
                name="Reseller's path to active partner",
                kind="buyer",
                role="partner-owner",
            ),
            Process(id="partner-deals", name="Partner-sourced deals", kind="funnel"),
            Process(
                id="reseller-deal",
                name="Reseller backs a deal",
                kind="buyer",
                role="partner-owner",
                description="The reseller's own decision on each registered deal: is it worth its margin and its engineers?",
            ),
            Process(
                id="customer-journey",
                name="End customer buys from the integrator",
                kind="buyer",
                role="end-customer",
            ),
        ],
        slas=[
            SLA(
                id="sla-deal-reg",
                name="Deal registrations answered in 2 working days",
                from_team="partner-team",
                to_team="sales",
                stage="registered-deal",
                criteria="deal-reg",
                response_hours=16,
            )
        ],
    )
    b = Builder(doc)
    b.in_process("partner-journey")
    b.node(
        "p-looks",
        "entry",
        "Looks for profitable new lines",
        0,
        0,
        role="partner-owner",
        stage="prospect-partner",
        volume=40,
        cost=200,
        motivations=["Customers asking for it"],
        concerns=["Yet another vendor program"],
    )
    b.node(
        "p-evaluates",
        "buyer_step",
        "Evaluates margin and demand",
        1,
        0,
        role="partner-owner",
        stage="prospect-partner",
        motivations=["30% margin"],
        concerns=["Direct sales taking the best accounts"],
    )
    b.node("p-signs", "decision", "Sign the partner agreement?", 2, 0, role="partner-owner")
    b.node(
        "p-trains",
        "buyer_step",
        "Salespeople learn to pitch it",
        3,
        0,
        role="partner-seller",
        motivations=["Commission"],
        concerns=["Time away from quota"],
    )
    b.node(
        "p-certifies",
        "buyer_step",
        "Engineers get certified",
        4,
        0,
        role="partner-engineer",
        duration_days=20,
        motivations=["Billable services"],
        concerns=["Exam effort"],
    )
    b.node("p-active", "won", "Active partner", 5, 0, stage="active-partner")
    b.node("p-declines", "lost", "Declines", 3, 1.2)
    b.node(
        "act-recruit",
        "action",
        "Partner recruitment campaign",
        1,
        1.2,
        owner="marketing",
        call_to_action="Book a partner briefing",
        technology=["Partner portal", "Marketing automation"],
        motivations=["Clear economics"],
        concerns=["Spam"],
    )
    b.node(
        "act-margin",
        "action",
        "Margin and MDF program",
        2,
        1.2,
        owner="partner-team",
        call_to_action="Sign the agreement online",
        technology=["E-signature"],
        motivations=["Protected deals"],
        concerns=["Complex tiers"],
    )
    b.node(
        "act-sales-training",
        "action",
        "Partner sales training",
        3,
        2.2,
        owner="partner-team",
        call_to_action="Register your first deal",
        technology=["Learning platform"],
        motivations=["Short videos"],
        concerns=["Long courses"],
    )
    b.node(
        "act-certification",
        "action",
        "Technical certification course",
        4,
        1.2,
        owner="partner-team",
        call_to_action="Take the exam",
        technology=["Learning platform", "Sandbox"],
        motivations=["Free first attempt"],
        concerns=["Exam fees"],
    )
    b.flow("p-looks", "p-evaluates", 0.5, 14)
    b.flow("p-evaluates", "p-signs", 0.8, 14)
    b.flow("p-signs", "p-trains", 0.5, 7, label="yes")
    b.flow("p-signs", "p-declines", 0.5, 0, label="no")
    b.flow("p-trains", "p-certifies", 0.7, 14)
    b.flow("p-certifies", "p-active", 0.8, 20)
    b.addresses("act-recruit", "p-evaluates")
    b.addresses("act-margin", "p-signs")
    b.addresses("act-sales-training", "p-trains")
    b.addresses("act-certification", "p-certifies")

    b.in_process("partner-deals")
    b.node(
        "d-sourced",
        "entry",
        "Partner-sourced opportunities",
        0,
        0,
        stage="registered-deal",
        volume=60,
        description="Deals partners bring, per month.",
    )
    b.node(
        "d-register",
        "action",
        "Deal registration",
        1,
        0,
        owner="partner-team",
        stage="registered-deal",
        criteria="deal-reg",
        call_to_action="Submit the registration form",
        technology=["Partner portal", "CRM"],
        motivations=["Protection from channel conflict"],
        concerns=["Slow approval"],
    )
    b.node("d-approved", "decision", "Registration approved?", 2, 0, criteria="deal-reg")
    b.node(
        "d-cosell",
        "action",
        "Co-selling with the channel AE",
        3,
        0,
        owner="sales",
        stage="registered-deal",
        call_to_action="Joint customer meeting",
        technology=["CRM"],
        motivations=["Vendor credibility"],
        concerns=["Vendor taking over the customer"],
    )
    b.node(
        "d-poc",
        "action",
        "Partner engineer runs the POC",
        4,
        0,
        owner="partner-team",
        call_to_action="Sign off the proof of concept",
        technology=["Sandbox"],
        motivations=["Billable work"],
        concerns=["Unpaid pre-sales"],
    )
    b.node(
        "d-order",
        "decision",
        "Order signed through the partner?",
        5,
        0,
        stage="registered-deal",
        description=(
            "The deal's buying group: the order is signed only when the reseller backs the deal "
            "and the end customer goes ahead, each in its own process."
        ),
        gate=[
            Clearance(role="partner-owner", step="r-backs-deal"),
            Clearance(role="end-customer", step="c-buys"),
        ],
    )
    b.node("d-won", "won", "Closed through partner", 6, 0, stage="customer", deal_value=30000)
    b.node("d-lost", "lost", "Lost", 6, 1.2)
    b.node("d-rejected", "lost", "Registration rejected", 3, 1.2)
    # Actions serving the deal's buying group (the reseller's and the end customer's steps).
    b.node(
        "act-deal-margin",
        "action",
        "Protected margin on registered deals",
        2,
        2.2,
        owner="partner-team",
        stage="registered-deal",
        call_to_action="See your margin on this deal",
        technology=["Partner portal", "CPQ"],
        motivations=["Margin the vendor cannot undercut"],
        concerns=["Discounts eating the margin"],
    )
    b.node(
        "act-poc-kit",
        "action",
        "POC kit for partner engineers",
        4,
        2.2,
        owner="partner-team",
        stage="registered-deal",
        call_to_action="Book the POC sandbox",
        technology=["Sandbox", "Learning platform"],
        motivations=["Billable, repeatable POCs"],
        concerns=["Unpaid pre-sales"],
    )
    b.node(
        "act-joint-case",
        "action",
        "Joint case studies with partners",
        3,
        2.2,
        owner="marketing",
        stage="registered-deal",
        call_to_action="Ask your integrator about us",
        technology=["Partner portal"],
        motivations=["Peer proof"],
        concerns=["Generic stories"],
    )
    b.node(
        "act-support-promise",
        "action",
        "Vendor-backed support promise",
        5,
        2.2,
        owner="sales",
        stage="registered-deal",
        call_to_action="See the support terms",
        technology=["Support portal"],
        motivations=["Vendor stands behind it"],
        concerns=["Two support contracts"],
    )
    b.flow("d-sourced", "d-register", 0.9, 2)
    b.flow("d-register", "d-approved", 1.0, 2)
    b.flow("d-approved", "d-cosell", 0.8, 1, label="yes")
    b.flow("d-approved", "d-rejected", 0.2, 0, label="no")
    b.flow("d-cosell", "d-poc", 0.6, 14)
    b.flow("d-poc", "d-order", 0.8, 20)
    b.flow("d-poc", "d-lost", 0.2, 20)
    b.flow("d-order", "d-won", 0.95, 5, label="yes")
    b.flow("d-order", "d-lost", 0.05, 0, label="no")
    b.addresses("act-deal-margin", "r-margin")
    b.addresses("act-poc-kit", "r-engineer")
    b.addresses("act-joint-case", "c-asks-si")
    b.addresses("act-support-promise", "c-proposal")

    # The reseller on each registered deal: its part in the deal's buying group.
    b.in_process("reseller-deal")
    b.node(
        "r-deal",
        "entry",
        "A registered deal to work",
        0,
        0,
        role="partner-owner",
        volume=20,
        motivations=["A protected opportunity"],
        concerns=["Direct sales taking the account"],
    )
    b.node(
        "r-margin",
        "buyer_step",
        "Checks the margin on this deal",
        1,
        0,
        role="partner-owner",
        stage="registered-deal",
        motivations=["30% margin"],
        concerns=["Discounting to win"],
    )
    b.node(
        "r-engineer",
        "buyer_step",
        "Assigns a certified engineer",
        2,
        0,
        role="partner-engineer",
        stage="registered-deal",
        duration_days=5,
        motivations=["Billable services"],
        concerns=["Engineers busy on paid projects"],
    )
    b.node("r-worth", "decision", "Back the deal?", 3, 0, role="partner-owner")
    b.node("r-backs-deal", "won", "Backs the deal", 4, 0)
    b.node("r-lets-go", "lost", "Lets it go", 4, 1.2)
    b.flow("r-deal", "r-margin", 1.0, 2)
    b.flow("r-margin", "r-engineer", 0.9, 3)
    b.flow("r-engineer", "r-worth", 1.0, 0)
    b.flow("r-worth", "r-backs-deal", 0.85, 1, label="yes")
    b.flow("r-worth", "r-lets-go", 0.15, 0, label="no")

    # The end customer on the same deal: its part in the deal's buying group.
    b.in_process("customer-journey")
    b.node(
        "c-need",
        "entry",
        "Has a project need",
        0,
        0,
        role="end-customer",
        volume=20,
        motivations=["Deadline"],
        concerns=["Integration risk"],
    )
    b.node(
        "c-asks-si",
        "buyer_step",
        "Asks the trusted integrator",
        1,
        0,
        role="end-customer",
        stage="registered-deal",
        motivations=["One throat to choke"],
        concerns=["Integrator's bias"],
    )
    b.node(
        "c-proposal",
        "buyer_step",
        "Reviews the integrator's proposal",
        2,
        0,
        role="end-customer",
        stage="registered-deal",
        motivations=["Fixed price"],
        concerns=["Support after go-live"],
    )
    b.node("c-go", "decision", "Go ahead?", 3, 0, role="end-customer")
    b.node("c-buys", "won", "Buys through the integrator", 4, 0)
    b.node("c-other", "lost", "Picks another solution", 4, 1.2)
    b.flow("c-need", "c-asks-si", 1.0, 3)
    b.flow("c-asks-si", "c-proposal", 0.9, 7)
    b.flow("c-proposal", "c-go", 1.0, 7)
    b.flow("c-go", "c-buys", 0.7, 3, label="yes")
    b.flow("c-go", "c-other", 0.3, 0, label="no")
    doc.scenarios = [
        Scenario(
            id="faster-reg",
            name="Faster deal registration",
            description="Approving more registrations after clarifying the rules.",
            conversion={"partner-deals-e3": 0.9, "partner-deals-e4": 0.1},
        )
    ]
    return doc


# --- plugged-funnel ------------------------------------------------------------------------------


def plugged_funnel() -> JourneyMap:
    doc = JourneyMap(
        name="The plugged funnel",
        period="quarter",
        description=(
            "A real case: 2,000+ net new inquiries in two quarters and only 4 deals at about $250,000. "
            "The middle of the funnel was plugged: marketing misunderstood the buyer (top), the qualification "
            "model was broken (middle), and sales had no follow-up for leads it could not reach (bottom). "
            "The scenario 'fix' changes all three together: 90% fewer inquiries, about three times the deals "
            "(expected won per quarter: baseline 2.00 deals = $500,000; fix 6.06 deals = $1,515,000). "
            "Run the baseline and the fix and watch the bottleneck move."
        ),
        roles=[
            BuyerRole(
                id="vp-ops",
                name="VP Operations (the real buyer)",
                kind="economic_buyer",
                influence="high",
                goals=["Lower operating cost"],
                concerns=["Long implementation"],
            ),
            BuyerRole(
                id="analyst",
                name="Analyst (who downloads the content)",
                kind="end_user",
                influence="low",
                goals=["Learn"],
                concerns=["Sales calls"],
            ),
        ],
        teams=[
            Team(
                id="marketing",
                name="Marketing",
                function="marketing",
                headcount=3,
                capacity=2000,
                color="#d9822b",
            ),
            Team(
                id="sales",
                name="Sales",
                function="sales",
                headcount=4,
                capacity=300,
                color="#1c7ed6",
            ),  # 4 x 300 = what marketing hands over
        ],
        stages=[
            Stage(
                id="inquiry",
                name="Inquiry",
                owner="marketing",
                definition="Anyone who downloaded or registered.",
            ),
            Stage(
                id="mql",
                name="MQL",
                owner="marketing",
                definition="Baseline: any second download. Fix: the VP-Operations persona with a scored need.",
            ),
            Stage(
                id="sal",
                name="SAL",
                owner="sales",
                definition="Sales accepted and started the contact cadence.",
            ),
            Stage(
                id="opportunity",
                name="Opportunity",
                owner="sales",
                definition="Discovery held with a real buyer.",
            ),
            Stage(id="customer", name="Customer", owner="sales", definition="Signed."),
        ],
        criteria=[
            Criteria(
                id="qual-model",
                name="Qualification model",
                description="Baseline: activity only. Fix: persona, company size and a stated need.",
                questions=[
                    Question(
                        id="persona",
                        text="Is it the VP Operations or their team?",
                        category="authority",
                        points=40,
                    ),
                    Question(
                        id="size", text="More than 500 employees?", category="custom", points=30
                    ),
                    Question(
                        id="need", text="Stated cost-reduction project?", category="need", points=30
                    ),
                ],
                threshold_score=70,
            )
        ],
        processes=[
            Process(id="funnel", name="Inquiry to deal", kind="funnel"),
            Process(id="buyer", name="How the VP Operations buys", kind="buyer", role="vp-ops"),
        ],
        slas=[
            SLA(
                id="sla-handoff",
                name="MQLs worked within 1 working day, 6 touches in 3 weeks",
                from_team="marketing",
                to_team="sales",
                stage="sal",
                criteria="qual-model",
                response_hours=8,
                attempts=6,
                attempt_window_days=21,
                late_conversion_factor=0.5,
            )
        ],
    )
    b = Builder(doc)
    b.in_process("funnel")
    b.node(
        "inquiries",
        "entry",
        "Net new inquiries",
        0,
        0,
        stage="inquiry",
        volume=1000,
        cost=100,
        technology=["Content syndication", "Paid social"],
        description="About 1,000 a quarter: content aimed at analysts, not at the VP Operations who buys.",
    )
    b.node(
        "score",
        "action",
        "Score the inquiry",
        1,
        0,
        owner="marketing",
        stage="inquiry",
        criteria="qual-model",
        call_to_action="Download the next guide",
        technology=["Marketing automation", "Lead scoring"],
        motivations=["More content"],
        concerns=["Form fatigue"],
    )
    b.node(
        "is-mql",
        "decision",
        "Passes the qualification model?",
        2,
        0,
        stage="mql",
        criteria="qual-model",
    )
    b.node(
        "nurture",
        "action",
        "Nurture program",
        2,
        1.3,
        owner="marketing",
        stage="inquiry",
        duration_days=45,
        call_to_action="Join the cost-reduction webinar",
        technology=["Marketing automation"],
        motivations=["Relevant stories"],
        concerns=["Generic newsletters"],
    )
    b.node(
        "follow-up",
        "action",
        "Sales follow-up",
        3,
        0,
        owner="sales",
        stage="sal",
        criteria="qual-model",
        call_to_action="Book a discovery call",
        technology=["CRM", "Sales engagement"],
        motivations=["Help with a project"],
        concerns=["Cold call from a stranger"],
        description="Baseline: one call attempt. Fix: a defined cadence of 6 touches in 3 weeks.",
    )
    b.node("reached", "decision", "Reached the buyer?", 4, 0)
    b.node(
        "unreachable",
        "action",
        "Could not reach",
        4,
        1.3,
        owner="sales",
        stage="sal",
        call_to_action="Hand back to marketing nurture",
        technology=["CRM"],
        motivations=["Not now"],
        concerns=["Being chased"],
        description="Deliberate gap in the baseline: no 'unreachable' flow back to marketing, so these leads "
        "stall here (the recycle edge carries 0%). The fix scenario turns it on.",
    )
    b.node(
        "discovery",
        "action",
        "Discovery meeting",
        5,
        0,
        owner="sales",
        stage="opportunity",
        duration_days=14,
        call_to_action="Agree an evaluation plan",
        technology=["CRM"],
        motivations=["A plan for the project"],
        concerns=["Vendor pitch"],
    )
    b.node(
        "real-buyer",
        "decision",
        "Real buyer with budget?",
        6,
        0,
        stage="opportunity",
        criteria="qual-model",
    )
    b.node(
        "proposal",
        "action",
        "Proposal",
        7,
        0,
        owner="sales",
        stage="opportunity",
        duration_days=45,
        call_to_action="Sign the order",
        technology=["CPQ"],
        motivations=["Clear ROI"],
        concerns=["Implementation time"],
    )
    b.node("won", "won", "Deal", 8, 0, stage="customer", deal_value=250000)
    b.node("lost", "lost", "Lost", 8, 1.3)
    b.node("no-fit", "lost", "No budget or wrong persona", 6, 1.3)
    b.flow("inquiries", "score", 1.0, 0)
    b.flow("score", "is-mql", 1.0, 7)
    b.flow("is-mql", "follow-up", 0.5, 1, label="MQL")
    b.flow("is-mql", "nurture", 0.5, 0, label="not yet")
    b.flow("nurture", "score", 0.3, 45, kind="recycle", label="re-engaged")
    b.flow("follow-up", "reached", 1.0, 5)
    b.flow("reached", "discovery", 0.2, 7, label="reached")
    b.flow("reached", "unreachable", 0.8, 0, label="not reached")
    b.flow("unreachable", "nurture", 0.0, 0, kind="recycle", label="unreachable -> nurture")
    b.flow("discovery", "real-buyer", 1.0, 7)
    b.flow("real-buyer", "proposal", 0.2, 7, label="yes")
    b.flow("real-buyer", "no-fit", 0.8, 0, label="no")
    b.flow("proposal", "won", 0.085, 45)
    b.flow("proposal", "lost", 0.915, 45)

    b.in_process("buyer")
    b.node(
        "vp-cost",
        "entry",
        "Board asks for lower operating cost",
        0,
        0,
        role="vp-ops",
        volume=40,
        motivations=["Deliver savings this year"],
        concerns=["Risky projects"],
    )
    b.node(
        "vp-peers",
        "buyer_step",
        "Asks peers what worked",
        1,
        0,
        role="vp-ops",
        motivations=["Proven results"],
        concerns=["Vendor references"],
    )
    b.node(
        "vp-shortlist",
        "buyer_step",
        "Shortlists two vendors",
        2,
        0,
        role="vp-ops",
        motivations=["Fast decision"],
        concerns=["Long implementation"],
    )
    b.node("vp-decides", "decision", "Business case holds?", 3, 0, role="vp-ops")
    b.node("vp-buys", "won", "Buys", 4, 0)
    b.node("vp-waits", "lost", "Postpones", 4, 1.2)
    b.node(
        "act-peer-program",
        "action",
        "Peer roundtables for operations leaders",
        1,
        1.2,
        owner="marketing",
        call_to_action="Join the next roundtable",
        technology=["Event platform", "CRM"],
        motivations=["Peers, not vendors"],
        concerns=["Sales pitch"],
    )
    b.node(
        "act-case",
        "action",
        "Savings case with a reference customer",
        2,
        1.2,
        owner="sales",
        call_to_action="Call the reference customer",
        technology=["ROI calculator"],
        motivations=["Numbers from a peer"],
        concerns=["Cherry-picked case"],
    )
    b.flow("vp-cost", "vp-peers", 0.8, 14)
    b.flow("vp-peers", "vp-shortlist", 0.5, 21)
    b.flow("vp-shortlist", "vp-decides", 1.0, 30)
    b.flow("vp-decides", "vp-buys", 0.5, 14, label="yes")
    b.flow("vp-decides", "vp-waits", 0.5, 0, label="no")
    b.addresses("act-peer-program", "vp-peers")
    b.addresses("act-case", "vp-shortlist")

    doc.scenarios = [
        Scenario(
            id="fix",
            name="Fix: qualification, cadence, nurture",
            description=(
                "All three fixes together: content for the real buyer (90% fewer inquiries, better fit), "
                "a revised qualification model, a 6-touch contact cadence and an 'unreachable' nurture "
                "flow back to marketing."
            ),
            entry_volume={"inquiries": 100},
            conversion={
                "funnel-e3": 0.6,  # is-mql -> follow-up: the right persona passes the model
                "funnel-e4": 0.4,  # is-mql -> nurture
                "funnel-e7": 0.7,  # reached -> discovery: the contact cadence
                "funnel-e8": 0.3,  # reached -> unreachable
                "funnel-e9": 0.9,  # unreachable -> nurture: the new nurture flow
                "funnel-e11": 0.5,  # real buyer with budget
                "funnel-e12": 0.5,
                "funnel-e13": 0.24,  # proposal -> won: better-qualified deals close more often
                "funnel-e14": 0.76,
            },
        )
    ]
    return doc


TEMPLATES = {
    "enterprise": enterprise,
    "saas-trial": saas_trial,
    "channel": channel,
    "plugged-funnel": plugged_funnel,
}


def expected_won(doc: JourneyMap, process_id: str, scenario: Scenario | None = None) -> float:
    """Won per period by solving the flow equations (a check for the numbers above).

    An independent dense solve, committee gates included: the edges leaving a gated funnel step
    carry its pass rate, the product of each role's chance to reach its cleared step from its
    process's entries (by volume when every entry has one, else equally).
    """
    import numpy as np

    from models.graph import process_graph

    conv = {e.id: e.conversion for e in doc.edges}
    if scenario:
        conv.update(scenario.conversion)
    kinds = {p.id: p.kind for p in doc.processes}

    def chance(clearance: Clearance) -> float:
        step = doc.node(clearance.step)
        graph = process_graph(doc, step.process)
        nodes = list(graph)
        index = {n: i for i, n in enumerate(nodes)}
        matrix = np.zeros((len(nodes), len(nodes)))
        for a, b, data in graph.edges(data=True):
            if a != step.id:  # reaching the cleared step ends the journey
                matrix[index[a], index[b]] += sum(conv[e.id] or 0.0 for e in data["edges"])
        goal = np.zeros(len(nodes))
        goal[index[step.id]] = 1.0
        reach = np.linalg.solve(np.eye(len(nodes)) - matrix, goal)
        entries = [n for n in nodes if graph.nodes[n]["kind"] == "entry"]
        volumes = [graph.nodes[n]["node"].volume or 0.0 for n in entries]
        weights = (
            [v / sum(volumes) for v in volumes]
            if all(v > 0 for v in volumes)
            else [1 / len(entries)] * len(entries)
        )
        return float(sum(w * reach[index[n]] for w, n in zip(weights, entries, strict=True)))

    graph = process_graph(doc, process_id)
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    matrix = np.zeros((len(nodes), len(nodes)))
    for a, b, data in graph.edges(data=True):
        node = graph.nodes[a]["node"]
        passing = 1.0
        if (
            node.gate
            and kinds[node.process] == "funnel"
            and node.kind not in ("entry", "won", "lost")
        ):
            passing = float(np.prod([chance(c) for c in node.gate]))
        matrix[index[b], index[a]] += passing * sum(conv[e.id] or 0.0 for e in data["edges"])
    volume = {
        n: (graph.nodes[n]["node"].volume or 0.0)
        for n in nodes
        if graph.nodes[n]["kind"] == "entry"
    }
    if scenario:
        volume.update({k: v for k, v in scenario.entry_volume.items() if k in volume})
    source = np.array([volume.get(n, 0.0) for n in nodes])
    arrivals = np.linalg.solve(np.eye(len(nodes)) - matrix, source)
    return float(sum(arrivals[index[n]] for n in nodes if graph.nodes[n]["kind"] == "won"))


def main(argv: list[str]) -> int:
    out = ROOT / "resources" / "templates"
    for name, build in TEMPLATES.items():
        doc = build()
        if "--check" in argv:
            from models.simulation import SimulationError, expected_flow

            for process in doc.processes:
                try:
                    won = expected_flow(doc, process.id).won
                except SimulationError:
                    continue  # a sub-process runs inside the process that opens it
                print(f"{name:15} {process.id:18} won/period {won:8.2f}")
            for scenario in doc.scenarios:
                won = expected_flow(doc, None, scenario).won
                print(f"{name:15} scenario {scenario.id:18} won/period {won:8.2f}")
        else:
            (out / f"{name}.json").write_text(dumps_map(doc), encoding="utf-8")
            print(f"wrote {out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
