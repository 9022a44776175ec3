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

import os
import re
import secrets
from pathlib import Path

from pydantic import ValidationError

from .canonical import canonical_json
from .document import FORMAT, SCHEMA_VERSION, JourneyMap
from .errors import MapFileError
from .fileformat import in_file_order, migrate
from .gcpause import paused_gc
from .integrity import structural_problems
from .mapcheck import (
    check_header,
    decode_text,
    from_validation,
    located,
    parse_json,
    refuse_conflicts,
)

TEMP_SUFFIX = ".jmtmp"


# --- writing -------------------------------------------------------------------------------------


def dumps_map(doc: JourneyMap) -> str:
    """The canonical text of a map: stable key order, defaults left out, one trailing newline."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data.pop("format", None)
    data.pop("schema_version", None)
    in_file_order(data)  # nodes and edges grouped by process: parallel additions merge in git
    ordered = {"format": FORMAT, "schema_version": SCHEMA_VERSION, **data}
    return canonical_json(ordered) + "\n"  # json.dumps(indent=2), byte for byte, quicker


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
    text = decode_text(data, path)
    raw = parse_json(text, path)
    check_header(raw, text, path)
    refuse_conflicts(raw, text, path)
    raw = migrate(raw)  # an earlier version's file, as this one reads it
    try:  # strict: "0.5" is not a number and true is not a count (JSON arrays still make pairs)
        doc = JourneyMap.model_validate(raw, strict=True)
    except ValidationError as error:
        raise from_validation(error, text, path) from None
    problems = structural_problems(doc)
    if problems:
        first = problems[0]
        raise located(path, text, first.path, first.message, first.hint, len(problems) - 1)
    return doc
