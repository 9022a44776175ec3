"""Workbook import: our XLSX comes back with its stages and SLAs; a workbook edited in a
spreadsheet is understood; bad cells are refused naming the file, sheet, row and column."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import zipfile

import pytest
from hostile import hostile_map
from interop import SAMPLES, sample_map
from openpyxl import Workbook, load_workbook

from exporters.registry import import_file
from exporters.tables import generate_xlsx
from exporters.xlsx_import import NOT_CARRIED, read_xlsx
from models.errors import MapFileError
from models.storage import dumps_map, loads_map

VIEW_NOTE = (
    'book.xlsx: sheet "Company actions" was not read: it shows the Register and Edges sheets '
    "another way, so nothing in it is lost (edit actions in Register)"
)


def _write(tmp_path, doc, name="book.xlsx"):
    path = tmp_path / name
    path.write_bytes(generate_xlsx(doc))
    return path


def _edited(path, change) -> None:
    """Open the workbook as a spreadsheet user would, change it, save it."""
    book = load_workbook(path)
    change(book)
    book.save(path)


def _referenced(doc, collection: str, field: str) -> set[str]:
    return {getattr(n, field) for n in doc.nodes} - {None}


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_keeps_nodes_edges_stages_and_slas(name, request, tmp_path):
    doc = sample_map(name, request)
    result = import_file(_write(tmp_path, doc))
    back = result.doc
    assert back.nodes == doc.nodes
    assert back.edges == doc.edges
    assert back.slas == doc.slas
    named = _referenced(doc, "stages", "stage") | {s.stage for s in doc.slas}
    assert [s for s in back.stages if s.id in named or s.definition] == [
        s for s in doc.stages if s.id in named or s.definition
    ]
    assert result.skipped == [VIEW_NOTE, *NOT_CARRIED]
    assert loads_map(dumps_map(back)) == back  # the map opens and saves


def test_hostile_labels_come_back_literally(tmp_path):
    doc = hostile_map()
    back = read_xlsx(_write(tmp_path, doc)).doc
    assert back.nodes == doc.nodes
    assert [(e.id, e.label, e.conversion) for e in back.edges] == [
        (e.id, e.label, e.conversion) for e in doc.edges
    ]


def test_a_workbook_edited_in_a_spreadsheet(tmp_path, small_map):
    path = _write(tmp_path, small_map)

    def edit(book):
        register, edges = book["Register"], book["Edges"]
        header = [c.value for c in register[1]]
        row = register.max_row + 1
        for column, value in {
            "process": "Funnel",
            "id": "nurture",
            "kind": "action",
            "label": "Nurture",
            "owner team": "SDR",
            "volume": 250.0,
        }.items():
            register.cell(row=row, column=header.index(column) + 1, value=value)
        edge_header = [c.value for c in edges[1]]
        last = edges.max_row + 1
        for column, value in {
            "source": "fit",
            "target": "Nurture",
            "conversion": "15%",
            "delay (days)": 3,
        }.items():
            edges.cell(row=last, column=edge_header.index(column) + 1, value=value)
        book.create_sheet("My notes")["A1"] = "ignored"

    _edited(path, edit)
    result = read_xlsx(path)
    doc = result.doc
    nurture = doc.node("nurture")
    assert (nurture.owner, nurture.volume) == (
        "sdr",
        250,
    )  # the team by its name, 250.0 read as 250
    assert [(e.source, e.target, e.conversion, e.delay_days) for e in doc.edges][-1] == (
        "fit",
        "nurture",
        0.15,
        3.0,
    )  # the target by its label, the conversion as typed
    assert (
        'book.xlsx: sheet "My notes" is not a Journeymap sheet; it was not imported'
        in result.skipped
    )


def test_sheets_without_our_names_are_read_as_register_then_edges(tmp_path, small_map):
    path = _write(tmp_path, small_map)
    _edited(
        path,
        lambda book: [
            setattr(book["Register"], "title", "Nodes"),
            setattr(book["Edges"], "title", "Links"),
            book.remove(book["Stages"]),
            book.remove(book["SLAs"]),
        ],
    )
    back = read_xlsx(path).doc
    assert back.nodes == small_map.nodes and back.edges == small_map.edges


@pytest.mark.parametrize(
    "sheet, column, value, where, message",
    [
        ("Register", "volume", "lots", 'sheet "Register" row 3 "volume"', '"lots" is not a number'),
        ("Register", "kind", "meeting", 'sheet "Register" row 3 "kind"', "meeting"),
        ("Edges", "conversion", 1.5, 'sheet "Edges" row 2 "conversion"', "between 0 and 1"),
        ("Edges", "target", "nowhere", 'sheet "Edges" row 2 "target"', "no node in the register"),
        ("SLAs", "attempts", 2.5, 'sheet "SLAs" row 2 "attempts"', "not a whole number"),
        ("SLAs", "from team", None, 'sheet "SLAs" row 2 "from team"', "names no from team"),
    ],
)
def test_bad_cells_name_the_file_sheet_row_and_column(
    tmp_path, request, sheet, column, value, where, message
):
    doc = sample_map("template:enterprise", request)
    path = _write(tmp_path, doc)

    def edit(book):
        header = [c.value for c in book[sheet][1]]
        row = 3 if sheet == "Register" else 2
        book[sheet].cell(
            row=row, column=header.index(column) + 1
        ).value = value  # None empties the cell

    _edited(path, edit)
    with pytest.raises(MapFileError) as caught:
        read_xlsx(path)
    text = str(caught.value)
    assert text.startswith(str(path)) and where in text and message in text, text
    assert text.count("\n") == 0 and "Traceback" not in text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"id,process\na,b\n", "is not an Excel workbook"),
        (b"", "is not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, data, message):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(data)
    with pytest.raises(MapFileError, match=message):
        read_xlsx(path)


def test_a_workbook_without_a_register(tmp_path):
    book = Workbook()
    book.active.title = "Budget"
    book.active.append(["Cost", "Quarter"])
    book.active.append([100, "Q1"])
    book.create_sheet("Forecast")
    raw = io.BytesIO()
    book.save(raw)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(raw.getvalue())
    with pytest.raises(MapFileError) as caught:
        read_xlsx(path)
    # read as register then edges: the first sheet has no header row of ours
    assert 'sheet "Budget" row 1: the header row has no "id" column' in str(caught.value)


def test_the_command_line_imports_a_workbook_and_refuses_a_bad_one(tmp_path, small_map):
    path = _write(tmp_path, small_map)
    out = tmp_path / "back.json"
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert loads_map(out.read_bytes()).nodes == small_map.nodes
    _edited(path, lambda book: book["Edges"].cell(row=2, column=3, value="x"))
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", str(path), "-o", str(tmp_path / "no.json")],
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode == 2
        and "Traceback" not in done.stderr
        and 'sheet "Edges" row 2' in done.stderr
    )


def test_a_workbook_that_unpacks_too_big_is_refused(tmp_path, small_map, monkeypatch):
    from exporters import xlsx_import

    monkeypatch.setattr(
        xlsx_import, "UNPACKED_LIMIT", 2**20
    )  # a real bomb would take a gigabyte to build
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 2**20))
    with pytest.raises(MapFileError, match="unpacks to 3 MB, more than the 1 MB Journeymap reads"):
        read_xlsx(path)


def test_leading_apostrophes_and_dates_come_back_as_written(tmp_path, small_map):
    doc = small_map.model_copy(deep=True)
    doc.nodes[1] = doc.nodes[1].model_copy(
        update={"label": "'quoted'", "motivations": ["'", "''two"]}
    )
    path = _write(tmp_path, doc)
    back = read_xlsx(path).doc
    assert back.node("call").label == "'quoted'" and back.node("call").motivations == ["'", "''two"]

    def typed_date(book):
        header = [c.value for c in book["Register"][1]]
        book["Register"].cell(row=3, column=header.index("label") + 1).value = datetime.datetime(
            2024, 1, 2
        )

    _edited(path, typed_date)
    assert (
        read_xlsx(path).doc.node("call").label == "2024-01-02"
    )  # a spreadsheet turned it into a date


def _rezipped(doc, path, change) -> None:
    """Our workbook for ``doc`` with each entry's bytes passed through ``change(name, data)``."""
    source = zipfile.ZipFile(io.BytesIO(generate_xlsx(doc)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, change(info.filename, source.read(info)))


@pytest.mark.parametrize("damage", ["half a sheet", "a broken zip entry", "a DTD with entities"])
def test_a_damaged_workbook_is_refused_in_one_sentence(tmp_path, small_map, damage):
    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        if damage == "half a sheet":
            return data[: len(data) // 2]
        if damage == "a DTD with entities":  # the start of a "billion laughs": never expanded
            return b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + data.replace(
                b"<t>", b"<t>&a;", 1
            )
        return data

    path = tmp_path / "damaged.xlsx"
    _rezipped(small_map, path, change)
    if damage == "a broken zip entry":  # zero bytes inside the compressed sheet
        raw = bytearray(path.read_bytes())
        start = raw.index(b"xl/worksheets/sheet1.xml") + 40
        raw[start : start + 64] = bytes(64)
        path.write_bytes(bytes(raw))
    said = (
        "declares XML entities or a DTD"  # said as such, not as damage
        if damage == "a DTD with entities"
        else "is not an Excel workbook, or is damaged"
    )
    with pytest.raises(MapFileError, match=said):
        read_xlsx(path)


def test_a_wrong_used_range_does_not_hide_rows(tmp_path, small_map):
    path = tmp_path / "dim.xlsx"
    _rezipped(
        small_map,
        path,
        lambda name, data: (
            re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            if name.startswith("xl/worksheets/")
            else data
        ),
    )
    assert read_xlsx(path).doc.nodes == small_map.nodes


def test_cells_beyond_the_headers_and_an_emptied_sheet_are_reported_not_fatal(tmp_path, small_map):
    path = _write(tmp_path, small_map)

    def edit(book):
        register = book["Register"]
        register.cell(row=3, column=register.max_column + 2).value = "a note typed to the right"
        stages = book["Stages"]
        stages.delete_rows(1, stages.max_row)

    _edited(path, edit)
    result = read_xlsx(path)
    assert result.doc.nodes == small_map.nodes
    assert (
        'book.xlsx, sheet "Register": row 3 had cells right of the last column with a header; '
        "they were not imported" in result.skipped
    )
    assert 'book.xlsx: sheet "Stages" is empty' in result.skipped
