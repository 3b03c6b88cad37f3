"""Migration 0012's expression indexes: created and dropped on SQLite and PostgreSQL,
written as the Uses table's sorts write their expressions, and used by SQLite's planner
for those sorts (a sort that stops matching its index stays right but scans and sorts
100,000 uses on every click)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from riskdesk import enums
from riskdesk.service import queries
from riskdesk.service.register import RegisterService
from riskdesk.store.db import _alembic_config, make_engine, open_register

MIGRATION = importlib.import_module("riskdesk.store.migrations.versions.0012_table_sort_indexes")
NAMES = set(MIGRATION.INDEXES)


def _sort_indexes(conn: sa.Connection) -> set[str]:
    # the inspector skips expression indexes on SQLite, so ask each catalogue itself
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ai_use'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'ai_use'"
    return {name for (name,) in conn.exec_driver_sql(sql)} & NAMES


def test_0012_adds_the_indexes_and_its_downgrade_drops_them(blank_url: str) -> None:
    from alembic import command

    engine = make_engine(blank_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0011")
        with engine.connect() as conn:
            assert _sort_indexes(conn) == set()
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0012")
        with engine.connect() as conn:
            assert _sort_indexes(conn) == NAMES
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0011")
        with engine.connect() as conn:
            assert _sort_indexes(conn) == set()
    finally:
        engine.dispose()


def test_the_indexed_orders_are_the_enums_orders() -> None:
    assert tuple(t.value for t in enums.Tier) == MIGRATION.TIERS
    assert tuple(s.value for s in enums.Stage) == MIGRATION.STAGES


@pytest.mark.parametrize("key", ["exposure", "tier", "stage"])
@pytest.mark.parametrize("descending", [False, True])
def test_sqlite_sorts_the_uses_table_from_its_index(
    tmp_path: Path, key: str, descending: bool
) -> None:
    register = open_register(tmp_path / "register.db")
    service = RegisterService(register)
    try:
        query = queries.uses(service)
        seen: list[tuple[str, Any]] = []

        def grab(*args: Any) -> None:
            seen.append((args[2], args[3]))  # statement, parameters

        sa.event.listen(service.engine, "before_cursor_execute", grab)
        query.ordered_ids(key, descending=descending)
        sa.event.remove(service.engine, "before_cursor_execute", grab)
        statement, params = seen[-1]
        with service.engine.connect() as conn:
            plan = [r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
        assert plan == [f"SCAN ai_use USING INDEX {MIGRATION_INDEX[key]}"], plan
    finally:
        register.dispose()


MIGRATION_INDEX = {
    "exposure": "ix_ai_use_exposure_sort",
    "tier": "ix_ai_use_tier_order",
    "stage": "ix_ai_use_stage_order",
}
