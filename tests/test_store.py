"""The store: file creation, pragmas, permissions, migrations and refusals."""

from __future__ import annotations

import sqlite3
import stat
import warnings
from pathlib import Path

import pytest
from sqlalchemy import text

from riskdesk.store.db import current_revision, head_revision, open_register, to_url
from riskdesk.store.errors import NewerSchemaError, NotARegisterError


def test_new_register_is_private_wal_with_foreign_keys(db_path: Path) -> None:
    reg = open_register(db_path)
    try:
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        with reg.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert current_revision(reg.engine) == head_revision()
    finally:
        reg.dispose()


def test_url_and_path_targets(tmp_path: Path) -> None:
    url, path = to_url(tmp_path / "a.db")
    assert url.startswith("sqlite:///") and path == (tmp_path / "a.db").resolve()
    url, path = to_url(f"sqlite:///{tmp_path}/b.db")
    assert path == (tmp_path / "b.db").resolve()
    assert to_url("postgresql+psycopg://u@localhost/x") == (
        "postgresql+psycopg://u@localhost/x",
        None,
    )


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is a text file, not SQLite" * 10)
    before = bogus.read_bytes()
    with pytest.raises(NotARegisterError, match="not a riskdesk register"):
        open_register(bogus)
    assert bogus.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    with pytest.raises(NotARegisterError, match="songs"):
        open_register(other)
    assert sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall() == [
        ("songs",)
    ]


def test_newer_schema_is_refused(db_path: Path) -> None:
    open_register(db_path).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(NewerSchemaError, match="newer version of riskdesk"):
        open_register(db_path)


def test_older_schema_is_upgraded_after_a_backup(db_path: Path) -> None:
    """A file at an older revision is backed up beside itself, then upgraded."""
    from alembic import command

    from riskdesk.store.db import _alembic_config, make_engine

    engine = make_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO person (name, email, title, department, default_line,"
                " has_left, notes) VALUES ('Ada', '', '', '', 'first', 0, '')"
            )
        )
    engine.dispose()
    if head_revision() == "0001":
        # Only one revision exists so far: stamp a fake older state by hand instead.
        pytest.fail("the migration chain needs at least two revisions for this test")
    reg = open_register(db_path)
    try:
        assert current_revision(reg.engine) == head_revision()
        backups = list(db_path.parent.glob("register.db.bak-0001-*"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("SELECT name FROM person").fetchall() == [("Ada",)]
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        with reg.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM person")).scalars().all() == ["Ada"]
    finally:
        reg.dispose()


def test_migrations_match_the_models(register) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate against a fully migrated file finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with register.engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection cannot read expression indexes (migration 0012's sort
        # indexes, kept out of the models for that reason); their own tests check them
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diffs == []


def test_revisions_read_from_file_names_are_alembics() -> None:
    # Opening a register at the head decides so from the migration files' names
    # without importing Alembic (issue 19); they must say what Alembic says.
    from riskdesk.store import db

    assert db._listed_revisions() == db._known_revisions()
    assert db.listed_head() == head_revision()


def test_a_revision_neither_the_names_nor_alembic_know_is_refused(db_path: Path) -> None:
    reg = open_register(db_path)
    with reg.engine.begin() as conn:  # as if a newer riskdesk had migrated it
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    reg.dispose()
    with pytest.raises(NewerSchemaError, match="schema 9999"):
        open_register(db_path)
