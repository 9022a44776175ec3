"""The workspace: one open map and everything the GUI shares about it.

It owns the document, the undo editor, the selection and the derived state (findings,
badges, the last simulation and the flow shown on the diagram), with the live analysis
and the simulation runner that write that state. Scenes, tabs and panels are given the
workspace and follow it; none of them writes into another.

One edit, end to end (a conversion typed in Properties)::

    FieldBinding → DocumentEditor.update → UpdateItemCommand.redo → MapDocument.update
    → item_changed → MapScene._on_item_changed → the edge's label and width

and a finished simulation: SimulationRunner → DerivedState.set_outcome → overlay_changed →
MapScene._on_overlay_changed → each step's flow text and each edge's label and width.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.gui.workspace.analysis import LiveAnalysis
from app.gui.workspace.commands import DocumentEditor
from app.gui.workspace.selection import Selection
from app.gui.workspace.simulation import SimulationRunner
from models.derived import DerivedState
from models.document import JourneyMap
from models.editing import MapDocument


class Workspace(QObject):
    """The document, its undo stack, the selection and the derived state of one window."""

    def __init__(
        self, doc: JourneyMap | None = None, parent: QObject | None = None, analyse: bool = True
    ) -> None:
        """``analyse=False`` leaves the live analysis off (a benchmark timing the canvas alone)."""
        super().__init__(parent)
        self.setObjectName("workspace")
        self.document = MapDocument(doc)
        self.editor = DocumentEditor(self.document, self)
        self.selection = Selection(self)
        self.derived = DerivedState(self.document)
        self.analysis = LiveAnalysis(self.document, self.derived, self)
        self.simulation = SimulationRunner(self.document, self.derived, self)
        if analyse:  # the findings of the map it starts with, once the event loop turns
            self.analysis.schedule()
        else:
            self.analysis.close()

    def close(self) -> None:
        """Stop following the document (the window is closing)."""
        self.simulation.close()
        self.analysis.close()
        self.derived.close()
