"""draw.io export: passes drawio_check.py, one page per process, model counts, layout kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hostile import HOSTILE_STRINGS, hostile_map
from interop import all_samples, drawio_check, drawn_edges

from exporters._labels import local_edges
from exporters.drawio import generate_drawio, write_drawio
from models.buying_group import group_layout


def test_every_sample_passes_drawio_check_with_model_counts(request, tmp_path):
    files, expected = [], []
    for name, doc in all_samples(request):
        path = tmp_path / f"{name.replace(':', '-')}.drawio"
        write_drawio(doc, path)
        files.append(path)
        pages = [(len(doc.nodes_of(p.id)), len(local_edges(doc, p))) for p in doc.processes]
        if len(doc.processes) > 1:  # first the buying group: lanes, stage titles, every edge
            layout = group_layout(doc)
            shapes = len(layout.lanes) + sum(1 for c in layout.columns if c.stage)
            pages.insert(0, (len(doc.nodes) + shapes, len(drawn_edges(doc))))
        expected.append(pages)
    results = drawio_check(files)
    assert all(r["ok"] for r in results), [r for r in results if not r["ok"]][:2]
    assert [[(p["vertices"], p["edges"]) for p in r["pages"]] for r in results] == expected


def test_hostile_strings_one_by_one(small_map, tmp_path):
    files = []
    for i, text in enumerate(HOSTILE_STRINGS):
        small_map.nodes[1].label = text
        small_map.edges[1].label = text
        small_map.processes[0].name = text
        path = tmp_path / f"h{i}.drawio"
        write_drawio(small_map, path)
        files.append(path)
    results = drawio_check(files)
    assert all(r["ok"] for r in results)
    assert {(r["pages"][0]["vertices"], r["pages"][0]["edges"]) for r in results} == {(5, 4)}


def test_hostile_labels_are_plain_text():
    root = ET.fromstring(generate_drawio(hostile_map()))
    labels = [
        o.get("label")
        for o in root.iter("object")
        if o.get("jm_kind")
        in {"entry", "buyer_step", "action", "decision", "subprocess", "won", "lost"}
    ]
    assert "<script>alert(1)</script>" in labels
    assert all("html=1" not in (c.get("style") or "") for c in root.iter("mxCell"))


def test_styles_and_layout(small_map):
    small_map.layout.nodes.update({"web": (0, 0), "call": (300, 50)})
    root = ET.fromstring(generate_drawio(small_map))
    cells = {o.get("jm_id"): o.find("mxCell") for o in root.iter("object")}
    assert "rhombus" in cells["fit"].get("style")
    assert "ellipse" in cells["web"].get("style") and "ellipse" in cells["won"].get("style")
    assert "fillColor=#f5e6c8" in cells["call"].get("style")

    def centre(cell):
        g = cell.find("mxGeometry")
        return (
            float(g.get("x")) + float(g.get("width")) / 2,
            float(g.get("y")) + float(g.get("height")) / 2,
        )

    (wx, wy), (cx, cy) = centre(cells["web"]), centre(cells["call"])
    assert (cx - wx, cy - wy) == (300, 50)
