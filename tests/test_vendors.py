"""Vendor and model concentration through intermediaries; its CLI, sheet and pack section."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from riskdesk.cli.main import main
from riskdesk.reports import export_pdf
from riskdesk.reports.xlsx import export_xlsx
from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import (
    concentration,
    concentration_headline,
    concentration_of,
    due_diligence_gaps,
    suggested_models,
)

TODAY = dt.date(2026, 11, 1)


def _use(uid: int, **facts: Any) -> SimpleNamespace:
    base = {
        "id": uid,
        "name": f"use {uid}",
        "stage": "production",
        "tier": "low",
        "people_affected": 100,
        "vendor_id": None,
        "model_id": None,
        "fallback": "",
        "rollback_plan": "",
        "kill_switch": "",
    }
    return SimpleNamespace(**{**base, **facts})


VENDORS = {
    1: SimpleNamespace(id=1, name="OpenAI", kind="model_provider"),
    2: SimpleNamespace(id=2, name="Khan Academy", kind="saas"),
    3: SimpleNamespace(id=3, name="Feedzai", kind="saas"),
}
MODELS = {10: SimpleNamespace(id=10, name="GPT-4 class", provider_id=1)}


def test_intermediaries_count_for_the_model_provider() -> None:
    uses = [
        _use(1, vendor_id=2, model_id=10, people_affected=14000, tier="high"),
        _use(2, vendor_id=1, model_id=10, people_affected=1000, fallback="manual"),
        _use(3, vendor_id=3, people_affected=20000, tier="critical"),
        _use(4, vendor_id=1, people_affected=5000, stage="retired"),  # depends on nobody
    ]
    found = concentration_of(uses, VENDORS, MODELS)
    by_name = {p.name: p for p in found.providers}
    openai = by_name["OpenAI"]
    assert (openai.uses, openai.direct, openai.people) == (2, 1, 15000)
    assert (openai.high_or_critical, openai.no_fallback) == (1, 1)
    assert openai.models == ["GPT-4 class"]
    assert by_name["Khan Academy"].uses == 1
    assert found.total_people == 35000
    assert found.top_provider == "Feedzai" and found.top_share == round(20000 / 35000, 3)
    chain = next(d for d in openai.if_down if d.use_id == 1)
    assert chain.via == "Khan Academy → GPT-4 class → OpenAI"
    assert [d.use_id for d in openai.if_down] == [1, 2]  # High tier first
    [model] = found.models
    assert (model.name, model.uses, model.models) == ("GPT-4 class", 2, ["OpenAI"])


def test_empty_register_has_no_top_provider() -> None:
    found = concentration_of([_use(1)], VENDORS, MODELS)
    assert found.top_provider is None and found.top_share is None and found.total_people == 100


def test_suggestions_and_due_diligence() -> None:
    seeded = suggested_models()
    assert {"OpenAI", "Anthropic", "Google"} <= {m["provider"] for m in seeded}
    assert due_diligence_gaps({"dpa_signed": None}) == [
        "DPA not recorded",
        "no security review",
        "data location unknown",
        "no exit plan",
        "no incident contact",
    ]
    assert due_diligence_gaps({"dpa_signed": False})[0] == "DPA not signed"
    full = {
        "dpa_signed": True,
        "security_review_on": TODAY,
        "data_location": "EU",
        "exit_plan": "x",
        "incident_contact": "y",
    }
    assert due_diligence_gaps(full, TODAY) == []
    stale = {**full, "security_review_on": TODAY - dt.timedelta(days=400)}
    assert due_diligence_gaps(stale, TODAY) == [
        f"security review {stale['security_review_on'].isoformat()} is over 12 months old"
    ]


def test_demo_names_openai_as_the_provider_most_uses_depend_on(
    demo_service: RegisterService,
) -> None:
    found = concentration(demo_service)
    top = found.providers[0]
    assert found.top_provider == top.name == "OpenAI"
    assert top.uses - top.direct >= 3  # Khan Academy, Microsoft, GitHub…
    assert top.uses == max(p.uses for p in found.providers)
    live = [u for u in demo_service.rows("ai_use") if u["stage"] != "retired"]
    assert found.total_people == sum(u["people_affected"] for u in live)
    khanmigo = next(d for d in top.if_down if d.use == "Student homework chatbot")
    assert khanmigo.via.startswith("Khan Academy →") and khanmigo.via.endswith("OpenAI")


def test_vendors_cli_json(
    demo_register_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    shutil.copy(demo_register_file, db)
    assert main(["vendors", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["providers"][0]
    assert {"uses", "people", "high_or_critical", "no_fallback", "models"} <= set(first)
    assert first["name"] == data["top_provider"] == "OpenAI"
    assert main(["vendors", "--db", str(db)]) == 0
    assert "Top provider: OpenAI" in capsys.readouterr().out


def test_workbook_has_catalogue_sheets_and_concentration(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    book = load_workbook(export_xlsx(demo_service, tmp_path / "r.xlsx", today=TODAY))
    perms = list(book["Agent permissions"].iter_rows(values_only=True))
    assert len(perms) - 1 == demo_service.count("agent_permission")
    assert any("Run DB migrations" in row for row in perms)
    vendors = list(book["Vendors"].iter_rows(values_only=True))
    header = list(vendors[0])
    openai = next(r for r in vendors[1:] if r[1] == "OpenAI")
    depending = openai[header.index("Uses depending on it (incl. through others)")]
    assert depending == concentration(demo_service).providers[0].uses
    assert len(list(book["Models"].iter_rows())) - 1 == demo_service.count("ai_model")


def test_board_pack_has_the_vendor_and_agent_section(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    path = export_pdf(demo_service, tmp_path / "pack.pdf", today=TODAY)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Vendors and agents" in text
    assert "If OpenAI is down or compromised tomorrow" in text
    assert "Autonomous coding agent" in text
    assert "Agent changes production without approval" in text


def test_headline_names_the_top_provider_and_its_share() -> None:
    uses = [_use(1, vendor_id=2, model_id=10, people_affected=300), _use(2, people_affected=100)]
    text = concentration_headline(concentration_of(uses, VENDORS, MODELS))
    assert text.startswith("75% of the 400 people affected by live uses depend on Khan Academy")
    assert "1 through another vendor" not in text  # Khan Academy is bought directly
    assert concentration_headline(concentration_of([], VENDORS, MODELS)).startswith("No use")
