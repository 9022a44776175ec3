"""The HTML report's simulation section: the expected flow (run here unless given), the
scenarios side by side, the teams' capacity; and how a table cut to ``ROWS_SHOWN`` rows says
so."""

from __future__ import annotations

from models.document import JourneyMap
from models.errors import JourneymapError

from ._charts import comparison_view, flow_view, number
from ._labels import processes

ROWS_SHOWN = 2_000
"""Rows a table of the report lists at most (a register, the company actions, the flow per
step); a bigger map's report says how many more there are and which export has them all."""


def more(shown: int, total: int, what: str, where: str) -> str:
    """The note under a table cut at ``shown`` rows: ``""`` when nothing was left out."""
    if total <= shown:
        return ""
    return (
        f"This report lists the first {shown:,} of {total:,} {what}, to stay readable; "
        f"{where} has them all."
    )


def simulation_view(doc: JourneyMap, process_id: str | None, simulation) -> dict:
    """What the report shows about the simulation: results, or one sentence why there are none."""
    if simulation is False:
        return {"note": "", "flow": None, "comparison": None, "shown": False, "result": None}
    flow = comparison = None
    if isinstance(simulation, dict) and ("flow" in simulation or "comparison" in simulation):
        flow, comparison = simulation.get("flow"), simulation.get("comparison")
    elif simulation is not None:
        flow = simulation
    else:
        try:
            from models.simulation import expected_flow
            from models.simulation.compare import compare
        except ImportError:
            return {
                "note": "Simulation results are not available in this version of Journeymap.",
                "flow": None,
                "comparison": None,
                "shown": True,
                "result": None,
            }
        try:
            flow = expected_flow(doc, process_id)
            if doc.scenarios:
                comparison = compare(
                    doc, process_id, scenarios=[None, *(s.name for s in doc.scenarios)]
                )
        except JourneymapError as error:  # SimulationError: the map cannot be simulated
            return {
                "note": f"The map could not be simulated: {error}",
                "flow": None,
                "comparison": None,
                "shown": True,
                "result": None,
            }
    chosen = {p.id for p in processes(doc, process_id)}
    view = flow_view(doc, flow, chosen) if flow is not None else None
    if view is not None:
        view = {**view, "nodes_note": "", "capacity": capacity_view(doc, flow)}
    if view is not None and len(view.get("nodes") or ()) > ROWS_SHOWN:
        total = len(view["nodes"])
        view = {
            **view,
            "nodes": view["nodes"][:ROWS_SHOWN],
            "nodes_note": more(ROWS_SHOWN, total, "steps", "`journeymap simulate --format json`"),
        }
    return {
        "note": "",
        "flow": view,
        "comparison": comparison_view(doc, comparison) if comparison is not None else None,
        "shown": True,
        "result": flow,
    }


def capacity_view(doc: JourneyMap, flow: object) -> dict | None:
    """The flow with the teams' capacity beside the flow without limits, the revenue at risk
    and the limits that cost it (``capacity`` of the expected flow), or None without limits.

    >>> capacity_view(JourneyMap(), {"won": 4, "revenue": 40, "capacity": {"won": 3,
    ...     "revenue": 30, "revenue_at_risk": 10, "won_at_risk": 1, "limits": [{"name": "SDR",
    ...     "revenue_recovered": 10, "won_recovered": 1}]}})["rows"]
    [('Deals won', '4', '3'), ('Revenue', 'USD 40', 'USD 30')]
    """
    data = flow.to_dict() if hasattr(flow, "to_dict") else flow
    if not isinstance(data, dict) or not isinstance(data.get("capacity"), dict):
        return None
    limited = data["capacity"]

    def shown(value: object, money: bool = False) -> str:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return "-"
        return f"{doc.currency} {number(value)}" if money else number(value)

    risk = limited.get("revenue_at_risk") or 0.0
    limits = [
        (
            str(item.get("name")),
            shown(item.get("revenue_recovered"), True),
            shown(item.get("won_recovered")),
        )
        for item in limited.get("limits") or ()
        if isinstance(item, dict)
    ]
    return {
        "rows": [
            ("Deals won", shown(data.get("won")), shown(limited.get("won"))),
            ("Revenue", shown(data.get("revenue"), True), shown(limited.get("revenue"), True)),
        ],
        "risk": shown(risk, True) if risk > 0 else "",
        "risk_deals": shown(limited.get("won_at_risk")),
        "limits": limits,
    }
