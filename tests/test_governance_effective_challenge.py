"""Issue 15: a challenge per review cycle, independent High/Critical reviews, and one
acceptance rule for every write path (service, risk editor, imports)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from riskdesk.scoring.bands import EXPIRED, acceptance_status
from riskdesk.scoring.config import DEFAULT_CONFIG, SETTING_KEY
from riskdesk.scoring.ladder import challenge_current
from riskdesk.service import governance as gov
from riskdesk.service.errors import ValidationError
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService
from riskdesk.service.scoring_settings import save_scoring_config
from tests import test_governance as base
from tests.test_governance import TODAY, make_risk, make_use

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)

people = base.people  # the shared fixture


def rungs(service: RegisterService, use_id: int, today: dt.date = TODAY) -> set[str]:
    return {g.rung for g in gaps_for_use(service, use_id, today)}


# --- challenge per cycle ----------------------------------------------------------------


def test_one_old_challenge_does_not_satisfy_the_rung_forever(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    years_ago = TODAY - dt.timedelta(days=3 * 365)
    gov.raise_challenge(service, use_id, people["reviewer"], "Why?", today=years_ago)
    # Reviewed since the challenge: the old question belongs to an earlier cycle.
    service.update("ai_use", use_id, {"last_review": TODAY - dt.timedelta(days=30)})
    assert "challenge" in rungs(service, use_id)
    gov.raise_challenge(service, use_id, people["reviewer"], "And now?", today=TODAY)
    assert "challenge" not in rungs(service, use_id)


def test_a_challenge_counts_since_the_last_review_or_within_the_cadence() -> None:
    review = dt.date(2026, 1, 10)
    assert challenge_current(dt.date(2026, 1, 10), review, TODAY, 3)  # same day as review
    assert challenge_current(dt.date(2026, 1, 5), review, TODAY, 3)  # within 3 months
    assert not challenge_current(dt.date(2025, 12, 1), review, TODAY, 3)
    assert not challenge_current(dt.date(2025, 12, 1), None, TODAY, 3)
    assert not challenge_current(None, review, TODAY, 3)


# --- independent reviews ----------------------------------------------------------------


@pytest.mark.parametrize("tier", ["high", "critical"])
def test_a_high_or_critical_review_needs_an_independent_named_reviewer(
    service: RegisterService, people: dict[str, int], tier: str
) -> None:
    use_id = make_use(service, people, tier)
    with pytest.raises(ValidationError, match="must name its reviewer"):
        gov.record_review(service, use_id, None, "", TODAY)
    with pytest.raises(ValidationError, match="1st-line owner"):
        gov.record_review(service, use_id, people["owner"], "", TODAY)
    with pytest.raises(ValidationError, match="is 1st line"):
        gov.record_review(service, use_id, people["other_first"], "", TODAY)
    assert service.rows("review", use_id=use_id) == []
    gov.record_review(service, use_id, people["auditor"], "", TODAY)
    assert service.get("ai_use", use_id)["last_review"] == TODAY


def test_a_low_review_may_still_be_recorded_by_the_first_line(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    gov.record_review(service, use_id, people["owner"], "", TODAY)
    assert len(service.rows("review", use_id=use_id)) == 1


def test_a_risk_owner_who_is_also_the_uses_second_line_is_not_independent(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "moderate")
    assert "independence" not in rungs(service, use_id)
    make_risk(service, use_id, owner_id=people["reviewer"])
    gaps = [g for g in gaps_for_use(service, use_id, TODAY) if g.rung == "independence"]
    assert [g.subject for g in gaps] == ["1st line and 2nd line"]


# --- acceptance: one rule everywhere ---------------------------------------------------


def high_risk(service: RegisterService, people: dict[str, int], **extra: Any) -> tuple[int, int]:
    use_id = make_use(service, people, "low")
    return use_id, make_risk(service, use_id, residual_likelihood=4, residual_impact=3, **extra)


def test_a_generic_update_cannot_accept_without_an_expiry(
    service: RegisterService, people: dict[str, int]
) -> None:
    # What the risk editor did with "Acceptance has an expiry date" unticked.
    use_id, risk_id = high_risk(service, people)
    with pytest.raises(ValidationError) as refused:
        service.update(
            "risk",
            risk_id,
            {"accepted_by_id": people["reviewer"], "acceptance_rationale": "Fine for now."},
        )
    assert "expiry" in str(refused.value.for_field("acceptance_expires"))
    assert service.get("risk", risk_id)["accepted_by_id"] is None
    assert "acceptance_missing" in rungs(service, use_id)


def test_an_acceptance_runs_at_most_the_settings_maximum(
    service: RegisterService, people: dict[str, int]
) -> None:
    _, risk_id = high_risk(service, people)
    twenty_years = TODAY.replace(year=TODAY.year + 20)
    with pytest.raises(ValidationError, match="at most 12 months"):
        gov.accept_risk(service, risk_id, people["reviewer"], "ok", twenty_years, TODAY)
    in_a_year = TODAY.replace(year=TODAY.year + 1)
    gov.accept_risk(service, risk_id, people["reviewer"], "ok", in_a_year, TODAY)
    # The organisation may shorten the maximum.
    service.create("setting", {"key": "acceptance_max_months", "value": "6"})
    with pytest.raises(ValidationError, match="at most 6 months"):
        gov.accept_risk(service, risk_id, people["reviewer"], "ok", in_a_year, TODAY)


def test_the_risks_own_first_line_cannot_accept_it(
    service: RegisterService, people: dict[str, int]
) -> None:
    # A 2nd-line person who owns the risk is its 1st line.
    _, risk_id = high_risk(service, people, owner_id=people["auditor"])
    expiry = TODAY + dt.timedelta(days=60)
    with pytest.raises(ValidationError, match="this risk's 1st line"):
        gov.accept_risk(service, risk_id, people["auditor"], "ok", expiry, TODAY)
    gov.accept_risk(service, risk_id, people["reviewer"], "ok", expiry, TODAY)


def test_an_acceptance_without_an_expiry_is_shown_as_expired(
    service: RegisterService, people: dict[str, int]
) -> None:
    _, risk_id = high_risk(service, people)
    risk = service.get("risk", risk_id)
    legacy = {**risk, "accepted_by_id": people["reviewer"], "acceptance_expires": None}

    class Row:
        def __init__(self, values: dict[str, Any]) -> None:
            self.__dict__.update(values)

    assert acceptance_status(Row(legacy), "medium", TODAY) == EXPIRED


# --- floors on the settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("review_months", "low"), 60, "review_months.low"),
        (("review_months", "low"), 13, "review_months.low"),
        (("ladder", "owner_first"), "critical", "ladder.owner_first"),
        (("ladder", "review_overdue"), "moderate", "ladder.review_overdue"),
    ],
)
def test_the_ladder_cannot_go_below_the_floor(
    service: RegisterService, path: tuple[str, str], value: object, field: str
) -> None:
    data = json.loads(DEFAULT_CONFIG.to_json())
    data[path[0]][path[1]] = value
    with pytest.raises(ValidationError) as refused:
        save_scoring_config(service, data)
    assert refused.value.problems[0].field == field
    assert "never to zero" in str(refused.value)
    assert service.setting(SETTING_KEY) is None


def test_the_ladder_can_be_tightened(service: RegisterService) -> None:
    data = json.loads(DEFAULT_CONFIG.to_json())
    data["review_months"]["low"] = 6
    data["ladder"]["owner_third"] = "moderate"
    save_scoring_config(service, data)
    assert service.scoring_config().review_months_for("low") == 6
