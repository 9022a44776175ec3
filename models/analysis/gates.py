"""Committee gates: every role a gate requires must have a process in which it can clear.

A gate (``Node.gate``) on a funnel step says which buyer roles must each clear a step of their
own purchase process before a deal passes (see :mod:`models.committee`). These checks find the
gates that cannot work: a role with no process, a step outside that role's process, a step the
role's journey never reaches or reaches with probability 0, and a gate where it holds nothing
back (outside a funnel process, on an entry or on an outcome).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.committee import GateIndex
from models.document import Clearance, Node
from models.findings import Finding
from models.vocabulary import OUTCOME_KINDS

from .context import Context
from .flow import reach


def check(ctx: Context) -> Iterator[Finding]:
    if not any(node.gate for node in ctx.doc.nodes):
        return
    index = GateIndex(ctx.doc)
    for node in index.gated():
        process = index.processes.get(node.process)
        if process is not None and process.kind != "funnel":
            yield ctx.finding(
                "gate-outside-funnel",
                f"{ctx.label(node.id)} carries a committee gate, but it is a step of "
                f"'{process.name}', a {process.kind} process: only funnel steps hold deals back, "
                "so the simulation ignores it.",
                process=node.process,
                nodes=[node.id],
                hint="Move the gate to the funnel step where the committee decides (the proposal or the contract)",
            )
        elif node.kind in OUTCOME_KINDS or node.kind == "entry":
            what = (
                "a lead source with a committee gate: leads start there, before any committee meets"
                if node.kind == "entry"
                else "an outcome with a committee gate: leads that reach an outcome stay there"
            )
            yield ctx.finding(
                "gate-on-entry-or-outcome",
                f"{ctx.label(node.id)} is {what}, so the gate holds nothing back and the "
                "simulation ignores it.",
                process=node.process,
                nodes=[node.id],
                hint="Put the gate on the step where the committee decides (the proposal or the contract)",
            )
        for clearance in node.gate:
            yield from _clearance(ctx, index, node, clearance)


def blocking(ctx: Context, process_ids) -> Iterator[Finding]:
    """Only the gate findings that stop a simulation of these processes: a counted gate whose
    clearance names a role without a process or a step outside that role's process."""
    if not any(node.gate for node in ctx.doc.nodes):
        return
    wanted = set(process_ids)
    index = GateIndex(ctx.doc)
    for node in index.counted():
        if node.process not in wanted:
            continue
        for clearance in node.gate:
            if index.resolve(clearance) is None:
                yield from _clearance(ctx, index, node, clearance)


def _clearance(ctx: Context, index: GateIndex, node: Node, clearance: Clearance):
    role = index.roles.get(clearance.role)
    who = f"'{role.name}'" if role is not None else f"'{clearance.role}'"
    gate = f"the committee gate on {ctx.label(node.id)}"
    step = ctx.nodes.get(clearance.step)
    nodes = [node.id, clearance.step] if step is not None else [node.id]
    owned = index.role_processes(clearance.role)
    if not owned:
        why = (
            f"{who} has no purchase process"
            if role is not None
            else f"{who} is not a buyer role of the map"
        )
        yield ctx.finding(
            "gate-role-without-process",
            f"{gate[0].upper()}{gate[1:]} needs {who} to clear {ctx.label(clearance.step)}, but {why}.",
            process=node.process,
            nodes=nodes,
            hint="Add that role's purchase process with the step it must clear, or take the role out of the gate",
        )
        return
    process_id = index.resolve(clearance)
    if process_id is None:
        where = ", ".join(f"'{p.name}'" for p in owned)
        what = (
            f"which is not a step of {who}'s purchase process ({where})"
            if step is not None
            else "which is not a step of the map"
        )
        yield ctx.finding(
            "gate-step-outside-role",
            f"{gate[0].upper()}{gate[1:]} needs {who} to clear {ctx.label(clearance.step)}, {what}.",
            process=node.process,
            nodes=nodes,
            hint="Pick a step of that role's own process: its approval, or its won outcome",
        )
        return
    graph = ctx.flow_graphs[process_id]
    entries = [n.id for n in ctx.by_process.get(process_id, []) if n.kind == "entry"]
    name = index.processes[process_id].name
    if clearance.step not in reach(graph.succ, entries):
        yield ctx.finding(
            "gate-step-unreachable",
            f"{who} can never clear {ctx.label(clearance.step)} for {gate}: no entry of "
            f"'{name}' leads there, so every deal stops at the gate.",
            process=node.process,
            nodes=nodes,
            hint="Connect the role's entry to the cleared step, or pick a step its journey reaches",
        )
        return
    conversion = ctx.conversions
    positive = {
        (e.source, e.target)
        for source in graph
        for e in ctx.flow_out(source)
        if (rate := conversion(e)) is None or rate > 0  # a missing rate: reported on its own
    }
    adjacency = {n: [m for m in graph.succ[n] if (n, m) in positive] for n in graph}
    if clearance.step not in reach(adjacency, entries):
        yield ctx.finding(
            "gate-never-clears",
            f"{who} clears {ctx.label(clearance.step)} with probability 0: every path from "
            f"the entries of '{name}' to it has a 0% conversion, so {gate} stops every deal.",
            process=node.process,
            nodes=nodes,
            hint="Give the connections on the way a real conversion rate",
        )
