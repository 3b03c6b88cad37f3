"""Framework coverage for the exports: the hook both the workbook and the board pack call.

The workbook's Summary sheet and the board pack's "Framework coverage" section show
whatever ``coverage_rows`` returns, one row per framework; an empty list prints a
short "not available" note instead. The figures come from the catalogue
(``riskdesk.catalogue.framework_coverage``, issue 7); while the catalogue is missing
or its files cannot be read, the exports still work and simply say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskdesk.service.register import RegisterService


@dataclass(frozen=True)
class CoverageRow:
    framework_id: str
    name: str
    total: int  # leaf items in the framework
    covered: int  # addressed by implemented or tested controls
    planned: int  # addressed only by planned controls
    uncovered: int
    percent: float  # covered / total × 100
    # issue 18: of ``covered``, items whose controls are backed by current evidence, and
    # items covered only by controls that claim to work with no evidence on file
    evidence_backed: int = 0
    claimed_no_evidence: int = 0


def coverage_rows(svc: RegisterService) -> list[CoverageRow]:
    """One row per framework — the shipped ones in the catalogue's order, then those
    added to this register — from ``service.frameworks.coverage_by_framework``, the
    same figures as the Frameworks page and ``riskdesk frameworks``; [] when unavailable."""
    try:
        from riskdesk.catalogue import CatalogueFileError
        from riskdesk.service.frameworks import coverage_by_framework
    except ImportError:
        return []
    try:
        coverage = coverage_by_framework(svc)
    except CatalogueFileError:
        return []
    return [
        CoverageRow(
            fc.framework.id,
            fc.framework.name,
            fc.coverage.total,
            fc.coverage.covered_tested_or_implemented,
            fc.coverage.planned_only,
            fc.coverage.uncovered,
            fc.coverage.percent,
            fc.coverage.covered_tested_or_implemented - fc.claimed_no_evidence,
            fc.claimed_no_evidence,
        )
        for fc in coverage
    ]
