"""Editor speed on a generated 2,000-node, 3,000-edge map, against a bare QGraphicsScene in the same run."""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView
from timing import Heartbeat  # benchmarks/timing.py

from models.generate import generate_funnel


def _paint(view) -> None:
    image = QImage(1920, 1080, QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter)
    painter.end()


def _present(view, left: float, middle: float) -> None:
    """Show the view as the app opens a process (1920x1080, labels readable at 60%, starting at the
    left: DiagramView.fit(readable=True)) and paint it once, as the screen would."""
    view.resize(1920, 1080)
    view.show()
    view.resetTransform()
    view.scale(0.6, 0.6)
    view.centerOn(left - 40 + view.viewport().width() / 0.6 / 2, middle)
    view.viewport().grab()  # a real paint event of the whole viewport (show() alone paints nothing offscreen)


def _bare_view(doc) -> QGraphicsView:
    """The baseline: 2,000 rectangle-and-text nodes and 3,000 lines as plain Qt items, in a view."""
    view = QGraphicsView()
    scene = QGraphicsScene(view)  # the view keeps it (Python would collect it on return)
    for node in doc.nodes:
        x, y = doc.layout.nodes[node.id]
        scene.addRect(QRectF(x - 85, y - 32, 170, 64))
        scene.addSimpleText(node.label).setPos(x - 60, y - 8)
    for edge in doc.edges:
        a, b = doc.layout.nodes[edge.source], doc.layout.nodes[edge.target]
        scene.addLine(a[0], a[1], b[0], b[1])
    view.setScene(scene)
    return view


def _our_view(copy):
    """Journeymap's scene of the map's first process, built whole (no slices), in its view."""
    from app.gui.canvas.scene import MapScene
    from app.gui.canvas.view import DiagramView
    from app.gui.workspace.workspace import Workspace

    workspace = Workspace(copy, analyse=False)  # the canvas alone, as the bare scene is
    scene = MapScene(workspace, copy.processes[0].id, progressive=False)
    return workspace.editor, scene, DiagramView(scene)


def _bare(doc) -> float:
    start = time.perf_counter()
    view = _bare_view(doc)
    content = view.scene().itemsBoundingRect()
    _present(view, content.left(), content.center().y())
    seconds = time.perf_counter() - start
    view.hide()
    return seconds


def _ours(doc):
    copy = doc.model_copy(deep=True)  # both runs start from a parsed map
    start = time.perf_counter()
    editor, scene, view = _our_view(copy)
    content = scene.content_rect()
    _present(view, content.left(), content.center().y())
    seconds = time.perf_counter() - start
    view.hide()
    return seconds, editor, scene, view


def _render_ratio(doc) -> float:
    """The earlier measure, kept for comparison: QGraphicsView.render() of a view never shown
    (its default 624x464 viewport scaled up onto a 1920x1080 image) right after building."""

    def rendered(build, source) -> float:
        start = time.perf_counter()
        view = build(source)
        view.resize(1920, 1080)
        _paint(view)
        return time.perf_counter() - start

    ours = [rendered(lambda copy: _our_view(copy)[2], doc.model_copy(deep=True)) for _ in range(5)]
    bare = [rendered(_bare_view, doc) for _ in range(5)]
    return statistics.median(ours) / statistics.median(bare)


def _run_until(condition, limit: float = 60.0) -> None:
    end = time.perf_counter() + limit
    while not condition() and time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)


def _stalls(doc) -> dict[str, float]:
    """Worst UI stall while loading, autosaving and laying out the big map in a real main window."""
    import tempfile
    from pathlib import Path

    from app.gui.shell.recovery import RecoveryStore
    from app.gui.shell.window import MainWindow
    from models.document import Node
    from models.storage import save_map

    folder = Path(tempfile.mkdtemp(prefix="jm-bench-"))
    os.environ["JOURNEYMAP_RECOVERY_DIR"] = str(folder / "recovery")
    window = MainWindow(RecoveryStore(folder / "recovery"))
    window.resize(1920, 1080)
    window.show()
    path = folder / "big.journeymap.json"
    save_map(doc, path)
    result = {}
    with Heartbeat() as beat:
        window.files.open_path(path)
        _run_until(lambda: False, 0.05)
    result["load"] = beat.worst
    process = window.document.map.processes[0].id
    window.editor.add_node(Node(id="bench-extra", process=process, label="x"), (0.0, 0.0))
    _run_until(lambda: False, 2.0)  # let the findings panel's re-analysis of that edit finish first
    with Heartbeat() as beat:
        window.files.autosave()
        window.files.wait_for_autosave()
        _run_until(lambda: False, 0.05)
    result["autosave"] = beat.worst
    finished = []
    window.layout_finished.connect(finished.append)
    with Heartbeat() as beat:
        window.layout_actions.auto_layout()
        _run_until(lambda: bool(finished))
        _run_until(lambda: False, 0.3)  # and the paint of the map laid out, fitted to the view
    result["layout"] = beat.worst
    window.editor.undo_stack.setClean()
    window.files.close()
    window.close()
    return result


def main() -> list[tuple[str, float, str]]:
    from app.gui.main import make_app

    make_app()
    doc = generate_funnel(2000, 3000, seed=3)
    bares, opens = [], []
    for _ in range(7):  # alternate, so both see the same load on a shared machine
        bares.append(_bare(doc))
        seconds, editor, scene, view = _ours(doc)
        opens.append(seconds)
    bare = statistics.median(bares)
    # the node with the most edges, moved like a drag: one move per mouse-move event
    busiest = max(
        doc.nodes, key=lambda n: len([e for e in doc.edges if n.id in (e.source, e.target)])
    )
    item = scene.item_for_node(busiest.id)
    degree = len(item.edges)
    view.show()
    view.fit()
    QApplication.processEvents()
    moves = []
    for _ in range(200):
        start = time.perf_counter()
        item.set_position(item.pos() + QPointF(1, 0.5))
        moves.append(time.perf_counter() - start)
    repaints = []
    for _ in range(10):
        start = time.perf_counter()
        view.viewport().repaint()
        repaints.append(time.perf_counter() - start)
    view.hide()
    stalls = [_stalls(doc) for _ in range(3)]
    return [
        ("bare QGraphicsScene: create + first paint of the opening view (median of 7)", bare, "s"),
        (
            "Journeymap scene: open + first paint of the opening view (median of 7)",
            statistics.median(opens),
            "s",
        ),
        ("open / bare ratio (goal <= 1.5)", statistics.median(opens) / bare, "x"),
        ("open / bare ratio, render() of an unshown view (medians of 5)", _render_ratio(doc), "x"),
        (
            f"move one node with {degree} edges, per move event (median of 200)",
            statistics.median(moves) * 1000,
            "ms",
        ),
        (
            "full repaint at 1920x1080, whole map fitted (median of 10)",
            statistics.median(repaints) * 1000,
            "ms",
        ),
        (
            "worst UI stall while opening the map file (median of 3)",
            statistics.median([s["load"] for s in stalls]) * 1000,
            "ms",
        ),
        (
            "worst UI stall during autosave (median of 3)",
            statistics.median([s["autosave"] for s in stalls]) * 1000,
            "ms",
        ),
        (
            "worst UI stall during auto-layout, its repaint included (median of 3)",
            statistics.median([s["layout"] for s in stalls]) * 1000,
            "ms",
        ),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what}: {value:.3g} {unit}")
