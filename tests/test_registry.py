"""The format registry's records are whole: every target imports, every extension names one
format, and what the menus offer can be written. A mistyped registry line fails here."""

from __future__ import annotations

import pytest

from exporters.registry import FORMATS, IMPORTS, export_for, import_extensions, import_for


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_each_record_is_whole(fmt):
    assert fmt.extensions and all(e.startswith(".") and e == e.lower() for e in fmt.extensions)
    assert fmt.description and fmt.title
    assert fmt.writer or fmt.reader
    if fmt.writer:
        assert callable(fmt.load())
    if fmt.reader:
        assert callable(fmt.load_reader())
    assert not fmt.scopes or fmt.writer, "a menu can only offer what can be written"
    assert set(fmt.scopes) <= {"process", "map"}


def test_each_extension_names_one_format():
    extensions = [e for f in FORMATS.values() for e in f.extensions]
    assert len(extensions) == len(set(extensions))
    for extension in extensions:
        assert export_for(f"x{extension.upper()}") is not None


def test_what_import_reads_today():
    """No change for users: .bpmn and .xml are BPMN, .drawio draw.io, .xlsx and .csv the register."""
    assert {e: IMPORTS[e].name for e in import_extensions()} == {
        ".xlsx": "xlsx",
        ".csv": "csv",
        ".bpmn": "bpmn",
        ".xml": "bpmn",
        ".drawio": "drawio",
    }
    assert import_for("map.json") is None and import_for("notes") is None
