"""CSV register import: our pairs come back without loss; hand-made and spreadsheet-saved files
are understood; bad cells are refused naming the file, row and column."""

from __future__ import annotations

import pytest
from hostile import hostile_map
from interop import SAMPLES, sample_map

from exporters.csv_import import NOT_CARRIED, pair_paths
from exporters.registry import ImportResult, import_file
from exporters.tables import generate_csv, generate_edges_csv, read_csv, write_csv
from models.errors import JourneymapError, MapFileError
from models.storage import dumps_map, loads_map


def _referenced(doc, collection: str, field: str) -> list[tuple[str, str]]:
    used = {getattr(n, field) for n in doc.nodes}
    return sorted((i.id, i.name) for i in getattr(doc, collection) if i.id in used)


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_keeps_nodes_edges_labels_conversions(name, request, tmp_path):
    doc = sample_map(name, request)
    write_csv(doc, tmp_path / "register.csv")
    result = read_csv(tmp_path / "register.csv")
    assert isinstance(result, ImportResult)
    back = result.doc
    assert back.nodes == doc.nodes
    assert back.edges == doc.edges
    kept = {n.process for n in doc.nodes}
    assert [(p.id, p.name, p.kind) for p in back.processes] == [
        (p.id, p.name, p.kind) for p in doc.processes if p.id in kept
    ]
    for collection, field in [
        ("roles", "role"),
        ("teams", "owner"),
        ("stages", "stage"),
        ("criteria", "criteria"),
    ]:
        assert sorted((i.id, i.name) for i in getattr(back, collection)) == _referenced(
            doc, collection, field
        )
    assert result.skipped == NOT_CARRIED
    assert set(back.layout.nodes) == {n.id for n in doc.nodes}
    assert loads_map(dumps_map(back)) == back  # the map opens and saves


def test_hostile_labels_and_lists_survive(tmp_path):
    doc = hostile_map()
    write_csv(doc, tmp_path / "h.csv")
    back = read_csv(tmp_path / "h-edges.csv").doc  # either file of the pair works
    assert back.nodes == doc.nodes
    assert [(e.id, e.label, e.conversion) for e in back.edges] == [
        (e.id, e.label, e.conversion) for e in doc.edges
    ]
    assert [t.name for t in back.teams] == [t.name for t in doc.teams]


def test_one_process_imports_alone(tmp_path, request):
    doc = sample_map("template:enterprise", request)
    write_csv(doc, tmp_path / "cfo.csv", "cfo-journey")
    back = read_csv(tmp_path / "cfo.csv").doc
    assert [p.id for p in back.processes] == ["cfo-journey"]
    assert back.nodes == doc.nodes_of("cfo-journey")


def test_import_file_reads_a_csv_as_the_register_pair(tmp_path, request):
    """File ▸ Import and `journeymap import` pick the reader by extension: a .csv, in any case,
    comes back as the map its register pair holds, with the CSV reader's list of what it lacks."""
    doc = sample_map("template:enterprise", request)
    write_csv(doc, tmp_path / "workshop.csv")
    (tmp_path / "workshop.csv").rename(tmp_path / "Workshop.CSV")
    (tmp_path / "workshop-edges.csv").rename(tmp_path / "Workshop-edges.CSV")
    result = import_file(tmp_path / "Workshop.CSV")
    assert (result.doc.nodes, result.doc.edges) == (doc.nodes, doc.edges)
    assert result.doc.name == "Workshop" and result.skipped == NOT_CARRIED


def test_pair_names(tmp_path):
    assert pair_paths(tmp_path / "r.csv") == (tmp_path / "r.csv", tmp_path / "r-edges.csv")
    assert pair_paths(tmp_path / "r-edges.csv") == (tmp_path / "r.csv", tmp_path / "r-edges.csv")
    (tmp_path / "x-nodes.csv").write_text("id,process\n", encoding="utf-8")
    (tmp_path / "x-edges.csv").write_text("source,target\n", encoding="utf-8")
    assert pair_paths(tmp_path / "x-nodes.csv")[1] == tmp_path / "x-edges.csv"
    assert pair_paths(tmp_path / "x-edges.csv")[0] == tmp_path / "x-nodes.csv"


def test_hand_made_register(tmp_path):
    (tmp_path / "mine.csv").write_text(
        "Process,ID,Kind,Label,Owner,Stage,Technology,Volume,Call_to_action,Notes\n"
        'Funnel,web,entry,Website,,,,"1,200",,from the web\n'
        "Funnel,,Action,Call back,SDR team,MQL,CRM;Dialer,,Book a demo,\n"
        "Funnel,won,won,Customer,,,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "mine-edges.csv").write_text(
        "source,target,conversion,delay_days\nweb,Call back,30%,2\nCall back,won,0.25,\n",
        encoding="utf-8",
    )
    result = read_csv(tmp_path / "mine.csv")
    doc = result.doc
    assert doc.name == "mine"
    assert [n.id for n in doc.nodes] == ["web", "Call-back", "won"]
    call = doc.node("Call-back")
    assert (call.kind, call.owner, call.stage, call.technology, call.call_to_action) == (
        "action",
        "SDR-team",
        "MQL",
        ["CRM", "Dialer"],
        "Book a demo",
    )
    assert [(t.id, t.name) for t in doc.teams] == [("SDR-team", "SDR team")]
    assert doc.node("web").volume == 1200
    assert [(e.source, e.target, e.conversion, e.delay_days) for e in doc.edges] == [
        ("web", "Call-back", 0.3, 2.0),
        ("Call-back", "won", 0.25, None),
    ]
    assert [p.id for p in doc.processes] == ["Funnel"]
    assert (
        'mine.csv: column "Notes" is not a register column; its cells were not imported'
        in result.skipped
    )


def test_process_by_id_only(tmp_path):
    (tmp_path / "p.csv").write_text(
        "process id,id,kind\nfunnel,a,entry\nfunnel,b,won\n", encoding="utf-8"
    )
    doc = read_csv(tmp_path / "p.csv").doc
    assert [(p.id, p.name) for p in doc.processes] == [("funnel", "funnel")]
    assert [n.process for n in doc.nodes] == ["funnel", "funnel"]


def test_european_excel_file(tmp_path, small_map):
    text = generate_csv(small_map).replace(",", ";")  # no commas in this map's cells
    text = text.replace(";20;", ";20,5;")  # a decimal comma in the cost
    (tmp_path / "eu.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "eu-edges.csv").write_text(
        generate_edges_csv(small_map).replace(",", ";").replace(";0.1;", ";10%;"), encoding="utf-8"
    )
    doc = read_csv(tmp_path / "eu.csv").doc
    assert doc.node("web").cost == 20.5
    assert doc.edge("e1").conversion == 0.1


def test_missing_edges_file_is_reported(tmp_path, small_map):
    (tmp_path / "only.csv").write_text(generate_csv(small_map), encoding="utf-8")
    result = read_csv(tmp_path / "only.csv")
    assert result.doc.edges == [] and len(result.doc.nodes) == 5
    assert (
        result.skipped[0] == "no edges file only-edges.csv next to only.csv: the map has no edges"
    )


def test_spreadsheet_dropped_the_apostrophes(tmp_path, small_map):
    small_map.nodes[1].label = "=2+2"
    text = generate_csv(small_map).replace("'=2+2", "=2+2")
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    assert read_csv(tmp_path / "s.csv").doc.node("call").label == "=2+2"


def _write_pair(tmp_path, small_map, nodes_text=None, edges_text=None):
    (tmp_path / "bad.csv").write_text(nodes_text or generate_csv(small_map), encoding="utf-8")
    (tmp_path / "bad-edges.csv").write_text(
        edges_text or generate_edges_csv(small_map), encoding="utf-8"
    )
    return tmp_path / "bad.csv"


def _lines(small_map, extra: int = 2) -> list[str]:
    """The register with ``extra`` more copies of the last node (so that row 7 exists)."""
    lines = generate_csv(small_map).splitlines()
    for i in range(extra):
        lines.append(lines[-1].replace("lost", f"lost{i}", 1))
    return lines


@pytest.mark.parametrize(
    "change, where, message",
    [
        (
            lambda ls: (
                [ls[0].replace("process,", "where,", 1).replace("process id,", "where id,")]
                + ls[1:]
            ),
            "row 1",
            'no "process" column',
        ),
        (
            lambda ls: (
                ls[:6]
                + [
                    ls[6]
                    .replace(",lost0,lost,", ",lost0,lost,")
                    .replace(",,,,,,,,,,,,,", ",,,,,,,,,,,,abc,", 1)
                ]
                + ls[7:]
            ),
            'row 7 "',
            '"abc" is not a number',
        ),
        (
            lambda ls: ls[:3] + [ls[3].replace(",decision,", ",gateway,")] + ls[4:],
            'row 4 "kind"',
            "gateway",
        ),
        (
            lambda ls: ls[:5] + [ls[5].replace(",lost,lost,", ",won,lost,", 1)] + ls[6:],
            'row 6 "id"',
            "already used in row 5",
        ),
        (
            lambda ls: ls[:2] + [ls[2].replace(",call,", ",my call,")] + ls[3:],
            'row 3 "id"',
            "not a valid id",
        ),
    ],
)
def test_bad_register_cells_name_file_row_and_column(tmp_path, small_map, change, where, message):
    path = _write_pair(tmp_path, small_map, "\n".join(change(_lines(small_map))) + "\n")
    with pytest.raises(MapFileError) as error:
        read_csv(path)
    text = str(error.value)
    assert text.startswith(str(path) + ":")
    assert where in text and message in text


@pytest.mark.parametrize(
    "old, new, where, message",
    [
        (
            "e3,Funnel,fit,won,flow,0.3",
            "e3,Funnel,fit,won,flow,150",
            'row 4 "conversion"',
            "must be a probability between 0 and 1, not 150",
        ),
        (
            "e2,Funnel,call,fit",
            "e2,Funnel,call,nowhere",
            'row 3 "target"',
            "no node in the register",
        ),
        (
            "e1,Funnel,web,call,flow,0.1,2",
            "e1,Funnel,web,call,flow,0.1,soon",
            'row 2 "delay (days)"',
            '"soon" is not a number',
        ),
    ],
)
def test_bad_edge_cells_name_file_row_and_column(tmp_path, small_map, old, new, where, message):
    edges = generate_edges_csv(small_map)
    assert old in edges
    _write_pair(tmp_path, small_map, edges_text=edges.replace(old, new))
    with pytest.raises(MapFileError) as error:
        read_csv(tmp_path / "bad.csv")
    text = str(error.value)
    assert text.startswith(str(tmp_path / "bad-edges.csv") + ":")
    assert where in text and message in text


def test_multi_line_cells_report_the_spreadsheet_row_and_file_line(tmp_path, small_map):
    small_map.nodes[0].description = "one\ntwo\nthree"
    lines = generate_csv(small_map).replace(",,20,", ",,lots,", 1)
    path = _write_pair(tmp_path, small_map, lines)
    with pytest.raises(MapFileError) as error:
        read_csv(path)
    assert error.value.line == 2 and 'row 2 "cost"' in str(error.value)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b"id,process\n\xff\xfe,x\n", "is not UTF-8 text"),
        (b"process,kind\nFunnel,action\n", 'no "id" column'),
        (b"id,kind\na,action\n", 'no "process" column'),
        (b'id,process\n"a,p\n', "not valid CSV"),
        (b"id,process,label\na,p,Call, then email\n", "row 2 has 4 cells but the header has 3"),
    ],
)
def test_unreadable_files(tmp_path, data, message):
    (tmp_path / "x.csv").write_bytes(data)
    with pytest.raises(JourneymapError, match=message):
        read_csv(tmp_path / "x.csv")


def test_missing_file(tmp_path):
    with pytest.raises(MapFileError, match="no such file"):
        read_csv(tmp_path / "nope.csv")


def _gated(small_map):
    from models.document import BuyerRole, Clearance, Node, Process

    doc = small_map.model_copy(deep=True)
    doc.roles.append(BuyerRole(id="cfo", name="CFO"))
    doc.processes.append(Process(id="cfo-journey", name="CFO", kind="buyer", role="cfo"))
    doc.nodes.append(Node(id="cfo-ok", process="cfo-journey", kind="won", label="Signs"))
    call = next(n for n in doc.nodes if n.id == "call")
    call.gate = [Clearance(role="cfo", step="cfo-ok")]
    return doc


def test_a_committee_gate_comes_back_from_the_register(tmp_path, small_map):
    doc = _gated(small_map)
    write_csv(doc, tmp_path / "register.csv")
    back = read_csv(tmp_path / "register.csv").doc
    assert [(c.role, c.step) for c in back.node("call").gate] == [("cfo", "cfo-ok")]


def test_a_committee_gate_cell_without_a_step_is_located(tmp_path, small_map):
    text = generate_csv(_gated(small_map)).replace("cfo: cfo-ok", "cfo signs it")
    path = _write_pair(tmp_path, small_map, text)
    with pytest.raises(MapFileError) as error:
        read_csv(path)
    message = str(error.value)
    assert (
        '"committee gate"' in message
        and '"cfo signs it" does not name a role and a step' in message
    )
