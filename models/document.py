"""The journey map document model (pydantic v2).

One :class:`JourneyMap` holds everything a workshop produces: the buyer roles,
the teams, the shared stage vocabulary, qualification criteria, the processes
(one diagram each), their nodes and edges, the SLAs between teams and the
what-if scenarios. Diagram placement lives apart in :class:`Layout`, so analysis
and simulation never see coordinates.

Every model forbids unknown fields and refuses NaN and Infinity, so what loads
is what saves. Values a half-drawn map can legitimately hold (a step with no
edges, conversions leaving a node that sum over 100 %, a stage id that is not
defined yet) are accepted here and reported by the analysis instead.

>>> m = JourneyMap(name="Demo")
>>> m.processes.append(Process(id="p1", name="Champion", kind="buyer"))
>>> m.nodes.append(Node(id="n1", process="p1", kind="entry", label="Web visit", volume=500))
>>> m.node("n1").label
'Web visit'
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .scalars import (
    MAX_AMOUNT,
    BpmnType,
    Color,
    Count,
    Id,
    NonNegative,
    Point,
    Probability,
    Text,
    TextList,
)
from .vocabulary import (
    CapacityPolicy,
    EdgeKind,
    Influence,
    NodeKind,
    Period,
    ProcessKind,
    QuestionCategory,
    RoleKind,
    TeamFunction,
)

FORMAT: Final = "journeymap"
SCHEMA_VERSION = 2

_EMPTY_LIST: list = Field(default_factory=list, json_schema_extra={"default": []})
"""An empty list by default, made new for each item: pydantic deep-copies a plain ``[]`` default
for every item that leaves the field out (16 ms a 2,000-step map, most of its validation)."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        validate_assignment=True,
        # defaults are constants of this module, valid as written: not validated per item
    )


# --- the parts of a map --------------------------------------------------------------------------


class BuyerRole(_Model):
    """A persona in the buying group: what they want, what worries them."""

    id: Id
    name: Text
    kind: RoleKind = "other"
    description: Text = ""
    goals: TextList = _EMPTY_LIST
    concerns: TextList = _EMPTY_LIST
    influence: Influence = "medium"


class Team(_Model):
    """An organisational resource responsible for steps (step 8 of the method)."""

    id: Id
    name: Text
    function: TeamFunction = "other"
    headcount: Count = 1
    capacity: NonNegative | None = None
    """Leads one person can work per period; None means not a constraint."""
    color: Color | None = None


class Stage(_Model):
    """A lifecycle stage of the shared vocabulary (Lead, MQL, SAL, SQL...)."""

    id: Id
    name: Text
    definition: Text = ""
    owner: Id | None = None
    """The team that owns leads in this stage."""
    entry_criteria: Text = ""
    on_rejection: Text = ""
    """What happens to a lead rejected at this stage (recycle to nurture, disqualify...)."""


class Question(_Model):
    id: Id
    text: Text
    category: QuestionCategory = "custom"
    points: Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)] = 1.0
    share: Probability | None = None
    """Share of leads (0 to 1) that answer this question positively where the criteria are
    applied; with every question's share, the simulation computes the criteria's pass rate."""


class Criteria(_Model):
    """A named qualification question set: BANT and custom questions with a threshold."""

    id: Id
    name: Text
    description: Text = ""
    questions: list[Question] = []
    threshold_score: NonNegative | None = None
    """Minimum total points of positive answers; None if the rule is by count."""
    threshold_answers: Count | None = None
    """Minimum number of positive answers; None if the rule is by score."""


class Process(_Model):
    """One diagram: a role's purchase process, the company funnel or a sub-process."""

    id: Id
    name: Text
    kind: ProcessKind = "funnel"
    role: Id | None = None
    """The buyer role whose purchase process this is (kind ``buyer``)."""
    description: Text = ""


class Clearance(_Model):
    """One buyer role's part in a committee gate: the step of its own process it must clear.

    The champion's "technical validation passed", IT's "security review approved", the CFO's
    "payback accepted": a lead passes the gate only when every required role has cleared.
    """

    role: Id
    step: Id
    """A node of that role's purchase process (usually its won outcome or an approval)."""


class Node(_Model):
    """A box on a diagram. Which attributes matter depends on ``kind``; volumes, capacities and
    costs are per period of the map (``JourneyMap.period``)."""

    id: Id
    process: Id
    kind: NodeKind = "action"
    label: Text = ""
    description: Text = ""
    role: Id | None = None
    """Buyer role taking a buyer step."""
    owner: Id | None = None
    """Team responsible for an action (or a step)."""
    stage: Id | None = None
    motivations: TextList = _EMPTY_LIST
    concerns: TextList = _EMPTY_LIST
    call_to_action: Text = ""
    criteria: Id | None = None
    """Qualification criteria applied at this step."""
    technology: TextList = _EMPTY_LIST
    duration_days: NonNegative | None = None
    cost: NonNegative | None = None
    """Cost per lead handled here (for an entry: cost per lead acquired)."""
    capacity: NonNegative | None = None
    """Leads this step can handle per period, on top of its team's capacity; None = unlimited."""
    volume: NonNegative | None = None
    """For an entry: leads arriving per period."""
    deal_value: NonNegative | None = None
    """For a won outcome: average revenue per deal."""
    subprocess: Id | None = None
    """For a subprocess node: the process it opens."""
    gate: Annotated[list[Clearance], Field(max_length=1000)] = _EMPTY_LIST
    """A committee gate on a funnel step: the roles that must each clear a step of their own
    process before a lead passes here (empty: no gate)."""
    bpmn_type: BpmnType = ""
    """The BPMN element a step was imported from (``serviceTask``, ``parallelGateway``,
    ``intermediateCatchEvent:timer``), which the BPMN export writes again while it fits the
    step's kind; empty: the kind's own element (a buyer step is a ``task``...)."""
    bpmn_interrupting: bool = True
    """False: imported from a non-interrupting BPMN boundary event (``cancelActivity="false"``,
    its step goes on) or event sub-process start, which the BPMN export writes so again."""


class Edge(_Model):
    """A connection between two nodes: of one process, except ``addresses`` (a company action
    serving a buyer step), which may reach another role's process, and ``message`` (a message
    one process sends another, as BPMN's message flow), which always does (see
    ``models.connect``)."""

    id: Id
    source: Id
    target: Id
    kind: EdgeKind = "flow"
    conversion: Probability | None = None
    """Share of the source's leads that take this edge each period."""
    delay_days: NonNegative | None = None
    label: Text = ""
    bpmn_default: bool = False
    """The default flow of its source in the BPMN it was imported from (taken when no other
    flow's condition holds), which the BPMN export marks so again."""


class SLA(_Model):
    """A service-level agreement between two teams on a hand-off."""

    id: Id
    name: Text
    from_team: Id
    to_team: Id
    stage: Id | None = None
    """The stage handed over (for example MQL)."""
    criteria: Id | None = None
    leads_per_rep: NonNegative | None = None
    """Leads delivered per person of the receiving team per period (for example 300 MQLs)."""
    response_hours: NonNegative | None = None
    """First touch within this many working hours."""
    attempts: Count | None = None
    attempt_window_days: NonNegative | None = None
    late_conversion_factor: Probability | None = None
    """Conversion multiplier for a lead not touched within the response window."""
    attempt_minutes: NonNegative | None = None
    """Minutes one follow-up attempt takes: the cadence's work for the receiving team."""
    reach_per_attempt: Probability | None = None
    """Chance that one attempt reaches the lead: a lead given fewer attempts than the cadence
    converts at (1 - (1 - p)^given) / (1 - (1 - p)^attempts) of its rates."""
    description: Text = ""


class Scenario(_Model):
    """Named overrides run against the baseline. Keys are ids of entries, edges, teams, nodes."""

    id: Id
    name: Text
    description: Text = ""
    entry_volume: dict[Id, NonNegative] = {}
    conversion: dict[Id, Probability] = {}
    delay_days: dict[Id, NonNegative] = {}
    headcount: dict[Id, Count] = {}
    capacity: dict[Id, NonNegative] = {}
    deal_value: dict[Id, NonNegative] = {}
    cost: dict[Id, NonNegative] = {}
    threshold_score: dict[Id, NonNegative] = {}
    """Criteria id -> minimum score."""
    threshold_answers: dict[Id, Count] = {}
    """Criteria id -> minimum number of positive answers."""
    question_share: dict[Id, Probability] = {}
    """``"<criteria id>.<question id>"`` -> share of leads answering that question positively."""


SCENARIO_TARGETS: dict[str, tuple[str, str, str]] = {
    # Scenario field -> (collection its keys name, the field it overrides there, what a key must be)
    "entry_volume": ("nodes", "volume", "entry"),
    "conversion": ("edges", "conversion", "edge"),
    "delay_days": ("edges", "delay_days", "edge"),
    "headcount": ("teams", "headcount", "team"),
    "capacity": ("teams", "capacity", "team"),
    "deal_value": ("nodes", "deal_value", "node"),
    "cost": ("nodes", "cost", "node"),
    "threshold_score": ("criteria", "threshold_score", "criteria"),
    "threshold_answers": ("criteria", "threshold_answers", "criteria"),
}
"""What each override of a :class:`Scenario` changes: one table for the simulation and the editor.

``question_share`` is not here: its keys name a question inside a criteria set
(``"<criteria id>.<question id>"``); :func:`models.simulation.prepare.apply_scenario` applies it."""


class Layout(_Model):
    """Diagram placement, kept apart from the business data: node id -> (x, y) centre."""

    nodes: dict[Id, Point] = {}
    """Each step's centre on its process's diagram."""
    group: dict[Id, Point] = {}
    """Steps the user moved on the buying-group page (the others are placed by lane and stage)."""


class JourneyMap(_Model):
    """A whole map: the file a team keeps in git and opens in the editor."""

    format: Literal["journeymap"] = FORMAT
    schema_version: int = SCHEMA_VERSION
    name: Text = "Untitled map"
    description: Text = ""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    period: Period = "month"
    capacity_policy: CapacityPolicy = "shared"
    """How a team short of people picks which queued leads to work (the simulation's runs)."""
    roles: list[BuyerRole] = []
    teams: list[Team] = []
    stages: list[Stage] = []
    criteria: list[Criteria] = []
    processes: list[Process] = []
    nodes: list[Node] = []
    edges: list[Edge] = []
    slas: list[SLA] = []
    scenarios: list[Scenario] = []
    layout: Layout = Layout()

    # Convenience look-ups. Linear; the editor's MapDocument keeps indexes for hot paths.
    def node(self, node_id: str) -> Node:
        return _find(self.nodes, node_id, "node")

    def edge(self, edge_id: str) -> Edge:
        return _find(self.edges, edge_id, "edge")

    def process(self, process_id: str) -> Process:
        return _find(self.processes, process_id, "process")

    def nodes_of(self, process_id: str) -> list[Node]:
        return [n for n in self.nodes if n.process == process_id]

    def edges_of(self, process_id: str) -> list[Edge]:
        ids = {n.id for n in self.nodes if n.process == process_id}
        return [e for e in self.edges if e.source in ids]

    def scenario(self, name_or_id: str) -> Scenario:
        for s in self.scenarios:
            if name_or_id in (s.id, s.name):
                return s
        raise KeyError(f"no scenario named {name_or_id!r}")


def _find(items: list, item_id: str, what: str):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} with id {item_id!r}")


Item = BuyerRole | Team | Stage | Criteria | Process | Node | Edge | SLA | Scenario
"""Anything in one of the id-keyed lists of a map."""

COLLECTIONS: dict[str, type[Item]] = {
    "roles": BuyerRole,
    "teams": Team,
    "stages": Stage,
    "criteria": Criteria,
    "processes": Process,
    "nodes": Node,
    "edges": Edge,
    "slas": SLA,
    "scenarios": Scenario,
}
"""Every id-keyed list of a map, by its field name in the file."""

SINGULAR: dict[str, str] = {
    "roles": "role",
    "teams": "team",
    "stages": "stage",
    "criteria": "criteria",  # one named question set is a "criteria", as the editor titles it
    "processes": "process",
    "nodes": "node",
    "edges": "edge",
    "slas": "SLA",
    "scenarios": "scenario",
}
"""One item of each collection in words, for messages (and, lower-cased, new ids)."""
