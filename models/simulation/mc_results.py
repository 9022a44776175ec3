"""What a Monte Carlo returns: percentiles over runs, per period, per team (see ``montecarlo``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .results import Bottleneck, num


@dataclass(frozen=True)
class Summary:
    """Percentiles over runs, the mean and its standard error."""

    p10: float
    p50: float
    p90: float
    mean: float
    se: float

    @classmethod
    def of(cls, samples: np.ndarray) -> Summary:
        samples = np.asarray(samples, dtype=float)
        p10, p50, p90 = np.percentile(samples, [10, 50, 90])
        se = float(samples.std(ddof=1) / np.sqrt(samples.size)) if samples.size > 1 else 0.0
        return cls(float(p10), float(p50), float(p90), float(samples.mean()), se)

    def to_dict(self) -> dict:
        return {
            "p10": num(self.p10),
            "p50": num(self.p50),
            "p90": num(self.p90),
            "mean": num(self.mean),
            "se": num(self.se),
        }


@dataclass(frozen=True)
class PeriodSummary:
    period: int  # 1-based
    days: int
    won: Summary
    revenue: Summary

    def to_dict(self) -> dict:
        return {
            "period": self.period,
            "days": self.days,
            "won": self.won.to_dict(),
            "revenue": self.revenue.to_dict(),
        }


@dataclass(frozen=True)
class StageRun:
    """Leads entering a stage over the runs: per period, and per period on average over the
    horizon (a lead a loop brings back into the stage counts again)."""

    id: str
    name: str
    per_period: list[Summary]
    average: Summary  # per run, the mean per period over the horizon
    expected: float | None = None  # per period in the capacity-limited expected flow

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "expected": num(self.expected),
            "average": self.average.to_dict(),
            "per_period": [s.to_dict() for s in self.per_period],
        }


@dataclass(frozen=True)
class TeamRun:
    """A team with a capacity over the runs: median backlog per day, utilisation, offered load."""

    id: str
    name: str
    capacity: float  # leads per period
    utilisation: float  # leads worked / capacity (mean over runs)
    load: float  # leads arriving / capacity (mean over runs); over 1 means the queue grows
    backlog: tuple[float, ...]  # median over runs of leads waiting at the end of each day
    backlog_end: Summary

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "capacity": num(self.capacity),
            "utilisation": num(self.utilisation),
            "load": num(self.load),
            "backlog_end": self.backlog_end.to_dict(),
            "backlog": [num(b) for b in self.backlog],
        }


@dataclass(frozen=True)
class RoleRun:
    """One role's part in a committee gate over the runs: the share of the gate's leads whose
    journey cleared (with its standard error) and the mean whole days to clear when it did."""

    role: str
    role_name: str
    step: str
    step_label: str
    clear_rate: float | None
    clear_rate_se: float | None
    days: float | None

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "step": self.step,
            "step_label": self.step_label,
            "clear_rate": num(self.clear_rate),
            "clear_rate_se": num(self.clear_rate_se),
            "days": num(self.days),
        }


@dataclass(frozen=True)
class GateRun:
    """A committee gate over the runs: leads arriving and passing (means per run over the
    horizon), the pass rate pooled over every lead with its standard error, and the mean days
    the passing leads waited for their slowest role."""

    node: str
    label: str
    arrived: float
    passed: float
    pass_rate: float | None
    pass_rate_se: float | None
    wait_days: float | None
    roles: list[RoleRun]

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "arrived": num(self.arrived),
            "passed": num(self.passed),
            "pass_rate": num(self.pass_rate),
            "pass_rate_se": num(self.pass_rate_se),
            "wait_days": num(self.wait_days),
            "roles": [r.to_dict() for r in self.roles],
        }


@dataclass(frozen=True)
class MonteCarloResult:
    """Totals over the horizon and per period, by percentile over runs."""

    process: str
    scenario: str | None
    period: str
    currency: str
    periods: int
    days: int
    runs: int
    seed: int
    won: Summary
    revenue: Summary
    per_period: list[PeriodSummary]
    teams: dict[str, TeamRun]
    sla_breach_rate: float | None
    sla: dict[str, float]
    bottleneck: Bottleneck | None
    cancelled: bool = False
    won_runs: tuple[float, ...] = field(default=(), repr=False)  # deals per run over the horizon
    revenue_runs: tuple[float, ...] = field(default=(), repr=False)
    gates: dict[str, GateRun] = field(default_factory=dict)  # by gated step
    stages: list[StageRun] = field(default_factory=list)  # leads entering each stage
    lot: float = 1.0  # leads per counted unit (1 unless the volumes are astronomical)

    def to_dict(self) -> dict:
        return {
            "process": self.process,
            "scenario": self.scenario,
            "period": self.period,
            "currency": self.currency,
            "periods": self.periods,
            "days": self.days,
            "runs": self.runs,
            "seed": self.seed,
            "cancelled": self.cancelled,
            "won": self.won.to_dict(),
            "revenue": self.revenue.to_dict(),
            "per_period": [p.to_dict() for p in self.per_period],
            "sla_breach_rate": num(self.sla_breach_rate),
            "sla": {k: num(v) for k, v in self.sla.items()},
            "bottleneck": self.bottleneck.to_dict() if self.bottleneck else None,
            "teams": {k: t.to_dict() for k, t in self.teams.items()},
            "gates": {k: g.to_dict() for k, g in self.gates.items()},
            "stages": [s.to_dict() for s in self.stages],
            "lot": num(self.lot),
        }
