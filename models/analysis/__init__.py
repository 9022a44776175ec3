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

from collections import Counter, defaultdict
from itertools import islice
from operator import attrgetter, eq

from models.document import JourneyMap
from models.findings import SEVERITY_RANK, Finding
from models.gcpause import paused_gc

from . import (
    actions,
    capacity,
    conversions,
    coverage,
    criteria,
    flow,
    gates,
    handoffs,
    inputs,
    roles,
    slas,
    stages,
    vocabulary,
)
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
    stages.check,
    slas.check,
    criteria.check,
    roles.check,
    inputs.check,
)


def analyze(doc: JourneyMap, *, codes: set[str] | None = None) -> list[Finding]:
    """Every finding for ``doc``, most severe first, then by process, code and node."""
    with paused_gc():  # no cycles are made; collections would only walk every object
        context = Context(doc)
        findings = [
            f for check in CHECKS for f in check(context) if codes is None or f.code in codes
        ]
    return _sorted(findings, doc)


def _sorted(findings: list[Finding], doc: JourneyMap) -> list[Finding]:
    """Most severe first, then by process (map order; none last), code, nodes, edges and items.

    Findings are grouped by (severity, process, code) and each group sorted by what it names
    with a C-level key: sorting 7,000 findings with one Python key each cost more than most
    checks.
    """
    order = {p.id: i for i, p in enumerate(doc.processes)}
    last = len(order)  # findings of no process come after those of every process
    groups: defaultdict[tuple[str, str | None, str], list[Finding]] = defaultdict(list)
    for key, finding in zip(map(_GROUP, findings), findings, strict=True):
        groups[key].append(finding)
    out: list[Finding] = []
    for key in sorted(
        groups,
        key=lambda k: (
            SEVERITY_RANK[k[0]],
            order.get(k[1], last) if k[1] is not None else last,
            k[2],
            k[1] or "",
        ),
    ):
        group = sorted(groups[key], key=_NODES)
        nodes = list(map(_NODES, group))
        if any(map(eq, nodes, islice(nodes, 1, None))):  # two name the same steps: a full key
            group.sort(key=_PLACE)
        out += group
    return out


_GROUP = attrgetter("severity", "process", "code")
_PLACE = attrgetter("nodes", "edges", "items")
_NODES = attrgetter("nodes")  # most groups name different steps in each finding: a cheaper key


def summary(findings: list[Finding]) -> dict:
    """Counts by severity and by code, for reports and CI gates."""
    by_severity = Counter(f.severity for f in findings)
    return {
        "total": len(findings),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_code": dict(sorted(Counter(f.code for f in findings).items())),
    }


__all__ = ["analyze", "summary", "Finding"]
