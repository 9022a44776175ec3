"""The Journeymap domain: document model, storage, graph view, analysis, simulation.

Nothing here imports Qt; everything is usable from scripts, the command line and tests.
"""

from .document import (
    FORMAT,
    SCHEMA_VERSION,
    SLA,
    BuyerRole,
    Clearance,
    Criteria,
    Edge,
    JourneyMap,
    Layout,
    Node,
    Process,
    Question,
    Scenario,
    Stage,
    Team,
)
from .errors import EditError, JourneymapError, MapFileError
from .storage import dumps_map, load_map, loads_map, save_map
from .vocabulary import EDGE_KINDS, NODE_KINDS, PROCESS_KINDS, EdgeKind, NodeKind, ProcessKind


def __getattr__(name: str):
    # the editor's document loads on first use (with psygnal): the command line never needs it
    if name == "MapDocument":
        from .editing import MapDocument

        return MapDocument
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EDGE_KINDS",
    "FORMAT",
    "NODE_KINDS",
    "PROCESS_KINDS",
    "SCHEMA_VERSION",
    "SLA",
    "BuyerRole",
    "Clearance",
    "Criteria",
    "Edge",
    "EdgeKind",
    "JourneyMap",
    "Layout",
    "Node",
    "NodeKind",
    "Process",
    "ProcessKind",
    "Question",
    "Scenario",
    "Stage",
    "Team",
    "MapDocument",
    "EditError",
    "JourneymapError",
    "MapFileError",
    "dumps_map",
    "load_map",
    "loads_map",
    "save_map",
]
