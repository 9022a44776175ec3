"""The maps shipped in resources/templates, to start from and learn from."""

from __future__ import annotations

from importlib import resources

from .document import JourneyMap
from .storage import loads_map

DESCRIPTIONS = {
    "saas-trial": "A technical champion's purchase process with the free-trial sub-process",
    "enterprise": "Champion, business buyer, IT approver and CFO; the Lead-to-Customer funnel with BANT and SLAs",
    "channel": "Selling through a reseller / system integrator",
    "plugged-funnel": "2,000 inquiries, 4 deals: the plugged middle of the funnel, and the fix as a scenario",
}


def template_names() -> list[str]:
    folder = resources.files("resources") / "templates"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def template_text(name: str) -> str:
    if name not in template_names():
        raise KeyError(name)
    return (resources.files("resources") / "templates" / f"{name}.json").read_text("utf-8")


def load_template(name: str) -> JourneyMap:
    """A fresh copy of a shipped template."""
    return loads_map(template_text(name), f"template {name}")
