"""Routing connections around steps on the generated 2,000-step, 3,000-edge map: the router alone,
the router with Graphviz's neato for connections that skip columns, and in the editor (off the UI
thread: how long until the routes are drawn, the worst UI stall meanwhile, a move per event)."""

from __future__ import annotations

import os
import random
import resource
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication
from timing import Heartbeat  # benchmarks/timing.py

from models.document import Edge
from models.generate import generate_funnel
from models.routing import route_edges


def _with_long_connections(count: int, seed: int = 5):
    """The generated map plus ``count`` flow connections that skip 2 to 6 columns of steps:
    their straight lines cross steps, so neato routes them."""
    doc = generate_funnel(2000, 3000, seed=3)
    rng = random.Random(seed)
    columns: dict[float, list[str]] = {}
    for node_id, (x, _) in doc.layout.nodes.items():
        columns.setdefault(x, []).append(node_id)
    xs = sorted(columns)
    for k in range(count):
        first = rng.randrange(len(xs) - 7)
        last = first + rng.randint(2, 6)
        doc.edges.append(
            Edge(
                id=f"long{k}",
                source=rng.choice(columns[xs[first]]),
                target=rng.choice(columns[xs[last]]),
                conversion=0.05,
            )
        )
    return doc


def _cpu() -> float:
    """CPU seconds of this process and of the neato runs it waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _headless(doc, repeats: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of routing the map's first process, and the routing."""
    times, cpu, routing = [], [], None
    for _ in range(repeats):
        start, used = time.perf_counter(), _cpu()
        routing = route_edges(doc, doc.processes[0].id)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - used)
    return statistics.median(times), statistics.median(cpu), routing


def _quiet(seconds: float) -> float:
    """The worst heartbeat gap while nothing runs: what the machine's load alone costs."""
    with Heartbeat() as beat:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            QApplication.processEvents()
            time.sleep(0.001)
    return beat.worst


def _in_the_editor(doc, repeats: int) -> dict[str, list[float]]:
    """The map open in a 1920x1080 view: routing started as when edits settle, until the routes
    are drawn and painted; then a step with the most connections moved like a drag."""
    from app.gui.canvas.scene import MapScene
    from app.gui.canvas.view import DiagramView
    from app.gui.workspace.workspace import Workspace

    workspace = Workspace(doc.model_copy(deep=True), analyse=False)  # the canvas alone
    scene = MapScene(workspace, doc.processes[0].id, progressive=False)
    view = DiagramView(scene)
    view.resize(1920, 1080)
    view.show()
    view.fit()
    out: dict[str, list[float]] = {"routed": [], "stall": [], "move": [], "ui": []}
    done: list[float] = []
    answer = scene._on_routed  # noqa: SLF001 - timed: the UI thread's share of the work

    def timed_answer(routing) -> None:
        used = time.thread_time()
        answer(routing)
        done.append(time.thread_time() - used)

    scene._on_routed = timed_answer  # noqa: SLF001 - the job connects to it when it starts
    for _ in range(repeats):
        done.clear()
        scene.stop_routing()  # nothing queued: the run below is the only one
        scene.edge_layer.set_routes({})  # straight again: the answer is drawn afresh
        QApplication.processEvents()
        with Heartbeat() as beat:
            start = time.perf_counter()
            used = time.thread_time()
            scene._start_routing()  # noqa: SLF001 - what the settle timer calls
            reading = time.thread_time() - used
            while not done:
                QApplication.processEvents()
                time.sleep(0.001)
            QApplication.processEvents()
            used = time.thread_time()
            view.viewport().repaint()  # the paint event the answer's update() asks for
            painting = time.thread_time() - used
            out["routed"].append(time.perf_counter() - start)
        out["stall"].append(beat.worst)
        out["ui"].append(max(reading, done[0], painting))
    assert scene.last_routing is not None and not scene.last_routing.note
    busiest = max(scene.node_ids(), key=lambda n: len(scene.item_for_node(n).edges))
    item = scene.item_for_node(busiest)
    out["degree"] = [len(item.edges)]
    for _ in range(200):  # the first moves also pull routed connections straight again
        start = time.perf_counter()
        item.set_position(item.pos() + QPointF(1, 0.5))
        out["move"].append(time.perf_counter() - start)
    scene.stop_routing()
    view.hide()
    scene.detach()
    workspace.close()
    return out


def main() -> list[tuple[str, float, str]]:
    from app.gui.main import make_app

    make_app()
    plain = generate_funnel(2000, 3000, seed=3)
    alone, alone_cpu, routing = _headless(plain, 5)
    long = _with_long_connections(100)
    with_neato, with_neato_cpu, routed = _headless(long, 3)
    editor = _in_the_editor(plain, 5)
    editor_long = _in_the_editor(long, 3)
    quiet = statistics.median(_quiet(2.0) for _ in range(3))
    curved = sum(1 for r in routed.routes.values() if r.curved)
    return [
        ("route 2,000 steps / 3,000 connections, headless (median of 5)", alone, "s"),
        ("  CPU time of that (median of 5)", alone_cpu, "s"),
        ("  of which labels crowded (no free place)", len(routing.crowded), "labels"),
        (
            f"route the same + 100 connections skipping columns ({curved} by neato, median of 3)",
            with_neato,
            "s",
        ),
        ("  CPU time of that, neato's included (median of 3)", with_neato_cpu, "s"),
        ("  connections still passing under a step", len(routed.blocked), "edges"),
        (
            "editor: routing started -> routes drawn and painted (median of 5)",
            statistics.median(editor["routed"]),
            "s",
        ),
        (
            "editor: worst UI stall meanwhile, 5 ms heartbeat (median of 5)",
            statistics.median(editor["stall"]) * 1000,
            "ms",
        ),
        ("  the same heartbeat with nothing running (median of 3)", quiet * 1000, "ms"),
        (
            "editor: the longest UI-thread work of a routing, CPU (reading the positions,"
            " taking the routes, or the repaint; median of 5)",
            statistics.median(editor["ui"]) * 1000,
            "ms",
        ),
        (
            "editor, + 100 skipping columns: routing -> drawn (median of 3)",
            statistics.median(editor_long["routed"]),
            "s",
        ),
        (
            "editor, + 100 skipping columns: worst UI stall (median of 3)",
            statistics.median(editor_long["stall"]) * 1000,
            "ms",
        ),
        (
            f"move a step with {editor['degree'][0]} connections, per move event, routes"
            " dropped and routing rescheduled (median of 200)",
            statistics.median(editor["move"]) * 1000,
            "ms",
        ),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what}: {value:.3g} {unit}")
