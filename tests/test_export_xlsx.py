"""The Excel register read back: the values are the register's, the layout is as documented,
hostile text stays inert — checked with openpyxl and with a real spreadsheet (LibreOffice)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import update

from riskdesk.enums import Tier
from riskdesk.fileformat.safe_text import TRUNCATION_MARKER, XLSX_CELL_LIMIT
from riskdesk.reports import ExportCancelled, export_xlsx
from riskdesk.reports.xlsx import FORMAT_VERSION, SHEET_COLUMNS, SHEET_ORDER
from riskdesk.scoring.exposure import exposure_text
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService, table_of

TODAY = dt.date(2026, 11, 1)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3"]


def rows_by_id(ws: Worksheet) -> dict[Any, dict[str, Any]]:
    """Sheet rows keyed by column A, as {header: value}."""
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return {r[0]: dict(zip(header, r, strict=True)) for r in values[1:]}


def as_date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


@pytest.fixture
def demo_book(demo_service: RegisterService, tmp_path: Path) -> Any:
    path = export_xlsx(demo_service, tmp_path / "register.xlsx", today=TODAY)
    return load_workbook(path)


@pytest.fixture
def hostile_service(service: RegisterService) -> RegisterService:
    owner = service.create("person", {"name": HOSTILE[0], "title": "Σύμβουλος — Кириллица"})
    use = service.create(
        "ai_use",
        {
            "name": HOSTILE[1],
            "purpose": HOSTILE[2],
            "department": HOSTILE[3],
            "owner_first_id": owner,
            "notes": "n" * 40_000,
            "users": "#N/A",
            "model_name": "Модель Ω",
            "go_live": dt.date(2025, 9, 1),
        },
    )
    service.create(
        "risk", {"use_id": use, "title": HOSTILE[0], "description": HOSTILE[3], "owner_id": owner}
    )
    service.create(
        "incident",
        {"use_id": use, "title": HOSTILE[2], "occurred_on": dt.date(2026, 10, 1)},
    )
    return service


def test_sheets_and_headers_are_as_documented(demo_book: Any) -> None:
    assert demo_book.sheetnames == list(SHEET_ORDER)
    for name, columns in SHEET_COLUMNS.items():
        header = next(demo_book[name].iter_rows(max_row=1, values_only=True))
        assert list(header) == [c.header for c in columns], name
        assert columns[0].kind == "id" or columns[0].field == "use_id"
    assert demo_book["Lists"].sheet_state == "hidden"


def test_uses_sheet_equals_the_register(demo_service: RegisterService, demo_book: Any) -> None:
    sheet = rows_by_id(demo_book["AI Uses"])
    people = {p["id"]: p["name"] for p in demo_service.rows("person")}
    uses = demo_service.rows("ai_use")
    assert set(sheet) == {u["id"] for u in uses}
    for use in uses:
        row = sheet[use["id"]]
        assert row["Name"] == use["name"]
        assert row["Exposure"] == use["exposure"] and isinstance(row["Exposure"], int)
        assert row["Tier"] == Tier(use["tier"]).label
        assert row["1st-line owner ID"] == use["owner_first_id"]
        assert row["1st-line owner"] == people.get(use["owner_first_id"])
        assert row["2nd-line owner ID"] == use["owner_second_id"]
        assert row["3rd-line owner"] == people.get(use["owner_third_id"])
        assert as_date(row["Go-live"]) == use["go_live"]
        assert as_date(row["Next review"]) == use["next_review"]
        assert row["Children's data"] is use["childrens_data"]
        assert row["People affected a year"] == use["people_affected"]


def test_risks_sheet_equals_the_register(demo_service: RegisterService, demo_book: Any) -> None:
    sheet = rows_by_id(demo_book["Risks"])
    risks = demo_service.rows("risk")
    people = {p["id"]: p["name"] for p in demo_service.rows("person")}
    links: dict[int, list[int]] = {}
    for link in demo_service.rows("risk_control"):
        links.setdefault(link["risk_id"], []).append(link["control_id"])
    assert set(sheet) == {r["id"] for r in risks}
    for risk in risks:
        row = sheet[risk["id"]]
        assert row["Use ID"] == risk["use_id"]
        assert row["Title"] == risk["title"]
        assert row["Inherent likelihood"] == risk["inherent_likelihood"]
        assert row["Residual impact"] == risk["residual_impact"]
        assert row["Residual score"] == risk["residual_likelihood"] * risk["residual_impact"]
        assert row["Owner ID"] == risk["owner_id"]
        assert row["Owner"] == people.get(risk["owner_id"])
        assert as_date(row["Due date"]) == risk["due_date"]
        expected = ", ".join(str(c) for c in sorted(links.get(risk["id"], [])))
        assert (row["Control IDs"] or "") == expected


def test_other_sheets_hold_every_record(demo_service: RegisterService, demo_book: Any) -> None:
    for sheet, entity in [
        ("People", "person"),
        ("Vendors", "vendor"),
        ("Controls", "control"),
        ("Incidents", "incident"),
        ("Accountability", "ai_use"),
    ]:
        assert set(rows_by_id(demo_book[sheet])) == {r["id"] for r in demo_service.rows(entity)}
    gaps = register_gaps(demo_service, TODAY)
    gap_rows = list(demo_book["Gaps"].iter_rows(min_row=2, values_only=True))
    assert len(gap_rows) == sum(len(g.gaps) for g in gaps) > 0
    assert {r[0] for r in gap_rows} == {g.use_id for g in gaps if g.gaps}


def test_spreadsheet_features(demo_book: Any) -> None:
    uses = demo_book["AI Uses"]
    assert uses.freeze_panes == "C2"
    assert uses.auto_filter.ref.startswith("A1:")
    assert uses.auto_filter.ref.endswith(str(uses.max_row))
    stage_col = next(i for i, c in enumerate(SHEET_COLUMNS["AI Uses"], 1) if c.field == "stage")
    validations = {str(dv.sqref): dv.formula1 for dv in uses.data_validations.dataValidation}
    letter = uses.cell(1, stage_col).column_letter
    assert (
        validations[f"{letter}2:{letter}1048576"] == "'Lists'!$A$2:$A$7"
    )  # the 6 stages (Not stated first)
    assert uses.conditional_formatting  # tier colours
    assert uses.column_dimensions["G"].width == 48  # purpose: wide and wrapped
    assert uses.cell(2, 7).alignment.wrap_text
    assert uses.cell(2, 1).alignment.vertical == "top"  # unformatted cells too
    assert uses.row_dimensions[1].height == 30  # two-line headers
    tall = [r for r in range(2, uses.max_row + 1) if (uses.row_dimensions[r].height or 0) > 15]
    assert tall  # rows with wrapped text are given room
    assert uses.cell(1, 1).font.b
    assert uses.cell(2, 1 + [c.field for c in SHEET_COLUMNS["AI Uses"]].index("go_live")).is_date
    props = demo_book.properties
    assert props.title.endswith("AI risk register") and props.creator == "tester"
    assert props.created is not None
    custom = {p.name: p.value for p in demo_book.custom_doc_props.props}
    assert custom["riskdesk_format"] == FORMAT_VERSION


def test_hostile_text_is_inert_and_reads_back_unchanged(
    hostile_service: RegisterService, tmp_path: Path
) -> None:
    path = export_xlsx(hostile_service, tmp_path / "hostile.xlsx")
    book = load_workbook(path)
    use = book["AI Uses"].cell(2, 2)
    assert (use.value, use.data_type, use.quotePrefix) == ("+1", "s", True)
    row = rows_by_id(book["AI Uses"])[1]
    assert (row["Purpose"], row["Department"]) == (HOSTILE[2], HOSTILE[3])
    assert row["1st-line owner"] == HOSTILE[0]
    assert row["Users"] == "#N/A" and row["Model"] == "Модель Ω"
    assert rows_by_id(book["People"])[1]["Title"] == "Σύμβουλος — Кириллица"
    risk = rows_by_id(book["Risks"])[1]
    assert (risk["Title"], risk["Description"]) == (HOSTILE[0], HOSTILE[3])
    assert rows_by_id(book["Incidents"])[1]["Title"] == HOSTILE[2]
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name), f"a formula was written in {name}"
    notes = row["Notes"]
    assert len(notes) == XLSX_CELL_LIMIT and notes.endswith(TRUNCATION_MARKER)


def test_control_characters_written_behind_the_service_do_not_break_the_export(
    hostile_service: RegisterService, tmp_path: Path
) -> None:
    with hostile_service.engine.begin() as conn:
        conn.execute(update(table_of("ai_use")).values(notes="bell\x07 and nul\x00 gone"))
    book = load_workbook(export_xlsx(hostile_service, tmp_path / "ctrl.xlsx"))
    assert rows_by_id(book["AI Uses"])[1]["Notes"] == "bell and nul gone"


@pytest.mark.parametrize("checks_before_cancel", [0, 3])
def test_cancel_leaves_no_file(
    demo_service: RegisterService, tmp_path: Path, checks_before_cancel: int
) -> None:
    """Cancelled before starting, or half-way through the sheets: nothing is left behind."""
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    out = tmp_path / "out"
    out.mkdir()
    temp_before = list(ALL_TEMP_FILES)
    calls = iter(range(100))
    stop = checks_before_cancel
    with pytest.raises(ExportCancelled):
        export_xlsx(demo_service, out / "x.xlsx", cancel=lambda: next(calls) >= stop)
    assert list(out.iterdir()) == []
    assert temp_before == ALL_TEMP_FILES  # openpyxl's sheet files were removed too


def test_progress_is_reported_up_to_the_total(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    export_xlsx(demo_service, tmp_path / "p.xlsx", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] > 100
    assert all(d <= t for d, t in seen)


def test_libreoffice_reads_the_workbook(hostile_service: RegisterService, tmp_path: Path) -> None:
    """A real spreadsheet client opens every sheet; hostile text is shown, not evaluated."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) is needed for this test"
    book_path = export_xlsx(hostile_service, tmp_path / "lo.xlsx")
    out = tmp_path / "csv"
    out.mkdir()
    # Filter options: comma, double quote, UTF-8, …, last token -1 = every sheet.
    flt = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            flt,
            "--outdir",
            str(out),
            str(book_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    sheets = {p.stem.removeprefix("lo-"): p for p in out.glob("*.csv")}
    assert set(SHEET_ORDER) <= set(sheets)
    with open(sheets["AI Uses"], encoding="utf-8", newline="") as f:
        uses = list(csv.reader(f))
    assert uses[0] == [c.header for c in SHEET_COLUMNS["AI Uses"]]
    row = dict(zip(uses[0], uses[1], strict=True))
    use = hostile_service.get("ai_use", 1)
    assert row["ID"] == "1" and row["Exposure"] == exposure_text(use)  # a range if unassessed
    assert (row["Name"], row["Purpose"], row["Department"]) == tuple(HOSTILE[1:])
    assert row["1st-line owner"] == HOSTILE[0]  # text, not the formula's result "y"
    assert row["Model"] == "Модель Ω"
    assert row["Go-live"] == "2025-09-01"
    with open(sheets["Risks"], encoding="utf-8", newline="") as f:
        risk = list(csv.reader(f))[1]
    assert risk[3] == HOSTILE[0]


def test_the_format_document_lists_every_sheet_and_column() -> None:
    """docs/export-format.md is the re-import's reference: it must match SHEET_COLUMNS."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "export-format.md").read_text()
    for name, columns in SHEET_COLUMNS.items():
        section = doc.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        table = [line for line in section.splitlines() if line.startswith("| ")][1:]
        documented = [tuple(cell.strip(" `") for cell in line.split("|")[1:3]) for line in table]
        assert documented == [(c.header, c.field) for c in columns], name


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    target = export_xlsx(demo_service, tmp_path / "register.xlsx")
    wb = load_workbook(target)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
