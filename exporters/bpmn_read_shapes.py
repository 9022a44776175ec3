"""Where the shapes of a BPMN file are, for :mod:`exporters.bpmn_import`: each shape's DI
bounds, the lane holding each step (by ``flowNodeRef``, else by geometry) and the position a
step keeps in the map (its own, when the modeller did not move it)."""

from __future__ import annotations

import math

from models.units import some_of

from ._ids import position_pair, usable_position
from .bpmn_types import KIND_OF
from .bpmn_xml import BPMN, BPMNDI, DC, JM


def _local(element) -> str:
    return str(element.tag).rpartition("}")[2]


def shape_bounds(root, skipped: list[str]) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    unusable = []
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        box = shape.find(f"{{{DC}}}Bounds")
        if box is None:
            continue
        try:
            x, y, width, height = (float(box.get(k, "0")) for k in ("x", "y", "width", "height"))
        except ValueError:
            x = y = width = height = math.nan
        if not usable_position(x + width / 2, y + height / 2):
            unusable.append(shape.get("bpmnElement", ""))
            continue
        out[shape.get("bpmnElement", "")] = (x, y, width, height)
    if unusable:
        shown = some_of(unusable)
        skipped.append(
            f"the position of {len(unusable)} shape{'s' if len(unusable) > 1 else ''} "
            f"({shown}): not a finite number on the canvas; those steps were placed on a grid"
        )
    return out


def lanes_of(process, bounds) -> dict[str, tuple[str | None, str | None, str]]:
    """BPMN flow node id -> (jm kind, jm ref, lane name) of the innermost lane holding it: by
    the lanes' ``flowNodeRef``, or when no lane of the process lists any, by the diagram (the
    smallest lane whose bounds hold the shape's centre)."""
    out = {}
    lanes = list(process.iter(f"{{{BPMN}}}lane"))
    for lane in lanes:
        info = (lane.get(f"{{{JM}}}kind"), lane.get(f"{{{JM}}}ref"), lane.get("name") or "")
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            out[(ref.text or "").strip()] = info
    if out or not lanes:
        return out
    boxes = [(bounds[lane.get("id", "")], lane) for lane in lanes if lane.get("id", "") in bounds]
    boxes.sort(key=lambda box: box[0][2] * box[0][3])  # the innermost lane first
    for element in process:
        shape = bounds.get(element.get("id", ""))
        if shape is None or _local(element) not in KIND_OF:
            continue
        cx, cy = shape[0] + shape[2] / 2, shape[1] + shape[3] / 2
        for (x, y, w, h), lane in boxes:
            if x <= cx <= x + w and y <= cy <= y + h:
                out[element.get("id", "")] = (None, None, lane.get("name") or "")
                break
    return out


def kept_position(element, centre: tuple[float, float]) -> tuple[float, float] | None:
    """Where a shape goes in the map: the map's own position (``jm:pos``, none when empty) when
    the DI still draws it where the export did (``jm:drawn``), else the DI's centre (moved in
    the modeller, or a file of another tool)."""
    kept, drawn = element.get(f"{{{JM}}}pos"), position_pair(element.get(f"{{{JM}}}drawn") or "")
    if kept is None or drawn is None:
        return centre
    if abs(drawn[0] - centre[0]) >= 0.5 or abs(drawn[1] - centre[1]) >= 0.5:
        return centre
    return position_pair(kept) if kept else None
