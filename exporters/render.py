"""SVG, PNG and PDF rendered by Graphviz's ``dot`` program, with a timeout.

The PDF of every process has one page per process: ``dot -Tpdf`` writes one
page per run, so each process is rendered alone and the pages are merged with
pypdf. When ``dot`` is not installed a :class:`JourneymapError` says how to get
it; DOT text (:mod:`exporters.dot`) needs no Graphviz.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from models.document import JourneyMap
from models.errors import JourneymapError
from models.storage import write_atomic

from ._labels import processes
from .dot import generate_dot

TIMEOUT_S = 60.0
MAX_DRAWN = 2_000
"""Steps Graphviz draws in one picture: its layout time grows much faster than the map
(1,000 steps take about a second, 2,000 five, 4,000 thirty); a bigger drawing is refused at
once, or left out of the report and the PDF with a note, instead of running into the timeout."""
INSTALL_HINT = (
    "Graphviz's `dot` program is not installed; install it (Debian/Ubuntu: "
    "`sudo apt-get install graphviz`, macOS: `brew install graphviz`, Windows: "
    "https://graphviz.org/download/) or export --format dot instead."
)


def run_dot(source: str, fmt: str, timeout: float = TIMEOUT_S, pinned: bool = False) -> bytes:
    """Render DOT ``source`` with ``dot -T<fmt>`` (``neato -n`` when ``pinned``); the bytes."""
    exe = shutil.which("neato" if pinned else "dot")
    if exe is None:
        raise JourneymapError(INSTALL_HINT)
    args = [exe, "-n"] if pinned else [exe]
    try:
        done = subprocess.run(
            [*args, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise JourneymapError(
            f"Graphviz took longer than {timeout:g} s to draw the map; "
            "export --format dot and render it yourself."
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise JourneymapError(
            "Graphviz could not draw the map: "
            f"{message[0] if message else 'exit status ' + str(done.returncode)}."
        )
    return done.stdout


def _render(doc: JourneyMap, process_id: str | None, fmt: str, options: dict) -> bytes:
    steps = _steps(doc, process_id)
    if steps > MAX_DRAWN:
        what = f"process {process_id!r}" if process_id else "the map"
        raise JourneymapError(
            f"{what} has {steps:,} steps; Graphviz draws up to {MAX_DRAWN:,} in one picture in "
            "reasonable time. Export one process with --process, or the map as draw.io, BPMN "
            "or DOT (which any size can be)."
        )
    pinned = options.get("layout") == "map"
    return run_dot(generate_dot(doc, process_id, **options), fmt, pinned=pinned)


def _steps(doc: JourneyMap, process_id: str | None) -> int:
    if process_id is None:
        return len(doc.nodes)
    return sum(1 for n in doc.nodes if n.process == process_id)


def _too_big_page(doc: JourneyMap, process_id: str, steps: int) -> bytes:
    """A PDF page that says a process is too big to draw (Graphviz renders the sentence)."""
    import graphviz

    name = next(p.name for p in doc.processes if p.id == process_id)
    page = graphviz.Digraph(graph_attr={"label": ""})
    text = (
        f"{name}: {steps:,} steps, more than the {MAX_DRAWN:,} Graphviz draws in one picture.\n"
        "Export this process as draw.io or BPMN to see it."
    )
    page.node("note", graphviz.escape(text), shape="box", style="rounded")
    return run_dot(page.source, "pdf")


def generate_svg(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """SVG of one process, or of every process (clusters of one drawing).

    Option ``layout="map"`` keeps the positions the user gave on the canvas.
    """
    return _render(doc, process_id, "svg", options).decode("utf-8")


def generate_png(doc: JourneyMap, process_id: str | None = None, **options) -> bytes:
    """PNG of one process, or of every process (clusters of one image)."""
    return _render(doc, process_id, "png", options)


def generate_pdf(doc: JourneyMap, process_id: str | None = None, **options) -> bytes:
    """PDF with one page per process (or one page for ``process_id``)."""
    chosen = processes(doc, process_id)
    if len(chosen) <= 1:
        return _render(doc, process_id, "pdf", options)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    sizes: dict[str, int] = {}
    for node in doc.nodes:
        sizes[node.process] = sizes.get(node.process, 0) + 1
    for process in chosen:
        steps = sizes.get(process.id, 0)
        page = (
            _render(doc, process.id, "pdf", options)
            if steps <= MAX_DRAWN
            else _too_big_page(doc, process.id, steps)
        )
        for p in PdfReader(io.BytesIO(page)).pages:
            writer.add_page(p)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_svg(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_svg(doc, process_id).encode("utf-8"))


def write_png(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_png(doc, process_id))


def write_pdf(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_pdf(doc, process_id))
