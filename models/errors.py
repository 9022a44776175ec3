"""Typed errors the UI and the command line show as one to three plain sentences."""

from __future__ import annotations

from pathlib import Path


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
