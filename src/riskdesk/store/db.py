"""Opening a register: engine set-up, file checks, migrations and upgrade backups.

``open_register`` is the only way the app, CLI and tests get an engine, so every
connection has foreign keys on, WAL journalling and a busy timeout, and every file is
at the current schema before anything reads it.

An existing file is looked at read-only first: another program's SQLite database, or a
register from a newer riskdesk, is refused before any PRAGMA could change a byte of it.
A file riskdesk cannot write (read-only media, a locked-down share) is opened read-only,
so ``check`` and reading work and a write says why it cannot happen.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from riskdesk.store import anchors, postgres
from riskdesk.store.errors import (
    NewerSchemaError,
    NotARegisterError,
    ReadOnlyError,
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
    read_only: bool = False
    # Said once when opened (e.g. this machine's chain anchor no longer matches).
    warnings: list[str] = field(default_factory=list)

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
        raw = postgres.normalise_url(raw)
        url = make_url(raw)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return raw, Path(url.database).expanduser().resolve()
        return raw, None
    path = Path(raw).expanduser().resolve()
    return f"sqlite:///{path}", path


class AnchoringConnection(sqlite3.Connection):
    """A DBAPI connection that runs callbacks once a COMMIT has really succeeded.

    The audit trail uses it to record this machine's chain anchor (store/anchors.py)
    after — never before — the events it names are durable: SQLAlchemy's own "commit"
    event fires before the COMMIT, so a failed commit would leave an anchor ahead of
    the file and a false alarm.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.after_commit: list[Any] = []

    def commit(self) -> None:
        super().commit()
        callbacks, self.after_commit = self.after_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.after_commit = []
        super().rollback()


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit
    # transactions would defer it and break BEGIN IMMEDIATE for writers).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    if not _read_only_connection(dbapi_conn):
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _read_only_connection(dbapi_conn: sqlite3.Connection) -> bool:
    return bool(getattr(dbapi_conn, "read_only", False))


def _sqlite_begin(conn: Any) -> None:
    # Writers ask for the write lock up front (execution option "immediate") so the
    # audit chain's "read last hash, append" cannot interleave with another writer.
    if conn.get_execution_options().get("immediate"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class _ReadOnlyConnection(AnchoringConnection):
    read_only = True


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        factory = _ReadOnlyConnection if read_only else AnchoringConnection
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "factory": factory}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if postgres.is_postgres(url):
        return postgres.make_engine(url)
    return create_engine(url, pool_pre_ping=True)


def read_only_url(path: Path, *, immutable: bool = False) -> str:
    """A URL SQLite opens without ever writing (``immutable``: nor locking, for media
    where not even the -shm file can be created)."""
    extra = "&immutable=1" if immutable else ""
    return f"sqlite:///file:{path}?mode=ro{extra}&uri=true"


def _writable(path: Path) -> bool:
    """Can riskdesk write this file and, for WAL's -wal/-shm files, its folder?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


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


def create_private_file(path: Path) -> None:
    """A new, empty file readable by its owner only from the first byte (registers and
    backups hold personal data; a chmod afterwards leaves a window)."""
    if not path.parent.exists():
        path.parent.mkdir(0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _peek(path: Path) -> tuple[set[str], str | None] | None:
    """(table names, alembic revision) read without writing a byte; None if unreadable."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return tables, revision
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _listed_revisions() -> set[str]:
    """The revision ids the migration files' names give ("0008_evidence_on_models.py"
    is revision "0008"), read without importing Alembic (~0.15 s, most of opening a
    register that needs no migration). ``tests/test_store.py`` holds this equal to
    Alembic's own reading; empty when the folder cannot be listed."""
    try:
        names = os.listdir(migrations_dir() / "versions")
    except OSError:
        return set()
    stems = (n.partition(".")[0] for n in names if n.endswith((".py", ".pyc")))
    return {stem.partition("_")[0] for stem in stems if stem[:4].isdigit()}


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(migrations_dir())).walk_revisions()}


def _is_known(revision: str) -> bool:
    # Alembic only when the names do not already settle it (a newer register).
    return revision in _listed_revisions() or revision in _known_revisions()


def listed_head() -> str | None:
    """The newest revision by the files' names (ids are numbered in order), or None."""
    listed = _listed_revisions()
    return max(listed) if listed else None


def _recognise(path: Path) -> None:
    """Refuse another program's database, or a newer register, before opening it for
    writing: any connection riskdesk makes sets WAL mode, which rewrites the header."""
    seen = _peek(path)
    if seen is None:
        return  # unreadable read-only: the normal open says why
    tables, revision = seen
    if tables and "alembic_version" not in tables:
        raise NotARegisterError(
            f"{path} is a database but not a riskdesk register "
            f"(it has tables {', '.join(sorted(tables)[:5])}); nothing was changed."
        )
    if revision is not None and not _is_known(revision):
        raise NewerSchemaError(
            f"{path} was written by a newer version of riskdesk "
            f"(schema {revision}). Update riskdesk to open it; nothing was changed."
        )


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
    """Consistent copy via SQLite's online backup API (safe while others have it open).

    ``dest`` must not exist: it is created owner-only before SQLite writes into it.
    """
    create_private_file(dest)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _upgrade(register: Register) -> None:

    rev = current_revision(register.engine)
    if rev is not None and rev == listed_head():
        return  # the common case, decided without importing Alembic
    head = head_revision()
    if rev == head:
        return
    from alembic import command

    if rev is not None and rev not in _known_revisions():
        raise NewerSchemaError(
            f"{register.display_name} was written by a newer version of riskdesk "
            f"(schema {rev}). Update riskdesk to open it; nothing was changed."
        )
    if register.read_only:
        raise ReadOnlyError(
            f"{register.display_name} is read-only, and this riskdesk must upgrade it "
            f"(schema {rev or 'none'} → {head}) before it can be read. Copy it somewhere "
            "writable, or open it with the riskdesk that wrote it; nothing was changed."
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
        counter = 1
        while backup.exists():  # never overwrite an earlier upgrade's backup
            counter += 1
            backup = register.path.with_name(f"{register.path.name}.bak-{rev}-{stamp}-{counter}")
        backup_sqlite(register.path, backup)
    if not register.is_sqlite:
        with register.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
        return
    # SQLite alters a column by rebuilding its table (batch mode: copy, DROP, rename), and
    # with foreign keys enforced the DROP of a table other rows point at fails: every
    # register with a risk linked to a control or an incident could not be upgraded from
    # 0005 or earlier. SQLite's own recipe: keys off for the rebuild (the pragma is a no-op
    # inside a transaction, so before BEGIN), foreign_key_check before COMMIT, keys on again.
    with register.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:  # raising rolls the whole upgrade back
                    table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
                    raise StoreError(
                        f"{register.display_name} could not be upgraded to schema {head}: "
                        f"{len(broken)} link(s) would point at missing rows (first: {table} "
                        f"row {rowid} → {parent}). Nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def open_register(target: str | os.PathLike[str], *, create: bool = True) -> Register:
    """Open (and create or upgrade) the register at a path or URL.

    Raises a ``StoreError`` subclass with a message fit for the user when the file is
    not a register, too new, locked, read-only or damaged; nothing is changed then.
    """
    url, path = to_url(target)
    read_only = False
    if path is not None:
        _check_sqlite_file(path)
        if not path.exists():
            if not create:
                raise StoreError(f"{path} does not exist.")
            try:
                create_private_file(path)
            except OSError as exc:
                raise classify_os_error(exc, path) from exc
        elif path.stat().st_size:
            _recognise(path)
            clean_stale_parts(path)
        if path.stat().st_size and not _writable(path):
            read_only = True
            url = read_only_url(path, immutable=not os.access(path.parent, os.W_OK))
    register = Register(
        engine=make_engine(url, read_only=read_only), url=url, path=path, read_only=read_only
    )
    where = register.display_name
    try:
        _upgrade(register)
        if path is not None:
            register.warnings += anchor_warnings(register)
    except StoreError:
        register.dispose()
        raise
    except DBAPIError as exc:
        register.dispose()
        raise classify_db_error(exc, where) from exc
    return register


# --- this machine's anchor of the chain (store/anchors.py) ------------------------------


def chain_position(conn: Connection, event_id: int) -> tuple[str | None, int, int]:
    """(hash of event ``event_id`` or None, newest event id, number of events)."""
    found = conn.execute(
        text("SELECT hash FROM audit_event WHERE id = :id"), {"id": event_id}
    ).scalar()
    last_id, count = conn.execute(text("SELECT max(id), count(*) FROM audit_event")).one()
    return found, int(last_id or 0), int(count or 0)


def anchor_warnings(register: Register) -> list[str]:
    """Does the register still hold the newest event this machine saw? (cheap: two
    indexed reads; the full check is ``service.integrity.check_register``)."""
    if register.path is None or not register.is_sqlite:
        return []
    anchor = anchors.load(register.path)
    if anchor is None:
        return []
    with register.engine.connect() as conn:
        found, last_id, count = chain_position(conn, anchor.event_id)
    problem = anchors.mismatch(anchor, found, last_id, count)
    return [problem] if problem else []


def stash_anchor(conn: Connection, head: str) -> None:
    """Called by the audit trail inside a write: once the transaction commits, record
    its newest event as this machine's anchor — but only along an intact chain, so a
    register rewritten behind riskdesk's back keeps failing ``check`` here."""
    dbapi = conn.connection.dbapi_connection
    hooks = getattr(dbapi, "after_commit", None)
    database = conn.engine.url.database
    if hooks is None or not database or database == ":memory:":
        return
    path = Path(database.removeprefix("file:").split("?", 1)[0])
    anchor = anchors.load(path)
    # One statement of two indexed reads, no count: this runs on every write.
    last, found = conn.execute(
        text("SELECT max(id), (SELECT hash FROM audit_event WHERE id = :id) FROM audit_event"),
        {"id": anchor.event_id if anchor else 0},
    ).one()
    last_id = int(last or 0)
    if anchor is not None and anchors.mismatch(anchor, found, last_id, last_id):
        return
    hooks.append(lambda: anchors.save(path, last_id, head))


def record_anchor(register: Register, event_id: int, head: str) -> None:
    """Note a verified chain position (``check`` does, after a clean result)."""
    if register.path is not None and register.is_sqlite:
        anchors.save(register.path, event_id, head)


# --- files: stale temporaries and OS errors ---------------------------------------------

STALE_PART_SECONDS = 600


def clean_stale_parts(register_path: Path) -> list[Path]:
    """Remove the temporary files a killed backup or restore left behind.

    Only riskdesk's own names: ``.NAME.part`` beside the register, and any ``.*.part``
    in the automatic-backups folder (riskdesk's alone). Files younger than ten minutes
    are left: another riskdesk may be writing them right now.
    """
    import time

    from riskdesk.paths import data_dir

    candidates = [register_path.with_name(f".{register_path.name}.part")]
    backups = data_dir() / "backups"
    if backups.is_dir():
        candidates += list(backups.glob(".*.part"))
    removed: list[Path] = []
    cutoff = time.time() - STALE_PART_SECONDS
    for part in candidates:
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
        except OSError:
            continue  # read-only media: nothing to clean, nothing lost
    return removed


def classify_os_error(exc: OSError, path: Path) -> StoreError:
    """An OS error writing ``path`` as a plain StoreError (disk full, read-only…)."""
    import errno

    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyError(f"Cannot write {path}: {exc.strerror} (read-only or not yours).")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(f"Cannot write {path}: the disk is full.")
    return StoreError(f"Cannot write {path}: {exc.strerror or exc}.")
