"""Backups: one on demand, rolling automatic ones, and a check that a copy restores.

Copies use SQLite's online backup API (``store.db.backup_sqlite``), so they are
consistent even while the app — or another process mid-transaction — has the file
open: a plain file copy of a WAL database can miss committed pages or catch a torn one.
Each copy is written beside its target under a temporary name and renamed into place,
so a failure never leaves a half-written backup with the real name.

Automatic backups go to the user data folder (``paths.backups_dir()``), one per open
when something changed since the newest one, keeping the last N (setting ``backups``:
``{"keep": N}``, default 10; 0 turns them off).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.exc import DBAPIError

from riskdesk.paths import PRIVATE_DIR, backups_dir
from riskdesk.service import audit
from riskdesk.service.register import ActionResult, RegisterService, table_of
from riskdesk.store.db import Register, backup_sqlite
from riskdesk.store.errors import StoreError

SETTING_KEY = "backups"
DEFAULT_KEEP = 10
MAX_KEEP = 1000


class BackupError(StoreError):
    """A backup could not be made or does not restore; the message says why."""


def _source_path(register: Register) -> Path:
    if not register.is_sqlite or register.path is None:
        raise BackupError(
            f"{register.display_name} is a server database; back it up with the "
            "server's own tools (e.g. pg_dump)."
        )
    return register.path


def backup(register: Register, out: Path) -> Path:
    """A consistent copy of the register at ``out`` (replaced if it exists)."""
    src = _source_path(register)
    out = Path(out).expanduser().resolve()
    if out == src.resolve():
        raise BackupError("The backup must go to a different file than the register.")
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give a file name for the backup.")
    out.parent.mkdir(PRIVATE_DIR, parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    tmp.unlink(missing_ok=True)
    try:
        backup_sqlite(src, tmp)
        _self_contained(tmp)
        tmp.replace(out)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Could not back up {src} to {out}: {exc}") from exc
    return out


def _self_contained(path: Path) -> None:
    # The copy inherits WAL mode; a rollback-journal file is one self-contained file
    # that opening read-only (verify_backup) does not surround with -wal/-shm files.
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
    finally:
        con.close()


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    ok: bool
    message: str
    chain_head: str = ""
    events: int = 0


def verify_backup(path: Path) -> BackupCheck:
    """Would this backup restore to a sound register? Runs the full ``check`` on it.

    Opened read-only and never migrated: a backup is evidence and stays as it was.
    """
    from riskdesk.service.integrity import check_register

    path = Path(path)
    if not path.is_file():
        return BackupCheck(path, False, f"{path} does not exist.")
    url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    register = Register(engine=create_engine(url), url=url, path=path, read_only=True)
    try:
        # A backup is a copy, not a register this machine writes: no anchor for it.
        report = check_register(register, remember=False)
    except (DBAPIError, sqlite3.Error) as exc:
        return BackupCheck(path, False, f"{path} is not a readable riskdesk register: {exc}")
    finally:
        register.dispose()
    if not report.ok:
        return BackupCheck(path, False, f"{path}: {report.problems[0]}")
    return BackupCheck(
        path,
        True,
        f"{path}: sound; {report.records:,} records, {report.events:,} audit events.",
        report.chain_head,
        report.events,
    )


def restore_backup(backup_file: Path, target: Path) -> Path:
    """Copy a verified backup to a *new* register file (never over an existing one)."""
    target = Path(target).expanduser().resolve()
    if target.exists():
        raise BackupError(f"{target} already exists; restore to a new file name.")
    check = verify_backup(backup_file)
    if not check.ok:
        raise BackupError(check.message)
    target.parent.mkdir(PRIVATE_DIR, parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    try:
        backup_sqlite(Path(backup_file), tmp)
        _self_contained(tmp)
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Could not restore {backup_file} to {target}: {exc}") from exc
    return target


# --- rolling automatic backups ------------------------------------------------------


def keep_count(value: Any) -> int:
    """The ``backups`` setting as a number of copies to keep (tolerant of old shapes)."""
    if isinstance(value, dict):
        value = value.get("keep", DEFAULT_KEEP)
    if value is None:
        return DEFAULT_KEEP
    try:
        count = int(value)
    except (TypeError, ValueError):
        return DEFAULT_KEEP
    return max(0, min(count, MAX_KEEP))


def set_keep_count(service: RegisterService, keep: int) -> ActionResult:
    """Store how many automatic backups to keep, as one undoable, audited action."""
    text = json.dumps({"keep": keep})
    with service.action() as uow:
        if uow.row("setting", SETTING_KEY) is None:
            uow.create("setting", {"key": SETTING_KEY, "value": text})
        else:
            uow.update("setting", SETTING_KEY, {"value": text})
        return uow.result


def _prefix(src: Path) -> str:
    # Two registers called register.db in different folders must not prune each other.
    digest = hashlib.sha256(str(src.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"{src.stem}-{digest}-"


def automatic_backups(src: Path, folder: Path | None = None) -> list[Path]:
    """This register's automatic backups, oldest first."""
    folder = folder or backups_dir()
    return sorted(folder.glob(f"{_prefix(src)}*.db"))


def _head_of(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else audit.GENESIS


def auto_backup(
    register: Register,
    keep: int | None = None,
    folder: Path | None = None,
    now: dt.datetime | None = None,
) -> Path | None:
    """Back up into the rolling set unless nothing changed since the newest copy.

    Returns the new file, or None when skipped (off, unchanged, or a server database).
    Older copies beyond ``keep`` are deleted, oldest first.
    """
    if not register.is_sqlite or register.path is None:
        return None
    if keep is None:
        keep = keep_count(_setting(register))
    if keep <= 0:
        return None
    folder = folder or backups_dir()
    src = register.path
    existing = automatic_backups(src, folder)
    with register.engine.connect() as conn:
        head = audit.last_hash(conn)
    if existing and _head_of(existing[-1]) == head:
        return None  # reopening without changes must not push real history out
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{_prefix(src)}{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{_prefix(src)}{stamp}-{counter}.db"
    backup(register, target)
    for old in automatic_backups(src, folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _setting(register: Register) -> Any:
    table = table_of("setting")
    with register.engine.connect() as conn:
        raw = conn.execute(select(table.c.value).where(table.c.key == SETTING_KEY)).scalar()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
