"""``riskdesk gaps`` and the ``gaps`` total in ``riskdesk summary`` agree with the service."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.service.agents import AGENT_RUNGS
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def expected(service: RegisterService, today: dt.date = TODAY) -> list[dict[str, object]]:
    people = {p["id"]: p["name"] for p in service.rows("person")}
    return [
        {
            "use_id": u.use_id,
            "use_name": u.use_name,
            "tier": u.tier,
            "assessment": u.assessment,
            "provisional_tiers": [u.tier_low, u.tier_high] if u.tier == "not_assessed" else None,
            "department": u.department,
            "owner_first_id": u.owner_first_id,
            "owner_first": people.get(u.owner_first_id) if u.owner_first_id else None,
            "gap_count": len(u.gaps),
            "gaps": [
                {
                    "rung": g.rung,
                    "title": g.title,
                    "reason": g.reason,
                    "tier_required": g.tier_required.value,
                    "due": g.due.isoformat() if g.due else None,
                    "subject": g.subject,
                    "framework_refs": (
                        list(AGENT_RUNGS[g.rung].refs) if g.rung in AGENT_RUNGS else None
                    ),
                }
                for g in u.gaps
            ],
        }
        for u in register_gaps(service, today)
        if u.gaps
    ]


def test_gaps_json_equals_register_gaps(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "gaps", "--db", str(db_path), "--json", "--today", TODAY.isoformat())
    assert isinstance(data, list)
    assert data == expected(demo_service)
    # the demo shows every tier and several kinds of gap
    assert {u["tier"] for u in data} == {"moderate", "high", "critical", "low"}
    rungs = {g["rung"] for u in data for g in u["gaps"]}
    assert {"review_overdue", "challenge", "kill_switch", "independence", "owner_left"} <= rungs


def test_gaps_json_carries_the_framework_refs_of_each_gap_kind(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "gaps", "--db", str(db_path), "--json", "--today", TODAY.isoformat())
    assert isinstance(data, list)
    gaps = [g for u in data for g in u["gaps"]]
    # the keys gaps --json always had, in their order, then the refs (added last)
    assert all(
        list(g) == ["rung", "title", "reason", "tier_required", "subject", "due", "framework_refs"]
        for g in gaps
    )
    agent = [g for g in gaps if g["rung"].startswith("agent_")]
    assert agent, "the demo's agents have findings"
    # the same refs ``riskdesk agents`` shows for its findings
    assert all(g["framework_refs"] == list(AGENT_RUNGS[g["rung"]].refs) for g in agent)
    assert any("ASI02" in g["framework_refs"] for g in agent)
    # no mapping is recorded for the ladder's rungs: unknown, not an empty list
    assert all(g["framework_refs"] is None for g in gaps if g["rung"] not in AGENT_RUNGS)


def test_summary_gaps_total_matches(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = run_json(capsys, "gaps", "--db", str(db_path), "--json")
    summary = run_json(capsys, "summary", "--db", str(db_path), "--json")
    assert isinstance(listed, list) and isinstance(summary, dict)
    assert summary["gaps"] == sum(u["gap_count"] for u in listed) > 0
    assert main(["summary", "--db", str(db_path)]) == 0
    assert f"gaps       {summary['gaps']}" in capsys.readouterr().out


def test_tier_filter_and_all(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(db_path)
    critical = run_json(capsys, "gaps", "--db", db, "--json", "--tier", "Critical")
    assert isinstance(critical, list) and critical
    assert {u["tier"] for u in critical} == {"critical"}
    everything = run_json(capsys, "gaps", "--db", db, "--json", "--all")
    assert isinstance(everything, list)
    live = [u for u in demo_service.rows("ai_use") if u["stage"] != "retired"]
    assert sorted(u["use_id"] for u in everything) == sorted(u["id"] for u in live)
    assert any(u["gap_count"] == 0 for u in everything)


def test_text_output_lists_each_gap(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gaps", "--db", str(db_path), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    uses = expected(demo_service)
    total = sum(int(u["gap_count"]) for u in uses)  # type: ignore[call-overload]
    assert out.strip().endswith(f"{total} open gaps across {len(uses)} AI use(s).")
    first = uses[0]
    assert f"#{first['use_id']} {first['use_name']}" in out
    assert first["gaps"][0]["reason"] in out  # type: ignore[index]


def test_gaps_on_empty_register(
    service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gaps", "--db", str(db_path)]) == 0
    assert "0 open gaps across 0 AI use(s)." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--today", "yesterday"], "--today: 'yesterday' is not a date"),
        (["--tier", "severe"], "--tier: 'severe' is not one of"),
    ],
)
def test_bad_options_fail_in_one_line(
    service: RegisterService,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    assert main(["gaps", "--db", str(db_path), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("riskdesk: error: ") and message in err


def test_missing_register_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--db", str(tmp_path / "none.db")]) == 2
    assert "riskdesk: error:" in capsys.readouterr().err


def test_an_unassessed_use_lists_the_assessment_gap_not_review_overdue(
    service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.answers import answered

    owner = service.create("person", {"name": "Olu Owner"})
    blank = service.create("ai_use", {"name": "Self-harm scanning", "owner_first_id": owner})
    partly = service.create(
        "ai_use",
        {"name": "Tutor bot", "owner_first_id": owner, "people_affected": 2400},
    )
    service.create("ai_use", answered(name="Drafting aid", owner_first_id=owner))
    recorded = service.get("ai_use", blank)["created_at"].date()
    today = recorded + dt.timedelta(days=45)  # the 30-day assessment is overdue

    data = run_json(capsys, "gaps", "--db", str(db_path), "--json", "--today", today.isoformat())
    assert isinstance(data, list)
    by_name = {u["use_name"]: u for u in data}
    blank_entry = by_name["Self-harm scanning"]
    assert blank_entry["tier"] == "not_assessed" and blank_entry["assessment"] == "not_assessed"
    assert blank_entry["provisional_tiers"] == ["low", "critical"]
    rungs = [g["rung"] for g in blank_entry["gaps"]]
    assert "assessment_missing" in rungs and "review_overdue" not in rungs
    gap = blank_entry["gaps"][rungs.index("assessment_missing")]
    assert gap["due"] == (recorded + dt.timedelta(days=30)).isoformat()
    assert "People affected a year" in gap["reason"] and "overdue since" in gap["reason"]
    assert by_name["Tutor bot"]["assessment"] == "partly"
    tutor_gap = by_name["Tutor bot"]["gaps"][0]
    assert tutor_gap["rung"] == "assessment_missing"
    assert "People affected a year" not in tutor_gap["reason"]  # that one was answered
    # The assessed use's review clock runs: never reviewed is overdue for it alone.
    assert [g["rung"] for g in by_name["Drafting aid"]["gaps"]] == ["review_overdue"]

    only = run_json(capsys, "gaps", "--db", str(db_path), "--json", "--tier", "not assessed")
    assert isinstance(only, list)
    assert sorted(u["use_id"] for u in only) == sorted([blank, partly])

    assert main(["gaps", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert (
        f"#{blank} Self-harm scanning — Not assessed (between Low and Critical depending "
        "on the answers still missing)" in out
    )

    summary = run_json(capsys, "summary", "--db", str(db_path), "--json")
    assert isinstance(summary, dict)
    assert summary["by_tier"] == {
        "low": 1,
        "moderate": 0,
        "high": 0,
        "critical": 0,
        "unassessed": 2,
    }
    assert summary["by_assessment"] == {"assessed": 1, "partly": 1, "not_assessed": 1}
