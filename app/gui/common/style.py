"""How each kind of node looks: one table, so the canvas, legend and exports agree."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtGui import QColor

from app.gui.common.shapes import KIND_SHAPES
from app.gui.common.shapes import NODE_HEIGHT as NODE_HEIGHT
from app.gui.common.shapes import NODE_WIDTH as NODE_WIDTH


@dataclass(frozen=True)
class KindStyle:
    title: str
    fill: str
    border: str
    shape: str  # "rect", "round", "diamond", "pill", "ellipse", "double": KIND_SHAPES


KIND_STYLES: dict[str, KindStyle] = {
    "entry": KindStyle("Entry (lead source)", "#d0ebff", "#1971c2", KIND_SHAPES["entry"]),
    "buyer_step": KindStyle("Buyer step", "#e7f5ff", "#4dabf7", KIND_SHAPES["buyer_step"]),
    # company actions are beige, as the method draws them
    "action": KindStyle("Company action", "#f3e5c6", "#a07a2e", KIND_SHAPES["action"]),
    "decision": KindStyle("Decision", "#fff3bf", "#e0a800", KIND_SHAPES["decision"]),
    "subprocess": KindStyle("Sub-process", "#e5dbff", "#6741d9", KIND_SHAPES["subprocess"]),
    "won": KindStyle("Won", "#d3f9d8", "#2f9e44", KIND_SHAPES["won"]),
    "lost": KindStyle("Lost", "#ffe3e3", "#e03131", KIND_SHAPES["lost"]),
}

NODE_KINDS = [
    ("entry", "Lead source"),
    ("buyer_step", "Buyer step"),
    ("action", "Company action"),
    ("decision", "Decision"),
    ("subprocess", "Sub-process"),
    ("won", "Won"),
    ("lost", "Lost"),
]
"""The palette's kinds and names, in the order the toolbar, the Insert menu and the canvas menu show them."""

GRID = 10.0
LABEL_PIXELS = 13  # a step's label, in scene units (pixels at 100 %): exports at any DPI agree
TEXT_COLOR = QColor("#212529")
EDGE_COLORS = {
    "flow": "#495057",
    "recycle": "#d9480f",
    "addresses": "#868e96",
    "message": "#6741d9",  # a message to another process (BPMN's message flow)
    "selected": "#1864ab",
    "added": "#2b8a3e",  # since a version compared (File ▸ Compare with…)
    "changed": "#e67700",
}
# on a dark canvas (the platform's dark palette): the same hues, light enough to read
DARK_EDGE_COLORS = {
    "flow": "#ced4da",
    "recycle": "#ff8a50",
    "addresses": "#adb5bd",
    "message": "#b197fc",
    "selected": "#74c0fc",
    "added": "#69db7c",
    "changed": "#ffc078",
}
CHANGE_COLORS = {"added": "#2b8a3e", "changed": "#e67700"}  # a step's ring, on either canvas


def canvas_font(painter, widget):
    """The font a canvas item's text starts from: the canvas's own (``widget``, None in an
    export, whose painter starts each item afresh). Never the painter's on the canvas: the view
    does not save the painter's state between items (DontSavePainterState), so it holds the
    font the item painted before set (a lane's bold title made every connection's rate on the
    buying-group page bold, a badge's bold count the next step's label)."""
    return widget.font() if widget is not None else painter.font()


def is_dark(widget) -> bool:
    """Whether ``widget`` (a canvas viewport; None for exports, which are on white) shows a dark background."""
    if widget is None:
        return False
    from PySide6.QtGui import QPalette

    return widget.palette().color(QPalette.Base).lightness() < 128


def edge_color(kind: str, dark: bool = False) -> str:
    """The colour of an edge kind, or of "selected", on a light or a dark canvas."""
    colors = DARK_EDGE_COLORS if dark else EDGE_COLORS
    return colors.get(kind, colors["flow"])


DEFAULT_TEAM_COLORS = ["#d9822b", "#2b8a3e", "#1c7ed6", "#7048e8", "#0ca678", "#c2255c", "#5c940d"]


def team_color(team_id: str | None, teams: list) -> QColor | None:
    """A team's own colour, or a stable one from the palette by its place in the list."""
    if team_id is None:
        return None
    for index, team in enumerate(teams):
        if team.id == team_id:
            return QColor(team.color or DEFAULT_TEAM_COLORS[index % len(DEFAULT_TEAM_COLORS)])
    return QColor("#adb5bd")


def plain_tooltip(text: str) -> str:
    """Qt renders a tooltip as rich text when it looks like HTML; escape it so labels show literally."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>" if text else ""
