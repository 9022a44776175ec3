"""Find the missing links in a map, the way an experienced consultant reads it.

Small pure functions, one concern per module, each yielding
:class:`~models.findings.Finding` objects with stable codes (see
``models.findings.CATALOGUE``). :func:`analyze` runs them all.

>>> from models.templates import load_template
>>> codes = {f.code for f in analyze(load_template("enterprise"))}
>>> {"dead-end", "orphan-activity", "unaddressed-step"} <= codes
True
"""

from __future__ import annotations

from collections import Counter

from models.document import JourneyMap
from models.findings import SEVERITY_RANK, Finding
from models.gcpause import paused_gc

from . import actions, capacity, conversions, coverage, flow, gates, handoffs, vocabulary
from .context import Context

CHECKS = (
    flow.check,
    conversions.check,
    actions.check,
    coverage.check,
    handoffs.check,
    vocabulary.check,
    capacity.check,
    gates.check,
)


def analyze(doc: JourneyMap, *, codes: set[str] | None = None) -> list[Finding]:
    """Every finding for ``doc``, most severe first, then by process, code and node."""
    with paused_gc():  # no cycles are made; collections would only walk every object
        context = Context(doc)
        findings = [
            f for check in CHECKS for f in check(context) if codes is None or f.code in codes
        ]
    order = {p.id: i for i, p in enumerate(doc.processes)}
    last = len(order)  # findings of no process come after those of every process
    return sorted(
        findings,
        key=lambda f: (
            SEVERITY_RANK[f.severity],
            order.get(f.process, last) if f.process is not None else last,
            f.code,
            f.nodes,
            f.edges,
        ),
    )


def summary(findings: list[Finding]) -> dict:
    """Counts by severity and by code, for reports and CI gates."""
    by_severity = Counter(f.severity for f in findings)
    return {
        "total": len(findings),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_code": dict(sorted(Counter(f.code for f in findings).items())),
    }


__all__ = ["analyze", "summary", "Finding"]
