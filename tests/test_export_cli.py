"""``riskdesk export`` as a user runs it: demo, then each format; clear one-line errors."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from riskdesk.cli.main import main
from riskdesk.reports.csv_export import CSV_TABLES


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    return db


def test_demo_then_export_every_format(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx, pdf, zipped, folder = (
        tmp_path / "register.xlsx",
        tmp_path / "pack.pdf",
        tmp_path / "tables.zip",
        tmp_path / "tables",
    )
    assert main(["export", "--db", str(demo_db), "--format", "xlsx", "--out", str(xlsx)]) == 0
    assert main(["export", "--db", str(demo_db), "--out", str(pdf), "--no-appendix"]) == 0
    assert main(["export", "--db", str(demo_db), "--format", "csv", "--out", str(zipped)]) == 0
    assert main(["export", "--db", str(demo_db), "--format", "csv", "--out", str(folder)]) == 0
    assert f"Wrote {xlsx}" in capsys.readouterr().out
    assert "AI Uses" in load_workbook(xlsx, read_only=True).sheetnames
    assert pdf.read_bytes().startswith(b"%PDF-")
    with zipfile.ZipFile(zipped) as zf:
        assert set(zf.namelist()) == {f"{t}.csv" for t in CSV_TABLES}
    assert {p.name for p in folder.iterdir()} == {f"{t}.csv" for t in CSV_TABLES}


def test_errors_are_one_line_with_exit_code_2(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "x.xlsx"
    assert main(["export", "--db", str(demo_db), "--out", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("riskdesk: error: could not write") and "does not exist" in err
    assert "\n" not in err
    assert main(["export", "--db", str(demo_db), "--out", str(tmp_path / "x.txt")]) == 2
    assert "--format" in capsys.readouterr().err


def test_export_in_a_subprocess_records_the_board_pack(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskdesk",
            "export",
            "--db",
            str(demo_db),
            "--out",
            str(out),
            "--issue",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    from riskdesk.demo.packs import ISSUED_BY
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import open_register

    reg = open_register(demo_db)
    try:
        packs = RegisterService(reg).rows("board_pack")
    finally:
        reg.dispose()
    # after the demo's invented past quarters (see riskdesk/demo/packs.py)
    assert [p["file_name"] for p in packs if p["exported_by"] != ISSUED_BY] == ["pack.pdf"]
