"""The buying-group page: the enterprise template against a bare QGraphicsScene painting the
same items in the same run, and a generated 10-role, 2,000-step buying group opening."""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

from models.buying_group import group_layout
from models.generate import generate_buying_group
from models.templates import load_template


def _show(view, rect: QRectF, whole: bool) -> None:
    """1920x1080 and one real paint of the viewport, either as the app opens the page
    (``DiagramView.open_fit``: whole when it fits at 30 % or more, else from the left at 60 %)
    or with the ``whole`` page fitted."""
    view.resize(1920, 1080)
    view.show()
    view.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.KeepAspectRatio)  # as DiagramView.fit
    if not whole and view.transform().m11() < 0.3:
        view.resetTransform()
        view.scale(0.6, 0.6)
        view.centerOn(rect.left() - 40 + view.viewport().width() / 0.6 / 2, rect.center().y())
    view.viewport().grab()


def _bare(doc, whole: bool = False) -> float:
    """The same items as plain Qt items, laid out by the same function: a filled band and a
    title per lane, a header and a rule per stage, a filled box in the kind's colours with its
    owner's bar and its label per step, a line, an arrow head and a rate on a filled patch per
    connection; antialiased, as the canvas paints. (Until 2026-12-01 evening the boxes, bands
    and patches were outlines only, less than the page paints.)"""
    from app.gui.common.style import KIND_STYLES, team_color

    start = time.perf_counter()
    layout = group_layout(doc)
    scene = QGraphicsScene()
    right = layout.columns[-1].left + layout.columns[-1].width
    bottom = layout.lanes[-1].top + layout.lanes[-1].height
    no_pen = QPen(Qt.NoPen)
    for index, lane in enumerate(layout.lanes):
        scene.addRect(QRectF(0, lane.top, right, lane.height), no_pen, _SHADES[index % 2])
        scene.addSimpleText(lane.title).setPos(10, lane.top + 4)
    for column in layout.columns:
        scene.addLine(column.left, -34, column.left, bottom)
        scene.addSimpleText(column.title).setPos(column.left + 10, -30)
    looks = {
        kind: (QPen(QColor(style.border), 1.6), QBrush(QColor(style.fill)))
        for kind, style in KIND_STYLES.items()
    }
    for node in doc.nodes:
        x, y = layout.positions[node.id]
        pen, brush = looks[node.kind]
        scene.addRect(QRectF(x - 85, y - 32, 170, 64), pen, brush)
        color = team_color(node.owner, doc.teams)
        if color is not None:
            scene.addRect(QRectF(x - 85, y - 32, 7, 64), no_pen, QBrush(color))
        scene.addSimpleText(node.label).setPos(x - 60, y - 8)
    for edge in doc.edges:
        (ax, ay), (bx, by) = layout.positions[edge.source], layout.positions[edge.target]
        scene.addLine(ax, ay, bx, by)
        scene.addPolygon(
            QPolygonF([QPointF(bx, by), QPointF(bx - 9, by - 4), QPointF(bx - 9, by + 4)])
        )
        if edge.kind != "addresses":
            mx, my = (ax + bx) / 2, (ay + by) / 2
            scene.addRect(QRectF(mx - 16, my - 9, 32, 18), no_pen, _PATCH)
            scene.addSimpleText("50%").setPos(mx - 12, my - 8)
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    _show(view, scene.itemsBoundingRect(), whole)
    seconds = time.perf_counter() - start
    view.hide()
    return seconds


_SHADES = (QBrush(QColor("#f8f9fa")), QBrush(QColor("#eef1f4")))  # the lanes' bands
_PATCH = QBrush(QColor(255, 255, 255, 220))  # behind a connection's rate


def _ours(doc, whole: bool = False) -> float:
    from app.gui.canvas.group_scene import GroupScene
    from app.gui.canvas.view import DiagramView
    from app.gui.workspace.workspace import Workspace

    copy = doc.model_copy(deep=True)  # both start from a parsed map
    # The map's workspace exists before the page opens (it is the open file's: made when the
    # file opened); opening the page is making its scene and its view, and painting them.
    workspace = Workspace(copy, analyse=False)  # the canvas alone, as the bare scene is
    start = time.perf_counter()
    scene = GroupScene(workspace)
    while scene.building:  # a big page arrives in slices between repaints
        QApplication.processEvents()
    view = DiagramView(scene)
    _show(view, scene.content_rect(), whole)
    seconds = time.perf_counter() - start
    view.hide()
    # closed as the app closes a page (its routing stopped, its signals let go), so no timer or
    # routing job of this page runs into the next measurement
    scene.detach()
    workspace.close()
    return seconds


def main() -> list[tuple[str, float, str]]:
    from app.gui.main import make_app

    make_app()
    enterprise = load_template("enterprise")
    runs: dict[str, list[float]] = {"bare": [], "ours": [], "bare whole": [], "ours whole": []}
    for _ in range(
        25
    ):  # alternate, so both see the same load on a shared machine (a run is ~15 ms: 25 keep the median steady)
        runs["bare"].append(_bare(enterprise))
        runs["ours"].append(_ours(enterprise))
        runs["bare whole"].append(_bare(enterprise, whole=True))
        runs["ours whole"].append(_ours(enterprise, whole=True))
    big = generate_buying_group(10, 2000, seed=3)
    big_opens = [_ours(big) for _ in range(3)]
    m = {key: statistics.median(values) for key, values in runs.items()}
    return [
        (
            "enterprise buying group, bare scene: create + first paint (median of 25)",
            m["bare"],
            "s",
        ),
        ("enterprise buying group, Journeymap page as the app opens it", m["ours"], "s"),
        ("enterprise buying group: open / bare ratio (goal <= 1.5)", m["ours"] / m["bare"], "x"),
        (
            "the same, the whole page fitted: open / bare ratio",
            m["ours whole"] / m["bare whole"],
            "x",
        ),
        (
            "10-role, 2,000-step buying group: open + first paint (median of 3, goal < 1 s)",
            statistics.median(big_opens),
            "s",
        ),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what}: {value:.3g} {unit}")
