"""Reading XML from other tools (BPMN, draw.io) safely: no DTDs, no entities, plain-sentence errors."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from models.errors import JourneymapError, plain_validation_message


def parse_untrusted(data: bytes | str, path: Path, what: str, redo: str):
    """The root element of ``data``; a :class:`JourneymapError` naming ``path`` and ``what`` if it
    is not well-formed or declares a DTD or entities (``redo`` says how to get a clean file)."""
    try:
        return DET.fromstring(data, forbid_dtd=True)
    except DET.ParseError as error:
        raise JourneymapError(f"{path}: {what} is not well-formed XML ({error}); {redo}.") from None
    except DefusedXmlException:
        raise JourneymapError(
            f"{path}: {what} declares a DTD or entities, which Journeymap refuses to read "
            f"(a file saved by the tool itself has none); {redo}."
        ) from None


def refused_value(path: Path, error) -> JourneymapError:
    """The plain sentence for a Journeymap attribute (a pydantic ``ValidationError``) the map refuses."""
    first = error.errors()[0]
    return JourneymapError(
        f"{path}: a Journeymap attribute holds a value the map refuses "
        f"({'.'.join(map(str, first['loc']))}: {plain_validation_message(first)})."
    )
