"""Result records of the committee gates in the expected flow: each role's part in a gate
(:class:`RoleClearance`), a gate's leads and losses (:class:`GateFlow`), and what a
buying-group role's own process clears for the funnel's gates (:class:`RoleGate`,
:class:`Clearing`). ``to_dict()`` as in :mod:`models.simulation.results`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import num


@dataclass(frozen=True)
class RoleClearance:
    """One role's part in a committee gate: its chance to clear and how long it takes.

    ``probability`` is the chance the role's journey, started at its process's entries,
    reaches ``step``; ``days`` the expected days to get there when it does (None when it
    never does). ``deals_lost`` is what the gate costs because of this role: deals per period
    if this role always cleared, minus deals now (None where not computed).
    """

    role: str
    role_name: str
    process: str
    process_name: str
    step: str
    step_label: str
    probability: float
    days: float | None
    deals_lost: float | None = None

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "process": self.process,
            "step": self.step,
            "step_label": self.step_label,
            "probability": num(self.probability),
            "days": num(self.days),
            "deals_lost": num(self.deals_lost),
        }


@dataclass(frozen=True)
class GateFlow:
    """A committee gate in the expected flow, per period.

    ``arrivals`` leads reach the gated step; ``passed`` of them pass (``pass_rate``, the
    product of the roles' chances) and ``lost`` leave at the gate. ``wait_days`` is the
    slowest role's expected days to clear. ``deals_lost``: deals per period with every role
    clearing, minus deals now.
    """

    node: str
    label: str
    arrivals: float
    pass_rate: float
    passed: float
    lost: float
    wait_days: float | None
    deals_lost: float | None
    roles: list[RoleClearance]

    @property
    def costliest(self) -> RoleClearance | None:
        """The role whose clearing costs most deals (None when nothing is computed or lost)."""
        known = [r for r in self.roles if r.deals_lost is not None and r.deals_lost > 1e-12]
        return max(known, key=lambda r: r.deals_lost or 0.0) if known else None

    def to_dict(self) -> dict:
        return {
            "node": self.node,
            "label": self.label,
            "arrivals": num(self.arrivals),
            "pass_rate": num(self.pass_rate),
            "passed": num(self.passed),
            "lost": num(self.lost),
            "wait_days": num(self.wait_days),
            "deals_lost": num(self.deals_lost),
            "roles": [r.to_dict() for r in self.roles],
        }


@dataclass(frozen=True)
class RoleGate:
    """A gate that reads the role process simulated alone (see :class:`Clearing`).

    ``reached``: leads per period of this process's own entries that reach the cleared step.
    ``gate_arrivals``, ``gate_pass_rate``: the funnel's leads per period reaching the gate and
    the share passing it (None when the funnel itself cannot be simulated); ``gate_cleared``:
    of those, how many this role clears.
    """

    gate: str
    gate_label: str
    funnel: str
    funnel_name: str
    clearance: RoleClearance
    reached: float
    gate_arrivals: float | None
    gate_pass_rate: float | None

    @property
    def gate_cleared(self) -> float | None:
        if self.gate_arrivals is None:
            return None
        return self.gate_arrivals * self.clearance.probability

    def to_dict(self) -> dict:
        c = self.clearance
        return {
            "gate": self.gate,
            "gate_label": self.gate_label,
            "funnel": self.funnel,
            "funnel_name": self.funnel_name,
            "step": c.step,
            "step_label": c.step_label,
            "probability": num(c.probability),
            "days": num(c.days),
            "reached": num(self.reached),
            "gate_arrivals": num(self.gate_arrivals),
            "gate_cleared": num(self.gate_cleared),
            "gate_pass_rate": num(self.gate_pass_rate),
            "deals_lost": num(c.deals_lost),
        }


@dataclass(frozen=True)
class Clearing:
    """A buying-group role's process simulated alone: what it clears for the funnel's gates.

    Such a process makes no deals of its own: its won outcome is the role's sign-off, and the
    deals it takes part in are counted in the funnel, through the gate.
    """

    role: str
    role_name: str
    gates: list[RoleGate]

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "gates": [g.to_dict() for g in self.gates],
        }
