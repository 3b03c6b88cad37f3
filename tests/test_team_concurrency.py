"""Several writers at once: the audit chain stays one valid chain.

Four processes × 200 writes each, on PostgreSQL (advisory lock) and on SQLite
(``BEGIN IMMEDIATE``); ``check`` is green afterwards and no two events share a
``prev_hash`` (a fork).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import text

from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register

WRITERS = 4
WRITES = 200


def _writer(target: str, name: str, use_id: int, start: multiprocessing.synchronize.Event) -> None:
    service = RegisterService(open_register(target, create=False), actor=name)
    try:
        start.wait(30)
        for i in range(WRITES):
            if i % 2:
                service.update("ai_use", use_id, {"kill_switch": f"{name} {i}"})
            else:
                service.create("person", {"name": f"{name} {i}"})
    finally:
        service.register.dispose()


def _hammer(target: str) -> None:
    setup = RegisterService(open_register(target), actor="setup")
    use_id = setup.create("ai_use", {"name": "Shared chatbot"})
    setup.register.dispose()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [
        ctx.Process(target=_writer, args=(target, f"writer{n}", use_id, start))
        for n in range(WRITERS)
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * WRITERS

    register = open_register(target, create=False)
    try:
        with register.engine.connect() as conn:
            events, forks = conn.execute(
                text("SELECT count(*), count(*) - count(DISTINCT prev_hash) FROM audit_event")
            ).one()
            people = conn.execute(text("SELECT count(*) FROM person")).scalar()
        assert events == 1 + WRITERS * WRITES
        assert forks == 0
        assert people == WRITERS * WRITES // 2
        report = check_register(register)
        assert report.ok, report.problems[:3]
        assert report.events == events
    finally:
        register.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_four_writers_on_postgresql_leave_one_valid_chain(pg_url: str) -> None:
    _hammer(pg_url)


@pytest.mark.slow
def test_four_writers_on_sqlite_leave_one_valid_chain(tmp_path: Path) -> None:
    _hammer(str(tmp_path / "shared.db"))
