"""Is every value the ladder's SQL reads stored in the form it compares? (``gap_counts``)

A stage, tier or status not in its stored form, a residual rating that is not a whole
number 1–5 (``band_for`` raises on it), a date that is not 'YYYY-MM-DD' text (compared
as text by the SQL): any one of them and ``gap_counts`` leaves the counting to the
Python ladder, which reads (or refuses) the value as it always has.

Asked as "is there a row whose value lies outside the allowed ones?", the question for
a column with an index is a handful of range searches: the gaps between the allowed
values, sorted as SQLite sorts them (NULL first, then numbers, text, blobs), each one
index search (migration 0011's ``ix_ai_use_stage`` and ``ix_risk_residual``). At
100,000 uses and 500,000 risks that is a millisecond where the scans took 0.4 s. The
columns no index leads (autonomy, the review dates, acceptance ends, the small tables)
are still scanned, each in one pass that stops at the first odd row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from sqlalchemy import Connection

from riskdesk.enums import SCORED_TIERS, Autonomy, IncidentStatus, RiskStatus, Stage, Tier

_ISO_DATE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
_RATINGS = (1, 2, 3, 4, 5)  # a residual rating: a whole number 1–5


def _sql(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def _values(enum: Iterable[Tier | Stage | Autonomy | RiskStatus | IncidentStatus]) -> str:
    return ", ".join(_sql(e.value) for e in enum)


def outside(column: str, allowed: Sequence[str | int]) -> list[str]:
    """Conditions, one range each, that together hold exactly when ``column`` is NULL
    or none of ``allowed``: below the first, above the last, between two neighbours.

    Text sorts bytewise (SQLite's BINARY collation, Python's code-point order); against
    a number, any text or blob is greater, so a rating column's odd text is "above 5".
    A real 2.5 lies between 2 and 3; an integer-valued real cannot be stored in an
    INTEGER column (SQLite stores it as the integer), so equality means the whole number.
    """
    ordered: list[str | int] = sorted(allowed, key=lambda v: (isinstance(v, str), v))
    terms = [
        f"{column} IS NULL",
        f"{column} < {_sql(ordered[0])}",
        f"{column} > {_sql(ordered[-1])}",
    ]
    terms += [f"{column} > {_sql(a)} AND {column} < {_sql(b)}" for a, b in pairwise(ordered)]
    return terms


def _searches() -> list[tuple[str, str]]:
    """(table, condition) pairs, each answered by index range searches."""
    stages = [s.value for s in Stage]
    tiers = [t.value for t in Tier]
    statuses = [s.value for s in RiskStatus]
    live = [s for s in statuses if s != RiskStatus.CLOSED.value]  # closed: ratings unread
    found: list[tuple[str, str]] = [("ai_use", w) for w in outside("stage", stages)]
    found += [
        ("ai_use", f"stage = {_sql(s)} AND {w}") for s in stages for w in outside("tier", tiers)
    ]
    found += [("risk", w) for w in outside("status", statuses)]
    for status in live:
        at = f"status = {_sql(status)}"
        found += [("risk", f"{at} AND {w}") for w in outside("residual_likelihood", _RATINGS)]
        found += [
            ("risk", f"{at} AND residual_likelihood = {k} AND {w}")
            for k in _RATINGS
            for w in outside("residual_impact", _RATINGS)
        ]
    return found


def _not_iso(column: str) -> str:
    return f"{column} NOT GLOB {_ISO_DATE}"


# A use's values no index leads. ``gap_counts`` asks it of the live uses in the ladder's
# own pass over them (``ladder_sql``'s ``odd`` column) and of the retired ones here.
USE_ROW_ODD = (
    f"autonomy NOT IN ({_values(Autonomy)})"
    f" OR {_not_iso('last_review')} OR {_not_iso('next_review')}"
)


def _scans(live_uses: bool) -> list[tuple[str, str]]:
    """(table, condition) pairs no index leads: one pass each (``live_uses``: the live
    uses' rows too, else the retired ones only, found through ix_ai_use_stage)."""
    scored = _values(SCORED_TIERS)
    retired = "" if live_uses else f"stage = '{Stage.RETIRED.value}' AND "
    not_iso = _not_iso
    return [
        # the few uses nobody has assessed, through ix_ai_use_tier
        ("ai_use", f"tier = '{Tier.NOT_ASSESSED.value}' AND tier_low NOT IN ({scored}, '')"),
        ("ai_use", f"{retired}({USE_ROW_ODD})"),
        # NULL is no date; the others are the risks with an acceptance end
        ("risk", f"acceptance_expires IS NOT NULL AND {not_iso('acceptance_expires')}"),
        ("incident", f"status IS NULL OR status NOT IN ({_values(IncidentStatus)})"),
        ("challenge", not_iso("raised_on")),
        ("agent_permission", not_iso("last_reviewed")),
    ]


def odd_value_sql(live_uses: bool = True) -> str:
    """One statement: 1 if some value is not in its stored form, else 0."""
    checks = _searches() + _scans(live_uses)
    return "SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE {w})" for t, w in checks)


_ODD = {live: odd_value_sql(live) for live in (True, False)}


def sql_readable(conn: Connection, *, live_uses: bool = True) -> bool:
    """Whether every value the ladder reads is stored in the form the SQL compares.
    ``live_uses`` False: all but ``USE_ROW_ODD`` on the live uses (the caller's own
    pass over them asks that)."""
    return not conn.exec_driver_sql(_ODD[live_uses]).scalar()
