"""``riskdesk import``: each OMB file, saved mappings, and every bad input leaving the
register exactly as it was, with a message that says where and why."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.cli.main import main
from riskdesk.importers import Mapping
from riskdesk.service.register import RegisterService
from tests.conftest import dump
from tests.reference import FEDERAL_INVENTORY

REFERENCE = FEDERAL_INVENTORY
F2023 = REFERENCE / "2023_consolidated_ai_inventory_raw.csv"
F2024 = REFERENCE / "2024_consolidated_ai_inventory_raw_first300.csv"
F2024_V2 = REFERENCE / "2024_consolidated_ai_inventory_raw_v2.csv"
COTS_CSV = REFERENCE / "2025_consolidated_COTS_AI_use_cases.csv"
COTS_XLSX = REFERENCE / "2025_consolidated_COTS_AI_use_cases.xlsx"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Uses"
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("path", "uses", "described"),
    [
        (F2023, 710, "OMB 2023 (EO 13960) AI use-case inventory"),
        (F2024, 300, "OMB 2024 (M-24-10) AI use-case inventory"),
        (F2024_V2, 2133, "OMB 2024 (M-24-10) AI use-case inventory"),
        (COTS_XLSX, 468, "OMB 2025 commercial AI (COTS) use cases"),
    ],
)
def test_each_omb_file_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path, uses: int, described: str
) -> None:
    db = tmp_path / "new.db"
    code, out, err = cli(capsys, str(path), "--db", str(db))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"{path.name}: {described}, ")
    assert lines[1].startswith(f"Imported {uses:,} AI uses")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("select count(*) from ai_use").fetchone()[0] == uses
    finally:
        conn.close()


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, str(COTS_CSV), "--db", str(tmp_path / "r.db"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "omb-2025" and data["written"] is True
    assert data["rows"] == {"read": 468, "imported": 468, "rejected": 0, "skipped": 432}
    assert data["created"]["ai_use"] == 468 and data["created"]["vendor"] > 100
    assert data["problems"] == []
    assert data["warnings"][0]["message"].endswith(
        '432 row(s) left out as not AI uses ("Agency Use (Y/N)?" is "N"; '
        '"Agency Use (Y/N)?" is empty)'
    )


def test_runs_as_a_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "riskdesk", "import", str(F2023), "--db", str(tmp_path / "r.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Imported 710 AI uses" in out.stdout


def test_saved_mapping_is_reused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q3.csv"
    path.write_text("System,Where,Who\nTutor bot,Maths,Jo\nRota planner,HR,Sam\n", "utf-8")
    saved = tmp_path / "map.json"
    code, _out, err = cli(
        capsys, str(path), "--db", str(tmp_path / "a.db"), "--save-mapping", str(saved)
    )
    assert code == 0, err
    mapping = Mapping.load(saved)
    assert mapping.fields() == {"System": "name", "Where": None, "Who": None}
    mapping.columns["Where"].field = "department"
    mapping.columns["Who"].field = "owner_first_name"
    mapping.save(saved)
    db = tmp_path / "b.db"
    code, out, err = cli(capsys, str(path), "--db", str(db), "--mapping", str(saved))
    assert code == 0, err
    assert "Imported 2 AI uses, 2 people" in out
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "select u.name, u.department, p.name from ai_use u join person p "
            "on p.id = u.owner_first_id order by u.id"
        ).fetchall()
    finally:
        conn.close()
    assert rows == [("Tutor bot", "Maths", "Jo"), ("Rota planner", "HR", "Sam")]


# --- bad input: nothing changes, and the message says why ---------------------------------


def _not_a_spreadsheet(tmp_path: Path) -> Path:
    path = tmp_path / "board-pack.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return path


def _truncated(tmp_path: Path) -> Path:
    whole = _write_xlsx(tmp_path / "whole.xlsx", [["Name"], *[[f"Use {i}"] for i in range(300)]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return cut


def _encrypted(tmp_path: Path) -> Path:
    # An encrypted OOXML package is an OLE2 compound file with an EncryptionInfo stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    return path


def _no_name_column(tmp_path: Path) -> Path:
    return _write_xlsx(tmp_path / "nameless.xlsx", [["Team", "Budget"], ["IT", 100]])


def _missing_sheet_argument(tmp_path: Path) -> Path:
    return _write_xlsx(tmp_path / "one-sheet.xlsx", [["Name"], ["Bot"]])


@pytest.mark.parametrize(
    ("make", "extra", "code", "message"),
    [
        (_not_a_spreadsheet, [], 2, "board-pack.xlsx: this is a PDF document, not a spreadsheet"),
        (_truncated, [], 2, "cut.xlsx: the workbook is damaged or incomplete"),
        (_encrypted, [], 2, "locked.xlsx: the workbook is password-protected (encrypted)"),
        (
            _no_name_column,
            [],
            1,
            'nameless.xlsx, sheet "Uses": no column holds the AI use\'s name',
        ),
        (
            _missing_sheet_argument,
            ["--sheet", "Q3"],
            2,
            'one-sheet.xlsx: there is no sheet "Q3"; the sheets are "Uses"',
        ),
    ],
)
def test_unreadable_files_change_nothing(
    demo_service: RegisterService,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: object,
    extra: list[str],
    code: int,
    message: str,
) -> None:
    before = dump(db_path)
    path = make(tmp_path)  # type: ignore[operator]
    got, out, err = cli(capsys, str(path), "--db", str(db_path), *extra)
    assert got == code
    assert out == ""
    assert err.startswith(f"riskdesk: error: {message}")
    assert err.count("\n") == 1  # one line
    assert dump(db_path) == before


def test_unreadable_file_does_not_create_the_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "never.db"
    code, _out, _err = cli(capsys, str(_truncated(tmp_path)), "--db", str(db))
    assert code == 2 and not db.exists()


def _invalid_rows(tmp_path: Path) -> Path:
    return _write_xlsx(
        tmp_path / "uses.xlsx",
        [
            ["Name", "Department", "Stage", "Owner"],
            ["Essay marker", "English", "Pilot", "Jo Bloggs"],
            ["Timetable helper", "Admin", "Someday", "Sam Roe"],
            ["", "Admin", "Pilot", "Sam Roe"],
            ["Chatbot", "Admin", "Live", "x" * 301],
        ],
    )


def test_a_value_that_fails_validation_stops_everything(
    demo_service: RegisterService, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(db_path)
    code, out, err = cli(capsys, str(_invalid_rows(tmp_path)), "--db", str(db_path))
    assert code == 1
    assert "Nothing was imported." in out
    assert out.splitlines()[-3:] == [
        '  uses.xlsx, sheet "Uses", row 3, column "Stage" (C): "Someday" is not one of: '
        "Not stated, Idea, Development, Pilot, Production, Retired",
        '  uses.xlsx, sheet "Uses", row 4, column "Name" (A): the name is empty: every AI use '
        "needs a name",
        '  uses.xlsx, sheet "Uses", row 5, column "Owner" (D): The person\'s name is longer '
        "than 300 characters",
    ]
    assert err.startswith("riskdesk: error: 3 problem(s) in uses.xlsx stopped the import")
    assert dump(db_path) == before


def test_skip_invalid_imports_the_rest(
    demo_service: RegisterService, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uses = demo_service.count("ai_use")
    code, out, err = cli(
        capsys, str(_invalid_rows(tmp_path)), "--db", str(db_path), "--skip-invalid"
    )
    assert code == 0, err
    assert "Imported 1 AI use, 1 person" in out
    assert "3 row(s) with problems were left out:" in out
    assert demo_service.count("ai_use") == uses + 1


def test_dry_run_writes_nothing(
    demo_service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(db_path)
    code, out, err = cli(capsys, str(F2024_V2), "--db", str(db_path), "--dry-run")
    assert code == 0, err
    assert "Would import 2,133 AI uses" in out and "nothing was written (dry run)" in out
    assert dump(db_path) == before


def test_dry_run_with_problems_exits_1(
    demo_service: RegisterService, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(db_path)
    code, _out, err = cli(capsys, str(_invalid_rows(tmp_path)), "--db", str(db_path), "--dry-run")
    assert code == 1 and "would stop the import" in err
    assert dump(db_path) == before


def test_dry_run_does_not_create_a_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "not-yet.db"
    code, out, _err = cli(capsys, str(F2023), "--db", str(db), "--dry-run")
    assert code == 0 and "Would import 710 AI uses" in out
    assert not db.exists()


def test_bad_mapping_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "map.json"
    saved.write_text('{"columns": {"Name": {"field": "nonsense"}}}', "utf-8")
    code, _out, err = cli(
        capsys, str(F2023), "--db", str(tmp_path / "r.db"), "--mapping", str(saved)
    )
    assert code == 2
    assert 'map.json: cannot read this column mapping (column "Name" maps to unknown field' in err


def test_zip_that_is_not_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    code, _out, err = cli(capsys, str(path), "--db", str(tmp_path / "r.db"))
    assert code == 2 and "not an Excel workbook" in err
    code, _out, err = cli(capsys, str(path), "--db", str(tmp_path / "r.db"), "--format", "riskdesk")
    assert code == 2 and "this is not a riskdesk export" in err
