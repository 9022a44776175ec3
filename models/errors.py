"""Typed errors the UI and the command line show as one to three plain sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class JourneymapError(Exception):
    """Base of every error Journeymap reports to a person instead of a traceback."""


class MapFileError(JourneymapError):
    """A map file that cannot be read, located as precisely as we can.

    ``str(error)`` reads like a compiler message so editors can jump to it::

        enterprise.json:41:23: nodes[3].conversion: must be a probability between 0 and 1,
        not 50; did you mean 0.50? Fix the value and open the file again.
    """

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str = "",
    ) -> None:
        self.path = str(path) if path is not None else "<map>"
        self.message = message
        self.line = line
        self.column = column
        self.field = field
        self.hint = hint
        super().__init__(str(self))

    @property
    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.field:
            text += f"{self.field}: "
        text += _sentence(self.message)
        if self.hint:
            text += " " + _sentence(self.hint)
        return text


def _sentence(text: str) -> str:
    text = text.rstrip(". ")
    return text if text.endswith(("?", "!")) else text + "."


class EditError(JourneymapError):
    """An edit the document refuses (unknown id, a value out of range...)."""


# --- pydantic's refusals in the project's words ---------------------------------------------------

_FIELD_WORDS = {
    "headcount": "the headcount",
    "attempts": "the number of attempts",
    "threshold_answers": "the minimum number of positive answers",
    "threshold_score": "the minimum score",
    "schema_version": "the schema version",
    "delay_days": "the delay (days)",
    "duration_days": "the duration (days)",
    "deal_value": "the deal value",
    "leads_per_rep": "the leads per rep",
    "response_hours": "the response time (hours)",
    "attempt_window_days": "the attempt window (days)",
    "late_conversion_factor": "the late conversion factor",
    "attempt_minutes": "the minutes per attempt",
    "reach_per_attempt": "the reach per attempt",
    "call_to_action": "the call to action",
    "entry_criteria": "the entry criteria",
    "on_rejection": "the rule on rejection",
    "bpmn_type": "the BPMN type",
    "bpmn_default": "the BPMN default flow mark",
    "bpmn_interrupting": "the BPMN interrupting mark",
    "from_team": "the from team",
    "to_team": "the to team",
    "owner": "the owner team",
    "subprocess": "the process a subprocess opens",
    "capacity_policy": "the capacity policy",
    "id": "the id",
}
"""Fields whose name, said with "the", is not the plain words (the others: "the volume")."""

_LISTS = {
    "gate": ("a committee gate", "roles"),
    "questions": ("a criteria set", "questions"),
    "motivations": ("the motivations", "items"),
    "concerns": ("the concerns", "items"),
    "technology": ("the technology", "items"),
    "goals": ("the goals", "items"),
}
"""List fields: (what holds the items, what the items are), for "may have at most N ..."."""

_KIND_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "string": "text",
    "bool": "true or false",
    "list": "a list",
    "dict": "a set of named values",
    "model": "a set of fields",
}


def _input(value: object) -> str:
    """A value as a message quotes it: short, and text in double quotes."""
    import json

    try:
        shown = json.dumps(value)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _number(value: object) -> str:
    return (
        f"{value:,.0f}" if isinstance(value, (int, float)) and value == int(value) else f"{value}"
    )


_FIELDS: set[str] = set()


def _field_name(loc: tuple) -> str:
    """The last field name in a pydantic location (not an index, nor a dict's key after it)."""
    if not _FIELDS:
        from pydantic import BaseModel

        from models import document

        for model in vars(document).values():
            if isinstance(model, type) and issubclass(model, BaseModel):
                _FIELDS.update(model.model_fields)
    names = [part for part in loc if isinstance(part, str)]
    for name in reversed(names):
        if name in _FIELDS:
            return name
    return names[-1] if names else "value"


def plain_validation(error: Any, field: str | None = None) -> tuple[str, str]:
    """pydantic's first refusal in a ``ValidationError`` (or one of its ``errors()``) as
    (what is wrong, what to do), in the project's words; the caller names the place (the
    file and field path, the row and column, the Properties field).

    ``field`` is the words for the field when the caller has its own (a column's header)."""
    first = error.errors(include_url=False)[0] if hasattr(error, "errors") else error
    kind: str = first["type"]
    loc = tuple(first.get("loc", ()))
    name = _field_name(loc)
    the = field or _FIELD_WORDS.get(name) or "the " + name.replace("_", " ")
    ctx = first.get("ctx") or {}
    value = first.get("input")
    found = _input(value)
    if isinstance(value, str) and kind not in ("value_error", "assertion_error"):
        found = f"the text {found}"
    if kind == "too_long" and ctx.get("field_type") == "List":
        holder, items = _LISTS.get(name, (the, "items"))
        most, has = ctx.get("max_length", 0), ctx.get("actual_length")
        count = f"; this one has {has:,}" if has is not None else ""
        return f"{holder} may have at most {most:,} {items}{count}", f"Remove some {items}"
    if kind in ("string_too_long", "too_long"):
        most = ctx.get("max_length", 0)
        size = f"; this one has {len(value):,}" if isinstance(value, (str, list)) else ""
        return f"{the} may be at most {most:,} characters long{size}", "Shorten it"
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        return f"{the} must have at least {least:,} characters or items", "Fill it in"
    if kind == "int_from_float" or (kind == "int_type" and isinstance(value, float)):
        whole = isinstance(value, float) and value.is_integer()
        hint = f"Write {int(value)}" if whole else "Write a whole number such as 3"
        return f"{the} must be a whole number, not {value}", hint
    if kind.endswith(("_type", "_parsing")) and kind.split("_")[0] in _KIND_WORDS:
        wanted = _KIND_WORDS[kind.split("_")[0]]
        hint = "Write it without quotes" if _numeric(value) and wanted.endswith("number") else ""
        if not hint:
            hint = f"Write {wanted}" if "number" in wanted or "true" in wanted else "Fix the value"
        return f"{the} must be {wanted}, not {found}", hint
    if kind == "finite_number":
        return f"{the} must be a finite number, not {found}", "Write a number such as 0.5"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return (
            f"{the} must be {word} {_number(ctx.get(key))}, not {_number(value)}",
            "Use a number in that range",
        )
    if kind == "literal_error":
        return f"{the} must be one of {ctx.get('expected', '')}, not {found}", "Use one of those"
    if kind == "missing":
        return f"{the} is missing", "Add it"
    if kind == "extra_forbidden":
        return (
            f'there is no field "{loc[-1] if loc else name}" here',
            "Remove it or fix its spelling",
        )
    if kind == "string_pattern_mismatch":
        if "A-Za-z_" in str(ctx.get("pattern", "")):
            return (
                f"{the} must start with a letter or _ and hold only letters, digits and _ . - "
                f"(at most 80), not {found}",
                "Fix the id",
            )
        return f"{the} is not in the expected form: {found}", "Fix the value"
    message = str(first.get("msg", "is refused")).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if kind == "value_error":  # the project's own validators: already said in its words
        return message, ""
    return f"{the} is refused: {message}", "Fix the value"


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _numeric(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def plain_validation_message(error: Any, field: str | None = None) -> str:
    """:func:`plain_validation` as one phrase: "the headcount must be a whole number, not 3.5;
    write a whole number such as 3" (no location: the caller puts its own in front)."""
    message, hint = plain_validation(error, field)
    return f"{message}; {hint[:1].lower()}{hint[1:]}" if hint else message
