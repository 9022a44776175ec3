"""The vocabulary of a map: the kinds of steps, connections, processes, roles and teams, the
periods, influences, question categories and capacity policies.

Each kind is a Literal type: the value in a map is the plain string, as in the file. The tuple
next to it lists the values in order, for code that offers or iterates them.

>>> PERIODS
('week', 'month', 'quarter')
>>> sorted(CARRIES_LEADS)
['flow', 'recycle']
"""

from __future__ import annotations

from typing import Literal, get_args

NodeKind = Literal[
    "entry",  # a lead source: volume per period, cost per lead
    "buyer_step",  # the buyer does something (belongs to a role)
    "action",  # the company does something (owner team, call to action, technology)
    "decision",  # a branch point
    "subprocess",  # opens another process
    "won",  # outcome: a deal
    "lost",  # outcome: the lead leaves
]
NODE_KINDS: tuple[NodeKind, ...] = get_args(NodeKind)

OUTCOME_KINDS: frozenset[NodeKind] = frozenset({"won", "lost"})

EdgeKind = Literal[
    "flow",  # leads move on, with a conversion and a delay
    "recycle",  # leads go back to nurture; they carry volume like flow
    "addresses",  # a company action serves a buyer step; carries no volume
    "message",  # a message between steps of two processes (BPMN's message flow); carries none
]
EDGE_KINDS: tuple[EdgeKind, ...] = get_args(EdgeKind)

CARRIES_LEADS: frozenset[EdgeKind] = frozenset({"flow", "recycle"})
"""Edge kinds that move leads; they stay inside one process and never leave an outcome."""

MESSAGE_SENDERS: frozenset[NodeKind] = frozenset(
    {"buyer_step", "action", "subprocess", "won", "lost"}
)
"""Node kinds a ``message`` edge may leave: BPMN lets a message flow leave a task, a
sub-process, an intermediate or boundary event or an end event; never a gateway (a
decision) or a start event (an entry)."""
MESSAGE_RECEIVERS: frozenset[NodeKind] = frozenset({"entry", "buyer_step", "action", "subprocess"})
"""Node kinds a ``message`` edge may reach: a task, a sub-process, an intermediate or
boundary event or a start event; never a gateway or an end event (an outcome)."""

ProcessKind = Literal[
    "buyer",  # a buyer role's purchase process (customer-centric)
    "funnel",  # the company funnel (company-centric)
    "subprocess",  # a process opened from a subprocess node
]
PROCESS_KINDS: tuple[ProcessKind, ...] = get_args(ProcessKind)

RoleKind = Literal[
    "champion", "economic_buyer", "it_approver", "cfo", "end_user", "channel_partner", "other"
]
ROLE_KINDS: tuple[RoleKind, ...] = get_args(RoleKind)

TeamFunction = Literal["marketing", "sdr", "sales", "customer_success", "partner", "other"]
TEAM_FUNCTIONS: tuple[TeamFunction, ...] = get_args(TeamFunction)

Period = Literal["week", "month", "quarter"]
PERIODS: tuple[Period, ...] = get_args(Period)

Influence = Literal["low", "medium", "high"]
INFLUENCES: tuple[Influence, ...] = get_args(Influence)

QuestionCategory = Literal["budget", "authority", "need", "timing", "custom"]
QUESTION_CATEGORIES: tuple[QuestionCategory, ...] = get_args(QuestionCategory)

CapacityPolicy = Literal[
    "shared",  # a busy team's day of work goes to its queued leads at random (the default)
    "first_come",  # first come, first served across the team's steps
    "late_stages_first",  # steps of later stages first: reps chase the deals about to close
]
CAPACITY_POLICIES: tuple[CapacityPolicy, ...] = get_args(CapacityPolicy)

PERIOD_DAYS: dict[Period, float] = {"week": 7.0, "month": 30.4, "quarter": 91.3}
