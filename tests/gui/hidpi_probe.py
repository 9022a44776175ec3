"""Run as a program with QT_SCALE_FACTOR set: paint a chain of connections across a wide view
and print, as JSON, the connections in view with no painted pixels a quarter and three quarters
along them (tests/gui/test_hidpi.py runs it: the scale factor must be set before Qt starts)."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from app.gui.canvas.scene import MapScene
    from app.gui.canvas.view import DiagramView
    from app.gui.main import make_app
    from app.gui.workspace.workspace import Workspace
    from models import Edge, JourneyMap, Layout, Node, Process

    make_app()
    count = 9
    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[Node(id=f"n{i}", process="p", label=f"Step {i}") for i in range(count)],
        edges=[
            Edge(id=f"e{i}", source=f"n{i}", target=f"n{i + 1}", conversion=0.5)
            for i in range(count - 1)
        ],
        layout=Layout(nodes={f"n{i}": (i * 300.0, (i % 2) * 40.0) for i in range(count)}),
    )
    scene = MapScene(Workspace(doc, analyse=False), "p", progressive=False)
    view = DiagramView(scene)
    view.resize(1280, 500)
    view.show()
    view.fit()
    QApplication.processEvents()
    pixmap = view.viewport().grab()
    image, ratio = pixmap.toImage(), pixmap.devicePixelRatio()
    unpainted = []
    for line in scene.edge_layer.lines.values():
        for share in (0.25, 0.75):
            x = line.x1 + (line.x2 - line.x1) * share
            y = line.y1 + (line.y2 - line.y1) * share
            point = view.mapFromScene(x, y)
            px, py = int(point.x() * ratio), int(point.y() * ratio)
            if not (0 <= px < image.width() and 0 <= py < image.height()):
                continue  # not in view
            near = [
                QColor(image.pixel(px + dx, py + dy)).lightness()
                for dx in range(-3, 4)
                for dy in range(-3, 4)
                if 0 <= px + dx < image.width() and 0 <= py + dy < image.height()
            ]
            if min(near) > 200:
                unpainted.append(f"{line.edge_id}@{share}")
    print(
        json.dumps({"ratio": ratio, "edges": len(scene.edge_layer.lines), "unpainted": unpainted})
    )


if __name__ == "__main__":
    main()
