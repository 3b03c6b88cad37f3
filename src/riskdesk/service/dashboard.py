"""What the dashboard shows, gathered in a few queries; the GUI runs it in a worker.

Gaps come from ``service.oversight.register_gaps`` (the same source as the use editor's
Gaps tab and ``riskdesk gaps``), tiers are counted like ``register_summary`` (retired
uses left out), and the heatmap's cell filters are the same SQL clauses its counts use,
so clicking a cell always lists exactly the risks the cell counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql import ColumnElement

from riskdesk.enums import Band, RiskStatus, Stage, Tier
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import ExposureFactors, score_exposure
from riskdesk.scoring.ladder import review_due
from riskdesk.service.oversight import register_gaps
from riskdesk.service.queries import Filter
from riskdesk.service.register import RegisterService, table_of

HEAT_MODES: tuple[str, ...] = ("inherent", "residual", "target")
MODE_LABELS: dict[str, str] = {"inherent": "Inherent", "residual": "Residual", "target": "Target"}
LIST_LIMIT = 8
WHY_LINES = 4  # reasons shown per Critical use

HeatCounts = dict[tuple[int, int], int]  # (likelihood, impact) -> risks


def live_risks() -> ColumnElement[bool]:
    """Risks that count: not closed, on a use that is not retired."""
    risk, use = table_of("risk").c, table_of("ai_use").c
    live_uses = select(use.id).where(use.stage != Stage.RETIRED.value)
    return and_(risk.status != RiskStatus.CLOSED.value, risk.use_id.in_(live_uses))


def cell_filter(mode: str, likelihood: int, impact: int) -> Filter:
    """The risks in one heatmap cell, as a filter for the risk table."""
    risk = table_of("risk").c
    return Filter(
        "risk",
        and_(
            live_risks(),
            risk[f"{mode}_likelihood"] == likelihood,
            risk[f"{mode}_impact"] == impact,
        ),
    )


def cell_title(mode: str, likelihood: int, impact: int) -> str:
    score = likelihood * impact
    return (
        f"{MODE_LABELS[mode]} likelihood {likelihood} × impact {impact} "
        f"= {score} ({band(score).label}); open risks of live uses"
    )


def heat_counts(service: RegisterService, mode: str) -> HeatCounts:
    """Open risks of live uses per (likelihood, impact) cell, in one mode."""
    risk = table_of("risk").c
    lik, imp = risk[f"{mode}_likelihood"], risk[f"{mode}_impact"]
    stmt = (
        select(lik, imp, func.count())
        .where(live_risks(), lik.is_not(None), imp.is_not(None))
        .group_by(lik, imp)
    )
    with service.engine.connect() as conn:
        return {(int(lk), int(im)): int(n) for lk, im, n in conn.execute(stmt)}


@dataclass(frozen=True)
class UseGapRow:
    use_id: int
    name: str
    tier: str
    count: int
    titles: list[str]


@dataclass(frozen=True)
class OverdueRow:
    use_id: int
    name: str
    tier: str
    due: dt.date | None  # None: never reviewed, nothing scheduled
    owner: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class OwnerRow:
    use_id: int
    name: str
    tier: str
    reason: str


@dataclass(frozen=True)
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


def dashboard_data(
    service: RegisterService, today: dt.date | None = None, limit: int = LIST_LIMIT
) -> DashboardData:
    today = today or dt.date.today()
    config = service.scoring_config()
    uses_t, risk_t, person_t = table_of("ai_use"), table_of("risk"), table_of("person")
    with service.engine.connect() as conn:
        uses = [SimpleNamespace(**r) for r in conn.execute(select(uses_t)).mappings()]
        people: dict[int, tuple[str, bool]] = {
            r.id: (r.name, bool(r.has_left))
            for r in conn.execute(select(person_t.c.id, person_t.c.name, person_t.c.has_left))
        }
        residual = risk_t.c.residual_likelihood * risk_t.c.residual_impact
        inherent = risk_t.c.inherent_likelihood * risk_t.c.inherent_impact
        top = conn.execute(
            select(
                risk_t.c.id,
                risk_t.c.title,
                uses_t.c.name,
                risk_t.c.residual_likelihood,
                risk_t.c.residual_impact,
                inherent,
            )
            .join(uses_t, uses_t.c.id == risk_t.c.use_id)
            .where(live_risks())
            .order_by(residual.desc(), inherent.desc(), risk_t.c.id)
            .limit(limit)
        ).all()
    live = [u for u in uses if u.stage != Stage.RETIRED.value]
    by_id = {u.id: u for u in uses}
    by_tier = {t.value: 0 for t in Tier}
    for use in live:
        by_tier[use.tier] = by_tier.get(use.tier, 0) + 1

    gaps = register_gaps(service, today)
    with_gaps = [g for g in gaps if g.gaps]
    most = sorted(with_gaps, key=lambda g: (-len(g.gaps), -Tier(g.tier).ordinal(), g.use_id))
    gap_counts = {g.use_id: len(g.gaps) for g in gaps}

    def owner_name(use: Any) -> str:
        return people.get(use.owner_first_id, ("", False))[0]

    overdue: list[OverdueRow] = []
    for entry in with_gaps:
        if any(gap.rung == "review_overdue" for gap in entry.gaps):
            use = by_id[entry.use_id]
            due = review_due(use.last_review, use.next_review, config.review_months_for(use.tier))
            overdue.append(OverdueRow(use.id, use.name, use.tier, due, owner_name(use)))
    overdue.sort(key=lambda r: (r.due is not None, r.due or today, -Tier(r.tier).ordinal()))

    no_owner: list[OwnerRow] = []
    for use in live:
        if use.owner_first_id is None:
            no_owner.append(OwnerRow(use.id, use.name, use.tier, "Nobody is named"))
        elif people.get(use.owner_first_id, ("", False))[1]:
            name = owner_name(use)
            no_owner.append(OwnerRow(use.id, use.name, use.tier, f"{name} has left"))
    no_owner.sort(key=lambda r: (-Tier(r.tier).ordinal(), r.name))

    critical: list[CriticalRow] = []
    for use in live:
        if use.tier == Tier.CRITICAL.value:
            score, banned, why = why_critical(use, config)
            critical.append(
                CriticalRow(use.id, use.name, score, banned, why, gap_counts.get(use.id, 0))
            )
    critical.sort(key=lambda r: (not r.must_not_deploy, -r.exposure, r.name))

    return DashboardData(
        today=today,
        by_tier=by_tier,
        gaps_total=sum(len(g.gaps) for g in gaps),
        gap_use_ids=[g.use_id for g in with_gaps],
        most_gaps=[
            UseGapRow(g.use_id, g.use_name, g.tier, len(g.gaps), [x.title for x in g.gaps])
            for g in most[:limit]
        ],
        overdue=overdue,
        top_risks=[RiskRow(*row) for row in top],
        no_owner=no_owner,
        critical=critical,
        heat={mode: heat_counts(service, mode) for mode in HEAT_MODES},
        live_uses=len(live),
    )
