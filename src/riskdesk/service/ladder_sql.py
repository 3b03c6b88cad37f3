"""The ladder's gap count per use as one SQLite statement (``gap_counts`` runs it).

Each rung of ``scoring.ladder.find_gaps`` (and ``agents.agent_gaps``) is a 0/1 (or a
count, for per-risk and per-incident rungs) expression. What a rung needs from the
use's tier — whether the tier needs it at all, its review cadence, the dates that
cadence gives from today — is worked out here in Python, once per tier, and written
into the SQL as constants: the statement dispatches on the stored tier (and, for a use
nobody has finished assessing, on the lowest tier its answers allow) with one ``CASE``
and each arm holds only the rungs its tier needs. At 100,000 uses this halved the cost
of evaluating the rungs against one expression that looked the tier up for every rung.

The dates are compared as 'YYYY-MM-DD' text, so the statement is SQLite's alone and
runs only on registers ``gap_counts.sql_readable`` has found in their stored form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

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
from riskdesk.scoring.config import ScoringConfig
from riskdesk.scoring.ladder import AGENT_LEVELS, RUNGS, add_months
from riskdesk.service.agents import AGENT_RUNGS, DESTRUCTIVE
from riskdesk.service.due_diligence import APPLIES_TO
from riskdesk.service.sql_readable import USE_ROW_ODD

# Python's ``str.strip()`` whitespace, for SQLite's ``trim(x, chars)`` (its default
# trims spaces only): a rollback plan of a lone tab is blank to the ladder.
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_AGENT_VALUES = tuple(sorted(a.value for a in AGENT_LEVELS))
_BY_ORDINAL = {t.ordinal(): t for t in Tier}

# The rungs a tier arm counts (the others are counted once, outside the arms); the
# assertion in ``ladder_sql`` keeps the two lists together with the ladder's own.
_TIERED = (
    "assessment_missing",
    "owner_first",
    "review_overdue",
    "review_cadence",
    "owner_second",
    "risk_assessed",
    "owner_third",
    "challenge",
    "rollback_plan",
    "kill_switch",
    "monitoring",
    "board_reporting",
    "permissions_review",
    "agent_permission_review",
    "agent_kill_switch",
)
_COMMON = (
    "owner_left",
    "independence",
    "acceptance_missing",
    "acceptance_expired",
    "incident_open",
    "rereview",
    "agent_prod_unapproved",
    "agent_dev_prod",
    "agent_permission_unneeded",
)


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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


def _blank(col: str) -> str:
    """``not (u.col or '').strip()``: a text that does not start with whitespace is not
    blank, and most are not, so only the others are trimmed (a copy of the text)."""
    ws = quote(_WHITESPACE)
    return (
        f"(CASE WHEN u.{col} IS NULL OR u.{col} = '' THEN 1"
        f" WHEN instr({ws}, substr(u.{col}, 1, 1)) THEN trim(u.{col}, {ws}) = '' ELSE 0 END)"
    )


class _Arm:
    """The rungs of a use whose effective tier has ordinal ``eo`` (the tier the ladder
    judges by), stored tier ``so``; ``ua``: nobody has finished assessing it."""

    def __init__(self, config: ScoringConfig, today: dt.date, eo: int, so: int) -> None:
        self.config, self.today, self.eo, self.so = config, today, eo, so
        self.ua = _BY_ORDINAL[so] is Tier.NOT_ASSESSED
        effective = config.review_months_for(_BY_ORDINAL[eo])
        stored = config.review_months_for(_BY_ORDINAL[so])  # Not assessed: Critical's
        self.months = effective
        self.today_s = quote(today.isoformat())
        # add_months(last_review, m) < today: last_review before today shifted back m months
        self.review_cut = quote(_shifted(today, -effective))
        self.cadence_today = quote(_shifted(today, effective))  # add_months(today, m)
        self.permission_cut = quote(_shifted(today, -stored))
        self.challenge_cut = quote(add_months(today, -stored).isoformat())

    def needs(self, code: str) -> bool:
        return self.eo >= self.config.rung_tier(code).ordinal()

    def overdue(self) -> str:
        """``review_overdue``: due (the earlier of next_review and add_months(last_review,
        m); never, if neither is set) before today."""
        if self.ua or not self.needs("review_overdue"):
            return "0"
        return (
            f"(CASE WHEN u.next_review IS NULL THEN u.last_review IS NULL"
            f" OR u.last_review < {self.review_cut}"
            f" WHEN u.next_review < {self.today_s} THEN 1"
            f" ELSE u.last_review IS NOT NULL AND u.last_review < {self.review_cut} END)"
        )

    def _review(self) -> str | None:
        """``review_overdue`` + ``review_cadence`` (next_review further than the cadence
        from last_review, or from today; only when not overdue): at most one holds."""
        overdue, cadence = self.needs("review_overdue"), self.needs("review_cadence")
        if self.ua or not (overdue or cadence):
            return None
        if not cadence:
            return self.overdue()
        late = "1" if overdue else "0"  # the arms where the use is overdue
        beyond = f"{_month_key('u.next_review')} - {_month_key('u.last_review')}"
        beyond += f" > {100 * self.months}"
        never = f"u.last_review IS NULL OR u.last_review < {self.review_cut}"
        return (
            f"(CASE WHEN u.next_review IS NULL THEN {never if overdue else '0'}"
            + f" WHEN u.next_review < {self.today_s} THEN {late}"
            f" WHEN u.last_review IS NULL THEN u.next_review > {self.cadence_today}"
            f" WHEN u.last_review < {self.review_cut} THEN {late} ELSE {beyond} END)"
        )

    def _agent_terms(self) -> dict[str, str]:
        """``agents.agent_gaps``' rungs (agents only, at every tier) and
        ``permissions_review``, by code; each counts only when the use is an agent."""
        approved = (  # ``agents.approval_for_destructive`` is True
            "((u.human_approval_destructive IS NOT NULL AND u.human_approval_destructive != 0)"
            " OR (u.human_approval_destructive IS NULL"
            f" AND u.autonomy = '{Autonomy.AGENT_WRITE_APPROVAL.value}'))"
        )
        terms = {
            "agent_prod_unapproved": f"(coalesce(g.destructive, 0) > 0 AND NOT {approved})",
            "agent_dev_prod": "(u.dev_prod_separated IS NOT NULL AND u.dev_prod_separated = 0)",
            "agent_permission_unneeded": "coalesce(g.unneeded, 0)",
            # one never reviewed, or the oldest review too old
            "agent_permission_review": (
                f"(coalesce(g.n, 0) > 0 AND (g.never > 0 OR g.oldest < {self.permission_cut}))"
            ),
        }
        if self.needs("permissions_review"):
            terms["permissions_review"] = "(coalesce(u.permissions_reviewed, 0) = 0)"
        if self.so < self.config.rung_tier("kill_switch").ordinal():
            terms["agent_kill_switch"] = (
                f"(u.autonomy = '{Autonomy.AGENT_AUTONOMOUS.value}' AND {_blank('kill_switch')})"
            )
        return terms

    def _agent(self) -> str:
        agents = ", ".join(quote(a) for a in _AGENT_VALUES)
        terms = " + ".join(self._agent_terms().values())
        return f"(CASE WHEN u.autonomy IN ({agents}) THEN {terms} ELSE 0 END)"

    def _optional(self) -> dict[str, str]:
        """The rungs a tier may need that read the use's own row (and its risks)."""
        challenged = f"(CASE WHEN c.last IS NULL THEN 1 WHEN c.last > {self.challenge_cut}"
        challenged += " OR c.last >= u.last_review THEN 0 ELSE 1 END)"
        optional = {
            "owner_first": "(u.owner_first_id IS NULL)",
            "owner_second": "(u.owner_second_id IS NULL)",
            "risk_assessed": "(NOT EXISTS (SELECT 1 FROM risk r WHERE r.use_id = u.id))",
            "owner_third": "(u.owner_third_id IS NULL)",
            "challenge": challenged,
            "rollback_plan": _blank("rollback_plan"),
            "kill_switch": _blank("kill_switch"),
            "monitoring": _blank("monitoring"),
            "board_reporting": "(coalesce(u.board_reporting, 0) = 0)",
        }
        return {code: sql for code, sql in optional.items() if self.needs(code)}

    def gaps(self) -> str:
        """The sum of the arm's rungs: each present only if the tier needs it."""
        terms = ["1"] if self.ua else []  # assessment_missing
        terms += self._optional().values()
        review = self._review()
        terms += [review] if review else []
        terms.append(self._agent())
        return " + ".join(terms)

    def rungs(self) -> dict[str, str]:
        """Each rung the arm counts, by code (the board pack names them apart); their
        sum is ``gaps``, which writes the two review rungs and the agent ones cheaper."""
        out = {"assessment_missing": "1"} if self.ua else {}
        out.update(self._optional())
        review = self._review()
        if review is not None:
            out["review_overdue"] = self.overdue()
            if self.needs("review_cadence"):  # at most one of the two holds
                out["review_cadence"] = f"(({review}) - ({self.overdue()}))"
        agents = ", ".join(quote(a) for a in _AGENT_VALUES)
        for code, term in self._agent_terms().items():
            out[code] = f"(CASE WHEN u.autonomy IN ({agents}) THEN {term} ELSE 0 END)"
        return out


def _by_tier(
    config: ScoringConfig,
    today: dt.date,
    sql: str | Callable[[_Arm], str],
    diligence: str | None = None,
) -> str:
    """``CASE`` on the stored tier (then, Not assessed, on the lowest tier its answers
    allow) with arm ``sql`` ('gaps', 'overdue', or a function of the arm) of each, plus
    ``diligence`` in the tiers due diligence applies to: NULL for a tier not stored in
    its value form (``sql_readable`` has ruled that out)."""
    na = Tier.NOT_ASSESSED
    scored = {t.ordinal(): t.value for t in SCORED_TIERS}

    def pick(arm: _Arm) -> str:
        return sql(arm) if callable(sql) else str(getattr(arm, sql)())

    def arm(o: int, value: str) -> str:
        own = pick(_Arm(config, today, o, o))
        return f"{own} + {diligence}" if diligence and value in APPLIES_TO else own

    arms = " ".join(f"WHEN '{value}' THEN {arm(o, value)}" for o, value in scored.items())
    unassessed = " ".join(
        f"WHEN '{value}' THEN {pick(_Arm(config, today, o, na.ordinal()))}"
        for o, value in scored.items()
    )
    low = Tier.LOW.value
    return (
        f"(CASE u.tier {arms} WHEN '{na.value}' THEN"
        f" (CASE coalesce(nullif(u.tier_low, ''), '{low}') {unassessed} END) END)"
    )


@dataclass(frozen=True)
class Inputs:
    """What the statement writes in from a few small reads (``gap_counts.inputs``)."""

    left: tuple[int, ...] = ()  # people who have left
    lacking: tuple[int, ...] = ()  # vendors lacking due diligence (``missing_items``)
    lacking_models: tuple[int, ...] = ()  # models whose provider is one of them


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def acceptance_sql(
    today: dt.date, appetite: str, *, per_use: bool, lapsed_only: bool = False
) -> str | None:
    """The ``acceptance_missing`` / ``acceptance_expired`` gaps: risks of live uses above
    the appetite without a named, current acceptance (one gap each, as ``find_gaps``
    words them) — their total, or (``per_use``) (use id, count) rows. None: nothing is
    above the appetite.

    Above the appetite: the residual score reaches the first band past it
    (``bands.BAND_STARTS``). With the ratings whole numbers 1–5 (``sql_readable``), that
    is a list of (status, likelihood, lowest impact) ranges, each one search of
    ``ix_risk_residual``, which holds every column the test reads: at 100,000 uses only
    the risks above appetite are read, not 500,000 rows.
    """
    appetite_rank = Band.parse(appetite).ordinal()
    above = [start for start, band in BAND_STARTS if band.ordinal() > appetite_rank]
    if not above:
        return None
    least = min(above)
    live = [s.value for s in RiskStatus if s is not RiskStatus.CLOSED]
    ranges = [
        f"(status = {quote(status)} AND residual_likelihood = {k}"
        f" AND residual_impact >= {-(-least // k)})"
        for status in live
        for k in range(1, 6)
        if -(-least // k) <= 5
    ]
    if not ranges:
        return None
    lapsed = f"(acceptance_expires IS NULL OR acceptance_expires < {quote(today.isoformat())})"
    # ``lapsed_only``: the accepted ones whose acceptance has run out (or has no end
    # date), which the board pack names apart from the missing ones
    unaccepted = (
        f"(accepted_by_id IS NOT NULL AND {lapsed})"
        if lapsed_only
        else f"(accepted_by_id IS NULL OR {lapsed})"
    )
    # the few retired uses, not the many live ones: a risk's use exists (a foreign key)
    uses = f"use_id NOT IN (SELECT id FROM ai_use WHERE stage = '{Stage.RETIRED.value}')"
    where = f"({' OR '.join(ranges)}) AND {unaccepted} AND {uses}"
    if per_use:
        return f"SELECT use_id, count(*) FROM risk WHERE {where} GROUP BY use_id"
    return f"SELECT count(*) FROM risk WHERE {where}"


def _diligence(inputs: Inputs) -> str | None:
    """``due_diligence.gaps_for_uses``' count for a use of a tier it applies to: the
    vendor it buys through lacks diligence, and the model's provider does (unless it is
    that same vendor)."""
    if not inputs.lacking:
        return None
    terms = [f"coalesce(u.vendor_id IN ({_ids(inputs.lacking)}), 0)"]
    if inputs.lacking_models:
        terms.append(
            f"(CASE WHEN u.model_id IN ({_ids(inputs.lacking_models)}) THEN u.vendor_id IS NOT"
            " (SELECT m.provider_id FROM ai_model m WHERE m.id = u.model_id) ELSE 0 END)"
        )
    return " + ".join(terms)


def _common(inputs: Inputs) -> dict[str, str]:
    """The rungs every tier counts alike, outside the tier arms, by code."""
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
    common = {
        "independence": independence,
        "incident_open": "coalesce(i.open, 0)",
        "rereview": "(coalesce(u.needs_rereview, 0) != 0)",
    }
    if inputs.left:  # for each line
        ids = _ids(inputs.left)
        common["owner_left"] = " + ".join(
            f"coalesce(u.owner_{n}_id IN ({ids}), 0)" for n in ("first", "second", "third")
        )
    return common


def _statement(columns: str, *, ordered: bool) -> str:
    """The live uses with their incidents, challenges and agent permissions joined."""
    destructive = ", ".join(quote(a) for a in sorted(DESTRUCTIVE))
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
)
SELECT u.id AS use_id, {columns}
FROM ai_use u
LEFT JOIN i ON i.use_id = u.id
LEFT JOIN c ON c.use_id = u.id
LEFT JOIN g ON g.use_id = u.id
WHERE u.stage != '{Stage.RETIRED.value}'
{"ORDER BY u.id" if ordered else ""}
"""


def ladder_sql(
    today: dt.date,
    config: ScoringConfig,
    inputs: Inputs,
    *,
    per_use: bool = True,
) -> str:
    """One row per live use: its id, its gap count ``gaps`` (all but the acceptance
    gaps, ``acceptance_sql``'s), (``per_use``) whether it is ``review_overdue`` (0/1),
    and ``odd``: 1 if a value ``sql_readable`` left to this pass is not in its stored
    form (then the counts are not to be used); in id order."""
    assert set(_TIERED) | set(_COMMON) == {r.code for r in RUNGS} | set(AGENT_RUNGS)
    tiered = _by_tier(config, today, "gaps", _diligence(inputs))
    gaps = " + ".join([tiered, *(f"({sql})" for sql in _common(inputs).values())])
    overdue = f", {_by_tier(config, today, 'overdue')} AS review_overdue" if per_use else ""
    odd = f"CASE WHEN {USE_ROW_ODD} THEN 1 ELSE 0 END AS odd"
    return _statement(f"{gaps} AS gaps{overdue}, {odd}", ordered=per_use)


ACCEPTANCE = ("acceptance_missing", "acceptance_expired")


def _rung(arm: _Arm, code: str) -> str:
    """One rung of an arm, 0 where the arm's tier does not count it."""
    return arm.rungs().get(code, "0")  # ``acceptance_sql``'s rungs


def ladder_by_rung_sql(today: dt.date, config: ScoringConfig, inputs: Inputs) -> str:
    """One row per live use, in id order: its id, then one count per rung of the ladder
    and the agent rungs (a column named by its code), as ``find_gaps`` and
    ``agent_gaps`` count them. Not in it: the acceptance rungs (``acceptance_sql``)
    and vendor due diligence (``linked_gap_counts``). Only for a register
    ``sql_readable`` passes as a whole (no ``odd`` column)."""
    codes = [r.code for r in RUNGS if r.code not in ACCEPTANCE] + list(AGENT_RUNGS)
    common = _common(inputs)
    columns = []
    for code in codes:
        if code in common:
            sql = common[code]
        elif code in _COMMON and code not in AGENT_RUNGS:
            sql = "0"  # owner_left with nobody gone
        else:
            sql = _by_tier(config, today, partial(_rung, code=code))
        columns.append(f"({sql}) AS {code}")
    return _statement(", ".join(columns), ordered=True)
