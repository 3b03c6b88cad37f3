"""Every CLI command answers an expected failure — a locked, read-only, newer or foreign
file, a full disk — with one line on stderr; only a genuine bug prints a traceback,
with a hint to report it (issue 16)."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import riskdesk.store.db as store_db
from riskdesk.cli import cmd_summary
from riskdesk.cli.main import BUG_HINT, expected_error, main
from riskdesk.service.register import RegisterService


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # A locked file is waited on for 5 s in real use; the tests need not wait.
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)


@pytest.fixture
def empty_register(service: RegisterService, db_path: Path) -> Path:
    service.register.dispose()
    return db_path


@pytest.fixture
def write_locked(empty_register: Path) -> Iterator[Path]:
    """Another program in the middle of a write (readers can still read)."""
    con = sqlite3.connect(empty_register, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    yield empty_register
    con.execute("ROLLBACK")
    con.close()


@pytest.fixture
def fully_locked(empty_register: Path) -> Iterator[Path]:
    """Another program holding the file exclusively (not even reads get in)."""
    con = sqlite3.connect(empty_register, isolation_level=None)
    con.execute("PRAGMA locking_mode = EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("INSERT INTO setting (key, value) VALUES ('held', '')")
    yield empty_register
    con.execute("ROLLBACK")
    con.close()


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("riskdesk: error: ")
    return lines[0]


@pytest.mark.parametrize(
    "command", [["demo"], ["export", "--format", "pdf", "--issue", "--out", "{tmp}/pack.pdf"]]
)
def test_writing_to_a_register_another_program_is_writing(
    write_locked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main([*args, "--db", str(write_locked)]) == 2
    assert "is locked by another program" in one_line_error(capsys)


@pytest.mark.parametrize(
    "command",
    [
        ["demo"],
        ["summary"],
        ["gaps"],
        ["suggest"],
        ["export", "--format", "xlsx", "--out", "{tmp}/r.xlsx"],
        ["calendar", "--out", "{tmp}/due.ics"],
        ["backup", "--out", "{tmp}/copy.db"],
        ["sign", "--set-key"],
    ],
)
def test_every_command_on_a_register_held_exclusively(
    fully_locked: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.setenv("RISKDESK_PASSPHRASE", "correct horse battery staple")
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main([*args, "--db", str(fully_locked)]) == 2
    assert "locked" in one_line_error(capsys)


def test_check_on_a_locked_register_fails_in_one_line(
    fully_locked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(fully_locked)]) == 1
    captured = capsys.readouterr()
    assert "FAILED:" in captured.out and "locked" in captured.out
    assert "Traceback" not in captured.err


def test_demo_on_a_read_only_register(
    empty_register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_db, "_writable", lambda _path: False)
    assert main(["demo", "--db", str(empty_register)]) == 2
    assert "is read-only: riskdesk cannot save changes" in one_line_error(capsys)


def test_a_newer_register_and_a_foreign_file(
    empty_register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(empty_register)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    assert main(["demo", "--db", str(empty_register)]) == 2
    assert "written by a newer version of riskdesk" in one_line_error(capsys)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    assert main(["summary", "--db", str(text_file)]) == 2
    assert "is not a riskdesk register" in one_line_error(capsys)


def test_a_full_disk_is_an_expected_error() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/media/usb/pack.pdf")
    assert expected_error(full) == "Cannot write /media/usb/pack.pdf: the disk is full."
    cause = sqlite3.OperationalError("database or disk is full")
    sql_full = OperationalError("INSERT …", {}, cause)
    assert "the disk is full or failing" in str(expected_error(sql_full))
    read_only = OSError(errno.EROFS, "Read-only file system", "/cdrom/register.db")
    assert "read-only" in str(expected_error(read_only))


def test_a_genuine_bug_prints_the_traceback_and_asks_for_a_report(
    empty_register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise KeyError("a mistake in riskdesk itself")

    monkeypatch.setattr(cmd_summary, "run", broken)
    assert main(["summary", "--db", str(empty_register)]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError" in err
    assert err.rstrip().endswith(BUG_HINT)
