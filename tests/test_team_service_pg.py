"""Tampering on the server is caught like tampering with a file.

The service, governance and integrity suites themselves run on both databases (their
modules are marked ``both_databases``; see tests/conftest.py); this module adds what
only a server has: rows changed with SQL by an administrator.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService

pytestmark = pytest.mark.postgres


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
