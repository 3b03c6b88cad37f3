"""Backups: consistent while the register is open mid-write, rolling, and checked."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from riskdesk.cli.main import main
from riskdesk.service import backups
from riskdesk.service.register import RegisterService
from riskdesk.store.db import Register
from tests.conftest import dump


def test_backup_of_an_open_database_mid_write_restores_identically(
    demo_service: RegisterService, db_path: Path, tmp_path: Path
) -> None:
    committed = dump(db_path)
    # The app has the file open (its engine holds a connection) and another writer is
    # in the middle of an uncommitted transaction.
    app_conn = demo_service.engine.connect()
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO vendor (name, kind, notes) VALUES ('Half-written', 'saas', '')")
        out = backups.backup(demo_service.register, tmp_path / "copies" / "backup.db")
        assert out.is_file() and oct(out.stat().st_mode & 0o777) == "0o600"
        writer.execute("COMMIT")
    finally:
        writer.close()
        app_conn.close()
    assert dump(out) == committed  # the committed state, nothing of the open write
    assert not list(out.parent.glob("*.part"))

    restored = backups.restore_backup(out, tmp_path / "restored.db")
    assert dump(restored) == committed
    check = backups.verify_backup(restored)
    assert check.ok, check.message
    assert check.events == demo_service.count("audit_event")  # the raw write is not audited


def test_verify_backup_names_tampering(demo_service: RegisterService, tmp_path: Path) -> None:
    out = backups.backup(demo_service.register, tmp_path / "b.db")
    good = backups.verify_backup(out)
    assert good.ok and len(good.chain_head) == 64 and "sound" in good.message
    con = sqlite3.connect(out)
    con.execute("UPDATE person SET name = 'Someone else' WHERE id = 1")
    con.commit()
    con.close()
    bad = backups.verify_backup(out)
    assert not bad.ok and "person 1" in bad.message and "differs" in bad.message
    assert not backups.verify_backup(tmp_path / "missing.db").ok
    with pytest.raises(backups.BackupError, match="differs"):
        backups.restore_backup(out, tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


def test_restore_never_overwrites(demo_service: RegisterService, tmp_path: Path) -> None:
    out = backups.backup(demo_service.register, tmp_path / "b.db")
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(backups.BackupError, match="already exists"):
        backups.restore_backup(out, existing)
    assert existing.read_bytes() == b"keep me"


def test_backup_refuses_its_own_file_and_server_databases(
    service: RegisterService, db_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(backups.BackupError, match="different file"):
        backups.backup(service.register, db_path)
    with pytest.raises(backups.BackupError, match="folder"):
        backups.backup(service.register, tmp_path)
    memory = Register(create_engine("sqlite://"), "sqlite://", None)
    with pytest.raises(backups.BackupError, match="server database"):
        backups.backup(memory, tmp_path / "x.db")
    assert backups.auto_backup(memory) is None


def test_rolling_automatic_backups_keep_the_last_n(
    service: RegisterService, tmp_path: Path
) -> None:
    folder = tmp_path / "auto"
    folder.mkdir()
    start = dt.datetime(2026, 5, 1, 9, 0, 0)
    made = []
    for n in range(5):
        service.create("vendor", {"name": f"Vendor {n}"})
        made.append(
            backups.auto_backup(service.register, 3, folder, start + dt.timedelta(minutes=n))
        )
    kept = backups.automatic_backups(service.register.path, folder)  # type: ignore[arg-type]
    assert kept == made[-3:]
    assert all(p is not None and p.name.startswith("register-") for p in made)
    # reopening without a change does not push real history out
    assert backups.auto_backup(service.register, 3, folder, start + dt.timedelta(hours=1)) is None
    assert backups.automatic_backups(service.register.path, folder) == kept  # type: ignore[arg-type]
    assert sorted(folder.iterdir()) == kept  # no -wal/-shm or .part leftovers


def test_the_setting_configures_how_many(service: RegisterService, tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    folder.mkdir()
    service.create("setting", {"key": "backups", "value": '{"keep": 0}'})
    assert backups.auto_backup(service.register, folder=folder) is None
    service.update("setting", "backups", {"value": '{"keep": 1}'})
    first = backups.auto_backup(service.register, folder=folder, now=dt.datetime(2026, 1, 1))
    service.create("vendor", {"name": "V"})
    second = backups.auto_backup(service.register, folder=folder, now=dt.datetime(2026, 1, 2))
    assert first is not None and not first.exists() and second is not None and second.exists()


def test_default_folder_is_the_user_data_backups(service: RegisterService) -> None:
    from riskdesk.paths import backups_dir

    made = backups.auto_backup(service.register)
    assert made is not None and made.parent == backups_dir()


@pytest.mark.parametrize(
    ("value", "keep"),
    [
        (None, 10),
        (5, 5),
        ("7", 7),
        ({"keep": 2}, 2),
        ({}, 10),
        ("lots", 10),
        (-3, 0),
        (10**9, 1000),
    ],
)
def test_keep_count(value: object, keep: int) -> None:
    assert backups.keep_count(value) == keep


def test_cli_backup(
    demo_service: RegisterService,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db_path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"to {out}" in printed and "OK:" in printed
    assert dump(out) == dump(db_path)
    assert main(["backup", "--db", str(db_path), "--out", str(db_path)]) == 2
    assert "different file" in capsys.readouterr().err
