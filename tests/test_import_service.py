"""Imports written through the service layer: the shipped OMB inventories, messy tables,
vendors and owners found by name, problems mapped back to file/row/column, and the
all-or-nothing, skip-invalid, dry-run and cancel behaviours."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from riskdesk.importers import read_inventory
from riskdesk.importers.omb_formats import dictionary_2025
from riskdesk.progress import Cancelled
from riskdesk.service.importing import (
    ImportCancelled,
    detect_file_format,
    import_file,
    import_plan,
)
from riskdesk.service.register import RegisterService
from tests.conftest import dump
from tests.reference import FEDERAL_INVENTORY

REFERENCE = FEDERAL_INVENTORY
F2023 = REFERENCE / "2023_consolidated_ai_inventory_raw.csv"
F2024 = REFERENCE / "2024_consolidated_ai_inventory_raw_first300.csv"
F2024_V2 = REFERENCE / "2024_consolidated_ai_inventory_raw_v2.csv"
COTS_CSV = REFERENCE / "2025_consolidated_COTS_AI_use_cases.csv"
COTS_XLSX = REFERENCE / "2025_consolidated_COTS_AI_use_cases.xlsx"


def uses_by_name(service: RegisterService, name: str) -> list[dict[str, object]]:
    return service.rows("ai_use", name=name)


def _write_xlsx(path: Path, rows: list[list[object]], title: str = "Register") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- the shipped OMB inventories --------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt", "uses"),
    [(F2023, "omb-2023", 710), (F2024, "omb-2024", 300), (F2024_V2, "omb-2024", 2133)],
)
def test_each_omb_inventory_imports_every_row(
    service: RegisterService, path: Path, fmt: str, uses: int
) -> None:
    report = import_file(service, path)
    assert report.format == fmt
    assert report.written and not report.problems
    assert report.created == {"ai_use": uses}
    assert service.count("ai_use") == uses
    audited = [e for e in service.rows("audit_event") if e["entity"] == "ai_use"]
    assert len(audited) == uses  # every row went through the service and is on the record


@pytest.mark.parametrize("path", [F2024, F2024_V2])
def test_2024_cbp_one_spot_check(service: RegisterService, path: Path) -> None:
    import_file(service, path)
    (use,) = uses_by_name(service, "CBP One")
    assert use["department"] == "DHS / CBP"
    assert use["rights_impacting"] is True and use["safety_impacting"] is True  # "Both"
    assert use["stage"] == "production"
    assert use["go_live"] == dt.date(2023, 5, 11)
    assert use["data_sensitivity"] == "personal"
    # Not every question is stated, so not assessed (issue 13) — but rights- and
    # safety-impacting already floor its provisional range at High.
    assert use["tier"] == "not_assessed" and use["tier_low"] in ("high", "critical")
    source = json.loads(str(use["source_record"]))
    agency = "Department of Homeland Security"
    assert source["Agency" if path == F2024_V2 else "3_agency"] == agency


def test_2024_overlong_names_are_shortened_and_kept_whole(service: RegisterService) -> None:
    report = import_file(service, F2024_V2)
    servir = [u for u in service.rows("ai_use") if str(u["name"]).startswith("SERVIR Water")]
    (use,) = servir
    assert len(str(use["name"])) <= 300 and str(use["name"]).endswith("…")
    full = json.loads(str(use["source_record"]))["Use Case Name"]
    assert len(full) == 335 and full.startswith(str(use["name"])[:-1])
    shortened = [w for w in report.warnings if "more than the 300 riskdesk allows" in w.reason]
    assert [w.row for w in shortened] == [1099, 1100, 1101]
    assert all(w.column == "Use Case Name" and w.column_letter == "A" for w in shortened)


def test_2024_duplicates_are_separate_uses_with_warnings(service: RegisterService) -> None:
    report = import_file(service, F2024_V2)
    names = Counter((u["department"], u["name"]) for u in service.rows("ai_use"))
    repeated = {k: n for k, n in names.items() if n > 1}
    assert repeated  # the 2024 file names some uses twice: both kept, never merged
    warned = {w.row for w in report.warnings if "imported as a separate AI use" in w.reason}
    assert len(warned) >= sum(repeated.values())


@pytest.mark.parametrize("path", [COTS_CSV, COTS_XLSX])
def test_2025_cots_list_creates_each_vendor_once(service: RegisterService, path: Path) -> None:
    report = import_file(service, path)
    assert report.format == "omb-2025"
    assert report.created["ai_use"] == service.count("ai_use") == 468
    assert report.rows_skipped == 432
    vendors = service.rows("vendor")
    assert report.created["vendor"] == len(vendors)
    assert len({str(v["name"]).casefold() for v in vendors}) == len(vendors)
    teams = next(
        v for v in vendors if v["name"] == "Microsoft Teams Premium Intelligent Meeting Features"
    )
    linked = service.rows("ai_use", vendor_id=teams["id"])
    assert linked and all(u["department"] for u in linked)


def _rows_2025() -> list[dict[str, str]]:
    common = {"agency": "DOE", "agency_name": "Department of Energy", "vendor_name": "Acme AI"}
    return [
        {**common, "use_case_name": "Grid forecaster", "agency_bureau": "EIA",
         "development_stage": "Deployed", "is_high_impact": "High-impact", "has_pii": "No",
         "contracting_usage": "Vendor Purchased", "operational_date": "2024-03-01",
         "topic_area": "Energy"},
        {**common, "use_case_name": "Permit helper", "agency_bureau": "OCIO",
         "development_stage": "Pilot", "is_high_impact": "Not High-impact",
         "vendor_name": "ACME ai ", "classification": "Generative AI"},
        {**common, "use_case_name": "Grid forecaster", "agency_bureau": "EIA",
         "development_stage": "Retired"},
    ]  # fmt: skip


def test_a_2025_format_file_imports_with_no_code_for_it(
    service: RegisterService, tmp_path: Path
) -> None:
    path = tmp_path / "doe_2025_inventory.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, ["agency", "agency_name", *dictionary_2025()], restval="")
        writer.writeheader()
        writer.writerows(_rows_2025())
    report = import_file(service, path)
    assert report.format == "omb-2025" and report.written and not report.problems
    assert report.created == {"vendor": 1, "ai_use": 3}  # "Acme AI" and "ACME ai " are one
    (vendor,) = service.rows("vendor")
    uses = service.rows("ai_use", order_by="id")
    assert [u["vendor_id"] for u in uses] == [vendor["id"]] * 3
    forecaster = uses[0]
    assert forecaster["department"] == "DOE / EIA"
    assert forecaster["stage"] == "production"
    assert forecaster["rights_impacting"] is True  # high-impact
    assert forecaster["go_live"] == dt.date(2024, 3, 1)
    assert json.loads(str(forecaster["source_record"]))["topic_area"] == "Energy"
    assert uses[1]["stage"] == "pilot" and uses[1]["generative"] is True
    assert uses[2]["stage"] == "retired"
    assert sum("separate AI use" in w.reason for w in report.warnings) == 2


# --- any table: messy values end to end ----------------------------------------------------


def test_messy_csv_imports_normalised(service: RegisterService, tmp_path: Path) -> None:
    service.create("vendor", {"name": "OpenAI", "kind": "model_provider"})
    path = tmp_path / "our register.csv"
    lines = [
        "AI register (exported from SharePoint);;;;;;;",
        ";;;;;;;",
        "Use case;Team;Status;Supplier;Rights / safety impacting;People affected;Owner;"
        "2nd line reviewer",
        "  Essay  marker ;English;Pilot;openai;Safety-Impacting;1,200;Jo Bloggs;Ann Lee",
        ";;;;;;;",
        '"Chat helper\n";" Admin ";" production\n";OPENAI ;"Rights-Impacting\n";40;jo bloggs;',
        "Timetable helper;Admin;In Production;Acme Ltd;Neither;;Sam Roe;ANN LEE",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    report = import_file(service, path)
    assert report.format == "table" and not report.problems, report.problems
    assert report.created == {"vendor": 1, "person": 3, "ai_use": 3}
    assert report.matched == {"vendor": 1}  # the OpenAI already in the register
    uses = {u["name"]: u for u in service.rows("ai_use")}
    assert set(uses) == {"Essay marker", "Chat helper", "Timetable helper"}
    essay, chat, timetable = uses["Essay marker"], uses["Chat helper"], uses["Timetable helper"]
    assert (essay["stage"], chat["stage"], timetable["stage"]) == (
        "pilot",
        "production",
        "production",
    )
    assert (essay["safety_impacting"], essay["rights_impacting"]) == (True, False)
    assert (chat["safety_impacting"], chat["rights_impacting"]) == (False, True)
    assert essay["people_affected"] == 1200 and chat["department"] == "Admin"
    openai = service.rows("vendor", name="OpenAI")[0]["id"]
    assert essay["vendor_id"] == chat["vendor_id"] == openai
    people = {p["name"]: p for p in service.rows("person")}
    assert set(people) == {"Jo Bloggs", "Ann Lee", "Sam Roe"}
    assert people["Ann Lee"]["default_line"] == "second"
    assert people["Jo Bloggs"]["default_line"] == "first"
    assert essay["owner_first_id"] == chat["owner_first_id"] == people["Jo Bloggs"]["id"]
    assert timetable["owner_second_id"] == people["Ann Lee"]["id"]


def test_xlsx_with_merged_department_and_blank_rows(
    service: RegisterService, tmp_path: Path
) -> None:
    path = tmp_path / "register.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "AI uses"
    sheet.append(["Department", "Name", "Go-live date"])
    sheet.append(["Finance", "Invoice reader", dt.datetime(2024, 2, 1)])
    sheet.append([None, "Fraud scoring", "01/03/2024"])
    sheet.append([])
    sheet.append(["HR", "CV screening", None])
    sheet.merge_cells("A2:A3")
    book.save(path)
    report = import_file(service, path)
    assert report.created == {"ai_use": 3}
    uses = {u["name"]: u for u in service.rows("ai_use")}
    assert uses["Fraud scoring"]["department"] == "Finance"  # merged down
    assert uses["Invoice reader"]["go_live"] == dt.date(2024, 2, 1)
    assert uses["CV screening"]["go_live"] is None


# --- problems: all or nothing, skip invalid, dry run, cancel -------------------------------


def _bad_table(tmp_path: Path) -> Path:
    path = tmp_path / "uses.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["Name", "Department", "Summary", "Vendor", "Stage"],
                ["Essay marker", "English", "Marks essays", "Acme", "Pilot"],
                ["Chat helper", "Admin", "Chat. " * 20_000, "Acme", "Live"],  # too long to store
                ["Timetable helper", "Admin", "Plans", "Globex", "Someday"],  # unreadable stage
                ["Bus routes", "Transport", "Routes", "x" * 301, "Pilot"],  # vendor name too long
            ]
        )
    return path


def test_problems_stop_the_import_and_each_is_reported(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    before = dump(demo_service)
    report = import_file(demo_service, _bad_table(tmp_path))
    assert report.stopped and not report.written and report.created == {}
    messages = [str(p) for p in report.problems]
    assert messages == [
        'uses.csv, row 3, column "Summary" (C): Purpose is longer than 100,000 characters',
        'uses.csv, row 4, column "Stage" (E): "Someday" is not one of: Not stated, Idea, '
        "Development, Pilot, Production, Retired",
        'uses.csv, row 5, column "Vendor" (D): The vendor\'s name is longer than 300 characters',
    ]
    assert dump(demo_service) == before  # not a row, not an audit event


def test_skip_invalid_imports_the_valid_rows(service: RegisterService, tmp_path: Path) -> None:
    report = import_file(service, _bad_table(tmp_path), skip_invalid=True)
    assert report.written and not report.stopped
    assert report.rows_rejected == 3 and len(report.problems) == 3
    assert report.created == {"vendor": 1, "ai_use": 1}  # Globex only served a rejected row
    assert [u["name"] for u in service.rows("ai_use")] == ["Essay marker"]
    assert [v["name"] for v in service.rows("vendor")] == ["Acme"]


def test_dry_run_reports_and_writes_nothing(demo_service: RegisterService, tmp_path: Path) -> None:
    before = dump(demo_service)
    report = import_file(demo_service, F2023, dry_run=True)
    assert report.dry_run and not report.written and report.result is None
    assert report.created == {"ai_use": 710}
    assert dump(demo_service) == before
    skipped = import_file(demo_service, _bad_table(tmp_path), dry_run=True, skip_invalid=True)
    assert skipped.created == {"vendor": 1, "ai_use": 1} and len(skipped.problems) == 3
    assert dump(demo_service) == before


def test_cancel_rolls_back(demo_service: RegisterService) -> None:
    before = dump(demo_service)
    plan = read_inventory(F2024_V2)
    seen: list[tuple[int, int]] = []

    def cancel() -> bool:
        return len(seen) >= 6  # after some rows were already written

    with pytest.raises(ImportCancelled):
        import_plan(demo_service, plan, progress=lambda d, t: seen.append((d, t)), cancel=cancel)
    assert seen[-1][0] > len(plan.rows)  # writing had started
    assert dump(demo_service) == before


def test_cancel_is_the_shared_cancel_contract(service: RegisterService) -> None:
    """Callers that handle any long work's ``Cancelled`` handle an import's too."""
    with pytest.raises(Cancelled, match="import cancelled: nothing was written"):
        import_file(service, F2023, cancel=lambda: True)
    assert service.count("ai_use") == 0


def test_progress_reaches_the_total(service: RegisterService) -> None:
    seen: list[tuple[int, int]] = []
    import_file(service, F2023, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == 2 * 710
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


def test_undo_removes_the_whole_import(demo_service: RegisterService) -> None:
    uses, vendors = demo_service.count("ai_use"), demo_service.count("vendor")
    report = import_file(demo_service, COTS_CSV)
    assert report.result is not None
    assert demo_service.count("ai_use") == uses + 468
    demo_service.undo(report.result)
    assert (demo_service.count("ai_use"), demo_service.count("vendor")) == (uses, vendors)


def test_importing_the_same_file_again_is_flagged(service: RegisterService) -> None:
    import_file(service, F2023)
    again = import_file(service, F2023)
    assert again.written and service.count("ai_use") == 2 * 710
    (warning,) = [w for w in again.warnings if "already in the register" in w.reason]
    assert warning.reason.startswith("710 row(s) have the department and name")


def test_formats_are_detected_from_the_file(tmp_path: Path) -> None:
    assert detect_file_format(F2024_V2) is None  # read_inventory recognises OMB files
    assert detect_file_format(_bad_table(tmp_path)) is None
    with pytest.raises(ValueError, match="unknown import format"):
        import_file(RegisterService.__new__(RegisterService), F2023, "omb-2026")
