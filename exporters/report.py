"""The workshop hand-out: one self-contained HTML file that prints cleanly to PDF.

It holds the map's title and description; with several processes, the buying
group first (every process as a lane, every stage as a column, the links between
processes drawn: an SVG drawn here from :func:`models.buying_group.group_layout`,
no Graphviz needed); for each process its diagram (inline SVG drawn by Graphviz)
and its action register; the company actions in stage order with the buyer steps
they serve (:func:`models.company_view.company_actions`, with the leads each
handles when the simulation runs); the stage glossary,
qualification criteria, teams, buyer roles and SLAs; the analysis findings by
severity; and the simulation results with bar charts when the simulation can
run. Without Graphviz the report says how to install it where the diagrams
would be; everything else is still there.

Safe to hand to anyone: the template is autoescaped (jinja2), the page
declares a Content-Security-Policy that allows no scripts and no requests
(``default-src 'none'``), it links nothing outside itself, and Graphviz's SVG
is re-parsed (DTDs refused) and stripped of comments, scripts, event handlers
and outside links before it is inlined.

>>> from models.document import JourneyMap, Process, Node
>>> m = JourneyMap(name="<b>Demo</b>", processes=[Process(id="p", name="P")],
...                nodes=[Node(id="a", process="p", label="<script>x</script>")])
>>> page = generate_html(m, diagrams=False, simulation=False)
>>> "<script" in page, "&lt;b&gt;Demo&lt;/b&gt;" in page
(False, True)
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import defusedxml.ElementTree as DET
import jinja2
from defusedxml import DefusedXmlException
from markupsafe import Markup

from models.analysis import analyze
from models.company_view import company_actions
from models.document import JourneyMap
from models.errors import JourneymapError
from models.findings import SEVERITIES
from models.storage import write_atomic
from models.versions import MapDiff
from models.versions.items import value_text

from ._charts import node_figures, number
from ._group import picture
from ._labels import processes
from ._register import node_rows
from ._report_simulation import ROWS_SHOWN, more, simulation_view
from .tables import sla_rows, stage_rows

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_PROLOG = re.compile(
    r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>)?", re.DOTALL
)
_DROP = {
    "script",
    "foreignObject",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "image",
    "use",
    "animate",
    "set",
    "handler",
    "listener",
}
KIND_NAMES = {
    "entry": "entry",
    "buyer_step": "buyer step",
    "action": "action",
    "decision": "decision",
    "subprocess": "sub-process",
    "won": "won",
    "lost": "lost",
}
PROCESS_KINDS = {
    "buyer": "buyer's purchase process",
    "funnel": "company funnel",
    "subprocess": "sub-process",
}


def inline_svg(svg: str) -> Markup:
    """Graphviz SVG made safe to paste into HTML: no prolog, DOCTYPE, comments, scripts,
    event handlers or links out of the page. Raises ``ValueError`` on text that is not SVG.

    >>> str(inline_svg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    ...                'onload="x()"><script>x()</script><!-- c --><text>a&lt;b</text></svg>'))
    '<svg xmlns="http://www.w3.org/2000/svg"><text>a&lt;b</text></svg>'
    """
    body = _PROLOG.sub("", svg, count=1)
    try:
        root = DET.fromstring(body, forbid_dtd=True)
    except (DET.ParseError, DefusedXmlException) as error:
        raise ValueError(f"not usable SVG ({type(error).__name__})") from None
    if root.tag != f"{{{SVG}}}svg":
        raise ValueError("not an <svg> document")
    for parent in list(root.iter()):
        for child in list(parent):
            if (
                not isinstance(child.tag, str)
                or not child.tag.startswith(f"{{{SVG}}}")
                or child.tag.split("}")[-1] in _DROP
            ):
                parent.remove(child)
    for element in root.iter():
        element.tag = element.tag.split("}")[-1]  # plain names, as HTML writes inline SVG
        for name in list(element.attrib):
            local, keep = name.split("}")[-1], element.attrib.pop(name)
            if local.lower().startswith("on") or (name.startswith("{") and local != "href"):
                continue  # event handlers, and xlink:title & co. (the <title> children stay)
            if local == "href" and not keep.startswith("#"):
                continue  # nothing may point out of the page
            element.set(local, keep)
    root.set("xmlns", SVG)
    return Markup(ET.tostring(root, encoding="unicode"))


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    text = (resources.files("resources") / "report" / "report.html.j2").read_text("utf-8")
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = number
    return env.from_string(text)


FINDINGS_SHOWN = 500
"""Findings of one severity the report lists at most (``journeymap analyze`` lists them all)."""


def _diagram(doc: JourneyMap, process_id: str, steps: int) -> tuple[Markup | None, str]:
    from .render import MAX_DRAWN, generate_svg

    if steps > MAX_DRAWN:
        return None, (
            f"The diagram is not drawn: this process has {steps:,} steps, and Graphviz draws "
            f"up to {MAX_DRAWN:,} in one picture in reasonable time. Export it as draw.io or "
            "BPMN to see it in a diagram tool."
        )
    try:
        return inline_svg(generate_svg(doc, process_id)), ""
    except JourneymapError as error:
        return None, f"The diagram is missing from this report. {error}"
    except ValueError as error:
        return None, f"The diagram is missing from this report: Graphviz gave {error}."


def _process_views(doc: JourneyMap, process_id: str | None, diagrams: bool) -> list[dict]:
    roles = {r.id: r.name for r in doc.roles}
    chosen = processes(doc, process_id)
    rows: dict[str, list[dict]] = {p.id: [] for p in chosen}  # every register row, one pass
    for row in node_rows(doc, process_id):
        rows[row["process id"]].append(row)
    process_of = {n.id: n.process for n in doc.nodes}
    leaving: dict[str, int] = {}
    for edge in doc.edges:
        owner = process_of.get(edge.source)
        if owner is not None:
            leaving[owner] = leaving.get(owner, 0) + 1
    views = []
    for i, process in enumerate(chosen, start=1):
        steps = len(rows[process.id])
        svg, problem = _diagram(doc, process.id, steps) if diagrams else (None, "")
        views.append(
            {
                "anchor": f"process-{i}",
                "name": process.name,
                "description": process.description,
                "kind": PROCESS_KINDS.get(process.kind, process.kind),
                "role": roles.get(process.role, process.role) if process.role else "",
                "nodes": steps,
                "edges": leaving.get(process.id, 0),
                "svg": svg,
                "diagram_note": problem,
                "rows": rows[process.id][:ROWS_SHOWN],
                "rows_note": more(ROWS_SHOWN, steps, "steps", "the XLSX or CSV export"),
            }
        )
    return views


def _findings_view(doc: JourneyMap, process_id: str | None, findings) -> list[dict]:
    if findings is None:
        findings = analyze(doc)
    names = {p.id: p.name for p in doc.processes}
    labels = {n.id: n.label or n.id for n in doc.nodes}
    groups = []
    for severity in SEVERITIES:
        items = [
            {
                "code": f.code,
                "message": f.message,
                "hint": f.hint,
                "why": f.why,
                "process": names.get(f.process, f.process or ""),
                "nodes": [labels.get(n, n) for n in f.nodes],
            }
            for f in findings
            if f.severity == severity and (process_id is None or f.process in (None, process_id))
        ]
        if items:
            groups.append(
                {
                    "severity": severity,
                    "count": len(items),
                    "items": items[:FINDINGS_SHOWN],
                    "note": more(FINDINGS_SHOWN, len(items), "of them", "`journeymap analyze`"),
                }
            )
    return groups


def _actions_view(doc: JourneyMap, process_id: str | None, flow: object) -> dict:
    """The Company actions section (method step 4): every action of the chosen processes in
    stage order with the buyer steps it serves, and the leads it handles and the share moving
    on when ``flow`` (the report's expected flow) reaches it."""
    chosen = {p.id for p in processes(doc, process_id)}
    figures = node_figures(flow) if flow is not None else {}
    rows = []
    for row in company_actions(doc):
        if row.process not in chosen:
            continue
        leads, share = figures.get(row.node, (None, None))
        rows.append(
            {
                "stage": row.stage_name,
                "label": row.label,
                "process": row.process_name,
                "owner": row.owner_name,
                "call_to_action": row.call_to_action,
                "technology": list(row.technology),
                "addresses": [
                    {
                        "label": step.label,
                        "where": ", ".join(filter(None, (step.process_name, step.role_name))),
                    }
                    for step in row.addresses
                ],
                "leads": number(leads) if leads is not None else "",
                "conversion": f"{share * 100:.3g}%" if share is not None else "",
            }
        )
    shown = any(row["leads"] for row in rows)
    note = more(ROWS_SHOWN, len(rows), "company actions", "the XLSX export (Company actions)")
    return {"rows": rows[:ROWS_SHOWN], "figures": shown, "note": note}


def generate_html(
    doc: JourneyMap,
    process_id: str | None = None,
    *,
    findings=None,
    simulation=None,
    diagrams: bool = True,
    changes: tuple[str, MapDiff] | None = None,
) -> str:
    """The report as one HTML page (str).

    ``findings``: the analysis findings to show (default: :func:`models.analysis.analyze`).
    ``simulation``: None runs :mod:`models.simulation` when it is available; False leaves
    the section out; a result with ``to_dict()`` (or its dict) is shown as the expected
    flow; ``{"flow": ..., "comparison": ...}`` shows both. ``diagrams=False`` skips
    Graphviz (faster, for previews and tests). ``changes``: (the other version's name, the
    :class:`~models.versions.MapDiff` from it to ``doc``) adds a "Changes since" section.
    """
    chosen = processes(doc, process_id)
    teams = {t.id: t.name for t in doc.teams}
    period = doc.period
    simulated = simulation_view(doc, process_id, simulation)
    return _template().render(
        doc=doc,
        csp=CSP,
        period=period,
        kind_names=KIND_NAMES,
        scope=chosen[0].name if process_id is not None else "",
        processes=_process_views(doc, process_id, diagrams),
        stages=stage_rows(doc),
        slas=sla_rows(doc),
        criteria=doc.criteria,
        roles=doc.roles,
        teams=[
            {
                "name": t.name,
                "function": t.function.replace("_", " "),
                "headcount": t.headcount,
                "capacity": t.capacity,
                "total": t.capacity * t.headcount if t.capacity is not None else None,
            }
            for t in doc.teams
        ],
        team_names=teams,
        findings=_findings_view(doc, process_id, findings),
        simulation=simulated,
        buying_group=_buying_group(doc) if process_id is None and len(chosen) > 1 else None,
        actions=_actions_view(doc, process_id, simulated.pop("result")),
        changes=_changes_view(changes),
    )


CHANGE_WORDS = {"added": "added", "removed": "removed", "changed": "changed"}
COLLECTION_WORDS = {
    "map": "Map",
    "roles": "Buyer role",
    "teams": "Team",
    "stages": "Stage",
    "criteria": "Criteria",
    "processes": "Process",
    "nodes": "Step",
    "edges": "Connection",
    "slas": "SLA",
    "scenarios": "Scenario",
}


def _changes_view(changes: tuple[str, MapDiff] | None) -> dict | None:
    """What changed since another version (``journeymap export --changes-since``)."""
    if changes is None:
        return None
    since, diff = changes
    rows = [
        {
            "change": c.change,
            "what": COLLECTION_WORDS.get(c.collection, c.collection),
            "item": "the map" if c.collection == "map" else f"{c.id}{c.title}",
            "fields": [f"{f.field}: {value_text(f.old)} → {value_text(f.new)}" for f in c.fields],
        }
        for c in diff.changes
    ]
    counts = diff.counts()
    note = more(ROWS_SHOWN, len(rows), "changes", "journeymap diff")
    return {"since": since, "rows": rows[:ROWS_SHOWN], "counts": counts, "note": note}


def _buying_group(doc: JourneyMap) -> dict:
    """The buying-group picture, or a note instead of it for a map too big to draw."""
    from .render import MAX_DRAWN

    if len(doc.nodes) > MAX_DRAWN:
        process_of = {n.id: n.process for n in doc.nodes}
        return {
            "note": f"The buying group is not drawn: the map has {len(doc.nodes):,} steps, and "
            f"the report draws up to {MAX_DRAWN:,} in one picture. Export the map as draw.io "
            "for its Buying group page.",
            "lanes": doc.processes,
            "nodes": doc.nodes,
            "links": sum(
                1 for e in doc.edges if process_of.get(e.source, 0) != process_of.get(e.target, 0)
            ),
        }
    return {"note": "", **picture(doc)}


def write_html(doc: JourneyMap, path: str | Path, process_id: str | None = None, **options) -> None:
    """Write :func:`generate_html` to ``path`` atomically."""
    write_atomic(Path(path), generate_html(doc, process_id, **options).encode("utf-8"))
