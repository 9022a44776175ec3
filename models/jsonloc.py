"""Where things are in a JSON text: field path -> (line, column).

The standard library parses fast but forgets positions; this small scanner runs
only when a file is refused, to point at the exact place. It also finds what
``json.loads`` silently accepts and we refuse: duplicate keys and the bare
tokens ``NaN``, ``Infinity`` and ``-Infinity``.

>>> locate('{"a": [1, {"b": 2}]}')[("a", 1, "b")]
(1, 12)
"""

from __future__ import annotations

import json
import re

# json.decoder uses this C scanner too; typeshed declares it only in _json
from _json import scanstring

Path = tuple[str | int, ...]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CONSTANTS = {"true", "false", "null"}
_NONFINITE = ("NaN", "Infinity", "-Infinity")
MAX_DIGITS = 30
"""Longest whole number :func:`locate` accepts (``models.storage`` refuses longer ones)."""


class JsonProblem(ValueError):
    """Something strict JSON refuses, with its path and offset."""

    def __init__(self, message: str, path: Path, offset: int) -> None:
        super().__init__(message)
        self.path = path
        self.offset = offset


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def locate(text: str) -> dict[Path, tuple[int, int]]:
    """Map every value's path to the (line, column) where it starts.

    For object members the position is that of the key, which is where a
    person looks. Raises :class:`JsonProblem` on a duplicate key or a
    non-finite number, and ``json.JSONDecodeError`` on broken syntax.
    """
    offsets: dict[Path, int] = {}
    end = _value(text, _skip(text, 0), (), offsets, None)
    end = _skip(text, end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return {path: line_col(text, off) for path, off in offsets.items()}


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)  # matches at any position (it may match nothing)
    return match.end() if match else pos


def _value(text: str, pos: int, path: Path, out: dict[Path, int], key_pos: int | None) -> int:
    out[path] = pos if key_pos is None else key_pos
    if pos >= len(text):
        raise json.JSONDecodeError("Expecting value", text, pos)
    char = text[pos]
    if char == "{":
        return _object(text, pos + 1, path, out)
    if char == "[":
        return _array(text, pos + 1, path, out)
    if char == '"':
        return scanstring(text, pos + 1, True)[1]
    for token in _NONFINITE:
        if text.startswith(token, pos):
            raise JsonProblem(f"{token} is not a number JSON allows", path, pos)
    match = _NUMBER.match(text, pos)
    if match:
        number = match.group().lstrip("-")
        digits = len(number)
        if (
            digits > MAX_DIGITS and number.isdigit()
        ):  # a whole number (floats become inf: refused later)
            raise JsonProblem(
                f"holds a whole number of {digits:,} digits; a map's numbers have at most "
                f"{MAX_DIGITS}",
                path,
                pos,
            )
        return match.end()
    for token in _CONSTANTS:
        if text.startswith(token, pos):
            return pos + len(token)
    raise json.JSONDecodeError("Expecting value", text, pos)


def _object(text: str, pos: int, path: Path, out: dict[Path, int]) -> int:
    seen: set[str] = set()
    pos = _skip(text, pos)
    if text.startswith("}", pos):
        return pos + 1
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, pos
            )
        key_pos = pos
        key, pos = scanstring(text, pos + 1, True)
        if key in seen:
            raise JsonProblem(
                f'the key "{key}" appears twice in the same object', (*path, key), key_pos
            )
        seen.add(key)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _value(text, _skip(text, pos + 1), (*path, key), out, key_pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            return pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _array(text: str, pos: int, path: Path, out: dict[Path, int]) -> int:
    pos = _skip(text, pos)
    if text.startswith("]", pos):
        return pos + 1
    index = 0
    while True:
        pos = _skip(text, _value(text, pos, (*path, index), out, None))
        index += 1
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def format_path(path: Path) -> str:
    """``("nodes", 3, "label")`` -> ``nodes[3].label``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(the whole file)"
