"""What the dashboard shows, gathered in a few queries; the GUI runs it in a worker.

Gaps come from ``service.oversight.register_gaps`` (the same source as the use editor's
Gaps tab and ``riskdesk gaps``), tiers are counted like ``register_summary`` (retired
uses left out), and the heatmap's cell filters are the same SQL clauses its counts use,
so clicking a cell always lists exactly the risks the cell counted.

The gap counts and the Critical uses' reasons are the slow part (issue 19: ≤ 300 ms
at 10,000 uses); they are kept per register (``GapState``) with the audit chain's head
when they were read. Every change is an audited event, so the next call reads only
the events after that head: changes to uses and to their risks, incidents, challenges
or agent permissions re-judge just those uses; anything wider (a person leaving, a
vendor, the scoring settings) or a new day counts everything afresh.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import threading
import weakref
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql import ColumnElement

from riskdesk.enums import Band, RiskStatus, Stage, Tier
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import ExposureFactors, score_exposure
from riskdesk.scoring.ladder import review_due
from riskdesk.service.gap_counts import UseCount, use_gap_counts
from riskdesk.service.oversight import register_gaps
from riskdesk.service.queries import Filter
from riskdesk.service.register import RegisterService, table_of

HEAT_MODES: tuple[str, ...] = ("inherent", "residual", "target")
MODE_LABELS: dict[str, str] = {"inherent": "Inherent", "residual": "Residual", "target": "Target"}
LIST_LIMIT = 8
WHY_LINES = 4  # reasons shown per Critical use

HeatCounts = dict[tuple[int, int], int]  # (likelihood, impact) -> risks
_SLIM_USE_COLUMNS = (
    "id",
    "name",
    "tier",
    "stage",
    "owner_first_id",
    "last_review",
    "next_review",
)


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


# --- gap counts and Critical reasons, kept between calls ------------------------------
PER_USE_ENTITIES = frozenset({"risk", "incident", "challenge", "agent_permission"})
MAX_INCREMENTAL_EVENTS = 500  # more changes than this: count afresh


@dataclass(frozen=True)
class GapState:
    """What the dashboard keeps of a register between calls, as of audit event ``head``."""

    head: int
    today: dt.date
    counts: dict[int, UseCount]  # uses with at least one gap
    critical: dict[int, CriticalRow]  # live Critical-tier uses
    shown: dict[int, DashboardData] = field(default_factory=dict)  # by list limit


_STATES: weakref.WeakKeyDictionary[RegisterService, GapState] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()  # the GUI computes in a worker; tests on the GUI thread


def audit_head(service: RegisterService) -> int:
    """The newest audit event's id: every change moves it (one indexed read)."""
    audit = table_of("audit_event").c
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit.id), 0))).scalar() or 0)


def changed_uses(service: RegisterService, since: int) -> set[int] | None:
    """The uses whose gap inputs the audited changes after event ``since`` touched;
    None when a change reaches further than its own use (or there are many)."""
    audit = table_of("audit_event").c
    stmt = (
        select(audit.entity, audit.entity_id, audit.before, audit.after)
        .where(audit.id > since)
        .order_by(audit.id)
        .limit(MAX_INCREMENTAL_EVENTS + 1)
    )
    with service.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if len(rows) > MAX_INCREMENTAL_EVENTS:
        return None
    uses: set[int] = set()
    for entity, key, before, after in rows:
        if entity == "ai_use":
            uses.add(int(key))
        elif entity in PER_USE_ENTITIES:
            for text in (before, after):  # both: a risk moved to another use changes two
                values = json.loads(text) if text else {}
                if isinstance(values, dict) and values.get("use_id") is not None:
                    uses.add(int(values["use_id"]))
        else:
            return None
    return uses


def _critical_rows(
    service: RegisterService, config: Any, use_ids: set[int] | None = None
) -> dict[int, CriticalRow]:
    """Live Critical-tier uses (of ``use_ids`` if given) with their score and reasons."""
    uses_t = table_of("ai_use")
    stmt = select(uses_t).where(
        uses_t.c.tier == Tier.CRITICAL.value, uses_t.c.stage != Stage.RETIRED.value
    )
    if use_ids is not None:
        stmt = stmt.where(uses_t.c.id.in_(sorted(use_ids)))
    out: dict[int, CriticalRow] = {}
    with service.engine.connect() as conn:
        for row in conn.execute(stmt.order_by(uses_t.c.id)).mappings():
            use = SimpleNamespace(**row)
            score, banned, why = why_critical(use, config)
            out[use.id] = CriticalRow(use.id, use.name, score, banned, why, 0)
    return out


def _fresh_state(service: RegisterService, head: int, today: dt.date, config: Any) -> GapState:
    counts = {c.use_id: c for c in use_gap_counts(service, today)}
    return GapState(head, today, counts, _critical_rows(service, config))


def _updated_state(
    service: RegisterService, state: GapState, head: int, uses: set[int], config: Any
) -> GapState:
    """``state`` with ``uses`` judged again (a deleted use drops out)."""
    counts = {k: v for k, v in state.counts.items() if k not in uses}
    for found in register_gaps(service, state.today, sorted(uses)):
        if found.gaps:
            overdue = any(g.rung == "review_overdue" for g in found.gaps)
            counts[found.use_id] = UseCount(found.use_id, len(found.gaps), overdue)
    critical = {k: v for k, v in state.critical.items() if k not in uses}
    critical.update(_critical_rows(service, config, uses))
    return GapState(head, state.today, dict(sorted(counts.items())), critical)


def gap_state(
    service: RegisterService, today: dt.date, config: Any, cached: bool = True
) -> GapState:
    """The gap counts and Critical rows as of now: kept, brought up to date, or counted
    afresh (``cached=False``: always afresh, and nothing kept)."""
    head = audit_head(service)  # read first: a change made meanwhile is seen next time
    if not cached:
        return _fresh_state(service, head, today, config)
    with _STATES_LOCK:
        state = _STATES.get(service)
    if state is not None and state.today == today:
        if state.head == head:
            return state
        uses = changed_uses(service, state.head)
        if uses is not None:
            state = _updated_state(service, state, head, uses, config)
        else:
            state = _fresh_state(service, head, today, config)
    else:
        state = _fresh_state(service, head, today, config)
    with _STATES_LOCK:
        _STATES[service] = state
    return state


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
    state = gap_state(service, today, config, cached)
    if cached and limit in state.shown:
        return state.shown[limit]
    data = _gather(service, state, config, limit)
    if cached:
        state.shown[limit] = data  # a dict on a frozen state: one per head, never stale
    return data


def _gather(service: RegisterService, state: GapState, config: Any, limit: int) -> DashboardData:
    today = state.today
    uses_t, risk_t, person_t = table_of("ai_use"), table_of("risk"), table_of("person")
    # Only what the tiles and lists read: at 100,000 uses every column of every use
    # (purposes, imported source records) would be most of the time and memory.
    slim = [uses_t.c[n] for n in _SLIM_USE_COLUMNS]
    with service.engine.connect() as conn:
        uses = [
            SimpleNamespace(**dict(zip(_SLIM_USE_COLUMNS, r, strict=True)))
            for r in conn.execute(select(*slim).order_by(uses_t.c.id))
        ]
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

    # Counts in SQL (``gap_counts``, the same numbers as ``register_gaps``); the gaps
    # themselves, with their words, only for the uses the "most gaps" list names.
    counted = list(state.counts.values())
    gap_counts = {c.use_id: c.gaps for c in counted}
    # nsmallest is sorted(...)[:limit] without sorting 100,000 entries for 10 of them
    tier_rank = {t.value: t.ordinal() for t in Tier}
    most = heapq.nsmallest(
        limit, counted, key=lambda c: (-c.gaps, -tier_rank[by_id[c.use_id].tier], c.use_id)
    )
    titles = {
        g.use_id: [x.title for x in g.gaps]
        for g in register_gaps(service, today, [c.use_id for c in most])
    }

    def owner_name(use: Any) -> str:
        return people.get(use.owner_first_id, ("", False))[0]

    overdue: list[OverdueRow] = []
    for entry in counted:
        if entry.review_overdue:
            use = by_id[entry.use_id]
            due = review_due(use.last_review, use.next_review, config.review_months_for(use.tier))
            overdue.append(OverdueRow(use.id, use.name, use.tier, due, owner_name(use)))
    overdue.sort(key=lambda r: (r.due is not None, r.due or today, -tier_rank[r.tier]))

    no_owner: list[OwnerRow] = []
    for use in live:
        if use.owner_first_id is None:
            no_owner.append(OwnerRow(use.id, use.name, use.tier, "Nobody is named"))
        elif people.get(use.owner_first_id, ("", False))[1]:
            name = owner_name(use)
            no_owner.append(OwnerRow(use.id, use.name, use.tier, f"{name} has left"))
    no_owner.sort(key=lambda r: (-tier_rank[r.tier], r.name))

    critical = [
        CriticalRow(
            r.use_id, r.name, r.exposure, r.must_not_deploy, r.why, gap_counts.get(r.use_id, 0)
        )
        for r in state.critical.values()
    ]
    critical.sort(key=lambda r: (not r.must_not_deploy, -r.exposure, r.name))

    return DashboardData(
        today=today,
        by_tier=by_tier,
        gaps_total=sum(gap_counts.values()),
        gap_use_ids=[c.use_id for c in counted],
        most_gaps=[
            UseGapRow(
                c.use_id, by_id[c.use_id].name, by_id[c.use_id].tier, c.gaps, titles[c.use_id]
            )
            for c in most
        ],
        overdue=overdue,
        top_risks=[RiskRow(*row) for row in top],
        no_owner=no_owner,
        critical=critical,
        heat=all_heat_counts(service),
        live_uses=len(live),
    )
