"""The command line, run as a user would (a subprocess) and in-process for speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk import __version__
from riskdesk.cli.main import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"riskdesk {__version__}"


def test_demo_then_summary_json(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = run("demo", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "28 AI uses" in out.stdout
    summary = run("summary", "--db", str(db), "--json")
    data = json.loads(summary.stdout)
    assert data["uses"] == 28 and data["risks"] > 50 and data["people"] >= 10
    assert data["vendors"] >= 10 and data["incidents"] >= 5
    assert sum(data["by_stage"].values()) == 28
    assert set(data["by_stage"]) == {
        "not_stated",
        "idea",
        "development",
        "pilot",
        "production",
        "retired",
    }
    assert all(data["by_tier"][t] > 0 for t in ("low", "moderate", "high", "critical"))


def test_demo_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    dumps = []
    for name in ("a.db", "b.db"):
        assert main(["demo", "--db", str(tmp_path / name), "--seed", "3"]) == 0
        con = sqlite3.connect(tmp_path / name)
        dumps.append(
            con.execute(
                "SELECT name, exposure, tier, owner_second_id, next_review FROM ai_use ORDER BY id"
            ).fetchall()
            + con.execute("SELECT title, residual_likelihood FROM risk").fetchall()
        )
        con.close()
    assert dumps[0] == dumps[1]


def test_demo_refuses_a_non_empty_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "r.db")
    assert main(["demo", "--db", db]) == 0
    assert main(["demo", "--db", db]) == 2
    assert "already holds a register" in capsys.readouterr().err


def test_large_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "big.db")
    assert main(["demo", "--db", db, "--uses", "300"]) == 0
    assert main(["summary", "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert data["uses"] == 300 and data["risks"] >= 1400


def test_db_environment_variable_and_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("RISKDESK_DB", str(target))
    assert main(["demo"]) == 0
    assert target.exists()
    monkeypatch.delenv("RISKDESK_DB")
    assert main(["demo"]) == 0  # default: register.db in the (redirected) data folder
    import os

    assert (Path(os.environ["RISKDESK_DATA_DIR"]) / "register.db").exists()


def test_db_url_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'url.db'}"
    assert main(["demo", "--db", url]) == 0
    assert (tmp_path / "url.db").exists()


def test_bad_register_file_gives_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    assert main(["summary", "--db", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert "not a riskdesk register" in err and "Traceback" not in err


def test_summary_of_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--db", str(tmp_path / "none.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
