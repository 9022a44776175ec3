"""The Journeymap domain: document model, storage, graph view, analysis, simulation.

Nothing here imports Qt; everything is usable from scripts, the command line and tests.
"""

from .document import (
    EDGE_KINDS,
    FORMAT,
    NODE_KINDS,
    PROCESS_KINDS,
    SCHEMA_VERSION,
    SLA,
    BuyerRole,
    Clearance,
    Criteria,
    Edge,
    EdgeKind,
    JourneyMap,
    Layout,
    Node,
    NodeKind,
    Process,
    ProcessKind,
    Question,
    Scenario,
    Stage,
    Team,
)
from .editing import MapDocument
from .errors import EditError, JourneymapError, MapFileError
from .storage import dumps_map, load_map, loads_map, save_map

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
