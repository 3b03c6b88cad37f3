"""``check``'s fast paths find what the plain ones find (issue 19 §2).

On SQLite, SQLite picks the records whose canonical text differs from their last
``after`` (``service/record_sql.py``) and Python compares only those; the chain is read
with one cursor and the time slice SQLite gives; derived values are scored once per
scoring key; the expected schema is shipped. Each is checked here against the plain
path it replaces, on a demo register tampered with in the ways SQLite might read
differently from Python.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from riskdesk.scoring.exposure import REACH_CUTS, ExposureFactors
from riskdesk.service import audit, record_audit, schema_check
from riskdesk.service.integrity import AUDITED, check_register, scoring_key
from riskdesk.service.record_audit import Problem
from riskdesk.service.register import RegisterService
from riskdesk.store.db import head_revision, open_register
from riskdesk.store.schema_objects import expected_schema

# Each a change made behind riskdesk's back, or a spelling of the same value riskdesk
# does not write (SQLite then leaves the record to Python, which must agree).
TAMPERS = (
    "UPDATE ai_use SET name = 'Renamed ' || char(10) || '\"quoted\" é' WHERE id = 3",
    "UPDATE ai_use SET public_facing = 2 WHERE id = 4",  # a Boolean neither 0 nor 1
    "UPDATE ai_use SET go_live = '2025-08-27' WHERE id = 5",
    "UPDATE ai_use SET created_at = '2026-11-01 10:00:00+01:00' WHERE id = 6",  # offset
    "UPDATE ai_use SET created_at = substr(created_at, 1, 19) WHERE id = 7",  # same second
    "UPDATE ai_use SET people_affected = 'many' WHERE id = 8",  # text in an integer column
    "UPDATE ai_use SET people_affected = people_affected + 0.5 WHERE id = 9",  # a float
    "UPDATE ai_use SET version = version * 1.0 WHERE id = 10",  # stored back as an integer
    "UPDATE risk SET due_date = NULL WHERE id = 2",
    "DELETE FROM risk WHERE id = 5",
    "INSERT INTO vendor (name, kind, notes) VALUES ('Shadow AI Inc', 'saas', '')",
    "DELETE FROM risk_control WHERE rowid = (SELECT min(rowid) FROM risk_control)",
    "INSERT INTO setting (key, value) VALUES ('planted', '1')",
)


@pytest.fixture
def tampered(demo_service: RegisterService, db_path: Path) -> Iterator[Connection]:
    demo_service.register.dispose()
    con = sqlite3.connect(db_path)
    for statement in TAMPERS:
        con.execute(statement)
    con.commit()
    con.close()
    register = open_register(db_path)
    with register.engine.connect() as conn:
        yield conn
    register.dispose()


def _by_record(problems: list[Problem]) -> list[Problem]:
    # The plain path lists missing records in the order its query returned them.
    return sorted(problems, key=lambda p: (p.entity, p.entity_id, p.message))


def test_sqlite_picks_the_same_problems_as_python(tampered: Connection) -> None:
    found: list[Problem] = []
    for entity in AUDITED:
        count, problems = record_audit._record_problems(tampered, entity, 100)
        plain_count, plain = record_audit._python_problems(tampered, entity, 100)
        assert count == plain_count, entity
        assert _by_record(problems) == _by_record(plain), entity
        found += problems
    named = {(p.entity, p.entity_id) for p in found}
    # Changed, added, deleted; the offset is another instant, the float another number.
    for key in ("3", "4", "5", "6", "8", "9"):
        assert ("ai_use", key) in named
    assert ("risk", "5") in named and ("setting", "planted") in named
    assert any(p.entity == "vendor" for p in found)
    assert any(p.entity == "risk_control" and "missing" in p.message for p in found)
    # The same value spelled otherwise is not a change.
    for key in ("7", "10"):
        assert ("ai_use", key) not in named
    assert ("risk", "2") in named  # due date cleared


def test_a_tamper_mid_batch_is_named_by_its_record_and_event(
    tampered: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are compared a batch at a time: with batches of 2, the tampered uses
    3, 4, 5, 6, 8, 9 fall at and between batch edges and each is still named."""
    monkeypatch.setattr(record_audit, "_BATCH", 2)
    count, problems = record_audit._record_problems(tampered, "ai_use", 100)
    assert count == record_audit._python_problems(tampered, "ai_use", 100)[0]
    assert [p.entity_id for p in problems] == ["3", "4", "5", "6", "8", "9"]
    for problem in problems:
        event = tampered.exec_driver_sql(
            "SELECT max(id) FROM audit_event WHERE entity = 'ai_use' AND entity_id = ?",
            (problem.entity_id,),
        ).scalar()
        assert problem.event_id == event
        assert f"(event {event})" in problem.message
    # The limit keeps the first ones, in record order.
    _count, first = record_audit._record_problems(tampered, "ai_use", 2)
    assert [p.entity_id for p in first] == ["3", "4"]


def _plain_chain(conn: Connection) -> tuple[str, audit.ChainProblem | None]:
    """The chain walked through SQLAlchemy rows and the column's own time type."""
    prev = audit.GENESIS
    for ev in audit.iter_events(conn):
        if ev.prev_hash != prev:
            return prev, audit.ChainProblem(ev.id, "does not follow")
        at = audit._at_text(ev.at)
        digest = audit.event_hash(
            prev, at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.before, ev.after
        )
        if ev.hash != digest:
            return prev, audit.ChainProblem(ev.id, "altered")
        prev = ev.hash
    return prev, None


@pytest.mark.parametrize(
    ("spelling", "intact"),
    [
        ("substr(at, 1, 19)", True),  # whole seconds: the same time
        ("replace(at, ' ', 'T')", True),  # ISO 'T': the same time, read by the type
        ("substr(at, 1, 19) || '+00:00'", True),  # UTC spelled out
        ("substr(at, 1, 19) || '+01:00'", False),  # another instant
    ],
)
def test_the_chain_reads_a_time_as_its_column_type_does(
    demo_service: RegisterService, db_path: Path, spelling: str, intact: bool
) -> None:
    demo_service.register.dispose()
    con = sqlite3.connect(db_path)
    con.execute(f"UPDATE audit_event SET at = {spelling} WHERE id = 17")
    con.commit()
    con.close()
    register = open_register(db_path)
    try:
        with register.engine.connect() as conn:
            head, broken = audit.verify_chain(conn)
            plain_head, plain_broken = _plain_chain(conn)
            assert head == plain_head
            assert (broken is None) == (plain_broken is None) == intact
            if broken is not None and plain_broken is not None:
                assert broken.event_id == plain_broken.event_id == 17
            rows = list(audit.chain_rows(conn))
            assert [r[0] for r in rows] == [ev.id for ev in audit.iter_events(conn)]
            assert [r[1] for r in rows] == [audit._at_text(ev.at) for ev in audit.iter_events(conn)]
    finally:
        register.dispose()


def test_uses_with_one_scoring_key_derive_the_same_values(
    demo_service: RegisterService,
) -> None:
    config = demo_service.scoring_config()
    names = [*(f.name for f in ExposureFactors.__dataclass_fields__.values())]
    uses = demo_service.rows("ai_use")
    assert uses
    checked = 0
    for use in uses:
        record = {name: use[name] for name in names}
        if not isinstance(record["people_affected"], int):
            continue
        cuts = (0, *REACH_CUTS, REACH_CUTS[-1] * 10)
        for low, high in itertools.pairwise(cuts):
            derived = []
            for people in (low, (low + high) // 2, high - 1):
                values = {**record, "people_affected": people}
                key = scoring_key(values)
                demo_service.derive_use(values, config)
                derived.append((key, {k: values[k] for k in values if k not in names}))
            assert len({repr(k) for k, _ in derived}) == 1
            assert all(d == derived[0][1] for _, d in derived)
            checked += 1
    assert checked
    assert scoring_key({"people_affected": 50}) != scoring_key({"people_affected": 150})
    assert scoring_key({"people_affected": True}) != scoring_key({"people_affected": 1})


def test_the_shipped_schema_is_a_fresh_migrations() -> None:
    revision, objects = schema_check.shipped_schema()
    assert (revision, objects) == (head_revision(), expected_schema()), (
        "src/riskdesk/service/expected_schema.json is out of date: "
        "run `python -m riskdesk.service.schema_check` and commit it"
    )


def test_another_revision_is_compared_with_a_fresh_migration(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_service.engine.connect() as conn:
        assert schema_check.expected_for(conn) == schema_check.shipped_schema()[1]
        monkeypatch.setattr(schema_check, "shipped_schema", lambda: ("0000", {}))
        assert schema_check.expected_for(conn) == expected_schema()
    assert check_register(demo_service.register, remember=False).ok
