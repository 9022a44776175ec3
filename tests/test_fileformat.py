"""The file order of schema version 2, and reading every earlier version (issue 19, item 3).

Measured with real git: two people who each add a step and its connection to different
processes of a shipped template merge with no conflict in plain ``git merge``.
"""

from __future__ import annotations

import itertools
import json

import pytest
from gitrepo import Repo, needs_git

from models import dumps_map, loads_map
from models.document import SCHEMA_VERSION, Edge, JourneyMap, Node, Process
from models.editing import MapDocument
from models.fileformat import HISTORY, MIGRATIONS, in_file_order, migrate
from models.templates import load_template, template_names, template_text


def _as_version_1(text: str) -> str:
    """What Journeymap 1 wrote for the same map: layout sorted by id, version 1."""
    data = json.loads(text)
    data["schema_version"] = 1
    layout = data.get("layout", {})
    for part in ("nodes", "group"):
        if part in layout:
            layout[part] = dict(sorted(layout[part].items()))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_every_earlier_version_has_a_migration_and_a_history_line():
    assert set(HISTORY) == set(range(1, SCHEMA_VERSION + 1))
    assert set(MIGRATIONS) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("name", template_names())
def test_a_version_1_file_reads_as_the_same_map_and_saves_as_version_2(name):
    text = template_text(name)
    old = loads_map(_as_version_1(text), f"{name} (version 1)")
    assert old == load_template(name)
    assert old.schema_version == SCHEMA_VERSION
    assert dumps_map(old) == text


def test_a_version_1_file_with_steps_in_drawing_order_is_grouped_by_process_on_save():
    """Version 1 appended new items wherever: the first save groups them, keeping their order."""
    doc = JourneyMap(
        processes=[Process(id="funnel", name="Funnel"), Process(id="cfo", name="CFO")],
        nodes=[
            Node(id="c1", process="cfo", kind="buyer_step"),
            Node(id="f1", process="funnel", kind="entry"),
            Node(id="c2", process="cfo", kind="buyer_step"),
            Node(id="f2", process="funnel"),
        ],
        edges=[
            Edge(id="ec", source="c1", target="c2"),
            Edge(id="ef", source="f1", target="f2"),
            Edge(id="ex", source="f2", target="c2", kind="addresses"),
        ],
    )
    doc.layout.nodes = {"f2": (1, 0), "c1": (0, 1), "f1": (0, 0), "c2": (1, 1)}
    raw = json.loads(dumps_map(doc))
    assert [n["id"] for n in raw["nodes"]] == ["f1", "f2", "c1", "c2"]
    assert [e["id"] for e in raw["edges"]] == ["ef", "ex", "ec"]  # by their source's process
    assert list(raw["layout"]["nodes"]) == ["f1", "f2", "c1", "c2"]
    assert dumps_map(loads_map(dumps_map(doc))) == dumps_map(doc)


def test_migrate_leaves_a_current_file_alone_and_in_file_order_keeps_strays_last():
    raw = {"schema_version": SCHEMA_VERSION, "name": "x"}
    assert migrate(dict(raw)) == raw
    data = {"layout": {"nodes": {"b": [0, 0], "a": [0, 0]}}}  # positions of no node
    assert list(in_file_order(data)["layout"]["nodes"]) == ["a", "b"]


def _add_step(doc: JourneyMap, process: str, suffix: str) -> JourneyMap:
    """A step and the connection to it, added as the editor adds them (at the end of the map)."""
    editing = MapDocument(doc)
    source = [n for n in doc.nodes_of(process) if n.kind not in ("won", "lost")][-1]
    step = Node(id=f"node-{suffix}", process=process, label=f"New step {suffix}")
    editing.add("nodes", step)
    editing.add("edges", Edge(id=f"edge-{suffix}", source=source.id, target=step.id))
    editing.set_position(step.id, (120.0, 480.0))
    return editing.map


@needs_git
@pytest.mark.parametrize("name", template_names())
def test_two_people_adding_a_step_to_different_processes_merge_in_plain_git(name, tmp_path):
    base = load_template(name)
    pairs = list(itertools.combinations([p.id for p in base.processes], 2))
    for index, (ours, theirs) in enumerate(pairs):
        repo = Repo(tmp_path / f"repo{index}")
        repo.commit("map.json", dumps_map(base), "the map")
        repo.git("checkout", "-q", "-b", "theirs")
        repo.commit("map.json", dumps_map(_add_step(load_template(name), theirs, "b")), "b")
        repo.git("checkout", "-q", "main")
        repo.commit("map.json", dumps_map(_add_step(load_template(name), ours, "a")), "a")
        result = repo.merge("theirs")
        assert result.returncode == 0, f"{name}: {ours} + {theirs}: {result.stdout}"
        merged = (repo.folder / "map.json").read_text(encoding="utf-8")
        doc = loads_map(merged, "merged")
        assert {"node-a", "node-b", "edge-a", "edge-b"} <= {
            item.id for item in [*doc.nodes, *doc.edges]
        }
        assert dumps_map(doc) == merged, "the merged file is already canonical"


@needs_git
def test_in_version_1_order_the_same_two_additions_conflicted(tmp_path):
    """Why the order changed: version 1 put both new steps at the end of the same lists."""
    repo = Repo(tmp_path / "repo")
    base = load_template("enterprise")
    repo.commit("map.json", _as_version_1(dumps_map(base)), "the map")
    repo.git("checkout", "-q", "-b", "theirs")
    theirs = _add_step(load_template("enterprise"), "cfo-journey", "b")
    repo.commit("map.json", _as_version_1_appended(theirs), "b")
    repo.git("checkout", "-q", "main")
    ours = _add_step(load_template("enterprise"), "funnel", "a")
    repo.commit("map.json", _as_version_1_appended(ours), "a")
    assert loads_map(_as_version_1_appended(ours)) == ours  # a faithful version 1 file
    assert repo.merge("theirs").returncode != 0
    assert (repo.folder / "map.json").read_text(encoding="utf-8").count("<<<<<<<") == 3


def _as_version_1_appended(doc: JourneyMap) -> str:
    """Version 1's writer: the map's own order (new items last), layout sorted by id."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data = {"format": "journeymap", "schema_version": 1, **data}
    for part in ("nodes", "group"):
        if data.get("layout", {}).get(part):
            data["layout"][part] = dict(sorted(data["layout"][part].items()))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
