"""The canvas widget: zoom, pan, fit, rubber-band selection and the keyboard of fast creation."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QGraphicsView, QLabel, QMenu

from app.gui.canvas import clipboard
from app.gui.canvas.scene import MapScene
from app.gui.common.style import NODE_KINDS

MIN_ZOOM, MAX_ZOOM = 0.1, 4.0
EMPTY_HINT = (
    "This process has no steps yet.\n\nPress Tab to start dictating, double-click to add a step "
    "where you click, or pick a kind of step on the toolbar."
)
READABLE_ZOOM = 0.6  # below this a projector audience cannot read 9.5 pt labels
WHOLE_ZOOM = 0.3  # a process opens whole when it fits at this zoom or more (every template does)


class DiagramView(QGraphicsView):
    def __init__(self, scene: MapScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setObjectName(f"diagram-{scene.process_id}")
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setViewportUpdateMode(QGraphicsView.MinimalViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.DontSavePainterState)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setFocusPolicy(Qt.StrongFocus)
        self._panning = None
        self._band: QRectF | None = None
        self.rubberBandChanged.connect(self._on_rubber_band)
        self.setAcceptDrops(
            False
        )  # the canvas takes no drops: a file dropped on it reaches the window
        self.viewport().setAcceptDrops(False)
        self.context_actions: list = []  # the window's Cut, Copy... for the right-click menu (None: a separator)
        # which simulation's flow is drawn, said above the canvas, in a strip of its own (over
        # the canvas it hid the steps under it); made when there is something to say (a label
        # with a style sheet is a tenth of a millisecond more on opening a page)
        self._caption: QLabel | None = None
        scene.caption_changed.connect(self._show_caption)
        self._show_caption(scene.flow_caption())

    def diagram(self) -> MapScene:
        return self.scene()

    @property
    def caption(self) -> QLabel:
        """The strip above the canvas saying which simulation's flow is drawn."""
        if self._caption is None:
            self._caption = QLabel(self, objectName="flowCaption")
            self._caption.setTextFormat(Qt.PlainText)
            self._caption.setStyleSheet(
                "QLabel { background: rgba(255, 255, 255, 230); color: #364fc7; border: 1px solid"
                " #91a7ff; border-radius: 4px; padding: 3px 8px; font-weight: bold; }"
            )
            self._caption.hide()
        return self._caption

    def _show_caption(self, text: str) -> None:
        if not text and self._caption is None:
            return  # nothing said yet: no strip
        self.caption.setText(text)
        self.caption.adjustSize()
        self.caption.setVisible(bool(text))
        self.setViewportMargins(0, self.caption.height() + 6 if text else 0, 0, 0)
        self._place_caption()

    def _place_caption(self) -> None:
        if self._caption is not None:
            edge = self.frameWidth()
            self._caption.move(edge + 6, edge + 3)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_caption()

    # --- zoom and pan ------------------------------------------------------------------------

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def drawForeground(self, painter, rect) -> None:  # noqa: N802 - Qt API
        super().drawForeground(painter, rect)
        scene = self.diagram()
        if scene.item_count():
            scene.painted()  # its steps are cached from the next paint on
            return
        painter.save()  # an empty process says how to start, in the middle of the window
        painter.resetTransform()
        font = painter.font()
        font.setPixelSize(15)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.PlaceholderText))
        painter.drawText(
            QRectF(self.viewport().rect()), Qt.AlignCenter | Qt.TextWordWrap, EMPTY_HINT
        )
        painter.restore()

    def _on_rubber_band(self, viewport_rect, start, end) -> None:
        """Qt selects the steps a rubber band touches; the edges wholly inside it join them at release."""
        if not viewport_rect.isNull():
            # the band as Qt selects with it (the scene points given here lag one mouse move behind)
            self._band = self.mapToScene(viewport_rect).boundingRect()
        elif self._band is not None:
            band, self._band = self._band, None
            scene = self.diagram()
            scene.select_edges(scene.edge_layer.within(band), add=True)

    def zoom_level(self) -> float:
        return self.transform().m11()

    def open_fit(self) -> None:
        """How a process shows when its tab opens: whole when it fits at a zoom where its steps
        are still drawn with their labels (every template does); a big one from its left end,
        with legible labels."""
        self.fit()
        if self.zoom_level() < WHOLE_ZOOM:
            self.fit(readable=True)

    def fit(self, readable: bool = False) -> None:
        """Fit the process in the window; ``readable`` keeps labels legible (zoom >= 0.6), starting at the left."""
        rect = self.diagram().content_rect()
        if rect.isNull():
            return
        self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.KeepAspectRatio)
        if self.zoom_level() > 1.5:
            self.resetTransform()
            self.scale(1.5, 1.5)
            self.centerOn(rect.center())
        elif readable and self.zoom_level() < READABLE_ZOOM:
            self.resetTransform()
            self.scale(READABLE_ZOOM, READABLE_ZOOM)
            half = self.viewport().width() / READABLE_ZOOM / 2
            half_height = self.viewport().height() / READABLE_ZOOM / 2
            # from the left end; and from the top when it is taller than the window (the
            # buying group's first lanes), else centred
            y = (
                rect.center().y()
                if rect.height() <= 2 * half_height
                else rect.top() - 40 + half_height
            )
            self.centerOn(rect.left() - 40 + half, y)

    def center_on_nodes(self, node_ids) -> None:
        rect = QRectF()
        for node_id in node_ids:
            item = self.diagram().item_for_node(node_id)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        if not rect.isNull():
            self.centerOn(rect.center())

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not event.modifiers() & Qt.ShiftModifier:  # the wheel zooms; Shift+wheel scrolls
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom(1.15**steps)
                event.accept()
                return
        super().wheelEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MiddleButton:
            self._panning = event.position()
            self.setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() - delta.x()))
            self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() - delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._panning is not None and event.button() == Qt.MiddleButton:
            self._panning = None
            self.unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- right-click -----------------------------------------------------------------------------

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt API
        scene = self.diagram()
        editor = scene.label_editor
        if editor is not None and editor.contains(
            editor.mapFromScene(self.mapToScene(event.pos()))
        ):
            super().contextMenuEvent(event)  # the label being typed has its own Cut, Copy, Paste
            return
        pos = event.pos()
        if event.reason() == event.Reason.Keyboard:  # the Menu key or Shift+F10: at the selection
            pos = self._keyboard_menu_point()
        self.context_menu(pos).exec(self.viewport().mapToGlobal(pos))
        event.accept()

    def _keyboard_menu_point(self) -> QPoint:
        scene = self.diagram()
        nodes = scene.selected_node_ids()
        if nodes:
            return self.mapFromScene(scene.item_for_node(nodes[0]).pos())
        edges = scene.selected_edge_ids()
        if edges:
            return self.mapFromScene(scene.item_for_edge(edges[0]).line().center())
        return self.viewport().rect().center()

    def context_menu(self, pos: QPoint) -> QMenu:
        """What a right-click at ``pos`` offers: for a step, a connection or the empty canvas there.

        Like every drawing tool, a right-click on something not yet selected selects it first,
        so the menu's Delete or Copy act on what was clicked.
        """
        scene = self.diagram()
        point = self.mapToScene(pos)
        menu = QMenu(self)
        step = scene.node_at(point)
        line = scene.edge_at(point, self.zoom_level()) if step is None else None
        if step is not None:
            if not step.isSelected():
                scene.select_nodes([step.node_id])
            node_id = step.node_id
            menu.addAction("Rename\tF2", partial(scene.start_label_edit, node_id))
            if len(scene.selected_node_ids()) == 1:
                menu.addAction("Add next step\tTab", scene.add_next_step)
            node = scene.document.get("nodes", node_id)
            if node.kind == "action":
                menu.addAction("Addresses a buyer step…", partial(scene.address_dialog, node_id))
            elif node.kind == "buyer_step":
                menu.addAction("Addressed by an action…", partial(scene.address_dialog, node_id))
            if (
                node.kind == "subprocess"
                and node.subprocess
                and scene.document.has("processes", node.subprocess)
            ):
                menu.addAction(
                    "Open sub-process", partial(scene.subprocess_requested.emit, node.subprocess)
                )
            menu.addSeparator()
            self._shared(menu, ("actionCut", "actionCopy", "actionDuplicate", "actionDelete"))
        elif line is not None:
            if not line.isSelected():
                scene.clearSelection()
                scene.select_edges([line])
            self._shared(menu, ("actionDelete",))
        else:
            scene.clearSelection()
            for kind, title in NODE_KINDS:
                menu.addAction(f"Add {title.lower()} here", partial(scene.add_node_at, point, kind))
            menu.addSeparator()
            paste = menu.addAction(
                "Paste here", partial(clipboard.paste_into, scene, scene.snapped(point))
            )
            paste.setEnabled(clipboard.holds_steps())
            self._shared(menu, ("actionAutoLayout", None, "actionFit"))
        return menu

    def _shared(self, menu: QMenu, names) -> None:
        by_name = {
            action.objectName(): action for action in self.context_actions if action is not None
        }
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name in by_name:
                menu.addAction(by_name[name])

    # --- keyboard ------------------------------------------------------------------------------

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        # Tab belongs to the canvas: it creates the next step, or a first one (see keyPressEvent).
        # It used to move the focus to the Properties panel when nothing was selected, where the
        # room's dictation then renamed the map. Ctrl+Tab still leaves the canvas.
        return False

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        scene = self.diagram()
        if scene.label_editor is not None:
            super().keyPressEvent(event)
            return
        key = event.key()
        if key == Qt.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.ScrollHandDrag)  # space+drag pans, like drawing tools do
            event.accept()
            return
        if key == Qt.Key_Tab and event.modifiers() & Qt.ControlModifier:
            super().focusNextPrevChild(True)  # the keyboard way out of the canvas
            event.accept()
            return
        if key == Qt.Key_Tab or (
            key in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier
        ):
            if scene.add_next_step():
                event.accept()
                return
            if key == Qt.Key_Tab and not scene.selected_node_ids():
                scene.add_step_in_view(self.mapToScene(self.viewport().rect().center()))
                event.accept()
                return
        if key == Qt.Key_F2 or (key in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers()):
            nodes = scene.selected_node_ids()
            if len(nodes) == 1:
                scene.start_label_edit(nodes[0])
                event.accept()
                return
        if event.matches(QKeySequence.Delete) or key == Qt.Key_Backspace:
            scene.delete_selection()
            event.accept()
            return
        steps = {
            Qt.Key_Left: (-1, 0),
            Qt.Key_Right: (1, 0),
            Qt.Key_Up: (0, -1),
            Qt.Key_Down: (0, 1),
        }
        if key in steps and scene.selected_node_ids():
            dx, dy = steps[key]
            size = 1 if event.modifiers() & Qt.ShiftModifier else 10
            scene.nudge(dx * size, dy * size)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.RubberBandDrag)
            event.accept()
            return
        super().keyReleaseEvent(event)
