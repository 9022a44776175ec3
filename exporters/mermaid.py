"""Mermaid flowchart (``flowchart LR``) for docs and wikis.

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

from ._labels import FILL, edge_text, local_edges, node_text, processes

_SAFE = re.compile(r"[A-Za-z0-9 _.,:?/%()'+=!*\u00a0-\uffff-]")

SHAPES = {
    "entry": ('(["', '"])'),
    "buyer_step": ('("', '")'),
    "action": ('["', '"]'),
    "decision": ('{"', '"}'),
    "subprocess": ('[["', '"]]'),
    "won": ('((("', '")))'),
    "lost": ('((("', '")))'),
}
ARROW = {"flow": "-->", "recycle": "-.->", "addresses": "-.-"}


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: unsafe characters as ``#code;``, line breaks as <br/>.

    >>> mermaid_text('a "b" <c>')
    'a #quot;b#quot; #60;c#62;'
    """
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch == '"':
            out.append("#quot;")
        elif ch == "\n":
            out.append("<br/>")
        elif _SAFE.fullmatch(ch) and ord(ch) < 0x10000:
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def generate_mermaid(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """A Mermaid flowchart of one process, or every process as subgraphs."""
    chosen = processes(doc, process_id)
    lines = ["flowchart LR"]
    ids: dict[str, str] = {}
    for i, process in enumerate(chosen):
        indent = "    "
        if len(chosen) > 1:
            lines.append(f'    subgraph p{i}["{mermaid_text(process.name)}"]')
            indent = "        "
        for node in doc.nodes_of(process.id):
            gid = ids.setdefault(node.id, f"n{len(ids)}")
            left, right = SHAPES.get(node.kind, ('["', '"]'))
            lines.append(f"{indent}{gid}{left}{mermaid_text(node_text(node))}{right}")
        if len(chosen) > 1:
            lines.append("    end")
    for process in chosen:
        for edge in local_edges(doc, process):
            arrow = ARROW.get(edge.kind, "-->")
            text = edge_text(edge)
            label = f'|"{mermaid_text(text)}"|' if text else ""
            lines.append(f"    {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    for kind, fill in FILL.items():
        lines.append(f"    classDef {kind} fill:{fill},stroke:#555555")
    for node_id, gid in ids.items():
        lines.append(f"    class {gid} {doc.node(node_id).kind}")
    return "\n".join(lines) + "\n"


def write_mermaid(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_mermaid(doc, process_id).encode("utf-8"))
