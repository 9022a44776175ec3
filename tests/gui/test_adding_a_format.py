"""A new format is one module plus one registry record: with nothing else changed it is offered by
the command line (help, --format choices, the extension of -o, `import`), by both File ▸ Export
submenus, by File ▸ Import and its file filter, and it writes and reads through the one writer and
reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from app.cli import main
from app.gui.common import dialogs
from app.gui.shell.export_menu import ExportMenu
from exporters import registry
from exporters.import_result import ImportResult
from exporters.registry import Format
from models.document import JourneyMap, Node, Process
from models.storage import load_map, save_map
from models.templates import load_template

# --- the throwaway format's module: a writer and a reader -----------------------------------------


def generate_toy(doc: JourneyMap, process_id: str | None = None) -> str:
    """One line per node label."""
    nodes = doc.nodes_of(process_id) if process_id else doc.nodes
    return "".join(f"{n.label}\n" for n in nodes)


def read_toy(path: Path) -> ImportResult:
    labels = path.read_text(encoding="utf-8").splitlines()
    doc = JourneyMap(
        name=path.stem,
        processes=[Process(id="toy", name="Toy")],
        nodes=[
            Node(id=f"n{i}", process="toy", kind="action", label=label)
            for i, label in enumerate(labels)
        ],
    )
    return ImportResult(doc=doc, skipped=["everything but the labels"])


TOY = Format(
    "toy",
    (".toy", ".toys"),
    "node labels, one a line",
    "Toy",
    writer=f"{__name__}:generate_toy",
    reader=f"{__name__}:read_toy",
    scopes=("process", "map"),
)


@pytest.fixture
def toy(monkeypatch) -> Format:
    monkeypatch.setitem(registry.FORMATS, TOY.name, TOY)  # the one registry line
    return TOY


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines


def test_the_command_line_offers_a_registered_format(toy, tmp_path, capsys):
    assert "(default: from OUT's extension)" in _help(capsys, "export")
    assert "json, toy (default" in _help(capsys, "export")
    assert "or Toy" in _help(capsys, "export") and "or Toy" in _help(capsys, "import")
    assert ".drawio, .toy or .toys" in _help(capsys, "import")
    doc = load_template("saas-trial")
    save_map(doc, tmp_path / "m.json")
    assert main(["export", str(tmp_path / "m.json"), "--format", "toy", "-o", "-"]) == 0
    assert capsys.readouterr().out == generate_toy(doc)
    assert main(["export", str(tmp_path / "m.json"), "-o", str(tmp_path / "m.TOYS")]) == 0
    assert (tmp_path / "m.TOYS").read_text(encoding="utf-8") == generate_toy(doc)
    assert main(["import", str(tmp_path / "m.TOYS"), "-o", str(tmp_path / "back.json")]) == 0
    assert "everything but the labels" in capsys.readouterr().out
    back = load_map(tmp_path / "back.json")
    assert [n.label for n in back.nodes] == [n.label for n in doc.nodes]


def test_the_menus_and_the_file_filters_offer_a_registered_format(
    toy, window, qtbot, tmp_path, monkeypatch
):
    menu = ExportMenu(window)  # built after the format was registered, as at start-up
    menu.build(QMenu(window))
    assert {"process:toy", "map:toy"} <= set(menu.actions)
    assert menu.actions["map:toy"].text() == "TOY — node labels, one a line…"
    assert menu.import_action is not None and "or Toy…" in menu.import_action.text()
    assert ".toys" in registry.IMPORTS  # what the window accepts when a file is dropped on it

    filters = []
    monkeypatch.setattr(dialogs, "open_file", lambda *a: filters.append(a[3]) or "")
    assert not menu.import_dialog()
    everything, *each = filters[0].split(";;")
    assert everything.endswith("*.drawio *.toy *.toys)")
    assert "node labels, one a line (*.toy *.toys)" in each

    window.files.load(load_template("saas-trial"), None)
    out = tmp_path / "process.toy"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: filters.append(a[3]) or str(out))
    with qtbot.waitSignal(menu.finished, timeout=20000) as blocker:
        menu.actions["process:toy"].trigger()
    assert blocker.args == [[out]]
    assert filters[-1] == "node labels, one a line (*.toy *.toys);;All files (*)"
    process = window.current_view().diagram().process_id
    assert out.read_text(encoding="utf-8") == generate_toy(load_template("saas-trial"), process)

    monkeypatch.setattr(dialogs, "info", lambda *a: None)
    assert menu.import_path(out)
    assert [n.label for n in window.document.map.nodes] == out.read_text().splitlines()
