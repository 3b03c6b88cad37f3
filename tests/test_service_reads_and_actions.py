"""Service functions the GUI calls instead of opening connections or transactions itself."""

from __future__ import annotations

import json

import pytest

from riskdesk.service import backups
from riskdesk.service import governance as gov
from riskdesk.service.frameworks import risk_titles
from riskdesk.service.register import RegisterService

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)


def test_add_is_one_audited_undoable_action(service: RegisterService) -> None:
    before = len(service.rows("audit_event"))
    result = service.add("vendor", {"name": "Acme"})
    vendor = service.get("vendor", result.created_id)
    assert vendor["name"] == "Acme"
    assert [(c.action, c.entity) for c in result.changes] == [("create", "vendor")]
    assert len(service.rows("audit_event")) == before + 1
    service.undo(result)
    assert service.count("vendor") == 0


def test_keep_count_is_stored_then_changed_and_undone(service: RegisterService) -> None:
    assert service.setting(backups.SETTING_KEY) is None
    first = backups.set_keep_count(service, 3)
    assert backups.keep_count(service.setting(backups.SETTING_KEY)) == 3
    second = backups.set_keep_count(service, 0)
    assert service.setting(backups.SETTING_KEY) == {"keep": 0}
    assert [c.action for c in first.changes + second.changes] == ["create", "update"]
    service.undo(second)
    assert json.loads(service.rows("setting", key=backups.SETTING_KEY)[0]["value"]) == {"keep": 3}
    service.undo(first)
    assert service.setting(backups.SETTING_KEY) is None


def test_pending_challenges_are_the_unresolved_ones(service: RegisterService) -> None:
    owner = service.create("person", {"name": "Olu Owner", "default_line": "first"})
    reviewer = service.create("person", {"name": "Rae Reviewer", "default_line": "second"})
    use_id = service.create(
        "ai_use", {"name": "Screening", "owner_first_id": owner, "rights_impacting": True}
    )
    assert gov.pending_challenges(service, use_id) == []
    open_one = gov.raise_challenge(service, use_id, reviewer, "Why?").created_id
    done = gov.raise_challenge(service, use_id, reviewer, "And this?").created_id
    gov.answer_challenge(service, done, owner, "Because.")
    gov.resolve_challenge(service, done, "Fine.")
    assert [c["id"] for c in gov.pending_challenges(service, use_id)] == [open_one]


def test_risk_titles_group_by_use_name(service: RegisterService) -> None:
    zulu = service.create("ai_use", {"name": "Zulu"})
    alpha = service.create("ai_use", {"name": "Alpha"})
    z1 = service.create("risk", {"use_id": zulu, "title": "Z one"})
    a1 = service.create("risk", {"use_id": alpha, "title": "A one"})
    a2 = service.create("risk", {"use_id": alpha, "title": "A two"})
    assert risk_titles(service) == [
        (a1, alpha, "A one"),
        (a2, alpha, "A two"),
        (z1, zulu, "Z one"),
    ]
