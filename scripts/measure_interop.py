"""Measure how much of other tools' BPMN and draw.io files survives an import and a round trip.

    python scripts/measure_interop.py DIR [DIR...]   # every .bpmn, .xml and .drawio under DIR
    python scripts/measure_interop.py --json DIR     # the same counts as JSON

For real third-party files (the BPMN MIWG test suite, jgraph's drawio-diagrams): no file is
written. Each file goes through :func:`exporters.registry.import_file` (the reader File ▸ Import
uses, chosen the same way), and a BPMN map is exported again with :func:`generate_bpmn`:

- ``bpmn_nodes``: flow nodes the import made nodes of (matched to the source by id);
- ``bpmn_type_changed``: of those, nodes whose exported element (and event definition) differs
  from the source's, with the most frequent changes in ``bpmn_changes``;
- ``bpmn_id_labels``: exported elements named with an id where the source had no name;
- ``bpmn_refused``: files refused whole, with their messages;
- ``bpmn_lane_files``: files with lanes, and ``bpmn_lane_files_with_teams``: those whose import
  gave the map teams (or buyer roles);
- ``drawio_xml_refused``: ``.xml`` draw.io files refused; ``drawio_html_labels`` and
  ``drawio_entity_labels``: imported labels still holding HTML tags or entities;
- ``drawio_kind_*``: the steps of each kind draw.io shapes became, ``drawio_with_bpmn_type``
  those drawn with a BPMN-library shape (which keep their BPMN element);
- ``drawio_label_cells``: edge labels kept as child cells in the file, and
  ``drawio_label_cells_kept``: how many of those texts reached their edge's label.
"""

from __future__ import annotations

import argparse
import collections
import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exporters.bpmn import generate_bpmn  # noqa: E402
from exporters.bpmn_xml import BPMN  # noqa: E402
from exporters.registry import import_file  # noqa: E402
from models.errors import JourneymapError  # noqa: E402

FLOW_NODES = {
    "task",
    "userTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "scriptTask",
    "businessRuleTask",
    "manualTask",
    "callActivity",
    "subProcess",
    "transaction",
    "adHocSubProcess",
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "exclusiveGateway",
    "inclusiveGateway",
    "parallelGateway",
    "eventBasedGateway",
    "complexGateway",
}
_TAG = re.compile(r"</?(div|br|span|b|i|u|font|p|strike|sup|sub|ul|li|ol|h\d)\b[^<>]*>", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|nbsp|amp|lt|gt|quot|apos);")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _typed(element) -> str:
    """``intermediateCatchEvent:timer``: an element's type and its event definition."""
    local = _local(element.tag)
    for child in element:
        name = _local(child.tag)
        if name.endswith("EventDefinition"):
            return f"{local}:{name.removesuffix('EventDefinition')}"
    return local


def _flow_nodes(root) -> dict[str, tuple[str, str]]:
    """Every flow node of the file by id: (type, name); an id several elements share (an
    invalid file) is left out, as no comparison by id can tell them apart."""
    out = {}
    shared = set()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{BPMN}}}"):
            if _local(element.tag) in FLOW_NODES and element.get("id"):
                if element.get("id") in out:
                    shared.add(element.get("id"))
                out[element.get("id")] = (_typed(element), element.get("name") or "")
    return {k: v for k, v in out.items() if k not in shared}


def _parse(path: Path):
    try:
        return ET.parse(path).getroot()
    except ET.ParseError:
        return None


def measure(paths: list[Path]) -> dict:
    counts: collections.Counter = collections.Counter()
    changes: collections.Counter = collections.Counter()
    refused: list[str] = []
    for path in paths:
        root = _parse(path)
        if root is None:
            counts["unreadable"] += 1
            continue
        kind = _local(root.tag)
        if kind == "definitions":
            counts["bpmn_files"] += 1
            _bpmn(path, root, counts, changes, refused)
        elif kind in ("mxfile", "mxGraphModel"):
            counts["drawio_files"] += 1
            _drawio(path, counts, refused)
    return {
        **dict(sorted(counts.items())),
        "bpmn_changes": dict(changes.most_common(12)),
        "refused": refused,
    }


def _bpmn(path: Path, root, counts, changes, refused) -> None:
    source = _flow_nodes(root)
    counts["bpmn_source_nodes"] += len(source)
    try:
        result = import_file(path)
    except JourneymapError as error:
        counts["bpmn_refused"] += 1
        refused.append(str(error)[:300])
        return
    out = ET.fromstring(generate_bpmn(result.doc))
    exported = _flow_nodes(out)
    by_source_id = {}
    for element_id, value in exported.items():
        by_source_id[element_id.removeprefix("Node_")] = value
    named_ids = {node.id for node in result.doc.nodes}
    keys = collections.Counter(_ID_BAD.sub("_", element_id)[:70] for element_id in source)
    for element_id, (was, name) in source.items():
        key = _ID_BAD.sub("_", element_id)[:70]  # the map id the import made of it
        if key not in by_source_id or keys[key] > 1:  # long ids alike in their first 70
            continue
        counts["bpmn_nodes"] += 1
        now, out_name = by_source_id[key]
        if now != was:
            counts["bpmn_type_changed"] += 1
            changes[f"{was} -> {now}"] += 1
        if not name and out_name and out_name in named_ids:
            counts["bpmn_id_labels"] += 1
    counts["bpmn_nodes_imported"] += len(result.doc.nodes)
    counts["bpmn_edges_imported"] += len(result.doc.edges)
    if any(True for _ in root.iter(f"{{{BPMN}}}lane")):
        counts["bpmn_lane_files"] += 1
        counts["bpmn_lane_files_with_teams"] += bool(result.doc.teams or result.doc.roles)


def _drawio(path: Path, counts, refused) -> None:
    cells = _label_cells(path)
    counts["drawio_label_cells"] += len(cells)
    try:
        result = import_file(path)
    except JourneymapError as error:
        counts["drawio_refused"] += 1
        if path.suffix.lower() == ".xml":
            counts["drawio_xml_refused"] += 1
        refused.append(str(error)[:300])
        return
    counts["drawio_nodes"] += len(result.doc.nodes)
    counts["drawio_edges"] += len(result.doc.edges)
    counts["drawio_edges_labelled"] += sum(1 for e in result.doc.edges if e.label)
    for node in result.doc.nodes:
        counts[f"drawio_kind_{node.kind}"] += 1
        counts["drawio_with_bpmn_type"] += bool(getattr(node, "bpmn_type", ""))
    for node in result.doc.nodes:
        if _TAG.search(node.label):
            counts["drawio_html_labels"] += 1
        if _ENTITY.search(node.label):
            counts["drawio_entity_labels"] += 1
    labels = " \n".join(e.label for e in result.doc.edges)
    counts["drawio_label_cells_kept"] += sum(1 for text in cells if text and text in labels)


def _label_cells(path: Path) -> list[str]:
    """The plain text of every edge-label cell of a plain (uncompressed) draw.io file."""
    root = _parse(path)
    out = []
    for model in root.iter("mxGraphModel") if root is not None else []:
        cells = {c.get("id"): c for c in model.iter("mxCell")}
        for cell in cells.values():
            parent = cells.get(cell.get("parent") or "")
            if cell.get("vertex") == "1" and parent is not None and parent.get("edge") == "1":
                value = html.unescape(re.sub(r"<[^>]*>|&nbsp;", " ", cell.get("value") or ""))
                out.append(" ".join(value.split())[:20])
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    paths = sorted(
        p
        for d in args.dirs
        for p in d.rglob("*")
        if p.is_file() and p.suffix.lower() in (".bpmn", ".xml", ".drawio")
    )
    found = measure(paths)
    if args.json:
        print(json.dumps(found, indent=1))
    else:
        for key, value in found.items():
            if key != "refused":
                print(f"{key}: {value}")
        print(f"refused: {len(found['refused'])}")
        for line in collections.Counter(
            re.sub(r"^.*?\.(bpmn|xml|drawio): ", "", m)[:110] for m in found["refused"]
        ).most_common(8):
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
