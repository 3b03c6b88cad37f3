"""The governance loop in the service layer: challenges, reviews, acceptances, incidents."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from riskdesk.scoring import add_months
from riskdesk.service import governance as gov
from riskdesk.service.errors import ConflictError, ValidationError
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService
from tests.answers import ANSWERED

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)

TODAY = dt.date(2026, 3, 31)

TIER_FACTORS: dict[str, dict[str, Any]] = {
    "low": {},
    "moderate": {"people_affected": 10000, "decision_role": "recommends"},
    "high": {"rights_impacting": True},
    "critical": {"eu_ai_act_class": "prohibited"},
}


@pytest.fixture
def people(service: RegisterService) -> dict[str, int]:
    return {
        "owner": service.create("person", {"name": "Olu Owner", "default_line": "first"}),
        "other_first": service.create("person", {"name": "Fay First", "default_line": "first"}),
        "reviewer": service.create("person", {"name": "Rae Reviewer", "default_line": "second"}),
        "auditor": service.create("person", {"name": "Abe Auditor", "default_line": "third"}),
        "gone": service.create(
            "person", {"name": "Gus Gone", "default_line": "second", "has_left": True}
        ),
    }


def make_use(
    service: RegisterService, people: dict[str, int], tier: str = "high", **extra: Any
) -> int:
    values = {
        "name": f"{tier} use",
        "owner_first_id": people["owner"],
        "owner_second_id": people["reviewer"],
        **ANSWERED,
        **TIER_FACTORS[tier],
        **extra,
    }
    use_id = service.create("ai_use", values)
    assert service.get("ai_use", use_id)["tier"] == tier
    return use_id


def make_risk(service: RegisterService, use_id: int, **extra: Any) -> int:
    values = {
        "use_id": use_id,
        "title": "Unfair outcomes",
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 3,
        **extra,
    }
    return int(service.create("risk", values))


# --- challenges -------------------------------------------------------------------------


def test_challenge_lifecycle_freezes_scores_when_raised_and_resolved(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "moderate")
    risk_id = make_risk(service, use_id)
    raised = gov.raise_challenge(
        service, use_id, people["reviewer"], "  Who checks the output?  ", "high", risk_id, TODAY
    )
    cid = raised.created_id
    challenge = service.get("challenge", cid)
    assert challenge["status"] == "open" and challenge["question"] == "Who checks the output?"
    assert challenge["raised_on"] == TODAY and challenge["risk_id"] == risk_id
    frozen = challenge["snapshot_raised"]
    before = json.loads(frozen)
    assert before["exposure"] == 33 and before["tier"] == "moderate"
    assert before["taken_on"] == TODAY.isoformat()
    assert before["risks"] == [
        {
            "id": risk_id,
            "title": "Unfair outcomes",
            "status": "open",
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "inherent_score": 16,
            "residual_likelihood": 2,
            "residual_impact": 3,
            "residual_score": 6,
            "residual_band": "medium",
        }
    ]
    assert "review_overdue" in {g["rung"] for g in before["gaps"]}

    # The use grows and the risk worsens while the challenge is being answered.
    service.update("ai_use", use_id, {"people_affected": 200000})
    service.update("risk", risk_id, {"residual_likelihood": 3})
    gov.answer_challenge(service, cid, people["owner"], "Teachers check every output.")
    assert service.get("challenge", cid)["status"] == "answered"
    gov.resolve_challenge(service, cid, "Evidence seen.", TODAY + dt.timedelta(days=7))

    done = service.get("challenge", cid)
    assert done["status"] == "resolved" and done["resolution"] == "Evidence seen."
    assert done["resolved_on"] == TODAY + dt.timedelta(days=7)
    assert done["snapshot_raised"] == frozen  # never rewritten
    after = json.loads(done["snapshot_resolved"])
    assert after["exposure"] == 38 and after["risks"][0]["residual_score"] == 9
    assert after["taken_on"] == (TODAY + dt.timedelta(days=7)).isoformat()


def test_only_the_second_line_or_above_raises_and_never_the_owner(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    with pytest.raises(ValidationError) as exc:
        gov.raise_challenge(service, use_id, people["other_first"], "Why?", today=TODAY)
    assert "1st line" in str(exc.value.for_field("raised_by_id"))
    with pytest.raises(ValidationError):
        gov.raise_challenge(service, use_id, people["gone"], "Why?", today=TODAY)
    with pytest.raises(ValidationError) as empty:
        gov.raise_challenge(service, use_id, people["reviewer"], "   ", today=TODAY)
    assert empty.value.for_field("question")
    owner_is_second = make_use(
        service, people, "low", name="Champion's own tool", owner_first_id=people["reviewer"]
    )
    with pytest.raises(ValidationError) as own:
        gov.raise_challenge(service, owner_is_second, people["reviewer"], "Hm?", today=TODAY)
    assert "1st-line owner" in str(own.value.for_field("raised_by_id"))
    # the 3rd line may challenge too
    gov.raise_challenge(service, use_id, people["auditor"], "Tested lately?", today=TODAY)
    assert service.count("challenge") == 1


def test_a_challenge_on_another_uses_risk_is_refused(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_a = make_use(service, people, "high")
    use_b = make_use(service, people, "low", name="other")
    risk_b = make_risk(service, use_b)
    with pytest.raises(ValidationError) as exc:
        gov.raise_challenge(service, use_a, people["reviewer"], "Q?", risk_id=risk_b, today=TODAY)
    assert exc.value.for_field("risk_id")
    assert service.count("challenge") == 0


def test_answer_rules(service: RegisterService, people: dict[str, int]) -> None:
    use_id = make_use(service, people, "high")
    cid = gov.raise_challenge(service, use_id, people["reviewer"], "Q?", today=TODAY).created_id
    with pytest.raises(ValidationError):  # the raiser cannot answer their own question
        gov.answer_challenge(service, cid, people["reviewer"], "Fine.")
    with pytest.raises(ValidationError):  # the 3rd line does not answer for the 1st
        gov.answer_challenge(service, cid, people["auditor"], "Fine.")
    with pytest.raises(ValidationError):
        gov.answer_challenge(service, cid, people["owner"], "  ")
    with pytest.raises(ConflictError, match="answers first"):
        gov.resolve_challenge(service, cid, "ok", TODAY)
    gov.answer_challenge(service, cid, people["other_first"], "A 1st-line colleague answers.")
    with pytest.raises(ConflictError):
        gov.answer_challenge(service, cid, people["owner"], "Twice?")


def test_escalation_keeps_the_challenge_unresolved(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    cid = gov.raise_challenge(service, use_id, people["reviewer"], "Q?", today=TODAY).created_id
    gov.answer_challenge(service, cid, people["owner"], "Because.")
    gov.escalate_challenge(service, cid, "Not convinced; to the risk committee.")
    row = service.get("challenge", cid)
    assert row["status"] == "escalated" and row["snapshot_resolved"] == ""
    with pytest.raises(ConflictError):
        gov.escalate_challenge(service, cid, "again")
    with pytest.raises(ConflictError, match="unresolved challenge"):
        gov.record_review(service, use_id, people["reviewer"], "", TODAY)
    gov.answer_challenge(service, cid, people["owner"], "Better answer after escalation.")
    gov.resolve_challenge(service, cid, "Committee satisfied.", TODAY)
    gov.record_review(service, use_id, people["reviewer"], "", TODAY)
    assert service.count("review") == 1


def test_a_governance_action_undoes_as_one(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    result = gov.record_review(service, use_id, people["reviewer"], "ok", TODAY)
    assert {c.entity for c in result.changes} == {"ai_use", "review"}
    service.undo(result)
    assert service.count("review") == 0
    assert service.get("ai_use", use_id)["last_review"] is None


# --- reviews ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "months"), [("low", 12), ("moderate", 6), ("high", 3), ("critical", 1)]
)
def test_a_review_sets_the_next_due_date_from_the_tier(
    service: RegisterService, people: dict[str, int], tier: str, months: int
) -> None:
    use_id = make_use(service, people, tier, needs_rereview=True)
    risk_id = make_risk(service, use_id)
    gov.record_review(service, use_id, people["reviewer"], "  Looked at it.  ", TODAY)
    use = service.get("ai_use", use_id)
    assert use["last_review"] == TODAY
    assert use["next_review"] == add_months(TODAY, months)
    assert use["needs_rereview"] is False
    [review] = service.rows("review", use_id=use_id)
    assert review["reviewed_on"] == TODAY and review["reviewer_id"] == people["reviewer"]
    assert review["tier"] == tier and review["exposure"] == use["exposure"]
    assert review["notes"] == "Looked at it." and review["score_method"] == use["score_method"]
    snapshot = json.loads(review["snapshot"])
    assert [r["id"] for r in snapshot["risks"]] == [risk_id]
    assert snapshot["risks"][0]["residual_score"] == 6
    # the gaps left after the review: no longer overdue
    rungs = {g["rung"] for g in snapshot["gaps"]}
    assert "review_overdue" not in rungs
    assert rungs == {g.rung for g in gaps_for_use(service, use_id, TODAY)}


def test_month_end_reviews_clamp_to_the_last_day(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "critical")
    gov.record_review(service, use_id, people["reviewer"], "", dt.date(2026, 1, 31))
    assert service.get("ai_use", use_id)["next_review"] == dt.date(2026, 2, 28)


def test_an_open_challenge_blocks_a_high_or_critical_review_only(
    service: RegisterService, people: dict[str, int]
) -> None:
    for tier, blocked in (("moderate", False), ("high", True), ("critical", True)):
        use_id = make_use(service, people, tier, name=f"{tier} blocked?")
        gov.raise_challenge(service, use_id, people["reviewer"], "Q?", today=TODAY)
        if blocked:
            with pytest.raises(ConflictError, match="Resolve them"):
                gov.record_review(service, use_id, people["reviewer"], "", TODAY)
            assert service.get("ai_use", use_id)["last_review"] is None
            assert service.rows("review", use_id=use_id) == []
        else:
            gov.record_review(service, use_id, people["reviewer"], "", TODAY)
            assert service.get("ai_use", use_id)["last_review"] == TODAY


def test_a_reviewer_who_has_left_is_refused(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    with pytest.raises(ValidationError):
        gov.record_review(service, use_id, people["gone"], "", TODAY)


# --- acceptance -------------------------------------------------------------------------


def test_accept_risk_names_a_second_line_acceptor_with_expiry(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    risk_id = make_risk(service, use_id, residual_likelihood=4, residual_impact=3)  # High
    assert "acceptance_missing" in {g.rung for g in gaps_for_use(service, use_id, TODAY)}
    with pytest.raises(ValidationError) as first_line:
        gov.accept_risk(service, risk_id, people["owner"], "fine", TODAY + dt.timedelta(30), TODAY)
    assert "1st line" in str(first_line.value.for_field("accepted_by_id"))
    with pytest.raises(ValidationError) as bad:
        gov.accept_risk(service, risk_id, people["gone"], " ", TODAY, TODAY)
    assert {p.field for p in bad.value.problems} == {
        "accepted_by_id",
        "acceptance_rationale",
        "acceptance_expires",
    }
    expiry = TODAY + dt.timedelta(days=90)
    gov.accept_risk(service, risk_id, people["reviewer"], "Vendor fix due.", expiry, TODAY)
    risk = service.get("risk", risk_id)
    assert risk["accepted_by_id"] == people["reviewer"] and risk["status"] == "accepted"
    assert risk["acceptance_expires"] == expiry and risk["treatment"] == "accept"
    rungs_now = {g.rung for g in gaps_for_use(service, use_id, TODAY)}
    assert not {"acceptance_missing", "acceptance_expired"} & rungs_now
    later = {g.rung for g in gaps_for_use(service, use_id, expiry + dt.timedelta(days=1))}
    assert "acceptance_expired" in later


# --- incidents --------------------------------------------------------------------------


def test_logging_an_incident_links_risks_and_flags_the_use(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    risk_id = make_risk(service, use_id)
    gov.record_review(service, use_id, people["reviewer"], "", TODAY)
    assert service.get("ai_use", use_id)["needs_rereview"] is False
    result = gov.log_incident(
        service,
        {"use_id": use_id, "kind": "near_miss", "title": "Caught in review", "occurred_on": TODAY},
        [risk_id, risk_id],
    )
    incident_id = result.created_id
    assert service.get("ai_use", use_id)["needs_rereview"] is True
    assert gov.linked_risks(service, incident_id) == [risk_id]
    # the next review clears the flag
    gov.record_review(service, use_id, people["reviewer"], "after the near miss", TODAY)
    assert service.get("ai_use", use_id)["needs_rereview"] is False


def test_an_incident_cannot_link_another_uses_risk(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_a = make_use(service, people, "high")
    use_b = make_use(service, people, "low", name="b")
    risk_b = make_risk(service, use_b)
    with pytest.raises(ValidationError) as exc:
        gov.log_incident(service, {"use_id": use_a, "title": "x", "occurred_on": TODAY}, [risk_b])
    assert exc.value.for_field("risk_ids")
    assert service.count("incident") == 0  # one transaction: nothing half-written
    assert service.get("ai_use", use_a)["needs_rereview"] is False


def test_update_incident_sets_links_exactly(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    r1, r2 = make_risk(service, use_id), make_risk(service, use_id, title="Second")
    incident_id = gov.log_incident(
        service, {"use_id": use_id, "title": "x", "occurred_on": TODAY}, [r1]
    ).created_id
    gov.update_incident(service, incident_id, {"severity": "high"}, [r2])
    assert gov.linked_risks(service, incident_id) == [r2]
    assert service.get("incident", incident_id)["severity"] == "high"


@pytest.mark.parametrize(
    ("severity", "days"), [("low", 15), ("medium", 15), ("high", 15), ("critical", 2)]
)
def test_reporting_deadline(severity: str, days: int) -> None:
    incident = {"reportable": True, "occurred_on": TODAY, "severity": severity}
    assert gov.reporting_deadline(incident) == TODAY + dt.timedelta(days=days)
    assert gov.reporting_deadline({**incident, "reportable": False}) is None


def test_reporting_status_words() -> None:
    incident = {"reportable": True, "occurred_on": TODAY, "severity": "medium", "reported_on": None}
    deadline = TODAY + dt.timedelta(days=15)
    assert gov.reporting_status(incident, TODAY) == f"Report due by {deadline} (in 15 days)"
    assert gov.reporting_status(incident, deadline) == f"Report due TODAY ({deadline})"
    late = gov.reporting_status(incident, deadline + dt.timedelta(days=3))
    assert late == f"Report OVERDUE: deadline was {deadline} (3 days ago)"
    done = {**incident, "reported_on": TODAY + dt.timedelta(days=1)}
    assert gov.reporting_status(done, deadline + dt.timedelta(days=3)).startswith("Reported on")
    assert gov.reporting_status({**incident, "reportable": False}, TODAY) == ""


def test_incident_counts_by_kind_lists_every_kind(
    service: RegisterService, people: dict[str, int]
) -> None:
    assert gov.incident_counts_by_kind(service) == {
        "not_stated": 0,  # logged without a kind: counted, as neither of the others
        "near_miss": 0,
        "incident": 0,
        "rollback": 0,
        "shutdown": 0,
    }
    use_id = make_use(service, people, "low")
    for kind, day in (("near_miss", 1), ("near_miss", 20), ("rollback", 3)):
        gov.log_incident(
            service,
            {"use_id": use_id, "kind": kind, "title": kind, "occurred_on": TODAY.replace(day=day)},
        )
    counts = gov.incident_counts_by_kind(service)
    assert counts == {
        "not_stated": 0,
        "near_miss": 2,
        "incident": 0,
        "rollback": 1,
        "shutdown": 0,
    }
    assert gov.incident_counts_by_kind(service, since=TODAY.replace(day=10))["near_miss"] == 1


def test_reportable_incidents_soonest_first(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "high")
    for title, severity in (("slow", "medium"), ("urgent", "critical")):
        gov.log_incident(
            service,
            {
                "use_id": use_id,
                "title": title,
                "occurred_on": TODAY,
                "severity": severity,
                "reportable": True,
            },
        )
    found = gov.reportable_incidents(service, TODAY)
    assert [r.title for r in found] == ["urgent", "slow"]
    assert found[0].deadline == TODAY + dt.timedelta(days=2) and found[0].use_name == "high use"


# --- the demo's history -----------------------------------------------------------------


def test_the_demo_has_a_believable_history(demo_service: RegisterService) -> None:
    statuses = [c["status"] for c in demo_service.rows("challenge")]
    assert {"open", "answered", "resolved", "escalated"} <= set(statuses)
    for c in demo_service.rows("challenge"):
        assert gov.read_snapshot(c["snapshot_raised"]) is not None
        assert (gov.read_snapshot(c["snapshot_resolved"]) is not None) == (
            c["status"] == "resolved"
        )
    reviews = demo_service.rows("review")
    assert len(reviews) >= 30 and len({r["use_id"] for r in reviews}) >= 15
    counts = gov.incident_counts_by_kind(demo_service)
    assert counts["near_miss"] > counts["incident"] >= 1 and counts["rollback"] >= 1
    assert demo_service.count("incident_risk") >= 10
