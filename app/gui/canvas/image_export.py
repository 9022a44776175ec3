"""The canvas as the user laid it out, saved as SVG, PNG or PDF (what you see is what you get).

The Graphviz exporters redraw a process with ``dot``; this one paints the
scene itself, so a consultant gets exactly the arrangement the workshop made,
team colours and conversions included. Selection and the label editor are
left out of the picture.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from app.gui.canvas.scene import MapScene
from models.storage import write_atomic

FORMATS = {"svg": "SVG image", "png": "PNG image", "pdf": "PDF document"}
MARGIN = 40.0
PNG_SCALE = 2.0  # crisp on a projector and in slides


def render_scene(scene: MapScene, fmt: str, title: str = "") -> bytes:
    """The scene's content as ``fmt`` ("svg", "png" or "pdf") bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown canvas format {fmt!r}; use one of {', '.join(FORMATS)}")
    scene.route_now()  # connections around the steps, as on the canvas
    source = scene.content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    if source.isEmpty():
        source = QRectF(0, 0, 400, 300)
    selected = scene.selected_node_ids(), scene.selected_edge_ids()
    scene.clearSelection()  # the picture shows the map, not what happened to be selected
    # cached items would go out as bitmaps: paint them afresh so SVG and PDF keep text and vectors
    cached = [
        (item, item.cacheMode())
        for item in scene.items()
        if item.cacheMode() != QGraphicsItem.NoCache
    ]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.NoCache)
    try:
        return {"svg": _svg, "png": _png, "pdf": _pdf}[fmt](scene, source, title)
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        scene.select_nodes(*selected)


def save_scene(scene: MapScene, path: str | Path, fmt: str | None = None, title: str = "") -> Path:
    """Write the canvas to ``path`` atomically; the format comes from the suffix unless given."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    write_atomic(path, render_scene(scene, fmt, title))
    return path


def _svg(scene: MapScene, source: QRectF, title: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title or "Journeymap process")
    generator.setDescription("Exported from Journeymap as laid out on the canvas")
    painter = QPainter(generator)
    _paint(scene, painter, source, QRectF(0, 0, source.width(), source.height()))
    painter.end()
    buffer.close()
    return bytes(data.data())


def _png(scene: MapScene, source: QRectF, title: str) -> bytes:
    image = QImage(
        int(source.width() * PNG_SCALE), int(source.height() * PNG_SCALE), QImage.Format_ARGB32
    )
    image.fill(QColor("white"))
    image.setDotsPerMeterX(int(96 * PNG_SCALE / 0.0254))
    image.setDotsPerMeterY(int(96 * PNG_SCALE / 0.0254))
    if title:
        image.setText("Title", title)
    painter = QPainter(image)
    _paint(scene, painter, source, QRectF(image.rect()))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _pdf(scene: MapScene, source: QRectF, title: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title or "Journeymap process")
    writer.setCreator("Journeymap")
    orientation = (
        QPageLayout.Landscape if source.width() >= source.height() else QPageLayout.Portrait
    )
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.A4), orientation, QMarginsF(10, 10, 10, 10))
    )
    writer.setResolution(144)
    painter = QPainter(writer)
    page = QRectF(painter.viewport())
    _paint(scene, painter, source, page)
    painter.end()
    buffer.close()
    return bytes(data.data())


def _paint(scene: MapScene, painter: QPainter, source: QRectF, target: QRectF) -> None:
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    scene.render(painter, target, source, Qt.KeepAspectRatio)
