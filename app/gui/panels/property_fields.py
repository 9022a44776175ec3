"""What the Properties panel shows for each kind of item: its fields (name, caption, type), the
choices of each enumeration and the panel's titles."""

from __future__ import annotations

from models.vocabulary import (
    CAPACITY_POLICIES,
    EDGE_KINDS,
    INFLUENCES,
    NODE_KINDS,
    PERIODS,
    PROCESS_KINDS,
    ROLE_KINDS,
    TEAM_FUNCTIONS,
)

# (field, label, type); types: text, multiline, list, number, share, int, enum:<values>, ref:<collection>
_PERIOD = "per period"
FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "nodes": [
        ("label", "Label", "text"),
        ("kind", "Kind", "enum:node"),
        ("description", "Description", "multiline"),
        ("role", "Buyer role", "ref:roles"),
        ("owner", "Owner team", "ref:teams"),
        ("stage", "Stage", "ref:stages"),
        ("call_to_action", "Call to action", "text"),
        ("motivations", "Motivations", "list"),
        ("concerns", "Concerns", "list"),
        ("criteria", "Qualification criteria", "ref:criteria"),
        ("technology", "Technology", "list"),
        ("duration_days", "Duration (days)", "number"),
        ("cost", "Cost per lead", "number"),
        ("capacity", f"Capacity ({_PERIOD})", "number"),
        ("volume", f"Volume ({_PERIOD})", "number"),
        ("deal_value", "Deal value", "number"),
        ("subprocess", "Opens process", "ref:processes"),
    ],
    "edges": [
        ("kind", "Kind", "enum:edge"),
        ("conversion", "Conversion", "share"),
        ("delay_days", "Delay (days)", "number"),
        ("label", "Label", "text"),
    ],
    "processes": [
        ("name", "Name", "text"),
        ("kind", "Kind", "enum:process"),
        ("role", "Buyer role", "ref:roles"),
        ("description", "Description", "multiline"),
    ],
    "roles": [
        ("name", "Name", "text"),
        ("kind", "Kind", "enum:role"),
        ("influence", "Influence", "enum:influence"),
        ("description", "Description", "multiline"),
        ("goals", "Goals", "list"),
        ("concerns", "Concerns", "list"),
    ],
    "teams": [
        ("name", "Name", "text"),
        ("function", "Function", "enum:team"),
        ("headcount", "Headcount", "int"),
        ("capacity", f"Capacity per person ({_PERIOD})", "number"),
        ("color", "Colour (#rrggbb)", "text"),
    ],
    "stages": [
        ("name", "Name", "text"),
        ("definition", "Definition", "multiline"),
        ("owner", "Owner team", "ref:teams"),
        ("entry_criteria", "Entry criteria", "multiline"),
        ("on_rejection", "When rejected", "multiline"),
    ],
    "criteria": [
        ("name", "Name", "text"),
        ("description", "Description", "multiline"),
        ("threshold_score", "Minimum score", "number"),
        ("threshold_answers", "Minimum positive answers", "int"),
    ],
    "slas": [
        ("name", "Name", "text"),
        ("from_team", "From team", "ref:teams"),
        ("to_team", "To team", "ref:teams"),
        ("stage", "Stage handed over", "ref:stages"),
        ("criteria", "Criteria", "ref:criteria"),
        ("leads_per_rep", f"Leads per rep ({_PERIOD})", "number"),
        ("response_hours", "First touch within (working hours)", "number"),
        ("attempts", "Attempts", "int"),
        ("attempt_window_days", "Attempt window (days)", "number"),
        ("attempt_minutes", "Minutes per attempt", "number"),
        ("reach_per_attempt", "Reach per attempt", "share"),
        ("late_conversion_factor", "Conversion if late (x)", "share"),
        ("description", "Description", "multiline"),
    ],
    "scenarios": [("name", "Name", "text"), ("description", "Description", "multiline")],
    "map": [
        ("name", "Map name", "text"),
        ("description", "Description", "multiline"),
        ("currency", "Currency (ISO code)", "text"),
        ("period", "Period", "enum:period"),
        ("capacity_policy", "Capacity policy", "enum:policy"),
    ],
}
ENUMS = {
    "node": list(NODE_KINDS),
    "edge": list(EDGE_KINDS),
    "process": list(PROCESS_KINDS),
    "role": list(ROLE_KINDS),
    "team": list(TEAM_FUNCTIONS),
    "period": list(PERIODS),
    "influence": list(INFLUENCES),
    "policy": list(CAPACITY_POLICIES),
}
TITLES = {
    "nodes": "Node",
    "edges": "Connection",
    "processes": "Process",
    "roles": "Buyer role",
    "teams": "Team",
    "stages": "Stage",
    "criteria": "Criteria",
    "slas": "SLA",
    "scenarios": "Scenario",
}
LEAD_FIELDS = {"conversion", "delay_days"}
"""An edge's fields that only an edge moving leads has (not an addresses or message link)."""

MULTI_NODE_FIELDS = {
    "kind",
    "role",
    "owner",
    "stage",
    "criteria",
    "technology",
    "duration_days",
    "cost",
}
