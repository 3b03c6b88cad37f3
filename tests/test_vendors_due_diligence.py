"""Vendor due diligence as a gap on the High/Critical uses that depend on the vendor (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from riskdesk.catalogue import builtin_framework
from riskdesk.cli.main import main
from riskdesk.reports.boardpack import gather
from riskdesk.service import due_diligence as dd
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)
COMPLETE = {
    "name": "Complete Co",
    "dpa_signed": True,
    "security_review_on": dt.date(2026, 3, 1),
    "exit_plan": "Switch to the manual process.",
}


def _use(uid: int, **facts: Any) -> SimpleNamespace:
    base = {"id": uid, "tier": "high", "stage": "production", "vendor_id": None, "model_id": None}
    return SimpleNamespace(**{**base, **facts})


def test_missing_items_name_each_missing_piece_and_keep_unknown_apart_from_no() -> None:
    assert dd.missing_items(COMPLETE, TODAY) == []
    assert dd.missing_items({**COMPLETE, "dpa_signed": None}, TODAY) == ["DPA not recorded"]
    assert dd.missing_items({**COMPLETE, "dpa_signed": False}, TODAY) == ["DPA not signed"]
    assert dd.missing_items({**COMPLETE, "exit_plan": "  "}, TODAY) == ["no exit plan"]
    assert dd.missing_items({**COMPLETE, "security_review_on": None}, TODAY) == [
        "no security review"
    ]


def test_a_security_review_lasts_twelve_months() -> None:
    year_ago = {**COMPLETE, "security_review_on": dt.date(2025, 11, 1)}
    assert dd.missing_items(year_ago, TODAY) == []  # due again today: not yet late
    older = {**COMPLETE, "security_review_on": dt.date(2025, 10, 31)}
    assert dd.missing_items(older, TODAY) == ["security review 2025-10-31 is over 12 months old"]


def test_the_gap_reaches_high_uses_directly_and_through_an_intermediary() -> None:
    vendors = {1: {**COMPLETE, "name": "Khan Academy"}, 2: {"name": "OpenAI", "dpa_signed": True}}
    provider_of = {10: 2}
    uses = [
        _use(1, vendor_id=1, model_id=10),  # via Khan Academy, on an OpenAI model
        _use(2, vendor_id=2),  # OpenAI directly
        _use(3, vendor_id=2, tier="moderate"),
        _use(4, vendor_id=2, tier="critical", stage="retired"),
        _use(5, vendor_id=1),  # Khan Academy is complete
    ]
    found = dd.gaps_for_uses(uses, vendors, provider_of, TODAY)
    assert set(found) == {1, 2}
    [through] = found[1]
    assert (through.rung, through.subject, through.tier_required.value) == (
        dd.RUNG,
        "OpenAI",
        "high",
    )
    assert "provider of the model this use runs on" in through.reason
    assert "no security review; no exit plan" in through.reason
    assert "the vendor this use buys through" in found[2][0].reason


def test_a_vendor_that_is_also_the_provider_is_one_gap() -> None:
    vendors = {2: {"name": "OpenAI"}}
    found = dd.gaps_for_uses([_use(1, vendor_id=2, model_id=10)], vendors, {10: 2}, TODAY)
    assert len(found[1]) == 1
    assert "DPA not recorded" in found[1][0].reason


def test_the_crosswalk_names_items_the_frameworks_hold() -> None:
    known: set[str] = set()
    for fw in ("nist-ai-rmf-1.0", "nist-ai-600-1", "owasp-llm-2025"):
        known |= {item.ref for item in builtin_framework(fw).items}
    assert set(dd.REFS) <= known
    assert any(r.startswith("GOVERN 6") for r in dd.REFS) and "600-1.12" in dd.REFS


def _use_named(service: RegisterService, name: str) -> dict[str, Any]:
    return next(u for u in service.rows("ai_use") if u["name"] == name)


def test_demo_homework_chatbot_carries_openais_gap_through_khan_academy(
    demo_service: RegisterService,
) -> None:
    use = _use_named(demo_service, "Student homework chatbot")
    [gap] = [g for g in gaps_for_use(demo_service, use["id"], TODAY) if g.rung == dd.RUNG]
    assert gap.subject == "OpenAI"  # Khan Academy's own paperwork is complete
    assert "over 12 months old" in gap.reason and "no exit plan" in gap.reason
    proctoring = _use_named(demo_service, "Online exam proctoring")
    reasons = [g.reason for g in gaps_for_use(demo_service, proctoring["id"], TODAY)]
    assert any("Proctorio" in r and "no security review" in r for r in reasons)
    # A Low use on the same OpenAI model carries no due-diligence gap.
    low = _use_named(demo_service, "Teacher lesson-plan drafting")
    assert low["tier"] == "low"
    assert all(g.rung != dd.RUNG for g in gaps_for_use(demo_service, low["id"], TODAY))


def test_recording_the_diligence_closes_the_gap_everywhere(demo_service: RegisterService) -> None:
    openai = next(v for v in demo_service.rows("vendor") if v["name"] == "OpenAI")
    before = gather(demo_service, TODAY).gap_count(dd.RUNG)
    assert before >= 3  # the homework chatbot, the IEP aid, the support chatbot
    demo_service.update(
        "vendor",
        openai["id"],
        {"security_review_on": TODAY, "exit_plan": "Fall back to the Anthropic contract."},
    )
    after = gather(demo_service, TODAY).gap_count(dd.RUNG)
    assert after == 1  # Proctorio's is still open
    use = _use_named(demo_service, "Student homework chatbot")
    assert all(g.rung != dd.RUNG for g in gaps_for_use(demo_service, use["id"], TODAY))


def test_gaps_json_lists_the_due_diligence_gap(
    demo_register_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    shutil.copy(demo_register_file, db)
    assert main(["gaps", "--db", str(db), "--json", "--today", TODAY.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    found = {(u["use_name"], g["subject"]) for u in data for g in u["gaps"] if g["rung"] == dd.RUNG}
    assert ("Student homework chatbot", "OpenAI") in found
    assert ("Online exam proctoring", "Proctorio") in found
    assert all(
        u["tier"] in ("high", "critical")
        for u in data
        if any(g["rung"] == dd.RUNG for g in u["gaps"])
    )


def test_vendor_status_lists_what_is_missing_and_the_uses_it_reaches(
    demo_service: RegisterService,
) -> None:
    openai = next(v for v in demo_service.rows("vendor") if v["name"] == "OpenAI")
    missing, uses = dd.vendor_status(demo_service, openai, TODAY)
    assert "no exit plan" in missing
    assert "Student homework chatbot" in uses and "Customer support chatbot" in uses
    assert "Teacher lesson-plan drafting" not in uses  # Low tier
    missing, uses = dd.vendor_status(demo_service, {**COMPLETE, "id": None}, TODAY)
    assert (missing, uses) == ([], [])
