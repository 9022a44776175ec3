"""Auto-layout off the UI thread: a worker job and the snapshot it reads.

The caller applies the positions as one MoveNodesCommand (one undo step).
"""

from __future__ import annotations


def layout_snapshot(doc, process_id: str):
    """What the layout worker reads: new lists (the UI may edit meanwhile), no deep copy (fast on big maps)."""
    nodes = [n for n in doc.nodes if n.process == process_id]
    inside = {n.id for n in nodes}
    edges = [e for e in doc.edges if e.source in inside or e.target in inside]
    return doc.model_construct(
        **{**dict(doc), "nodes": nodes, "edges": edges, "processes": list(doc.processes)}
    )
