"""HTML report: parsed back with the standard library's HTML parser; no script, no request leaving
the file, a strict CSP, one register row per node, one diagram per process, charts when the
simulation runs."""

from __future__ import annotations

import subprocess
import sys
import types
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import HOSTILE_STRINGS, hostile_map
from interop import SAMPLES, sample_map

from exporters import render, report
from models import simulation
from models.analysis import analyze
from models.errors import JourneymapError

ROOT = Path(__file__).resolve().parents[1]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class Page(HTMLParser):
    """What a browser would see: tags, attributes, register rows, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.classes: list[str] = []
        self.rows: Counter[str] = Counter()  # body rows per table class
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self.classes.append(attrs.get("class", ""))
        if tag == "tr" and self.classes and "tbody" in self.stack:
            self.rows[self.classes[-1]] += 1
        if tag not in (
            "meta",
            "br",
            "rect",
            "path",
            "polygon",
            "ellipse",
            "polyline",
            "text",
            "link",
            "input",
            "img",
            "line",
        ) and not tag.endswith("/"):
            self.stack.append(tag)

    @property
    def register_rows(self) -> int:
        return self.rows["register"]

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "table" and self.classes:
            self.classes.pop()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(
            1
            for t, a in self.tags
            if t == tag and (cls is None or cls in (a.get("class") or "").split())
        )


def check_safe(html: str) -> Page:
    """The safety properties every report must have; the parsed page."""
    page = Page(html)
    assert page.count("script") == 0 and "<script" not in html.lower()
    assert page.count("iframe") == page.count("object") == page.count("embed") == 0
    assert page.count("foreignobject") == 0
    metas = [
        a
        for t, a in page.tags
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert [m["content"] for m in metas] == [CSP]
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "action", "srcset", "data"):
                assert (value or "").startswith("#"), (tag, name, value)
    assert "url(" not in html and "@import" not in html
    return page


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_is_safe_with_one_row_per_node_and_a_diagram_per_process(name, request):
    doc = sample_map(name, request)
    html = report.generate_html(doc)
    page = check_safe(html)
    assert page.register_rows == len(doc.nodes)
    assert page.count("figure", "diagram") == len(doc.processes)
    assert page.count("section", "process") == len(doc.processes)
    assert page.count("div", "finding") == len(analyze(doc))
    assert html == report.generate_html(doc)  # reproducible


def test_hostile_labels_are_text():
    doc = hostile_map()
    html = report.generate_html(doc)
    page = check_safe(html)
    assert page.register_rows == len(doc.nodes)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(page.text)
    for label in {n.label for n in doc.nodes} - {""}:
        if "\r" not in label:  # HTML parsing turns CR into LF, as browsers do
            assert label in text


def test_one_process(request):
    doc = sample_map("template:enterprise", request)
    page = check_safe(report.generate_html(doc, "cfo-journey"))
    assert page.register_rows == len(doc.nodes_of("cfo-journey"))
    assert page.count("figure", "diagram") == 1
    with pytest.raises(JourneymapError, match="no process 'nope'"):
        report.generate_html(doc, "nope")


def test_glossary_criteria_teams_slas_and_print_css(request):
    doc = sample_map("template:enterprise", request)
    html = report.generate_html(doc, diagrams=False)
    page = check_safe(html)
    text = " ".join(page.text)
    for stage in doc.stages:
        assert stage.name in text and stage.on_rejection in text
    for question in doc.criteria[0].questions:
        assert question.text in text
    assert all(t.name in text for t in doc.teams) and all(s.name in text for s in doc.slas)
    assert page.count("table", "glossary") == page.count("table", "slas") == 1
    assert "@media print" in html and "break-before: page" in html
    assert "thead { display: table-header-group; }" in html


def test_without_dot_the_report_says_how_to_install_it(monkeypatch, small_map):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    html = report.generate_html(small_map)
    page = check_safe(html)
    assert page.count("figure", "diagram") == 0
    assert "sudo apt-get install graphviz" in html
    assert page.register_rows == len(small_map.nodes)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><g onclick="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<a xlink:href="https://evil.example/x"><text>t</text></a><image href="http://x/y.png"/>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- x -->\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x)</style></svg>',
    ],
)
def test_inline_svg_keeps_nothing_active(svg):
    out = str(report.inline_svg(svg))
    assert out.startswith("<svg")
    for word in (
        "script",
        "onload",
        "onclick",
        "http://x",
        "https://",
        "foreignObject",
        "DOCTYPE",
        "<?xml",
        "<!--",
        "@import",
    ):
        assert word not in out


def test_inline_svg_refuses_entities():
    with pytest.raises(ValueError):
        report.inline_svg(
            '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
        )


# --- simulation ----------------------------------------------------------------------------------


class _Result:
    def __init__(self, data):
        self.data = data

    def to_dict(self):
        return self.data


class SimulationError(JourneymapError):
    pass


def _fake_simulation(monkeypatch, doc, fail: str = ""):
    """Stand-ins for models.simulation (expected_flow) and models.simulation.compare (compare),
    put in their places."""
    module = types.ModuleType("models.simulation")
    compare_module = types.ModuleType("models.simulation.compare")
    module.SimulationError = SimulationError
    calls = []

    def expected_flow(doc_, process_id=None, scenario=None):
        calls.append(("flow", process_id))
        if fail:
            raise SimulationError(fail)
        return _Result(
            {
                "won": 12.5,
                "lost": 80,
                "revenue": 250000.0,
                "cost": 9000,
                "nodes": {
                    n.id: {"arrivals": 100.0 - i, "dropoff": 1.0} for i, n in enumerate(doc_.nodes)
                },
                "edges": {e.id: 1.0 for e in doc_.edges},
                "stages": {s.id: 1000.0 / (i + 1) for i, s in enumerate(doc_.stages)},
                "bottleneck": doc_.nodes[1].id,
            }
        )

    def compare(doc_, process_id, scenarios):
        calls.append(("compare", process_id, tuple(scenarios)))
        return _Result(
            {
                "scenarios": [
                    {"scenario": s, "won": 10.0 + i, "revenue": 1000.0 * (i + 1)}
                    for i, s in enumerate(scenarios)
                ]
            }
        )

    module.expected_flow, compare_module.compare = expected_flow, compare
    monkeypatch.setitem(sys.modules, "models.simulation", module)
    monkeypatch.setitem(sys.modules, "models.simulation.compare", compare_module)
    return calls


def test_simulation_results_with_charts(monkeypatch, request):
    doc = sample_map("template:enterprise", request)
    calls = _fake_simulation(monkeypatch, doc)
    html = report.generate_html(doc, "funnel", diagrams=False)
    page = check_safe(html)
    assert calls == [
        ("flow", "funnel"),
        ("compare", "funnel", (None, *(s.name for s in doc.scenarios))),
    ]
    charts = page.count("figure", "chart")
    assert charts == 3  # funnel by stage, won by scenario, revenue by scenario
    bars = page.count("rect")
    assert bars == len(doc.stages) + 2 * (len(doc.scenarios) + 1)
    text = " ".join(page.text)
    assert "USD 250,000" in text and "12.5" in text
    assert f"Bottleneck: {doc.nodes[1].label}" in text
    assert "Baseline" in text and all(s.name in text for s in doc.scenarios)
    assert page.rows["flow"] == len(doc.nodes_of("funnel"))
    assert page.rows["comparison"] == len(doc.scenarios) + 1


def test_hostile_names_in_charts_are_text(monkeypatch):
    doc = hostile_map()
    _fake_simulation(monkeypatch, doc)
    html = report.generate_html(doc, diagrams=False)
    check_safe(html)
    assert page_has_chart(html)


def page_has_chart(html: str) -> bool:
    return Page(html).count("figure", "chart") >= 1


def test_a_map_that_cannot_be_simulated_says_why(monkeypatch, small_map):
    _fake_simulation(monkeypatch, small_map, fail="the funnel has a trap loop at 'Nurture'")
    html = report.generate_html(small_map, diagrams=False)
    check_safe(html)
    assert "The map could not be simulated: the funnel has a trap loop at &#39;Nurture&#39;" in html


def test_without_the_simulation_package(monkeypatch, small_map):
    monkeypatch.setitem(sys.modules, "models.simulation", None)  # import raises ImportError
    html = report.generate_html(small_map, diagrams=False)
    assert "Simulation results are not available" in html
    assert 'id="simulation"' not in report.generate_html(
        small_map, diagrams=False, simulation=False
    )


def test_given_results_and_odd_shapes_are_tolerated(small_map):
    html = report.generate_html(
        small_map,
        diagrams=False,
        simulation={
            "flow": {
                "won": 3,
                "stages": [{"stage": "mql", "arrivals": 40}],
                "bottleneck": {"node": "call", "reason": "SDR capacity"},
            },
            "comparison": {"baseline": {"won": 3}, "scenarios": {"More SDRs": {"won": 5}}},
        },
    )
    page = check_safe(html)
    text = " ".join(page.text)
    assert "Bottleneck: SDR capacity" in text
    assert page.count("figure", "chart") == 2 and "More SDRs" in text
    weird = report.generate_html(small_map, diagrams=False, simulation={"flow": {"nodes": 3}})
    assert Page(weird).count("figure", "chart") == 0


class SimulationSection(HTMLParser):
    """The simulation part of a report as a reader sees it: the key figures (title -> shown
    text), and the cells of the per-step table and of the scenario comparison."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {"flow": [], "comparison": []}
        self.notes: list[str] = []
        self._table = self._cell = self._title = None
        self._in_figures = self._in_note = self._in_body = False
        self._text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "ul" and cls == "figures":
            self._in_figures = True
        elif tag == "li" and self._in_figures:
            self._title, self._text = None, ""
        elif tag == "strong" and self._in_figures:
            self._title, self._text = self._text.strip(), ""
        elif tag == "table":
            self._table = cls if cls in self.tables else None
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table and self._in_body:
            self.tables[self._table].append([])
        elif tag == "td" and self._table and self._in_body:
            self._cell, self._text = True, ""
        elif tag == "p" and cls == "note":
            self._in_note, self._text = True, ""

    def handle_endtag(self, tag):
        if tag == "ul":
            self._in_figures = False
        elif tag == "li" and self._in_figures and self._title is not None:
            self.figures[self._title] = self._text.strip()
        elif tag == "td" and self._cell:
            self.tables[self._table][-1].append(self._text)
            self._cell = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None
        elif tag == "p" and self._in_note:
            self.notes.append(self._text)
            self._in_note = False

    def handle_data(self, data):
        self._text += data


def shows(text: str, value: float, unit: str = "") -> bool:
    """Whether ``text`` (say "USD 772,538", "16.1" or "1.11%") reads as ``value`` to the precision
    it is written with."""
    assert text.startswith(unit), (text, unit)
    digits = text[len(unit) :].replace(",", "")
    if digits.endswith("%"):
        digits, value = digits[:-1], value * 100
    written = float(digits)
    places = len(digits.split(".")[1]) if "." in digits and "e" not in digits else 0
    if "e" in digits:  # 1.2e-05: two significant digits
        return written == pytest.approx(value, rel=0.05)
    return abs(written - value) <= 0.5 * 10**-places * (1 + 1e-9) + 1e-12


@pytest.mark.parametrize("name", [s for s in SAMPLES if s.startswith("template:")] + ["hostile"])
def test_with_the_real_simulation(name, request):
    """The report shows the figures models.simulation computes for the map: leads, deals won,
    revenue, leads lost, cost and lead-to-deal rate, each step's arrivals and drop-off, and each
    scenario's deals and revenue next to the baseline's."""
    doc = sample_map(name, request)
    html = report.generate_html(doc, diagrams=False)
    check_safe(html)
    section = SimulationSection(html)
    try:
        flow = simulation.expected_flow(doc).to_dict()
    except simulation.SimulationError as error:
        assert not name.startswith("template:"), error  # every template simulates
        assert section.notes == [f"The map could not be simulated: {error}"]
        assert not section.figures and not section.tables["flow"]
        return
    currency = f"{doc.currency} "
    figures = section.figures
    assert shows(figures["Leads in"], flow["leads"]), figures
    assert shows(figures["Deals won"], flow["won"]), figures
    assert shows(figures["Revenue"], flow["revenue"], currency), figures
    assert shows(figures["Leads lost"], flow["lost"]), figures
    assert shows(figures["Cost"], flow["cost"], currency), figures
    assert shows(figures["Lead to deal"], flow["conversion"]), figures
    if name.startswith("template:"):
        assert flow["won"] > 1 and flow["revenue"] > 1000  # a real funnel, not a row of zeros

    simulated = [n for n in doc.nodes if n.id in flow["nodes"]]
    rows = section.tables["flow"]
    assert [row[0] for row in rows] == [n.label or n.id for n in simulated]
    for node, (_, arrivals, dropoff) in zip(simulated, rows, strict=True):
        assert shows(arrivals, flow["nodes"][node.id]["arrivals"]), (node.id, arrivals)
        assert shows(dropoff, flow["nodes"][node.id]["dropoff"]), (node.id, dropoff)

    comparison = section.tables["comparison"]
    expected = [("Baseline", flow)] + [
        (s.name, simulation.expected_flow(doc, scenario=s.name).to_dict()) for s in doc.scenarios
    ]
    if not doc.scenarios:
        assert comparison == []
        return
    assert [row[0] for row in comparison] == [label for label, _ in expected]
    for (label, result), (_, won, revenue, *_) in zip(expected, comparison, strict=True):
        assert shows(won, result["won"]) and shows(revenue, result["revenue"]), (label, won)
    assert any(result["won"] != flow["won"] for _, result in expected[1:]), (
        "no scenario changes the deals: the comparison could not tell them apart"
    )


def test_hostile_strings_survive_as_findings_text():
    html = report.generate_html(hostile_map(), diagrams=False, simulation=False)
    assert Page(html).count("div", "finding") == len(analyze(hostile_map()))
    assert HOSTILE_STRINGS[5] not in html


def test_write_html(tmp_path, small_map):
    report.write_html(small_map, tmp_path / "r.html", diagrams=False)
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == report.generate_html(
        small_map, diagrams=False
    )


def test_the_report_simulates_after_a_comparison_ran(tmp_path):
    """The editor compares scenarios first (which imports models.simulation.compare), then the
    HTML report is exported: the report's simulation must still run. It failed with "'module'
    object is not callable" when the report asked the package for ``compare``."""
    probe = (
        "import models.simulation.compare, models.simulation.sensitivity\n"
        "from exporters.report import generate_html\n"
        "from models.templates import load_template\n"
        "html = generate_html(load_template('enterprise'), 'funnel', diagrams=False)\n"
        "print('could not be simulated' in html, 'Baseline' in html)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.stdout.split() == ["False", "True"], result.stdout + result.stderr


def test_no_name_the_simulation_package_hands_out_is_one_of_its_modules():
    """The package imports its names lazily; a name that is also a module's is the module as
    soon as anything imports that module, whatever the package meant to hand out."""
    folder = Path(simulation.__file__).parent
    assert [name for name in simulation.__all__ if (folder / f"{name}.py").exists()] == []
