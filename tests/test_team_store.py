"""PostgreSQL as a register's store: the same migrations, the same service, ``check``
green, and a clear line when the driver is missing."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import inspect, text

from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import head_revision, open_register
from riskdesk.store.errors import StoreError
from tests.pg import PgServer

pytestmark = pytest.mark.postgres


def test_every_migration_runs_on_postgresql(pg_server: PgServer) -> None:
    url = pg_server.url(pg_server.new_database())
    register = open_register(url)
    try:
        with register.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            tables = set(inspect(conn).get_table_names())
        assert revision == head_revision()
        assert {"audit_event", "ai_use", "risk", "challenge", "board_pack"} <= tables
    finally:
        register.dispose()


def test_service_writes_and_check_is_green_on_postgresql(pg_service: RegisterService) -> None:
    person = pg_service.create("person", {"name": "Ada", "default_line": "2nd line"})
    use = pg_service.create("ai_use", {"name": "Chatbot", "owner_second_id": person})
    result = pg_service.update("ai_use", use, {"kill_switch": "Pull the plug"})
    pg_service.undo(result)
    assert pg_service.get("ai_use", use)["kill_switch"] == ""
    report = check_register(pg_service.register)
    assert report.ok, report.problems
    assert report.events == 4


def test_without_psycopg_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    with pytest.raises(StoreError, match=r"riskdesk\[team\]") as caught:
        open_register("postgresql://someone@/register?host=/nonexistent")
    assert "\n" not in str(caught.value)
