"""Run the independent export checkers of ../shared/tools from tests.

The Node checkers (bpmn-moddle, mermaid) need npm packages: :func:`node_dir`
installs them once into ``.cache/interop`` (gitignored) with
``npm install --prefix`` and skips the calling test cleanly when Node or npm is
not available or the install fails (offline machine). The bpmn-js rendering
check (:func:`bpmn_render`) also needs Chromium from the system and is skipped
without it. The Python checkers
(OMG XSD with lxml + xmlschema, drawio_check.py) and ``dot`` run directly.
Each function returns the checker's JSON objects, one per file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tests" / "interop_kit" / "tools"  # vendored copy of ../shared/tools
CACHE = ROOT / ".cache" / "interop"
NPM_PACKAGES = ["bpmn-moddle", "mermaid@11", "jsdom"]
RENDER_CACHE = ROOT / ".cache" / "interop-render"
RENDER_PACKAGES = ["bpmn-js@18", "puppeteer-core"]  # Chromium comes from the system
TIMEOUT_S = 300


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def _run(args: list[str], cwd: Path | None = None, env: dict | None = None) -> list[dict]:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, env=env
    )
    if done.returncode == 2:
        raise AssertionError(f"checker failed to run: {' '.join(args)}\n{done.stderr}")
    return _json_lines(done.stdout)


def node_dir() -> Path:
    """The folder holding node_modules with the npm checkers' packages (installed once)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm not installed: bpmn-moddle and mermaid checks skipped")
    wanted = [p.rsplit("@", 1)[0] if not p.startswith("@") else p for p in NPM_PACKAGES]
    if all((CACHE / "node_modules" / name / "package.json").exists() for name in wanted):
        return CACHE
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", *NPM_PACKAGES],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("npm install of the interop checkers timed out (offline?)")
    if done.returncode != 0:
        pytest.skip(f"npm install of the interop checkers failed: {done.stderr.strip()[-300:]}")
    return CACHE


def _npm_install(folder: Path, packages: list[str]) -> Path:
    """``folder`` with ``packages`` installed in its node_modules (once); skips the test when
    Node or npm is missing or the install fails."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm not installed")
    wanted = [p.rsplit("@", 1)[0] if not p.startswith("@") else p for p in packages]
    if all((folder / "node_modules" / name / "package.json").exists() for name in wanted):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", *packages],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"npm install of {', '.join(packages)} timed out (offline?)")
    if done.returncode != 0:
        pytest.skip(f"npm install of {', '.join(packages)} failed: {done.stderr.strip()[-300:]}")
    return folder


def bpmn_render(paths: list[Path]) -> list[dict]:
    """bpmn-js, the viewer of bpmn.io and Camunda Modeler, importing each file in headless
    Chromium (``bpmn_render_check.mjs``): objects with ``ok``, ``warnings``, ``notRendered``
    and ``rendered`` counts per element type. Skips without Chromium (``apt-get install
    chromium``) or when bpmn-js and puppeteer-core cannot be installed into
    ``.cache/interop-render``."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("Chromium not installed: the bpmn-js rendering check is skipped")
    cwd = _npm_install(RENDER_CACHE, RENDER_PACKAGES)
    env = {**os.environ, "CHROMIUM": chromium}
    return _run(["node", str(TOOLS / "bpmn_render_check.mjs"), *map(str, paths)], cwd, env)


def mermaid_sizes(paths: list[Path]) -> list[dict]:
    """Each Mermaid file rendered by mermaid in headless Chromium (``mermaid_size.mjs``): objects
    with the drawing's ``width`` and ``height``. Skips without Chromium, as :func:`bpmn_render`."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("Chromium not installed: the Mermaid rendering check is skipped")
    mermaid_js = node_dir() / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    cwd = _npm_install(RENDER_CACHE, RENDER_PACKAGES)
    env = {
        **os.environ,
        "CHROMIUM": chromium,
        "RENDER_DIR": str(cwd),
        "MERMAID_JS": str(mermaid_js),
    }
    script = str(Path(__file__).with_name("mermaid_size.mjs"))
    return _run(["node", script, *map(str, paths)], cwd, env)


def bpmn_xsd(paths: list[Path]) -> list[dict]:
    """OMG BPMN 2.0 XSD validation (lxml and xmlschema): objects with ``valid``."""
    return _run([sys.executable, str(TOOLS / "bpmn_xsd_validate.py"), *map(str, paths)])


def bpmn_moddle(paths: list[Path]) -> list[dict]:
    """bpmn-moddle (bpmn.io's reader): objects with ``ok`` and ``warnings``."""
    cwd = node_dir()
    return _run(["node", str(TOOLS / "bpmn_check.mjs"), *map(str, paths)], cwd=cwd)


def drawio_check(paths: list[Path]) -> list[dict]:
    """drawio_check.py structural lint: objects with ``ok`` and per-page counts."""
    return _run([sys.executable, str(TOOLS / "drawio_check.py"), *map(str, paths)])


def mermaid_check(paths: list[Path]) -> list[dict]:
    """mermaid.parse(): objects with ``ok`` and ``diagramType``."""
    cwd = node_dir()
    return _run(["node", str(TOOLS / "mermaid_check.mjs"), *map(str, paths)], cwd=cwd)


def mermaid_counts(paths: list[Path]) -> list[dict]:
    """Vertices and edges mermaid's flowchart parser builds from each file."""
    cwd = node_dir()
    return _run(
        ["node", str(Path(__file__).with_name("mermaid_counts.mjs")), *map(str, paths)], cwd=cwd
    )


def dot_json(source: str) -> dict:
    """Graphviz's own parse of DOT text (``dot -Tjson``); fails the test if dot refuses it."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` not installed")
    done = subprocess.run(
        ["dot", "-Tjson"], input=source, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def dot_counts(source: str) -> tuple[int, int]:
    """(nodes, edges) of DOT text as Graphviz reads it (clusters not counted as nodes)."""
    graph = dot_json(source)
    nodes = [o for o in graph.get("objects", []) if "nodes" not in o and "edges" not in o]
    return len(nodes), len(graph.get("edges", []))


SAMPLES = [
    "small",
    "generated",
    "hostile",
    "buying-group",
    "template:saas-trial",
    "template:enterprise",
    "template:channel",
    "template:plugged-funnel",
]
"""Maps every diagram format is checked on: use with :func:`sample_map`. "buying-group" has
edges between processes (company actions serving other roles' steps)."""


def sample_map(name: str, request) -> object:
    """The map called ``name`` in :data:`SAMPLES`."""
    from hostile import hostile_map

    from models.generate import generate_funnel
    from models.templates import load_template

    if name == "small":
        return request.getfixturevalue("small_map")
    if name == "generated":
        return generate_funnel(30, 45, seed=3, recycle_share=0.1)
    if name == "hostile":
        return hostile_map()
    if name == "buying-group":
        from group_map import buying_group_map

        return buying_group_map()
    return load_template(name.split(":", 1)[1])


def drawn_edges(doc, process_id=None) -> list:
    """The edges an export of one process (or of every process, None) holds: both ends in it,
    so with every process also the edges between two processes."""
    ids = {n.id for n in doc.nodes if process_id in (None, n.process)}
    return [e for e in doc.edges if e.source in ids and e.target in ids]


def all_samples(request):
    """Every map of :data:`SAMPLES`, as (name, map)."""
    for name in SAMPLES:
        yield name, sample_map(name, request)
