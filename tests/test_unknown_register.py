"""Unknown is not Low through the service: storage, rescoring, undo, round trips,
drift, the workbook and the board pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from riskdesk.scoring import ScoringConfig
from riskdesk.service import drift
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService
from riskdesk.service.scoring_settings import save_scoring_config
from riskdesk.service.summary import register_summary
from riskdesk.store.db import open_register
from tests.answers import ANSWERED, answered

FACTORS = tuple(ANSWERED)


@pytest.fixture
def mixed(service: RegisterService) -> dict[str, int]:
    owner = service.create("person", {"name": "Olu Owner"})
    return {
        "owner": owner,
        "blank": service.create("ai_use", {"name": "Gaggle scanning", "owner_first_id": owner}),
        "partly": service.create(
            "ai_use",
            {
                "name": "Tutor bot",
                "owner_first_id": owner,
                "people_affected": "2,400",
                "childrens_data": "yes",
                "eu_ai_act_class": "Not assessed",
                "rights_impacting": "unknown",
            },
        ),
        "assessed": service.create(
            "ai_use", answered(name="Drafting aid", owner_first_id=owner, people_affected=40)
        ),
    }


def _factors(use: dict[str, Any]) -> dict[str, Any]:
    return {k: use[k] for k in FACTORS}


def test_a_use_created_without_answers_stores_unknown(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    blank = service.get("ai_use", mixed["blank"])
    assert _factors(blank) == dict.fromkeys(FACTORS)
    assert (blank["tier"], blank["assessment"], blank["exposure"]) == (
        "not_assessed",
        "not_assessed",
        None,
    )
    assert (blank["tier_low"], blank["tier_high"]) == ("low", "critical")
    partly = service.get("ai_use", mixed["partly"])
    assert partly["people_affected"] == 2400 and partly["childrens_data"] is True
    assert partly["eu_ai_act_class"] is None and partly["rights_impacting"] is None
    assert partly["assessment"] == "partly"
    assert partly["tier_low"] == "moderate"  # 1k+ people and children's data: 10 + 16
    assessed = service.get("ai_use", mixed["assessed"])
    assert (assessed["tier"], assessed["exposure"], assessed["assessment"]) == (
        "low",
        6,
        "assessed",
    )


def test_answering_every_question_assesses_it_and_undo_makes_it_unknown_again(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    done = service.update("ai_use", mixed["blank"], answered(harm_severity="severe"))
    use = service.get("ai_use", mixed["blank"])
    assert use["assessment"] == "assessed" and use["tier"] != "not_assessed"
    assert use["exposure"] == 19
    service.undo(done)
    back = service.get("ai_use", mixed["blank"])
    assert _factors(back) == dict.fromkeys(FACTORS)
    assert back["tier"] == "not_assessed" and back["exposure"] is None


def test_rescoring_keeps_unknowns_unknown_and_undo_restores(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    before = {k: service.get("ai_use", v) for k, v in mixed.items() if k != "owner"}
    stricter = ScoringConfig(tier_thresholds={"moderate": 5, "high": 30, "critical": 60})
    result = save_scoring_config(service, stricter)
    after = {k: service.get("ai_use", v) for k, v in mixed.items() if k != "owner"}
    for key in ("blank", "partly"):
        assert _factors(after[key]) == _factors(before[key])
        assert after[key]["tier"] == "not_assessed" and after[key]["exposure"] is None
    assert after["partly"]["tier_low"] == "moderate" and after["partly"]["tier_high"] == "critical"
    assert after["assessed"]["tier"] == "moderate"  # 6 points, Moderate from 5
    service.undo(result)
    for key, use in before.items():
        again = service.get("ai_use", mixed[key])
        # ``version`` only rises (an undo is a change too); everything else is restored.
        assert {k: again[k] for k in use if k not in ("updated_at", "version")} == {
            k: v for k, v in use.items() if k not in ("updated_at", "version")
        }


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_round_trip_keeps_unknowns_unknown(
    service: RegisterService, mixed: dict[str, int], tmp_path: Path, kind: str
) -> None:
    from riskdesk.reports.csv_export import export_csv
    from riskdesk.reports.xlsx import export_xlsx
    from riskdesk.service.importing import import_file

    target = tmp_path / ("export.xlsx" if kind == "xlsx" else "export.zip")
    if kind == "xlsx":
        export_xlsx(service, target)
    else:
        export_csv(service, target)
    restored_register = open_register(tmp_path / "restored.db")
    try:
        restored = RegisterService(restored_register, actor="test")
        import_file(restored, target)
        for key in ("blank", "partly", "assessed"):
            original = service.get("ai_use", mixed[key])
            (copy,) = restored.rows("ai_use", name=original["name"])
            assert _factors(copy) == _factors(original), key
            for derived in ("tier", "assessment", "exposure", "tier_low", "tier_high"):
                assert copy[derived] == original[derived], (key, derived)
    finally:
        restored_register.dispose()


def test_the_review_clock_starts_at_assessment(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    recorded = service.get("ai_use", mixed["blank"])["created_at"].date()
    later = recorded + dt.timedelta(days=40)
    found = {i.use_id: i for i in drift.find_drift(service, later) if i.kind == "review_overdue"}
    assert mixed["assessed"] in found  # assessed, never reviewed: overdue
    assert mixed["blank"] not in found and mixed["partly"] not in found
    due = {i.use_id: i for i in drift.all_due_items(service, later)}
    assert due[mixed["blank"]].kind == drift.ASSESSMENT
    assert due[mixed["blank"]].due == recorded + dt.timedelta(days=30)
    gaps = gaps_for_use(service, mixed["blank"], later)
    assert [g.rung for g in gaps] == ["assessment_missing"]


def test_the_assessment_due_date_is_a_scoring_setting(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    save_scoring_config(service, ScoringConfig(assessment_days=10))
    recorded = service.get("ai_use", mixed["blank"])["created_at"].date()
    (gap,) = gaps_for_use(service, mixed["blank"], recorded)
    assert gap.due == recorded + dt.timedelta(days=10)


def test_summary_counts_unassessed_uses_apart(
    service: RegisterService, mixed: dict[str, int]
) -> None:
    data = register_summary(service)
    assert data["by_tier"]["unassessed"] == 2 and data["by_tier"]["low"] == 1
    assert data["by_assessment"] == {"assessed": 1, "partly": 1, "not_assessed": 1}


def test_the_workbook_says_what_is_not_assessed(
    service: RegisterService, mixed: dict[str, int], tmp_path: Path
) -> None:
    from riskdesk.reports.xlsx import export_xlsx

    path = export_xlsx(service, tmp_path / "register.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if len(r) > 1}
    assert summary["  Not assessed tier"] == 2
    assert summary["  Not yet assessed"] == (
        "2 uses are not yet assessed — the board cannot yet know their exposure."
    )
    rows = list(book["AI Uses"].iter_rows(values_only=True))
    header = list(rows[0])
    name, tier, exposure = (header.index(h) for h in ("Name", "Tier", "Exposure"))
    shown = {r[name]: (r[tier], r[exposure]) for r in rows[1:]}
    assert shown["Gaggle scanning"] == ("Not assessed", "0–100")
    assert shown["Drafting aid"] == ("Low", 6)
    book.close()


def test_the_board_pack_says_the_board_cannot_know_their_exposure(
    service: RegisterService, mixed: dict[str, int], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from riskdesk.reports.pdf import export_pdf

    path = export_pdf(service, tmp_path / "pack.pdf", record=False)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "2 uses are not yet assessed — the board cannot yet know their exposure." in text
    assert "0–100" in text  # the appendix shows the range, not a number
