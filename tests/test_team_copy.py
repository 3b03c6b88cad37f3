"""``riskdesk copy``: a register moves to PostgreSQL and back losslessly, its audit
chain intact and ending at the same head."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from riskdesk.cli.main import main
from riskdesk.service import audit
from riskdesk.service.errors import ConflictError
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.service.team import _tables, copy_register
from riskdesk.store.db import Register, open_register

pytestmark = pytest.mark.postgres


def _contents(register: Register) -> dict[str, list[str]]:
    """Every row of every table as canonical JSON (datetimes in UTC), by table."""
    out: dict[str, list[str]] = {}
    with register.engine.connect() as conn:
        for table in _tables(conn):
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            out[table.name] = [audit.canonical(dict(r)) for r in rows]
    return out


def test_demo_register_round_trips_through_postgresql(
    demo_register_file: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "demo.db"
    shutil.copy(demo_register_file, original)
    back = tmp_path / "back.db"

    assert main(["copy", "--from", str(original), "--to", pg_url]) == 0
    assert "verified, chain head" in capsys.readouterr().out
    assert main(["copy", "--from", pg_url, "--to", str(back)]) == 0

    registers = [open_register(p) for p in (original, pg_url, back)]
    try:
        contents = [_contents(r) for r in registers]
        assert contents[0]["audit_event"], "the demo has an audit trail"
        assert contents[0] == contents[1] == contents[2]
        reports = [check_register(r, remember=False) for r in registers]
        assert all(r.ok for r in reports), [r.problems[:2] for r in reports]
        assert len({r.chain_head for r in reports}) == 1
        # The server hands out fresh ids after the copied ones.
        service = RegisterService(registers[1], actor="tester")
        new_id = service.create("person", {"name": "Newcomer"})
        assert new_id > max(r["id"] for r in service.rows("person") if r["id"] != new_id)
        assert check_register(registers[1], remember=False).ok
    finally:
        for r in registers:
            r.dispose()


def test_copy_refuses_a_target_that_is_not_empty(
    demo_service: RegisterService, pg_url: str
) -> None:
    target = open_register(pg_url)
    try:
        RegisterService(target, actor="tester").create("person", {"name": "Already here"})
        before = _contents(target)
        with pytest.raises(ConflictError, match="not empty"):
            copy_register(demo_service.register, target)
        assert _contents(target) == before
    finally:
        target.dispose()


def test_copy_refuses_a_source_with_a_broken_chain(
    demo_service: RegisterService, pg_url: str
) -> None:
    from sqlalchemy import text

    with demo_service.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = 3"))
    target = open_register(pg_url)
    try:
        with pytest.raises(Exception, match="audit event 3"):
            copy_register(demo_service.register, target)
        assert not any(_contents(target).values())
    finally:
        target.dispose()
