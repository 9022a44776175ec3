"""Routing connections around steps, headless: every template, the buying group, hard cases."""

from __future__ import annotations

import math
import random

import pytest

from models import Edge, JourneyMap, Layout, Node, Process, route_neato, route_types
from models import routing as routing_module
from models.buying_group import group_layout
from models.route_geometry import BOX, DIAMOND, ELLIPSE, clip_centres
from models.route_types import Link, Step
from models.routing import label_text, route, route_edges, steps_of
from models.templates import load_template, template_names
from tests.routing_checks import bezier_points, label_problems, passes_through


def _check(doc: JourneyMap, routing, positions=None, below: float = 0.0, process=None) -> list[str]:
    """Every problem an onlooker would see on the page of ``process`` (every process: None): a
    path through a step, a label on a label, on a step or on an arrow's tip."""
    where = positions if positions is not None else doc.layout.nodes
    steps = {
        n.id: {"x": where[n.id][0], "y": where[n.id][1], "kind": n.kind, "below": below}
        for n in doc.nodes
        if n.id in where and process in (None, n.process)
    }
    edges = {e.id: e for e in doc.edges}
    problems, labels, tips = [], {}, {}
    for edge_id, found in routing.routes.items():
        edge = edges[edge_id]
        path = bezier_points(found.points) if found.curved else list(found.points)
        if edge.kind != "addresses":  # the arrow head: its tip and back corners (10.6 px a side)
            (x, y), (bx, by) = path[-1], next(p for p in reversed(path) if p != path[-1])
            ux, uy = (x - bx) / math.hypot(x - bx, y - by), (y - by) / math.hypot(x - bx, y - by)
            back = (x - ux * 9.2, y - uy * 9.2)
            tips[edge_id] = [(x, y), (back[0] - uy * 5.3, back[1] + ux * 5.3)]
            tips[edge_id].append((back[0] + uy * 5.3, back[1] - ux * 5.3))
        problems += [
            f"{edge_id} passes under {n}"
            for n in passes_through(path, steps, (edge.source, edge.target))
        ]
        if found.label_at is not None:
            width, height = routing_module.label_size(label_text(edge.conversion))
            x, y = found.label_at
            labels[edge_id] = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
    problems += [
        f"{a} on the arrow of {b}"
        for a, (left, top, right, bottom) in labels.items()
        for b, points in tips.items()
        if any(left < x < right and top < y < bottom for x, y in points)
    ]
    return problems + label_problems(labels, steps)


CASES = [(name, p.id) for name in template_names() for p in load_template(name).processes]


@pytest.mark.parametrize(("name", "process_id"), CASES)
def test_no_connection_of_a_template_passes_under_a_step_and_no_label_covers_anything(
    name, process_id
):
    doc = load_template(name)
    routing = route_edges(doc, process_id)
    inside = {n.id for n in doc.nodes if n.process == process_id}
    assert {e.id for e in doc.edges if e.source in inside and e.target in inside} == set(
        routing.routes
    )
    assert _check(doc, routing, process=process_id) == []
    assert routing.blocked == [] and routing.crowded == []


@pytest.mark.parametrize("name", template_names())
def test_the_buying_group_page_is_routed_too_links_between_lanes_included(name):
    doc = load_template(name)
    positions = dict(group_layout(doc).positions)
    positions.update(doc.layout.group)
    routing = route_edges(doc, None, positions=positions)
    assert len(routing.routes) == len(doc.edges)  # those between lanes too
    assert _check(doc, routing, positions) == [] and routing.blocked == []


@pytest.mark.parametrize("name", template_names())
def test_with_the_flow_line_under_each_step_nothing_crosses_it(name):
    doc = load_template(name)
    for process in doc.processes:
        routing = route_edges(doc, process.id, below=16.0)
        assert _check(doc, routing, below=16.0, process=process.id) == [], process.id


def _row(*edges, positions=None) -> JourneyMap:
    positions = positions or {"a": (0, 0), "b": (230, 0), "c": (460, 0)}
    return JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[Node(id=n, process="p", label=n.upper()) for n in positions],
        edges=[Edge(id=f"{s}{t}", source=s, target=t) for s, t in edges],
        layout=Layout(nodes=positions),
    )


def test_a_connection_past_the_next_step_goes_around_it_and_the_labels_part():
    doc = _row(("a", "b"), ("b", "c"), ("a", "c"))
    routing = route_edges(doc, "p")
    around = routing.routes["ac"]
    assert around.curved and not around.straight
    assert _check(doc, routing) == []
    assert routing.routes["ab"].straight and routing.routes["bc"].straight


def test_two_connections_between_the_same_steps_are_drawn_apart():
    doc = _row(("a", "b"), ("b", "a"), positions={"a": (0, 0), "b": (400, 0)})
    routing = route_edges(doc, "p")
    there, back = routing.routes["ab"], routing.routes["ba"]
    assert there.curved and back.curved
    middle = [bezier_points(r.points)[len(bezier_points(r.points)) // 2][1] for r in (there, back)]
    assert abs(middle[0] - middle[1]) >= 8  # apart, not one on the other
    assert _check(doc, routing) == []


def test_a_step_below_its_source_on_a_crowded_row_gets_a_side_to_side_line():
    # the straight line from a to d would clip b's corner; out of a's side it passes clear
    doc = _row(("a", "d"), positions={"a": (0, 0), "b": (230, 0), "d": (260, 150)})
    routing = route_edges(doc, "p")
    assert _check(doc, routing) == []


def test_without_neato_a_connection_past_a_step_goes_through_the_gaps(monkeypatch):
    monkeypatch.setattr(route_neato.shutil, "which", lambda name: None)
    doc = _row(("a", "b"), ("b", "c"), ("a", "c"))
    routing = route_edges(doc, "p")
    around = routing.routes["ac"]
    assert not around.curved and not around.straight and len(around.points) >= 3
    pieces = zip(around.points, around.points[1:], strict=False)
    assert all(x1 == x2 or y1 == y2 for (x1, y1), (x2, y2) in pieces)  # right angles
    assert _check(doc, routing) == [] and routing.blocked == [] and routing.note == ""


def test_a_connection_with_no_way_around_is_listed_and_the_note_says_why(monkeypatch):
    monkeypatch.setattr(route_neato.shutil, "which", lambda name: None)
    # c is covered on every side by two steps dropped on it
    positions = {"a": (0, 0), "c": (460, 0), "b1": (460, 10), "b2": (460, -10)}
    doc = _row(("a", "c"), positions=positions)
    routing = route_edges(doc, "p")
    assert routing.blocked == ["ac"]
    assert routing.note.startswith("1 connection passes under a step: ")
    assert "neato is not installed" in routing.note and "apt-get install graphviz" in routing.note


def test_a_crowd_of_steps_is_passed_through_the_gaps_not_given_to_neato(monkeypatch):
    # a recycle from the last column of an 8 x 10 grid back to the first: near 20 steps
    positions = {f"s{c}{r}": (c * 230, r * 120) for c in range(8) for r in range(10)}
    doc = _row(("s79", "s00"), positions=positions)
    calls = []
    real = route_neato.subprocess.Popen
    monkeypatch.setattr(
        route_neato.subprocess, "Popen", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    routing = route_edges(doc, "p")
    assert calls == [] and routing.graphs == 0
    back = routing.routes["s79s00"]
    assert not back.curved and _check(doc, routing) == [] and routing.blocked == []


def test_a_route_that_neato_cannot_start_stops_when_cancelled():
    doc = _row(("a", "b"), ("b", "c"), ("a", "c"))
    steps = routing_module.steps_of(doc, "p")
    links = [Link(e.id, e.source, e.target, (30.0, 18.0)) for e in doc.edges]
    routing = route(steps, links, cancelled=lambda: True)
    assert routing.graphs == 0 and routing.routes == {}


def test_a_route_is_a_pure_function_of_the_positions():
    doc = load_template("enterprise")
    first = route_edges(doc, None, positions=group_layout(doc).positions)
    again = route_edges(doc, None, positions=group_layout(doc).positions)
    assert first.routes == again.routes


def test_the_router_sees_steps_as_the_canvas_draws_them():
    from app.gui.canvas.geometry import clip_line, shape_code
    from app.gui.common.shapes import DIAMOND_RISE, KIND_SHAPES, NODE_HEIGHT, NODE_WIDTH

    assert (route_types.NODE_WIDTH, route_types.NODE_HEIGHT) == (NODE_WIDTH, NODE_HEIGHT)
    assert route_types.DIAMOND_RISE == DIAMOND_RISE
    for kind in KIND_SHAPES:
        assert routing_module.SHAPES.get(kind, BOX) == shape_code(kind)
    rng = random.Random(4)
    outline = {
        code: (code, NODE_WIDTH / 2, NODE_HEIGHT / 2, 32 / 38) for code in (BOX, DIAMOND, ELLIPSE)
    }
    for _ in range(200):
        a, b = rng.choice([BOX, DIAMOND, ELLIPSE]), rng.choice([BOX, DIAMOND, ELLIPSE])
        ends = [rng.uniform(-600, 600) for _ in range(4)]
        assert clip_centres(*ends, outline[a], outline[b]) == pytest.approx(clip_line(*ends, a, b))


def test_links_to_steps_not_given_are_left_out_and_a_map_with_nothing_routes():
    assert route([], []).routes == {}
    steps = [Step("a", 0, 0), Step("b", 300, 0)]
    routing = route(steps, [Link("ab", "a", "b"), Link("ax", "a", "x"), Link("aa", "a", "a")])
    assert list(routing.routes) == ["ab"]


def test_steps_of_reads_where_the_map_places_its_steps():
    doc = _row()
    assert [(s.id, s.x) for s in steps_of(doc, "p")] == [("a", 0.0), ("b", 230.0), ("c", 460.0)]
