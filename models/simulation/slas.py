"""Where a map's SLAs apply in a compiled process: response windows and follow-up cadences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.document import JourneyMap

from .compiled import GATE, Cadence, Network, response_window_days, working_hours


def with_slas(doc: JourneyMap, net: Network) -> Network:
    """Where each SLA applies: its receiving team's hand-off steps get its response window
    and, with ``attempts`` and ``attempt_minutes``, its follow-up cadence.

    A hand-off receiver is a node owned by ``to_team`` reached by a flow edge
    from a node owned by ``from_team``, directly or through unowned nodes
    (decisions, buyer steps), as in the analysis. Working hours become
    calendar days with :func:`response_window_days`. Where several SLAs reach a step, the
    shortest window applies, and the first SLA of the map with a cadence.
    """
    n = net.size
    window = np.full(n, np.inf)
    factor = np.ones(n)
    sla_id: list[str | None] = [None] * n
    timed = [s for s in doc.slas if s.response_hours is not None]
    paced = [s for s in doc.slas if s.attempts and s.attempt_minutes]
    if not timed and not paced:
        return replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
    out: dict[int, list[int]] = {}
    for s, t, k in zip(net.src.tolist(), net.dst.tolist(), net.edge_kind, strict=True):
        if k == "flow" or k == GATE:  # a gate passes its leads on to the step it holds
            out.setdefault(s, []).append(t)
    for sla in timed:
        days = response_window_days(sla.response_hours or 0.0)
        late = sla.late_conversion_factor if sla.late_conversion_factor is not None else 1.0
        for nxt in _receivers(net, out, sla.from_team, sla.to_team):
            if days < window[nxt]:
                window[nxt], factor[nxt], sla_id[nxt] = days, late, sla.id
    net = replace(net, sla_window=window, sla_factor=factor, sla_id=sla_id)
    return replace(net, cadence=_cadence(doc, net, out, paced)) if paced else net


def _receivers(net: Network, out: dict[int, list[int]], from_team: str, to_team: str):
    """The hand-off receivers of an SLA from ``from_team`` to ``to_team`` (see with_slas)."""
    found: set[int] = set()
    for start in (i for i in range(net.size) if net.owner[i] == from_team):
        seen, stack = {start}, [start]
        while stack:
            for nxt in out.get(stack.pop(), ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if net.owner[nxt] == to_team:
                    found.add(nxt)
                elif net.owner[nxt] is None and not (net.won[nxt] or net.lost[nxt]):
                    stack.append(nxt)
    return sorted(found)


def _cadence(doc: JourneyMap, net: Network, out, paced) -> Cadence:
    n = net.size
    attempts = np.zeros(n)
    minutes = np.zeros(n)
    reach = np.full(n, np.nan)
    late = np.ones(n)
    team = np.full(n, -1, dtype=np.int64)
    sla: list[str | None] = [None] * n
    team_index = {t.id: k for k, t in enumerate(net.teams)}
    window = np.full(len(net.teams), net.period_days)
    windows: dict[int, list[float]] = {}
    for s in paced:
        k = team_index.get(s.to_team, -1)
        if k < 0:
            continue
        for i in _receivers(net, out, s.from_team, s.to_team):
            if attempts[i] > 0:
                continue  # the first SLA of the map with a cadence applies
            attempts[i], minutes[i], team[i], sla[i] = s.attempts, s.attempt_minutes, k, s.id
            reach[i] = s.reach_per_attempt if s.reach_per_attempt is not None else np.nan
            late[i] = s.late_conversion_factor if s.late_conversion_factor is not None else 1.0
            if s.attempt_window_days:
                windows.setdefault(k, []).append(float(s.attempt_window_days))
    for k, days in windows.items():
        window[k] = max(days)
    hours = np.array([(t.headcount or 0) * working_hours(net.period_days) for t in net.teams])
    return Cadence(attempts, minutes, reach, late, team, hours, window, sla)
