"""The company-centric view (method step 4): every company action, in the map's stage order.

Derived, never drawn twice: the actions of every process (the funnel's and those hung on the
buyer roles' processes), each with the buyer steps it addresses, its owner, call to action
and technology, and, once a simulation has run, the leads it handles and how many move on.
The editor lists it in a dock (editable in place), the XLSX export has it as a sheet and the
HTML report as a section.

>>> from models.document import Edge, JourneyMap, Node, Process, Stage, Team
>>> doc = JourneyMap(
...     stages=[Stage(id="mql", name="MQL")], teams=[Team(id="sdr", name="SDR")],
...     processes=[Process(id="f", name="Funnel"), Process(id="cfo", name="CFO", kind="buyer")],
...     nodes=[Node(id="call", process="f", label="Qualify call", stage="mql", owner="sdr"),
...            Node(id="roi", process="cfo", kind="buyer_step", label="Checks the ROI")],
...     edges=[Edge(id="a", source="call", target="roi", kind="addresses")])
>>> row = company_actions(doc)[0]
>>> row.label, row.stage_name, row.owner_name, [s.label for s in row.addresses]
('Qualify call', 'MQL', 'SDR', ['Checks the ROI'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .buying_group import lane_order, stage_order
from .document import JourneyMap

if TYPE_CHECKING:  # the view is read without running (or importing) the simulation
    from .simulation.flow_result import FlowResult

__all__ = ["ActionRow", "AddressedStep", "company_actions"]


@dataclass(frozen=True)
class AddressedStep:
    """A buyer step an action serves, named as a workshop reads it."""

    node: str
    label: str
    process: str
    process_name: str
    role_name: str


@dataclass(frozen=True)
class ActionRow:
    node: str
    label: str
    process: str
    process_name: str
    stage: str | None
    stage_name: str
    owner: str | None
    owner_name: str
    call_to_action: str
    technology: tuple[str, ...]
    addresses: tuple[AddressedStep, ...]
    leads_in: float | None = None
    """Leads per period reaching the action (None before a simulation, or outside its process)."""
    conversion: float | None = None
    """Share of them that move on from it."""


def company_actions(doc: JourneyMap, flow: FlowResult | None = None) -> list[ActionRow]:
    """Every action of ``doc`` in stage order (then along its flow, then by lane), with the
    figures of ``flow`` (an expected flow) where it reaches the action."""
    nodes = {n.id: n for n in doc.nodes}
    processes = {p.id: p for p in doc.processes}
    stages = {s.id: s.name for s in doc.stages}
    teams = {t.id: t.name for t in doc.teams}
    roles = {r.id: r.name for r in doc.roles}
    lanes = {p.id: index for index, p in enumerate(lane_order(doc))}
    order = stage_order(doc)
    served: dict[str, list[AddressedStep]] = {}
    for edge in doc.edges:
        target = nodes.get(edge.target)
        if edge.kind != "addresses" or target is None or edge.source not in nodes:
            continue
        process = processes.get(target.process)
        role = target.role or (process.role if process else None)
        served.setdefault(edge.source, []).append(
            AddressedStep(
                target.id,
                target.label or target.id,
                target.process,
                process.name if process else target.process,
                roles.get(role or "", ""),
            )
        )
    figures = _figures(flow) if flow is not None else {}
    actions = [n for n in doc.nodes if n.kind == "action"]
    actions.sort(key=lambda n: (*order[n.id], lanes.get(n.process, len(lanes))))
    rows = []
    for node in actions:
        process = processes.get(node.process)
        leads, conversion = figures.get(node.id, (None, None))
        rows.append(
            ActionRow(
                node.id,
                node.label or node.id,
                node.process,
                process.name if process else node.process,
                node.stage,
                stages.get(node.stage or "", ""),
                node.owner,
                teams.get(node.owner or "", ""),
                node.call_to_action,
                tuple(node.technology),
                tuple(served.get(node.id, [])),
                leads,
                conversion,
            )
        )
    return rows


def _figures(flow: FlowResult) -> dict[str, tuple[float, float | None]]:
    """Leads in and the share moving on, by plain node id (summed over sub-process paths)."""
    totals: dict[str, list[float]] = {}
    for gid, values in flow.nodes.items():
        node_id = gid.rsplit("/", 1)[-1]
        total = totals.setdefault(node_id, [0.0, 0.0])
        total[0] += values.arrivals
        total[1] += values.dropoff
    return {
        node_id: (arrivals, (arrivals - dropoff) / arrivals if arrivals else None)
        for node_id, (arrivals, dropoff) in totals.items()
    }
