"""What every importer returns: the map it read, and what it could not bring over.

A module of its own so that the importers, :mod:`exporters.tables` and
:mod:`exporters.registry` all import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.document import JourneyMap


@dataclass
class ImportResult:
    """A map read from another tool's file, and what could not be brought over."""

    doc: JourneyMap
    skipped: list[str] = field(default_factory=list)
