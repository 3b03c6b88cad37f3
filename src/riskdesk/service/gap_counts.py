"""How many oversight gaps each use has, counted in SQL (issue 19: summary at 100k ≤ 1 s).

``oversight.register_gaps`` builds every gap with its words, one use at a time in
Python: right for ``riskdesk gaps`` and the editor, too slow when only the *numbers*
are wanted (``riskdesk summary``, the dashboard's totals). This module asks SQLite for
the same numbers in one statement: each rung of ``scoring.ladder.find_gaps`` is a
0/1 (or a count, for per-risk and per-incident rungs) column expression, with the
tier-dependent parts (which rungs a tier needs, its review cadence, the dates the
cadence gives from today) worked out in Python once per tier and passed in as
``CASE`` tables. Expired-evidence gaps (``evidence.evidence_gaps_by_use``) and vendor
due-diligence gaps (``due_diligence``) are counted by two more statements in SQLAlchemy
Core (so they run on PostgreSQL too): which vendors lack diligence is decided in
Python by ``due_diligence.missing_items`` itself, on the few vendor rows.

The module reads the register through light Core tables, not the models: ``riskdesk
summary`` must not pay for importing sqlmodel and the service layer (issue 19).

The counts must equal ``len(register_gaps(...)[i].gaps)`` for every use — the tests
compare the two paths use by use. When a register holds a value the SQL cannot read
exactly as the Python does (a stage, tier or status not in its stored form, a residual
rating outside 1–5), ``ladder_counts`` returns None and callers use the Python path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from sqlalchemy import Connection, Engine, column, select, table

from riskdesk.enums import (
    SCORED_TIERS,
    Autonomy,
    Band,
    IncidentStatus,
    PermissionEnvironment,
    RiskStatus,
    Stage,
    Tier,
)
from riskdesk.scoring.bands import BAND_STARTS
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.scoring.ladder import AGENT_LEVELS, RUNGS, add_months
from riskdesk.service.agents import AGENT_RUNGS, DESTRUCTIVE
from riskdesk.service.linked_gap_counts import linked_counts, linked_total

if TYPE_CHECKING:
    from riskdesk.service.register import RegisterService


class HasEngine(Protocol):
    """A ``Register`` or a ``RegisterService``: all the counts need is the engine."""

    @property
    def engine(self) -> Engine: ...


# Python's ``str.strip()`` whitespace, for SQLite's ``trim(x, chars)`` (its default
# trims spaces only): a rollback plan of a lone tab is blank to the ladder.
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_AGENT_VALUES = tuple(sorted(a.value for a in AGENT_LEVELS))


class UseCount(NamedTuple):  # a tuple: 100,000 of them are built in one go
    """One use's gap count, and whether one of its gaps is ``review_overdue``."""

    use_id: int
    gaps: int
    review_overdue: bool


def _case(column: str, by_tier: dict[str, str]) -> str:
    """``CASE column WHEN 0 THEN … END``: ``column`` holds a tier's ordinal (an integer
    compares faster than text, row after row), ``by_tier`` maps tier values to SQL."""
    arms = " ".join(f"WHEN {Tier(tier).ordinal()} THEN {sql}" for tier, sql in by_tier.items())
    return f"(CASE {column} {arms} END)"


def _ordinal(column: str) -> str:
    """A tier value's ``Tier.ordinal()`` in SQL."""
    arms = " ".join(f"WHEN '{t.value}' THEN {t.ordinal()}" for t in Tier)
    return f"(CASE {column} {arms} END)"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_ISO_DATE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def sql_readable(conn: Connection) -> bool:
    """Whether every value the ladder reads is stored in the form the SQL compares.

    One scan per table that stops at the first odd row: a stage, tier or status not
    in its stored form, a residual rating that is not a whole number 1–5 (``band_for``
    raises on it), a date that is not 'YYYY-MM-DD' text (compared as text here).
    """

    def values(enum: Iterable[Any]) -> str:
        return ", ".join(_quote(e.value) for e in enum)

    def not_iso(column: str) -> str:
        return f"{column} NOT GLOB {_ISO_DATE}"

    scored = values(SCORED_TIERS)
    odd = {
        "ai_use": f"stage IS NULL OR stage NOT IN ({values(Stage)})"
        f" OR tier IS NULL OR tier NOT IN ({values(Tier)})"
        f" OR (tier = '{Tier.NOT_ASSESSED.value}' AND tier_low NOT IN ({scored}, ''))"
        f" OR autonomy NOT IN ({values(Autonomy)})"
        f" OR {not_iso('last_review')} OR {not_iso('next_review')}",
        "risk": f"status IS NULL OR status NOT IN ({values(RiskStatus)})"
        f" OR (status != '{RiskStatus.CLOSED.value}' AND NOT ("
        "typeof(residual_likelihood) = 'integer' AND typeof(residual_impact) = 'integer'"
        " AND residual_likelihood BETWEEN 1 AND 5 AND residual_impact BETWEEN 1 AND 5))"
        f" OR {not_iso('acceptance_expires')}",
        "incident": f"status IS NULL OR status NOT IN ({values(IncidentStatus)})",
        "challenge": not_iso("raised_on"),
        "agent_permission": not_iso("last_reviewed"),
    }
    return not any(
        conn.exec_driver_sql(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1").first()
        for table, where in odd.items()
    )


def _shifted(day: dt.date, months: int) -> str:
    """``day`` moved by whole months as 'YYYY-MM-DD' text, the day kept even past the
    month's end ('2025-02-31'): compared as text, ``x < _shifted(t, -m)`` holds exactly
    when ``add_months(x, m) < t`` (``add_months`` clamps to the month's end, and a day
    past it still sorts after every real day of that month)."""
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}-{day.day:02d}"


def _month_key(column: str) -> str:
    """A date's (year × 12 + month) × 100 + day: ``add_months(x, m) < y`` exactly when
    ``key(x) + 100 m < key(y)`` (see ``_shifted``)."""
    return (
        f"(substr({column}, 1, 4) * 1200 + substr({column}, 6, 2) * 100 + substr({column}, 9, 2))"
    )


def _ladder_sql(
    today: dt.date, appetite: str, config: ScoringConfig, *, by_rung: bool = False
) -> str:
    """One row per live use: its id, its gap count, and review_overdue (0/1); ``by_rung``:
    its id, then one count per rung (the board pack's figures)."""
    tiers = [t.value for t in SCORED_TIERS]
    every = [*tiers, Tier.NOT_ASSESSED.value]

    def needs(code: str) -> str:
        needed = config.rung_tier(code).ordinal()
        return f"(u.eo >= {needed})"

    today_s = _quote(today.isoformat())
    # the ladder's cadence follows the effective tier; the challenge window and the
    # agent rungs follow the stored one (Not assessed: Critical's cadence)
    months_et = _case("u.eo", {t: str(config.review_months_for(t)) for t in tiers})
    # add_months(last_review, m) < today: last_review before today shifted back m months
    review_cut = _case(
        "u.eo", {t: _quote(_shifted(today, -config.review_months_for(t))) for t in tiers}
    )
    cadence_today = _case(  # add_months(today, m) < next_review
        "u.eo", {t: _quote(_shifted(today, config.review_months_for(t))) for t in tiers}
    )
    permission_cut = _case(
        "u.so", {t: _quote(_shifted(today, -config.review_months_for(t))) for t in every}
    )
    challenge_cut = _case(
        "u.so",
        {t: _quote(add_months(today, -config.review_months_for(t)).isoformat()) for t in every},
    )
    kill_floor = config.rung_tier("kill_switch").ordinal()
    below_kill_rung = f"(u.so < {kill_floor})"
    # A risk's residual is above appetite when its score reaches the first band past it
    # (``bands.BAND_STARTS``); an acceptance is missing, or expired (none without an end
    # date). Both rungs are counted by one look at the use's risks through their index:
    # a per-use aggregate of every risk, joined back, cost twice as much at 100k uses.
    appetite_rank = Band.parse(appetite).ordinal()
    above = [start for start, band in BAND_STARTS if band.ordinal() > appetite_rank]
    acceptance = (
        "(SELECT count(*) FROM risk r WHERE r.use_id = u.id"
        f" AND r.status != '{RiskStatus.CLOSED.value}'"
        f" AND r.residual_likelihood * r.residual_impact >= {min(above)}"
        f" AND (r.accepted_by_id IS NULL OR r.acceptance_expires IS NULL"
        f" OR r.acceptance_expires < {today_s}))"
        if above
        else "0"
    )
    ws = _quote(_WHITESPACE)

    def blank(col: str) -> str:
        return f"(trim(coalesce(u.{col}, ''), {ws}) = '')"

    # due: the earlier of next_review and add_months(last_review, m); None if neither
    overdue = (
        "((u.next_review IS NULL AND u.last_review IS NULL)"
        f" OR (u.next_review IS NOT NULL AND u.next_review < {today_s})"
        f" OR (u.last_review IS NOT NULL AND u.last_review < {review_cut}))"
    )
    beyond_cadence = (  # next_review > add_months(last_review or today, m)
        f"(CASE WHEN u.last_review IS NULL THEN u.next_review > {cadence_today}"
        f" ELSE {_month_key('u.next_review')} - {_month_key('u.last_review')}"
        f" > 100 * {months_et} END)"
    )
    # Per person, the lines held: o1 holds two if o2 or o3 is the same person; o2 (a
    # second person) if o3 is too or they own one of the use's risks (a 1st line); o3
    # (a third person) if they own one of its risks.
    independence = (
        "(u.owner_first_id IS NOT NULL AND (u.owner_second_id IS u.owner_first_id"
        " OR u.owner_third_id IS u.owner_first_id))"
        # CASE, not AND: SQLite evaluates both sides of an AND in a result column, and
        # the risk look-up is most of this rung's cost
        " + (CASE WHEN u.owner_second_id IS NULL OR u.owner_second_id IS u.owner_first_id"
        " THEN 0 WHEN u.owner_third_id IS u.owner_second_id THEN 1 ELSE EXISTS (SELECT 1"
        " FROM risk r WHERE r.use_id = u.id AND r.owner_id = u.owner_second_id) END)"
        " + (CASE WHEN u.owner_third_id IS NULL OR u.owner_third_id IS u.owner_first_id"
        " OR u.owner_third_id IS u.owner_second_id THEN 0 ELSE EXISTS (SELECT 1"
        " FROM risk r WHERE r.use_id = u.id AND r.owner_id = u.owner_third_id) END)"
    )
    challenged = (
        "(c.last IS NOT NULL AND ((u.last_review IS NOT NULL AND c.last >= u.last_review)"
        f" OR c.last > {challenge_cut}))"
    )
    agents = ", ".join(_quote(a) for a in _AGENT_VALUES)
    is_agent = "u.agent"
    approved = (  # ``agents.approval_for_destructive`` is True
        "((u.human_approval_destructive IS NOT NULL AND u.human_approval_destructive != 0)"
        f" OR (u.human_approval_destructive IS NULL"
        f" AND u.autonomy = '{Autonomy.AGENT_WRITE_APPROVAL.value}'))"
    )
    destructive = ", ".join(_quote(a) for a in sorted(DESTRUCTIVE))
    counted = {
        "assessment_missing": "u.ua",
        "owner_first": f"(u.owner_first_id IS NULL AND {needs('owner_first')})",
        "owner_left": "(coalesce(p1.has_left, 0) != 0) + (coalesce(p2.has_left, 0) != 0)"
        " + (coalesce(p3.has_left, 0) != 0)",
        "independence": independence,
        "review_overdue": f"(NOT u.ua AND {needs('review_overdue')} AND {overdue})",
        "review_cadence": f"(NOT u.ua AND {needs('review_cadence')} AND NOT {overdue}"
        f" AND u.next_review IS NOT NULL AND {beyond_cadence})",
        "acceptance_missing": acceptance,
        "acceptance_expired": "0",  # counted with acceptance_missing
        "incident_open": "coalesce(i.open, 0)",
        "rereview": "(coalesce(u.needs_rereview, 0) != 0)",
        "owner_second": f"(u.owner_second_id IS NULL AND {needs('owner_second')})",
        "risk_assessed": f"(CASE WHEN {needs('risk_assessed')} THEN NOT EXISTS"
        " (SELECT 1 FROM risk r WHERE r.use_id = u.id) ELSE 0 END)",
        "owner_third": f"(u.owner_third_id IS NULL AND {needs('owner_third')})",
        "challenge": f"(NOT {challenged} AND {needs('challenge')})",
        "rollback_plan": f"({blank('rollback_plan')} AND {needs('rollback_plan')})",
        "kill_switch": f"({blank('kill_switch')} AND {needs('kill_switch')})",
        "monitoring": f"({blank('monitoring')} AND {needs('monitoring')})",
        "board_reporting": f"(coalesce(u.board_reporting, 0) = 0 AND {needs('board_reporting')})",
        "permissions_review": f"({is_agent} AND coalesce(u.permissions_reviewed, 0) = 0"
        f" AND {needs('permissions_review')})",
        # ``agents.agent_gaps``: agents only, at every tier
        "agent_prod_unapproved": f"({is_agent} AND coalesce(g.destructive, 0) > 0"
        f" AND NOT {approved})",
        "agent_dev_prod": f"({is_agent} AND u.dev_prod_separated IS NOT NULL"
        " AND u.dev_prod_separated = 0)",
        "agent_permission_unneeded": f"({is_agent} * coalesce(g.unneeded, 0))",
        "agent_permission_review": f"({is_agent} AND coalesce(g.n, 0) > 0 AND (g.never > 0"
        f" OR g.oldest < {permission_cut}))",
        "agent_kill_switch": f"({is_agent} AND u.autonomy = '{Autonomy.AGENT_AUTONOMOUS.value}'"
        f" AND {blank('kill_switch')} AND {below_kill_rung})",
    }
    rungs = {r.code for r in RUNGS} | set(AGENT_RUNGS)
    assert set(counted) == rungs, "a ladder rung has no SQL count"
    total = " + ".join(f"({sql})" for sql in counted.values())
    columns = (
        ", ".join(f"({sql}) AS {code}" for code, sql in counted.items())
        if by_rung
        else f"{total} AS gaps, {counted['review_overdue']} AS review_overdue"
    )
    return f"""
WITH i AS (
    SELECT use_id, count(*) AS open FROM incident
    WHERE status != '{IncidentStatus.CLOSED.value}' AND use_id IS NOT NULL GROUP BY use_id
), c AS (
    SELECT use_id, max(raised_on) AS last FROM challenge GROUP BY use_id
), g AS (
    SELECT use_id, count(*) AS n, sum(last_reviewed IS NULL) AS never,
        min(last_reviewed) AS oldest,
        sum(needed IS NULL OR needed != 1) AS unneeded,
        sum(access IN ({destructive})
            AND environment = '{PermissionEnvironment.PRODUCTION.value}') AS destructive
    FROM agent_permission GROUP BY use_id
), t AS (
    SELECT *, (tier = '{Tier.NOT_ASSESSED.value}') AS ua,
        coalesce(autonomy IN ({agents}), 0) AS agent,
        {_ordinal("tier")} AS so,
        CASE WHEN tier = '{Tier.NOT_ASSESSED.value}'
             THEN {_ordinal("coalesce(nullif(tier_low, ''), 'low')")}
             ELSE {_ordinal("tier")} END AS eo
    FROM ai_use WHERE stage != '{Stage.RETIRED.value}'
)
SELECT u.id AS use_id, {columns}
FROM t u
LEFT JOIN i ON i.use_id = u.id
LEFT JOIN c ON c.use_id = u.id
LEFT JOIN g ON g.use_id = u.id
LEFT JOIN person p1 ON p1.id = u.owner_first_id
LEFT JOIN person p2 ON p2.id = u.owner_second_id
LEFT JOIN person p3 ON p3.id = u.owner_third_id
ORDER BY u.id
"""


def ladder_counts(
    conn: Connection, today: dt.date, appetite: str, config: ScoringConfig
) -> list[UseCount] | None:
    """Every live use's gap count; None: the register holds a value only the Python
    path reads right."""
    if conn.dialect.name != "sqlite" or not sql_readable(conn):
        return None  # the SQL is SQLite's (date text, GLOB, printf)
    counts: dict[int, list[int]] = {
        int(use_id): [int(n), int(overdue)]
        for use_id, n, overdue in conn.exec_driver_sql(_ladder_sql(today, appetite, config))
    }
    for use_id, extra in linked_counts(conn, today).items():
        counts.setdefault(use_id, [0, 0])[0] += extra
    return [UseCount(k, v[0], bool(v[1])) for k, v in sorted(counts.items())]


# --- entry points -----------------------------------------------------------------------


def gap_settings(conn: Connection) -> tuple[str, ScoringConfig]:
    """The risk appetite and scoring configuration the ladder judges with, read as
    ``RegisterService.profile()`` and ``.scoring_config()`` read them."""
    profile = table("org_profile", column("id"), column("risk_appetite"))
    settings = table("setting", column("key"), column("value"))
    appetite = conn.execute(select(profile.c.risk_appetite).where(profile.c.id == 1)).scalar()
    raw = conn.execute(select(settings.c.value).where(settings.c.key == "scoring")).scalar()
    stored = json.loads(raw) if raw else None
    config = ScoringConfig.from_json(json.dumps(stored)) if stored else DEFAULT_CONFIG
    return appetite or "medium", config  # "medium": the profile's default, as stored


def use_gap_counts(service: RegisterService, today: dt.date | None = None) -> list[UseCount]:
    """The uses with at least one gap, by id, with their counts: from SQL where the
    register allows, else from ``register_gaps`` itself."""
    today = today or dt.date.today()
    with service.engine.connect() as conn:
        counted = ladder_counts(conn, today, *gap_settings(conn))
    if counted is not None:
        return [u for u in counted if u.gaps]
    from riskdesk.service.oversight import register_gaps

    return [
        UseCount(u.use_id, len(u.gaps), any(g.rung == "review_overdue" for g in u.gaps))
        for u in register_gaps(service, today)
        if u.gaps
    ]


def gap_total(source: HasEngine, today: dt.date | None = None) -> int:
    """All open gaps of the register: the sum of ``register_gaps``' lists, summed by
    the database itself (no row per use comes back to Python). ``source`` is a
    ``Register`` (``riskdesk summary``) or a ``RegisterService``."""
    today = today or dt.date.today()
    with source.engine.connect() as conn:
        if conn.dialect.name == "sqlite" and sql_readable(conn):
            ladder = _ladder_sql(today, *gap_settings(conn))
            total = conn.exec_driver_sql(f"SELECT coalesce(sum(gaps), 0) FROM ({ladder})").scalar()
            return int(total or 0) + linked_total(conn, today)
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import Register

    if isinstance(source, RegisterService):
        service = source
    else:
        assert isinstance(source, Register), source
        service = RegisterService(source)
    return sum(u.gaps for u in use_gap_counts(service, today))
