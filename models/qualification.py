"""Qualification criteria as numbers (method step 6): the share of leads a question set passes.

A criteria set asks questions (BANT and company-specific ones), each worth some points. When
every question carries the share of leads that answer it positively (``Question.share``),
the set's **pass rate** is the chance a lead reaches its threshold: its score (the points of
the questions it answers positively) at least ``threshold_score``, and/or at least
``threshold_answers`` positive answers (both, when both are set). Answers are taken as
**independent** of each other, so the score is a sum of independent weighted Bernoulli
variables; its distribution is computed exactly by convolution, one question at a time.

Exactness: points are scaled to whole numbers when they are multiples of 10^-6 and then
convolved on that grid (up to :data:`MAX_GRID` grid steps between the lowest and the highest
possible score); otherwise, with up to :data:`EXACT_QUESTIONS` questions, the distinct possible
scores are kept one by one. The only approximation: more questions whose points fit no such
grid (thirds, say: 0.3333333...) have their points rounded onto a grid of up to
:data:`MAX_GRID` steps, so a score may be off by at most half a step per question (for 30
questions worth 100 points together, under 0.001 points). Keeping every distinct score of 30
such questions took minutes.

**Where it applies.** A step that applies the criteria (``Node.criteria``) passes on leads along
its lead-carrying edges; the ones whose conversion is left empty take their rates from the
criteria (:func:`criteria_rates`): with one empty edge, it carries the pass rate; with several,
the edges to a lost outcome and recycle edges carry the leads that fail (shared equally) and
the others those that pass (shared equally); when that does not tell them apart, the first
empty edge in the map carries the pass rate and the others share the rest. A conversion set by
hand is always kept.

>>> from models.document import Criteria, Question
>>> bant = Criteria(id="bant", name="BANT", threshold_score=70, questions=[
...     Question(id="a", text="Authority?", points=40, share=0.5),
...     Question(id="b", text="Budget?", points=30, share=0.5),
...     Question(id="c", text="Need?", points=30, share=0.5)])
>>> pass_rate(bant)  # 40+30 or 40+30 or 40+30+30: 3 of the 8 equally likely answer sets
0.375
>>> pass_rate(bant.model_copy(update={"threshold_score": None, "threshold_answers": 1}))
0.875
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .document import Criteria, Edge, JourneyMap, Node
from .vocabulary import CARRIES_LEADS

MAX_GRID = 2_000_000
"""Grid steps between the lowest and the highest score convolved as an array."""
EXACT_QUESTIONS = 16
"""Questions whose distinct scores (at most 2^16) are kept one by one when points fit no grid."""
EPSILON = 1e-9


def pass_rate(criteria: Criteria) -> float | None:
    """The share of leads that meet the criteria, or None when it cannot be computed (no
    threshold, no questions, or a question without a share)."""
    questions = criteria.questions
    if not questions or any(q.share is None for q in questions):
        return None
    if criteria.threshold_score is None and criteria.threshold_answers is None:
        return None
    points = [float(q.points) for q in questions]
    shares = [float(q.share or 0.0) for q in questions]
    by_count = criteria.threshold_answers
    by_score = criteria.threshold_score
    if by_score is None:
        return _count_at_least(shares, int(by_count or 0))
    scale = _grid(points)
    if scale is not None:
        scaled = [round(p * scale) for p in points]
        low = sum(min(p, 0) for p in scaled)
        span = sum(abs(p) for p in scaled)
        if span <= MAX_GRID and (
            by_count is None or (span + 1) * (len(points) + 1) <= 4 * MAX_GRID
        ):
            threshold = math.ceil(by_score * scale - EPSILON)
            return _on_grid(scaled, shares, low, span, threshold, by_count)
    if len(points) <= EXACT_QUESTIONS:
        return _by_sums(points, shares, by_score, by_count)
    return _rounded(points, shares, by_score, by_count)


def _rounded(points: list[float], shares: list[float], by_score: float, by_count) -> float:
    """Points rounded onto the finest grid the array allows (the only approximation)."""
    columns = len(points) + 1 if by_count is not None else 1
    steps = max(1, min(MAX_GRID, 4 * MAX_GRID // columns - 1))
    width = (sum(abs(p) for p in points) or 1.0) / steps
    scaled = [round(p / width) for p in points]
    low = sum(min(p, 0) for p in scaled)
    span = sum(abs(p) for p in scaled)
    threshold = math.ceil(by_score / width - EPSILON)
    return _on_grid(scaled, shares, low, span, threshold, by_count)


def _grid(points: list[float]) -> int | None:
    """The power of ten (up to a million) that makes every point a whole number, if any."""
    for digits in range(7):
        scale = 10**digits
        if all(
            abs(p * scale - round(p * scale)) <= EPSILON * max(1.0, abs(p * scale)) for p in points
        ):
            return scale
    return None


def _count_at_least(shares: list[float], needed: int) -> float:
    """P(at least ``needed`` of independent events with these chances happen): the
    Poisson-binomial distribution by convolution."""
    dist = np.zeros(len(shares) + 1)
    dist[0] = 1.0
    for k, p in enumerate(shares, start=1):
        dist[1 : k + 1] = dist[1 : k + 1] * (1 - p) + dist[:k] * p
        dist[0] *= 1 - p
    return float(np.clip(dist[max(needed, 0) :].sum(), 0.0, 1.0))


def _on_grid(
    scaled: list[int], shares: list[float], low: int, span: int, threshold: int, by_count
) -> float:
    """The score distribution on the whole-number grid (scores ``low`` .. ``low + span``), and
    with ``by_count`` the joint one with the number of positive answers."""
    counting = by_count is not None
    dist = np.zeros((span + 1, len(scaled) + 1 if counting else 1))
    dist[-low, 0] = 1.0  # score 0, no positive answer
    for p, share in zip(scaled, shares, strict=True):
        moved = np.zeros_like(dist)
        if p >= 0:
            moved[p:] = dist[: span + 1 - p] if p else dist
        else:
            moved[:p] = dist[-p:]
        if counting:
            moved = np.roll(moved, 1, axis=1)
            moved[:, 0] = 0.0
        dist = dist * (1 - share) + moved * share
    start = min(max(threshold - low, 0), span + 1)
    passing = dist[start:]
    if counting:
        passing = passing[:, int(by_count) :]
    return float(np.clip(passing.sum(), 0.0, 1.0))


def _by_sums(points, shares, by_score: float, by_count) -> float:
    """The exact score distribution as a mapping of distinct (score, answers) to chance (at
    most 2^:data:`EXACT_QUESTIONS` entries)."""
    dist: dict[tuple[float, int], float] = {(0.0, 0): 1.0}
    for p, share in zip(points, shares, strict=True):
        grown: dict[tuple[float, int], float] = {}
        for (score, count), chance in dist.items():
            for key, weight in (((score, count), 1 - share), ((score + p, count + 1), share)):
                if weight:
                    grown[key] = grown.get(key, 0.0) + chance * weight
        dist = grown
    needed = by_count if by_count is not None else 0
    total = sum(
        chance
        for (score, count), chance in dist.items()
        if score >= by_score - EPSILON * max(1.0, abs(by_score)) and count >= needed
    )
    return float(min(max(total, 0.0), 1.0))


# --- which edges take the rate -------------------------------------------------------------------


def criteria_rates(doc: JourneyMap, only: Iterable[str] | None = None) -> dict[str, float]:
    """Edge id -> the conversion the criteria give it (see the module docstring), for the lead
    edges left without a conversion out of the steps that apply computable criteria (of the
    processes ``only``, when given)."""
    rates = {c.id: pass_rate(c) for c in doc.criteria}
    if not any(r is not None for r in rates.values()):
        return {}
    wanted = set(only) if only is not None else None
    nodes = {n.id: n for n in doc.nodes}
    out: dict[str, list[Edge]] = {}
    for edge in doc.edges:
        if edge.kind in CARRIES_LEADS:
            out.setdefault(edge.source, []).append(edge)
    found: dict[str, float] = {}
    for node in doc.nodes:
        rate = rates.get(node.criteria) if node.criteria else None
        if rate is None or (wanted is not None and node.process not in wanted):
            continue
        found.update(split(node, out.get(node.id, []), nodes, rate))
    return found


def split(node: Node, edges: list[Edge], nodes: dict[str, Node], rate: float) -> dict[str, float]:
    """The rates the empty edges out of ``node`` take from a pass rate ``rate``."""
    empty = [e for e in edges if e.conversion is None]
    if not empty:
        return {}
    if len(empty) == 1:
        return {empty[0].id: rate}

    def fails(edge: Edge) -> bool:
        target = nodes.get(edge.target)
        return edge.kind == "recycle" or (target is not None and target.kind == "lost")

    failing = [e for e in empty if fails(e)]
    passing = [e for e in empty if not fails(e)]
    if not failing or not passing:
        passing, failing = empty[:1], empty[1:]
    found = {e.id: rate / len(passing) for e in passing}
    found.update({e.id: (1.0 - rate) / len(failing) for e in failing})
    return found


def with_criteria_rates(doc: JourneyMap, only: Iterable[str] | None = None) -> JourneyMap:
    """``doc`` with the criteria's rates written into the empty edges they feed (a copy; the
    same ``doc`` when there are none)."""
    found = criteria_rates(doc, only)
    if not found:
        return doc
    edges = [
        e.model_copy(update={"conversion": found[e.id]}) if e.id in found else e for e in doc.edges
    ]
    return doc.model_copy(update={"edges": edges})
