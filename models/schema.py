"""The JSON Schema of the map file format, published as resources/journeymap.schema.json.

Generated from the pydantic model so the two never drift apart (a test checks
the published file is current). Other tools can validate maps with it; the
structural rules no schema can say (unique ids, edges between existing nodes)
are checked by :func:`models.integrity.structural_problems`.
"""

from __future__ import annotations

import json

from .document import SCHEMA_VERSION, JourneyMap

SCHEMA_ID = "urn:journeymap:map-file:1"


def json_schema() -> dict:
    schema = JourneyMap.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Journeymap map file (schema_version {SCHEMA_VERSION})",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    schema["required"] = sorted({*schema.get("required", []), "format", "schema_version"})
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m models.schema > resources/journeymap.schema.json
    import sys

    sys.stdout.write(schema_text())
