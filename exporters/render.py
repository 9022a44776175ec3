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
    pinned = options.get("layout") == "map"
    return run_dot(generate_dot(doc, process_id, **options), fmt, pinned=pinned)


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
    for process in chosen:
        page = _render(doc, process.id, "pdf", options)
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
