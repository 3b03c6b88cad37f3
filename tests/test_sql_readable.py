"""``sql_readable`` by index range searches says what the scans it replaced said.

``gap_counts`` counts gaps in SQL only on a register whose every value the SQL reads is
in its stored form; otherwise the Python ladder counts (and reads, or refuses, the odd
value as it always has). The check now asks "is there a value between or beyond the
allowed ones?" through migration 0011's indexes (issue 19). These tests put one odd
value at a time into the demo — a label for a value, a near miss, a rating of 0, 7,
2.5, text or bytes, a date in another form — and hold the verdict to the row-by-row
predicate it replaced, with and without the indexes (the answer must not depend on
them, only its speed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import Connection, text

from riskdesk.enums import SCORED_TIERS, Autonomy, IncidentStatus, RiskStatus, Stage, Tier
from riskdesk.service.gap_counts import ladder_counts, use_gap_counts
from riskdesk.service.register import RegisterService
from riskdesk.service.sql_readable import outside, sql_readable
from tests.conftest import DEMO_TODAY
from tests.test_gap_counts import python_counts, shake

_ISO = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def _values(enum: Iterable[Any]) -> str:
    return ", ".join(f"'{e.value}'" for e in enum)


def scanned_verdict(conn: Connection) -> bool:
    """The check as it was before migration 0011: one row-by-row scan per table."""
    scored = _values(SCORED_TIERS)
    odd = {
        "ai_use": f"stage IS NULL OR stage NOT IN ({_values(Stage)})"
        f" OR tier IS NULL OR tier NOT IN ({_values(Tier)})"
        f" OR (tier = 'not_assessed' AND tier_low NOT IN ({scored}, ''))"
        f" OR autonomy NOT IN ({_values(Autonomy)})"
        f" OR last_review NOT GLOB {_ISO} OR next_review NOT GLOB {_ISO}",
        "risk": f"status IS NULL OR status NOT IN ({_values(RiskStatus)})"
        " OR (status != 'closed' AND NOT ("
        "typeof(residual_likelihood) = 'integer' AND typeof(residual_impact) = 'integer'"
        " AND residual_likelihood BETWEEN 1 AND 5 AND residual_impact BETWEEN 1 AND 5))"
        f" OR acceptance_expires NOT GLOB {_ISO}",
        "incident": f"status IS NULL OR status NOT IN ({_values(IncidentStatus)})",
        "challenge": f"raised_on NOT GLOB {_ISO}",
        "agent_permission": f"last_reviewed NOT GLOB {_ISO}",
    }
    return not any(
        conn.execute(text(f"SELECT 1 FROM {t} WHERE {w} LIMIT 1")).first() for t, w in odd.items()
    )


FIRST_USE = "id = (SELECT min(id) FROM ai_use)"
RISK_WITH = "id = (SELECT min(id) FROM risk WHERE status = '{}')"

# (label, SQL that puts one value in, odd?)
CHANGES = [
    ("stage label", f"UPDATE ai_use SET stage = 'Production' WHERE {FIRST_USE}", True),
    ("stage between values", f"UPDATE ai_use SET stage = 'pilots' WHERE {FIRST_USE}", True),
    ("stage after the last", f"UPDATE ai_use SET stage = 'zzz' WHERE {FIRST_USE}", True),
    ("stage empty", f"UPDATE ai_use SET stage = '' WHERE {FIRST_USE}", True),
    ("tier label", f"UPDATE ai_use SET tier = 'High' WHERE {FIRST_USE}", True),
    ("tier with a space", f"UPDATE ai_use SET tier = 'critical ' WHERE {FIRST_USE}", True),
    (
        "odd tier on a retired use",
        f"UPDATE ai_use SET stage = 'retired', tier = 'x' WHERE {FIRST_USE}",
        True,
    ),
    (
        "unassessed, lowest tier a label",
        f"UPDATE ai_use SET tier = 'not_assessed', tier_low = 'High' WHERE {FIRST_USE}",
        True,
    ),
    (
        "unassessed, lowest tier unknown",
        f"UPDATE ai_use SET tier = 'not_assessed', tier_low = NULL WHERE {FIRST_USE}",
        False,
    ),
    ("autonomy unknown", f"UPDATE ai_use SET autonomy = 'agentic' WHERE {FIRST_USE}", True),
    ("autonomy not stated", f"UPDATE ai_use SET autonomy = NULL WHERE {FIRST_USE}", False),
    (
        "autonomy unknown on a retired use",
        f"UPDATE ai_use SET stage = 'retired', autonomy = 'agentic' WHERE {FIRST_USE}",
        True,
    ),
    ("review date short", f"UPDATE ai_use SET last_review = '2025-1-05' WHERE {FIRST_USE}", True),
    (
        "next review slashes",
        f"UPDATE ai_use SET next_review = '2025/01/05' WHERE {FIRST_USE}",
        True,
    ),
    ("status label", f"UPDATE risk SET status = 'Open' WHERE {RISK_WITH.format('open')}", True),
    (
        "status before the first",
        f"UPDATE risk SET status = 'a' WHERE {RISK_WITH.format('open')}",
        True,
    ),
    (
        "status near miss",
        f"UPDATE risk SET status = 'closedx' WHERE {RISK_WITH.format('open')}",
        True,
    ),
    *(
        (
            f"likelihood {value} on a {status} risk",
            f"UPDATE risk SET residual_likelihood = {value} WHERE {RISK_WITH.format(status)}",
            True,
        )
        for status in ("open",)
        for value in ("0", "6", "2.5", "'3x'", "x'03'", "-1")
    ),
    ("impact 7", f"UPDATE risk SET residual_impact = 7 WHERE {RISK_WITH.format('open')}", True),
    ("impact 4.5", f"UPDATE risk SET residual_impact = 4.5 WHERE {RISK_WITH.format('open')}", True),
    (
        "impact as text on a closed risk (not read)",
        "UPDATE risk SET status = 'closed', residual_impact = 'n/a'"
        " WHERE id = (SELECT min(id) FROM risk)",
        False,
    ),
    ("rating '3' is stored as 3", "UPDATE risk SET residual_likelihood = '3'", False),
    ("acceptance end short", "UPDATE risk SET acceptance_expires = '2025-13'", True),
    (
        "acceptance end valid",
        "UPDATE risk SET acceptance_expires = '2025-01-31' WHERE id % 2 = 0",
        False,
    ),
    ("incident status label", "UPDATE incident SET status = 'Open'", True),
    ("challenge date", "UPDATE challenge SET raised_on = '2025-1-1'", True),
]


def _drop_gap_indexes(service: RegisterService) -> None:
    """Without migration 0011's indexes the searches are scans: slower, same answer."""
    with service.engine.begin() as conn:
        for name in ("ix_risk_residual", "ix_risk_use_owner", "ix_ai_use_stage"):
            conn.execute(text(f"DROP INDEX {name}"))


@pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "no-index"])
@pytest.mark.parametrize(("label", "sql", "odd"), CHANGES, ids=[c[0] for c in CHANGES])
def test_the_verdict_is_the_scans_verdict(
    demo_service: RegisterService, label: str, sql: str, odd: bool, indexed: bool
) -> None:
    if not indexed:
        _drop_gap_indexes(demo_service)
    with demo_service.engine.connect() as conn:
        assert sql_readable(conn) and scanned_verdict(conn)  # the demo as built
    with demo_service.engine.begin() as conn:
        assert conn.execute(text(sql)).rowcount, label  # the change hit a row
    with demo_service.engine.connect() as conn:
        assert scanned_verdict(conn) is not odd, label  # the case is what it says
        assert sql_readable(conn) is not odd, label
        counted = ladder_counts(conn, DEMO_TODAY, "medium", demo_service.scoring_config())
    assert (counted is None) is odd


def test_a_shaken_register_is_read_by_the_sql(demo_service: RegisterService) -> None:
    shake(demo_service, 6)
    with demo_service.engine.connect() as conn:
        assert sql_readable(conn) and scanned_verdict(conn)


def test_an_odd_rating_on_a_closed_risk_is_not_read(demo_service: RegisterService) -> None:
    """A closed risk's rating is never read: the SQL counts, and counts what the ladder
    does."""
    with demo_service.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE risk SET residual_impact = 2.5 WHERE {RISK_WITH.format('open')}")
        )
        conn.execute(text(f"UPDATE risk SET status = 'closed' WHERE {RISK_WITH.format('open')}"))
    with demo_service.engine.connect() as conn:
        assert sql_readable(conn)  # the odd rating is now on a closed risk
    expected = python_counts(demo_service, DEMO_TODAY)
    counted = {
        u.use_id: (u.gaps, u.review_overdue) for u in use_gap_counts(demo_service, DEMO_TODAY)
    }
    assert counted == expected


def test_outside_names_every_gap_between_the_values() -> None:
    assert outside("x", [3, 1, 2]) == [
        "x IS NULL",
        "x < 1",
        "x > 3",
        "x > 1 AND x < 2",
        "x > 2 AND x < 3",
    ]
    assert outside("s", ["b", "a"])[1:3] == ["s < 'a'", "s > 'b'"]


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE ai_use SET autonomy = 'agentic' WHERE {FIRST_USE}",
        f"UPDATE ai_use SET stage = 'retired', next_review = '2025-1-1' WHERE {FIRST_USE}",
    ],
    ids=["live", "retired"],
)
def test_the_total_hands_an_odd_use_to_the_ladder(
    demo_service: RegisterService, sql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live uses' autonomy and review dates are checked in the ladder's own pass
    over them, the retired uses' apart: either way the ladder answers, with its total or
    with its own words for the value (an unknown autonomy is refused by name)."""
    from riskdesk.service import oversight
    from riskdesk.service.gap_counts import gap_total

    with demo_service.engine.begin() as conn:
        conn.execute(text(sql))
    asked: list[bool] = []
    real = oversight.register_gaps

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(oversight, "register_gaps", spy)

    def outcome(count: Any) -> object:
        try:
            return count()
        except ValueError as exc:
            return str(exc)

    said = outcome(lambda: gap_total(demo_service, DEMO_TODAY))
    assert asked, "the SQL counted a register holding an odd value"
    expected = outcome(lambda: sum(n for n, _ in python_counts(demo_service, DEMO_TODAY).values()))
    assert said == expected
    assert ("agentic" in str(said)) is ("autonomy" in sql)  # refused by name, or counted
