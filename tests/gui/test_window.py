"""What the window says about the map: its title and an empty map's findings."""

from __future__ import annotations

from models import JourneyMap, Process, save_map
from models.templates import load_template


def test_the_title_names_the_map_and_its_file_once(window, tmp_path):
    assert window.windowTitle() == "Untitled map[*] — Journeymap"
    plan = tmp_path / "plan.json"
    save_map(load_template("enterprise"), plan)
    window.files.open_path(plan)
    assert window.windowTitle() == f"{window.document.map.name} — plan.json[*] — Journeymap"
    same = tmp_path / "Q3 plan.json"
    save_map(JourneyMap(name="Q3 plan"), same)
    window.files.open_path(same)
    assert window.windowTitle() == "Q3 plan.json[*] — Journeymap"


def test_an_empty_map_does_not_claim_every_step_leads_somewhere(window, qtbot):
    window.files.load(JourneyMap(processes=[Process(id="p", name="Journey")]), None)
    assert window.findings.summary.text() == (
        "No steps yet: draw a process and its findings appear here."
    )


def test_opening_a_map_never_writes_the_previous_maps_fields_into_it(window, tmp_path, qtbot):
    """Opened from the start page, where the keyboard rests in Properties' map name, a second
    map used to be renamed after the first (the field committed its stale text when the
    start page came back and took the focus)."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save_map(load_template("enterprise"), first)
    save_map(JourneyMap(name="Q3 plan"), second)
    window.files.open_path(first)
    window.files.open_path(second)
    assert window.document.map.name == "Q3 plan"
    assert window.editor.undo_stack.isClean()  # nothing was edited
