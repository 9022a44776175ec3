"""The buying-group page's background: a band per process, its title, the stage columns."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.gui.common.style import canvas_font, is_dark
from models.buying_group import GroupLayout

HEADER = 34.0  # the stage names above the first lane


class LanesItem(QGraphicsItem):
    """Painted under everything; holds only the layout's lanes and columns."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(-2)
        self.layout: GroupLayout | None = None
        self._rect = QRectF()

    def set_layout(self, layout: GroupLayout) -> None:
        self.prepareGeometryChange()
        self.layout = layout
        if layout.lanes and layout.columns:
            left = layout.columns[0].left
            right = layout.columns[-1].left + layout.columns[-1].width
            bottom = layout.lanes[-1].top + layout.lanes[-1].height
            self._rect = QRectF(left - 10, -HEADER, right - left + 20, bottom + HEADER)
        else:
            self._rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        layout = self.layout
        if layout is None or not layout.lanes:
            return
        dark = is_dark(widget)
        shades = ("#2b3035", "#25292d") if dark else ("#f8f9fa", "#eef1f4")
        ink = QColor("#ced4da" if dark else "#495057")
        left, right = self._rect.left() + 10, self._rect.right() - 10
        font = QFont(canvas_font(painter, widget))
        font.setPixelSize(15)
        font.setBold(True)
        for index, lane in enumerate(layout.lanes):
            band = QRectF(left, lane.top, right - left, lane.height)
            painter.fillRect(band, QColor(shades[index % 2]))
            painter.setFont(font)
            painter.setPen(ink)
            title = QRectF(left + 10, lane.top + 4, right - left - 20, 26)
            painter.drawText(title, Qt.AlignLeft | Qt.AlignVCenter, lane.title)
        # solid hairlines: long dashed lines cost milliseconds a paint
        painter.setPen(QPen(QColor("#495057" if dark else "#dee2e6"), 0))
        bottom = layout.lanes[-1].top + layout.lanes[-1].height
        for column in layout.columns[1:]:
            painter.drawLine(int(column.left), int(-HEADER), int(column.left), int(bottom))
        font.setPixelSize(14)
        painter.setFont(font)
        painter.setPen(ink)
        for column in layout.columns:
            if column.title:
                box = QRectF(column.left, -HEADER, column.width, HEADER - 4)
                painter.drawText(box, Qt.AlignCenter, column.title)
