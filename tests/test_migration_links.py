"""Upgrading a register whose rows are linked (issue 19 session, found with 0009).

SQLite changes a column by rebuilding its table; with foreign keys enforced, dropping a
table that other rows point at failed, so every register from schema 0005 or earlier
with a risk linked to a control or an incident could not be opened by a newer riskdesk.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from riskdesk.store.db import _alembic_config, head_revision, make_engine, open_register
from riskdesk.store.errors import StoreError


def _insert(con: sqlite3.Connection, table: str, **given: object) -> None:
    """A row with ``given`` values and a plain value in every other required column
    (the older schemas differ in which columns they require)."""
    values: dict[str, object] = {}
    for _cid, name, kind, notnull, default, pk in con.execute(f"PRAGMA table_info({table})"):
        if name in given:
            values[name] = given[name]
        elif notnull and default is None and not pk:
            kind = (kind or "").upper()
            values[name] = 0 if "INT" in kind or "BOOL" in kind else ""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))


def _register_at(path: Path, revision: str, *, dangling: bool = False) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)
    engine.dispose()
    con = sqlite3.connect(path)
    _insert(con, "person", id=1, name="Ann")
    _insert(con, "ai_use", id=1, name="Tutor", owner_first_id=1, stage="production")
    _insert(con, "risk", id=1, use_id=1, title="Wrong answers", owner_id=1, status="open")
    _insert(con, "control", id=1, name="Teacher review")
    _insert(con, "risk_control", risk_id=1, control_id=1)
    _insert(con, "incident", id=1, use_id=1, title="Wrong grade", severity="low")
    _insert(con, "incident_risk", incident_id=1, risk_id=1)
    if dangling:  # written by something that did not enforce keys
        _insert(con, "risk_control", risk_id=1, control_id=99)
    con.commit()
    con.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("revision", ["0003", "0004", "0005"])
def test_linked_rows_survive_the_upgrade_and_keys_are_enforced_after(
    tmp_path: Path, revision: str
) -> None:
    path = tmp_path / "old.db"
    _register_at(path, revision)
    register = open_register(path)  # upgrades to head
    try:
        with register.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT * FROM risk_control").fetchall() == [(1, 1)]
            links = conn.exec_driver_sql("SELECT incident_id, risk_id FROM incident_risk")
            assert links.fetchall() == [(1, 1)]
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        register.dispose()
    assert _revision(path) == head_revision()
    register = open_register(path)
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"), register.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO incident_risk (incident_id, risk_id) VALUES (1, 42)")
    finally:
        register.dispose()


def test_a_link_to_a_missing_row_stops_the_upgrade_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _register_at(path, "0005", dangling=True)
    with pytest.raises(StoreError, match=r"risk_control row \d+ → control.*Nothing was changed"):
        open_register(path)
    assert _revision(path) == "0005"
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM risk_control").fetchone()[0] == 2
    finally:
        con.close()
