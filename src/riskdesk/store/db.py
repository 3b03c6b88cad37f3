"""Opening a register: engine set-up, file checks, migrations and upgrade backups.

``open_register`` is the only way the app, CLI and tests get an engine, so every
connection has foreign keys on, WAL journalling and a busy timeout, and every file is
at the current schema before anything reads it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from riskdesk.store.errors import (
    NewerSchemaError,
    NotARegisterError,
    StoreError,
    classify_db_error,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass
class Register:
    """An open register: its engine and where it lives (for messages and backups)."""

    engine: Engine
    url: str
    path: Path | None  # None for a server database

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def to_url(target: str | os.PathLike[str]) -> tuple[str, Path | None]:
    """``--db`` accepts a file path or a SQLAlchemy URL."""
    raw = os.fspath(target)
    if "://" in raw:
        url = make_url(raw)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return raw, Path(url.database).expanduser().resolve()
        return raw, None
    path = Path(raw).expanduser().resolve()
    return f"sqlite:///{path}", path


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit
    # transactions would defer it and break BEGIN IMMEDIATE for writers).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers ask for the write lock up front (execution option "immediate") so the
    # audit chain's "read last hash, append" cannot interleave with another writer.
    if conn.get_execution_options().get("immediate"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise NotARegisterError(f"{path} is a folder, not a riskdesk register file.")
    if path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror}.") from exc
    if head != SQLITE_MAGIC:
        raise NotARegisterError(
            f"{path} is not a riskdesk register (not an SQLite database). "
            "Choose a .db file created by riskdesk."
        )


def _create_private_file(path: Path) -> None:
    """New registers are readable by their owner only (they hold personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def migrations_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "riskdesk" / "store" / "migrations"
    return Path(__file__).with_name("migrations")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations_dir()))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(src: Path, dest: Path) -> None:
    """Consistent copy via SQLite's online backup API (safe while others have it open)."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    os.chmod(dest, 0o600)


def _upgrade(register: Register) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    rev = current_revision(register.engine)
    head = head_revision()
    if rev == head:
        return
    script = ScriptDirectory(str(migrations_dir()))
    if rev is not None and rev not in {s.revision for s in script.walk_revisions()}:
        raise NewerSchemaError(
            f"{register.display_name} was written by a newer version of riskdesk "
            f"(schema {rev}). Update riskdesk to open it; nothing was changed."
        )
    if rev is None:
        with register.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables:
            raise NotARegisterError(
                f"{register.display_name} is a database but not a riskdesk register "
                f"(it has tables {', '.join(sorted(tables)[:5])}); nothing was changed."
            )
    elif register.path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = register.path.with_name(f"{register.path.name}.bak-{rev}-{stamp}")
        backup_sqlite(register.path, backup)
    with register.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def open_register(target: str | os.PathLike[str], *, create: bool = True) -> Register:
    """Open (and create or upgrade) the register at a path or URL.

    Raises a ``StoreError`` subclass with a message fit for the user when the file is
    not a register, too new, locked, read-only or damaged; nothing is changed then.
    """
    url, path = to_url(target)
    if path is not None:
        _check_sqlite_file(path)
        if not path.exists():
            if not create:
                raise StoreError(f"{path} does not exist.")
            _create_private_file(path)
    register = Register(engine=make_engine(url), url=url, path=path)
    where = register.display_name
    try:
        _upgrade(register)
    except StoreError:
        register.dispose()
        raise
    except DBAPIError as exc:
        register.dispose()
        raise classify_db_error(exc, where) from exc
    return register
