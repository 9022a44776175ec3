"""The workbook import's own sheet reader gives every kind of cell as openpyxl reads it
(shared and rich inline strings, numbers, dates, booleans, formulas' saved values, errors,
cells and rows without a reference), and refuses a DTD wherever it stands in a sheet."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from openpyxl import Workbook as OpenpyxlBook
from openpyxl import load_workbook

from exporters._xlsx_sheets import Workbook, cell_text
from exporters.xlsx_import import UNPACKED_LIMIT, read_xlsx
from models.errors import MapFileError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _openpyxl_rows(path, name: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows as openpyxl reads them, each cell as the import's text."""
    book = load_workbook(path, read_only=True, data_only=True)
    out = []
    for number, row in enumerate(book[name].iter_rows(values_only=True), start=1):
        cells = [cell_text(value) for value in row]
        cells = [text if text.strip() else "" for text in cells]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((number, cells))
    book.close()  # read-only mode keeps the file open until closed
    return out


def _ours(path, name: str) -> list[tuple[int, list[str]]]:
    with Workbook(path, UNPACKED_LIMIT) as book:
        return [row for row in book.rows(name) if row[1]]


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path):
    book = OpenpyxlBook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["id", "label", "volume", "conversion", "when", "flag", "note"])
    sheet.append(["a", "Ad click", 1200, 0.3, datetime.datetime(2024, 1, 2), True, "=1+1"])
    sheet.append(["b", "  ", 1e20, 1 / 3, datetime.datetime(2024, 1, 2, 13, 30), False, None])
    sheet.append([])
    sheet.append(["c", "é ü 漢字 & <tag>", -0.0001, 12.5, datetime.date(1999, 12, 31), None, 7])
    sheet["J5"] = "far right"
    path = tmp_path / "cells.xlsx"
    book.save(path)  # openpyxl writes shared strings, date formats and a formula
    assert _ours(path, "Register") == _openpyxl_rows(path, "Register")
    assert _ours(path, "Register")[1] == (
        2,
        ["a", "Ad click", "1200", "0.3", "2024-01-02", "TRUE"],  # a formula never saved: empty
    )


def _sheet_xml(rows: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    ).encode()


def _with_sheet(tmp_path, xml: bytes, name="hand.xlsx"):
    """An openpyxl workbook whose one sheet's XML is replaced by ``xml``."""
    book = OpenpyxlBook()
    book.active.title = "Register"
    book.active["A1"] = "x"
    source = tmp_path / "source.xlsx"
    book.save(source)
    path = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else data)
    return path


def test_hand_written_cells_read_as_openpyxl_reads_them(tmp_path):
    """Rich inline text (its phonetic guide left out), a formula's saved value, an error, and
    cells and rows with no reference, which follow the one before."""
    path = _with_sheet(
        tmp_path,
        _sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Rich </t></r><r><rPr><b/></rPr>'
            "<t>text</t></r><rPh sb='0' eb='4'><t>ignored</t></rPh></is></c>"
            '<c r="B1" t="str"><f>A1&amp;"!"</f><v>saved value</v></c>'
            '<c r="C1" t="e"><v>#N/A</v></c><c t="b"><v>1</v></c><c><v>2.50</v></c></row>'
            '<row><c r="B2"><f>1+1</f><v>2</v></c><c t="inlineStr"><v>9</v></c></row>'
            '<row r="5"><c r="E5" t="inlineStr"><is><t xml:space="preserve"> spaced </t></is>'
            "</c></row>"
        ),
    )
    ours = _ours(path, "Register")
    assert ours == _openpyxl_rows(path, "Register")
    assert ours == [
        (1, ["Rich text", "saved value", "#N/A", "TRUE", "2.5"]),
        (2, ["", "2"]),
        (5, ["", "", "", "", " spaced "]),
    ]


def test_a_dtd_further_into_a_sheet_is_refused_too(tmp_path):
    """A declaration past the first 4,096 bytes (after a long comment) is still refused."""
    xml = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>')
    head, rest = xml.split(b"?>", 1)
    padded = head + b"?><!--" + b" " * 8000 + b'--><!DOCTYPE worksheet [<!ENTITY a "aaaa">]>' + rest
    with pytest.raises(MapFileError, match="declares XML entities or a DTD"):
        read_xlsx(_with_sheet(tmp_path, padded))
