"""How shares are written wherever a person reads or types them: exports, tables, the properties panel.

>>> percent(0.3)
'30%'
>>> percent(0.125)
'12.5%'
>>> percent(0.12345)
'12.35%'
>>> percent(None)
''

The canvas labels edges more briefly (one decimal, "?" when unknown): see app.gui.canvas.scene.percent.

>>> shortened("Comparison guide and reviews", 12)
'Comparison …'
>>> some_of(["a", "b", "c"], 2)
'a, b ...'
"""

from __future__ import annotations


def percent(value: float | None) -> str:
    """A share (0.3) as a percentage with up to four significant digits ("30%"), or "" when unset."""
    if value is None:
        return ""
    return f"{value * 100:.4g}%"


def shortened(text: str, limit: int = 30) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (menus, chart labels, history)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def some_of(items: list[str], limit: int = 5) -> str:
    """The first ``limit`` of ``items`` for a message, "..." when there are more."""
    return ", ".join(items[:limit]) + (" ..." if len(items) > limit else "")
