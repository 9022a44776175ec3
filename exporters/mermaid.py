"""Mermaid flowchart (``flowchart LR``) for docs and wikis: a subgraph per process when there
are several, each left to right too (``direction LR``: a subgraph otherwise lays its process
out top to bottom), with the links between processes (the buying group) drawn across them.

Node ids are generated (``n0``, ``n1``...), so reserved words such as ``end``
and odd characters in the map's ids never reach the parser. Labels are always
double-quoted with every character outside a safe set written as a Mermaid
entity code (``#quot;``, ``#60;``...), so no label can end its string.

>>> from models.document import JourneyMap, Process, Node, Edge
>>> m = JourneyMap(processes=[Process(id="p", name="P")],
...                nodes=[Node(id="end", process="p", kind="entry", label='Say "hi"'),
...                       Node(id="b", process="p", kind="won")],
...                edges=[Edge(id="e", source="end", target="b", conversion=0.3)])
>>> print(generate_mermaid(m, "p"))  # doctest: +ELLIPSIS
flowchart LR
    n0(["Say #quot;hi#quot;"])
    n1((("b")))
    n0 -->|"30%"| n1
...
"""

from __future__ import annotations

import re
from pathlib import Path

from models.document import JourneyMap
from models.storage import write_atomic

from ._labels import CROSS_COLOR, FILL, edge_text, node_text, select

_SAFE_ASCII = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _.,:?/%()'+=!*-")
_CODES = {
    code: "#quot;" if code == 34 else "<br/>" if code == 10 else f"#{code};"
    for code in range(0xA0)
    if chr(code) not in _SAFE_ASCII
}
"""What each unsafe character below U+00A0 becomes; U+00A0 to U+FFFF are written as they are."""
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
"""Characters past U+FFFF, written as codes too."""

SHAPES = {
    "entry": ('(["', '"])'),
    "buyer_step": ('("', '")'),
    "action": ('["', '"]'),
    "decision": ('{"', '"}'),
    "subprocess": ('[["', '"]]'),
    "won": ('((("', '")))'),
    "lost": ('((("', '")))'),
}
ARROW = {"flow": "-->", "recycle": "-.->", "addresses": "-.-", "message": "o-.->"}
"""Each edge kind's link: a message as BPMN draws a message flow (a circle at the start,
dashed: :data:`MESSAGE_STYLE`)."""
MESSAGE_STYLE = "stroke-dasharray:8 4"


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: unsafe characters as ``#code;``, line breaks as <br/>.

    >>> mermaid_text('a "b" <c>')
    'a #quot;b#quot; #60;c#62;'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CODES)
    return (
        _ASTRAL.sub(lambda match: f"#{ord(match.group())};", text) if _ASTRAL.search(text) else text
    )


def generate_mermaid(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """A Mermaid flowchart of one process, or of every process as subgraphs (in the buying-group
    page's lane order) with the links between them, drawn dotted in :data:`CROSS_COLOR`."""
    chosen = select(doc, process_id)
    several = len(chosen.processes) > 1
    order = chosen.in_lane_order(doc) if several else chosen.processes
    lines = ["flowchart LR"]
    ids: dict[str, str] = {}
    by_kind: dict[str, list[str]] = {}
    for i, process in enumerate(order):
        indent = "    "
        if several:
            lines.append(f'    subgraph p{i}["{mermaid_text(process.name)}"]')
            lines.append("        direction LR")  # else each process draws top to bottom
            indent = "        "
        for node in chosen.nodes[process.id]:
            gid = ids.setdefault(node.id, f"n{len(ids)}")
            by_kind.setdefault(node.kind, []).append(gid)
            left, right = SHAPES.get(node.kind, ('["', '"]'))
            text = mermaid_text(node_text(node)) or " "  # mermaid refuses an empty label
            lines.append(f"{indent}{gid}{left}{text}{right}")
        if several:
            lines.append("    end")
    links = [edge for process in order for edge in chosen.edges[process.id]]
    for edge in links + chosen.cross:
        arrow = ARROW.get(edge.kind, "-->")
        text = edge_text(edge)
        label = f'|"{mermaid_text(text)}"|' if text else ""
        lines.append(f"    {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    if chosen.cross:  # links are numbered in order of appearance; the cross ones come last
        numbers = ",".join(str(len(links) + i) for i in range(len(chosen.cross)))
        lines.append(f"    linkStyle {numbers} stroke:{CROSS_COLOR},stroke-width:2px")
        messages = [str(len(links) + i) for i, e in enumerate(chosen.cross) if e.kind == "message"]
        if messages:
            lines.append(f"    linkStyle {','.join(messages)} {MESSAGE_STYLE}")
    for kind, fill in FILL.items():
        lines.append(f"    classDef {kind} fill:{fill},stroke:#555555")
    for kind, members in by_kind.items():
        lines.append(f"    class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


def write_mermaid(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_mermaid(doc, process_id).encode("utf-8"))
