"""The constrained scalar types of a map's fields, and the limits they enforce.

Plain text (no control characters, nothing a file cannot hold, at most :data:`MAX_TEXT`
characters), identifiers, probabilities, amounts, counts, colours, BPMN types and diagram
positions. The items of :mod:`models.document` are built from them.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(Probability).validate_python(0.25)
0.25
>>> TypeAdapter(Point).validate_python([10, 20])
(10.0, 20.0)
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Lone surrogate halves (no UTF-8 file can hold them) and U+FFFE/U+FFFF (no XML file can)."""

MAX_TEXT = 100_000
"""Characters in one text field (a label, a description, one motivation...) and in one list of
them together: every cell an export writes stays under :data:`MAX_CELL`, so it imports back."""
MAX_CELL = 1_000_000
"""Characters in one cell or attribute an import reads (and the most an export writes)."""
MAX_AMOUNT = 1e12
"""Largest volume, capacity, cost, deal value or duration: a trillion. Sums and products of such
numbers over a whole map stay finite, so no result is ever inf or nan."""
MAX_COORDINATE = 1e9
"""Largest distance from the origin of a position on a diagram."""


def _plain_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValueError(
            f"is {len(value):,} characters long; a text field holds at most {MAX_TEXT:,}"
        )
    match = _CONTROL.search(value)
    if match:
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start() + 1}; remove it (only tabs and line breaks are allowed in text)"
        )
    match = UNENCODABLE.search(value)
    if match:
        raise ValueError(
            f"contains U+{ord(match.group()):04X} at position {match.start() + 1}, which is not "
            "a character a file can hold (half of a surrogate pair, or a non-character); "
            "remove it"
        )
    return value


def _pair(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _text_list(value: list[str]) -> list[str]:
    total = sum(map(len, value))
    if total > MAX_TEXT:
        raise ValueError(
            f"holds {total:,} characters in all; a list of texts holds at most {MAX_TEXT:,}"
        )
    return value


def _probability(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        hint = ""
        if 1.0 < value <= 100.0:
            share = f"{value / 100:.2f}" if value == round(value) else f"{value / 100:.4g}"
            hint = f"; did you mean {share}?"
        raise ValueError(f"must be a probability between 0 and 1, not {value:g}{hint}")
    return value


Text = Annotated[str, AfterValidator(_plain_text)]
"""Free text shown to people: any characters except control characters and the unencodable
ones, at most :data:`MAX_TEXT` of them."""
TextList = Annotated[list[Text], AfterValidator(_text_list)]
"""Items of text (motivations, concerns...), at most :data:`MAX_TEXT` characters in all."""

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,79}$")]
"""A stable identifier: a letter or underscore, then letters, digits, ``_ . -``."""

Probability = Annotated[float, AfterValidator(_probability)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_AMOUNT)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
"""A whole number of people, attempts or answers."""
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
BpmnType = Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{1,40}(:[A-Za-z]{1,40})?)?$")]
"""A BPMN element's type, then its event definition (``intermediateCatchEvent:timer``)."""
Coordinate = Annotated[float, Field(ge=-MAX_COORDINATE, le=MAX_COORDINATE)]
Point = Annotated[tuple[Coordinate, Coordinate], BeforeValidator(_pair)]
"""(x, y); a JSON array in the file (a list is taken as the pair, even by the strict reader)."""
