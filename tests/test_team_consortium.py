"""A consortium: one database, a register per organisation (a schema of its own that
only the organisation's role may use), so no login reads another member's register —
not through riskdesk, not with raw SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskdesk.cli.main import main
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from riskdesk.store.errors import StoreError
from riskdesk.store.postgres import with_search_path
from tests.pg import PgServer

pytestmark = pytest.mark.postgres

ORGS = {"district_a": "amy_a", "district_b": "bob_b"}


@pytest.fixture
def consortium(pg_server: PgServer, capsys: pytest.CaptureFixture[str]) -> str:
    """Two organisations' registers in one new database, a 1st-line login in each with
    a use of its own; the database's URL."""
    url = pg_server.url(pg_server.new_database())
    for org, login in ORGS.items():
        assert main(["team", "init", "--db", url, "--organisation", org]) == 0
        assert f"riskdesk_org_{org}" in capsys.readouterr().out
        pg_server.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') "
            f"THEN CREATE ROLE {login} LOGIN IN ROLE riskdesk_first_line, riskdesk_org_{org};"
            " END IF; END $$"
        )
        pg_server.sql(f"ALTER ROLE {login} SET search_path = {org}")
        admin = RegisterService(open_register(with_search_path(url, org)), actor="postgres")
        try:
            person = admin.create("person", {"name": f"Owner of {org}", "default_line": "first"})
            admin.create("ai_use", {"name": f"{org} tutor", "owner_first_id": person})
        finally:
            admin.register.dispose()
        assert main(["team", "map", login, str(person), "--db", url, "--organisation", org]) == 0
    return url


def _login_url(pg_server: PgServer, url: str, login: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{login}@")


def test_each_organisation_sees_its_own_register_only(pg_server: PgServer, consortium: str) -> None:
    for org, login in ORGS.items():
        service = RegisterService(open_register(_login_url(pg_server, consortium, login)))
        try:
            assert [u["name"] for u in service.rows("ai_use")] == [f"{org} tutor"]
            assert service.identity is not None and service.identity.person == f"Owner of {org}"
            service.update("ai_use", 1, {"kill_switch": f"{org}'s switch"})
            report = check_register(service.register, remember=False)
            assert report.ok, report.problems[:3]  # one chain per organisation
        finally:
            service.register.dispose()


def test_org_b_cannot_read_org_a_even_with_raw_sql(pg_server: PgServer, consortium: str) -> None:
    register = open_register(_login_url(pg_server, consortium, "bob_b"))
    try:
        for statement in (
            "SELECT name FROM district_a.ai_use",
            "SELECT actor FROM district_a.audit_event",
        ):
            denied = pytest.raises(DBAPIError, match="permission denied for schema district_a")
            with denied, register.engine.begin() as conn:
                conn.execute(text(statement))
        unknown = pytest.raises(DBAPIError, match='relation "ai_use" does not exist')
        with unknown, register.engine.begin() as conn:
            conn.execute(text("SET LOCAL search_path = district_a"))
            conn.execute(text("SELECT name FROM ai_use"))
    finally:
        register.dispose()
    with pytest.raises(StoreError):  # riskdesk pointed at A's schema as bob: no register
        open_register(with_search_path(_login_url(pg_server, consortium, "bob_b"), "district_a"))


def test_an_organisation_name_is_checked(
    pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.url(pg_server.new_database())
    assert main(["team", "init", "--db", url, "--organisation", "a; DROP ROLE x"]) == 2
    assert "cannot name an organisation" in capsys.readouterr().err
