"""Paper: every process on pages of a chosen size, fitted or tiled, looking like the canvas."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.gui.canvas.paper import PageSetup
from app.gui.common import dialogs
from models.templates import load_template

POINTS = {"A4": (595, 842), "Letter": (612, 792), "A3": (842, 1191)}


def _lanes(doc):
    from models.buying_group import lane_order

    return lane_order(doc)


def _pdf(window, tmp_path, setup):
    path = window.print_actions.write_pdf(tmp_path / "paper.pdf", setup)
    return PdfReader(io.BytesIO(path.read_bytes()))


@pytest.mark.parametrize(
    "paper, landscape", [("A4", True), ("Letter", False), ("A3", True)]
)  # fmt: skip
def test_each_process_fitted_on_a_page_of_the_chosen_paper(window, tmp_path, paper, landscape):
    doc = load_template("enterprise")
    window.files.load(doc, None)
    reader = _pdf(window, tmp_path, PageSetup(paper, landscape, tiled=False))
    assert len(reader.pages) == len(doc.processes) + 1  # the buying group first, then each process
    short, long = POINTS[paper]
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    assert (round(width), round(height)) == ((long, short) if landscape else (short, long))
    text = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert text[0].startswith("Buying group")
    funnel = next(t for t in text if t.startswith("Company funnel"))
    assert "Capture in marketing automation" in funnel  # labels stay text, as on the canvas
    assert [t.split(" ")[0] for t in text[1:]] == [p.name.split(" ")[0] for p in _lanes(doc)]


def test_a_process_tiles_across_pages_with_join_marks(window, tmp_path):
    window.files.load(load_template("enterprise"), None)
    fitted = _pdf(window, tmp_path, PageSetup("A4", True, tiled=False))
    tiled = _pdf(window, tmp_path, PageSetup("A4", True, tiled=True))
    assert len(tiled.pages) > len(fitted.pages)
    notes = [" ".join(page.extract_text().split()) for page in tiled.pages]
    assert any("page 2 of" in note for note in notes)


def test_print_previews_every_process(window, qtbot, monkeypatch):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPdfWriter

    window.files.load(load_template("saas-trial"), None)
    painted = []

    def preview(parent, paint):  # what Qt's preview does: asks for the pages on a printer
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        paint(QPdfWriter(buffer))
        buffer.close()
        painted.append(PdfReader(io.BytesIO(bytes(data.data()))))
        return True

    monkeypatch.setattr(dialogs, "print_preview", preview)
    window.print_actions.print.trigger()  # File ▸ Print… (Ctrl+P)
    processes = len(window.document.map.processes)
    assert len(painted[0].pages) == processes + (1 if processes > 1 else 0)


def test_the_pdf_for_printing_asks_for_the_paper_then_the_file(window, tmp_path, monkeypatch):
    window.files.load(load_template("saas-trial"), None)
    monkeypatch.setattr(dialogs, "page_setup", lambda parent, papers: ("Letter", False, False))
    monkeypatch.setattr(dialogs, "save_file", lambda *a: str(tmp_path / "out.pdf"))
    window.print_actions.pdf.trigger()
    reader = PdfReader(tmp_path / "out.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == POINTS["Letter"]
