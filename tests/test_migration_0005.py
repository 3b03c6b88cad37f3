"""Migration 0005 (issue 17): existing vendors and uses get *unknown*, not "no"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from riskdesk.service.register import RegisterService
from riskdesk.store.db import _alembic_config, make_engine, open_register


def test_existing_rows_keep_unknown_facts_and_downgrade_works(db_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0004")
    engine.dispose()
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO vendor (id, name, kind, notes) VALUES (1, 'OpenAI', 'saas', '')")
    con.commit()
    con.close()
    register = open_register(db_path)  # upgrades to head
    try:
        service = RegisterService(register, actor="t")
        vendor = service.get("vendor", 1)
        assert vendor["dpa_signed"] is None and vendor["security_review_on"] is None
        assert vendor["exit_plan"] == ""
        use_id = service.create("ai_use", {"name": "Agent", "vendor_id": 1})
        use = service.get("ai_use", use_id)
        assert use["model_id"] is None and use["human_approval_destructive"] is None
    finally:
        register.dispose()


def test_its_downgrade_removes_what_it_added(tmp_path: Path) -> None:
    """0005 alone, up and down (later revisions rebuild tables and are not downgraded)."""
    from alembic import command
    from sqlalchemy import inspect

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0005")
        with engine.connect() as conn:
            assert "ai_model" in set(inspect(conn).get_table_names())
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0004")
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("ai_use")}
        assert not {"ai_model", "agent_permission", "permission_review"} & tables
        assert "model_id" not in columns and "fallback" not in columns
    finally:
        engine.dispose()
