"""PostgreSQL as a team register's store (the optional extra ``riskdesk[team]``).

SQLite serialises writers with ``BEGIN IMMEDIATE``; the PostgreSQL equivalent here is a
transaction-scoped advisory lock taken first thing in every write transaction, so the
audit chain's "read the last hash, append" step never interleaves with another
writer's (two writers would otherwise both append after the same event and fork it).
The lock is released by COMMIT or ROLLBACK, never left behind by a crashed client.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from riskdesk.store.errors import StoreError

# Any fixed 64-bit number: every riskdesk writer on the database asks for this one lock.
WRITE_LOCK_KEY = 0x7269736B6465736B  # "riskdesk"
INSTALL_HINT = 'pip install "riskdesk[team]"'


def is_postgres(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def normalise_url(url: str) -> str:
    """``postgresql://`` → psycopg 3's driver (SQLAlchemy's default is psycopg2), and a
    clear one-line refusal when the team extra is not installed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    driver = parsed.get_driver_name()
    if driver in ("", "postgresql", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError(
            "A PostgreSQL team register needs the psycopg driver, which is not installed: "
            f'run {INSTALL_HINT} (or pip install "psycopg[binary]").'
        ) from None
    return parsed.render_as_string(hide_password=False)


def lock_writers(conn: Connection) -> None:
    """Wait for, then hold until this transaction ends, the register's write lock.
    Re-entrant: taking it again in the same transaction is free."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def _begin(conn: Any) -> None:
    if conn.get_execution_options().get("immediate"):
        lock_writers(conn)


def make_engine(url: str) -> Engine:
    # Timestamps are written and read as UTC whatever the server's own time zone.
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": "-c timezone=UTC"})
    event.listen(engine, "begin", _begin)
    return engine


def current_login(conn: Connection) -> str:
    return str(conn.execute(text("SELECT session_user")).scalar())


# --- the team's roles, enforced by the server -------------------------------------------

FIRST, SECOND, THIRD, CHAMPION = (
    "riskdesk_first_line",
    "riskdesk_second_line",
    "riskdesk_third_line",
    "riskdesk_champion",
)
ROLES = (FIRST, SECOND, THIRD, CHAMPION)
# Records the 1st line and the champion keep (their uses, risks, controls, incidents…).
RECORD_TABLES = (
    "ai_use",
    "risk",
    "control",
    "risk_control",
    "incident",
    "incident_risk",
    "person",
    "vendor",
    # issue 17: the model catalogue and each agent's permissions and their reviews
    "ai_model",
    "agent_permission",
    "permission_review",
    # issue 18: evidence files, their revisions and what they support
    "evidence_blob",
    "evidence",
    "evidence_link",
)
# Rows the server itself keeps honest: a challenge may be answered, not resolved, by
# the 1st line and the champion; only the 2nd line raises, resolves or escalates.
CHALLENGE_ANSWERABLE = "status IN ('open', 'answered') AND resolution = ''"


def _role_sql() -> list[str]:
    everyone = ", ".join(ROLES)
    keepers = f"{FIRST}, {SECOND}, {CHAMPION}"
    records = ", ".join(RECORD_TABLES)
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        for role in ROLES
    ]
    sql += [
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
        # The audit trail is append-only for every login: no UPDATE, DELETE, TRUNCATE.
        f"GRANT INSERT ON audit_event, board_pack TO {everyone}",
        f"GRANT INSERT, UPDATE, DELETE ON {records} TO {keepers}",
        f"GRANT INSERT, UPDATE, DELETE ON challenge, review TO {SECOND}",
        f"GRANT UPDATE ON challenge TO {FIRST}, {CHAMPION}",
        f"GRANT INSERT, UPDATE ON review TO {THIRD}",  # 3rd line records assurance
        f"GRANT INSERT, UPDATE ON org_profile, setting TO {SECOND}, {CHAMPION}",
        # Row-level security: who may change which challenge, and whose events a login
        # may append (its own: the audit actor is the database login).
        "ALTER TABLE challenge ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY",
    ]
    policies: dict[str, list[tuple[str, str, str, str | None, str | None]]] = {
        "challenge": [
            ("rd_read", "SELECT", everyone, "true", None),
            ("rd_second_line", "ALL", SECOND, "true", "true"),
            (
                "rd_answer",
                "UPDATE",
                f"{FIRST}, {CHAMPION}",
                CHALLENGE_ANSWERABLE,
                CHALLENGE_ANSWERABLE,
            ),
        ],
        "audit_event": [
            ("rd_read", "SELECT", everyone, "true", None),
            ("rd_own_events", "INSERT", everyone, None, "actor = session_user"),
        ],
    }
    for table, rules in policies.items():
        for name, command, roles, using, check in rules:
            sql.append(f"DROP POLICY IF EXISTS {name} ON {table}")
            clause = f" USING ({using})" if using else ""
            clause += f" WITH CHECK ({check})" if check else ""
            sql.append(f"CREATE POLICY {name} ON {table} FOR {command} TO {roles}{clause}")
    return sql


def install_roles(conn: Connection) -> list[str]:
    """Create (or bring up to date) the four roles, their grants and policies."""
    for statement in _role_sql():
        conn.execute(text(statement))
    return list(ROLES)


def team_role(conn: Connection) -> str | None:
    """This login's riskdesk role (the first of ROLES it holds); None for an owner or
    administrator outside them (a superuser holds every role without being one)."""
    if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar():
        return None
    held = set(
        conn.execute(
            text(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY(:roles) "
                "AND pg_has_role(session_user, oid, 'member')"
            ),
            {"roles": list(ROLES)},
        ).scalars()
    )
    return next((role for role in ROLES if role in held), None)
