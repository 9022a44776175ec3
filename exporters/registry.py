"""Every file format Journeymap writes or reads: one :class:`Format` record each, in :data:`FORMATS`.

A record says everything about its format: the name ``--format`` and the menus use, its file
extensions, a description, the function that writes it and the one that reads it (as
``"module:function"``, imported only when used, so ``journeymap export --format csv`` never loads
Graphviz or matplotlib), whether it is binary, and which File ▸ Export submenus offer it. The
Export menu, the Import dialog's filter and the command line's help and choices are all made from
these records, so adding a format is one module plus one line here.

A writer has the signature
``generate_x(doc: JourneyMap, process_id: str | None = None, **options) -> str | bytes``
(``process_id=None`` means every process); a reader ``read_x(path: Path) -> ImportResult``.
:func:`export_to_file` and :func:`import_file` are the one writer and the one reader behind the
menus and the command line.

>>> [f.name for f in exports_for("process")]
['svg', 'png', 'pdf', 'bpmn', 'drawio', 'mermaid', 'dot']
>>> import_extensions()
['.xlsx', '.csv', '.bpmn', '.xml', '.drawio']
>>> import_for("From Camunda.XML").name, can_import("map.json")
('bpmn', False)
>>> export_for("notes.htm").name
'html'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from models.document import JourneyMap

from .import_result import ImportResult

__all__ = [
    "EXPORTS",
    "FORMATS",
    "IMPORTS",
    "Format",
    "ImportResult",
    "Scope",
    "can_import",
    "export_for",
    "export_to_file",
    "exports_for",
    "file_filter",
    "import_extensions",
    "import_file",
    "import_for",
    "import_formats",
    "in_words",
]

Scope = Literal["process", "map"]
"""An Export submenu: the process in the current tab, or the whole map."""
PROCESS: tuple[Scope, ...] = ("process",)
MAP: tuple[Scope, ...] = ("map",)
BOTH: tuple[Scope, ...] = ("process", "map")


@dataclass(frozen=True)
class Format:
    """One file format and everything the menus, the command line and the writers need."""

    name: str
    """What ``--format`` and the menus call it: ``"bpmn"``."""
    extensions: tuple[str, ...]
    """Lower case with the dot; exports write the first, every one names the format."""
    description: str
    """Says what the file holds, for menus and file dialogs."""
    title: str
    """The short name in a sentence: ``"BPMN"``, ``"draw.io"``."""
    writer: str | None = None
    """``"module:function"`` producing the file's content, or None when Journeymap cannot write it."""
    reader: str | None = None
    """``"module:function"`` reading such a file into an :class:`ImportResult`, or None."""
    binary: bool = False
    """bytes, not text (never written to standard output)."""
    scopes: tuple[Scope, ...] = ()
    """The File ▸ Export submenus offering it."""
    file_writer: str | None = None
    """``"module:function"`` ``write_x(doc, path, process_id) -> list[Path]`` for a format that
    writes more than one file (CSV writes the edges next to the register); None: the writer's
    content goes to the one path."""
    roots: tuple[str, ...] = ()
    """For an XML format: the local names its files' root element has. An XML file goes to the
    format its root names, whatever its extension (a draw.io ``.xml`` is read as draw.io)."""

    @property
    def extension(self) -> str:
        """The extension exports write."""
        return self.extensions[0]

    def load(self) -> Callable[..., str | bytes]:
        """The writer function, imported now."""
        if self.writer is None:
            raise ValueError(f"Journeymap does not write {self.name} files")
        return _load(self.writer)

    def load_reader(self) -> Callable[[Path], ImportResult]:
        """The reader function, imported now."""
        if self.reader is None:
            raise ValueError(f"Journeymap does not read {self.name} files")
        return _load(self.reader)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format(
            "html",
            (".html", ".htm"),
            "self-contained HTML workshop report",
            "HTML",
            writer="exporters.report:generate_html",
            scopes=MAP,
        ),
        Format(
            "svg",
            (".svg",),
            "SVG diagram rendered by Graphviz",
            "SVG",
            writer="exporters.render:generate_svg",
            scopes=PROCESS,
        ),
        Format(
            "png",
            (".png",),
            "PNG diagram rendered by Graphviz",
            "PNG",
            writer="exporters.render:generate_png",
            binary=True,
            scopes=PROCESS,
        ),
        Format(
            "pdf",
            (".pdf",),
            "PDF, one page per process, rendered by Graphviz",
            "PDF",
            writer="exporters.render:generate_pdf",
            binary=True,
            scopes=BOTH,
        ),
        Format(
            "xlsx",
            (".xlsx",),
            "action register and edges as an Excel workbook",
            "Excel",
            writer="exporters.tables:generate_xlsx",
            reader="exporters.xlsx_import:read_xlsx",
            binary=True,
            scopes=MAP,
        ),
        Format(
            "csv",
            (".csv",),
            "action register (nodes) and edges as CSV",
            "CSV",
            writer="exporters.tables:generate_csv",
            reader="exporters.csv_import:read_csv",
            scopes=MAP,
            file_writer="exporters.tables:write_csv",
        ),
        Format(
            "bpmn",
            (".bpmn", ".xml"),
            "BPMN 2.0 XML with diagram interchange",
            "BPMN",
            writer="exporters.bpmn:generate_bpmn",
            reader="exporters.bpmn_import:read_bpmn",
            scopes=BOTH,
            roots=("definitions",),
        ),
        Format(
            "drawio",
            (".drawio",),
            "draw.io / diagrams.net file",
            "draw.io",
            writer="exporters.drawio:generate_drawio",
            reader="exporters.drawio_import:read_drawio",
            scopes=BOTH,
            roots=("mxfile", "mxGraphModel"),
        ),
        Format(
            "mermaid",
            (".mmd", ".mermaid"),
            "Mermaid flowchart for docs and wikis",
            "Mermaid",
            writer="exporters.mermaid:generate_mermaid",
            scopes=BOTH,
        ),
        Format(
            "dot",
            (".dot", ".gv"),
            "Graphviz DOT source",
            "DOT",
            writer="exporters.dot:generate_dot",
            scopes=BOTH,
        ),
        Format(
            "json",
            (".json",),
            "the native Journeymap map file",
            "JSON",
            writer="exporters.native:generate_json",
            scopes=MAP,
        ),
    ]
}
"""Every format by name, in the order the menus and the help list them."""

V = TypeVar("V")


class _View(Mapping[str, V]):
    """A read-only mapping computed from :data:`FORMATS` whenever it is read, so it never
    goes stale (a test may register a format of its own)."""

    def __init__(self, build: Callable[[], dict[str, V]]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> V:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


EXPORTS: Mapping[str, Format] = _View(
    lambda: {f.name: f for f in FORMATS.values() if f.writer is not None}
)
"""The formats Journeymap writes, by name."""


def _by_extension() -> dict[str, Format]:
    readers: dict[str, Format] = {}
    for f in FORMATS.values():
        if f.reader is not None:
            for extension in f.extensions:
                readers.setdefault(extension, f)  # the first format claiming an extension wins
    return readers


IMPORTS: Mapping[str, Format] = _View(_by_extension)
"""The formats Journeymap reads, by file extension (``".xml"`` -> the BPMN format)."""


def exports_for(scope: Scope) -> list[Format]:
    """The formats the File ▸ Export submenu ``scope`` offers, in menu order."""
    return [f for f in EXPORTS.values() if scope in f.scopes]


def export_for(path: str | Path) -> Format | None:
    """The format a file name says to write (``x.gv`` is DOT), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in EXPORTS.values() if suffix in f.extensions), None)


def import_for(path: str | Path) -> Format | None:
    """The format that reads ``path``, chosen by its extension (any case), or None."""
    return IMPORTS.get(Path(path).suffix.lower())


def can_import(path: str | Path) -> bool:
    """Whether :func:`import_file` reads ``path`` (by its extension; the file is not opened)."""
    return import_for(path) is not None


def import_formats() -> list[Format]:
    """The formats :func:`import_file` reads, in registry order."""
    return [f for f in FORMATS.values() if f.reader is not None]


def import_extensions() -> list[str]:
    """Every extension :func:`import_file` reads, in registry order."""
    return list(IMPORTS)


def in_words(formats: Iterable[Format]) -> str:
    """The formats' titles as a sentence lists them.

    >>> in_words([FORMATS["bpmn"], FORMATS["drawio"], FORMATS["csv"]])
    'BPMN, draw.io or CSV'
    """
    titles = [f.title for f in formats]
    return " or ".join([", ".join(titles[:-1]), titles[-1]]) if len(titles) > 1 else "".join(titles)


def file_filter(formats: Iterable[Format], title: str | None = None) -> str:
    """A file dialog's filter: every format's extensions together under ``title`` (when given),
    then each format on its own, then all files.

    >>> print(file_filter([FORMATS["svg"]]))
    SVG diagram rendered by Graphviz (*.svg);;All files (*)
    >>> print(file_filter([FORMATS["bpmn"], FORMATS["drawio"]], "Diagrams").replace(";;", "\\n"))
    Diagrams (*.bpmn *.xml *.drawio)
    BPMN 2.0 XML with diagram interchange (*.bpmn *.xml)
    draw.io / diagrams.net file (*.drawio)
    All files (*)
    """
    formats = list(formats)
    entries = [f"{f.description} ({_patterns(f.extensions)})" for f in formats]
    if title is not None:
        everything = _patterns(e for f in formats for e in f.extensions)
        entries.insert(0, f"{title} ({everything})")
    return ";;".join([*entries, "All files (*)"])


def _patterns(extensions: Iterable[str]) -> str:
    return " ".join(f"*{e}" for e in extensions)


def export_to_file(
    doc: JourneyMap, fmt: str, path: str | Path, process_id: str | None = None
) -> list[Path]:
    """Write ``doc`` as ``fmt`` to ``path`` atomically; return the files written.

    The one writer behind the menus and ``journeymap export``. CSV writes the
    action register to ``path`` and the edges table beside it.
    """
    from models.errors import JourneymapError
    from models.storage import write_atomic

    format_ = EXPORTS.get(fmt)
    if format_ is None:
        raise JourneymapError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORTS)}")
    if process_id is not None and process_id not in {p.id for p in doc.processes}:
        known = ", ".join(p.id for p in doc.processes) or "none"
        raise JourneymapError(
            f"there is no process {process_id!r} in this map; its processes are: {known}"
        )
    path = Path(path)
    if format_.file_writer is not None:
        return list(_load(format_.file_writer)(doc, path, process_id))
    data = format_.load()(doc, process_id)
    write_atomic(path, data if isinstance(data, bytes) else data.encode("utf-8"))
    return [path]


def import_file(path: str | Path) -> ImportResult:
    """Read another tool's file as a map, with what was skipped: the format its extension
    names, or for an XML file the one its root element names (:func:`sniffed`)."""
    from models.errors import JourneymapError

    path = Path(path)
    format_ = import_for(path)
    if format_ is None:
        hint = (
            " A .json file is already a Journeymap map: open it with `journeymap FILE` or check it with "
            "`journeymap validate FILE`."
            if path.suffix.lower() == ".json"
            else ""
        )
        raise JourneymapError(
            f"cannot import {path}: Journeymap reads {', '.join(sorted(import_extensions()))} "
            f"files.{hint}"
        )
    return sniffed(path, format_).load_reader()(path)


def sniffed(path: Path, format_: Format) -> Format:
    """The format that reads ``path``: for an XML format's file, the format whose ``roots``
    name its root element (a ``.xml`` holding ``<mxfile>`` is draw.io); else ``format_``."""
    if not format_.roots:
        return format_
    from ._sniff import xml_root

    root = xml_root(path)
    if root is None or root in format_.roots:
        return format_
    return next((f for f in import_formats() if root in f.roots), format_)


def _load(target: str) -> Any:
    """The function a ``"module:function"`` entry names, imported only now."""
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)
