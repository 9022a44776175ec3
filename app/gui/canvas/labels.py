"""How the canvas writes numbers on the diagram (briefer than tables: one decimal, "?" when unknown).

>>> percent(0.25), percent(0.125), percent(None)
('25%', '12.5%', '?')
>>> flow_text(1234.4, 12.0)
'1,234 in · 12 drop'
"""

from __future__ import annotations

_PERCENTS: dict[float | None, str] = {}  # maps reuse a handful of rates: format each once


def percent(conversion: float | None) -> str:
    """A conversion as the canvas labels it: "25%", "12.5%", "?" when unknown."""
    text = _PERCENTS.get(conversion)
    if text is None:
        if len(_PERCENTS) > 4096:
            _PERCENTS.clear()
        text = _PERCENTS[conversion] = (
            "?" if conversion is None else f"{conversion * 100:.1f}".rstrip("0").rstrip(".") + "%"
        )
    return text


def flow_text(arrivals: float, dropoff: float) -> str:
    """The line under a step while a simulation's flow is shown."""
    return f"{arrivals:,.0f} in · {dropoff:,.0f} drop"


def edge_width(flow: float | None, busiest: float) -> float:
    """An edge's pen width: thin without a flow, up to about 11 px for the busiest edge."""
    return 1.6 if flow is None else 1.5 + 10 * abs(flow) / busiest
