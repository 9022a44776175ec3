"""Export and import from the menus: the same files as the command line, off the UI thread."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.gui.common import dialogs
from exporters.registry import EXPORTS, export_to_file
from models.templates import load_template

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _menu_titles(menu) -> list[str]:
    return [a.text() for a in menu.actions()]


def test_file_menu_offers_every_export_format(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    export = next(a.menu() for a in file_menu.actions() if a.text() == "&Export")
    offered = {key.split(":")[1] for key in window.exports.actions if not key.startswith("canvas:")}
    assert offered == set(EXPORTS)
    assert _menu_titles(export) == ["Current &process as", "Whole &map as", "&Canvas as laid out"]


@pytest.mark.parametrize("name", ["svg", "bpmn", "mermaid"])
def test_exporting_the_current_process_from_the_menu(window, qtbot, tmp_path, monkeypatch, name):
    window.files.load(load_template("saas-trial"), None)
    out = tmp_path / f"journey{EXPORTS[name].extension}"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(out))
    with qtbot.waitSignal(window.exports.finished, timeout=20000) as blocker:
        window.exports.actions[f"process:{name}"].trigger()
    assert blocker.args == [[out]]
    process = window.current_view().diagram().process_id
    expected = EXPORTS[name].load()(load_template("saas-trial"), process)
    assert out.read_text(encoding="utf-8") == expected  # the same text as `journeymap export`
    assert "Exported" in window.statusBar().currentMessage()


def test_the_whole_map_as_pdf_has_a_page_per_process(window, qtbot, tmp_path, monkeypatch):
    doc = load_template("enterprise")
    window.files.load(doc, None)
    out = tmp_path / "map.pdf"
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(out))
    with qtbot.waitSignal(window.exports.finished, timeout=30000):
        window.exports.actions["map:pdf"].trigger()
    assert len(PdfReader(out).pages) == len(doc.processes)


def test_an_export_that_cannot_be_written_says_why(window, qtbot, tmp_path, monkeypatch):
    window.files.load(load_template("saas-trial"), None)
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(tmp_path / "missing-folder" / "x.svg"))
    errors = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: errors.append(text))
    with qtbot.waitSignal(window.exports.finished, timeout=20000) as blocker:
        window.exports.actions["process:svg"].trigger()
    assert blocker.args == [[]]
    assert len(errors) == 1 and "missing-folder" in errors[0]


def test_the_canvas_as_laid_out(window, tmp_path, monkeypatch):
    """SVG, PNG and PDF of the scene itself: the user's arrangement, every label on it."""
    doc = load_template("enterprise")
    window.files.load(doc, None)
    scene = window.current_view().diagram()
    scene.select_nodes([next(iter(scene._nodes))])  # noqa: SLF001 - selection is restored afterwards
    for fmt in ("svg", "png", "pdf"):
        out = tmp_path / f"canvas.{fmt}"
        monkeypatch.setattr(dialogs, "save_file", lambda *a, out=out: str(out))
        assert window.exports.actions[f"canvas:{fmt}"].trigger() is None and out.exists()
    assert len(scene.selected_node_ids()) == 1
    svg = ET.parse(tmp_path / "canvas.svg").getroot()
    texts = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    for node in doc.nodes_of(scene.process_id):
        assert node.label.split()[0] in texts
    assert (tmp_path / "canvas.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(PdfReader(tmp_path / "canvas.pdf").pages) == 1
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "canvas-export.png").write_bytes((tmp_path / "canvas.png").read_bytes())


def test_importing_a_bpmn_file_opens_it_as_unsaved_work(window, tmp_path, monkeypatch):
    from exporters.bpmn import generate_bpmn

    source = tmp_path / "from-camunda.bpmn"
    source.write_text(generate_bpmn(load_template("saas-trial")), encoding="utf-8")
    monkeypatch.setattr(dialogs, "open_file", lambda *a: str(source))
    shown = []
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: shown.append(text))
    assert window.exports.import_dialog()
    assert window.document.map.nodes and window.files.path is None
    assert not window.editor.undo_stack.isClean()  # closing would ask to save it
    assert all("from-camunda.bpmn" in text for text in shown)


def test_a_workbook_from_the_xlsx_writer_comes_back_through_file_import(
    window, tmp_path, monkeypatch
):
    """The consultant's loop: File ▸ Export ▸ XLSX, edit in a spreadsheet, File ▸ Import."""
    window.files.load(load_template("enterprise"), None)
    original = window.document.map
    book = tmp_path / "workshop.xlsx"
    export_to_file(
        original, "xlsx", book
    )  # the menu's writer (its files equal the CLI's: tested below)
    monkeypatch.setattr(dialogs, "open_file", lambda *a: str(book))
    monkeypatch.setattr(dialogs, "info", lambda *a: None)
    assert window.exports.import_dialog()
    back = window.document.map
    assert (
        back.nodes == original.nodes and back.edges == original.edges and back.slas == original.slas
    )


def test_importing_a_broken_file_keeps_the_open_map(window, tmp_path, monkeypatch):
    window.files.load(load_template("saas-trial"), None)
    before = window.document.map
    broken = tmp_path / "broken.drawio"
    broken.write_text("<mxfile><diagram>", encoding="utf-8")
    errors = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: errors.append(text))
    assert not window.exports.import_path(broken)
    assert window.document.map is before
    assert len(errors) == 1 and "broken.drawio" in errors[0]


MAGIC = {"png": b"\x89PNG", "pdf": b"%PDF", "xlsx": b"PK"}


@pytest.mark.parametrize("template", ["enterprise", "saas-trial", "channel", "plugged-funnel"])
def test_every_menu_export_writes_what_the_command_line_writes(
    window, qtbot, tmp_path, monkeypatch, template
):
    """Each template, each format of the Export menu: the file the CLI writes for the same scope."""
    from app.cli import main as cli

    source = tmp_path / "map.json"
    assert cli(["new", "--template", template, "-o", str(source)]) == 0
    window.files.open_path(source)
    process = window.current_view().diagram().process_id
    for key in [k for k in window.exports.actions if not k.startswith("canvas:")]:
        scope, name = key.split(":")
        out = tmp_path / "menu" / f"{scope}-{name}{EXPORTS[name].extension}"
        out.parent.mkdir(exist_ok=True)
        monkeypatch.setattr(dialogs, "save_file", lambda *a, out=out: str(out))
        with qtbot.waitSignal(window.exports.finished, timeout=60000) as blocker:
            window.exports.actions[key].trigger()
        assert blocker.args[0] and blocker.args[0][0] == out, key
        reference = tmp_path / "cli" / out.name
        reference.parent.mkdir(exist_ok=True)
        args = ["export", str(source), "--format", name, "-o", str(reference)]
        assert cli(args + (["--process", process] if scope == "process" else [])) == 0
        if name in MAGIC:
            assert out.read_bytes()[: len(MAGIC[name])] == MAGIC[name], key
        else:
            assert out.read_bytes() == reference.read_bytes(), key
