"""The dashboard's rows and figures, and the orders its lists are shown in.

Each list's order is a key that ends with an id, so every row has one place: a row
can be found by bisection and replaced without sorting the list again (the kept
state, ``dashboard_state``), and the order never depends on the order rows were read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.sql import ColumnElement

from riskdesk.enums import Band, RiskStatus, Stage, Tier
from riskdesk.fileformat.schema import table_of
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import ExposureFactors, score_exposure

HEAT_MODES: tuple[str, ...] = ("inherent", "residual", "target")
MODE_LABELS: dict[str, str] = {"inherent": "Inherent", "residual": "Residual", "target": "Target"}
LIST_LIMIT = 8
WHY_LINES = 4  # reasons shown per Critical use

HeatCounts = dict[tuple[int, int], int]  # (likelihood, impact) -> risks
TIER_RANK: dict[str, int] = {t.value: t.ordinal() for t in Tier}


def live_risks() -> ColumnElement[bool]:
    """Risks that count: not closed, on a use that is not retired."""
    risk, use = table_of("risk").c, table_of("ai_use").c
    live_uses = select(use.id).where(use.stage != Stage.RETIRED.value)
    return and_(risk.status != RiskStatus.CLOSED.value, risk.use_id.in_(live_uses))


# slots: at 100,000 uses tens of thousands of these are kept between calls
@dataclass(frozen=True, slots=True)
class UseGapRow:
    use_id: int
    name: str
    tier: str
    count: int
    titles: list[str]


@dataclass(frozen=True, slots=True)
class OverdueRow:
    use_id: int
    name: str
    tier: str
    due: dt.date | None  # None: never reviewed, nothing scheduled
    owner: str


@dataclass(frozen=True, slots=True)
class RiskRow:
    risk_id: int
    title: str
    use_name: str
    likelihood: int
    impact: int
    inherent: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.score)


@dataclass(frozen=True, slots=True)
class OwnerRow:
    use_id: int
    name: str
    tier: str
    reason: str


@dataclass(frozen=True, slots=True)
class CriticalRow:
    use_id: int
    name: str
    exposure: int
    must_not_deploy: bool
    why: list[str]
    gap_count: int


@dataclass(frozen=True)
class DashboardData:
    today: dt.date
    by_tier: dict[str, int]
    gaps_total: int
    gap_use_ids: list[int]
    most_gaps: list[UseGapRow]
    overdue: list[OverdueRow]  # all of them, most overdue first
    top_risks: list[RiskRow]
    no_owner: list[OwnerRow]
    critical: list[CriticalRow]
    heat: dict[str, HeatCounts] = field(default_factory=dict)
    live_uses: int = 0


def why_critical(use: Any, config: Any) -> tuple[int, bool, list[str]]:
    """Score, must-not-deploy and the reasons that matter most, in plain words.

    Floors and prohibitions settle a tier whatever the points say, so they come first;
    then the factors that earned the most points.
    """
    result = score_exposure(ExposureFactors.from_obj(use), config)
    lines: list[str] = []
    if result.must_not_deploy:
        basis = f" ({use.eu_ai_act_basis})" if use.eu_ai_act_basis else ""
        lines.append(f"Must not be deployed: a practice the EU AI Act prohibits{basis}.")
    if result.floor and not result.must_not_deploy:
        lines.append(f"Floor: {result.floor}.")
    ranked = sorted(result.factors, key=lambda c: -c.points)
    lines.extend(f"{c.explanation} (+{c.points})" for c in ranked if c.points > 0)
    return result.score, result.must_not_deploy, lines[:WHY_LINES]


def tier_rank(tier: str) -> int:
    return TIER_RANK.get(tier, -1)  # a tier the enum does not know ranks lowest


# --- the lists' orders --------------------------------------------------------------
def overdue_order(today: dt.date) -> Callable[[OverdueRow], tuple[Any, ...]]:
    """Never-due first, then most overdue; the higher tier first on the same day."""
    return lambda r: (r.due is not None, r.due or today, -tier_rank(r.tier), r.use_id)


def owner_order(row: OwnerRow) -> tuple[Any, ...]:
    return (-tier_rank(row.tier), row.name, row.use_id)


def critical_order(row: CriticalRow) -> tuple[Any, ...]:
    return (not row.must_not_deploy, -row.exposure, row.name, row.use_id)


GapKey = tuple[int, int, int]  # most gaps first, then the higher tier, then by id


def gap_key(use_id: int, gaps: int, tier: str) -> GapKey:
    return (-gaps, -tier_rank(tier), use_id)


RiskKey = tuple[int, int, int]  # highest residual, then inherent score first, then by id


def risk_key(row: RiskRow) -> RiskKey:
    return (-row.score, -row.inherent, row.risk_id)
