"""Words for the condition scenarios in which a finding occurs ("when IsProd is false")."""

from __future__ import annotations

Scenario = tuple[tuple[str, bool], ...]


def describe_scenarios(scenarios: set[Scenario]) -> str:
    """The conditions that hold in every failing scenario; a count when none is common."""
    if not scenarios:
        return "in no scenario"
    common = set(next(iter(scenarios)))
    for sc in scenarios:
        common &= set(sc)
    if common:
        parts = [f"{name} is {'true' if value else 'false'}" for name, value in sorted(common)]
        return "when " + " and ".join(parts)
    return f"in {len(scenarios)} of the template's condition scenarios"
