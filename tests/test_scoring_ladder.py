"""The proportional oversight ladder: each rung's gap appears when missing and goes when met."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskdesk.enums import SCORED_TIERS, Tier
from riskdesk.scoring import (
    DEFAULT_CONFIG,
    RUNGS,
    Gap,
    GapInputs,
    ScoringConfig,
    add_months,
    find_gaps,
    next_review_due,
)
from riskdesk.scoring.config import LADDER_CODES

TODAY = dt.date(2026, 11, 1)

# A Critical agent with every rung in place: the baseline each case breaks one rung of.
COMPLETE = GapInputs(
    tier=Tier.CRITICAL,
    today=TODAY,
    owner_first_id=1,
    owner_second_id=2,
    owner_third_id=3,
    owners_left=frozenset({9}),
    last_review=TODAY - dt.timedelta(days=10),
    next_review=TODAY + dt.timedelta(days=15),
    risk_count=2,
    has_recorded_challenge=True,
    rollback_plan="Switch back to the manual rota",
    kill_switch="IT disables the API key",
    monitoring="Weekly sample of outputs",
    board_reporting=True,
    autonomy="agent_autonomous",
    permissions_reviewed=True,
    stage="production",
)


def codes(gaps: list[Gap]) -> list[str]:
    return [g.rung for g in gaps]


def test_a_complete_use_has_no_gaps_at_any_tier() -> None:
    for tier in SCORED_TIERS:
        assert find_gaps(dataclasses.replace(COMPLETE, tier=tier)) == []


# (rung code, change that removes the rung, lowest tier at which it is a gap)
BREAKS: list[tuple[str, dict[str, object], Tier]] = [
    ("owner_first", {"owner_first_id": None}, Tier.LOW),
    ("owner_left", {"owners_left": frozenset({2})}, Tier.LOW),
    ("independence", {"owner_third_id": 1}, Tier.LOW),
    ("review_overdue", {"last_review": None, "next_review": None}, Tier.LOW),
    ("review_overdue", {"next_review": TODAY - dt.timedelta(days=1)}, Tier.LOW),
    ("acceptance_missing", {"risks_above_appetite_unaccepted": ["Leak"]}, Tier.LOW),
    ("acceptance_expired", {"expired_acceptances": ["Bias"]}, Tier.LOW),
    ("incident_open", {"open_incidents": ["Wrong refund"]}, Tier.LOW),
    ("rereview", {"needs_rereview": True}, Tier.LOW),
    ("independence", {"risk_owner_ids": frozenset({2})}, Tier.LOW),
    ("owner_second", {"owner_second_id": None}, Tier.MODERATE),
    ("risk_assessed", {"risk_count": 0}, Tier.MODERATE),
    ("owner_third", {"owner_third_id": None}, Tier.HIGH),
    ("challenge", {"has_recorded_challenge": False}, Tier.HIGH),
    ("rollback_plan", {"rollback_plan": "  "}, Tier.HIGH),
    ("kill_switch", {"kill_switch": ""}, Tier.HIGH),
    ("monitoring", {"monitoring": ""}, Tier.HIGH),
    ("board_reporting", {"board_reporting": False}, Tier.CRITICAL),
    ("permissions_review", {"permissions_reviewed": False}, Tier.HIGH),  # issue 17
]


@pytest.mark.parametrize(
    ("code", "change", "from_tier"), BREAKS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(BREAKS)]
)
@pytest.mark.parametrize("tier", SCORED_TIERS, ids=[t.value for t in SCORED_TIERS])
def test_each_rung_is_a_gap_exactly_from_its_tier(
    code: str, change: dict[str, object], from_tier: Tier, tier: Tier
) -> None:
    inp = dataclasses.replace(COMPLETE, tier=tier, **change)  # type: ignore[arg-type]
    gaps = find_gaps(inp)
    if tier.ordinal() >= from_tier.ordinal():
        assert codes(gaps) == [code]
        gap = gaps[0]
        assert gap.tier_required is from_tier
        assert gap.title == next(r.title for r in RUNGS if r.code == code)
        assert gap.reason and "\n" not in gap.reason
    else:
        assert gaps == []
    # Putting the rung back removes the gap.
    assert find_gaps(dataclasses.replace(inp, **{k: getattr(COMPLETE, k) for k in change})) == []


def test_every_rung_code_is_covered_by_a_case() -> None:
    # review_cadence: below; assessment_missing: tests/test_scoring_unknown.py
    covered = {code for code, _, _ in BREAKS} | {"review_cadence", "assessment_missing"}
    assert covered == {r.code for r in RUNGS}
    assert len({r.code for r in RUNGS}) == len(RUNGS)
    assert {r.code for r in RUNGS if not r.every_tier} == set(LADDER_CODES)


def test_permissions_review_only_for_agents() -> None:
    for autonomy in ("none", "assistive"):
        inp = dataclasses.replace(COMPLETE, autonomy=autonomy, permissions_reviewed=False)
        assert find_gaps(inp) == []
    for autonomy in ("agent_read", "agent_write_approval", "agent_autonomous"):
        inp = dataclasses.replace(COMPLETE, autonomy=autonomy, permissions_reviewed=False)
        assert codes(find_gaps(inp)) == ["permissions_review"]


def test_retired_uses_have_no_gaps() -> None:
    neglected = GapInputs(
        tier=Tier.CRITICAL,
        today=TODAY,
        owners_left=frozenset({1}),
        owner_first_id=1,
        owner_second_id=1,
        risks_above_appetite_unaccepted=["Leak"],
        autonomy="agent_autonomous",
        stage="retired",
    )
    assert find_gaps(neglected) == []
    assert len(find_gaps(dataclasses.replace(neglected, stage="pilot"))) > 5


def test_a_neglected_critical_use_lists_every_gap_in_ladder_order() -> None:
    neglected = GapInputs(
        tier=Tier.CRITICAL,
        today=TODAY,
        owner_first_id=None,
        autonomy="agent_read",
        risks_above_appetite_unaccepted=["Leak", "Bias"],
        expired_acceptances=["Drift"],
    )
    assert codes(find_gaps(neglected)) == [
        "owner_first",
        "review_overdue",
        "acceptance_missing",
        "acceptance_missing",
        "acceptance_expired",
        "owner_second",
        "risk_assessed",
        "owner_third",
        "challenge",
        "rollback_plan",
        "kill_switch",
        "monitoring",
        "board_reporting",
        "permissions_review",
    ]


def test_per_risk_and_per_owner_gaps_name_their_subject() -> None:
    inp = dataclasses.replace(
        COMPLETE,
        owners_left=frozenset({1, 3}),
        risks_above_appetite_unaccepted=["Leak"],
        expired_acceptances=["Bias"],
    )
    gaps = find_gaps(inp)
    assert [(g.rung, g.subject) for g in gaps] == [
        ("owner_left", "1st line"),
        ("owner_left", "3rd line"),
        ("acceptance_missing", "Leak"),
        ("acceptance_expired", "Bias"),
    ]
    assert gaps[0].reason == "The 1st-line owner has left the organisation; name a replacement."
    assert "“Leak”" in gaps[2].reason


def test_independence_names_the_lines_held_by_one_person() -> None:
    gaps = find_gaps(dataclasses.replace(COMPLETE, owner_second_id=1, owner_third_id=1))
    assert codes(gaps) == ["independence"]
    assert gaps[0].reason == (
        "The same person holds the 1st line and 2nd line and 3rd line, "
        "so nobody independent checks the work."
    )
    two_pairs = find_gaps(
        dataclasses.replace(COMPLETE, owner_second_id=1, owner_third_id=None, tier=Tier.MODERATE)
    )
    assert codes(two_pairs) == ["independence"]


# --- review timing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "last", "expected_due"),
    [
        (Tier.LOW, dt.date(2025, 11, 1), dt.date(2026, 11, 1)),
        (Tier.MODERATE, dt.date(2026, 5, 1), dt.date(2026, 11, 1)),
        (Tier.HIGH, dt.date(2026, 8, 1), dt.date(2026, 11, 1)),
        (Tier.CRITICAL, dt.date(2026, 10, 1), dt.date(2026, 11, 1)),
    ],
)
def test_cadence_12_6_3_1_months(tier: Tier, last: dt.date, expected_due: dt.date) -> None:
    assert next_review_due(tier, last) == expected_due
    # Due today is not yet overdue; due yesterday is.
    on_time = dataclasses.replace(COMPLETE, tier=tier, last_review=last, next_review=None)
    assert find_gaps(on_time) == []
    late = dataclasses.replace(on_time, last_review=last - dt.timedelta(days=1))
    gaps = find_gaps(late)
    assert codes(gaps) == ["review_overdue"]
    late_due = next_review_due(tier, last - dt.timedelta(days=1))
    assert late_due < TODAY
    assert gaps[0].reason.startswith(f"Review was due on {late_due.isoformat()} ")


def test_a_tier_that_crept_up_brings_the_review_forward() -> None:
    # Reviewed four months ago and scheduled yearly, but the use is now High (3-monthly).
    inp = dataclasses.replace(
        COMPLETE, tier=Tier.HIGH, last_review=dt.date(2026, 7, 1), next_review=dt.date(2027, 7, 1)
    )
    gaps = find_gaps(inp)
    assert codes(gaps) == ["review_overdue"]
    assert gaps[0].reason == (
        "Review was due on 2026-10-01 (last reviewed 2026-07-01): "
        "a High-tier use is reviewed every 3 months."
    )


def test_review_scheduled_beyond_the_cadence_is_a_gap_before_it_is_overdue() -> None:
    inp = dataclasses.replace(
        COMPLETE, tier=Tier.HIGH, last_review=dt.date(2026, 10, 1), next_review=dt.date(2027, 10, 1)
    )
    gaps = find_gaps(inp)
    assert codes(gaps) == ["review_cadence"]
    assert "by 2027-01-01" in gaps[0].reason
    assert find_gaps(dataclasses.replace(inp, next_review=dt.date(2027, 1, 1))) == []
    # Never reviewed but scheduled: measured from today.
    unreviewed = dataclasses.replace(inp, last_review=None, next_review=dt.date(2027, 3, 1))
    assert codes(find_gaps(unreviewed)) == ["review_cadence"]
    soon = dataclasses.replace(unreviewed, next_review=dt.date(2027, 2, 1))
    assert find_gaps(soon) == []


def test_never_reviewed_and_nothing_scheduled() -> None:
    gaps = find_gaps(
        dataclasses.replace(COMPLETE, tier=Tier.LOW, last_review=None, next_review=None)
    )
    assert codes(gaps) == ["review_overdue"]
    assert gaps[0].reason == (
        "Never reviewed and no review scheduled: a Low-tier use is reviewed every year."
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 8, 31), 3, dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 12, 31), 12, dt.date(2027, 12, 31)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_add_months_lands_in_the_right_month(start: dt.date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    assert end >= start


# --- settings --------------------------------------------------------------------------


def test_ladder_and_cadence_follow_the_settings() -> None:
    data = json.loads(DEFAULT_CONFIG.to_json())
    data["ladder"]["owner_second"] = "low"
    data["ladder"]["board_reporting"] = "high"
    data["review_months"]["low"] = 6  # tightened: the floor is 12
    config = ScoringConfig.from_json(json.dumps(data))
    low = dataclasses.replace(
        COMPLETE,
        tier=Tier.LOW,
        owner_second_id=None,
        last_review=dt.date(2026, 3, 1),
        next_review=None,
    )
    assert codes(find_gaps(low)) == []
    gaps = find_gaps(low, config)
    assert codes(gaps) == ["review_overdue", "owner_second"]  # 8 months > 6
    assert gaps[1].tier_required is Tier.LOW
    high = dataclasses.replace(COMPLETE, tier=Tier.HIGH, board_reporting=False)
    assert find_gaps(high) == []
    assert codes(find_gaps(high, config)) == ["board_reporting"]
    assert next_review_due(Tier.LOW, dt.date(2026, 1, 1), config) == dt.date(2026, 7, 1)


# --- building inputs from register rows -----------------------------------------------------


def test_gap_inputs_from_use_and_risks() -> None:
    from riskdesk.store.models import AIUse, Risk

    use = AIUse(
        name="Screening",
        tier="high",
        owner_first_id=1,
        owner_second_id=2,
        owner_third_id=3,
        last_review=TODAY - dt.timedelta(days=30),
        next_review=TODAY + dt.timedelta(days=30),
        rollback_plan="Manual shortlisting",
        kill_switch="Vendor toggle",
        monitoring="",
        autonomy="assistive",
        stage="production",
    )
    risks = [
        Risk(use_id=1, title="Bias", residual_likelihood=4, residual_impact=4),  # High
        Risk(
            use_id=1,
            title="Leak",
            residual_likelihood=4,
            residual_impact=4,
            accepted_by_id=2,
            acceptance_expires=TODAY - dt.timedelta(days=1),
        ),
        Risk(use_id=1, title="Typos", residual_likelihood=2, residual_impact=2),  # Low
        Risk(use_id=1, title="Old", residual_likelihood=5, residual_impact=5, status="closed"),
    ]
    inp = GapInputs.from_use(
        use,
        today=TODAY,
        risks=risks,
        appetite="medium",
        owners_left={3},
        has_recorded_challenge=True,
    )
    assert inp.tier is Tier.HIGH
    assert inp.risk_count == 4
    assert list(inp.risks_above_appetite_unaccepted) == ["Bias"]
    assert list(inp.expired_acceptances) == ["Leak"]
    assert codes(find_gaps(inp)) == [
        "owner_left",
        "acceptance_missing",
        "acceptance_expired",
        "monitoring",
    ]
    fresh = GapInputs.from_use(
        use, today=TODAY, risks=[], tier="critical", has_recorded_challenge=True
    )
    assert fresh.tier is Tier.CRITICAL
    # Monthly now: the review scheduled a month out is too far away.
    assert codes(find_gaps(fresh)) == [
        "review_cadence",
        "risk_assessed",
        "monitoring",
        "board_reporting",
    ]


def test_gap_inputs_from_a_plain_object() -> None:
    use = SimpleNamespace(
        tier="low",
        owner_first_id=None,
        owner_second_id=None,
        owner_third_id=None,
        last_review=None,
        next_review=TODAY,
        rollback_plan="",
        kill_switch="",
        monitoring="",
        board_reporting=False,
        autonomy="none",
        permissions_reviewed=False,
        stage="idea",
    )
    assert codes(find_gaps(GapInputs.from_use(use, today=TODAY))) == ["owner_first"]
