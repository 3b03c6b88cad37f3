"""A 1st-line login keeps only the uses it is the 1st-line owner of (and their risks,
incidents, links and challenges), enforced by row-level security on the server and
explained by the service. Every refusal is also tried with raw SQL as that login."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskdesk.service import governance as gov
from riskdesk.service.errors import RightsError
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from tests import test_team_rights as rights

pytestmark = pytest.mark.postgres

team_db, as_login = rights.team_db, rights.as_login  # the shared fixtures

Login = Callable[[str], RegisterService]
NOT_OWNER = r"1st line changes only the AI uses it is the 1st-line owner of"


@pytest.fixture
def other_use(team_db: str, pg_url: str) -> int:
    """A use owned by Fay (not Ada), with a risk and an open challenge (id 2)."""
    admin = RegisterService(open_register(pg_url), actor="postgres")
    try:
        fay = admin.create("person", {"name": "Fay", "default_line": "first"})
        use = admin.create("ai_use", {"name": "Fay's chatbot", "owner_first_id": fay})
        admin.create("risk", {"use_id": use, "title": "Wrong answers"})
        assert gov.raise_challenge(admin, use, 2, "And this one?").created_id == 2
        return int(use)
    finally:
        admin.register.dispose()


def _raw(service: RegisterService, statement: str) -> int:
    """Run SQL as the service's login; the number of rows it changed."""
    with service.engine.begin() as conn:
        return int(conn.execute(text(statement)).rowcount)


def test_the_owner_edits_their_use_and_its_risks(as_login: Login, other_use: int) -> None:
    ada = as_login("ada_first")
    ada.update("ai_use", 1, {"kill_switch": "Gateway switch"})
    risk = ada.create("risk", {"use_id": 1, "title": "Bias in screening"})
    ada.update("risk", risk, {"title": "Bias in CV screening"})
    assert ada.get("risk", risk)["title"] == "Bias in CV screening"
    new_use = ada.create("ai_use", {"name": "Ada's second tool", "owner_first_id": 1})
    assert ada.get("ai_use", new_use)["owner_first_id"] == 1


def test_another_owners_use_is_refused_by_the_service_and_the_server(
    as_login: Login, other_use: int
) -> None:
    ada = as_login("ada_first")
    with pytest.raises(RightsError, match=NOT_OWNER + r".* ada_first \(Ada, 1st line\)"):
        ada.update("ai_use", other_use, {"name": "Taken over"})
    with pytest.raises(RightsError, match=NOT_OWNER):
        ada.create("risk", {"use_id": other_use, "title": "Planted"})
    with pytest.raises(RightsError, match=NOT_OWNER):
        ada.update("ai_use", 1, {"owner_first_id": 3})  # giving a use away is not hers
    # The server, whatever the client: rows of another's use are invisible to UPDATE and
    # DELETE (0 rows) and an INSERT onto it violates the policy.
    assert _raw(ada, f"UPDATE ai_use SET name = 'Taken' WHERE id = {other_use}") == 0
    assert _raw(ada, f"UPDATE risk SET title = 'Taken' WHERE use_id = {other_use}") == 0
    assert _raw(ada, f"DELETE FROM risk WHERE use_id = {other_use}") == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        _raw(ada, f"INSERT INTO risk (use_id, title) VALUES ({other_use}, 'Planted')")
    sam = as_login("sam_second")
    assert sam.get("ai_use", other_use)["name"] == "Fay's chatbot"
    assert [r["title"] for r in sam.rows("risk") if r["use_id"] == other_use] == ["Wrong answers"]


def test_a_use_cannot_be_given_away_with_raw_sql(as_login: Login, other_use: int) -> None:
    ada = as_login("ada_first")
    with pytest.raises(DBAPIError, match="row-level security"):
        _raw(ada, "UPDATE ai_use SET owner_first_id = 3 WHERE id = 1")
    assert as_login("sam_second").get("ai_use", 1)["owner_first_id"] == 1


def test_challenges_are_answered_on_own_uses_only(as_login: Login, other_use: int) -> None:
    ada = as_login("ada_first")
    with pytest.raises(RightsError, match=NOT_OWNER):
        gov.answer_challenge(ada, 2, 1, "Not mine to answer.")
    assert _raw(ada, "UPDATE challenge SET status = 'answered', answer = 'x' WHERE id = 2") == 0
    gov.answer_challenge(ada, 1, 1, "Validated on last year's intake.")
    assert as_login("sam_second").get("challenge", 1)["status"] == "answered"
    assert as_login("sam_second").get("challenge", 2)["status"] == "open"


def test_a_temporary_table_cannot_fake_the_login_mapping(as_login: Login, other_use: int) -> None:
    """The policies' functions pin their search path: a session's own ``setting`` table
    in pg_temp (searched first by default) changes nothing."""
    ada = as_login("ada_first")
    with ada.engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE setting (key text, value text)"))
        conn.execute(text("CREATE TEMP TABLE ai_use (id int, owner_first_id int)"))
        fake = '{"ada_first": 3}'  # Fay's person id: her use would be "Ada's"
        conn.execute(text(f"INSERT INTO pg_temp.setting VALUES ('team_logins', '{fake}')"))
        conn.execute(text(f"INSERT INTO pg_temp.ai_use VALUES ({other_use}, 1)"))
        changed = conn.execute(
            text(f"UPDATE public.ai_use SET name = 'Taken' WHERE id = {other_use}")
        ).rowcount
    assert changed == 0
    assert as_login("sam_second").get("ai_use", other_use)["name"] == "Fay's chatbot"


def test_an_unmapped_first_line_login_keeps_no_use(
    as_login: Login, pg_server: object, team_db: str
) -> None:
    pg_server.sql(  # type: ignore[attr-defined]
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'newbie') "
        "THEN CREATE ROLE newbie LOGIN IN ROLE riskdesk_first_line; END IF; END $$"
    )
    newbie = as_login("newbie")
    with pytest.raises(RightsError, match="not mapped to a person"):
        newbie.update("ai_use", 1, {"name": "Mine now"})
    assert _raw(newbie, "UPDATE ai_use SET name = 'Mine now' WHERE id = 1") == 0
