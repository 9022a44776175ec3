"""What the user has selected, shared by the canvas, the panels and the menus."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    """The current process and the selected node and edge ids in it.

    The canvas writes it when the user clicks; the properties panel and the
    menus read it; the findings panel writes it to select and centre a finding's
    nodes (``focus_requested`` asks the canvas to scroll them into view).
    """

    changed = Signal()
    focus_requested = Signal()
    field_requested = Signal(str)  # a field of Properties to put the keyboard in (a finding's)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: str | None = None
        self.nodes: tuple[str, ...] = ()
        self.edges: tuple[str, ...] = ()
        self.other: tuple[str, str] | None = None
        """A selected non-diagram item, (collection, id): a role, team, stage, criteria or SLA."""

    def set(
        self,
        process: str | None,
        nodes=(),
        edges=(),
        *,
        focus: bool = False,
        other: tuple[str, str] | None = None,
        field: str | None = None,
    ) -> None:
        state = (process, tuple(nodes), tuple(edges), other)
        if state != (self.process, self.nodes, self.edges, self.other):
            self.process, self.nodes, self.edges, self.other = state
            self.changed.emit()
        if focus:
            self.focus_requested.emit()
        if field:
            self.field_requested.emit(field)

    def clear(self) -> None:
        self.set(self.process)
