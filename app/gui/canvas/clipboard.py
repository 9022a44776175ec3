"""Copy, paste and duplicate steps within and across processes.

The clipboard carries self-describing JSON text (nodes, the edges between them,
their positions), so a paste into another process or another window of the app
works; text that is not such a payload is ignored. Every paste gets fresh ids
and is one undo step.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QGuiApplication

from app.gui.workspace.commands import DocumentEditor
from models.document import Edge, Node
from models.editing import MapDocument

OFFSET = 40.0  # a paste lands beside the original so both stay visible


def copy_payload(document: MapDocument, node_ids: list[str]) -> str:
    """The selected nodes, the edges between them and their positions, as JSON text."""
    chosen = [n for n in dict.fromkeys(node_ids) if document.has("nodes", n)]
    inside = set(chosen)
    nodes = [document.get("nodes", n).model_dump(mode="json") for n in chosen]
    edges = [
        e.model_dump(mode="json")
        for e in document.map.edges
        if e.source in inside and e.target in inside
    ]
    positions = {n: list(document.position(n)) for n in chosen if document.position(n) is not None}
    return json.dumps(
        {"journeymap-steps": 1, "nodes": nodes, "edges": edges, "positions": positions}
    )


def _steps(text: str) -> dict[str, Any] | None:
    """The copied steps in ``text``, or None when it holds something else."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("journeymap-steps") != 1 or not data.get("nodes"):
        return None
    return data


def holds_steps(text: str | None = None) -> bool:
    """Whether ``text`` (by default the system clipboard) is a copy of steps, so Paste can do something."""
    return _steps(clipboard_text() if text is None else text) is not None


def paste_payload(
    editor: DocumentEditor,
    text: str,
    process_id: str,
    offset: float = OFFSET,
    at: tuple[float, float] | None = None,
) -> list[str]:
    """Add the copied steps to ``process_id`` with fresh ids as one undo step; returns the new node ids.

    The steps land beside where they were copied from (``offset``), or, with ``at``, with the
    top-left one at that point. Text that is not a copy of steps is ignored (returns ``[]``):
    the system clipboard may hold anything.
    """
    data = _steps(text)
    if data is None:
        return []
    positions = data.get("positions", {})
    if at is not None:
        placed = [p for p in positions.values() if p]
        left = min((p[0] for p in placed), default=0.0)
        top = min((p[1] for p in placed), default=0.0)
        positions = {
            k: [at[0] + p[0] - left, at[1] + p[1] - top] for k, p in positions.items() if p
        }
        offset = 0.0
    document = editor.document
    fresh: dict[str, str] = {}
    nodes: list[tuple[Node, tuple[float, float] | None]] = []
    for raw in data["nodes"]:
        new_id = document.new_id("nodes", "node")
        while new_id in fresh.values():
            new_id = document.new_id("nodes", "node")
        fresh[raw["id"]] = new_id
        node = Node.model_validate({**raw, "id": new_id, "process": process_id})
        pos = positions.get(raw["id"])
        nodes.append((node, (pos[0] + offset, pos[1] + offset) if pos else at))
    used: set[str] = set()
    edges = []
    for raw in data.get("edges", []):
        if raw["source"] not in fresh or raw["target"] not in fresh:
            continue
        new_id = document.new_id("edges", "edge")
        while new_id in used:
            new_id = document.new_id("edges", "edge")
        used.add(new_id)
        edges.append(
            Edge.model_validate(
                {
                    **raw,
                    "id": new_id,
                    "source": fresh[raw["source"]],
                    "target": fresh[raw["target"]],
                }
            )
        )
    count = len(nodes)
    with editor.macro(f"Paste {count} step{'s' if count != 1 else ''}"):
        for node, position in nodes:
            editor.add_node(node, position)
        for edge in edges:
            editor.add_edge(edge)
    return [node.id for node, _ in nodes]


def copy_to_clipboard(document: MapDocument, node_ids: list[str]) -> bool:
    if not node_ids:
        return False
    # Plain text only: a Python-made QMimeData handed to the clipboard is deleted twice when
    # the app exits (PySide6 6.12 crashes with SIGSEGV); the payload is self-describing JSON.
    QGuiApplication.clipboard().setText(copy_payload(document, node_ids))
    return True


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()


def copy_selection(scene) -> bool:
    """Copy the scene's selected steps to the system clipboard."""
    return copy_to_clipboard(scene.document, scene.selected_node_ids())


def cut_selection(scene) -> None:
    if copy_selection(scene):
        scene.delete_selection()


def paste_into(scene, at: tuple[float, float] | None = None) -> list[str]:
    """Paste clipboard steps into the scene's process (at a point, when given) and select them."""
    new_ids = paste_payload(scene.editor, clipboard_text(), scene.process_id, at=at)
    if new_ids:
        scene.select_nodes(new_ids)
    return new_ids


def duplicate_selection(scene) -> list[str]:
    """Copy and paste in one go, without touching the system clipboard."""
    selected = scene.selected_node_ids()
    if not selected:
        return []
    new_ids = paste_payload(scene.editor, copy_payload(scene.document, selected), scene.process_id)
    scene.select_nodes(new_ids)
    return new_ids
