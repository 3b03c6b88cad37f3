"""Framework coverage by the register's controls, on constructed inputs."""

from __future__ import annotations

import pytest

from riskdesk.catalogue.coverage import framework_coverage
from riskdesk.catalogue.frameworks import Framework, FrameworkItem, builtin_framework
from riskdesk.enums import ControlStatus

TINY = Framework(
    "tiny",
    "Tiny",
    items=(
        FrameworkItem("A", "Area A", kind="area"),
        FrameworkItem("A.1", "One", parent_ref="A"),
        FrameworkItem("A.2", "Two", parent_ref="A"),
        FrameworkItem("A.3", "Three", parent_ref="A"),
        FrameworkItem("B", "Lone item"),
    ),
)


def refs(coverage_items: tuple[FrameworkItem, ...]) -> list[str]:
    return [i.ref for i in coverage_items]


def test_implemented_or_tested_covers_planned_only_counts_separately() -> None:
    cov = framework_coverage(
        TINY,
        [
            ("a.1, X-99", "implemented"),  # other frameworks' refs are ignored
            ("A.2", "planned"),
            ("A.2; B", ControlStatus.TESTED),  # tested wins over planned for A.2
            ("A.3", "planned"),
        ],
    )
    assert (cov.total, cov.covered_tested_or_implemented, cov.planned_only, cov.uncovered) == (
        4,
        3,
        1,
        0,
    )
    assert cov.percent == 75.0 and cov.planned_percent == 100.0
    assert refs(cov.covered_items) == ["A.1", "A.2", "B"]
    assert refs(cov.planned_only_items) == ["A.3"]


def test_lapsed_retired_and_parent_refs_cover_nothing() -> None:
    cov = framework_coverage(
        TINY, [("A.1", "lapsed"), ("A.2", "Retired"), ("A", "tested"), ("", "implemented")]
    )
    assert (cov.covered_tested_or_implemented, cov.planned_only, cov.uncovered, cov.percent) == (
        0,
        0,
        4,
        0.0,
    )
    assert refs(cov.uncovered_items) == ["A.1", "A.2", "A.3", "B"]


def test_percent_is_rounded_and_empty_inputs_are_safe() -> None:
    rmf = builtin_framework("nist-ai-rmf-1.0")
    cov = framework_coverage(
        rmf, [("GOVERN 1.1, GOVERN 1.6", "implemented"), ("MAP 1.1", "planned")]
    )
    assert (cov.total, cov.covered_tested_or_implemented, cov.planned_only, cov.uncovered) == (
        72,
        2,
        1,
        69,
    )
    assert cov.percent == 2.8  # 2/72
    assert framework_coverage(rmf, []).percent == 0.0
    empty = framework_coverage(Framework("e", "Empty"), [("X", "tested")])
    assert (empty.total, empty.percent, empty.planned_percent) == (0, 0.0, 0.0)


def test_an_unknown_status_is_an_error() -> None:
    with pytest.raises(ValueError, match="not one of"):
        framework_coverage(TINY, [("A.1", "done")])
