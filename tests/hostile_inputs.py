"""A generator of hostile inputs: map files and files to import, made on the fly (no large
file lives in the repository), each with what Journeymap must do with it.

Every input is an :class:`Input`: a name, the kind of file, a builder writing it at a size
(``size`` scales the slow cases: rows, shapes, pages, nesting; the growth tests double it), and
the expected outcome: ``"refused"`` (exit 2, one line naming the file, holding ``says``) or
``"read"`` (exit 0; ``says``, when given, must appear among what the import lists).
tests/test_hostile_inputs.py runs each one through every command that takes it;
tests/test_hostile_growth.py times the slow ones at two sizes.

>>> sorted({i.kind for i in INPUTS})
['bpmn', 'csv', 'drawio', 'map', 'xlsx']
>>> len([i for i in INPUTS if i.kind == "map"]) >= 20
True
"""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.storage import dumps_map
from models.templates import load_template


@dataclass(frozen=True)
class Input:
    name: str
    kind: str  # map | csv | xlsx | bpmn | drawio
    build: Callable[[Path, int], Path]
    outcome: str  # refused | read
    says: str = ""
    size: int = 1
    """The size the run through every command uses."""


def _base() -> dict:
    return json.loads(dumps_map(load_template("plugged-funnel")))


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
    else:
        path.write_bytes(data)
    return path


def _map_with(change: Callable[[dict], object]) -> Callable[[Path, int], Path]:
    def build(folder: Path, size: int) -> Path:
        data = _base()
        change(data)
        # ASCII JSON: a lone surrogate is the escape "\ud800", as in the files
        return _write(folder, "map.json", json.dumps(data, indent=2))

    return build


def _map_text(text: Callable[[int], str]) -> Callable[[Path, int], Path]:
    return lambda folder, size: _write(folder, "map.json", text(size))


def _replace_first(old: str, new: str) -> Callable[[Path, int], Path]:
    """A map whose text has ``old`` (first seen) replaced by ``new``."""

    def text(size: int) -> str:
        base = json.dumps(_base(), indent=2, ensure_ascii=False)
        assert old in base, old
        return base.replace(old, new, 1)

    return _map_text(text)


def _node(data: dict, node_id: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == node_id)


def _edge(data: dict, index: int) -> dict:
    return data["edges"][index]


def _trap_loop(data: dict) -> None:
    """Two steps passing every lead to each other forever: no way out of the loop."""
    data["nodes"] += [
        {"id": "loop-a", "process": "funnel", "kind": "action", "label": "Loop A"},
        {"id": "loop-b", "process": "funnel", "kind": "action", "label": "Loop B"},
    ]
    data["edges"] += [
        {"id": "to-loop", "source": "inquiries", "target": "loop-a", "conversion": 0.0},
        {"id": "loop-1", "source": "loop-a", "target": "loop-b", "conversion": 1.0},
        {"id": "loop-2", "source": "loop-b", "target": "loop-a", "conversion": 1.0},
    ]


def _largest_values(data: dict) -> None:
    """Every volume, cost, capacity and deal value at the largest a map holds."""
    for node in data["nodes"]:
        for field in ("volume", "cost", "deal_value", "capacity", "duration_days"):
            if field in node:
                node[field] = 1e12
    for team in data["teams"]:
        team["headcount"] = 1_000_000


def _long_chain(data: dict) -> None:
    """A chain of 2,000 steps each passing on 70%: the revenue at its end is about 1e-310."""
    nodes = [{"id": f"c{i}", "process": "funnel", "kind": "action"} for i in range(2000)]
    data["nodes"] += nodes
    data["edges"] = [e for e in data["edges"] if e["source"] != "inquiries"]
    links = [("inquiries", "c0")] + [(f"c{i}", f"c{i + 1}") for i in range(1999)]
    links.append(("c1999", "score"))
    data["edges"] += [
        {"id": f"chain{i}", "source": a, "target": b, "conversion": 0.7}
        for i, (a, b) in enumerate(links)
    ]


# --- imports -------------------------------------------------------------------------------------

NODE_HEADER = "process,id,label,owner team,kind\n"


def _csv_pair(folder: Path, register: str, edges: str | None = None) -> Path:
    path = _write(folder, "reg.csv", register)
    if edges is not None:
        _write(folder, "reg-edges.csv", edges)
    return path


def csv_blank_ids(folder: Path, size: int) -> Path:
    """``size`` rows with no id and the same label: every id is made from the label."""
    rows = "".join("Funnel,,Call the lead,,action\n" for _ in range(size))
    return _csv_pair(folder, NODE_HEADER + rows)


def csv_new_teams(folder: Path, size: int) -> Path:
    """``size`` rows, each naming a team not seen before."""
    rows = "".join(f"Funnel,n{i},Step {i},Team {i},action\n" for i in range(size))
    return _csv_pair(folder, NODE_HEADER + rows)


def csv_cell(length: int) -> Callable[[Path, int], Path]:
    def build(folder: Path, size: int) -> Path:
        return _csv_pair(folder, NODE_HEADER + f'Funnel,a,"{"x" * length}",,action\n')

    return build


def csv_long_next_steps(folder: Path, size: int) -> Path:
    """A register whose derived "next steps" cell is near a million characters (what the
    export writes for a step leading to 12 steps with 80,000-character labels)."""
    from exporters.tables import write_csv
    from models.document import Edge, JourneyMap, Node, Process

    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[Node(id="hub", process="p")]
        + [Node(id=f"n{i}", process="p", label=f"{i}" + "x" * 80_000) for i in range(12)],
        edges=[Edge(id=f"e{i}", source="hub", target=f"n{i}") for i in range(12)],
    )
    write_csv(doc, folder / "reg.csv")
    return folder / "reg.csv"


def xlsx(sheets: dict[str, str], extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook from raw sheet XML (``<sheetData>`` contents), written without openpyxl."""
    names = list(sheets)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>'
            + "".join(
                f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>'
                for i, n in enumerate(names, start=1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rels}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for i, name in enumerate(names, start=1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<worksheet xmlns="{main}"><sheetData>{sheets[name]}</sheetData></worksheet>',
            )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _register_rows(rows: int, column: str = "") -> str:
    header = (
        '<row r="1">' + _cell("A1", "process") + _cell("B1", "id") + _cell("C1", "label") + "</row>"
    )
    body = "".join(
        f'<row r="{r}">{_cell(f"A{r}", "Funnel")}{_cell(f"B{r}", f"n{r}")}'
        + (_cell(f"{column}{r}", "far away") if column else "")
        + "</row>"
        for r in range(2, rows + 2)
    )
    return header + body


def xlsx_padded(column: str) -> Callable[[Path, int], Path]:
    """``size`` rows each with one cell far to the right (column ``column``; XFD is the last)."""

    def build(folder: Path, size: int) -> Path:
        return _write(folder, "book.xlsx", xlsx({"Register": _register_rows(size, column)}))

    return build


def xlsx_unused_sheet(folder: Path, size: int) -> Path:
    """A register of 3 rows and an extra sheet of ``size`` thousand rows nobody reads."""
    filler = "".join(
        f'<row r="{r}">{_cell(f"A{r}", "filler " * 20)}</row>' for r in range(1, size * 1000 + 1)
    )
    return _write(folder, "book.xlsx", xlsx({"Register": _register_rows(3), "Notes": filler}))


def xlsx_entities(folder: Path, size: int) -> Path:
    book = xlsx({"Register": _register_rows(2)})
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + parts["xl/workbook.xml"].replace(b'name="Register"', b'name="&e;"')
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return _write(folder, "book.xlsx", out.getvalue())


BPMN_NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:jm="https://journeymap.app/schema/bpmn-extension/1"'
)


def _bpmn(process: str, diagram: str = "", collaboration: str = "") -> str:
    return (
        f'<?xml version="1.0"?><bpmn:definitions {BPMN_NS} id="d">{collaboration}'
        f'<bpmn:process id="P">{process}</bpmn:process>'
        f'<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="PL" bpmnElement="P">{diagram}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    )


def bpmn_same_ids(folder: Path, size: int) -> Path:
    """``size`` tasks all with the id ``Task_1``."""
    tasks = '<bpmn:task id="Task_1" name="Call"/>' * size
    return _write(folder, "m.bpmn", _bpmn(tasks))


def bpmn_bad_conversion(folder: Path, size: int) -> Path:
    process = (
        '<bpmn:startEvent id="S"/><bpmn:task id="T"/>'
        '<bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" jm:conversion="abc"/>'
    )
    return _write(folder, "m.bpmn", _bpmn(process))


def bpmn_bad_bounds(folder: Path, size: int) -> Path:
    process = '<bpmn:startEvent id="S"/><bpmn:task id="T"/><bpmn:task id="U"/>'
    diagram = (
        '<bpmndi:BPMNShape id="S_di" bpmnElement="S"><dc:Bounds x="NaN" y="0" width="36" '
        'height="36"/></bpmndi:BPMNShape>'
        '<bpmndi:BPMNShape id="T_di" bpmnElement="T"><dc:Bounds x="1e400" y="0" width="100" '
        'height="80"/></bpmndi:BPMNShape>'
        '<bpmndi:BPMNShape id="U_di" bpmnElement="U"><dc:Bounds x="10" y="0" width="inf" '
        'height="80"/></bpmndi:BPMNShape>'
    )
    return _write(folder, "m.bpmn", _bpmn(process, diagram))


def bpmn_no_process(folder: Path, size: int) -> Path:
    return _write(folder, "m.bpmn", f'<?xml version="1.0"?><bpmn:definitions {BPMN_NS} id="d"/>')


def bpmn_surrogate_in_data(folder: Path, size: int) -> Path:
    node = json.dumps({"id": "t", "process": "p", "label": "A\ud800B"}).replace('"', "&quot;")
    return _write(folder, "m.bpmn", _bpmn(f'<bpmn:task id="T" jm:node="{node}"/>'))


def bpmn_long_name(folder: Path, size: int) -> Path:
    return _write(folder, "m.bpmn", _bpmn(f'<bpmn:task id="T" name="{"y" * 200_000}"/>'))


def bpmn_entities(folder: Path, size: int) -> Path:
    return _write(
        folder,
        "m.bpmn",
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        + _bpmn('<bpmn:task id="T" name="&b;"/>').split("?>", 1)[1],
    )


def _page(cells: str, name: str = "Page-1") -> str:
    return (
        f'<diagram name="{name}"><mxGraphModel><root><mxCell id="0"/>'
        f'<mxCell id="1" parent="0"/>{cells}</root></mxGraphModel></diagram>'
    )


def _shape(cell_id: str, x: str = "10", width: str = "120", parent: str = "1") -> str:
    return (
        f'<mxCell id="{cell_id}" value="Step" style="rounded=1;" vertex="1" parent="{parent}">'
        f'<mxGeometry x="{x}" y="20" width="{width}" height="60" as="geometry"/></mxCell>'
    )


def drawio_same_ids(folder: Path, size: int) -> Path:
    """``size`` shapes all with the id ``v``."""
    return _write(folder, "m.drawio", f"<mxfile>{_page(_shape('v') * size)}</mxfile>")


def drawio_bad_geometry(folder: Path, size: int) -> Path:
    cells = _shape("a", x="NaN") + _shape("b", width="inf") + _shape("c", x="1e400")
    return _write(folder, "m.drawio", f"<mxfile>{_page(cells)}</mxfile>")


def drawio_nested(folder: Path, size: int) -> Path:
    """A chain of ``size`` groups, each inside the one before, a shape in each."""
    cells = "".join(
        f'<mxCell id="g{i}" style="group" vertex="1" parent="{"g" + str(i - 1) if i else "1"}">'
        '<mxGeometry x="1" y="1" width="10" height="10" as="geometry"/></mxCell>'
        + _shape(f"s{i}", parent=f"g{i}")
        for i in range(size)
    )
    return _write(folder, "m.drawio", f"<mxfile>{_page(cells)}</mxfile>")


def compressed(xml: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(
        packer.compress(urllib.parse.quote(xml).encode()) + packer.flush()
    ).decode()


def drawio_many_pages(folder: Path, size: int) -> Path:
    """``size`` compressed pages of about 1 MB each once inflated (tests lower the caps)."""
    page = (
        '<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        + "<!-- padding -->" * 70_000
        + "</root></mxGraphModel>"
    )
    packed = compressed(page)
    pages = "".join(f'<diagram name="p{i}">{packed}</diagram>' for i in range(size))
    return _write(folder, "m.drawio", f"<mxfile>{pages}</mxfile>")


def drawio_no_pages(folder: Path, size: int) -> Path:
    return _write(folder, "m.drawio", "<mxfile></mxfile>")


# --- the list ------------------------------------------------------------------------------------

INPUTS: list[Input] = [
    # map files: nesting, number size, text that cannot be encoded, strict types
    Input(
        "deep-list",
        "map",
        _map_text(lambda n: "[" * 200_000 + "]" * 200_000),
        "refused",
        "nests lists or objects",
    ),
    Input(
        "deep-object",
        "map",
        _map_text(lambda n: '{"a":' * 200_000 + "1" + "}" * 200_000),
        "refused",
        "nests lists or objects",
    ),
    Input(
        "deep-in-a-field",
        "map",
        _replace_first(
            '"name": "The plugged', '"x": ' + "[" * 900 + "]" * 900 + ', "name": "The plugged'
        ),
        "refused",
        'unknown field "x"',
    ),
    Input(
        "int-5000-digits",
        "map",
        _replace_first('"volume": 1000.0', '"volume": ' + "9" * 5000),
        "refused",
        "5,000 digits",
    ),
    Input(
        "int-40-digits",
        "map",
        _replace_first('"volume": 1000.0', '"volume": ' + "9" * 40),
        "refused",
        "40 digits",
    ),
    Input(
        "float-1e400",
        "map",
        _replace_first('"volume": 1000.0', '"volume": 1e400'),
        "refused",
        "finite number",
    ),
    Input(
        "volume-1e308",
        "map",
        _map_with(lambda d: _node(d, "inquiries").update(volume=1e308)),
        "refused",
        "at most 1,000,000,000,000",
    ),
    Input(
        "deal-value-1e300",
        "map",
        _map_with(lambda d: _node(d, "won").update(deal_value=1e300)),
        "refused",
        "at most 1,000,000,000,000",
    ),
    Input(
        "headcount-10e20",
        "map",
        _map_with(lambda d: d["teams"][0].update(headcount=10**20)),
        "refused",
        "at most 1,000,000",
    ),
    Input(
        "points-1e300",
        "map",
        _map_with(
            lambda d: d.setdefault("criteria", []).append(
                {"id": "c", "name": "C", "questions": [{"id": "q", "text": "Q", "points": 1e300}]}
            )
        ),
        "refused",
        "at most",
    ),
    Input(
        "position-1e300",
        "map",
        _map_with(lambda d: d["layout"]["nodes"].update(inquiries=[1e300, 0.0])),
        "refused",
        "layout.nodes.inquiries",
    ),
    Input(
        "lone-surrogate-label",
        "map",
        _map_with(lambda d: _node(d, "score").update(label="A\ud800B")),
        "refused",
        "U+D800",
    ),
    Input(
        "lone-surrogate-name",
        "map",
        _map_with(lambda d: d.update(name="\udfffMap")),
        "refused",
        "U+DFFF",
    ),
    Input(
        "surrogate-bytes",
        "map",
        lambda folder, size: _write(
            folder, "map.json", json.dumps({**_base(), "name": "A\ud800"}, ensure_ascii=False)
        ),
        "refused",
        "not UTF-8",
    ),
    Input(
        "surrogate-escape",
        "map",
        _replace_first('"label": "Score', '"label": "\\udc80Score'),
        "refused",
        "U+DC80",
    ),
    Input(
        "non-character",
        "map",
        _map_with(lambda d: _node(d, "score").update(label="A\ufffeB")),
        "refused",
        "U+FFFE",
    ),
    Input(
        "label-100001",
        "map",
        _map_with(lambda d: _node(d, "score").update(label="x" * 100_001)),
        "refused",
        "characters long",
    ),
    Input(
        "label-20-mb",
        "map",
        _map_with(lambda d: _node(d, "score").update(label="<" * 20_000_000)),
        "refused",
        "characters long",
    ),
    Input(
        "motivations-over",
        "map",
        _map_with(lambda d: _node(d, "score").update(motivations=["m" * 60_000] * 2)),
        "refused",
        "in all",
    ),
    Input(
        "gate-1001",
        "map",
        _map_with(
            lambda d: _node(d, "proposal").update(
                gate=[{"role": "r", "step": f"s{i}"} for i in range(1001)]
            )
        ),
        "refused",
        "gate",
    ),
    Input(
        "conversion-as-text",
        "map",
        _map_with(lambda d: _edge(d, 0).update(conversion="0.5")),
        "refused",
        'not the text "0.5"',
    ),
    Input(
        "headcount-true",
        "map",
        _map_with(lambda d: d["teams"][0].update(headcount=True)),
        "refused",
        "not the value true",
    ),
    Input(
        "headcount-float",
        "map",
        _map_with(lambda d: d["teams"][0].update(headcount=3.0)),
        "refused",
        "whole number",
    ),
    Input(
        "nan-token", "map", _replace_first('"volume": 1000.0', '"volume": NaN'), "refused", "NaN"
    ),
    Input(
        "duplicate-key",
        "map",
        _replace_first('"volume": 1000.0', '"volume": 1.0, "volume": 2.0'),
        "refused",
        "twice",
    ),
    Input("not-json", "map", _map_text(lambda n: "hello"), "refused", "not valid JSON"),
    Input(
        "truncated", "map", _map_text(lambda n: json.dumps(_base())[:500]), "refused", "truncated"
    ),
    Input("empty", "map", _map_text(lambda n: ""), "refused", "empty"),
    Input("nul", "map", _map_text(lambda n: '{"format": "journeymap"\x00}'), "refused", "NUL"),
    Input("a-json-array", "map", _map_text(lambda n: "[1, 2]"), "refused", "not a Journeymap map"),
    # maps that load: their numbers stay finite and no library warning is printed
    Input("trap-loop", "map", _map_with(_trap_loop), "read"),
    Input("largest-values", "map", _map_with(_largest_values), "read"),
    Input("long-chain", "map", _map_with(_long_chain), "read"),
    # CSV
    Input("csv-blank-ids", "csv", csv_blank_ids, "read", size=200),
    Input("csv-new-teams", "csv", csv_new_teams, "read", size=200),
    Input("csv-1mb-derived-cell", "csv", csv_long_next_steps, "read"),
    Input("csv-label-over-the-text-limit", "csv", csv_cell(200_000), "refused", '"label"'),
    Input("csv-cell-over-1mb", "csv", csv_cell(1_200_000), "refused", "more than 1,000,000"),
    Input("csv-header-only", "csv", lambda f, n: _csv_pair(f, NODE_HEADER), "refused", "no rows"),
    Input(
        "csv-not-utf8",
        "csv",
        lambda f, n: _write(f, "reg.csv", b"process,id\n\xff\xfe,a\n"),
        "refused",
        "not UTF-8",
    ),
    Input(
        "csv-bad-conversion",
        "csv",
        lambda f, n: _csv_pair(
            f, NODE_HEADER + "F,a,A,,action\nF,b,B,,action\n", "source,target,conversion\na,b,abc\n"
        ),
        "refused",
        '"abc" is not a number',
    ),
    # XLSX
    Input(
        "xlsx-padded-rows", "xlsx", xlsx_padded("XFD"), "read", "right of the last column", size=200
    ),
    Input("xlsx-unused-sheet", "xlsx", xlsx_unused_sheet, "read", 'sheet "Notes"', size=2),
    Input("xlsx-entities", "xlsx", xlsx_entities, "refused", "entities"),
    Input(
        "xlsx-not-a-zip",
        "xlsx",
        lambda f, n: _write(f, "book.xlsx", b"PK not really"),
        "refused",
        "not an Excel workbook",
    ),
    # BPMN
    Input("bpmn-same-ids", "bpmn", bpmn_same_ids, "read", size=200),
    Input("bpmn-bad-conversion", "bpmn", bpmn_bad_conversion, "refused", 'jm:conversion is "abc"'),
    Input("bpmn-bad-bounds", "bpmn", bpmn_bad_bounds, "read", "not a finite number"),
    Input("bpmn-no-process", "bpmn", bpmn_no_process, "refused", "no BPMN process"),
    Input(
        "bpmn-surrogate-in-data",
        "bpmn",
        bpmn_surrogate_in_data,
        "refused",
        "is invalid JSON: unexpected end of hex escape at line 1 column 46; remove",
    ),
    Input("bpmn-long-name", "bpmn", bpmn_long_name, "refused", "characters long"),
    Input(
        "bpmn-entities",
        "bpmn",
        bpmn_entities,
        "refused",
        "DTD or entities, which Journeymap refuses to read (a file saved by the tool itself has "
        "none); export the diagram again",
    ),
    # draw.io
    Input("drawio-same-ids", "drawio", drawio_same_ids, "read", size=200),
    Input("drawio-bad-geometry", "drawio", drawio_bad_geometry, "read", "not a finite number"),
    Input("drawio-nested-groups", "drawio", drawio_nested, "read", size=200),
    Input(
        "drawio-pages-over-the-total", "drawio", drawio_many_pages, "refused", "together", size=4
    ),
    Input("drawio-no-pages", "drawio", drawio_no_pages, "refused", "no page"),
]
"""Every hostile input; see the module docstring."""
