"""Agent permission inventory: gaps at every tier, the recorded review, the CLI (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest

from riskdesk.catalogue import builtin_framework
from riskdesk.cli.main import main
from riskdesk.scoring.config import DEFAULT_CONFIG
from riskdesk.service.agents import (
    AGENT_RUNGS,
    agent_gaps,
    agent_overview,
    permission_reviews,
    record_permission_review,
)
from riskdesk.service.errors import ValidationError
from riskdesk.service.integrity import record_history
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)


def _use(**facts: Any) -> SimpleNamespace:
    base = {
        "stage": "production",
        "autonomy": "agent_autonomous",
        "tier": "low",
        "human_approval_destructive": None,
        "dev_prod_separated": None,
        "kill_switch": "",
    }
    return SimpleNamespace(**{**base, **facts})


def _perm(**facts: Any) -> SimpleNamespace:
    base = {
        "system": "DB",
        "access": "write",
        "environment": "production",
        "needed": True,
        "last_reviewed": TODAY,
    }
    return SimpleNamespace(**{**base, **facts})


def codes(gaps: list[Any]) -> list[str]:
    return [g.rung for g in gaps]


def test_production_write_without_approval_is_a_gap_at_low_tier() -> None:
    gaps = agent_gaps(_use(human_approval_destructive=False), [_perm()], TODAY)
    assert "agent_prod_unapproved" in codes(gaps)
    assert all(g.tier_required.value == "low" for g in gaps)


def test_approval_or_no_production_access_means_no_production_gap() -> None:
    approved = _use(human_approval_destructive=True, kill_switch="Revoke token")
    assert codes(agent_gaps(approved, [_perm()], TODAY)) == []
    staging = _use(human_approval_destructive=False, kill_switch="Revoke token")
    assert codes(agent_gaps(staging, [_perm(environment="staging")], TODAY)) == []
    reading = _use(human_approval_destructive=False, kill_switch="Revoke token")
    assert codes(agent_gaps(reading, [_perm(access="read")], TODAY)) == []


def test_unknown_approval_is_worded_as_unknown_not_as_no() -> None:
    gap = agent_gaps(_use(kill_switch="x"), [_perm()], TODAY)[0]
    assert gap.rung == "agent_prod_unapproved"
    assert "nobody has recorded" in gap.reason
    # "writes with approval" says it by its level when the fact is blank
    level = _use(autonomy="agent_write_approval")
    assert "agent_prod_unapproved" not in codes(agent_gaps(level, [_perm()], TODAY))


def test_dev_prod_only_when_known_not_separated() -> None:
    assert "agent_dev_prod" in codes(agent_gaps(_use(dev_prod_separated=False), [], TODAY))
    assert "agent_dev_prod" not in codes(agent_gaps(_use(dev_prod_separated=None), [], TODAY))
    assert "agent_dev_prod" not in codes(agent_gaps(_use(dev_prod_separated=True), [], TODAY))


def test_permission_not_needed_or_unknown_is_a_gap_per_permission() -> None:
    perms = [_perm(system="A", needed=False), _perm(system="B", needed=None), _perm(system="C")]
    gaps = [
        g
        for g in agent_gaps(_use(kill_switch="x"), perms, TODAY)
        if g.rung == "agent_permission_unneeded"
    ]
    assert [g.subject for g in gaps] == ["A", "B"]
    assert "not needed" in gaps[0].reason and "not known" in gaps[1].reason


def test_permission_review_follows_the_tier_cadence() -> None:
    months = DEFAULT_CONFIG.review_months_for("high")
    old = TODAY - dt.timedelta(days=31 * months + 5)
    high = _use(tier="high", kill_switch="x")
    assert "agent_permission_review" in codes(agent_gaps(high, [_perm(last_reviewed=old)], TODAY))
    low = _use(tier="low", kill_switch="x")  # yearly at Low: the same date is fine
    assert "agent_permission_review" not in codes(
        agent_gaps(low, [_perm(last_reviewed=old)], TODAY)
    )
    never = agent_gaps(low, [_perm(last_reviewed=None)], TODAY)
    assert any(g.rung == "agent_permission_review" and "Never" in g.reason for g in never)


def test_kill_switch_below_the_ladder_only_for_agents_without_approval() -> None:
    assert "agent_kill_switch" in codes(agent_gaps(_use(), [], TODAY))
    assert "agent_kill_switch" not in codes(
        agent_gaps(_use(autonomy="agent_write_approval"), [], TODAY)
    )
    # from High the ladder's own kill_switch rung asks: no double gap
    assert "agent_kill_switch" not in codes(agent_gaps(_use(tier="high"), [], TODAY))


def test_non_agents_and_retired_uses_have_no_agent_gaps() -> None:
    assert agent_gaps(_use(autonomy="assistive", dev_prod_separated=False), [_perm()], TODAY) == []
    assert agent_gaps(_use(stage="retired", dev_prod_separated=False), [_perm()], TODAY) == []


def test_every_agent_rung_crosswalks_to_owasp_and_nist_items_that_exist() -> None:
    known: set[str] = set()
    for fw in ("owasp-agentic-2026", "nist-ai-rmf-1.0", "nist-ai-600-1"):
        known |= {item.ref for item in builtin_framework(fw).items}
    for rung in AGENT_RUNGS.values():
        assert set(rung.refs) <= known, rung.code
        assert {"ASI02", "ASI03"} & set(rung.refs)
        assert any(r.startswith("600-1") for r in rung.refs)


def test_least_privilege_rung_starts_no_later_than_high() -> None:
    assert DEFAULT_CONFIG.rung_tier("permissions_review").ordinal() <= 2  # low, moderate, high


def _coding_agent(service: RegisterService) -> dict[str, Any]:
    return next(u for u in service.rows("ai_use") if u["name"] == "Autonomous coding agent")


def test_demo_coding_agent_shows_production_and_dev_prod_gaps(
    demo_service: RegisterService,
) -> None:
    use = _coding_agent(demo_service)
    found = codes(gaps_for_use(demo_service, use["id"], TODAY))
    assert "agent_prod_unapproved" in found and "agent_dev_prod" in found
    migrations = next(
        p
        for p in demo_service.rows("agent_permission", use_id=use["id"])
        if p["system"] == "Run DB migrations"
    )
    assert (migrations["access"], migrations["environment"]) == ("write", "production")
    assert use["human_approval_destructive"] is False


def test_review_is_recorded_audited_and_clears_the_gaps(demo_service: RegisterService) -> None:
    use = _coding_agent(demo_service)
    perms = {p["system"]: p["id"] for p in demo_service.rows("agent_permission", use_id=use["id"])}
    reviewer = next(p["id"] for p in demo_service.rows("person") if p["name"] == "Omar Haddad")
    decisions: dict[int, Any] = {pid: "kept" for pid in perms.values()}
    decisions[perms["Run DB migrations"]] = "removed"
    decisions[perms["Production logs"]] = ("reduced", {"environment": "staging", "needed": True})
    with pytest.raises(ValidationError):  # every permission decided, no strays
        record_permission_review(
            demo_service, use["id"], reviewer_id=reviewer, reviewed_on=TODAY, decisions={}
        )
    review_id = record_permission_review(
        demo_service, use["id"], reviewer_id=reviewer, reviewed_on=TODAY, decisions=decisions
    )
    left = {p["system"]: p for p in demo_service.rows("agent_permission", use_id=use["id"])}
    assert "Run DB migrations" not in left
    assert left["Production logs"]["environment"] == "staging"
    assert all(
        p["last_reviewed"] == TODAY and p["reviewed_by_id"] == reviewer for p in left.values()
    )
    [review] = permission_reviews(demo_service, use["id"])
    assert review["id"] == review_id
    outcomes = {d["system"]: d["outcome"] for d in review["decisions"]}
    assert outcomes["Run DB migrations"] == "removed" and outcomes["Production logs"] == "reduced"
    assert demo_service.get("ai_use", use["id"])["permissions_reviewed"] is True
    history = record_history(demo_service, "ai_use", use["id"])
    assert any(
        c.field == "permissions_reviewed_on" and c.after == TODAY.isoformat()
        for entry in history
        for c in entry.changes
    )
    audited = {
        (e["entity"], e["action"])
        for e in demo_service.rows("audit_event")
        if e["entity"] in ("permission_review", "agent_permission")
    }
    assert {("permission_review", "create"), ("agent_permission", "delete")} <= audited
    found = codes(gaps_for_use(demo_service, use["id"], TODAY))
    assert "agent_prod_unapproved" not in found
    assert "agent_permission_review" not in found and "agent_permission_unneeded" not in found
    assert "agent_dev_prod" in found  # a review does not separate environments


def test_unknown_facts_stay_unknown(service: RegisterService) -> None:
    use_id = service.create("ai_use", {"name": "Agent", "autonomy": "agent_autonomous"})
    row = service.get("ai_use", use_id)
    assert row["human_approval_destructive"] is None and row["credentials_scoped"] is None
    pid = service.create(
        "agent_permission",
        {
            "use_id": use_id,
            "system": "Shell",
            "access": "execute",
            "environment": "unknown",
            "needed": "unknown",
        },
    )
    perm = service.get("agent_permission", pid)
    assert perm["environment"] is None and perm["needed"] is None


def test_agents_cli_json(
    demo_register_file: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    db = tmp_path / "d.db"
    shutil.copy(demo_register_file, db)
    assert main(["agents", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    agent = next(a for a in data if a["use"] == "Autonomous coding agent")
    assert {"permissions", "findings"} <= set(agent)
    assert {f["code"] for f in agent["findings"]} >= {"agent_prod_unapproved", "agent_dev_prod"}
    assert all(a["autonomy"].startswith("agent") for a in data)
    assert main(["agents", "--db", str(db)]) == 0
    assert "Run DB migrations" in capsys.readouterr().out


def test_overview_matches_the_gap_service(demo_service: RegisterService) -> None:
    for agent in agent_overview(demo_service, TODAY):
        on_use = [g.rung for g in gaps_for_use(demo_service, agent["use_id"], TODAY)]
        assert [f["code"] for f in agent["findings"]] == [c for c in on_use if c in AGENT_RUNGS]


def test_why_this_tier_says_agent_facts_add_gaps_not_points(demo_service: RegisterService) -> None:
    from riskdesk.service.agents import tier_notes_for

    use = _coding_agent(demo_service)
    notes = tier_notes_for(demo_service, use["id"], use)
    assert "do not change the exposure score" in notes[0]
    assert "1 permission(s) can write, delete or execute on production" in notes[1]
    assert notes[1].endswith("human approval for destructive actions: no.")
    assert tier_notes_for(demo_service, None, {**use, "autonomy": "assistive"}) == []
