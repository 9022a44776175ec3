"""draw.io import: our own files without loss, foreign plain and compressed pages, capped."""

from __future__ import annotations

import base64
import urllib.parse
import zlib

import pytest
from hostile import hostile_map
from interop import SAMPLES, TOOLS, sample_map

from exporters import drawio_import
from exporters.drawio import generate_drawio, write_drawio
from exporters.drawio_import import read_drawio
from models.errors import JourneymapError


def _by_id(items):
    return sorted(items, key=lambda item: item.id)


def _compress(xml: str) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(urllib.parse.quote(xml).encode()) + c.flush()).decode()


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_keeps_nodes_edges_labels_conversions(name, request, tmp_path):
    doc = sample_map(name, request)
    write_drawio(doc, tmp_path / "map.drawio")
    result = read_drawio(tmp_path / "map.drawio")
    assert result.skipped == []
    back = result.doc
    assert _by_id(back.nodes) == _by_id(doc.nodes)
    assert _by_id(back.edges) == _by_id(doc.edges)  # those between processes too
    assert back.processes == doc.processes


def test_hostile_round_trip_and_compressed_pages(tmp_path):
    import xml.etree.ElementTree as ET

    doc = hostile_map()
    root = ET.fromstring(generate_drawio(doc))
    for diagram in root.iter("diagram"):
        model = diagram.find("mxGraphModel")
        diagram.remove(model)
        diagram.text = _compress(ET.tostring(model, encoding="unicode"))
    (tmp_path / "c.drawio").write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")
    back = read_drawio(tmp_path / "c.drawio").doc
    assert _by_id(back.nodes) == _by_id(doc.nodes)
    assert _by_id(back.edges) == _by_id(doc.edges)


@pytest.mark.parametrize("fixture", ["valid.drawio", "valid-compressed.drawio"])
def test_foreign_files(fixture):
    result = read_drawio(TOOLS / "fixtures" / "drawio" / fixture)
    kinds = {n.label: n.kind for n in result.doc.nodes}
    assert kinds["Qualified?"] == "decision" and kinds["Need identified"] == "entry"
    assert kinds["Deal won"] == "won" and kinds["Deal lost"] == "lost"
    assert len(result.doc.edges) >= 5
    assert {t.name for t in result.doc.teams} == {"Buyer", "Sales"}
    owners = {n.label: n.owner for n in result.doc.nodes}
    assert owners["Research options"] == "Buyer" and owners["Qualified?"] == "Sales"
    assert result.skipped == []


def test_decompression_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(drawio_import, "MAX_PAGE_BYTES", 1000)
    bomb = "<mxGraphModel><root>" + "<!-- x -->" * 10_000 + "</root></mxGraphModel>"
    (tmp_path / "bomb.drawio").write_text(
        f'<mxfile><diagram name="p">{_compress(bomb)}</diagram></mxfile>', encoding="utf-8"
    )
    with pytest.raises(JourneymapError, match="page 1 inflates to more than 1,000 bytes"):
        read_drawio(tmp_path / "bomb.drawio")


def test_pages_over_the_total_are_refused_before_any_is_parsed(tmp_path, monkeypatch):
    """Each page under the cap of one page, all of them over the cap of every page together: the
    file is refused before Journeymap parses a page (12 pages of 18 MB took 149 s and 4.9 GB)."""
    monkeypatch.setattr(drawio_import, "MAX_PAGE_BYTES", 100_000)
    monkeypatch.setattr(drawio_import, "MAX_TOTAL_BYTES", 250_000)
    page = "<mxGraphModel><root>" + "<!-- x -->" * 4_000 + "</root></mxGraphModel>"  # 80 KB
    pages = "".join(f'<diagram name="p{i}">{_compress(page)}</diagram>' for i in range(4))
    (tmp_path / "pages.drawio").write_text(f"<mxfile>{pages}</mxfile>", encoding="utf-8")
    parsed = []
    real = drawio_import.parse_untrusted
    monkeypatch.setattr(
        drawio_import, "parse_untrusted", lambda *a: parsed.append(a[2]) or real(*a)
    )
    with pytest.raises(JourneymapError, match="inflate to more than 250,000 bytes together"):
        read_drawio(tmp_path / "pages.drawio")
    assert parsed == ["the file"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><mxfile>&x;</mxfile>', "DTD"),
        ("<mxfile", "not well-formed"),
        ("<svg/>", "not a draw.io file"),
        (
            '<mxfile><diagram name="p">!!notbase64</diagram></mxfile>',
            "page 1 cannot be decompressed .*; save the diagram again from draw.io",
        ),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, content, message):
    (tmp_path / "bad.drawio").write_text(content, encoding="utf-8")
    with pytest.raises(JourneymapError, match=message):
        read_drawio(tmp_path / "bad.drawio")


def test_a_file_whose_map_data_was_dropped_says_what_did_not_come_back(tmp_path):
    """A tool that drops the diagram's data (jm_map) loses the map's own parts: the import lists
    them and adds the teams, stages, criteria and roles the steps name, so nothing dangles."""
    import re

    from models.integrity import structural_problems
    from models.templates import load_template

    doc = load_template("enterprise")
    text = re.sub(
        r'<object id="0" label="" jm_map="[^"]*"( jm_group="[^"]*")?>\s*<mxCell />\s*</object>',
        '<mxCell id="0" />',
        generate_drawio(doc),
        count=1,
    )
    assert "jm_map" not in text
    (tmp_path / "dropped.drawio").write_text(text, encoding="utf-8")
    result = read_drawio(tmp_path / "dropped.drawio")
    notes = "\n".join(result.skipped)
    assert "jm_map was removed" in notes and "SLAs and scenarios" in notes
    back = result.doc
    named = {n.owner for n in back.nodes if n.owner} | {n.stage for n in back.nodes if n.stage}
    defined = {t.id for t in back.teams} | {s.id for s in back.stages}
    assert named <= defined and not back.slas and not back.scenarios
    assert structural_problems(back) == []
    assert _by_id(back.nodes) == _by_id(doc.nodes)  # the steps themselves come back whole
