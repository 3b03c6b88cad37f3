"""The service layer: validation rules, audit records, atomicity, undo."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from riskdesk.service.errors import ConflictError, NotFoundError, ValidationError
from riskdesk.service.register import RegisterService
from tests.conftest import dump

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)


@pytest.fixture
def owner(service: RegisterService) -> int:
    return service.create("person", {"name": "Ada Owner", "default_line": "first"})


@pytest.fixture
def use_id(service: RegisterService, owner: int) -> int:
    return service.create(
        "ai_use", {"name": "Homework chatbot", "owner_first_id": owner, "people_affected": "12,000"}
    )


def test_create_coerces_loose_input_and_derives_the_score(
    service: RegisterService, use_id: int
) -> None:
    use = service.get("ai_use", use_id)
    assert use["people_affected"] == 12000
    # Only the reach is known: not assessed, with the range the reach alone allows.
    assert use["tier"] == "not_assessed" and use["assessment"] == "partly"
    assert use["exposure"] is None
    assert use["exposure_low"] == 15 and use["exposure_high"] == 95  # 10k+: 15 of 20
    assert use["score_method"].startswith("exposure-")
    assert use["decision_role"] is None and use["rights_impacting"] is None


@pytest.mark.parametrize(
    ("entity", "values", "field", "reason"),
    [
        ("ai_use", {"name": "   "}, "name", "must not be empty"),
        ("ai_use", {"name": "x", "people_affected": -5}, "people_affected", "below the minimum"),
        (
            "ai_use",
            {"name": "x", "people_affected": "lots"},
            "people_affected",
            "not a whole number",
        ),
        ("ai_use", {"name": "x", "owner_first_id": 999}, "owner_first_id", "does not exist"),
        ("ai_use", {"name": "x", "stage": "launched"}, "stage", "is not one of"),
        ("ai_use", {"name": "x", "go_live": "next tuesday"}, "go_live", "is not a date"),
        ("ai_use", {"name": "x", "colour": "red"}, "colour", "not a field"),
        ("person", {"name": ""}, "name", "must not be empty"),
        ("person", {"name": "B", "default_line": "fourth"}, "default_line", "is not one of"),
        ("vendor", {"name": "V", "kind": "bank"}, "kind", "is not one of"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(
    service: RegisterService, entity: str, values: dict, field: str, reason: str
) -> None:
    before = dump(service)
    with pytest.raises(ValidationError) as err:
        service.create(entity, values)
    assert reason in (err.value.for_field(field) or ""), err.value.problems
    assert field in str(err.value)
    assert dump(service) == before


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"inherent_likelihood": 9}, "inherent_likelihood", "outside the 1–5 scale"),
        ({"residual_impact": 0}, "residual_impact", "outside the 1–5 scale"),
        (
            {
                "inherent_likelihood": 2,
                "inherent_impact": 2,
                "residual_likelihood": 3,
                "residual_impact": 3,
            },
            "residual_likelihood",
            "above the inherent score",
        ),
        ({"target_likelihood": 5, "target_impact": 5}, "target_likelihood", "above the residual"),
        ({"target_likelihood": 1}, "target_impact", "both"),
        ({"title": ""}, "title", "must not be empty"),
        ({"owner_id": 4242}, "owner_id", "does not exist"),
    ],
)
def test_risk_rules(
    service: RegisterService, use_id: int, values: dict, field: str, reason: str
) -> None:
    base = {"use_id": use_id, "title": "Confabulation"}
    before = dump(service)
    with pytest.raises(ValidationError) as err:
        service.create("risk", {**base, **values})
    assert reason in (err.value.for_field(field) or ""), err.value.problems
    assert dump(service) == before


def test_acceptor_must_be_second_line_or_above(
    service: RegisterService, use_id: int, owner: int
) -> None:
    with pytest.raises(ValidationError, match="1st line"):
        service.create(
            "risk",
            {
                "use_id": use_id,
                "title": "R",
                "accepted_by_id": owner,
                "acceptance_rationale": "fine",
            },
        )
    reviewer = service.create("person", {"name": "Rita Risk", "default_line": "second"})
    rid = service.create(
        "risk",
        {
            "use_id": use_id,
            "title": "R",
            "accepted_by_id": reviewer,
            "acceptance_rationale": "fine",
            "acceptance_expires": dt.date.today() + dt.timedelta(days=90),
        },
    )
    assert service.get("risk", rid)["accepted_by_id"] == reviewer


def test_every_change_is_audited_with_before_and_after(
    service: RegisterService, use_id: int
) -> None:
    service.update("ai_use", use_id, {"name": "Homework helper"})
    rows = service.rows("audit_event")
    actions = [(r["action"], r["entity"]) for r in rows]
    assert actions == [("create", "person"), ("create", "ai_use"), ("update", "ai_use")]
    last = rows[-1]
    assert last["actor"] == "tester"
    assert json.loads(last["before"])["name"] == "Homework chatbot"
    assert json.loads(last["after"])["name"] == "Homework helper"
    assert last["prev_hash"] == rows[-2]["hash"]
    assert last["at"] is not None


def test_an_update_that_changes_nothing_writes_no_audit(
    service: RegisterService, use_id: int
) -> None:
    assert service.count("audit_event") == 2
    result = service.update("ai_use", use_id, {"name": "Homework chatbot"})
    assert result.changes == []
    assert service.count("audit_event") == 2


def test_failure_midway_rolls_back_the_whole_action(service: RegisterService, owner: int) -> None:
    before = dump(service)
    with pytest.raises(ValidationError), service.action() as uow:
        uow.create("ai_use", {"name": "First, valid", "owner_first_id": owner})
        uow.create("ai_use", {"name": "Second, invalid", "people_affected": -1})
    assert dump(service) == before


def test_bulk_create_reports_each_bad_row(service: RegisterService) -> None:
    from riskdesk.service.register import BulkValidationError

    before = dump(service)
    rows = [{"name": "ok"}, {"name": ""}, {"name": "also ok"}, {"people_affected": "x"}]
    with pytest.raises(BulkValidationError) as err, service.action() as uow:
        uow.create_many("ai_use", rows)
    assert [i for i, _ in err.value.failures] == [1, 3]
    assert dump(service) == before


def test_delete_cascades_and_undo_restores_everything(
    service: RegisterService, use_id: int
) -> None:
    risk = service.create("risk", {"use_id": use_id, "title": "Bias"})
    control = service.create("control", {"name": "Human review"})
    service.create("risk_control", {"risk_id": risk, "control_id": control})
    state = [service.get("ai_use", use_id), service.get("risk", risk)]
    result = service.delete("ai_use", use_id)
    assert service.count("risk") == 0 and service.count("risk_control") == 0
    service.undo(result)
    assert [service.get("ai_use", use_id), service.get("risk", risk)] == state
    assert service.rows("risk_control") == [{"risk_id": risk, "control_id": control}]


def test_undo_of_update_restores_exact_values(service: RegisterService, use_id: int) -> None:
    before = service.get("ai_use", use_id)
    result = service.update("ai_use", use_id, {"name": "Renamed", "people_affected": 5})
    service.undo(result)
    after = service.get("ai_use", use_id)
    # The version only rises (a reader of the renamed record must reload too).
    assert after.pop("version") == before.pop("version") + 2
    assert after == before


def test_person_in_use_cannot_be_deleted(service: RegisterService, owner: int, use_id: int) -> None:
    with pytest.raises(ConflictError, match="having left"):
        service.delete("person", owner)


def test_missing_records(service: RegisterService) -> None:
    with pytest.raises(NotFoundError):
        service.update("ai_use", 77, {"name": "x"})
    with pytest.raises(NotFoundError):
        service.get("person", 3)


def test_hostile_text_is_stored_verbatim_without_control_characters(
    service: RegisterService,
) -> None:
    nasty = '=HYPERLINK("http://x","y"); DROP TABLE ai_use;--\x00\x07 Ελληνικά кириллица'
    uid = service.create("ai_use", {"name": "Hostile", "purpose": nasty})
    stored = service.get("ai_use", uid)["purpose"]
    assert stored == nasty.replace("\x00", "").replace("\x07", "")
    assert service.count("ai_use") == 1


def test_enum_labels_and_case_variants_are_accepted(service: RegisterService) -> None:
    uid = service.create(
        "ai_use",
        {
            "name": "x",
            "decision_role": "Decides automatically",
            "autonomy": " AGENT_AUTONOMOUS\n",
            "rights_impacting": "Yes",
        },
    )
    use = service.get("ai_use", uid)
    assert (use["decision_role"], use["autonomy"], use["rights_impacting"]) == (
        "decides_automatically",
        "agent_autonomous",
        True,
    )


def test_undo_of_repeated_updates_to_one_record_restores_the_first_state(
    service: RegisterService, use_id: int
) -> None:
    from riskdesk.service.integrity import check_register

    before = service.get("ai_use", use_id)
    with service.action() as uow:
        uow.update("ai_use", use_id, {"name": "Second name"})
        uow.update("ai_use", use_id, {"name": "Third name", "people_affected": 7})
        result = uow.result
    service.undo(result)
    restored = service.get("ai_use", use_id)
    assert restored.pop("version") > before.pop("version")  # versions only rise
    assert restored == before
    assert check_register(service.register).ok
