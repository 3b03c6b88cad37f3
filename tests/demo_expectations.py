"""Expected figures for the demo register, derived from the demo's own data.

Tests compare the product's computations against these independent counts instead of
numbers copied from a run, so a change to the demo data does not need new constants.
"""

from __future__ import annotations

from riskdesk.catalogue import builtin_framework, split_refs
from riskdesk.demo import demo_data


def demo_rmf_coverage() -> tuple[int, int, int, float]:
    """(covered, planned only, uncovered, percent) of the AI RMF by the demo controls."""
    leaves = {item.ref for item in builtin_framework("nist-ai-rmf-1.0").leaves()}
    by_status: dict[str, set[str]] = {}
    for control in demo_data().controls:
        by_status.setdefault(control.status, set()).update(
            r for r in split_refs(control.framework_refs) if r in leaves
        )
    covered = by_status.get("implemented", set()) | by_status.get("tested", set())
    planned = by_status.get("planned", set()) - covered
    uncovered = len(leaves) - len(covered) - len(planned)
    return len(covered), len(planned), uncovered, round(100 * len(covered) / len(leaves), 1)
