"""The canvas on paper: every process (and the buying group) on pages of a chosen size.

Printing (File ▸ Print…, with Qt's preview) and the PDF for printing (File ▸ Export ▸ PDF for
printing…) paint the same way: each canvas as the workshop laid it out (team colours, kinds,
labels, rates), under its title, either fitted to one page or tiled across as many pages as
it needs at a readable size, the tiles overlapping a little with marks where to join them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.gui.canvas.scene import MapScene

PAPERS = {"A4": QPageSize.A4, "Letter": QPageSize.Letter, "A3": QPageSize.A3}
MARGIN = 40.0  # scene units around what a canvas shows
TILE_POINTS_PER_UNIT = 0.75  # tiled pages: a 13-unit label prints at about 10 pt
OVERLAP = 0.08  # of a tile, repeated on the next one so the pages can be joined


@dataclass(frozen=True)
class PageSetup:
    paper: str = "A4"
    landscape: bool = True
    tiled: bool = False
    """False: each canvas fitted on one page; True: at a readable size across several."""

    def layout(self) -> QPageLayout:
        orientation = QPageLayout.Landscape if self.landscape else QPageLayout.Portrait
        return QPageLayout(QPageSize(PAPERS[self.paper]), orientation, QMarginsF(10, 10, 10, 10))


def paint_pages(
    device: QPagedPaintDevice, canvases: list[tuple[str, MapScene]], setup: PageSetup | None = None
) -> int:
    """Paint each (title, scene) on ``device`` (a QPrinter or a QPdfWriter) and return the
    number of pages. ``setup`` sets the device's paper; None keeps the device's own (a
    printer set up in the print dialog) with each canvas fitted to a page."""
    if setup is not None:
        device.setPageLayout(setup.layout())
    tiled = setup is not None and setup.tiled
    painter = QPainter(device)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    pages = 0
    try:
        for title, scene in canvases:
            scene.route_now()  # connections around the steps, as on the canvas
            with _printable(scene):
                source = scene.content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
                if source.isEmpty():
                    source = QRectF(0, 0, 400, 300)
                if tiled:
                    pages = _tiles(device, painter, scene, source, title, pages)
                else:
                    if pages:
                        device.newPage()
                    body = _heading(painter, title)
                    scene.render(painter, body, source, Qt.KeepAspectRatio)
                    pages += 1
    finally:
        painter.end()
    return pages


def _heading(painter: QPainter, title: str, note: str = "") -> QRectF:
    """The page's title line; returns the rest of the page."""
    page = QRectF(painter.viewport())
    font = QFont()
    font.setPixelSize(max(12, int(page.height() * 0.022)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#212529"))
    line = font.pixelSize() * 1.6
    painter.drawText(QRectF(page.left(), page.top(), page.width(), line), Qt.AlignLeft, title)
    if note:
        painter.drawText(QRectF(page.left(), page.top(), page.width(), line), Qt.AlignRight, note)
    return QRectF(page.left(), page.top() + line, page.width(), page.height() - line)


def _tiles(
    device, painter: QPainter, scene: MapScene, source: QRectF, title: str, pages: int
) -> int:
    """The canvas at a readable size, cut into overlapping page-sized tiles."""
    page = QRectF(painter.viewport())
    dots_per_point = device.resolution() / 72.0
    scale = TILE_POINTS_PER_UNIT * dots_per_point  # device dots per scene unit
    heading = max(12, int(page.height() * 0.022)) * 1.6
    tile_w, tile_h = page.width() / scale, (page.height() - heading) / scale
    step_w, step_h = tile_w * (1 - OVERLAP), tile_h * (1 - OVERLAP)
    columns = max(1, math.ceil((source.width() - tile_w) / step_w) + 1)
    rows = max(1, math.ceil((source.height() - tile_h) / step_h) + 1)
    for row in range(rows):
        for column in range(columns):
            if pages:
                device.newPage()
            body = _heading(
                painter, title, f"page {row * columns + column + 1} of {rows * columns}"
            )
            area = QRectF(
                source.left() + column * step_w, source.top() + row * step_h, tile_w, tile_h
            )
            target = QRectF(body.left(), body.top(), tile_w * scale, tile_h * scale)
            scene.render(painter, target, area, Qt.IgnoreAspectRatio)
            _join_marks(painter, target, column < columns - 1, row < rows - 1, OVERLAP)
            pages += 1
    return pages


def _join_marks(
    painter: QPainter, target: QRectF, right: bool, below: bool, overlap: float
) -> None:
    """Dashed lines where the next tile starts: glue the next page on up to them."""
    painter.setPen(QPen(QColor("#868e96"), 0, Qt.DashLine))
    if right:
        x = target.right() - target.width() * overlap
        painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()))
    if below:
        y = target.bottom() - target.height() * overlap
        painter.drawLine(QPointF(target.left(), y), QPointF(target.right(), y))


class _printable:
    """A scene as paper shows it: nothing selected, items painted afresh (vectors, not bitmaps)."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene

    def __enter__(self) -> None:
        scene = self.scene
        self.selected = scene.selected_node_ids(), scene.selected_edge_ids()
        scene.clearSelection()
        self.cached = [
            (i, i.cacheMode()) for i in scene.items() if i.cacheMode() != QGraphicsItem.NoCache
        ]
        for item, _ in self.cached:
            item.setCacheMode(QGraphicsItem.NoCache)

    def __exit__(self, *exc) -> None:
        for item, mode in self.cached:
            item.setCacheMode(mode)
        self.scene.select_nodes(*self.selected)
