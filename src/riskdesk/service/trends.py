"""The register's direction, quarter by quarter: the drift the product exists to reveal.

Each quarter gets one point. Its figures come from the best record there is:

- **An issued board pack** in the quarter (its stored snapshot, the last one issued in
  the quarter): open gaps, overdue reviews, High/Critical and not-assessed uses as the
  board saw them, on the day the pack was issued.
- **Otherwise the audit trail**, replayed to the quarter's last day: each event holds
  the record's full state, so the uses that were live then, and their tiers, are known
  exactly. Gaps and overdue reviews are *not* reconstructed: they depend on reviews,
  challenges, people, evidence and the ladder's rules as they stood then, so a figure
  recomputed today would be a guess. They are unknown (``None``), never 0.
- **The current quarter** shows the register now (the dashboard passes its own figures).

Incidents and near misses are counted by the quarter in which they were *logged* (their
audit "create" event), like the board pack's "logged since", so an incident logged late
appears in the quarter it reached the register. Quarters before both the register's
first audit event and its first issued pack are left out: nothing is known about them.
A pack dated before the audit trail starts (the demo's invented history, marked as such
in the pack record) gives its quarter's position; what the trail would have said of
that quarter (incidents logged, or a quarter without a pack) is unknown.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, cast, func, select, type_coerce

from riskdesk.enums import IncidentKind, Stage, Tier
from riskdesk.service.register import RegisterService, table_of

# The series, in the order the chart and the text give them.
SERIES: tuple[str, ...] = (
    "gaps",
    "overdue",
    "not_assessed",
    "high_critical",
    "incidents",
    "near_misses",
)
SERIES_LABELS: dict[str, str] = {
    "gaps": "Open gaps",
    "overdue": "Overdue reviews",
    "not_assessed": "Not assessed",
    "high_critical": "High or Critical",
    "incidents": "Incidents",
    "near_misses": "Near misses",
}
# Counted over the quarter (logged in it); the others are a position on one day.
FLOWS = frozenset({"incidents", "near_misses"})
QUARTERS = 6  # shown at most: a year and a half of direction
HIGH = frozenset({Tier.HIGH.value, Tier.CRITICAL.value})
# The board pack snapshot's format (``reports/snapshot.py``, which imports the service,
# so it cannot be imported here; a test holds the two versions equal).
SNAPSHOT_VERSION = 2
SOURCE_WORDS = {
    "pack": "from the board pack issued",
    "audit": "from the audit trail, at the quarter's end",
    "now": "the register now",
    "none": "nothing recorded: before the audit trail, and no board pack issued",
}


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    start = quarter_start(day)
    following = dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def quarter_label(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def previous_quarter(day: dt.date) -> dt.date:
    return quarter_start(quarter_start(day) - dt.timedelta(days=1))


@dataclass(frozen=True)
class QuarterPoint:
    """One quarter's figures; ``None`` is unknown (never drawn or read as 0)."""

    label: str  # "Q3 2026"
    start: dt.date
    end: dt.date
    as_of: dt.date  # the day the position figures (all but the flows) describe
    source: str  # "pack", "audit" or "now" (see SOURCE_WORDS)
    values: dict[str, int | None] = field(default_factory=dict)

    def value(self, key: str) -> int | None:
        return self.values.get(key)

    def describe(self) -> str:
        """The quarter in words: the chart's text alternative, one line per quarter."""
        where = SOURCE_WORDS[self.source]
        if self.source == "pack":
            where += f" on {self.as_of.isoformat()}"
        elif self.source == "now":
            where += f" ({self.as_of.isoformat()})"
        parts = []
        for key in SERIES:
            value = self.values.get(key)
            shown = "unknown" if value is None else f"{value:,}"
            parts.append(f"{SERIES_LABELS[key].lower()} {shown}")
        return (
            f"{self.label} ({where}): " + ", ".join(parts) + " (incidents: logged in the quarter)."
        )


@dataclass(frozen=True)
class RegisterTrend:
    points: list[QuarterPoint]  # oldest first; the last is the current quarter
    started: dt.date | None  # the day of the register's first audit event

    def series(self, key: str) -> list[int | None]:
        return [p.value(key) for p in self.points]

    def text(self) -> str:
        lines = [p.describe() for p in self.points]
        if self.started is not None:
            lines.append(
                f"The register's audit trail starts on {self.started.isoformat()}; "
                "before it, only what the board packs issued then recorded is known. Gaps "
                "and overdue reviews of a past quarter are known only when a board pack "
                "was issued in it."
            )
        return "\n".join(lines)


def _pack_values(snapshot: Mapping[str, Any]) -> dict[str, int | None]:
    """A pack's position; gaps and overdue only if that pack recorded them (issue 15)."""
    uses = snapshot.get("uses", {})
    stages = uses.get("stage", [])
    live = [i for i, stage in enumerate(stages) if stage != Stage.RETIRED.value]
    tiers = uses.get("tier", [])
    gaps, overdue = uses.get("gaps"), uses.get("overdue")
    return {
        **_position((tiers[i], stages[i]) for i in live),
        # retired uses have no gaps and are never overdue, as the pack counted them
        "gaps": sum(len(g) for g in gaps) if gaps is not None else None,
        "overdue": sum(overdue) if overdue is not None else None,
    }


def _issued_packs(service: RegisterService) -> list[tuple[dt.date, dict[str, Any]]]:
    """Issued packs with a readable snapshot, oldest first."""
    table = table_of("board_pack")
    with service.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.exported_at, table.c.snapshot).order_by(table.c.id)
        ).all()
    packs = []
    for exported_at, text in rows:
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("version") == SNAPSHOT_VERSION:
            packs.append((exported_at.date(), data))
    return packs


def _position(uses: Iterable[tuple[str, str]]) -> dict[str, int | None]:
    """High/Critical and not-assessed counts of (tier, stage) pairs, retired left out."""
    live = [tier for tier, stage in uses if stage != Stage.RETIRED.value]
    return {
        "high_critical": sum(1 for t in live if t in HIGH),
        "not_assessed": sum(1 for t in live if t == Tier.NOT_ASSESSED.value),
    }


def _replay(service: RegisterService, days: list[dt.date]) -> dict[dt.date, dict[str, int | None]]:
    """The uses' position at the end of each of ``days`` (ascending), from the audit trail."""
    if not days:
        return {}
    audit = table_of("audit_event")
    out: dict[dt.date, dict[str, int | None]] = {}
    state: dict[str, tuple[str, str]] = {}  # use id -> (tier, stage)
    pending = list(days)
    # Only the tier and stage of each state, read by the database (a third of the time
    # of fetching and parsing every full record of a 10,000-use register in Python).
    with service.engine.connect() as conn:
        text = func.nullif(audit.c.after, "")  # a delete's "after" is empty
        # PostgreSQL's ->> needs a json value; SQLite's json_extract reads the text itself
        postgres = conn.dialect.name == "postgresql"
        doc = cast(text, JSON) if postgres else type_coerce(text, JSON)
        rows = conn.execute(
            select(
                audit.c.at,
                audit.c.action,
                audit.c.entity_id,
                doc["tier"].as_string(),
                doc["stage"].as_string(),
            )
            .where(audit.c.entity == "ai_use")
            .order_by(audit.c.id)
        )
        for at, action, key, tier_value, stage_value in rows:
            while pending and at.date() > pending[0]:
                out[pending.pop(0)] = _position(state.values())
            if not pending:
                break
            if action == "delete" or tier_value is None:
                state.pop(key, None)
                continue
            state[key] = (tier_value, stage_value or "")
    for day in pending:
        out[day] = _position(state.values())
    return out


def _logged_incidents(service: RegisterService) -> list[tuple[dt.date, str]]:
    """(day logged, kind) of every incident still on the register, from the audit trail."""
    audit, incident = table_of("audit_event"), table_of("incident")
    logged: dict[str, dt.date] = {}
    with service.engine.connect() as conn:
        kinds = {str(i): k for i, k in conn.execute(select(incident.c.id, incident.c.kind))}
        for at, key in conn.execute(
            select(audit.c.at, audit.c.entity_id)
            .where(audit.c.entity == "incident", audit.c.action == "create")
            .order_by(audit.c.id)
        ):
            logged.setdefault(key, at.date())  # a deleted-then-restored one: its first day
    return [(day, kinds[key]) for key, day in logged.items() if key in kinds]


def _first_event_day(service: RegisterService) -> dt.date | None:
    audit = table_of("audit_event")
    with service.engine.connect() as conn:
        # the chain is append-only, so its first event is its oldest (by key: no scan)
        first = conn.execute(select(audit.c.at).order_by(audit.c.id).limit(1)).scalar()
    return first.date() if first is not None else None


def current_position(service: RegisterService, today: dt.date) -> dict[str, int | None]:
    """The register now, for callers without the dashboard's figures (CLI, tests)."""
    from riskdesk.service.oversight import iter_register_gaps

    uses = table_of("ai_use")
    with service.engine.connect() as conn:
        pairs = [(t, s) for t, s in conn.execute(select(uses.c.tier, uses.c.stage))]
    # Counted as judged, a batch at a time: the whole list was 300 MB at 100,000 uses.
    gaps = overdue = 0
    for use in iter_register_gaps(service, today):
        gaps += len(use.gaps)
        overdue += any(x.rung == "review_overdue" for x in use.gaps)
    return {**_position(pairs), "gaps": gaps, "overdue": overdue}


def register_trend(
    service: RegisterService,
    today: dt.date | None = None,
    now: Mapping[str, int | None] | None = None,
    quarters: int = QUARTERS,
) -> RegisterTrend:
    """Up to ``quarters`` quarters, oldest first, ending with the current one.

    ``now`` holds the current position (``gaps``, ``overdue``, ``high_critical``,
    ``not_assessed``) when the caller already has it; otherwise it is computed.
    """
    today = today or dt.date.today()
    started = _first_event_day(service)
    packs = _issued_packs(service)
    known = [day for day in (started, packs[0][0] if packs else None) if day is not None]
    earliest = min(known) if known else None
    first = quarter_start(today)
    for _ in range(quarters - 1):
        earlier = previous_quarter(first)
        if earliest is None or quarter_end(earlier) < earliest:
            break
        first = earlier
    starts = [first]
    while starts[-1] < quarter_start(today):
        starts.append(quarter_start(quarter_end(starts[-1]) + dt.timedelta(days=1)))

    last_pack: dict[dt.date, tuple[dt.date, dict[str, Any]]] = {}
    for day, snapshot in packs:
        last_pack[quarter_start(day)] = (day, snapshot)  # later packs replace earlier
    del packs
    past = starts[:-1]

    def before_trail(start: dt.date) -> bool:
        """The quarter ended before the audit trail's first event: it logged nothing."""
        return started is None or quarter_end(start) < started

    replayed = _replay(
        service, [quarter_end(s) for s in past if s not in last_pack and not before_trail(s)]
    )
    incidents = _logged_incidents(service)

    points: list[QuarterPoint] = []
    for start in starts:
        end = quarter_end(start)
        values: dict[str, int | None] = dict.fromkeys(SERIES)
        if start == quarter_start(today):
            source, as_of = "now", today
            values.update(now if now is not None else current_position(service, today))
        elif start in last_pack:
            source, (as_of, snapshot) = "pack", last_pack[start]
            values.update(_pack_values(snapshot))
        elif before_trail(start):
            source, as_of = "none", end  # every figure stays unknown
        else:
            source, as_of = "audit", end
            values.update(replayed[end])
        if before_trail(start) and start != quarter_start(today):
            # no audit trail yet: what was logged in the quarter is unknown, not none
            points.append(QuarterPoint(quarter_label(start), start, end, as_of, source, values))
            continue
        logged = [kind for day, kind in incidents if start <= day <= end]
        near = sum(1 for k in logged if k == IncidentKind.NEAR_MISS.value)
        unstated = sum(1 for k in logged if k == IncidentKind.NOT_STATED.value)  # neither
        values["near_misses"], values["incidents"] = near, len(logged) - near - unstated
        points.append(QuarterPoint(quarter_label(start), start, end, as_of, source, values))
    return RegisterTrend(points, started)
