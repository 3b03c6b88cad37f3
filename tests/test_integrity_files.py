"""Files riskdesk writes are owner-only from the first byte; another program's database
is left byte-identical; a read-only register can be checked and read, and a write says
why it cannot happen; temporaries a killed run left behind are cleaned up (issue 16)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import riskdesk.store.db as store_db
from riskdesk import paths
from riskdesk.cli.main import main
from riskdesk.reports.progress import atomic_file, atomic_folder
from riskdesk.service.backups import backup
from riskdesk.service.calendar_ics import write_calendar
from riskdesk.service.register import RegisterService
from riskdesk.store import anchors
from riskdesk.store.db import open_register
from riskdesk.store.errors import NewerSchemaError, NotARegisterError, ReadOnlyError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: any mode below 0o600 is riskdesk's own doing."""
    old = os.umask(0)
    yield
    os.umask(old)


# --- owner-only from the first byte ----------------------------------------------------


def test_data_and_backup_folders_are_created_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(tmp_path / "fresh" / "riskdesk"))
    assert mode(paths.data_dir()) == 0o700
    assert mode(paths.backups_dir()) == 0o700


def test_a_backup_is_owner_only_before_sqlite_writes_into_it(
    service: RegisterService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    service.create("person", {"name": "Ada"})
    out = tmp_path / "copies" / "backup.db"
    seen: dict[str, Any] = {}
    real_connect = sqlite3.connect

    def spy(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(target).endswith(".backup.db.part"):
            part = Path(target)
            seen["mode"] = mode(part) if part.exists() else None
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(store_db.sqlite3, "connect", spy)
    backup(service.register, out)
    assert seen["mode"] == 0o600  # the .part file existed, private, before any byte
    assert mode(out) == 0o600 and mode(out.parent) == 0o700


def test_exports_and_calendars_are_owner_only(
    service: RegisterService, tmp_path: Path, open_umask: None
) -> None:
    target = tmp_path / "register.xlsx"
    with atomic_file(target) as tmp:
        assert mode(tmp) == 0o600
        tmp.write_bytes(b"workbook")
    assert mode(target) == 0o600
    folder = tmp_path / "csv"
    with atomic_folder(folder, {"a.csv"}) as tmp_dir:
        assert mode(tmp_dir) == 0o700
    assert mode(folder) == 0o700
    ics = tmp_path / "due.ics"
    write_calendar(service, ics)
    assert mode(ics) == 0o600


def test_the_anchor_file_is_owner_only(service: RegisterService, open_umask: None) -> None:
    service.create("person", {"name": "Ada"})
    assert mode(anchors.anchors_file()) == 0o600


# --- stale temporaries -------------------------------------------------------------


def test_stale_part_files_are_cleaned_on_the_next_open(
    service: RegisterService, db_path: Path
) -> None:
    service.register.dispose()
    killed_restore = db_path.with_name(f".{db_path.name}.part")
    killed_backup = paths.backups_dir() / ".register-1234abcd-20261101-090000.db.part"
    running_backup = paths.backups_dir() / ".register-1234abcd-20261101-091000.db.part"
    unrelated = db_path.with_name(".download.zip.part")  # not riskdesk's: left alone
    old = time.time() - 3600
    for part in (killed_restore, killed_backup, running_backup, unrelated):
        part.write_bytes(b"half a copy")
    for part in (killed_restore, killed_backup, unrelated):
        os.utime(part, (old, old))
    open_register(db_path).dispose()
    assert not killed_restore.exists() and not killed_backup.exists()
    assert running_backup.exists() and unrelated.exists()


# --- other programs' files, newer files ----------------------------------------------


def test_another_programs_database_stays_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "photos.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO album (title) VALUES ('Holidays')")
    con.commit()
    con.close()
    before = digest(foreign)
    with pytest.raises(NotARegisterError, match="nothing was changed"):
        open_register(foreign)
    assert main(["summary", "--db", str(foreign)]) == 2
    assert main(["check", "--db", str(foreign)]) == 1
    capsys.readouterr()
    assert digest(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.sqlite"]


def test_a_newer_register_stays_byte_identical(service: RegisterService, db_path: Path) -> None:
    service.register.dispose()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode = DELETE")  # as if copied from another machine
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = digest(db_path)
    with pytest.raises(NewerSchemaError, match="nothing was changed"):
        open_register(db_path)
    assert digest(db_path) == before


# --- read-only media -------------------------------------------------------------------


@pytest.fixture
def read_only_file(
    service: RegisterService, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    service.create("person", {"name": "Ada"})
    service.create("ai_use", {"name": "Timetable planner"})
    service.register.dispose()
    db_path.chmod(0o444)
    # root ignores file modes; the open must then take riskdesk's word for it
    monkeypatch.setattr(store_db, "_writable", lambda _path: False)
    yield db_path
    db_path.chmod(0o600)


def test_check_and_reads_work_on_a_read_only_register_and_writes_say_why(
    read_only_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(read_only_file)
    assert main(["check", "--db", str(read_only_file)]) == 0
    assert "OK:" in capsys.readouterr().out
    assert main(["summary", "--db", str(read_only_file)]) == 0
    assert "uses       1" in capsys.readouterr().out
    register = open_register(read_only_file)
    assert register.read_only
    with pytest.raises(ReadOnlyError, match="is read-only: riskdesk cannot save changes"):
        RegisterService(register).create("person", {"name": "Grace"})
    register.dispose()
    assert main(["sign", "--set-key", "--db", str(read_only_file)]) in (1, 2)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert digest(read_only_file) == before


def test_read_only_media_opens_immutable(
    read_only_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder where not even SQLite's -shm file can be created (a CD, a locked share)."""
    real_access = os.access
    monkeypatch.setattr(
        store_db.os,
        "access",
        lambda p, m, **kw: False if Path(p) == read_only_file.parent else real_access(p, m),
    )
    register = open_register(read_only_file)
    assert "immutable=1" in register.url
    register.dispose()
    assert main(["check", "--db", str(read_only_file)]) == 0, capsys.readouterr()
