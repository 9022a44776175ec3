"""What a map file's text goes through before it is a model, and the message when it fails.

Each check names the file, the place (line:column and the field's path) and what to do, in one
to three sentences: a byte order mark is accepted, NUL bytes, text that is not UTF-8, an empty
file, a git conflict marker, broken or truncated JSON, a duplicate key, a number JSON does not
allow, a file that is not a map or is from a newer Journeymap, an unresolved merge and the first
field pydantic refuses are each said in words. :mod:`models.storage` reads and writes the file.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from .document import FORMAT, SCHEMA_VERSION
from .errors import MapFileError, plain_validation
from .fileformat import CONFLICTS_KEY, conflict_line
from .jsonloc import MAX_DIGITS, JsonProblem, format_path, line_col, locate
from .scalars import UNENCODABLE

_CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def _nul(path, line: int, column: int) -> MapFileError:
    return MapFileError(
        path,
        "contains NUL bytes, so it is damaged or not a text file",
        line=line,
        column=column,
        hint="Restore it from a backup or from the editor's recovery folder",
    )


def decode_text(data: bytes | str, path) -> str:
    if isinstance(data, str):
        text = data
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # a UTF-8 byte order mark, as some Windows editors write: accept it
        if b"\x00" in data:
            raise _nul(path, *_byte_line_col(data, data.index(b"\x00")))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line, column = _byte_line_col(data, error.start)
            raise MapFileError(
                path,
                "is not UTF-8 text",
                line=line,
                column=column,
                hint="Save it as UTF-8 and open it again",
            ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise _nul(path, *line_col(text, text.index("\x00")))
    if not text.strip():
        raise MapFileError(
            path,
            "is empty, so it holds no map",
            hint="Journeymap never opens an empty file as an empty map: restore it from a backup or the recovery folder, or start a new map",
        )
    return text


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    prefix = data[:offset].decode("utf-8", "replace")
    return line_col(prefix, len(prefix))


def parse_json(text: str, path):
    # the markers' characters are rare in a map: look for the line only where they occur
    runs = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    conflict = _CONFLICT_MARKER.search(text) if runs else None
    if conflict:
        line, column = line_col(text, conflict.start())
        raise MapFileError(
            path,
            "has an unresolved git merge conflict marker",
            line=line,
            column=column,
            hint="Resolve the conflict (keep one side of each <<<<<<< ... >>>>>>> block) and open it again",
        )
    try:
        raw = json.loads(
            text,
            object_pairs_hook=_refuse_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_checked_int,
        )
    except json.JSONDecodeError as error:
        # a string runs to the end only in a cut file (a line break inside one is another error)
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            message = "the JSON ends early, so the file is truncated"
            hint = "Restore it from a backup or the recovery folder"
        else:
            message = f"is not valid JSON ({error.msg[:1].lower()}{error.msg[1:]})"
            hint = "Fix the syntax at that place"
        raise MapFileError(
            path, message, line=error.lineno, column=error.colno, hint=hint
        ) from None
    except _Strict:
        try:
            locate(text)
        except JsonProblem as problem:
            line, column = line_col(text, problem.offset)
            hint = (
                "Keep one of the two values"
                if "twice" in str(problem)
                else "Use a number of ordinary size, or leave the field out"
                if "digits" in str(problem)
                else "Use a finite number, or leave the field out"
            )
            raise MapFileError(
                path,
                str(problem),
                line=line,
                column=column,
                field=format_path(problem.path),
                hint=hint,
            ) from None
        except (RecursionError, json.JSONDecodeError):
            pass  # too deep to place: the message stands without a line
        raise MapFileError(
            path, "is not valid JSON (a duplicate key or a number JSON does not allow)"
        ) from None
    except RecursionError:
        raise MapFileError(
            path,
            "nests lists or objects about a thousand levels deep (a map nests fewer than ten), "
            "so it is not a map",
            hint="Open a map saved by Journeymap",
        ) from None
    return raw


class _Strict(ValueError):
    pass


def _checked_int(token: str) -> int:
    # checked before int(): thousands of digits are slow to convert, or refused outright
    if len(token.lstrip("-")) > MAX_DIGITS:
        raise _Strict(token)
    return int(token)


def _refuse_duplicates(pairs):
    result = dict(pairs)  # a key given twice leaves fewer keys than pairs
    if len(result) != len(pairs):
        raise _Strict(pairs)
    return result


def _refuse_constant(token):
    raise _Strict(token)


def check_header(raw, text: str, path) -> None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        kinds: dict[type, str] = {dict: "a JSON object", list: "a JSON array", str: "a JSON string"}
        what = kinds.get(type(raw), "a bare JSON value")
        raise MapFileError(
            path,
            f'is {what} but not a Journeymap map (it has no "format": "{FORMAT}" marker)',
            line=1,
            column=1,
            hint="Open a map saved by Journeymap, or import other formats with `journeymap import`",
        )
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise located(
            path,
            text,
            ("schema_version",),
            f"must be a whole number from 1 up, not {json.dumps(version)}",
            "Set it to the version the file was written with (1)",
        )
    if version > SCHEMA_VERSION:
        raise located(
            path,
            text,
            ("schema_version",),
            f"the file was saved by a newer Journeymap (format version {version}; this one reads up to {SCHEMA_VERSION})",
            "Update Journeymap to open it; the file was left untouched",
        )


def refuse_conflicts(raw: dict, text: str, path) -> None:
    conflicts = raw.get(CONFLICTS_KEY)
    if conflicts is None:
        return
    count = len(conflicts) if isinstance(conflicts, list) else 1
    first = conflicts[0] if isinstance(conflicts, list) and conflicts else None
    where = f", the first: {conflict_line(first)}" if isinstance(first, dict) else ""
    raise located(
        path,
        text,
        (CONFLICTS_KEY,),
        f"{count} unresolved merge conflict{'s' if count != 1 else ''}{where}",
        f"The file holds ours' value at each; set the values you want, then delete "
        f'"{CONFLICTS_KEY}"',
    )


def from_validation(error: ValidationError, text: str, path) -> MapFileError:
    errors = error.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    kind = first["type"]
    message = first["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    hint = ""
    if kind == "extra_forbidden":
        message = f'unknown field "{loc[-1]}"'
        hint = "Remove it or fix its spelling; resources/journeymap.schema.json lists every field"
    elif kind == "missing":
        message = "this required field is missing"
        hint = "Add it"
    elif kind in _TYPE_WORDS and isinstance(first.get("input"), (str, bool)):
        found = _shown(first["input"])
        what = "the text" if isinstance(first["input"], str) else "the value"
        message = f"must be {_TYPE_WORDS[kind]}, not {what} {found}"
        numeric = isinstance(first["input"], str) and _looks_numeric(first["input"])
        hint = "Write the number without quotes" if numeric else "Write a number, or leave it out"
    elif kind in ("less_than_equal", "greater_than_equal") and "ctx" in first:
        bound = float(first["ctx"].get("le", first["ctx"].get("ge", 0)))
        word = "at most" if kind == "less_than_equal" else "at least"
        limit = f"{bound:,.0f}" if bound.is_integer() else f"{bound:,}"
        message = f"must be {word} {limit}, not {_shown(first.get('input'))}"
        hint = "Use a number in that range"
    else:
        message, hint = plain_validation(first)
        hint = hint or "Fix the value and open the file again"
    return located(path, text, loc, message, hint, len(errors) - 1)


def _shown(value: object) -> str:
    """A value as a message quotes it: JSON, at most 40 characters, unencodable ones escaped."""
    found = json.dumps(value, ensure_ascii=False)
    if UNENCODABLE.search(found):
        found = json.dumps(value)
    return found if len(found) <= 40 else found[:37] + "..."


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_TYPE_WORDS = {"float_type": "a number", "int_type": "a whole number"}
"""Strict type errors said in words, for a number written as text ("0.5") or as true/false."""


def located(path, text: str, loc: tuple, message: str, hint: str, more: int = 0) -> MapFileError:
    positions = _positions(text)
    # pydantic may add non-path parts (union branches); keep the longest prefix present in the text
    found = ()
    for size in range(len(loc), -1, -1):
        if loc[:size] in positions:
            found = loc[:size]
            break
    line, column = positions.get(found, (None, None))
    if more:
        hint = (
            hint + "; " if hint else ""
        ) + f"{more} more problem{'s' if more > 1 else ''} may follow"
    return MapFileError(path, message, line=line, column=column, field=format_path(loc), hint=hint)


def _positions(text: str) -> dict:
    try:
        return locate(text)
    except (ValueError, json.JSONDecodeError, RecursionError):  # no positions, the message stands
        return {}
