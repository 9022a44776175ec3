"""The levers of a process the sensitivity ranks, each as a patch of its compiled arrays.

:func:`candidates_of` lists them (see :mod:`models.simulation.sensitivity` for which changes
are levers): a conversion raised, the other edges of its step scaled down when they would
add up to more than 100 %; a role process's conversion, through its committee gate's pass
rate; a qualification threshold moved or a question's share raised; one more person in a
team; more leads at an entry. :mod:`models.simulation.rankone` evaluates the patches.
"""

from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import numpy as np

from models.document import Criteria, JourneyMap
from models.qualification import pass_rate, split

from .expected import Prepared
from .gates import gate_conv
from .network import GATE, Network, working_hours
from .prepare import apply_scenario, resolve_scenario
from .rankone import Patch, PeoplePatch, RaisePatch, RowPatch, VolumePatch

STEP = 0.10


class _Candidate(NamedTuple):
    what: str
    short: str
    kind: str
    target: str
    before: float
    after: float
    patch: Patch


def candidates_of(doc: JourneyMap, ready: Prepared) -> list[_Candidate]:
    """Every lever of the prepared process, as patches of its compiled arrays."""
    net = ready.net
    out: list[_Candidate] = []
    by_source = _rows_by_source(net)
    rows_of: dict[str, list[int]] = {}
    for e, base_id in enumerate(net.edge_base):
        rows_of.setdefault(base_id, []).append(e)
    seen: set[str] = set()
    steps = net.steps  # a gate's node stands for its gated step
    hosts = [gate.host for gate in net.gates]
    labels = net.labels
    src, dst = net.src.tolist(), net.dst.tolist()
    lost, conv, kind = net.lost[net.dst].tolist(), net.conv.tolist(), list(net.edge_kind)
    for e, base_id in enumerate(net.edge_base):
        if base_id in seen or lost[e] or conv[e] <= 0 or kind[e] == GATE:
            continue
        seen.add(base_id)
        before = conv[e]
        after = min(1.0, before * (1.0 + STEP))
        if after <= before:
            continue  # already 100 %: nothing to raise
        rows = rows_of[base_id]
        j = dst[e]
        source, target = labels[src[e]], labels[j if j < steps else hosts[j - steps]]
        out.append(
            _Candidate(
                f"'{source}' to '{target}' conversion {before:.1%} -> {after:.1%}",
                f"{_clip(source)} -> {_clip(target)} +10%",
                "conversion",
                base_id,
                before,
                after,
                RaisePatch(e, after)
                if len(rows) == 1
                else _raised_patch(net, by_source, np.array(rows), after),
            )
        )
    out += _role_levers(net, seen)
    out += _criteria_levers(doc, ready, rows_of, by_source)
    per = f"per {net.period}"
    cadence = net.cadence
    paced = set(cadence.team[cadence.nodes].tolist()) if cadence is not None else set()
    for k, team in enumerate(net.teams):
        timed = k in paced
        if (not np.isfinite(team.capacity) or not team.per_person) and not timed:
            continue
        heads = team.headcount or 0
        capacity = (
            team.capacity + (team.per_person or 0.0) if np.isfinite(team.capacity) else np.inf
        )
        hours = None
        if timed and cadence is not None:
            hours = float(cadence.hours[k]) + working_hours(net.period_days)
        out.append(
            _Candidate(
                f"{team.name}: {heads} -> {heads + 1} people",
                f"{_clip(team.name, 24)} +1",
                "headcount",
                team.id,
                heads,
                heads + 1,
                PeoplePatch(k, float(capacity), hours),
            )
        )
    for i in np.flatnonzero(net.entry & (net.volume > 0)).tolist():
        after = float(net.volume[i]) * (1.0 + STEP)
        out.append(
            _Candidate(
                f"'{net.labels[i]}': {net.volume[i]:,.0f} -> {after:,.0f} leads {per}",
                f"{_clip(net.labels[i], 24)} +10%",
                "volume",
                net.ids[i],
                float(net.volume[i]),
                after,
                VolumePatch(i, after - float(net.volume[i])),
            )
        )
    return out


def _rows_by_source(net: Network) -> dict[int, np.ndarray]:
    order = np.argsort(net.src, kind="stable")
    starts = np.searchsorted(net.src[order], np.arange(net.size + 1))
    return {i: order[starts[i] : starts[i + 1]] for i in np.unique(net.src).tolist()}


def _raised_patch(net: Network, by_source, rows: np.ndarray, after: float) -> RowPatch:
    """``rows`` set to ``after``, the other edges of their nodes scaled down if needed."""
    lever = set(rows.tolist())
    touched, values = [], []
    for i in np.unique(net.src[rows]).tolist():
        mine = by_source[i]
        siblings = np.array([e for e in mine.tolist() if e not in lever], dtype=np.int64)
        raised = np.array([e for e in mine.tolist() if e in lever], dtype=np.int64)
        room = max(0.0, 1.0 - after * raised.size)
        others = float(net.conv[siblings].sum()) if siblings.size else 0.0
        scale = room / others if others > room else 1.0
        touched += mine.tolist()
        values += [after if e in lever else float(net.conv[e]) * scale for e in mine.tolist()]
    return RowPatch(np.array(touched, dtype=np.int64), np.array(values))


def raised(net: Network, rows: np.ndarray, after: float) -> np.ndarray:
    """Conversions with ``rows`` set to ``after``, the other edges of their nodes scaled down if needed."""
    patch = _raised_patch(net, _rows_by_source(net), rows, after)
    conv = net.conv.copy()
    conv[patch.rows] = patch.conv
    return conv


def _role_levers(net: Network, seen: set[str]) -> list[_Candidate]:
    """A role process's conversions: they move its committee gate's pass rate (one row)."""
    out = []
    for chain in net.chains:
        role = chain.net
        for e, base_id in enumerate(role.edge_base):
            if (
                base_id in seen
                or role.lost[role.dst[e]]
                or role.src[e] == chain.target
                or role.conv[e] <= 0
            ):
                continue
            seen.add(base_id)
            before = float(role.conv[e])
            after = min(1.0, before * (1.0 + STEP))
            if after <= before:
                continue
            patched = {
                k: raised(other.net, rows, after)
                for k, other in enumerate(net.chains)
                if (rows := np.flatnonzero(np.array(other.net.edge_base) == base_id)).size
            }
            conv = gate_conv(net, patched, net.conv)
            rows_changed = np.flatnonzero(conv != net.conv)
            source, target = role.labels[role.src[e]], role.labels[role.dst[e]]
            out.append(
                _Candidate(
                    f"{chain.role_name}: '{source}' to '{target}' conversion {before:.1%} -> {after:.1%}",
                    f"{_clip(chain.role_name, 10)}: {_clip(source)} -> {_clip(target)} +10%",
                    "conversion",
                    base_id,
                    before,
                    after,
                    RowPatch(rows_changed, conv[rows_changed]),
                )
            )
    return out


def _criteria_levers(doc: JourneyMap, ready: Prepared, rows_of, by_source) -> list[_Candidate]:
    """Thresholds one score level (or one answer) lower and higher, and each question's share
    +10 %, for the criteria whose pass rate feeds an edge of the network."""
    if not doc.criteria:
        return []
    chosen = resolve_scenario(doc, ready.scenario)
    plain = apply_scenario(doc, chosen)  # the rates the criteria give are not written in yet
    nodes = {n.id: n for n in plain.nodes}
    out_edges: dict[str, list] = {}
    for edge in plain.edges:
        if edge.kind in ("flow", "recycle"):
            out_edges.setdefault(edge.source, []).append(edge)
    net = ready.net
    found: list[_Candidate] = []
    for criteria in plain.criteria:
        rate = pass_rate(criteria)
        if rate is None:
            continue
        steps = [n for n in plain.nodes if n.criteria == criteria.id]
        fed = {e.id for n in steps for e in out_edges.get(n.id, []) if e.conversion is None}
        if not any(e in rows_of for e in fed):
            continue

        def patch_for(changed: Criteria, steps=steps) -> RowPatch | None:
            new_rate = pass_rate(changed)
            if new_rate is None:
                return None
            rates: dict[str, float] = {}
            for node in steps:
                rates.update(split(node, out_edges.get(node.id, []), nodes, new_rate))
            rows = [r for e, value in rates.items() for r in rows_of.get(e, [])]
            if not rows:
                return None
            conv = net.conv.copy()
            for e, value in rates.items():
                conv[rows_of.get(e, [])] = value
            touched = np.unique(np.concatenate([by_source[int(net.src[r])] for r in rows]))
            return RowPatch(touched, conv[touched])

        name = criteria.name
        for threshold, words in _threshold_moves(criteria):
            patch = patch_for(criteria.model_copy(update=threshold))
            key, value = next(iter(threshold.items()))
            before = getattr(criteria, key)
            if patch is None or before is None:
                continue
            unit = "points" if key == "threshold_score" else "positive answers"
            found.append(
                _Candidate(
                    f"'{name}': {words} the threshold from {before:g} to {value:g} {unit}",
                    f"{_clip(name)} {'min' if key == 'threshold_score' else 'yes'} {value:g}",
                    "threshold",
                    criteria.id,
                    float(before),
                    float(value),
                    patch,
                )
            )
        for q in criteria.questions:
            before = float(q.share or 0.0)
            after = min(1.0, before * (1.0 + STEP))
            if after <= before:
                continue
            questions = [
                x.model_copy(update={"share": after}) if x.id == q.id else x
                for x in criteria.questions
            ]
            patch = patch_for(criteria.model_copy(update={"questions": questions}))
            if patch is None:
                continue
            found.append(
                _Candidate(
                    f"'{name}': '{q.text or q.id}' answered yes by {before:.1%} -> {after:.1%}",
                    f"{_clip(q.text or q.id)} yes +10%",
                    "question",
                    f"{criteria.id}.{q.id}",
                    before,
                    after,
                    patch,
                )
            )
    return found


def _threshold_moves(criteria: Criteria) -> list[tuple[dict, str]]:
    """The thresholds one step lower and one higher: the next score a lead can make below and
    above the lowest passing score (or one positive answer fewer and more)."""
    moves: list[tuple[dict, str]] = []
    if criteria.threshold_score is not None:
        points = [q.points for q in criteria.questions]
        if len(points) <= 16:
            scores = sorted(
                {round(sum(c), 9) for k in range(len(points) + 1) for c in combinations(points, k)}
            )
            t = criteria.threshold_score
            below = [s for s in scores if s < t - 1e-9 and s >= 0]
            passing = [s for s in scores if s >= t - 1e-9]
            if below:
                moves.append(({"threshold_score": below[-1]}, "lower"))
            if len(passing) > 1:
                moves.append(({"threshold_score": passing[1]}, "raise"))
    if criteria.threshold_answers is not None:
        count = criteria.threshold_answers
        if count > 0:
            moves.append(({"threshold_answers": count - 1}, "lower"))
        if count < len(criteria.questions):
            moves.append(({"threshold_answers": count + 1}, "raise"))
    return moves


def _clip(text: str, width: int = 14) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"
