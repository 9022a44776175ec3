"""draw.io labels as the plain text a map holds, and the edge labels draw.io keeps in cells.

A draw.io cell whose style says ``html=1`` holds its label as HTML
(``At&nbsp;<div>Destination?</div>``): :func:`plain_label` reads it with the standard
library's HTML parser, so tags go, entities are decoded (``&amp;`` is ``&``, ``&nbsp;`` a
space), and a line break (``<br>``, a new ``<div>``, ``<p>`` or list item) is a new line; spaces
the browser would not show are not kept. A label without ``html=1`` is shown by draw.io as
written, and kept so.

An edge's label may sit in a child cell (``vertex="1"``, ``parent`` the edge, style
``edgeLabel``), as draw.io writes a label dragged along an edge: :func:`edge_label_cells` finds
them so the import gives their text to the edge instead of making a step of each.
"""

from __future__ import annotations

from html.parser import HTMLParser

BREAKS = frozenset(
    {
        "br",
        "div",
        "p",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
    }
)
"""Elements that start a new line (a ``<br>``, or a block before and after its content)."""
SKIPPED = frozenset({"script", "style", "head", "title"})
"""Elements whose text a browser does not show."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.hidden = 0

    def _newline(self) -> None:
        self.lines.append([])

    def handle_starttag(self, tag, attrs) -> None:
        if tag in SKIPPED:
            self.hidden += 1
        elif tag in BREAKS:
            self._newline()

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in BREAKS:
            self._newline()

    def handle_endtag(self, tag) -> None:
        if tag in SKIPPED:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BREAKS and tag != "br":
            self._newline()

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.lines[-1].append(data)

    def text(self) -> str:
        lines = (" ".join("".join(parts).split()) for parts in self.lines)
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """The text a browser shows for ``html``, one line per line break, spaces collapsed.

    >>> html_to_text("At&nbsp;<div>Destination?</div>")
    'At\\nDestination?'
    >>> html_to_text("Fish &amp; chips<br>&lt;b&gt; &#169; <b>bold</b>")
    'Fish & chips\\n<b> © bold'
    >>> html_to_text("<p>  a \\n b </p><script>x()</script>")
    'a b'
    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


def is_html(style: str) -> bool:
    """Whether draw.io shows a cell's label as HTML (``html=1`` in its style)."""
    return "html=1" in style.split(";")


def plain_label(value: str, style: str, *, lines: bool = False) -> str:
    """A cell's label as plain text: HTML read as a browser shows it when the style says
    ``html=1``, else as written; line breaks become spaces unless ``lines``.

    >>> plain_label("At&nbsp;<div>Destination?</div>", "rhombus;whiteSpace=wrap;html=1;")
    'At Destination?'
    >>> plain_label("At&nbsp;<div>Destination?</div>", "rhombus;html=1", lines=True)
    'At\\nDestination?'
    >>> plain_label("a < b &amp; c", "ellipse")
    'a < b &amp; c'
    """
    if not value or not is_html(style):
        return value
    text = html_to_text(value)
    return text if lines else " ".join(text.split("\n"))


def edge_label_cells(cells) -> dict[str, list[str]]:
    """The ids of the cells that are labels on an edge (a vertex whose parent is an edge), by the
    edge's id, in file order. ``cells`` yields ``(id, holder, mxCell)`` as the import reads them.
    """
    edges = {cid for cid, _holder, cell in cells if cell.get("edge") == "1"}
    out: dict[str, list[str]] = {}
    for cid, _holder, cell in cells:
        parent = cell.get("parent") or ""
        if cell.get("vertex") == "1" and parent in edges:
            out.setdefault(parent, []).append(cid)
    return out
