"""The OMB federal AI use-case inventories, read from the real published files, and
``read_inventory`` as the one entry point for any import."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.inventory import ImportPlan, read_inventory
from riskdesk.importers.mapping import Mapping
from riskdesk.importers.omb import detect_format
from riskdesk.importers.omb_formats import dictionary_2025
from riskdesk.importers.tables import read_table
from riskdesk.importers.values import value_key
from tests.reference import FEDERAL_INVENTORY

REFERENCE = FEDERAL_INVENTORY
F2023 = REFERENCE / "2023_consolidated_ai_inventory_raw.csv"
F2024 = REFERENCE / "2024_consolidated_ai_inventory_raw_first300.csv"
F2024_V2 = REFERENCE / "2024_consolidated_ai_inventory_raw_v2.csv"
COTS_CSV = REFERENCE / "2025_consolidated_COTS_AI_use_cases.csv"
COTS_XLSX = REFERENCE / "2025_consolidated_COTS_AI_use_cases.xlsx"
ENCODINGS = {F2023: "utf-8", F2024: "utf-8-sig", F2024_V2: "cp1252", COTS_CSV: "utf-8-sig"}


def _records(path: Path) -> list[list[str]]:
    """The file's data records as Python's csv module reads them (header dropped)."""
    with path.open(encoding=ENCODINGS[path], newline="") as handle:
        return list(csv.reader(handle))[1:]


@pytest.fixture(scope="module")
def plans() -> dict[Path, ImportPlan]:
    return {path: read_inventory(path) for path in (F2023, F2024, F2024_V2, COTS_CSV, COTS_XLSX)}


@pytest.mark.parametrize(
    ("path", "fmt", "known_count"),
    [(F2023, "omb-2023", 710), (F2024, "omb-2024", 300), (F2024_V2, "omb-2024", 2133)],
)
def test_each_inventory_reads_every_row(
    plans: dict[Path, ImportPlan], path: Path, fmt: str, known_count: int
) -> None:
    plan = plans[path]
    assert plan.format == fmt
    assert len(plan.rows) == len(_records(path)) == known_count
    assert plan.skipped == []
    assert plan.problems == []  # public inventories: oddities are warnings, never blockers
    assert all(r.values["name"] for r in plan.rows)


def test_cots_list_keeps_only_products_in_use(plans: dict[Path, ImportPlan]) -> None:
    records = _records(COTS_CSV)
    in_use = [r for r in records if r[2].strip() == "Y"]
    for path in (COTS_CSV, COTS_XLSX):
        plan = plans[path]
        assert plan.format == "omb-2025"
        assert len(records) == 900
        assert len(plan.rows) == len(in_use) == 468
        assert len(plan.rows) + len(plan.skipped) == 900
        assert plan.problems == []
        assert "432 row(s) left out as not AI uses" in plan.warnings[-2].reason
        # The list says which products are used, not at what stage: never Production.
        assert "468 row(s) state no stage" in plan.warnings[-1].reason
    xlsx_values = [r.values for r in plans[COTS_XLSX].rows]
    assert xlsx_values == [r.values for r in plans[COTS_CSV].rows]
    first_usda = next(v for v in xlsx_values if v["department"] == "Department of Agriculture")
    assert first_usda == {
        "department": "Department of Agriculture",
        "name": "Transcribing, summarizing, or other efforts that improve the accessibility of "
        "a virtual meeting or interview using AI.",
        "vendor_name": "Microsoft Teams Premium Intelligent Meeting Features",
    }


def _by_name(plan: ImportPlan, name: str) -> list[dict[str, object]]:
    return [r.values for r in plan.rows if r.values["name"] == name]


@pytest.mark.parametrize("path", [F2024, F2024_V2])
def test_2024_spot_check_cbp_one(plans: dict[Path, ImportPlan], path: Path) -> None:
    (values,) = _by_name(plans[path], "CBP One")
    assert values["department"] == "DHS / CBP"
    assert values["rights_impacting"] is True  # "Both"
    assert values["safety_impacting"] is True
    assert values["stage"] == "production"  # "Operation and Maintenance"
    assert values["go_live"] == dt.date(2023, 5, 11)  # "5/11/2023"
    assert values["data_sensitivity"] == "personal"  # PII: Yes
    assert "\n\nOutputs: " in str(values["purpose"])


def test_2024_keeps_every_other_column_in_extra(plans: dict[Path, ImportPlan]) -> None:
    plan = plans[F2024_V2]
    row = next(r for r in plan.rows if r.values["name"] == "CBP One")
    assert row.extra["Agency"] == "Department of Homeland Security"
    assert row.extra["Stage of Development"] == "Operation and Maintenance"  # translated: kept
    # The many "If Other, please explain." columns stay apart, named by their letter.
    assert sum(1 for h in plan.table.headers if h.startswith("If Other, please explain.")) == 9
    mapped = {h for h, c in plan.mapping.columns.items() if c.field}
    unmapped = set(plan.table.headers) - mapped
    for raw in plan.table.rows[:50]:
        extra = next(r.extra for r in plan.rows if r.source_row == raw.number)
        for header, value in zip(plan.table.headers, raw.values, strict=True):
            if header in unmapped and value is not None:
                assert extra[header] == value


def test_2024_rights_and_safety_flags_match_the_answers(plans: dict[Path, ImportPlan]) -> None:
    answers = Counter(value_key(r[10]) for r in _records(F2024_V2))
    flags = Counter(
        (r.values.get("rights_impacting"), r.values.get("safety_impacting"))
        for r in plans[F2024_V2].rows
    )
    assert flags[(True, False)] == answers["rights-impacting"] == 131  # "Rights-Impacting\n"
    assert flags[(False, True)] == answers["safety-impacting"] == 25  # both spellings
    assert flags[(True, True)] == answers["both"] == 195
    assert flags[(False, False)] == answers["neither"] == 1722
    unreadable = [
        w
        for w in plans[F2024_V2].warnings
        if w.column and w.column.startswith("Is the AI use case")
    ]
    assert len(unreadable) == 21  # "too new to assess" x20, "Case-by-case assessment"


def test_2024_stages(plans: dict[Path, ImportPlan]) -> None:
    stages = Counter(r.values.get("stage") for r in plans[F2024_V2].rows)
    assert stages == {
        "production": 874 + 14 + 4,  # Operation and Maintenance, In production, In mission
        "development": 404,
        "idea": 370 + 20 + 9,  # Initiated, Planned, Ideation
        "pilot": 287,
        "retired": 142 + 5,  # Retired, Research or Administrative Action Complete
        None: 4,
    }


def test_2024_duplicate_names_are_separate_rows_with_warnings(
    plans: dict[Path, ImportPlan],
) -> None:
    records = _records(F2024_V2)
    keys = Counter((value_key(r[1]), value_key(r[0])) for r in records)
    in_groups = sum(n for n in keys.values() if n > 1)
    assert sum(1 for n in keys.values() if n > 1) >= 29  # SOURCE.md: 29 exact repeats
    flagged = [
        r
        for r in plans[F2024_V2].rows
        if any("imported as a separate AI use" in w.reason for w in r.warnings)
    ]
    assert len(flagged) == in_groups
    assert len(_by_name(plans[F2024_V2], "Generative AI Usage")) == 51


def test_2023_spot_check(plans: dict[Path, ImportPlan]) -> None:
    plan = plans[F2023]
    first = plan.rows[0]
    assert first.source_row == 2
    assert first.values["name"] == "AI Curated Synthetic Data"
    assert first.values["department"] == "DHS / Customs and Border Protection"
    assert first.values["stage"] == "idea"  # "Initiation"
    assert first.extra["Use_Case_ID"] == "DHS-0000-2023"
    blank_stage = sum(1 for r in _records(F2023) if not r[6].strip())
    assert sum(1 for r in plan.rows if "stage" not in r.values) >= blank_stage == 321


@pytest.mark.parametrize(
    ("path", "fmt"),
    [(F2023, "omb-2023"), (F2024, "omb-2024"), (F2024_V2, "omb-2024"), (COTS_XLSX, "omb-2025")],
)
def test_detect_format(path: Path, fmt: str) -> None:
    assert detect_format(read_table(path)) == fmt


def test_a_plain_register_is_not_an_omb_format(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Title,Summary,Department,Agency,Office\nBot,Helps,IT,X,Y\n", "utf-8")
    assert detect_format(read_table(path)) is None
    assert read_inventory(path).format == "table"


# --- 2025: any file in the data dictionary's schema ---------------------------------------


def _rows_2025() -> list[dict[str, str]]:
    common = {
        "agency": "DHS",
        "agency_name": "Department of Homeland Security",
        "problem_solved": "Find contraband",
        "benefits": "Faster checks",
        "system_outputs": "Alerts",
        "vendor_name": "Acme AI",
        "topic_area": "Law Enforcement",
        "demographic_features": "['k) None of the above']",
    }
    return [
        {**common, "id": "DHS-1", "use_case_name": "Cargo scanner", "agency_bureau": "CBP",
         "development_stage": "Deployed", "is_high_impact": "High-impact", "has_pii": "Yes",
         "classification": "Computer Vision", "contracting_usage": "Vendor Purchased",
         "operational_date": "2024-03-01"},
        {**common, "id": "DHS-2", "use_case_name": "Chat helper", "agency_bureau": "OCIO",
         "development_stage": "a) Pre-deployment – The use case is in a development or "
         "acquisition status.", "is_high_impact": "Not High-impact", "has_pii": "false",
         "classification": "GenAI", "contracting_usage": "in house", "operational_date": ""},
        {**common, "id": "DHS-3", "use_case_name": "Triage", "agency_bureau": "CBP",
         "development_stage": "pilot", "is_high_impact": "b) Presumed high-impact but "
         "determined not high-impact", "has_pii": "Yes - Employee names and communications",
         "classification": "Agentic AI", "contracting_usage": "Contracting and In House",
         "operational_date": "3/14/2024"},
        {**common, "id": "DHS-4", "use_case_name": "Cargo scanner", "agency_bureau": "CBP",
         "development_stage": "Retired", "is_high_impact": "Perhaps", "has_pii": "",
         "classification": "Classical ML", "contracting_usage": "vendor",
         "operational_date": "FY2023"},
    ]  # fmt: skip


def _check_2025(plan: ImportPlan, department_prefix: str) -> None:
    assert plan.format == "omb-2025"
    assert plan.problems == []
    scanner, chat, triage, retired = (r.values for r in plan.rows)
    assert scanner == {
        "name": "Cargo scanner",
        "department": f"{department_prefix}CBP",
        "purpose": "Find contraband\n\nBenefits: Faster checks\n\nOutputs: Alerts",
        "stage": "production",
        "rights_impacting": True,  # high-impact
        "safety_impacting": False,
        "data_sensitivity": "personal",
        "generative": False,
        "sourcing": "saas_embedded",
        "vendor_name": "Acme AI",
        "go_live": dt.date(2024, 3, 1),
    }
    assert chat["stage"] == "development"
    assert chat["generative"] is True
    assert chat["sourcing"] == "in_house"
    assert chat["data_sensitivity"] == "internal"
    assert (chat["rights_impacting"], chat["safety_impacting"]) == (False, False)
    assert triage["stage"] == "pilot"
    assert triage["rights_impacting"] is False  # presumed, but determined not
    assert triage["data_sensitivity"] == "personal"
    assert triage["go_live"] == dt.date(2024, 3, 14)
    assert retired["stage"] == "retired"
    assert "rights_impacting" not in retired
    assert retired["go_live"] == dt.date(2022, 10, 1)
    reasons = [w.reason for w in plan.warnings]
    assert any(r.startswith('"Perhaps" is not one of') for r in reasons)
    assert any("FY2023" in r for r in reasons)
    assert sum("imported as a separate AI use" in r for r in reasons) == 2
    assert plan.rows[0].extra["topic_area" if department_prefix else "Use Case Topic Area"] == (
        "Law Enforcement"
    )


def test_2025_snake_case_csv(tmp_path: Path) -> None:
    rows = _rows_2025()
    headers = ["agency", "agency_name", *dictionary_2025()]
    path = tmp_path / "2025_consolidated_ai_inventory.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, restval="")
        writer.writeheader()
        writer.writerows(rows)
    _check_2025(read_inventory(path), "DHS / ")


def test_2025_question_headers_xlsx_below_a_title(tmp_path: Path) -> None:
    dictionary = dictionary_2025()
    path = tmp_path / "agency_inventory.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Individual Use Cases"
    sheet.append(["FY2025 AI Use Case Inventory"])
    # Agencies' own files carry the Excel question text, sometimes without its
    # "Practice: …" paragraph.
    questions = {k: v["excel_header"].split("\n\n")[0] for k, v in dictionary.items()}
    sheet.append([questions[k] for k in dictionary])
    for row in _rows_2025():
        sheet.append([row.get(k, "") for k in dictionary])
    book.save(path)
    plan = read_inventory(path)
    assert plan.table.header_row == 2
    _check_2025(plan, "")


def test_shipped_2025_dictionary_is_omb_s(tmp_path: Path) -> None:
    reference = json.loads((REFERENCE / "2025_data_dictionary.json").read_text("utf-8"))
    assert dictionary_2025() == reference


# --- the entry point with other formats ---------------------------------------------------


def test_generic_register_with_problems(tmp_path: Path) -> None:
    path = tmp_path / "inventory.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet.append(["Name", "Department", "Stage", "Vendor", "Purpose", "People affected"])
    sheet.append(["Essay marker", "English", "Pilot", "Acme", "Marks essays", "1,200"])
    sheet.append(["Timetable helper", "Admin", "Someday", "Acme", "Plans", "lots"])
    book.save(path)
    plan = read_inventory(path)
    assert plan.format == "table"
    assert not plan.ok
    assert [str(p) for p in plan.problems] == [
        'inventory.xlsx, sheet "Uses", row 3, column "Stage" (C): "Someday" is not one of: '
        "Not stated, Idea, Development, Pilot, Production, Retired",
    ]
    # Reach is an exposure factor: unreadable is unknown with a warning, not a problem.
    assert 'column "People affected" (F): "lots" (row 3) read as unknown' in "\n".join(
        str(w) for w in plan.warnings
    )
    assert "people_affected" not in plan.rows[1].values
    assert plan.rows[0].values["people_affected"] == 1200


def test_given_mapping_is_used_as_is(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Thing,Where\nBot,IT\n", "utf-8")
    with pytest.raises(ImportFileError, match="no column holds the AI use's name"):
        read_inventory(path)
    plan = read_inventory(
        path, mapping=Mapping.from_fields({"Thing": "name", "Where": "department"})
    )
    assert plan.format == "table"
    assert plan.rows[0].values == {"name": "Bot", "department": "IT"}


def test_forcing_the_wrong_format_fails_cleanly() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_inventory(COTS_CSV, fmt="omb-2024")
    assert str(caught.value).startswith("2025_consolidated_COTS_AI_use_cases.csv: no column")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown import format 'riskdesk'"):
        read_inventory(F2023, fmt="riskdesk")


def test_header_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("Name,Department\n", "utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_inventory(path)
    assert str(caught.value) == (
        "header-only.csv: there are no rows of data under the header (row 1)"
    )


def test_cots_list_leaves_sourcing_not_stated(plans: dict[Path, ImportPlan]) -> None:
    """The list's product column is headed "commercial", but its answers name in-house
    tools and API platforms beside SaaS features: it does not say how a use is sourced."""
    products = [r[3] for r in _records(COTS_CSV) if r[2].strip() == "Y"]
    assert any("Internal Gov Cloud" in p for p in products)  # not bought
    assert any("Bedrock" in p for p in products)  # a vendor model via an API
    assert any("Copilot" in p for p in products)  # SaaS with embedded AI
    for path in (COTS_CSV, COTS_XLSX):
        assert all("sourcing" not in r.values for r in plans[path].rows)
