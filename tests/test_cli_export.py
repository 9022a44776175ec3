"""`journeymap export` and `journeymap import` on real files: every format on every template,
each output checked with its reader; bad input is one line on stderr and exit 2."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from hostile import HOSTILE_EXPORT_NAME, hostile_map
from pypdf import PdfReader
from test_export_report import check_safe

from app.cli import main
from exporters import render
from exporters.registry import EXPORTS
from exporters.tables import generate_csv, generate_edges_csv, generate_xlsx, read_csv
from models.storage import load_map, save_map
from models.templates import load_template, template_names

ROOT = Path(__file__).resolve().parents[1]
DOT_FORMATS = {"svg", "png", "pdf", "html"}
FORMATS = [pytest.param(f, marks=pytest.mark.needs_dot) if f in DOT_FORMATS else f for f in EXPORTS]


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture(params=template_names())
def template_file(request, tmp_path) -> tuple[str, Path]:
    path = tmp_path / f"{request.param}.json"
    save_map(load_template(request.param), path)
    return request.param, path


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_on_every_template(fmt, template_file, tmp_path, capsys):
    name, source = template_file
    doc = load_template(name)
    out = tmp_path / f"out{EXPORTS[fmt].extension}"
    code, stdout, err = _run(capsys, "export", source, "--format", fmt, "-o", out)
    assert (code, err) == (0, "")
    assert str(out) in stdout
    data = out.read_bytes()
    generated = EXPORTS[fmt].load()
    if fmt == "csv":
        assert data == generate_csv(doc).encode("utf-8-sig")
        edges = tmp_path / "out-edges.csv"
        assert edges.read_bytes() == generate_edges_csv(doc).encode("utf-8-sig")
        back = read_csv(out).doc
        assert (back.nodes, back.edges) == (doc.nodes, doc.edges)
    elif fmt == "xlsx":
        assert data == generate_xlsx(doc)
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book["Register"].max_row == len(doc.nodes) + 1
        assert all(c.data_type != "f" for s in book for row in s.iter_rows() for c in row)
    elif fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
        assert len(PdfReader(io.BytesIO(data)).pages) == len(doc.processes)
    elif fmt == "json":
        assert load_map(out) == doc
    elif fmt == "html":
        text = data.decode("utf-8")
        assert text == generated(doc)
        assert check_safe(text).register_rows == len(doc.nodes)
    else:  # dot, svg, mermaid, bpmn, drawio: their own tests run the independent readers
        text = data.decode("utf-8")
        assert text == generated(doc)
        if fmt in ("svg", "bpmn", "drawio"):
            ET.fromstring(data)


def test_format_from_the_extension_and_one_process(tmp_path, capsys):
    source = tmp_path / "m.json"
    save_map(load_template("enterprise"), source)
    code, _, _ = _run(
        capsys, "export", source, "-o", tmp_path / "cfo.mmd", "--process", "cfo-journey"
    )
    assert code == 0
    expected = EXPORTS["mermaid"].load()(load_template("enterprise"), "cfo-journey")
    assert (tmp_path / "cfo.mmd").read_text(encoding="utf-8") == expected
    code, _, err = _run(capsys, "export", source, "-o", tmp_path / "m.unknown")
    assert code == 2 and "cannot tell the format" in err and "--format" in err


def test_unknown_process_lists_the_ids(tmp_path, capsys):
    source = tmp_path / "m.json"
    save_map(load_template("saas-trial"), source)
    code, _, err = _run(
        capsys, "export", source, "--format", "csv", "-o", tmp_path / "r.csv", "--process", "nope"
    )
    assert code == 2
    assert err == (
        f"journeymap: {source} has no process 'nope'; its processes are: "
        "champion-journey, free-trial.\n"
    )
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_missing_dot_says_how_to_install_it(fmt, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    source = tmp_path / "m.json"
    save_map(hostile_map(), source)
    code, _, err = _run(capsys, "export", source, "--format", fmt, "-o", tmp_path / f"x.{fmt}")
    assert code == 2 and "sudo apt-get install graphviz" in err
    assert err.count("\n") == 1 and not (tmp_path / f"x.{fmt}").exists()


def test_standard_output(tmp_path, capsys):
    source = tmp_path / "m.json"
    save_map(hostile_map(), source)
    doc = load_map(source)
    code, out, _ = _run(capsys, "export", source, "--format", "mermaid", "-o", "-")
    assert code == 0 and out == EXPORTS["mermaid"].load()(doc)
    code, out, err = _run(capsys, "export", source, "--format", "csv", "-o", "-")
    assert code == 0 and out == generate_csv(doc) and "register only" in err
    code, out, err = _run(capsys, "export", source, "--format", "xlsx", "-o", "-")
    assert (code, out) == (2, "") and "binary" in err
    code, _, err = _run(capsys, "export", source, "-o", "-")
    assert code == 2 and "--format" in err


def test_derived_names_stay_in_the_output_folder(tmp_path, capsys, monkeypatch):
    """-o is the user's choice; the edges file and nothing else lands next to it."""
    source = tmp_path / "m.json"
    save_map(hostile_map(), source)  # a process is named ../../x as well
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    code, _, _ = _run(capsys, "export", source, "--format", "csv", "-o", HOSTILE_EXPORT_NAME)
    assert code == 0
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["m.json", "x", "x-edges.csv"]
    for fmt in ("json", "xlsx", "mermaid", "drawio", "bpmn"):
        assert _run(capsys, "export", source, "--format", fmt, "-o", work / f"o.{fmt}")[0] == 0
    assert sorted(p.name for p in work.iterdir()) == sorted(
        f"o.{f}" for f in ("json", "xlsx", "mermaid", "drawio", "bpmn")
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing.json", "--format", "dot", "-o", "x.dot"], "no such file"),
        (["m.json", "--format", "dot", "-o", "nofolder/x.dot"], "does not exist"),
        (["m.json", "--format", "dot", "-o", "."], "is a folder"),
        (["m.json", "--format", "json", "-o", "m.json"], "is the map being exported"),
    ],
)
def test_bad_export_arguments(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_map(hostile_map(), tmp_path / "m.json")
    before = (tmp_path / "m.json").read_bytes()
    code, _, err = _run(capsys, "export", *argv)
    assert code == 2 and message in err and err.count("\n") == 1
    assert (tmp_path / "m.json").read_bytes() == before


# --- import --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, ext", [("csv", ".csv"), ("bpmn", ".bpmn"), ("drawio", ".drawio")])
def test_import_what_export_wrote(fmt, ext, tmp_path, capsys):
    doc = load_template("enterprise")
    source = tmp_path / "m.json"
    save_map(doc, source)
    assert _run(capsys, "export", source, "--format", fmt, "-o", tmp_path / f"x{ext}")[0] == 0
    code, out, err = _run(capsys, "import", tmp_path / f"x{ext}", "-o", tmp_path / "back.json")
    assert (code, err) == (0, "")
    back = load_map(tmp_path / "back.json")
    assert sorted(n.id for n in back.nodes) == sorted(n.id for n in doc.nodes)
    assert {e.id: e.conversion for e in back.edges} == {e.id: e.conversion for e in doc.edges}
    assert f"{len(doc.nodes)} nodes, {len(doc.edges)} edges" in out
    if fmt == "csv":
        assert "Not imported (5):" in out and "SLAs" in out
    code, _, err = _run(capsys, "import", tmp_path / f"x{ext}", "-o", tmp_path / "back.json")
    assert code == 2 and "--force" in err
    assert (
        _run(capsys, "import", tmp_path / f"x{ext}", "-o", tmp_path / "back.json", "--force")[0]
        == 0
    )


def test_import_foreign_bpmn_reports_what_was_skipped(tmp_path, capsys):
    fixture = ROOT / "tests" / "interop_kit" / "tools" / "fixtures" / "bpmn" / "valid.bpmn"
    text = fixture.read_text(encoding="utf-8").replace(
        "<bpmn:startEvent", '<bpmn:dataObject id="Data_1"/>\n<bpmn:startEvent', 1
    )
    (tmp_path / "f.bpmn").write_text(text, encoding="utf-8")
    code, out, _ = _run(capsys, "import", tmp_path / "f.bpmn", "-o", tmp_path / "m.json")
    assert code == 0 and "Not imported (1):\n  - <dataObject> Data_1" in out


def _register_with(tmp_path, edit) -> Path:
    doc = load_template("enterprise")
    lines = generate_csv(doc).splitlines()
    edges = generate_edges_csv(doc).splitlines()
    lines, edges = edit(lines, edges)
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "r-edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    return tmp_path / "r.csv"


def _cell(line: str, column: int, new: str) -> str:
    import csv

    cells = next(csv.reader([line]))
    cells[column] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            lambda ls, es: (
                [
                    ls[0]
                    .replace(",kind,", ",sort,")
                    .replace("process,", "proc,", 1)
                    .replace("process id,", "proc id,")
                ]
                + ls[1:],
                es,
            ),
            'r.csv:1: row 1: the header row has no "process" column',
        ),
        (
            lambda ls, es: (ls[:6] + [_cell(ls[6], 15, "twelve")] + ls[7:], es),
            'r.csv:7: row 7 "cost": "twelve" is not a number',
        ),
        (
            lambda ls, es: (ls, es[:3] + [_cell(es[3], 5, "150")] + es[4:]),
            'r-edges.csv:4: row 4 "conversion": must be a probability between 0 and 1, not 150',
        ),
    ],
)
def test_import_bad_csv_names_file_and_row(edit, expected, tmp_path, capsys):
    path = _register_with(tmp_path, edit)
    code, _, err = _run(capsys, "import", path, "-o", tmp_path / "m.json")
    assert code == 2
    assert err.startswith("journeymap: " + str(tmp_path) + "/") and expected in err
    assert err.count("\n") == 1 and not (tmp_path / "m.json").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.txt", "hello", "Journeymap reads .bpmn, .csv, .drawio, .xlsx, .xml files"),
        ("missing.csv", None, "no such file"),
        ("d.bpmn", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>', "DTD"),
        ("z.drawio", "<mxfile><diagram>!!!</diagram></mxfile>", "page 1"),
    ],
)
def test_import_bad_files(name, content, message, tmp_path, capsys):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    code, _, err = _run(capsys, "import", tmp_path / name, "-o", tmp_path / "m.json")
    assert code == 2 and message in err and err.count("\n") == 1


def test_export_and_import_do_not_load_qt(tmp_path):
    probe = (
        "import sys\n"
        "from app.cli import main\n"
        f"save = main(['new', '-t', 'saas-trial', '-o', {str(tmp_path / 'm.json')!r}])\n"
        f"code = main(['export', {str(tmp_path / 'm.json')!r}, '-o', {str(tmp_path / 'r.csv')!r}])\n"
        f"code += main(['export', {str(tmp_path / 'm.json')!r}, '-o', {str(tmp_path / 'r.xlsx')!r}])\n"
        f"code += main(['import', {str(tmp_path / 'r.csv')!r}, '-o', {str(tmp_path / 'b.json')!r}])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "print(save + code, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
