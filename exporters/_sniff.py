"""Which XML format a file holds, by its root element, whatever its extension says.

A ``.xml`` file may be BPMN 2.0 (``<bpmn:definitions>``) or draw.io (``<mxfile>``,
``<mxGraphModel>``): the import reads up to the root element's start tag and no further, so a
file of any size costs its first few kilobytes. Nothing is expanded: a file declaring a DTD
gets no answer here, and the reader its extension names refuses it in its own words.
"""

from __future__ import annotations

import xml.parsers.expat
from pathlib import Path

CHUNK = 16 * 1024
MAX_PROLOGUE = 1024 * 1024
"""Bytes read at most before the root element: comments and processing instructions may precede it."""


class _Found(Exception):
    def __init__(self, name: str | None) -> None:
        self.name = name


def xml_root(path: Path) -> str | None:
    """The local name of the file's root element (``"mxfile"``, ``"definitions"``), or None when
    the file does not start as XML, declares a DTD, or cannot be read.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     p = Path(folder) / "a.xml"
    ...     _ = p.write_text('<?xml version="1.0"?><!-- x --><bpmn:definitions xmlns:bpmn="u"/>')
    ...     q = Path(folder) / "b.xml"
    ...     _ = q.write_text("name,kind")
    ...     xml_root(p), xml_root(q)
    ('definitions', None)
    """
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, _attributes) -> None:
        raise _Found(name.rpartition(":")[2])

    def doctype(*_args) -> None:
        raise _Found(None)

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        with open(path, "rb") as stream:
            read = 0
            while read < MAX_PROLOGUE:
                chunk = stream.read(CHUNK)
                if not chunk:
                    return None
                read += len(chunk)
                parser.Parse(chunk, False)
    except _Found as found:
        return found.name
    except (OSError, xml.parsers.expat.ExpatError):
        return None
    return None
