"""The committee gate, in the map's terms: which gates count and whose process each clearance reads.

A funnel step can carry ``gate``: a list of :class:`~models.document.Clearance` (a buyer role
and a step of that role's own purchase process). A lead passes the gate only when every
required role has cleared its step. The analysis (:mod:`models.analysis.gates`) and the
simulation (:mod:`models.simulation.gates`) both read gates through this module, so they
agree on two rules:

* a gate **counts** on a step of a ``funnel`` process that is neither an entry nor an outcome:
  the committee holds deals back in the company funnel, leads start at an entry before any
  committee meets, and an outcome holds nothing back (leads that reach it stay there). A gate
  anywhere else is reported by the analysis and ignored by the simulation;
* a clearance **resolves** to the process its step belongs to when that process is a
  ``buyer`` process of the clearance's role; otherwise it does not resolve (the role has no
  process, or the step is not in it) and the simulation refuses to run.

>>> from models.document import Clearance, JourneyMap, Node, Process
>>> doc = JourneyMap(
...     processes=[Process(id="f", name="Funnel"), Process(id="c", name="CFO", kind="buyer", role="cfo")],
...     nodes=[Node(id="proposal", process="f", gate=[Clearance(role="cfo", step="signs")]),
...            Node(id="signs", process="c", kind="won")])
>>> index = GateIndex(doc)
>>> [node.id for node in index.counted()]
['proposal']
>>> index.resolve(doc.node("proposal").gate[0])
'c'
"""

from __future__ import annotations

from .document import Clearance, JourneyMap, Node, Process
from .vocabulary import OUTCOME_KINDS

__all__ = ["GateIndex", "gate_counts"]


def gate_counts(node: Node, process: Process | None) -> bool:
    """Whether ``node``'s gate holds leads back: a funnel step, neither an entry nor an outcome."""
    return (
        bool(node.gate)
        and process is not None
        and process.kind == "funnel"
        and node.kind not in OUTCOME_KINDS
        and node.kind != "entry"
    )


class GateIndex:
    """The map's processes and nodes indexed once, for the questions gates ask."""

    def __init__(self, doc: JourneyMap) -> None:
        self.doc = doc
        self.processes: dict[str, Process] = {p.id: p for p in doc.processes}
        self.nodes: dict[str, Node] = {n.id: n for n in doc.nodes}
        self.roles = {r.id: r for r in doc.roles}

    def gated(self) -> list[Node]:
        """Every node with a gate, counted or not, in map order."""
        return [n for n in self.doc.nodes if n.gate]

    def counted(self) -> list[Node]:
        """The gated nodes whose gate the simulation applies (see :func:`gate_counts`)."""
        return [n for n in self.gated() if gate_counts(n, self.processes.get(n.process))]

    def role_processes(self, role: str) -> list[Process]:
        """The buyer processes of ``role``, in map order."""
        return [p for p in self.doc.processes if p.kind == "buyer" and p.role == role]

    def resolve(self, clearance: Clearance) -> str | None:
        """The process a clearance reads: its step's process when that is a buyer process of
        its role; None when it does not resolve."""
        step = self.nodes.get(clearance.step)
        if step is None:
            return None
        process = self.processes.get(step.process)
        if process is None or process.kind != "buyer" or process.role != clearance.role:
            return None
        return process.id

    def role_name(self, role: str) -> str:
        found = self.roles.get(role)
        return found.name if found is not None else role

    def step_label(self, step: str) -> str:
        found = self.nodes.get(step)
        return (found.label or step) if found is not None else step

    def requiring(self, process_id: str) -> list[tuple[Node, Clearance]]:
        """Every counted gate's clearance that reads ``process_id``, as (gated node, clearance)."""
        return [
            (node, clearance)
            for node in self.counted()
            for clearance in node.gate
            if self.resolve(clearance) == process_id
        ]
