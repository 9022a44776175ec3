"""The canonical JSON text of a map file, fast: ``json.dumps(value, indent=2, ensure_ascii=False,
allow_nan=False)`` byte for byte, about four times quicker.

Python's json module writes indented JSON with its pure-Python encoder (the C encoder cannot
indent), which takes 30 ms for a 2,000-step map. Nearly every object in a map is flat (a step,
a connection: scalar values only) and nearly every list holds flat objects or scalars, so
:func:`canonical_json` walks the structure in Python and hands each flat object or list to the
C encoder, whose item separator carries the newline and the indent of its depth. The C encoder
and the pure-Python one write strings, numbers and keys the same way (``float.__repr__``,
``int.__repr__``, the same string escapes), so the text is the same; anything else (a key that
is not a string, a type JSON does not have, a value that is not finite) takes the standard
encoder for the whole value, which writes it or raises exactly as before.

>>> value = {"a": [1, 2.5, {"b": None, "c": "é"}], "d": {}, "e": [], "f": [[True]]}
>>> import json
>>> canonical_json(value) == json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
True
"""

from __future__ import annotations

import json
import math
import re
from itertools import chain
from typing import Any

_c_make_encoder: Any = getattr(
    json.encoder, "c_make_encoder", None
)  # None without CPython's C part

INDENT = "  "
_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))
_STRING = frozenset((str,))
_KEY = r'("(?:[^"\\]|\\.)*")'
"""One JSON string as the encoder writes it (a quote inside is escaped, no raw line break)."""
_CONTAINERS = (dict, list, tuple)


class _Unusual(Exception):
    """A value the fast path does not take: the standard encoder writes the whole text."""


def standard_json(value: Any) -> str:
    """The reference: what the map file has always been written with."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    """``value`` (plain JSON data) as :func:`standard_json` writes it, byte for byte."""
    if _c_make_encoder is None:  # pragma: no cover
        return standard_json(value)
    try:
        return _Writer().write(value, 0)
    except _Unusual:
        return standard_json(value)


class _Writer:
    def __init__(self) -> None:
        self._flat: dict[int, Any] = {}  # depth -> a C encoder whose separator indents to it
        self._strings = json.encoder.encode_basestring  # the C one when present, as json uses

    def _encoder(self, depth: int) -> Any:
        encoder = self._flat.get(depth)
        if encoder is None:
            assert _c_make_encoder is not None
            encoder = _c_make_encoder(
                None,  # no cycle check: map data is a tree
                _refuse,
                self._strings,
                None,
                ": ",
                ",\n" + INDENT * depth,
                False,
                False,
                False,  # allow_nan=False: a non-finite number raises, and the standard path says so
            )
            self._flat[depth] = encoder
        return encoder

    def write(self, value: Any, depth: int) -> str:
        kind = type(value)
        if kind is str:
            return str(self._strings(value))
        if kind is float:
            if not math.isfinite(value):
                raise _Unusual
            return float.__repr__(value)
        if kind is int:
            return int.__repr__(value)
        if kind is bool:
            return "true" if value else "false"
        if value is None:
            return "null"
        if kind not in _CONTAINERS:
            raise _Unusual
        if not value:
            return "{}" if kind is dict else "[]"
        inner = INDENT * (depth + 1)
        nested = self._two_levels(value, kind, depth)
        if nested is not None:
            return nested
        if _SCALAR_TYPES.issuperset(map(type, value.values() if kind is dict else value)):
            if kind is dict and not _STRING.issuperset(map(type, value)):
                raise _Unusual
            try:
                text = "".join(self._encoder(depth + 1)(value, 0))
            except ValueError:  # not finite
                raise _Unusual from None
            return f"{text[0]}\n{inner}{text[1:-1]}\n{INDENT * depth}{text[-1]}"
        if kind is dict:
            parts = []
            for key, item in value.items():
                if type(key) is not str:
                    raise _Unusual
                parts.append(f"{self._strings(key)}: {self.write(item, depth + 1)}")
            opening, closing = "{", "}"
        else:
            parts = [self.write(item, depth + 1) for item in value]
            opening, closing = "[", "]"
        return f"{opening}\n{inner}" + f",\n{inner}".join(parts) + f"\n{INDENT * depth}{closing}"

    def _two_levels(self, value: Any, kind: type, depth: int) -> str | None:
        """A list or an object of flat, non-empty objects or lists, all of one kind (the steps,
        the connections, the positions), in one call of the C encoder: its separator indents
        the children's fields, and the boundaries between children get their own lines."""
        children = value.values() if kind is dict else value
        kinds = set(map(type, children))
        if len(kinds) != 1 or not all(children):
            return None
        child = kinds.pop()
        if child is dict:
            if not _STRING.issuperset(map(type, chain.from_iterable(children))):
                return None
            leaves = chain.from_iterable(map(dict.values, children))
        elif child is list:
            leaves = chain.from_iterable(children)
        else:
            return None
        if not _SCALAR_TYPES.issuperset(map(type, leaves)):
            return None
        if kind is dict and not _STRING.issuperset(map(type, value)):
            raise _Unusual
        try:
            text = "".join(self._encoder(depth + 2)(value, 0))
        except ValueError:  # a number that is not finite
            raise _Unusual from None
        outer, inner, leaf = INDENT * depth, INDENT * (depth + 1), INDENT * (depth + 2)
        opening, closing = ("{", "}") if child is dict else ("[", "]")
        # a raw line break is never inside a JSON string, so ",\n" + leaf after a closing
        # bracket is always the end of a child
        if kind is list:  # [{a},\n    {b}]
            body = text[2:-2].replace(
                f"{closing},\n{leaf}{opening}",
                f"\n{inner}{closing},\n{inner}{opening}\n{leaf}",
            )
            return f"[\n{inner}{opening}\n{leaf}{body}\n{inner}{closing}\n{outer}]"
        # {"k": [a],\n    "l": [b]}: each boundary is followed by one key (a whole JSON string)
        boundary = re.compile(re.escape(f"{closing},\n{leaf}") + _KEY + re.escape(f": {opening}"))
        body = boundary.sub(
            f"\n{inner}{closing},\n{inner}\\1: {opening}\n{leaf}",
            text[1:-2],
        )
        first = re.match(_KEY + re.escape(f": {opening}"), body)
        assert first is not None
        body = f"{first.group(1)}: {opening}\n{leaf}{body[first.end() :]}"
        return f"{{\n{inner}{body}\n{inner}{closing}\n{outer}}}"


def _refuse(value: Any) -> Any:
    raise _Unusual  # a type JSON does not have, inside a flat object: the standard encoder says so
