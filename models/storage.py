"""Reading and writing map files: strict on the way in, atomic on the way out.

The file is JSON with a ``format`` marker and a ``schema_version``. Keys come
out in a fixed order with two-space indents, so two saves of the same map are
byte-identical and maps diff and merge well in git. Loading only parses JSON
and validates it; it never executes anything.

>>> import tempfile, pathlib
>>> from models.document import JourneyMap
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.json"
>>> written = save_map(JourneyMap(name="Demo"), path)
>>> load_map(path).name, written == path.read_bytes()
('Demo', True)
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

from pydantic import ValidationError

from .document import _UNENCODABLE, FORMAT, SCHEMA_VERSION, JourneyMap
from .errors import MapFileError
from .fileformat import CONFLICTS_KEY, conflict_line, in_file_order, migrate
from .gcpause import paused_gc
from .integrity import structural_problems
from .jsonloc import MAX_DIGITS, JsonProblem, format_path, line_col, locate

TEMP_SUFFIX = ".jmtmp"
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


# --- writing -------------------------------------------------------------------------------------


def dumps_map(doc: JourneyMap) -> str:
    """The canonical text of a map: stable key order, defaults left out, one trailing newline."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data.pop("format", None)
    data.pop("schema_version", None)
    in_file_order(data)  # nodes and edges grouped by process: parallel additions merge in git
    ordered = {"format": FORMAT, "schema_version": SCHEMA_VERSION, **data}
    return json.dumps(ordered, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_map(doc: JourneyMap, path: str | Path) -> bytes:
    """Write ``doc`` to ``path`` atomically and durably; return the bytes written.

    The text goes to a temporary file in the same folder, is flushed to disk,
    then renamed over the target, so a crash leaves either the old file or the
    new one, never a mix. The folder is synced so the rename survives power loss.
    """
    data = dumps_map(doc).encode("utf-8")
    write_atomic(Path(path), data)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file, fsync, rename, fsync folder)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    cleanup_temp_files(path)
    temp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            try:
                os.chmod(temp, path.stat().st_mode & 0o7777)
            except OSError:
                pass
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on some platforms (Windows); the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def cleanup_temp_files(path: str | Path) -> list[Path]:
    """Remove temp files a killed save of ``path`` left behind (their writer is gone)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".{glob_escape(path.name)}.*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for temp in candidates:
        parts = temp.name[len(path.name) + 2 :].split(".")
        pid = int(parts[0]) if parts and parts[0].isdigit() else -1
        if pid == os.getpid() or process_alive(pid):
            continue  # a save is under way (ours cleans up after itself)
        try:
            temp.unlink()
            removed.append(temp)
        except OSError:
            pass
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    # a zombie (killed, not yet reaped) is not saving anything
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().split(b") ")[-1][:1] != b"Z"
    except OSError:
        return True


# --- reading -------------------------------------------------------------------------------------


IMPORT_LIMIT = 50 * 1024 * 1024
"""Largest file an import reads (50 MB): a diagram or a register is far smaller."""


def read_input(
    path: str | Path,
    what: str = "file",
    *,
    hint: str = "Check the path",
    max_bytes: int | None = None,
) -> bytes:
    """The bytes of a file the user named, or a :class:`MapFileError` saying what went wrong.

    The one reader behind opening maps and every import (CSV, BPMN, draw.io, actuals).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MapFileError(path, "no such file", hint=hint) from None
    except IsADirectoryError:
        raise MapFileError(path, f"is a folder, not a {what}") from None
    except OSError as error:
        raise MapFileError(path, f"cannot be read ({error.strerror})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise MapFileError(
            path, f"is larger than {max_bytes // 2**20} MB; Journeymap refuses to import it"
        )
    return data


def load_map(path: str | Path) -> JourneyMap:
    """Read and validate a map file; raise :class:`MapFileError` saying where and why."""
    return read_map(path)[0]


def read_map(path: str | Path) -> tuple[JourneyMap, bytes]:
    """:func:`load_map`, and the bytes it was read from (the editor fingerprints them: one read, not two)."""
    path = Path(path)
    data = read_input(
        path, "map file", hint="Check the path, or create a map with `journeymap new`"
    )
    cleanup_temp_files(path)
    with paused_gc():  # thousands of models and no cycles: collections would only walk them
        return loads_map(data, path), data


def loads_map(data: bytes | str, path: str | Path | None = None) -> JourneyMap:
    """Parse and validate map text (bytes or str); ``path`` is only used in messages."""
    text = _decode(data, path)
    raw = _parse(text, path)
    _check_header(raw, text, path)
    _refuse_conflicts(raw, text, path)
    raw = migrate(raw)  # an earlier version's file, as this one reads it
    try:  # strict: "0.5" is not a number and true is not a count (JSON arrays still make pairs)
        doc = JourneyMap.model_validate(raw, strict=True)
    except ValidationError as error:
        raise _from_validation(error, text, path) from None
    problems = structural_problems(doc)
    if problems:
        first = problems[0]
        raise _located(path, text, first.path, first.message, first.hint, len(problems) - 1)
    return doc


def _decode(data: bytes | str, path) -> str:
    if isinstance(data, str):
        text = data
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # a UTF-8 byte order mark, as some Windows editors write: accept it
        if b"\x00" in data:
            line, column = _byte_line_col(data, data.index(b"\x00"))
            raise MapFileError(
                path,
                "contains NUL bytes, so it is damaged or not a text file",
                line=line,
                column=column,
                hint="Restore it from a backup or from the editor's recovery folder",
            )
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
        line, column = line_col(text, text.index("\x00"))
        raise MapFileError(
            path,
            "contains NUL bytes, so it is damaged or not a text file",
            line=line,
            column=column,
            hint="Restore it from a backup or from the editor's recovery folder",
        )
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


def _parse(text: str, path):
    conflict = _CONFLICT.search(text)
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
    result = {}
    for key, value in pairs:
        if key in result:
            raise _Strict(key)
        result[key] = value
    return result


def _refuse_constant(token):
    raise _Strict(token)


def _check_header(raw, text: str, path) -> None:
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
        raise _located(
            path,
            text,
            ("schema_version",),
            f"must be a whole number from 1 up, not {json.dumps(version)}",
            "Set it to the version the file was written with (1)",
        )
    if version > SCHEMA_VERSION:
        raise _located(
            path,
            text,
            ("schema_version",),
            f"the file was saved by a newer Journeymap (format version {version}; this one reads up to {SCHEMA_VERSION})",
            "Update Journeymap to open it; the file was left untouched",
        )


def _refuse_conflicts(raw: dict, text: str, path) -> None:
    conflicts = raw.get(CONFLICTS_KEY)
    if conflicts is None:
        return
    count = len(conflicts) if isinstance(conflicts, list) else 1
    first = conflicts[0] if isinstance(conflicts, list) and conflicts else None
    where = f", the first: {conflict_line(first)}" if isinstance(first, dict) else ""
    raise _located(
        path,
        text,
        (CONFLICTS_KEY,),
        f"{count} unresolved merge conflict{'s' if count != 1 else ''}{where}",
        f"The file holds ours' value at each; set the values you want, then delete "
        f'"{CONFLICTS_KEY}"',
    )


def _from_validation(error: ValidationError, text: str, path) -> MapFileError:
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
        message = message[:1].lower() + message[1:]
        if (
            "input" in first
            and not isinstance(first["input"], (dict, list))
            and not (kind == "value_error" and isinstance(first["input"], str))
        ):
            found = _shown(first["input"])
            if found not in message:
                message += f" (found {found})"
        hint = "Fix the value and open the file again"
    return _located(path, text, loc, message, hint, len(errors) - 1)


def _shown(value: object) -> str:
    """A value as a message quotes it: JSON, at most 40 characters, unencodable ones escaped."""
    found = json.dumps(value, ensure_ascii=False)
    if _UNENCODABLE.search(found):
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


def _located(path, text: str, loc: tuple, message: str, hint: str, more: int = 0) -> MapFileError:
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
