"""Unknown is not Low: unanswered factors, the "Not assessed" tier and its range (pure)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from riskdesk.enums import SCORED_TIERS, Assessment, Tier
from riskdesk.scoring import (
    QUESTIONS,
    ExposureFactors,
    GapInputs,
    ScoringConfig,
    assess_exposure,
    find_gaps,
    missing_answers,
    score_exposure,
)

ANSWERED = ExposureFactors(
    people_affected=12_000,
    decision_role="recommends",
    autonomy="assistive",
    data_sensitivity="personal",
    childrens_data=True,
    harm_severity="serious",
    reversibility="hard_to_reverse",
    rights_impacting=False,
    safety_impacting=False,
    eu_ai_act_class="minimal",
)


def test_a_use_with_no_answers_is_not_assessed_and_could_be_anything() -> None:
    found = assess_exposure(ExposureFactors())
    assert found.status is Assessment.NOT_ASSESSED
    assert found.tier is Tier.NOT_ASSESSED
    assert found.exposure is None
    assert found.missing == tuple(QUESTIONS)
    # Every answer unknown: from the least exposed use to a prohibited practice.
    assert found.tier_range == (Tier.LOW, Tier.CRITICAL)
    assert found.score_range == (0, 100)
    assert found.range_words() == (
        "between Low and Critical depending on the answers still missing"
    )


def test_a_fully_answered_use_scores_as_before() -> None:
    found = assess_exposure(ANSWERED)
    assert found.status is Assessment.ASSESSED and found.missing == ()
    assert found.result == score_exposure(ANSWERED)
    assert found.exposure == found.result.score and found.tier is found.result.tier


def test_the_provisional_range_is_the_extremes_over_every_completion() -> None:
    partial = dataclasses.replace(
        ANSWERED,
        people_affected=500,
        harm_severity="minor",
        reversibility=None,
        rights_impacting=None,
    )
    found = assess_exposure(partial)
    assert found.status is Assessment.PARTLY
    assert found.missing == ("reversibility", "rights_impacting")
    scores = [
        score_exposure(dataclasses.replace(partial, reversibility=rev, rights_impacting=rights))
        for rev in ("reversible", "hard_to_reverse", "irreversible")
        for rights in (False, True)
    ]
    assert found.score_range == (min(s.score for s in scores), max(s.score for s in scores))
    tiers = sorted((s.tier for s in scores), key=Tier.ordinal)
    assert found.tier_range == (tiers[0], tiers[-1])
    assert found.tier_range == (Tier.MODERATE, Tier.HIGH)
    assert found.range_words() == (
        "between Moderate and High depending on the answers still missing"
    )


def test_an_unknown_floor_input_can_make_it_critical_but_a_known_floor_holds() -> None:
    found = assess_exposure(dataclasses.replace(ANSWERED, eu_ai_act_class=None))
    assert found.tier_range[1] is Tier.CRITICAL  # could be a prohibited practice
    floored = assess_exposure(
        dataclasses.replace(ANSWERED, harm_severity=None, rights_impacting=True)
    )
    assert floored.tier_range[0] is Tier.HIGH  # rights-impacting: never below High


def test_the_eu_class_not_assessed_is_an_unanswered_question() -> None:
    found = assess_exposure(dataclasses.replace(ANSWERED, eu_ai_act_class="not_assessed"))
    assert found.missing == ("eu_ai_act_class",)
    with pytest.raises(ValueError, match=r"^eu_ai_act_class: not answered"):
        score_exposure(dataclasses.replace(ANSWERED, eu_ai_act_class="not_assessed"))


def test_childrens_data_settles_data_sensitivity() -> None:
    # Children's data is the top level whatever the sensitivity: nothing left to ask.
    assert missing_answers(dataclasses.replace(ANSWERED, data_sensitivity=None)) == ()
    assert (
        missing_answers(
            dataclasses.replace(ANSWERED, data_sensitivity="children_special", childrens_data=None)
        )
        == ()
    )
    assert missing_answers(dataclasses.replace(ANSWERED, childrens_data=None)) == (
        "childrens_data",
    )


def test_why_this_tier_never_states_a_default_as_a_fact() -> None:
    lines = assess_exposure(ExposureFactors(people_affected=40)).explain()
    text = "\n".join(lines)
    assert "Reaches fewer than 100 people a year (about 40): +0 points" in lines
    for default_words in (
        "Uses internal information",
        "Plays no part in decisions",
        "Takes no actions",
        "harm is minor",
        "easy to put right",
    ):
        assert default_words not in text
    assert "Part in decisions about people: not answered yet (0–22 points" in text
    assert "EU AI Act class: not answered yet" in text
    assert lines[-1].startswith("Not assessed: between Low and Critical depending on")
    assert "Still to answer: Part in decisions about people, Autonomy" in lines[-1]


def test_bad_answers_are_still_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match=r"^decision_role:"):
        assess_exposure(ExposureFactors(decision_role="sometimes"))


# --- the ladder ------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 3)


def _unassessed(**changes: object) -> GapInputs:
    base = GapInputs(
        tier=Tier.NOT_ASSESSED,
        today=TODAY,
        owner_first_id=1,
        missing_answers=["Worst plausible harm", "EU AI Act class"],
        tier_low=Tier.LOW,
        recorded_on=dt.date(2026, 11, 20),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_an_unassessed_use_has_the_assessment_gap_not_review_overdue() -> None:
    gaps = find_gaps(_unassessed())  # never reviewed, nothing scheduled
    assert [g.rung for g in gaps] == ["assessment_missing"]
    gap = gaps[0]
    assert gap.title == "Assessment missing"
    assert gap.due == dt.date(2026, 12, 20)  # 30 days after it was recorded
    assert "Worst plausible harm, EU AI Act class" in gap.reason
    assert "due 2026-12-20" in gap.reason


def test_the_assessment_is_overdue_after_the_setting_s_days() -> None:
    config = ScoringConfig(assessment_days=7)
    gap = find_gaps(_unassessed(), config)[0]
    assert gap.due == dt.date(2026, 11, 27)
    assert "overdue since 2026-11-27" in gap.reason


def test_an_unassessed_use_gets_the_rungs_its_known_answers_already_demand() -> None:
    codes = {g.rung for g in find_gaps(_unassessed(tier_low=Tier.HIGH))}
    assert {"assessment_missing", "owner_second", "owner_third", "kill_switch"} <= codes
    assert "review_overdue" not in codes and "board_reporting" not in codes


def test_an_assessed_use_has_no_assessment_gap() -> None:
    for tier in SCORED_TIERS:
        inp = dataclasses.replace(_unassessed(), tier=tier, next_review=TODAY)
        assert "assessment_missing" not in {g.rung for g in find_gaps(inp)}


def test_assessment_days_is_a_validated_setting_outside_the_method_version() -> None:
    config = ScoringConfig.from_json('{"assessment_days": 14}')
    assert config.assessment_days == 14
    assert config.method_version == ScoringConfig().method_version
    assert ScoringConfig.from_json(config.to_json()) == config
    with pytest.raises(ValueError, match=r"^assessment_days:"):
        ScoringConfig.from_json('{"assessment_days": 0}')
    with pytest.raises(ValueError, match=r"^ladder\.owner_first:"):
        ScoringConfig.from_json(
            '{"ladder": {"owner_first": "not_assessed", "review_overdue": "low", '
            '"review_cadence": "low", "owner_second": "moderate", "risk_assessed": '
            '"moderate", "owner_third": "high", "challenge": "high", "rollback_plan": '
            '"high", "kill_switch": "high", "monitoring": "high", "board_reporting": '
            '"critical", "permissions_review": "critical"}}'
        )


def test_not_assessed_sorts_above_critical() -> None:
    assert Tier.NOT_ASSESSED.ordinal() > Tier.CRITICAL.ordinal()
    assert Tier.NOT_ASSESSED not in SCORED_TIERS
    assert Tier.NOT_ASSESSED.label == "Not assessed"
