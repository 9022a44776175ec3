"""Read draw.io / diagrams.net files (plain or compressed pages) into a map.

This module reads the file and its pages; :mod:`exporters.drawio_pages` makes the map from
them (a process per page, steps, edges, teams and positions; the buying-group page's edges
between processes) and :mod:`exporters.drawio_cells` reads each cell.

Compressed pages (base64 of raw DEFLATE of URL-encoded XML) are inflated with a
cap of :data:`MAX_PAGE_BYTES` each and :data:`MAX_TOTAL_BYTES` together, all of them before
any is parsed; a file whose pages would inflate beyond either is refused.
XML is parsed with defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
import zlib
from pathlib import Path

from pydantic import ValidationError

from models.errors import JourneymapError
from models.storage import IMPORT_LIMIT, read_input

from ._xmlread import parse_untrusted, refused_value
from .drawio_cells import Refused
from .drawio_pages import read_pages
from .import_result import ImportResult

MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = IMPORT_LIMIT
"""Compressed pages inflate to at most this much together (a plain file may be as large)."""


def inflate_page(text: str, limit: int | None = None) -> str:
    """Decode a compressed draw.io page, refusing more than ``limit`` bytes of output
    (default :data:`MAX_PAGE_BYTES`).

    >>> import base64, zlib, urllib.parse
    >>> c = zlib.compressobj(9, zlib.DEFLATED, -15)
    >>> raw = c.compress(urllib.parse.quote("<mxGraphModel/>").encode()) + c.flush()
    >>> inflate_page(base64.b64encode(raw).decode())
    '<mxGraphModel/>'
    >>> inflate_page(base64.b64encode(raw).decode(), limit=5)
    Traceback (most recent call last):
    ...
    ValueError: the page inflates to more than 5 bytes
    """
    return decode_page(inflate_bytes(text, limit))


def inflate_bytes(text: str, limit: int | None = None) -> bytes:
    """A compressed page's bytes (base64, then raw DEFLATE), at most ``limit`` of them."""
    limit = MAX_PAGE_BYTES if limit is None else limit
    raw = base64.b64decode(text.strip(), validate=False)
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(raw, limit + 1)
    if len(data) > limit or inflater.unconsumed_tail:
        raise ValueError(f"the page inflates to more than {limit} bytes")
    return data


def decode_page(data: bytes) -> str:
    """An inflated page as XML text: UTF-8, URL-decoded when draw.io encoded it.

    >>> decode_page(b"%3CmxGraphModel%20a%3D%22%C3%A9%22%2F%3E")
    '<mxGraphModel a="é"/>'
    """
    decoded = data.decode("utf-8")
    if not decoded.lstrip().startswith("<"):
        decoded = urllib.parse.unquote(decoded)
    return decoded


def _parse(data, path: Path, what: str):
    return parse_untrusted(data, path, what, "save the diagram again from draw.io")


def read_drawio(path: Path) -> ImportResult:
    """Read a .drawio file into a :class:`JourneyMap`, one process per page."""
    path = Path(path)
    data = read_input(path, max_bytes=IMPORT_LIMIT)
    root = _parse(data, path, "the file")
    if root.tag == "mxGraphModel":
        pages = [("Page-1", None, root)]
    elif root.tag == "mxfile":
        pages = []
        diagrams = root.findall("diagram")
        inflated = _inflate_all(path, diagrams)  # every page checked against the caps first
        for i, diagram in enumerate(diagrams):
            model = diagram.find("mxGraphModel")
            if i in inflated:
                try:
                    text = decode_page(inflated.pop(i))
                except UnicodeDecodeError as error:
                    raise _undecompressed(path, i, error) from None
                model = _parse(text, path, f"page {i + 1}")
            if model is None:
                continue
            pages.append((diagram.get("name") or f"Page-{i + 1}", diagram, model))
    else:
        raise JourneymapError(
            f"{path}: this is not a draw.io file (the root element is <{root.tag}>, not <mxfile>)."
        )
    if not pages:
        raise JourneymapError(
            f"{path}: the file holds no page with a diagram, so there is nothing to import; "
            "save the diagram again from draw.io."
        )
    try:
        return read_pages(pages)
    except ValidationError as error:
        raise refused_value(path, error) from None
    except Refused as refusal:
        raise JourneymapError(f"{path}: {refusal}.") from None


def _inflate_all(path: Path, diagrams: list) -> dict[int, bytes]:
    """Each compressed page's bytes by page index, all inflated before any is parsed: a file
    whose pages pass a cap is refused before Journeymap spends time and memory on the XML."""
    inflated: dict[int, bytes] = {}
    total = 0
    for i, diagram in enumerate(diagrams):
        if diagram.find("mxGraphModel") is not None or not (diagram.text or "").strip():
            continue
        left = MAX_TOTAL_BYTES - total  # every page together, as well as each one
        limit = min(MAX_PAGE_BYTES, left)
        try:
            inflated[i] = inflate_bytes(diagram.text, limit)
        except ValueError as error:
            if "inflates to more than" not in str(error):
                raise _undecompressed(path, i, error) from None
            if limit < MAX_PAGE_BYTES:
                raise JourneymapError(
                    f"{path}: its compressed pages inflate to more than "
                    f"{_mb(MAX_TOTAL_BYTES)} together (page {i + 1} passes the limit), more than "
                    "Journeymap reads; split the diagram into several files."
                ) from None
            raise JourneymapError(
                f"{path}: page {i + 1} inflates to more than {_mb(MAX_PAGE_BYTES)}, more than "
                "Journeymap reads in one page; split that page into several."
            ) from None
        except (binascii.Error, zlib.error) as error:
            raise _undecompressed(path, i, error) from None
        total += len(inflated[i])
    return inflated


def _mb(size: int) -> str:
    """A cap as a user reads it.

    >>> _mb(20 * 2**20), _mb(1000)
    ('20 MB', '1,000 bytes')
    """
    return f"{size // 2**20:,} MB" if size >= 2**20 else f"{size:,} bytes"


def _undecompressed(path: Path, index: int, error: Exception) -> JourneymapError:
    return JourneymapError(
        f"{path}: page {index + 1} cannot be decompressed ({error}); "
        "save the diagram again from draw.io."
    )
