"""The rows of a CSV file or a workbook's sheet as the register imports read them (loose headers,
cells as numbers and lists, errors naming the file, the sheet, the row and the column), and the
processes, roles, teams, stages and criteria the rows name, created on first use; shared by
:mod:`exporters.csv_import` and :mod:`exporters.xlsx_import`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.document import JourneyMap
from models.errors import MapFileError, plain_validation
from models.scalars import MAX_CELL
from models.storage import IMPORT_LIMIT, read_input

from ._ids import Ids
from ._register import EDGE_COLUMNS, NODE_COLUMNS, unneutralise

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,79}$")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]+")


ALIASES = {
    "owner": "owner team",
    "team": "owner team",
    "delay days": "delay",
    "deal": "deal value",
    "subprocess": "opens process id",
    "opens process": "opens process id",
    "process name": "process",
    "from": "source",
    "to": "target",
    "name": "label",
    "duration days": "duration",
}


def _key(header: str) -> str:
    """A loose header key: ``"Duration (days)"`` and ``duration_days`` both give ``duration``."""
    key = re.sub(r"\(.*?\)", " ", header.strip().lower().lstrip("\ufeff"))
    key = " ".join(key.replace("_", " ").replace("-", " ").split())
    return ALIASES.get(key, key)


NODE_KEYS = {_key(c.header): c.header for c in NODE_COLUMNS}
EDGE_KEYS = {_key(c.header): c.header for c in EDGE_COLUMNS}


class _Table:
    """The rows of one CSV file or spreadsheet sheet, with loose headers and located errors."""

    def __init__(
        self,
        path: Path,
        keys: dict[str, str],
        sheet: tuple[str, list[tuple[int, list[str]]]] | None = None,
    ) -> None:
        self.path = path
        # a workbook's sheet name: errors name it and its row
        self.sheet = sheet[0] if sheet else None
        self.delimiter = ","
        # (spreadsheet row, line, cells)
        self.rows: list[tuple[int, int | None, dict[str, str]]] = []
        if sheet is not None:  # (row number, cells) of the rows holding something, header first
            sheet_rows = sheet[1]
            if not sheet_rows:
                raise MapFileError(
                    path, f'sheet "{self.sheet}" is empty', hint="Export the workbook again"
                )
            self._header(sheet_rows[0][1], keys)
            for number, row in sheet_rows[1:]:
                self._add(number, None, row)
            return
        text = _read_text(path)
        first = text.split("\n", 1)[0]
        self.delimiter = (
            "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
        )
        csv.field_size_limit(MAX_CELL)  # what an export writes at most (the default is 131,072)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise MapFileError(path, "is empty", line=1, hint="Export the register again")
            self._header(header, keys)
            line = reader.line_num + 1
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells[len(header) :]):
                    raise MapFileError(
                        path,
                        f"row {number} has {len(cells)} cells but the header "
                        f"has {len(header)} columns",
                        line=line,
                        hint="Put quotes around a cell that holds a comma",
                    )
                self._add(number, line, cells)
                line = reader.line_num + 1
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise MapFileError(
                    path,
                    f"a cell holds more than {MAX_CELL:,} characters, more than Journeymap "
                    "reads in one cell",
                    line=reader.line_num,
                    hint="Shorten that cell (a label or a description is a few sentences)",
                ) from None
            raise MapFileError(
                path,
                f"is not valid CSV ({error})",
                line=reader.line_num,
                hint="Save it again as CSV from the spreadsheet",
            ) from None

    def _header(self, header: list[str], keys: dict[str, str]) -> None:
        self.overflow: list[int] = []
        while header and not header[-1].strip():  # a sheet's trailing empty header cells
            header = header[:-1]
        self.width = len(header)
        self.columns = [keys.get(_key(h), "") for h in header]
        self.unknown = [h for h, c in zip(header, self.columns, strict=True) if not c and h.strip()]

    def _add(self, number: int, line: int | None, cells: list[str]) -> None:
        if any(cell.strip() for cell in cells[self.width :]):
            self.overflow.append(
                number
            )  # a sheet row with cells right of the last header (a CSV refuses it)
        if any(cell.strip() for cell in cells):
            cells = (cells + [""] * self.width)[: self.width]
            self.rows.append(
                (number, line, {c: cell for c, cell in zip(self.columns, cells, strict=True) if c})
            )

    def notes(self, what: str) -> list[str]:
        """What this table holds that was not imported, for ImportResult.skipped."""
        notes = [
            f'{self.name}: column "{h}" is not {what} column; its cells were not imported'
            for h in self.unknown
        ]
        if self.overflow:
            rows = ", ".join(map(str, self.overflow[:5])) + (
                " ..." if len(self.overflow) > 5 else ""
            )
            notes.append(
                f"{self.name}: row{'s' if len(self.overflow) > 1 else ''} {rows} "
                "had cells right of the last column with a header; they were not imported"
            )
        return notes

    @property
    def name(self) -> str:
        """The file, and the sheet in a workbook, as messages name it."""
        return f'{self.path.name}, sheet "{self.sheet}"' if self.sheet else self.path.name

    def has(self, header: str) -> bool:
        return header in self.columns

    def header_error(self, message: str, hint: str) -> MapFileError:
        """Something missing from the header row."""
        where = f'sheet "{self.sheet}" row 1' if self.sheet else "row 1"
        return MapFileError(
            self.path, message, line=None if self.sheet else 1, field=where, hint=hint
        )

    def error(
        self, row: int, line: int | None, column: str, message: str, hint: str = ""
    ) -> MapFileError:
        where = (
            f'sheet "{self.sheet}" row {row} "{column}"' if self.sheet else f'row {row} "{column}"'
        )
        return MapFileError(self.path, message, line=line, field=where, hint=hint)

    def text(self, cells: dict[str, str], header: str) -> str:
        raw = cells.get(header, "")
        # A CSV cell starting with = + - @ was written with an apostrophe in front (spreadsheets
        # drop it or keep it); a workbook cell is a string cell and needs none.
        return raw if self.sheet else unneutralise(raw)

    def number(
        self, row: int, line: int | None, cells: dict[str, str], header: str, share: bool = False
    ) -> float | None:
        raw = cells.get(header, "").strip()
        if not raw:
            return None
        text = raw.replace("\u00a0", "").replace(" ", "")
        if self.delimiter == ";" and re.fullmatch(r"\d+,\d+", text):
            text = text.replace(",", ".")  # a European decimal comma
        elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")  # thousands separators
        scale = 1.0
        if share and text.endswith("%"):
            text, scale = text[:-1], 0.01
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            example = "0.3 or 30%" if share else "a plain number such as 1200"
            raise self.error(
                row,
                line,
                header,
                f'"{raw}" is not a number',
                f"Write {example}, or leave the cell empty",
            )
        return round(number * scale, 12) if scale != 1.0 else number


def _read_text(path: Path) -> str:
    data = read_input(path, "CSV file", max_bytes=IMPORT_LIMIT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise MapFileError(
            path,
            "is not UTF-8 text",
            line=line,
            hint="In Excel use Save As > CSV UTF-8; in LibreOffice pick the UTF-8 character set",
        ) from None


class _Index:
    """One collection of the map being built, looked up by id and by name in constant time."""

    def __init__(self, items: list) -> None:
        self.items = items
        self.by_id = {item.id: item for item in items}
        self.position = {item.id: i for i, item in enumerate(items)}
        self.by_name: dict[str, Any] = {}
        for item in items:
            self.by_name.setdefault(item.name, item)
        self.ids = Ids(self.by_id)

    def add(self, item) -> None:
        self.position.setdefault(item.id, len(self.items))
        self.items.append(item)
        self.by_id.setdefault(item.id, item)
        self.by_name.setdefault(item.name, item)
        self.ids.take(item.id)

    def replace(self, item) -> None:
        """Put ``item`` where the item with its id is (same id and name: a fuller copy)."""
        self.items[self.position[item.id]] = item
        self.by_id[item.id] = item


class _References:
    """Processes, roles, teams, stages and criteria named by the rows, created on first use."""

    def __init__(self, doc: JourneyMap, skipped: list[str]) -> None:
        self.doc, self.skipped = doc, skipped
        self.node_rows: dict[str, int] = {}
        self.node_ids = Ids()
        self._indexes: dict[int, _Index] = {}

    def index(self, items: list) -> _Index:
        """The index of one of the map's lists (``doc.teams``...), made on first use."""
        found = self._indexes.get(id(items))
        if found is None or found.items is not items:
            found = self._indexes[id(items)] = _Index(items)
        return found

    def resolve(
        self,
        table: _Table,
        row: int,
        line: int | None,
        what: str,
        items: list,
        make,
        ref_id: str,
        name: str,
        header: str,
    ) -> str | None:
        """The id a cell pair (id column, name column) refers to, adding the item if it is new."""
        ref_id = ref_id.strip()
        if not ref_id and not name.strip():
            return None
        if ref_id and not _ID.match(ref_id):
            raise table.error(
                row,
                line,
                f"{header} id",
                f'"{ref_id}" is not a valid id',
                "An id starts with a letter or _, then letters, digits, _ . or -",
            )
        index = self.index(items)
        if not ref_id:  # by name, or an id typed in the name column
            found = index.by_name.get(name) or index.by_id.get(name)
            if found is not None:
                return found.id
            ref_id = _slug(name, index.ids)
        existing = index.by_id.get(ref_id)
        if existing is None:
            if name.strip():
                index.add(make(ref_id, name))
        elif name.strip() and existing.name != name:
            self.skipped.append(
                f"{table.name} row {row}: {what} {ref_id!r} is called "
                f"{name!r} here but {existing.name!r} earlier; kept the first name"
            )
        return ref_id


def _validated(table: _Table, row: int, line: int | None, model, fields: dict, headers: dict):
    """``model(**fields)``, or a refusal naming the row and the column of the field refused."""
    try:
        return model(**fields)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else "id"
        column = headers.get(field, field)
        message, hint = plain_validation(first, f"the {column}")
        if field == "conversion":
            hint = "Write a share such as 0.3 or 30%"
        raise table.error(
            row, line, column, message, hint or "Fix the cell and import again"
        ) from None


def _slug(name: str, taken: Ids) -> str:
    """A valid id made from a name, not in ``taken`` (and now taken): ``"SDR team"`` ->
    ``"SDR-team"``, then ``"SDR-team-2"``..."""
    base = _ID_BAD.sub("-", name.strip()).strip("-")[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    return taken.fresh(base)
