"""SVG, PNG and PDF drawn by the real `dot`; a clear error when it is missing."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from hostile import hostile_map
from interop import SAMPLES, drawn_edges, sample_map
from pypdf import PdfReader

from exporters import render
from models.errors import JourneymapError

pytestmark = pytest.mark.needs_dot
SVG = "{http://www.w3.org/2000/svg}"


def _svg_counts(svg: str) -> tuple[int, int]:
    root = ET.fromstring(svg)
    groups = [g.get("class") for g in root.iter(f"{SVG}g")]
    return groups.count("node"), groups.count("edge")


@pytest.mark.parametrize("name", SAMPLES)
def test_svg_png_pdf_of_every_sample(name, request, tmp_path):
    doc = sample_map(name, request)
    expected = (len(doc.nodes), len(drawn_edges(doc)))  # the edges between processes too
    assert _svg_counts(render.generate_svg(doc)) == expected
    assert render.generate_png(doc).startswith(b"\x89PNG\r\n\x1a\n")
    pdf = render.generate_pdf(doc)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(doc.processes)


def test_pdf_of_one_process_is_one_page():
    pdf = render.generate_pdf(hostile_map(), "end")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_hostile_svg_has_no_script_element():
    svg = render.generate_svg(hostile_map())
    assert not list(ET.fromstring(svg).iter(f"{SVG}script"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_writers(tmp_path, small_map):
    render.write_svg(small_map, tmp_path / "a.svg")
    render.write_png(small_map, tmp_path / "a.png")
    render.write_pdf(small_map, tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.png", "a.svg"]


def test_missing_dot_says_how_to_install(monkeypatch, small_map):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(JourneymapError, match="apt-get install graphviz.*graphviz.org/download"):
        render.generate_svg(small_map)


def test_timeout_is_reported(small_map):
    with pytest.raises(JourneymapError, match="longer than"):
        render.run_dot("digraph { a -> b }", "svg", timeout=1e-6)


def test_map_layout_keeps_the_canvas_positions(small_map):
    small_map.layout.nodes.update(
        {"web": (0, 0), "call": (400, 0), "fit": (400, 300), "won": (0, 300), "lost": (800, 300)}
    )
    root = ET.fromstring(render.generate_svg(small_map, layout="map"))
    centres = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            title = g.find(f"{SVG}title").text
            shape = next(e for e in g.iter() if e.tag in (f"{SVG}ellipse", f"{SVG}polygon"))
            if shape.tag == f"{SVG}ellipse":
                centres[title] = (float(shape.get("cx")), float(shape.get("cy")))
            else:
                xs = [float(p.split(",")[0]) for p in shape.get("points").split()]
                ys = [float(p.split(",")[1]) for p in shape.get("points").split()]
                centres[title] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    web, call, fit, won = centres["n0"], centres["n1"], centres["n2"], centres["n3"]
    assert call[0] - web[0] == pytest.approx(400, abs=1)
    assert fit[1] - call[1] == pytest.approx(300, abs=1)
    assert won[0] == pytest.approx(web[0], abs=1)
    pdf = render.generate_pdf(hostile_map(), layout="map")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
