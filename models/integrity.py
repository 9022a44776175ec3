"""Structural checks: what makes a map unusable, as opposed to unfinished.

A map with duplicate ids or edges pointing at nothing cannot be drawn or
simulated, so loading refuses it. Anything a half-drawn map can hold (a step
with no edges, an undefined stage, conversions summing over 100 %) passes here
and is reported by the analysis instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import COLLECTIONS, JourneyMap


@dataclass(frozen=True)
class Problem:
    path: tuple  # field path in the file, e.g. ("edges", 4, "target")
    message: str
    hint: str = ""


def structural_problems(doc: JourneyMap) -> list[Problem]:
    """Every structural problem of ``doc``, in file order."""
    problems: list[Problem] = []
    for name in COLLECTIONS:
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(doc, name)):
            if item.id in seen:
                problems.append(
                    Problem(
                        (name, index, "id"),
                        f'the id "{item.id}" is already used by {name}[{seen[item.id]}]',
                        "Give each item its own id",
                    )
                )
            else:
                seen[item.id] = index
    processes = {p.id for p in doc.processes}
    for index, node in enumerate(doc.nodes):
        if node.process not in processes:
            problems.append(
                Problem(
                    ("nodes", index, "process"),
                    f'node "{node.id}" belongs to process "{node.process}", which does not exist',
                    "Add the process or move the node to an existing one",
                )
            )
    nodes = {n.id for n in doc.nodes}
    for index, edge in enumerate(doc.edges):
        for end in ("source", "target"):
            ref = getattr(edge, end)
            if ref not in nodes:
                problems.append(
                    Problem(
                        ("edges", index, end),
                        f'edge "{edge.id}" points to node "{ref}", which does not exist',
                        "Remove the edge or fix its node id",
                    )
                )
    return problems
