"""The service and integrity suites' register-level tests, run on PostgreSQL.

The tests of tests/test_service.py and tests/test_integrity.py that need no SQLite
file (``db_path``, raw ``sqlite3``) are collected here again with ``service`` on a
database of the private server; tampering is then done with SQL on the server.
"""

from __future__ import annotations

import inspect as pyinspect

import pytest
from sqlalchemy import select, text

import tests.test_integrity as integrity_suite
import tests.test_service as service_suite
from riskdesk.service import audit
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.service.team import _tables

pytestmark = pytest.mark.postgres

owner = service_suite.owner
use_id = service_suite.use_id


@pytest.fixture
def service(pg_service: RegisterService) -> RegisterService:
    return pg_service


@pytest.fixture
def db_path(pg_service: RegisterService) -> RegisterService:
    """The service suite compares ``dump(db_path)`` before and after a refused write."""
    return pg_service


def _server_dump(target: RegisterService) -> list[str]:
    """Every row of every table, as ``tests.conftest.dump`` gives for a file."""
    with target.engine.connect() as conn:
        return [
            f"{table.name} {audit.canonical(dict(row))}"
            for table in _tables(conn)
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        ]


@pytest.fixture(autouse=True)
def _dump_reads_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_suite, "dump", _server_dump)


def _shared_tests(module: object, needs_a_file: set[str]) -> dict[str, object]:
    tests = {}
    for name, func in vars(module).items():
        if not name.startswith("test_") or not callable(func):
            continue
        params = pyinspect.signature(func).parameters  # type: ignore[arg-type]
        if not needs_a_file & set(params):
            tests[name] = func
    return tests


SERVICE_TESTS = _shared_tests(service_suite, set())
# The rest of the integrity suite edits the SQLite file itself; tampering on the
# server is below.
INTEGRITY_TESTS = _shared_tests(integrity_suite, {"demo_file", "raw", "demo_service"})
# Collected under their own names: a failure points straight at the original test.
globals().update(SERVICE_TESTS)
globals().update(INTEGRITY_TESTS)


def test_the_shared_suites_really_run_here() -> None:
    every = [n for n in vars(service_suite) if n.startswith("test_")]
    assert sorted(SERVICE_TESTS) == sorted(every)
    assert "test_undo_keeps_the_register_checkable" in INTEGRITY_TESTS


# --- tampering on the server is caught like tampering with a file ------------------------


def _check_problem(service: RegisterService) -> str:
    report = check_register(service.register, remember=False)
    assert not report.ok
    return str(report.problems[0])


def _superuser_sql(service: RegisterService, statement: str) -> None:
    with service.engine.begin() as conn:
        conn.execute(text(statement))


def test_demo_on_postgresql_checks_green(pg_demo_service: RegisterService) -> None:
    report = check_register(pg_demo_service.register, remember=False)
    assert report.ok, report.problems[:3]
    assert report.events > 50


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE audit_event SET actor = 'mallory' WHERE id = 5", "audit event 5"),
        ("DELETE FROM audit_event WHERE id = 5", "audit event 6"),
        ("UPDATE ai_use SET name = 'Renamed' WHERE id = 1", "Renamed"),
    ],
)
def test_tampering_by_sql_on_the_server_is_named(
    pg_demo_service: RegisterService, statement: str, expected: str
) -> None:
    _superuser_sql(pg_demo_service, statement)
    assert expected in _check_problem(pg_demo_service)
