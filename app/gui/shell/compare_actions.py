"""File ▸ Compare with…: what changed since another map file or a git revision of this one;
File ▸ Compare scenarios…: the parameters two scenarios of the map set differently.

The other version is read like any map (a file that cannot be read says where and why) and
shown in the Changes dock (panels/changes.py), which follows the edits from then on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow

from app.gui.common import dialogs
from app.gui.panels.changes import ChangesPanel
from app.gui.shell.actions import make_action
from app.gui.shell.files import FileController
from models.errors import JourneymapError
from models.versions import read_version


def ask_revision(parent, name: str) -> str:
    """Which git revision to compare with; "" when cancelled (tests patch this)."""
    text, ok = QInputDialog.getText(
        parent,
        "Compare with a git revision",
        f"Revision of {name} (HEAD: the last commit; HEAD~1, a branch, a tag...):",
        text="HEAD",
    )
    return text.strip() if ok else ""


class CompareActions(QObject):
    def __init__(
        self, window: QMainWindow, files: FileController, panel: ChangesPanel, dock: QDockWidget
    ) -> None:
        super().__init__(window)
        self.window, self.files, self.panel, self.dock = window, files, panel, dock
        self.with_file = make_action(
            window, "Compare &with…", self.compare_with_file, None, "actionCompareWith"
        )
        self.with_revision = make_action(
            window,
            "Compare with git &revision…",
            self.compare_with_revision,
            None,
            "actionCompareRevision",
        )
        self.scenarios = make_action(
            window, "Compare &scenarios…", self.compare_scenarios, None, "actionCompareScenarios"
        )
        # closing the dock ends the comparison: its marks leave the canvas
        dock.toggleViewAction().toggled.connect(lambda shown: shown or panel.stop())

    def compare_scenarios(self) -> bool:
        scenarios = self.panel.document.map.scenarios
        if len(scenarios) < 2:
            dialogs.error(
                self.window,
                "Compare scenarios",
                "The map needs two scenarios to compare; add them in the outline.",
            )
            return False
        self.panel.compare_scenarios(scenarios[0].id, scenarios[1].id)  # the dock picks others
        self.dock.show()
        self.dock.raise_()
        return True

    def compare_with_file(self) -> bool:
        start = str(self.files.path.parent) if self.files.path else ""
        path = dialogs.open_file(self.window, "Compare with", start, "Journeymap maps (*.json)")
        return bool(path) and self.compare(path, None, Path(path).name)

    def compare_with_revision(self) -> bool:
        path = self.files.path
        if path is None:
            dialogs.error(
                self.window,
                "Compare with a git revision",
                "Save the map first: a git revision is one of a file in a repository.",
            )
            return False
        revision = ask_revision(self.window, path.name)
        if not revision:
            return False
        return self.compare(f"{revision}:./{path.name}", path.parent, f"{revision}:{path.name}")

    def compare(self, spec: str, folder: Path | None, name: str) -> bool:
        """Read ``spec`` (a file, or REV:PATH in ``folder``) and show the changes since it."""
        try:
            other = read_version(spec, folder)
        except JourneymapError as error:
            dialogs.error(self.window, "Compare with", str(error))
            return False
        self.panel.compare_with(other, name)
        self.dock.show()
        self.dock.raise_()
        return True
