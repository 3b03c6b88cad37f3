"""Identity and rights on a team register: the server enforces the lines' rights
(grants and row-level security) and the service explains the same refusals.

A 1st-line login cannot resolve a challenge or change the audit trail — neither
through riskdesk nor with raw SQL; the audit actor is the database login.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskdesk.cli.main import main
from riskdesk.service import governance as gov
from riskdesk.service.errors import RightsError
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from riskdesk.store.postgres import FIRST, SECOND, THIRD
from tests.pg import PgServer

pytestmark = pytest.mark.postgres

LOGINS = {"ada_first": FIRST, "sam_second": SECOND, "tia_third": THIRD}


@pytest.fixture
def team_db(pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A team register (``riskdesk team init``) with a use and an answered challenge,
    and a login per line."""
    assert main(["team", "init", "--db", pg_url]) == 0
    assert "roles: riskdesk_first_line" in capsys.readouterr().out
    for login, role in LOGINS.items():
        pg_server.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') "
            f"THEN CREATE ROLE {login} LOGIN IN ROLE {role}; END IF; END $$"
        )
    admin = RegisterService(open_register(pg_url), actor="postgres")
    try:
        owner = admin.create("person", {"name": "Ada", "default_line": "first"})
        reviewer = admin.create("person", {"name": "Sam", "default_line": "second"})
        use = admin.create("ai_use", {"name": "Screening", "owner_first_id": owner})
        challenge = gov.raise_challenge(admin, use, reviewer, "Why?").created_id
        assert challenge == 1
    finally:
        admin.register.dispose()
    assert main(["team", "map", "ada_first", str(owner), "--db", pg_url]) == 0
    assert main(["team", "map", "sam_second", str(reviewer), "--db", pg_url]) == 0
    return pg_url.split("?")[0].rsplit("/", 1)[1]


@pytest.fixture
def as_login(pg_server: PgServer, team_db: str) -> Iterator[object]:
    opened: list[RegisterService] = []

    def login(name: str) -> RegisterService:
        service = RegisterService(open_register(pg_server.url(team_db, user=name)))
        opened.append(service)
        return service

    yield login
    for service in opened:
        service.register.dispose()


def test_the_actor_is_the_login_and_the_role_is_known(as_login) -> None:  # type: ignore[no-untyped-def]
    ada = as_login("ada_first")
    assert ada.actor == "ada_first"
    assert ada.identity is not None and ada.identity.line == "1st line"
    assert ada.identity.person == "Ada"  # riskdesk team map
    ada.update("ai_use", 1, {"kill_switch": "Switch it off at the gateway"})
    with ada.engine.connect() as conn:
        last = conn.execute(text("SELECT actor FROM audit_event ORDER BY id DESC")).first()
    assert last is not None and last.actor == "ada_first"


def test_first_line_answers_but_cannot_resolve_a_challenge(as_login) -> None:  # type: ignore[no-untyped-def]
    ada, sam = as_login("ada_first"), as_login("sam_second")
    gov.answer_challenge(ada, 1, 1, "Because the model was validated.")
    with pytest.raises(RightsError, match=r"Only the 2nd line .* ada_first \(Ada, 1st line\)"):
        gov.resolve_challenge(ada, 1, "Fine by me")
    assert sam.get("challenge", 1)["status"] == "answered"
    gov.resolve_challenge(sam, 1, "Accepted")
    assert sam.get("challenge", 1)["status"] == "resolved"
    assert check_register(sam.register, remember=False).ok


def test_first_line_cannot_resolve_or_touch_the_audit_trail_even_with_raw_sql(
    as_login,  # type: ignore[no-untyped-def]
) -> None:
    ada = as_login("ada_first")
    gov.answer_challenge(ada, 1, 1, "Because.")
    attempts = [
        "UPDATE challenge SET status = 'resolved', resolution = 'ok' WHERE id = 1",
        "UPDATE audit_event SET actor = 'nobody' WHERE id = 1",
        "DELETE FROM audit_event WHERE id = 1",
        "TRUNCATE audit_event",
        "INSERT INTO audit_event (at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) VALUES (now(), 'sam_second', 'update', 'x', '1', '', '', '', '')",
        "DELETE FROM challenge WHERE id = 1",
    ]
    for statement in attempts:
        refused = pytest.raises(DBAPIError, match=r"permission denied|row-level security")
        with refused, ada.engine.begin() as conn:
            conn.execute(text(statement))
    sam = as_login("sam_second")
    assert sam.get("challenge", 1)["status"] == "answered"
    assert check_register(sam.register, remember=False).ok


def test_third_line_reads_everything_and_changes_no_use(as_login) -> None:  # type: ignore[no-untyped-def]
    tia = as_login("tia_third")
    assert tia.get("ai_use", 1)["name"] == "Screening"
    with pytest.raises(RightsError, match=r"3rd line may not change ai use.* tia_third \(3rd"):
        tia.update("ai_use", 1, {"name": "Renamed"})
    assert tia.get("ai_use", 1)["name"] == "Screening"


def test_every_line_may_record_a_board_pack(as_login) -> None:  # type: ignore[no-untyped-def]
    from riskdesk.reports.snapshot import record_pack

    for login in LOGINS:
        service = as_login(login)
        record_pack(service, f"{login}.pdf", "0" * 64, {})
    assert as_login("sam_second").count("board_pack") == len(LOGINS)


def test_a_conflict_names_the_person_behind_the_login(as_login) -> None:  # type: ignore[no-untyped-def]
    from riskdesk.service.errors import StaleRecordError

    ada, sam = as_login("ada_first"), as_login("sam_second")
    seen = ada.get("ai_use", 1)
    sam.update("ai_use", 1, {"kill_switch": "Sam's plan"})
    with pytest.raises(StaleRecordError, match=r"changed by Sam \(sam_second\) at "):
        ada.update("ai_use", 1, {"kill_switch": "Ada's plan", "version": seen["version"]})
