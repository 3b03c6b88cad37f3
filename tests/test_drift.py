"""Drift detection on constructed histories, and what falls due soon."""

from __future__ import annotations

import datetime as dt

import pytest

from riskdesk.service import drift
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from tests.answers import answered

REVIEWED = dt.date(2026, 1, 15)
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ids(service: RegisterService) -> dict[str, int]:
    owner = service.create("person", {"name": "Olu Owner"})
    reviewer = service.create("person", {"name": "Rae Reviewer", "default_line": "second"})
    use = service.create(
        "ai_use",
        answered(
            name="Grading aid",
            people_affected=5000,
            decision_role="recommends",
            owner_first_id=owner,
            owner_second_id=reviewer,
        ),
    )
    risk = service.create(
        "risk",
        {
            "use_id": use,
            "title": "Bias",
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 2,
        },
    )
    gov.record_review(service, use, reviewer, "baseline", REVIEWED)
    return {"owner": owner, "reviewer": reviewer, "use": use, "risk": risk}


def kinds(service: RegisterService, today: dt.date = TODAY) -> dict[str, list[drift.DriftItem]]:
    out: dict[str, list[drift.DriftItem]] = {}
    for item in drift.find_drift(service, today):
        out.setdefault(item.kind, []).append(item)
    return out


def test_nothing_drifts_right_after_a_review(service: RegisterService, ids: dict[str, int]) -> None:
    assert kinds(service) == {}


def test_exposure_rising_since_the_review_is_drift(
    service: RegisterService, ids: dict[str, int]
) -> None:
    service.update("ai_use", ids["use"], {"people_affected": 50000})
    [item] = kinds(service)[drift.RISING]
    assert item.entity == "ai_use" and item.use_id == ids["use"] and item.since == REVIEWED
    assert "exposure 28 → 33" in item.detail and "2026-01-15" in item.detail
    assert item.label == "Risen since last review"


def test_crossing_a_tier_is_named(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("ai_use", ids["use"], {"rights_impacting": True})
    [item] = kinds(service)[drift.RISING]
    assert "(Moderate → High)" in item.detail


def test_exposure_falling_is_not_drift(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("ai_use", ids["use"], {"people_affected": 50})
    assert drift.RISING not in kinds(service)


def test_a_residual_risk_rising_is_drift(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("risk", ids["risk"], {"residual_likelihood": 3})
    [item] = kinds(service)[drift.RISING]
    assert "risk “Bias” residual 4 → 6" in item.detail
    assert "exposure" not in item.detail


def test_only_the_latest_review_counts(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("ai_use", ids["use"], {"people_affected": 50000})
    gov.record_review(service, ids["use"], ids["reviewer"], "signed off", TODAY)
    assert drift.RISING not in kinds(service)


def test_a_new_risk_since_the_review_is_not_a_rise(
    service: RegisterService, ids: dict[str, int]
) -> None:
    service.create("risk", {"use_id": ids["use"], "title": "New one"})
    assert drift.RISING not in kinds(service)


def test_overdue_and_never_reviewed(service: RegisterService, ids: dict[str, int]) -> None:
    # Moderate tier: reviewed every 6 months, so due 2026-07-15.
    assert drift.REVIEW_OVERDUE not in kinds(service, dt.date(2026, 7, 15))
    [late] = kinds(service, dt.date(2026, 7, 20))[drift.REVIEW_OVERDUE]
    assert late.since == dt.date(2026, 7, 15) and "5 days ago" in late.detail
    service.create("ai_use", answered(name="Never looked at", owner_first_id=ids["owner"]))
    service.create("ai_use", {"name": "Old tool", "stage": "retired"})
    # Not assessed yet: its review clock has not started, so it is not overdue.
    service.create("ai_use", {"name": "Not assessed yet", "owner_first_id": ids["owner"]})
    overdue = kinds(service)[drift.REVIEW_OVERDUE]
    assert [i.title for i in overdue] == ["Never looked at"]
    assert overdue[0].since is None and overdue[0].detail.startswith("Never reviewed")


def test_a_tier_rise_shortens_the_due_date(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("ai_use", ids["use"], {"rights_impacting": True})  # High: every 3 months
    [late] = kinds(service, dt.date(2026, 4, 20))[drift.REVIEW_OVERDUE]
    assert late.since == dt.date(2026, 4, 15)


def test_an_incident_flags_re_review(service: RegisterService, ids: dict[str, int]) -> None:
    gov.log_incident(service, {"use_id": ids["use"], "title": "Oops", "occurred_on": TODAY})
    [item] = kinds(service)[drift.REREVIEW]
    assert item.use_id == ids["use"]


def test_expired_acceptance(service: RegisterService, ids: dict[str, int]) -> None:
    gov.accept_risk(
        service, ids["risk"], ids["reviewer"], "ok for now", dt.date(2026, 2, 1), REVIEWED
    )
    [item] = kinds(service)[drift.ACCEPTANCE_EXPIRED]
    assert item.entity == "risk" and item.entity_id == ids["risk"]
    assert item.since == dt.date(2026, 2, 1) and "Rae Reviewer" in item.detail
    assert drift.ACCEPTANCE_EXPIRED not in kinds(service, dt.date(2026, 2, 1))  # valid through


def test_controls_not_tested_within_their_period(service: RegisterService) -> None:
    made = {
        name: service.create("control", {"name": name, **values})
        for name, values in {
            "on time": {"status": "tested", "last_tested": dt.date(2025, 6, 1)},
            "late": {
                "status": "tested",
                "last_tested": dt.date(2025, 6, 1),
                "test_every_months": 6,
            },
            "never": {"status": "implemented"},
            "lapsed": {"status": "lapsed", "last_tested": dt.date(2026, 2, 1)},
            "planned": {"status": "planned"},
            "retired": {"status": "retired", "last_tested": dt.date(2020, 1, 1)},
        }.items()
    }
    found = {i.title: i for i in kinds(service)[drift.CONTROL_UNTESTED]}
    assert set(found) == {"late", "never", "lapsed"}
    assert found["late"].since == dt.date(2025, 12, 1) and found["late"].entity_id == made["late"]
    assert "never tested" in found["never"].detail
    assert found["lapsed"].detail.startswith("Marked as lapsed")


def test_owners_who_left(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("person", ids["reviewer"], {"has_left": True})
    control = service.create("control", {"name": "Bias test", "owner_id": ids["reviewer"]})
    service.update("risk", ids["risk"], {"owner_id": ids["reviewer"]})
    found = kinds(service)[drift.OWNER_LEFT]
    assert {(i.entity, i.entity_id) for i in found} == {
        ("ai_use", ids["use"]),
        ("risk", ids["risk"]),
        ("control", control),
    }
    assert "Rae Reviewer (2nd line) has left" in found[0].detail


def test_drift_counts(service: RegisterService, ids: dict[str, int]) -> None:
    service.update("ai_use", ids["use"], {"people_affected": 50000})
    counts = drift.drift_counts(drift.find_drift(service, TODAY))
    assert counts[drift.RISING] == 1 and sum(counts.values()) == 1
    assert list(counts) == list(drift.DRIFT_KINDS)


def test_due_within_a_window(service: RegisterService, ids: dict[str, int]) -> None:
    gov.accept_risk(service, ids["risk"], ids["reviewer"], "ok", dt.date(2026, 7, 1), REVIEWED)
    service.create(
        "control", {"name": "Audit", "status": "tested", "last_tested": dt.date(2025, 7, 10)}
    )
    window = drift.due_within(service, 30, dt.date(2026, 6, 20))
    assert [(i.kind, i.due) for i in window] == [
        (drift.ACCEPTANCE, dt.date(2026, 7, 1)),
        (drift.CONTROL_TEST, dt.date(2026, 7, 10)),
        (drift.REVIEW, dt.date(2026, 7, 15)),
    ]
    assert window[2].responsible == "Rae Reviewer" and window[2].use_id == ids["use"]
    assert drift.due_within(service, 30, dt.date(2026, 5, 1)) == []
    late = drift.due_within(service, 30, dt.date(2026, 7, 12))
    assert [i.kind for i in late] == [drift.REVIEW]
    with_overdue = drift.due_within(service, 30, dt.date(2026, 7, 12), include_overdue=True)
    assert [i.kind for i in with_overdue] == [drift.ACCEPTANCE, drift.CONTROL_TEST, drift.REVIEW]


def test_the_demo_shows_every_kind_of_drift(demo_service: RegisterService) -> None:
    found = kinds(demo_service, dt.date(2026, 11, 1))
    assert set(found) == set(drift.DRIFT_KINDS)
    rising = {i.title for i in found[drift.RISING]}
    assert {"Customer support chatbot", "Autonomous coding agent"} <= rising
    assert drift.due_within(demo_service, 30, dt.date(2026, 11, 1))
