"""What the dashboard keeps of a register between calls, and how an edit updates it.

Counting a register afresh reads every use and every risk (seconds at 100,000 uses).
Every change is an audited event, so the state is kept with the audit chain's head
when it was read, and each use's part in every figure is kept with it: its gap count,
tier, overdue and no-owner rows, Critical row, heatmap cells and top risks. The next
call reads the events after that head; when they touch only some uses' own records
(the use, its risks, incidents, challenges, agent permissions), just those uses are
read again and their parts replaced (issue 19 §4: the cost follows the change, not the
register's size). Anything wider (a person renamed or leaving, a vendor, the scoring
settings, more than ``MAX_INCREMENTAL_EVENTS`` events) or a new day counts afresh.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, func, select

from riskdesk.enums import RiskStatus, Stage, Tier
from riskdesk.fileformat.schema import table_of
from riskdesk.scoring.ladder import review_due
from riskdesk.service.dashboard_ranked import (
    Kept,
    Ranked,
    add_cells,
    heat_totals,
    packed,
    replaced_keys,
    risk_cell_columns,
)
from riskdesk.service.dashboard_rows import (
    LIST_LIMIT,
    CriticalRow,
    DashboardData,
    GapKey,
    OverdueRow,
    OwnerRow,
    RiskKey,
    RiskRow,
    critical_order,
    gap_key,
    live_risks,
    overdue_order,
    owner_order,
    risk_key,
    why_critical,
)
from riskdesk.service.gap_counts import UseCount, use_gap_counts
from riskdesk.service.oversight import register_gaps

if TYPE_CHECKING:
    from riskdesk.service.register import RegisterService

PER_USE_ENTITIES = frozenset({"risk", "incident", "challenge", "agent_permission"})
MAX_INCREMENTAL_EVENTS = 500  # more changes than this: count afresh
TOP_KEEP = 64  # top risks and most-gaps uses kept: this many edited before a new read
STREAM_BATCH = 5000


class SlimUse(NamedTuple):
    """Only what the tiles and lists read of a use: at 100,000 uses every column of
    every use (purposes, imported source records) would be most of the time and memory."""

    id: int
    name: str
    tier: str
    stage: str
    owner_first_id: int | None
    last_review: dt.date | None
    next_review: dt.date | None


People = dict[int, tuple[str, bool]]  # id -> (name, has left)


@dataclass(frozen=True)
class DashboardState:
    """The register's figures as of audit event ``head``, each use's part kept apart."""

    head: int
    today: dt.date
    counts: dict[int, UseCount]  # uses with at least one gap
    gap_ids: list[int]  # their ids, in order
    most: Kept[GapKey, UseCount]  # the first of them in the "most gaps" order
    gaps_total: int
    live: dict[int, str]  # live (not retired) use -> tier
    by_tier: dict[str, int]  # live uses per tier
    overdue: Ranked[OverdueRow]
    no_owner: Ranked[OwnerRow]
    critical: Ranked[CriticalRow]  # live Critical-tier uses
    top: Kept[RiskKey, RiskRow]
    cells: dict[int, bytes] | None  # live use -> its live risks' packed cells
    heat: list[int] | None  # None: a rating outside 1-15, the database counts each call
    shown: dict[int, DashboardData] = field(default_factory=dict)  # by list limit


_STATES: weakref.WeakKeyDictionary[RegisterService, DashboardState] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()  # the GUI computes in a worker; tests on the GUI thread


def audit_head(service: RegisterService) -> int:
    """The newest audit event's id: every change moves it (one indexed read)."""
    audit = table_of("audit_event").c
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit.id), 0))).scalar() or 0)


def changed_uses(service: RegisterService, since: int) -> set[int] | None:
    """The uses whose records the audited changes after event ``since`` touched;
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


# --- reading ------------------------------------------------------------------------
def _slim_uses(conn: Connection, ids: list[int] | None) -> Iterable[SlimUse]:
    uses = table_of("ai_use").c
    stmt = select(*(uses[n] for n in SlimUse._fields)).order_by(uses.id)
    if ids is not None:
        stmt = stmt.where(uses.id.in_(ids))
    else:  # every use: streamed (a server-side cursor on PostgreSQL), not held at once
        stmt = stmt.execution_options(yield_per=STREAM_BATCH)
    return (SlimUse(*row) for row in conn.execute(stmt))


def _people(conn: Connection, ids: set[int] | None = None) -> People:
    person = table_of("person").c
    stmt = select(person.id, person.name, person.has_left)
    if ids is not None:
        stmt = stmt.where(person.id.in_(sorted(ids)))
    return {r.id: (r.name, bool(r.has_left)) for r in conn.execute(stmt)}


def top_risks(conn: Connection, limit: int) -> list[tuple[RiskKey, int, RiskRow]]:
    """The first ``limit`` live risks, highest residual score first: (order, use, row)."""
    uses_t, risk_t = table_of("ai_use"), table_of("risk")
    residual = risk_t.c.residual_likelihood * risk_t.c.residual_impact
    inherent = risk_t.c.inherent_likelihood * risk_t.c.inherent_impact
    stmt = (
        select(
            risk_t.c.use_id,
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
    )
    out = []
    for row in conn.execute(stmt):
        risk = RiskRow(*row[1:])
        out.append((risk_key(risk), int(row[0]), risk))
    return out


def most_gaps(
    counts: dict[int, UseCount], live: dict[int, str], limit: int
) -> list[tuple[GapKey, int, UseCount]]:
    """The first ``limit`` uses by gaps, then tier: without sorting 100,000 for ten."""
    ranked = ((gap_key(u, c.gaps, live.get(u, "")), u, c) for u, c in counts.items())
    return heapq.nsmallest(limit, ranked)


class _Parts:
    """Works out each use's part in the figures, from its slim row and gap count.

    Equal strings (tiers, reasons) are kept once: tens of thousands of rows share a few.
    """

    def __init__(self, config: Any, people: People, counts: dict[int, UseCount]) -> None:
        self.people, self.counts, self.config = people, counts, config
        self._months: dict[str, int] = {}
        self._due: dict[tuple[Any, ...], dt.date | None] = {}  # many uses share dates
        self._texts: dict[str, str] = {}

    def text(self, value: str) -> str:
        return self._texts.setdefault(value, value)

    def _review_due(self, use: SlimUse) -> dt.date | None:
        months = self._months.get(use.tier)
        if months is None:
            months = self._months[use.tier] = self.config.review_months_for(use.tier)
        key = (use.last_review, use.next_review, months)
        if key not in self._due:
            self._due[key] = review_due(use.last_review, use.next_review, months)
        return self._due[key]

    def overdue(self, use: SlimUse) -> OverdueRow | None:
        found = self.counts.get(use.id)
        if found is None or not found.review_overdue:
            return None
        owner = self.people.get(use.owner_first_id, ("", False))[0]  # type: ignore[arg-type]
        due = self._review_due(use)  # found.use_id: the int the counts keep, not a second
        return OverdueRow(found.use_id, use.name, self.text(use.tier), due, owner)

    def no_owner(self, use: SlimUse) -> OwnerRow | None:
        if use.stage == Stage.RETIRED.value:
            return None
        if use.owner_first_id is None:
            reason = "Nobody is named"
        else:
            name, left = self.people.get(use.owner_first_id, ("", False))
            if not left:
                return None
            reason = f"{name} has left"
        return OwnerRow(use.id, use.name, self.text(use.tier), self.text(reason))

    def critical(self, conn: Connection, ids: list[int] | None) -> dict[int, CriticalRow]:
        """Live Critical-tier uses (of ``ids`` if given) with their score and reasons."""
        uses_t = table_of("ai_use")
        stmt = select(uses_t).where(
            uses_t.c.tier == Tier.CRITICAL.value, uses_t.c.stage != Stage.RETIRED.value
        )
        if ids is not None:
            stmt = stmt.where(uses_t.c.id.in_(ids))
        out: dict[int, CriticalRow] = {}
        for row in conn.execute(stmt.order_by(uses_t.c.id)).mappings():
            use = SimpleNamespace(**row)
            score, banned, why = why_critical(use, self.config)
            found = self.counts.get(use.id)
            gaps = found.gaps if found else 0
            why = [self.text(line) for line in why]
            out[use.id] = CriticalRow(use.id, use.name, score, banned, why, gaps)
        return out


def _packed_cells(
    rows: Iterable[Any], live: dict[int, str], fresh: bool = False
) -> dict[int, bytes] | None:
    """Each live use's packed cells from (use id, cell, cell, cell) rows of open risks;
    None if a rating cannot be packed. ``fresh``: keyed by ``live``'s own ints, so
    100,000 of them are not kept twice."""
    codes: dict[int, list[int]] = {}
    for use_id, *cells in rows:
        if use_id in live:  # a retired use's risks are on no heatmap
            found = codes.get(use_id)
            if found is None:
                codes[use_id] = cells
            else:
                found.extend(cells)
    out: dict[int, bytes] = {}
    for use_id in live if fresh else codes:
        if (found := codes.get(use_id)) is not None:
            if (cells_now := packed(found)) is None:
                return None
            out[use_id] = cells_now
    return out


# --- counting afresh ----------------------------------------------------------------
def fresh_state(service: RegisterService, head: int, today: dt.date, config: Any) -> DashboardState:
    keep = TOP_KEEP
    counts = {c.use_id: c for c in use_gap_counts(service, today)}
    risk = table_of("risk").c
    with service.engine.connect() as conn:
        parts = _Parts(config, _people(conn), counts)
        live: dict[int, str] = {}
        by_tier: dict[str, int] = {}
        overdue: list[OverdueRow] = []
        no_owner: list[OwnerRow] = []
        for use in _slim_uses(conn, None):
            if use.stage != Stage.RETIRED.value:
                found = counts.get(use.id)  # its id as counted: one int kept, not two
                tier = live[found.use_id if found else use.id] = parts.text(use.tier)
                by_tier[tier] = by_tier.get(tier, 0) + 1
            if (row := parts.overdue(use)) is not None:
                overdue.append(row)
            if (owner := parts.no_owner(use)) is not None:
                no_owner.append(owner)
        critical = parts.critical(conn, None)
        top = Kept.of(top_risks(conn, keep), keep)
        stmt = (
            select(risk.use_id, *risk_cell_columns())
            .where(risk.status != RiskStatus.CLOSED.value)
            .execution_options(yield_per=STREAM_BATCH)  # 500,000 risks, not held at once
        )
        cells = _packed_cells(conn.execute(stmt), live, fresh=True)
    return DashboardState(
        head=head,
        today=today,
        counts=counts,
        gap_ids=sorted(counts),
        most=Kept.of(most_gaps(counts, live, keep), keep),
        gaps_total=sum(c.gaps for c in counts.values()),
        live=live,
        by_tier=by_tier,
        overdue=Ranked.of(overdue, overdue_order(today)),
        no_owner=Ranked.of(no_owner, owner_order),
        critical=Ranked.of(critical.values(), critical_order),
        top=top,
        cells=cells,
        heat=heat_totals(cells.values()) if cells is not None else None,
    )


# --- replacing some uses' parts -------------------------------------------------------
def updated_state(
    service: RegisterService, state: DashboardState, head: int, uses: set[int], config: Any
) -> DashboardState:
    """``state`` with ``uses`` read again (a deleted use drops out of every figure)."""
    ids = sorted(uses)
    counted: dict[int, UseCount] = {}
    for found in register_gaps(service, state.today, ids):
        if found.gaps:
            late = any(g.rung == "review_overdue" for g in found.gaps)
            counted[found.use_id] = UseCount(found.use_id, len(found.gaps), late)
    risk = table_of("risk").c
    with service.engine.connect() as conn:
        now = {u.id: u for u in _slim_uses(conn, ids)}
        owners = {u.owner_first_id for u in now.values() if u.owner_first_id is not None}
        parts = _Parts(config, _people(conn, owners), counted)
        critical = parts.critical(conn, ids)
        risks = conn.execute(
            select(
                risk.use_id,
                risk.id,
                risk.title,
                risk.residual_likelihood,
                risk.residual_impact,
                risk.inherent_likelihood * risk.inherent_impact,
                *risk_cell_columns(),
            ).where(risk.status != RiskStatus.CLOSED.value, risk.use_id.in_(ids))
        ).all()

    counts, live, by_tier = state.counts.copy(), state.live.copy(), dict(state.by_tier)
    gaps_total = state.gaps_total
    for u in ids:
        if (old := counts.pop(u, None)) is not None:
            gaps_total -= old.gaps
        if (tier := live.pop(u, None)) is not None:
            by_tier[tier] -= 1
            if not by_tier[tier]:
                del by_tier[tier]  # a fresh count has no entry for a tier no use has
    for u, use in now.items():
        if use.stage != Stage.RETIRED.value:
            live[u] = use.tier
            by_tier[use.tier] = by_tier.get(use.tier, 0) + 1
    counts.update(counted)
    gaps_total += sum(c.gaps for c in counted.values())

    most = state.most.merged(
        uses, [(gap_key(u, c.gaps, live.get(u, "")), u, c) for u, c in counted.items()], TOP_KEEP
    )
    if not most.known(LIST_LIMIT):  # too many of the kept ones changed: rank them again
        most = Kept.of(most_gaps(counts, live, TOP_KEEP), TOP_KEEP)
    live_risks_now = [r for r in risks if r[0] in live]
    top_now = []
    for r in live_risks_now:
        row = RiskRow(r[1], r[2], now[r[0]].name, r[3], r[4], r[5])
        top_now.append((risk_key(row), r[0], row))
    top = state.top.merged(uses, top_now, TOP_KEEP)
    if not top.known(LIST_LIMIT):
        with service.engine.connect() as conn:
            top = Kept.of(top_risks(conn, TOP_KEEP), TOP_KEEP)
    cells, heat = _updated_heat(state, ids, [(r[0], *r[6:]) for r in live_risks_now], live)
    overdue = {u: v for u, use in now.items() if (v := parts.overdue(use)) is not None}
    no_owner = {u: o for u, use in now.items() if (o := parts.no_owner(use)) is not None}
    return DashboardState(
        head=head,
        today=state.today,
        counts=counts,
        gap_ids=replaced_keys(state.gap_ids, ids, counted),
        most=most,
        gaps_total=gaps_total,
        live=live,
        by_tier=by_tier,
        overdue=state.overdue.replaced(ids, overdue),
        no_owner=state.no_owner.replaced(ids, no_owner),
        critical=state.critical.replaced(ids, critical),
        top=top,
        cells=cells,
        heat=heat,
    )


def _updated_heat(
    state: DashboardState, ids: list[int], rows: list[Any], live: dict[int, str]
) -> tuple[dict[int, bytes] | None, list[int] | None]:
    if state.cells is None or state.heat is None:
        return None, None
    now = _packed_cells(rows, live)
    if now is None:
        return None, None
    cells, heat = state.cells.copy(), state.heat.copy()
    for u in ids:
        old = cells.pop(u, None)
        if old is not None:
            add_cells(heat, old, -1)
    for u, new in now.items():
        cells[u] = new
        add_cells(heat, new, 1)
    return cells, heat


def kept_state(
    service: RegisterService, today: dt.date, config: Any, cached: bool = True
) -> DashboardState:
    """The figures as of now: kept, brought up to date, or counted afresh
    (``cached=False``: always afresh, and nothing kept)."""
    head = audit_head(service)  # read first: a change made meanwhile is seen next time
    if not cached:
        return fresh_state(service, head, today, config)
    with _STATES_LOCK:
        state = _STATES.get(service)
    if state is not None and state.today == today:
        if state.head == head:
            return state
        uses = changed_uses(service, state.head)
        if uses is not None:
            state = updated_state(service, state, head, uses, config)
        else:
            state = fresh_state(service, head, today, config)
    else:
        state = fresh_state(service, head, today, config)
    with _STATES_LOCK:
        _STATES[service] = state
    return state
