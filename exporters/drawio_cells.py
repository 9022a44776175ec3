"""One draw.io cell as Journeymap reads it: the page's cells, a cell's label, a vertex as a
step and an edge as an edge (:mod:`exporters.drawio_pages` reads the pages with them).

A step or edge :mod:`exporters.drawio` wrote comes back from its ``jm_node`` / ``jm_edge``
data; any other vertex becomes a step by its style (:mod:`exporters.drawio_shapes`), any
other edge takes its kind from its style and its conversion from a percentage in its label
(``"Yes (30%)"``). Ids are made safe and unique; a value the map cannot hold is refused
with the page and cell that hold it (:class:`Refused`).
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from models.document import Edge, Node
from models.errors import plain_validation_message

from ._ids import Ids
from ._labels import split_share
from .drawio_labels import plain_label
from .drawio_shapes import edge_kind, shape_kind

WRAPPERS = ("object", "UserObject")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


class Refused(Exception):
    """A cell the map cannot hold; :func:`exporters.drawio_import.read_drawio` names the
    file before it."""


def validated(where: str, make, *args, **kwargs):
    """``make(*args, **kwargs)``, with a refusal naming ``where`` (a page and a cell)."""
    try:
        return make(*args, **kwargs)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(map(str, first["loc"])) or "value"
        raise Refused(f"{where}: {field}: {plain_validation_message(first)}") from None


def map_id(raw: str, taken: Ids) -> str:
    base = _ID_BAD.sub("_", raw or "")[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "n" + base
    return taken.fresh(base, sep="_")


def page_cells(model):
    """(id, attributes holder, mxCell) of each cell in the page's <root>."""
    root = model.find("root")
    for child in root if root is not None else []:
        if child.tag == "mxCell":
            yield child.get("id", ""), child, child
        elif child.tag in WRAPPERS and child.find("mxCell") is not None:
            yield child.get("id", ""), child, child.find("mxCell")


def cell_label(holder, cell) -> str:
    """A cell's label as plain text (a label draw.io shows as HTML loses its tags and
    entities: :func:`exporters.drawio_labels.plain_label`)."""
    raw = (holder.get("label") if holder is not cell else cell.get("value")) or ""
    return plain_label(raw, cell.get("style") or "")


def read_node(
    where: str,
    holder,
    style: str,
    label: str,
    process_id: str,
    taken: Ids,
    degree: tuple[int, int] = (0, 0),
) -> Node:
    if holder.get("jm_node"):
        node = validated(where, Node.model_validate_json, holder.get("jm_node"), strict=True)
        if node.id in taken:  # the same step twice: the second gets an id of its own
            node.id = map_id(node.id, taken)
        taken.take(node.id)
        if not (node.label == "" and label == node.id):
            validated(where, setattr, node, "label", label)
        node.process = process_id
        return node
    kind, bpmn_type = shape_kind(style, label, *degree)
    node_id = map_id(holder.get("jm_id") or holder.get("id", ""), taken)
    return validated(
        where,
        Node,
        id=node_id,
        process=process_id,
        kind=kind,
        label=label,
        bpmn_type=bpmn_type,
    )


def read_edge(holder, cell, label: str, source: str, target: str, taken: Ids) -> Edge:
    if holder.get("jm_edge"):
        edge = Edge.model_validate_json(holder.get("jm_edge"), strict=True)
        if edge.id in taken:
            edge.id = map_id(edge.id, taken)
        taken.take(edge.id)
        edge.source, edge.target = source, target
        return edge
    label, conversion = split_share(label)
    kind = edge_kind(cell.get("style") or "")
    edge_id = map_id(holder.get("jm_id") or holder.get("id", ""), taken)
    return Edge(
        id=edge_id, source=source, target=target, kind=kind, label=label, conversion=conversion
    )
