"""CSV and XLSX action register: re-read by the csv module and openpyxl, counts equal the model's,
no cell a spreadsheet could run."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from hostile import HOSTILE_EXPORT_NAME, HOSTILE_STRINGS, hostile_map
from interop import SAMPLES, sample_map

from exporters import tables
from exporters._register import EDGE_COLUMNS, NODE_COLUMNS, join_list, split_list
from models.errors import JourneymapError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _all_edges(doc, process_id=None):
    ids = {n.id for n in doc.nodes if process_id in (None, n.process)}
    return [e for e in doc.edges if e.source in ids and e.target in ids]


@pytest.mark.parametrize("name", SAMPLES)
def test_csv_pair_has_one_row_per_node_and_edge(name, request):
    doc = sample_map(name, request)
    for process_id in [None, *(p.id for p in doc.processes)]:
        files = tables.generate_csv_files(doc, process_id)
        nodes, edges = (_rows(text) for text in files.values())
        assert nodes[0] == [c.header for c in NODE_COLUMNS]
        assert edges[0] == [c.header for c in EDGE_COLUMNS]
        assert [r[2] for r in nodes[1:]] == [
            n.id for n in doc.nodes if process_id in (None, n.process)
        ]
        assert [r[0] for r in edges[1:]] == [e.id for e in _all_edges(doc, process_id)]
        assert all(len(r) == len(NODE_COLUMNS) for r in nodes)
        assert files["register.csv"] == tables.generate_csv(doc, process_id)


def test_hostile_cells_never_start_a_formula_and_numbers_stay_numbers():
    doc = hostile_map()
    nodes = _rows(tables.generate_csv(doc))
    edges = _rows(tables.generate_edges_csv(doc))
    assert len(nodes) - 1 == len(doc.nodes) and len(edges) - 1 == len(doc.edges)
    cells = [c for row in nodes + edges for c in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    header = nodes[0]
    entry = nodes[1]
    assert entry[header.index("volume")] == "1000" and entry[header.index("cost")] == "5"
    assert entry[header.index("label")] == hostile_map().nodes[0].label  # starts with "He said"
    motivations = nodes[2][header.index("motivations")]
    assert motivations == "'=cmd|' /c calc'!A1; @SUM(1+1)"
    assert [r[edges[0].index("conversion")] for r in edges[1:4]] == ["0.5", "0.25", "1"]


@pytest.mark.parametrize("items", [["a;b", "c\\", "d; e"], [" x", "y "], HOSTILE_STRINGS[:-1]])
def test_list_cells_round_trip(items):
    assert split_list(join_list(items)) == items


def test_hand_typed_lists_split_on_semicolons():
    assert split_list("CRM;Marketing automation;  Scoring ;") == [
        "CRM",
        "Marketing automation",
        " Scoring ",
    ]


def test_file_names_stay_in_the_chosen_folder(tmp_path):
    assert sorted(tables.generate_csv_files(hostile_map(), stem=HOSTILE_EXPORT_NAME)) == [
        "x-edges.csv",
        "x.csv",
    ]
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    written = tables.write_csv(hostile_map(), folder / "out.csv")
    assert [p.parent for p in written] == [folder, folder]
    assert sorted(p.name for p in folder.iterdir()) == ["out-edges.csv", "out.csv"]
    data = (folder / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 right with the BOM
    assert data[3:].decode("utf-8") == tables.generate_csv(hostile_map())


def test_unknown_process_is_a_one_line_error(small_map):
    with pytest.raises(JourneymapError, match="no process 'nope'.*funnel"):
        tables.generate_csv(small_map, "nope")


# --- XLSX ----------------------------------------------------------------------------------------


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("name", SAMPLES)
def test_xlsx_sheets_counts_and_no_formula_cells(name, request):
    doc = sample_map(name, request)
    data = tables.generate_xlsx(doc)
    assert data[:2] == b"PK"
    book = _book(data)
    assert book.sheetnames == ["Register", "Edges", "Company actions", "Stages", "SLAs"]
    sizes = {
        "Register": len(doc.nodes),
        "Edges": len(_all_edges(doc)),
        "Company actions": sum(1 for n in doc.nodes if n.kind == "action"),
        "Stages": len(doc.stages),
        "SLAs": len(doc.slas),
    }
    for title, count in sizes.items():
        sheet = book[title]
        assert sheet.max_row == max(count + 1, 1) or (count == 0 and sheet.max_row == 1)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in sheet[1])
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    ids = [row[2] for row in book["Register"].iter_rows(min_row=2, values_only=True)]
    assert ids == [n.id for n in doc.nodes]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # below openpyxl: no <f> element at all
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)


def test_xlsx_keeps_hostile_text_exact_as_strings():
    doc = hostile_map()
    sheet = _book(tables.generate_xlsx(doc))["Register"]
    header = [c.value for c in sheet[1]]
    labels = [sheet.cell(row=r, column=header.index("label") + 1) for r in range(2, 11)]
    assert [c.value or "" for c in labels] == [n.label for n in doc.nodes]
    assert all(c.data_type in ("s", "n") for c in labels)
    formula_like = sheet.cell(row=3, column=header.index("motivations") + 1)
    assert formula_like.value == "=cmd|' /c calc'!A1; @SUM(1+1)"
    assert formula_like.data_type == "s" and formula_like.quotePrefix
    volume = sheet.cell(row=2, column=header.index("volume") + 1)
    assert volume.value == 1000 and volume.data_type == "n"


def test_xlsx_is_reproducible_and_one_process_is_a_subset():
    doc = hostile_map()
    assert tables.generate_xlsx(doc) == tables.generate_xlsx(doc)
    book = _book(tables.generate_xlsx(doc, "click"))
    assert book["Register"].max_row == 1 + len(doc.nodes_of("click"))
    assert book["Edges"].max_row == 2


def test_stage_glossary_and_slas(request):
    doc = sample_map("template:enterprise", request)
    book = _book(tables.generate_xlsx(doc))
    stages = list(book["Stages"].iter_rows(min_row=2, values_only=True))
    assert [s[0] for s in stages] == [s.name for s in doc.stages]
    assert stages[0][4] == next(t.name for t in doc.teams if t.id == doc.stages[0].owner)
    slas = list(book["SLAs"].iter_rows(min_row=2, values_only=True))
    assert [s[1] for s in slas] == [s.id for s in doc.slas]
    assert slas[0][6] == doc.slas[0].leads_per_rep


def test_write_xlsx(tmp_path, small_map):
    tables.write_xlsx(small_map, tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").read_bytes() == tables.generate_xlsx(small_map)
