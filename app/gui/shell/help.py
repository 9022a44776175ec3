"""Help: the keyboard shortcuts, listed in one dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.gui.common import dialogs

SHORTCUTS_TEXT = """Draw fast
  Double-click empty canvas    add an action there, label ready to type
  Tab  or  Ctrl+Enter          add the next step after the selected one, connected
                               (nothing selected: Tab adds a first step; Ctrl+Tab leaves the canvas)
  Enter  or  F2                edit the selected step's label (Enter commits, Esc cancels)
  Shift+drag  or  Alt+drag     connect one step to another
  Delete / Backspace           delete the selection (with its connections)
  Right-click                  what applies to the step, connection or spot clicked
  Arrow keys (Shift: 1 px)     nudge the selection

View
  Ctrl+G                       the buying group: every process as a lane on one page
  Wheel, Ctrl+plus / minus     zoom
  Ctrl+0                       fit the process in the window
  Middle-button drag, Space+drag  pan
  F11  or  Ctrl+Shift+P        presentation mode (Esc leaves)

Edit and files
  Ctrl+Z / Ctrl+Shift+Z        undo / redo
  Ctrl+C, Ctrl+X, Ctrl+V       copy, cut, paste (also into another process)
  Ctrl+D                       duplicate the selection
  Ctrl+L                       auto-layout the process
  Ctrl+A                       select every step and connection
  Ctrl+F, then Enter           find a step by its label (Enter: next, Shift+Enter: previous)
  Ctrl+N, Ctrl+O, Ctrl+S       new, open, save
  Ctrl+W, Ctrl+Q               close the tab, quit
  Ctrl+Shift+E                 export the HTML workshop report

Simulate
  F5                           run the simulation
  Ctrl+Shift+F                 show the expected flow on the diagram
"""


def show_shortcuts(parent: QWidget) -> None:
    dialogs.ask(
        parent,
        "Keyboard shortcuts",
        SHORTCUTS_TEXT,
        ["Close"],
        icon=dialogs.QMessageBox.Information,
    )
