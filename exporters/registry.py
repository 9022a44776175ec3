"""Every export and import format, by the name the command line and menus use.

Each format names the module and the pure function that produces it. Modules
are imported only when used, so ``journeymap export --format csv`` never loads
Graphviz or matplotlib. A generator has the signature
``generate_x(doc: JourneyMap, process_id: str | None = None, **options) -> str | bytes``;
``process_id=None`` means every process.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    description: str
    target: str  # "module:function"
    binary: bool = False

    def load(self):
        return _load(self.target)


EXPORTS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("dot", ".dot", "Graphviz DOT source", "exporters.dot:generate_dot"),
        Format("svg", ".svg", "SVG diagram rendered by Graphviz", "exporters.render:generate_svg"),
        Format(
            "png", ".png", "PNG diagram rendered by Graphviz", "exporters.render:generate_png", True
        ),
        Format(
            "pdf",
            ".pdf",
            "PDF, one page per process, rendered by Graphviz",
            "exporters.render:generate_pdf",
            True,
        ),
        Format(
            "mermaid",
            ".mmd",
            "Mermaid flowchart for docs and wikis",
            "exporters.mermaid:generate_mermaid",
        ),
        Format(
            "bpmn", ".bpmn", "BPMN 2.0 XML with diagram interchange", "exporters.bpmn:generate_bpmn"
        ),
        Format(
            "drawio", ".drawio", "draw.io / diagrams.net file", "exporters.drawio:generate_drawio"
        ),
        Format(
            "csv",
            ".csv",
            "action register (nodes) and edges as CSV",
            "exporters.tables:generate_csv",
        ),
        Format(
            "xlsx",
            ".xlsx",
            "action register and edges as an Excel workbook",
            "exporters.tables:generate_xlsx",
            True,
        ),
        Format(
            "html", ".html", "self-contained HTML workshop report", "exporters.report:generate_html"
        ),
        Format("json", ".json", "the native Journeymap map file", "exporters.native:generate_json"),
    ]
}


@dataclass
class ImportResult:
    """A map read from another tool's file, and what could not be brought over."""

    doc: object  # models.document.JourneyMap
    skipped: list[str]


IMPORTS: dict[str, str] = {
    # file extension -> "module:function"; each function is read_x(path: Path) -> ImportResult
    ".csv": "exporters.tables:read_csv",
    ".bpmn": "exporters.bpmn_import:read_bpmn",
    ".xml": "exporters.bpmn_import:read_bpmn",
    ".drawio": "exporters.drawio_import:read_drawio",
    ".xlsx": "exporters.xlsx_import:read_xlsx",
}


def export_to_file(doc, fmt: str, path, process_id: str | None = None) -> list:
    """Write ``doc`` as ``fmt`` to ``path`` atomically; return the files written.

    The one writer behind the menus and ``journeymap export``. CSV writes the
    action register to ``path`` and the edges table beside it.
    """
    from pathlib import Path

    from models.errors import JourneymapError
    from models.storage import write_atomic

    if fmt not in EXPORTS:
        raise JourneymapError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORTS)}")
    if process_id is not None and process_id not in {p.id for p in doc.processes}:
        known = ", ".join(p.id for p in doc.processes) or "none"
        raise JourneymapError(
            f"there is no process {process_id!r} in this map; its processes are: {known}"
        )
    path = Path(path)
    if fmt == "csv":
        from exporters.tables import write_csv

        return list(write_csv(doc, path, process_id))
    data = EXPORTS[fmt].load()(doc, process_id)
    write_atomic(path, data if isinstance(data, bytes) else data.encode("utf-8"))
    return [path]


def import_file(path) -> ImportResult:
    """Read another tool's file (chosen by extension) as a map, with what was skipped."""
    from pathlib import Path

    from models.errors import JourneymapError

    path = Path(path)
    target = IMPORTS.get(path.suffix.lower())
    if target is None:
        hint = (
            " A .json file is already a Journeymap map: open it with `journeymap FILE` or check it with "
            "`journeymap validate FILE`."
            if path.suffix.lower() == ".json"
            else ""
        )
        raise JourneymapError(
            f"cannot import {path}: Journeymap reads {', '.join(sorted(IMPORTS))} files.{hint}"
        )
    return _load(target)(path)


def _load(target: str):
    """The function a "module:function" entry names, imported only now."""
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)
