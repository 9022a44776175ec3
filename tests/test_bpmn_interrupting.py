"""A non-interrupting BPMN event keeps its meaning through Journeymap (issue 18).

A boundary event with ``cancelActivity="false"`` (drawn dashed: "send a reminder every two days
while the task runs") leaves its task running; an event sub-process's start event with
``isInterrupting="false"`` leaves the process running. Both came back interrupting after an
import and an export, which changes what the model says. The MIWG files under
tests/fixtures/interop/bpmn hold both (A.3.0, C.9.2, IBM Process Designer, Trisotech)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from interop import bpmn_moddle, bpmn_xsd

from exporters.bpmn import generate_bpmn
from exporters.bpmn_import import read_bpmn
from exporters.bpmn_xml import BPMN
from exporters.drawio import generate_drawio
from exporters.drawio_import import read_drawio
from models.document import Edge, JourneyMap, Node, Process
from models.storage import dumps_map, loads_map

FIXTURES = Path(__file__).parent / "fixtures" / "interop" / "bpmn"
ATTRIBUTE = {"boundaryEvent": "cancelActivity", "startEvent": "isInterrupting"}


def _marks(root) -> dict[str, tuple[str, str | None]]:
    """Every boundary and start event by id (without the export's ``Node_``): its tag and what
    it says of interrupting (None: nothing, BPMN's default, which interrupts)."""
    out = {}
    for element in root.iter():
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if tag in ATTRIBUTE:
            out[element.get("id", "").removeprefix("Node_")] = (tag, element.get(ATTRIBUTE[tag]))
    return out


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Reference--A.3.0.bpmn", 1),  # a non-interrupting message boundary event
        ("Reference--C.9.2.bpmn", 3),  # three non-interrupting event sub-process starts
        ("IBM-Process-Designer--A.3.0-export.bpmn", 1),  # attachedToRef as a QName
        # six; one sits on a step of another pool (invalid BPMN), so it is refused and listed
        ("Trisotech-Visio--B.2.0-export.bpmn", 5),
    ],
)
def test_a_non_interrupting_event_comes_back_non_interrupting(name, kept, tmp_path):
    source = _marks(ET.parse(FIXTURES / name).getroot())
    doc = read_bpmn(FIXTURES / name).doc
    exported = _marks(ET.fromstring(generate_bpmn(doc)))
    back = {k: v for k, v in exported.items() if k in source}
    non_interrupting = {k for k, (_tag, said) in source.items() if said == "false"}
    assert {k for k, (_tag, said) in back.items() if said == "false"} <= non_interrupting
    assert len([k for k in non_interrupting if back.get(k) == source[k]]) == kept
    # the default writes nothing: no attribute on an event that interrupts
    assert {said for _tag, said in exported.values()} <= {None, "false"}
    # Journeymap's own round trips keep it (even off its step): jm: data, map file, draw.io
    (tmp_path / "again.bpmn").write_text(generate_bpmn(doc), encoding="utf-8")
    assert _interrupting(read_bpmn(tmp_path / "again.bpmn").doc) == _interrupting(doc)
    assert _interrupting(loads_map(dumps_map(doc))) == _interrupting(doc)
    (tmp_path / "map.drawio").write_text(generate_drawio(doc), encoding="utf-8")
    assert _interrupting(read_drawio(tmp_path / "map.drawio").doc) == _interrupting(doc)
    assert dumps_map(doc).count('"bpmn_interrupting": false') == len(non_interrupting)


def _interrupting(doc: JourneyMap) -> dict[str, bool]:
    return {node.id: node.bpmn_interrupting for node in doc.nodes}


def _reminder_map(interrupting: bool, attached: bool = True) -> JourneyMap:
    return JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[
            Node(id="review", process="p", label="Review the contract"),
            Node(
                id="remind",
                process="p",
                label="Every 2 days",
                bpmn_type="boundaryEvent:timer",
                bpmn_interrupting=interrupting,
            ),
            Node(id="mail", process="p", label="Send a reminder"),
        ],
        edges=([Edge(id="on", source="review", target="remind")] if attached else [])
        + [Edge(id="then", source="remind", target="mail")],
    )


def test_the_reminder_is_written_dashed_and_an_interrupting_one_writes_nothing(tmp_path):
    files = []
    for interrupting in (False, True):
        text = generate_bpmn(_reminder_map(interrupting))
        (boundary,) = ET.fromstring(text).iter(f"{{{BPMN}}}boundaryEvent")
        assert boundary.get("attachedToRef") == "Node_review"
        assert boundary.get("cancelActivity") == (None if interrupting else "false")
        files.append(tmp_path / f"interrupting-{interrupting}.bpmn")
        files[-1].write_text(text, encoding="utf-8")
    assert "bpmn_interrupting" not in dumps_map(_reminder_map(True))  # maps keep their bytes
    # off its step it is a catch event, which BPMN allows no cancelActivity; the step still
    # remembers, and is written dashed again once it is back on a step
    detached = _reminder_map(False, attached=False)
    text = generate_bpmn(detached)
    assert "<bpmn:intermediateCatchEvent" in text and "cancelActivity" not in text
    files.append(tmp_path / "detached.bpmn")
    files[-1].write_text(text, encoding="utf-8")
    assert not read_bpmn(files[-1]).doc.node("remind").bpmn_interrupting
    assert [r for r in bpmn_xsd(files) if not r["valid"]] == []
    assert [r for r in bpmn_moddle(files) if not r["ok"] or r.get("warnings")] == []


def test_an_event_made_non_interrupting_in_the_modeller_wins_over_the_journeymap_data(
    tmp_path,
):
    text = generate_bpmn(_reminder_map(True))
    edited = text.replace(
        'attachedToRef="Node_review"', 'attachedToRef="Node_review" cancelActivity="false"'
    )
    (tmp_path / "edited.bpmn").write_text(edited, encoding="utf-8")
    assert not read_bpmn(tmp_path / "edited.bpmn").doc.node("remind").bpmn_interrupting
    (tmp_path / "same.bpmn").write_text(generate_bpmn(_reminder_map(False)), encoding="utf-8")
    undone = (tmp_path / "same.bpmn").read_text("utf-8").replace(' cancelActivity="false"', "")
    (tmp_path / "undone.bpmn").write_text(undone, encoding="utf-8")
    assert read_bpmn(tmp_path / "undone.bpmn").doc.node("remind").bpmn_interrupting
