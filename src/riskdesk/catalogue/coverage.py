"""How much of a framework the register's controls address.

Counted over the framework's leaf items (the AI RMF's 72 subcategories, not its
functions and categories): an item is *covered* when an implemented or tested
control references it, *planned* when only planned controls do. Lapsed and retired
controls count for nothing — a lapsed control is exactly the drift the register
exists to show. A reference to a non-leaf item (e.g. 'GOVERN 1') covers nothing:
claiming a whole category with one control would flatter the figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from riskdesk.catalogue.frameworks import Framework, FrameworkItem
from riskdesk.catalogue.refs import normalise_ref, split_refs
from riskdesk.enums import ControlStatus

_COVERING = frozenset({ControlStatus.IMPLEMENTED, ControlStatus.TESTED})


@dataclass(frozen=True)
class Coverage:
    framework_id: str
    total: int
    covered_tested_or_implemented: int
    planned_only: int
    uncovered: int
    percent: float  # covered / total × 100, one decimal; 0.0 for an empty framework
    covered_items: tuple[FrameworkItem, ...]
    planned_only_items: tuple[FrameworkItem, ...]
    uncovered_items: tuple[FrameworkItem, ...]

    @property
    def planned_percent(self) -> float:
        """Share that would be covered once planned controls are in place."""
        if not self.total:
            return 0.0
        return round(100 * (self.covered_tested_or_implemented + self.planned_only) / self.total, 1)


def framework_coverage(framework: Framework, controls: Iterable[tuple[str, str]]) -> Coverage:
    """Coverage of ``framework`` by ``controls`` given as ``(framework_refs, status)``.

    ``framework_refs`` is the register's comma-separated text; ``status`` a
    ControlStatus value or label. Raises ``ValueError`` for an unknown status.
    """
    covered: set[str] = set()
    planned: set[str] = set()
    for refs, status in controls:
        state = ControlStatus.parse(status)
        keys = {normalise_ref(r) for r in split_refs(refs)}
        if state in _COVERING:
            covered |= keys
        elif state is ControlStatus.PLANNED:
            planned |= keys
    leaves = framework.leaves()
    covered_items = tuple(i for i in leaves if normalise_ref(i.ref) in covered)
    planned_items = tuple(
        i for i in leaves if normalise_ref(i.ref) in planned and normalise_ref(i.ref) not in covered
    )
    uncovered_items = tuple(i for i in leaves if normalise_ref(i.ref) not in covered | planned)
    total = len(leaves)
    return Coverage(
        framework_id=framework.id,
        total=total,
        covered_tested_or_implemented=len(covered_items),
        planned_only=len(planned_items),
        uncovered=len(uncovered_items),
        percent=round(100 * len(covered_items) / total, 1) if total else 0.0,
        covered_items=covered_items,
        planned_only_items=planned_items,
        uncovered_items=uncovered_items,
    )
