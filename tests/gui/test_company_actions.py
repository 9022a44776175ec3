"""Company actions (method step 4) in a dock, on a workspace without the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.gui.panels.company_actions import CompanyActionsPanel
from app.gui.workspace.workspace import Workspace
from models import Edge, JourneyMap, Node, Process
from models.document import BuyerRole, Stage, Team
from models.simulation.session import Request, run_simulation


def _map() -> JourneyMap:
    return JourneyMap(
        roles=[BuyerRole(id="cfo", name="CFO", kind="cfo")],
        teams=[Team(id="sdr", name="SDR"), Team(id="sales", name="Sales")],
        stages=[Stage(id="mql", name="MQL"), Stage(id="sql", name="SQL")],
        processes=[
            Process(id="funnel", name="Funnel", kind="funnel"),
            Process(id="cfo-journey", name="CFO sign-off", kind="buyer", role="cfo"),
        ],
        nodes=[
            Node(id="in", process="funnel", kind="entry", label="Leads", volume=200, stage="mql"),
            Node(id="proposal", process="funnel", label="Proposal", stage="sql", owner="sales"),
            Node(id="call", process="funnel", label="Qualify call", stage="mql", owner="sdr"),
            Node(id="won", process="funnel", kind="won", label="Customer", deal_value=5000),
            Node(id="roi", process="cfo-journey", kind="buyer_step", label="Reviews ROI"),
        ],
        edges=[
            Edge(id="e1", source="in", target="call", conversion=0.5),
            Edge(id="e2", source="call", target="proposal", conversion=0.4),
            Edge(id="e3", source="proposal", target="won", conversion=0.25),
            Edge(id="a1", source="proposal", target="roi", kind="addresses"),
        ],
    )


@pytest.fixture
def panel(qtbot):
    workspace = Workspace(_map())
    widget = CompanyActionsPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(1200, 300)
    widget.show()
    yield widget
    workspace.close()


def _column(panel, title: str) -> list[str]:
    from app.gui.panels.company_actions import COLUMNS

    index = [c[0] for c in COLUMNS].index(title)
    model = panel.table.model()
    return [model.index(r, index).data() for r in range(model.rowCount())]


def test_actions_in_stage_order_with_the_steps_they_address(panel):
    assert _column(panel, "Action") == ["Qualify call", "Proposal"]  # MQL before SQL
    assert _column(panel, "Addresses") == ["", "CFO sign-off: Reviews ROI"]
    assert _column(panel, "Leads in") == ["–", "–"]  # no simulation yet


def test_a_call_to_action_typed_in_the_table_is_one_undo_step(panel, qtbot):
    table = panel.table
    row = _column(panel, "Action").index("Proposal")
    cell = table.model().index(row, 4)
    table.setCurrentIndex(cell)
    old = set(table.viewport().findChildren(QLineEdit))
    table.edit(cell)  # what F2 or a double-click does
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e not in old)
    qtbot.keyClicks(editor, "Book the CFO call")
    qtbot.keyClick(editor, Qt.Key_Return)
    document = panel.workspace.document
    # the delegate commits on the next event-loop turn
    qtbot.waitUntil(lambda: document.get("nodes", "proposal").call_to_action != "", timeout=2000)
    assert document.get("nodes", "proposal").call_to_action == "Book the CFO call"
    panel.workspace.editor.undo_stack.undo()
    assert document.get("nodes", "proposal").call_to_action == ""
    qtbot.waitUntil(lambda: _column(panel, "Call to action")[row] == "")  # it follows the undo


def test_after_a_simulation_each_action_shows_its_leads(panel, qtbot):
    workspace = panel.workspace
    workspace.derived.set_outcome(
        run_simulation(workspace.document.map, Request(None, None, 1, 0, 1))
    )
    qtbot.waitUntil(lambda: _column(panel, "Leads in") == ["100.0", "40.0"])
    assert _column(panel, "Moves on") == ["40%", "25%"]


def test_a_double_click_shows_the_action_on_its_diagram(panel, qtbot):
    revealed = []
    panel.workspace.selection.focus_requested.connect(lambda: revealed.append(True))
    panel.table.doubleClicked.emit(panel.table.model().index(0, 0))
    selection = panel.workspace.selection
    assert (selection.process, selection.nodes) == ("funnel", ("call",)) and revealed


def test_the_owner_is_picked_from_the_teams(panel, qtbot):
    from PySide6.QtWidgets import QComboBox

    from app.gui.panels.company_actions import OWNER

    table = panel.table
    row = _column(panel, "Action").index("Qualify call")
    assert _column(panel, "Owner team")[row] == "SDR"
    cell = table.model().index(row, OWNER)
    table.setCurrentIndex(cell)
    table.edit(cell)
    combo = table.viewport().findChild(QComboBox)
    combo.setCurrentIndex(combo.findText("Sales"))
    table.commitData(combo)
    assert panel.workspace.document.get("nodes", "call").owner == "sales"
    qtbot.waitUntil(lambda: _column(panel, "Owner team")[row] == "Sales")


def test_a_hidden_dock_waits_until_it_is_shown(qtbot):
    workspace = Workspace(_map())
    widget = CompanyActionsPanel(workspace)  # never shown
    qtbot.addWidget(widget)
    assert widget.table.model().rowCount() == 0
    widget.show()
    assert widget.table.model().rowCount() == 2
    workspace.close()
