"""Structural checks: what makes a map unusable, as opposed to unfinished.

A map with duplicate ids, edges pointing at nothing or edges the connection
rules refuse (:mod:`models.connect`: self-loops, duplicate edges, flows between
processes or out of an outcome) cannot be drawn or simulated as it says, so
loading refuses it. Anything a half-drawn map can hold (a step
with no edges, an undefined stage, conversions summing over 100 %) passes here
and is reported by the analysis instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .connect import Connections
from .connect_errors import ConnectError
from .document import COLLECTIONS, JourneyMap


@dataclass(frozen=True)
class Problem:
    path: tuple[str | int, ...]  # field path in the file, e.g. ("edges", 4, "target")
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
    connections = Connections(doc.nodes)
    nodes = connections.nodes
    for index, edge in enumerate(doc.edges):
        if edge.source not in nodes or edge.target not in nodes:
            for end, ref in (("source", edge.source), ("target", edge.target)):
                if ref not in nodes:
                    problems.append(
                        Problem(
                            ("edges", index, end),
                            f'edge "{edge.id}" points to node "{ref}", which does not exist',
                            "Remove the edge or fix its node id",
                        )
                    )
            continue
        try:
            connections.admit(edge)
        except ConnectError as error:
            path: tuple[str | int, ...] = ("edges", index)
            problems.append(
                Problem(path + (error.end,) if error.end else path, error.message, error.hint)
            )
    return problems
