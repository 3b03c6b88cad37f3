"""What the dashboard shows, gathered in a few queries; the GUI runs it in a worker.

Gaps come from ``service.oversight.register_gaps`` (the same source as the use editor's
Gaps tab and ``riskdesk gaps``), tiers are counted like ``register_summary`` (retired
uses left out), and the heatmap's cell filters are the same SQL clauses its counts use,
so clicking a cell always lists exactly the risks the cell counted.

Counting everything takes seconds at 100,000 uses; issue 19 asks for the figures after
an edit in a fraction of that. They are kept per register with the audit chain's head
(``dashboard_state``): an edit to some uses replaces just those uses' part in every
tile, list and heatmap cell; anything wider, or a new day, counts afresh.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select

from riskdesk.enums import Tier
from riskdesk.scoring.bands import band
from riskdesk.service.dashboard_ranked import heat_of
from riskdesk.service.dashboard_rows import (
    HEAT_MODES,
    LIST_LIMIT,
    MODE_LABELS,
    WHY_LINES,
    CriticalRow,
    DashboardData,
    HeatCounts,
    OverdueRow,
    OwnerRow,
    RiskRow,
    UseGapRow,
    live_risks,
    why_critical,
)
from riskdesk.service.dashboard_state import (
    DashboardState,
    audit_head,
    changed_uses,
    kept_state,
    most_gaps,
    top_risks,
)
from riskdesk.service.oversight import register_gaps
from riskdesk.service.queries import Filter
from riskdesk.service.register import RegisterService, table_of

__all__ = [
    "HEAT_MODES",
    "LIST_LIMIT",
    "MODE_LABELS",
    "WHY_LINES",
    "CriticalRow",
    "DashboardData",
    "HeatCounts",
    "OverdueRow",
    "OwnerRow",
    "RiskRow",
    "UseGapRow",
    "all_heat_counts",
    "audit_head",
    "cell_filter",
    "cell_title",
    "changed_uses",
    "dashboard_data",
    "heat_counts",
    "live_risks",
    "why_critical",
]


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
    return all_heat_counts(service, (mode,))[mode]


def all_heat_counts(
    service: RegisterService, modes: tuple[str, ...] = HEAT_MODES
) -> dict[str, HeatCounts]:
    """``heat_counts`` of several modes from one scan of the risks, not one per mode."""
    risk = table_of("risk").c
    cells = [risk[f"{mode}_{part}"] for mode in modes for part in ("likelihood", "impact")]
    stmt = select(*cells, func.count()).where(live_risks()).group_by(*cells)
    out: dict[str, HeatCounts] = {mode: {} for mode in modes}
    with service.engine.connect() as conn:
        for row in conn.execute(stmt):
            n = int(row[-1])
            for i, mode in enumerate(modes):
                lk, im = row[2 * i], row[2 * i + 1]
                if lk is not None and im is not None:
                    key = (int(lk), int(im))
                    out[mode][key] = out[mode].get(key, 0) + n
    return {mode: dict(sorted(cells.items())) for mode, cells in out.items()}


def dashboard_data(
    service: RegisterService,
    today: dt.date | None = None,
    limit: int = LIST_LIMIT,
    cached: bool = True,
) -> DashboardData:
    """The dashboard's figures: the same object again while nothing was changed (the
    audit head has not moved); ``cached=False`` counts everything afresh (tests compare)."""
    today = today or dt.date.today()
    config = service.scoring_config()
    state = kept_state(service, today, config, cached)
    if cached and limit in state.shown:
        return state.shown[limit]
    data = _shown(service, state, limit)
    if cached:
        state.shown[limit] = data  # a dict on a frozen state: one per head, never stale
    return data


def _shown(service: RegisterService, state: DashboardState, limit: int) -> DashboardData:
    """The kept figures as the page reads them. Lists are copies: the state is shared."""
    # The gaps themselves, with their words, only for the uses the "most gaps" list names.
    first = (
        state.most.rows if state.most.known(limit) else most_gaps(state.counts, state.live, limit)
    )
    most = [use_id for _, use_id, _ in first[:limit]]
    found = {g.use_id: g for g in register_gaps(service, state.today, most)} if most else {}
    gap_rows = [
        UseGapRow(u, g.use_name, g.tier, state.counts[u].gaps, [x.title for x in g.gaps])
        for u in most
        if (g := found.get(u)) is not None  # None: deleted meanwhile; the next call drops it
    ]
    if state.top.known(limit):
        top = [row for _, _, row in state.top.rows[:limit]]
    else:
        with service.engine.connect() as conn:
            top = [row for _, _, row in top_risks(conn, limit)]
    by_tier = {t.value: state.by_tier.get(t.value, 0) for t in Tier}
    by_tier.update(state.by_tier)  # a tier the enum does not know, as it was stored
    return DashboardData(
        today=state.today,
        by_tier=by_tier,
        gaps_total=state.gaps_total,
        gap_use_ids=list(state.gap_ids),
        most_gaps=gap_rows,
        overdue=list(state.overdue.rows),
        top_risks=top,
        no_owner=list(state.no_owner.rows),
        critical=list(state.critical.rows),
        heat=heat_of(state.heat) if state.heat is not None else all_heat_counts(service),
        live_uses=len(state.live),
    )
