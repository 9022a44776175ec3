"""Follow-up cadences in the Monte Carlo: the attempts a team owes, against its hours.

An SLA with ``attempts`` and ``attempt_minutes`` asks its receiving team for
``attempts x minutes`` of follow-up for every lead its hand-off steps work
(:class:`~models.simulation.network.Cadence`). Each run keeps, per team, the minutes its
hand-off steps asked for on each of the last ``window`` days (the SLA's attempt window, a
period when it gives none), starting from the steady state of the expected model. Each day
the team covers ``g = min(1, its minutes over the window / the minutes asked over the
window)`` of the attempts, the same for every lead it works that day; a lead converts at
:meth:`~models.simulation.network.Cadence.factor` ``(g)`` times its rates, the others drop
off (not reached). Without a timed cadence nothing here runs.
"""

from __future__ import annotations

import numpy as np

from .network import Network


class CadenceRun:
    """One batch's follow-up time, per run and team (see the module docstring)."""

    def __init__(self, net: Network, worked: np.ndarray, runs: int, lot: float) -> None:
        cadence = net.cadence
        assert cadence is not None
        self.cadence = cadence
        self.nodes = cadence.nodes
        self.team = cadence.team[self.nodes]
        self.cost = cadence.minutes_per_lead()[self.nodes] * lot  # minutes per counted lead
        teams = len(net.teams)
        self.window = np.maximum(np.rint(cadence.window).astype(np.int64), 1)
        self.span = int(self.window.max()) if teams else 1
        self.per_day = cadence.hours * 60.0 / net.period_days
        steady = (
            np.bincount(self.team, weights=worked[self.nodes] * self.cost / lot, minlength=teams)
            / net.period_days
        )
        self.asked = np.broadcast_to(steady, (runs, self.span, teams)).copy()
        self.today = np.zeros((runs, teams))
        self.column = np.full(net.size, -1, dtype=np.int64)  # per node: its cadence column
        self.column[self.nodes] = np.arange(self.nodes.size)
        self.factors = np.ones((runs, self.nodes.size))

    def start_day(self, day: int) -> None:
        """Set today's factor per run and cadence step from the last ``window`` days."""
        recent = np.zeros_like(self.today)
        for t, width in enumerate(self.window.tolist()):
            slots = [(day - 1 - j) % self.span for j in range(width)]
            recent[:, t] = self.asked[:, slots, t].sum(axis=1)
        available = self.per_day * self.window
        with np.errstate(divide="ignore", invalid="ignore"):
            given = np.where(recent > available, available / recent, 1.0)
        self.factors = self.cadence.factor(given[:, self.team], self.nodes)
        self.today[:] = 0.0

    def thin(
        self, nodes: np.ndarray, worked: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Of ``worked`` leads (runs x ``nodes``), those reached: (reached, not reached)."""
        columns = self.column[nodes]
        paced = np.flatnonzero(columns >= 0)
        if not paced.size:
            return worked, np.zeros_like(worked)
        reached = worked.copy()
        at = columns[paced]
        counts = worked[:, paced]
        self.today += (counts * self.cost[at]) @ np.eye(len(self.window))[self.team[at]]
        reached[:, paced] = rng.binomial(counts, self.factors[:, at])
        return reached, worked - reached

    def end_day(self, day: int) -> None:
        self.asked[:, day % self.span, :] = self.today
