"""The legend: what each shape means and which colour is which team."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.gui.common.follow import follow
from app.gui.common.style import KIND_STYLES, edge_color, is_dark, team_color
from app.gui.workspace.workspace import Workspace


def _swatch(fill: str, border: str, shape: str = "rect") -> QIcon:
    pixmap = QPixmap(22, 16)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QColor(border))
    painter.setBrush(QColor(fill))
    if shape == "diamond":
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QPolygonF

        painter.drawPolygon(
            QPolygonF([QPointF(11, 1), QPointF(21, 8), QPointF(11, 15), QPointF(1, 8)])
        )
    elif shape in ("ellipse", "pill"):
        painter.drawEllipse(1, 2, 20, 12)
    else:
        painter.drawRect(1, 2, 20, 12)
    painter.end()
    return QIcon(pixmap)


class LegendPanel(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legendPanel")
        self.document = document = workspace.document
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(22, 16))
        self.list.setSelectionMode(QListWidget.NoSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        # Only teams change the legend; refresh once per burst of edits, never per moved node.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        self._unfollow = follow(
            self,
            [
                (document.item_added, self._on_item),
                (document.item_removed, self._on_item),
                (document.item_changed, self._on_item),
                (document.reset, self._on_reset),
            ],
        )
        self.refresh()

    def _on_reset(self) -> None:
        self._pending.start()

    def _on_item(self, collection: str, *_) -> None:
        if collection == "teams":
            self._pending.start()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if (
            event.type() == QEvent.PaletteChange
        ):  # the platform switched light/dark: edge colours follow
            self._shown_teams = None
            self._pending.start()

    def refresh(self) -> None:
        names = [t.name for t in self.document.map.teams]
        dark = is_dark(self.list)
        if getattr(self, "_shown_teams", None) == (names, dark):
            return
        self._shown_teams = (names, dark)
        teams = [
            (t.name, team_color(t.id, self.document.map.teams)) for t in self.document.map.teams
        ]
        rows = [(s.title, _swatch(s.fill, s.border, s.shape)) for s in KIND_STYLES.values()]
        for text, kind in (
            ("Flow (conversion %)", "flow"),
            ("Recycle to nurture (dashed)", "recycle"),
            ("Addresses a buyer step (dotted)", "addresses"),
            ("Message to another process (dashed, ○ start, open ▷)", "message"),
        ):
            color = edge_color(kind, dark)  # as the canvas draws it on this background
            rows.append((text, _swatch(color, color)))
        rows += [(f"Team: {name}", _swatch(color.name(), color.name())) for name, color in teams]
        self.list.clear()
        for text, icon in rows:
            self.list.addItem(QListWidgetItem(icon, text))
