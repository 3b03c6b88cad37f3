"""``riskdesk frameworks``, ``suggest`` and ``incidents-like`` agree with the service layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from riskdesk.catalogue import load_framework_file
from riskdesk.catalogue.incidents import ATTRIBUTION
from riskdesk.cli.main import main
from riskdesk.service import frameworks as fw
from riskdesk.service.register import RegisterService
from tests.demo_expectations import demo_rmf_coverage

BUILTIN_IDS = [
    "nist-ai-rmf-1.0",
    "nist-ai-600-1",
    "owasp-llm-2025",
    "owasp-agentic-2026",
    "eu-ai-act-art5",
    "eu-ai-act-annex-iii",
    "mit-ai-risk-domains-v3",
]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_frameworks_json_lists_each_framework_with_its_coverage(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "frameworks", "--db", str(db_path), "--json")
    assert [r["id"] for r in data] == BUILTIN_IDS
    assert data == [r.record() for r in fw.coverage_by_framework(demo_service)]
    rmf = data[0]
    covered, planned, uncovered, percent = demo_rmf_coverage()
    assert (rmf["items"], rmf["covered"], rmf["planned"], rmf["uncovered"]) == (
        72,
        covered,
        planned,
        uncovered,
    )
    assert rmf["percent"] == percent
    assert {r["items"] for r in data[1:4]} == {12, 10}
    assert all(r["covered"] + r["planned"] + r["uncovered"] == r["items"] for r in data)


def test_frameworks_text_and_show(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["frameworks", "--db", str(db_path), "--show", "NIST-AI-RMF-1.0"]) == 0
    out = capsys.readouterr().out
    covered, planned, uncovered, percent = demo_rmf_coverage()
    assert "nist-ai-rmf-1.0" in out and f"{percent}% covered" in out
    assert f"Covered ({covered}):" in out and f"Planned only ({planned}):" in out
    assert f"Uncovered ({uncovered}):" in out
    assert "MANAGE 2.2" in out
    data = run_json(
        capsys, "frameworks", "--db", str(db_path), "--json", "--show", "owasp-llm-2025"
    )
    llm = next(r for r in data if r["id"] == "owasp-llm-2025")
    uncovered_llm = [i["ref"] for i in llm["uncovered_items"]]
    # the demo's data-processing agreement (implemented) cites LLM02, its red team
    # (planned) LLM01; nothing cites LLM04
    assert "LLM02" not in uncovered_llm and "LLM01" not in uncovered_llm
    assert "LLM04" in uncovered_llm
    assert "uncovered_items" not in data[0]


def test_frameworks_add_template_and_refusals(
    demo_service: RegisterService,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = tmp_path / "mine.csv"
    assert main(["frameworks", "--template", str(template)]) == 0
    assert load_framework_file(template).id == "ca-k12-ai-policy"
    data = run_json(capsys, "frameworks", "--db", str(db_path), "--json", "--add", str(template))
    mine = data[-1]
    assert mine["id"] == "ca-k12-ai-policy" and mine["builtin"] is False and mine["items"] == 3
    # Adding it again is refused, with one line on stderr and nothing changed.
    events = demo_service.count("audit_event")
    assert main(["frameworks", "--db", str(db_path), "--add", str(template)]) == 2
    assert "already has a framework" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("item_ref,title\nA,First\nA,Again\n", encoding="utf-8")
    assert main(["frameworks", "--db", str(db_path), "--add", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("riskdesk: error: ") and "bad.csv, row 3, column 'item_ref'" in err
    assert demo_service.count("audit_event") == events
    assert main(["frameworks", "--db", str(db_path), "--show", "nope"]) == 1
    assert "no framework 'nope'" in capsys.readouterr().err


def test_suggest_json_lists_suggestions_per_use_with_reasons(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "suggest", "--db", str(db_path), "--json")
    expected = fw.register_suggestions(demo_service)
    assert [r["use_id"] for r in data] == [u["id"] for u, _ in expected]
    assert [r["suggestion_count"] for r in data] == [len(s) for _, s in expected]
    by_name = {r["use_name"]: r for r in data}
    agent = {s["risk_id"]: s for s in by_name["Autonomous coding agent"]["suggestions"]}
    assert agent["RL-AGT-03"]["rule_id"] == "SR-08"
    assert "July 2025" in agent["RL-AGT-03"]["reason"]
    assert "ASI02" in agent["RL-AGT-01"]["refs"]
    chatbot = {s["risk_id"]: s for s in by_name["Student homework chatbot"]["suggestions"]}
    assert "prompt injection" in chatbot["RL-GEN-02"]["reason"]
    assert any(a["rule_id"] == "SR-05" for a in chatbot["RL-PRV-01"]["also"])
    one = run_json(capsys, "suggest", "--db", str(db_path), "--json", "--use", "16")
    assert [r["use_id"] for r in one] == [16]


def test_suggest_text_and_unknown_use(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "#1 Student homework chatbot" in out and "why: " in out
    assert main(["suggest", "--db", str(db_path), "--use", "999"]) == 1
    assert "there is no AI use with id 999" in capsys.readouterr().err


def test_incidents_like_json_finds_chatbot_incidents(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "incidents-like", "chatbot gave harmful advice", "--json")
    assert data["query"] == "chatbot gave harmful advice"
    assert data["attribution"] == ATTRIBUTION
    incidents = data["incidents"]
    assert len(incidents) == 10
    ids = [i["incident_id"] for i in incidents]
    assert 545 in ids[:3]  # the eating-disorder helpline chatbot "Tessa"
    assert sum("chatbot" in i["title"].casefold() for i in incidents) >= 4
    assert incidents[0]["url"] == f"https://incidentdatabase.ai/cite/{ids[0]}/"
    few = run_json(capsys, "incidents-like", "proctoring", "--json", "--limit", "3")
    assert len(few["incidents"]) == 3


def test_incidents_like_text_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incidents-like", "coding agent deleted production database", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "#1152" in out and "https://incidentdatabase.ai/cite/1152/" in out
    assert out.rstrip().endswith(ATTRIBUTION)
    assert main(["incidents-like", "   "]) == 1
    assert "TEXT is empty" in capsys.readouterr().err
    assert main(["incidents-like", "x", "--limit", "0"]) == 1
