"""The shipped templates: valid, canonical, built by scripts/build_templates.py, and teaching."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from models import dumps_map, load_map
from models.templates import load_template, template_names, template_text

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["channel", "enterprise", "plugged-funnel", "saas-trial"]


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_templates", ROOT / "scripts" / "build_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_four_templates_ship():
    assert template_names() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_template_is_canonical_and_matches_its_builder(name):
    text = template_text(name)
    doc = load_template(name)
    assert dumps_map(doc) == text, "templates are written by dumps_map"
    assert dumps_map(_builder().TEMPLATES[name]()) == text, "run: python scripts/build_templates.py"


@pytest.mark.parametrize("name", NAMES)
def test_template_is_laid_out_and_has_volumes(name):
    doc = load_template(name)
    assert set(doc.layout.nodes) == {n.id for n in doc.nodes}, "every node has a position"
    entries = [
        n for n in doc.nodes if n.kind == "entry" and doc.process(n.process).kind != "subprocess"
    ]
    assert entries and all(n.volume for n in entries)
    for edge in doc.edges:
        if edge.kind == "flow":
            assert edge.conversion is not None, edge.id
    for node in doc.nodes:
        assert len(node.label) <= 40, node.label
        if node.kind == "action" and not node.description.startswith("Deliberate gap"):
            assert node.owner and node.call_to_action and node.technology, node.id
            assert node.motivations and node.concerns, node.id


def test_enterprise_has_the_buying_group_funnel_criteria_and_slas():
    doc = load_template("enterprise")
    assert {r.kind for r in doc.roles} == {"champion", "economic_buyer", "it_approver", "cfo"}
    assert {p.role for p in doc.processes if p.kind == "buyer"} == {r.id for r in doc.roles}
    assert [s.name for s in doc.stages] == ["Lead", "MQL", "SAL", "SQL", "Opportunity", "Customer"]
    assert {q.category for q in doc.criteria[0].questions} == {
        "budget",
        "authority",
        "need",
        "timing",
        "custom",
    }
    slas = {s.id: s for s in doc.slas}
    assert slas["sla-mql-volume"].leads_per_rep == 300
    follow_up = slas["sla-follow-up"]
    assert (follow_up.response_hours, follow_up.attempts, follow_up.attempt_window_days) == (
        8,
        5,
        14,
    )
    unreachable = [e for e in doc.edges if e.kind == "recycle" and e.source == "unreachable"]
    assert unreachable and unreachable[0].target == "nurture"


def test_saas_trial_opens_the_free_trial_subprocess_and_addresses_each_step():
    doc = load_template("saas-trial")
    sub = next(n for n in doc.nodes if n.kind == "subprocess")
    assert doc.process(sub.subprocess).kind == "subprocess"
    addressed = {e.target for e in doc.edges if e.kind == "addresses"}
    steps = {n.id for n in doc.nodes if n.kind in ("buyer_step", "subprocess")}
    assert steps <= addressed


def test_plugged_funnel_reproduces_the_case_and_the_fix_triples_deals():
    builder = _builder()
    doc = load_template("plugged-funnel")
    assert doc.period == "quarter"
    baseline = builder.expected_won(doc, "funnel")
    fixed = builder.expected_won(doc, "funnel", doc.scenario("fix"))
    assert 1.5 <= baseline <= 2.5  # 4 deals in two quarters
    assert doc.node("inquiries").volume == 1000  # 2,000 inquiries in two quarters
    assert doc.scenario("fix").entry_volume["inquiries"] == 100  # 90% fewer
    assert 2.5 <= fixed / baseline <= 3.5  # about three times the deals
    assert doc.node("won").deal_value == 250000


@pytest.mark.parametrize("name", NAMES)
def test_new_from_template_then_validate(tmp_path, name):
    out = tmp_path / f"{name}.json"
    made = subprocess.run(
        [sys.executable, "-m", "app", "new", "--template", name, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert load_map(out) == load_template(name)
    checked = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("name", NAMES)
def test_template_matches_the_published_json_schema(name):
    import json

    import jsonschema

    schema = json.loads((ROOT / "resources" / "journeymap.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(template_text(name)), schema)
