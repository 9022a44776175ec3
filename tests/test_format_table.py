"""docs/exporting.md's table of what each format keeps, checked cell by cell: the enterprise
template (with a process description, a moved step on the buying-group page and every part of
a map filled in) is exported to each format and imported back; a *yes* must come back exactly,
*names and ids* only those, and a *no* or *names and ids* must be listed by the import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from group_map import with_messages

from exporters.registry import FORMATS, export_to_file, import_file, import_formats
from models.storage import load_map
from models.templates import load_template

DOCS = Path(__file__).parent.parent / "docs" / "exporting.md"
COLUMNS = {"JSON": "json", "BPMN": "bpmn", "draw.io": "drawio", "XLSX": "xlsx", "CSV": "csv"}


def _ids(items):
    return sorted((item.id, item.name) for item in items)


def _whole(items):
    return sorted(item.model_dump_json() for item in items)


# row of the table -> (what "yes" compares, what "names and ids" compares, a word the import's
# list of what it did not bring back must hold when the cell is not "yes")
ROWS = {
    "Name, description, currency, period": (
        lambda m: (m.name, m.description, m.currency, m.period),
        None,
        "name, description, currency and period",
    ),
    "Processes: id, name, kind": (
        lambda m: [(p.id, p.name, p.kind) for p in m.processes],
        None,
        "",
    ),
    "Processes: description, buyer role": (
        lambda m: [(p.description, p.role) for p in m.processes],
        None,
        "process descriptions",
    ),
    "Steps, with every field": (lambda m: _whole(m.nodes), None, ""),
    "Edges: kind, conversion, delay, label": (lambda m: _whole(m.edges), None, ""),
    "Message edges between processes": (
        lambda m: sorted((e.source, e.target, e.label) for e in m.edges if e.kind == "message"),
        None,
        "",
    ),
    "Buyer roles": (lambda m: _whole(m.roles), lambda m: _ids(m.roles), "buyer role details"),
    "Teams": (lambda m: _whole(m.teams), lambda m: _ids(m.teams), "team headcount and capacity"),
    "Stages": (lambda m: _whole(m.stages), lambda m: _ids(m.stages), "stage definitions"),
    "Criteria, with questions and thresholds": (
        lambda m: _whole(m.criteria),
        lambda m: _ids(m.criteria),
        "questions and thresholds of criteria",
    ),
    "SLAs": (lambda m: _whole(m.slas), None, "SLAs"),
    "Scenarios": (lambda m: _whole(m.scenarios), None, "scenarios"),
    "Positions on the process diagrams": (lambda m: m.layout.nodes, None, "positions"),
    "Positions on the buying-group page": (lambda m: m.layout.group, None, "positions"),
}


def _table() -> tuple[list[str], dict[str, dict[str, str]]]:
    text = DOCS.read_text("utf-8")
    body = re.search(r"<!-- kept-table.*?-->\n(.*?)<!-- /kept-table -->", text, re.DOTALL)
    assert body, "docs/exporting.md has no kept-table"
    lines = [line.strip().strip("|").split("|") for line in body.group(1).strip().splitlines()]
    header = [cell.strip() for cell in lines[0][1:]]
    rows = {
        cells[0].strip(): dict(zip(header, (c.strip() for c in cells[1:]), strict=True))
        for cells in lines[2:]
    }
    return header, rows


def _rich_map():
    doc = with_messages(load_template("enterprise"), most=3)
    doc.edges[-1].label = "Asks for the contract"
    doc.processes[0].description = "The company funnel, from first touch to contract"
    doc.layout.group[doc.nodes[0].id] = (12.5, 34.25)  # moved on the buying-group page
    doc.teams[0].color = "#336699"
    assert doc.slas and doc.scenarios and doc.criteria[0].questions and doc.roles
    assert doc.edges[-1].kind == "message"
    return doc


def test_the_table_names_every_format_that_reads_back_and_every_row_is_checked():
    header, rows = _table()
    readable = {f.name for f in import_formats()} | {"json"}
    assert {COLUMNS[h] for h in header} == readable
    assert set(rows) == set(ROWS)
    for cells in rows.values():
        assert set(cells.values()) <= {"yes", "no", "names and ids"}


@pytest.mark.parametrize("column", list(COLUMNS))
def test_each_format_keeps_what_the_table_says(column, tmp_path):
    fmt = COLUMNS[column]
    doc = _rich_map()
    out = tmp_path / f"map{FORMATS[fmt].extension}"
    export_to_file(doc, fmt, out)
    if fmt == "json":
        back, skipped = load_map(out), []
    else:
        result = import_file(out)
        back, skipped = result.doc, result.skipped
    notes = "\n".join(skipped)
    _header, rows = _table()
    for row, cells in rows.items():
        whole, names, listed = ROWS[row]
        claim = cells[column]
        kept = whole(back) == whole(doc)
        if claim == "yes":
            assert kept, f"{column} should keep {row!r}"
            continue
        assert not kept, f"{column} keeps {row!r}: the table should say yes"
        if claim == "names and ids":
            assert names is not None and names(back) == names(doc), f"{column}: {row!r}"
        assert listed and listed in notes, f"{column} loses {row!r} without saying so"
