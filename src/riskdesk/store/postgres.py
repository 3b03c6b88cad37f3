"""PostgreSQL as a team register's store (the optional extra ``riskdesk[team]``).

SQLite serialises writers with ``BEGIN IMMEDIATE``; the PostgreSQL equivalent here is a
transaction-scoped advisory lock taken first thing in every write transaction, so the
audit chain's "read the last hash, append" step never interleaves with another
writer's (two writers would otherwise both append after the same event and fork it).
The lock is released by COMMIT or ROLLBACK, never left behind by a crashed client.
"""

from __future__ import annotations

import re
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
    # Options in the URL (an organisation's search_path) are kept beside ours.
    given = make_url(url).query.get("options") or ""
    options = " ".join(["-c timezone=UTC", *([given] if isinstance(given, str) else given)])
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options})
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
# Rows that belong to one AI use (their use_id), or to a row that does: a 1st-line login
# changes them only on the uses it is the 1st-line owner of (row-level security).
USE_ROWS = ("risk", "incident", "agent_permission", "permission_review", "evidence_link")
VIA_PARENT = {"risk_control": ("risk_id", "risk"), "incident_risk": ("incident_id", "incident")}
# Rows the server itself keeps honest: a challenge may be answered, not resolved, by
# the 1st line (on its own uses) and the champion; only the 2nd line raises, resolves
# or escalates.
CHALLENGE_ANSWERABLE = "status IN ('open', 'answered') AND resolution = ''"
# The login's person (``riskdesk team map``) and "is this use mine?", evaluated by the
# server inside the policies. The search path is pinned (pg_temp last) so a login cannot
# shadow ``setting`` or ``ai_use`` with a temporary table of its own.
LOGINS_KEY = "team_logins"
ORG_ROLE_PREFIX = "riskdesk_org_"
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,40}")

Policy = tuple[str, str, str, str | None, str | None]  # name, command, roles, using, check


def _functions(schema: str) -> list[str]:
    pinned = f"LANGUAGE sql STABLE SET search_path = {schema}, pg_temp"
    return [
        f"CREATE OR REPLACE FUNCTION {schema}.riskdesk_person() RETURNS integer {pinned} AS "
        f"$$ SELECT (value::jsonb ->> session_user)::integer FROM {schema}.setting "
        f"WHERE key = '{LOGINS_KEY}' $$",
        f"CREATE OR REPLACE FUNCTION {schema}.riskdesk_owns_use(use_row integer) RETURNS boolean "
        f"{pinned} AS $$ SELECT EXISTS (SELECT 1 FROM {schema}.ai_use "
        f"WHERE id = use_row AND owner_first_id = {schema}.riskdesk_person()) $$",
    ]


def _policies(schema: str) -> dict[str, list[Policy]]:
    everyone = ", ".join(ROLES)
    keepers = f"{SECOND}, {CHAMPION}"
    owns = f"{schema}.riskdesk_owns_use"
    mine: dict[str, str] = {"ai_use": f"owner_first_id = {schema}.riskdesk_person()"}
    for table in USE_ROWS:
        # An incident or evidence link about no use in particular is anyone's to keep.
        nullable = table in ("incident", "evidence_link")
        mine[table] = f"(use_id IS NULL OR {owns}(use_id))" if nullable else f"{owns}(use_id)"
    for table, (column, parent) in VIA_PARENT.items():
        mine[table] = (
            f"EXISTS (SELECT 1 FROM {schema}.{parent} p WHERE p.id = {column} "
            f"AND (p.use_id IS NULL OR {owns}(p.use_id)))"
        )
    policies: dict[str, list[Policy]] = {
        table: [
            ("rd_read", "SELECT", everyone, "true", None),
            ("rd_keepers", "ALL", keepers, "true", "true"),
            ("rd_own_uses", "ALL", FIRST, rule, rule),
        ]
        for table, rule in mine.items()
    }
    answerable_own = f"{CHALLENGE_ANSWERABLE} AND {owns}(use_id)"
    policies["challenge"] = [
        ("rd_read", "SELECT", everyone, "true", None),
        ("rd_second_line", "ALL", SECOND, "true", "true"),
        ("rd_answer", "UPDATE", CHAMPION, CHALLENGE_ANSWERABLE, CHALLENGE_ANSWERABLE),
        ("rd_answer_own", "UPDATE", FIRST, answerable_own, answerable_own),
    ]
    policies["audit_event"] = [
        ("rd_read", "SELECT", everyone, "true", None),
        ("rd_own_events", "INSERT", everyone, None, "actor = session_user"),
    ]
    return policies


def _role_sql(schema: str, organisation: bool = False) -> list[str]:
    everyone = ", ".join(ROLES)
    # The line roles are the whole server's: in a consortium they must not open an
    # organisation's schema, only its own role (which its logins also hold) may.
    users = organisation_role(schema) if organisation else everyone
    keepers = f"{FIRST}, {SECOND}, {CHAMPION}"
    records = ", ".join(f"{schema}.{t}" for t in RECORD_TABLES)
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        for role in ROLES
    ]
    sql += [
        f"GRANT USAGE ON SCHEMA {schema} TO {users}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {everyone}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {everyone}",
        # The audit trail is append-only for every login: no UPDATE, DELETE, TRUNCATE.
        f"GRANT INSERT ON {schema}.audit_event, {schema}.board_pack TO {everyone}",
        f"GRANT INSERT, UPDATE, DELETE ON {records} TO {keepers}",
        f"GRANT INSERT, UPDATE, DELETE ON {schema}.challenge, {schema}.review TO {SECOND}",
        f"GRANT UPDATE ON {schema}.challenge TO {FIRST}, {CHAMPION}",
        f"GRANT INSERT, UPDATE ON {schema}.review TO {THIRD}",  # 3rd line records assurance
        f"GRANT INSERT, UPDATE ON {schema}.org_profile, {schema}.setting TO {SECOND}, {CHAMPION}",
        *_functions(schema),
    ]
    for table, rules in _policies(schema).items():
        sql.append(f"ALTER TABLE {schema}.{table} ENABLE ROW LEVEL SECURITY")
        for name, command, roles, using, check in rules:
            sql.append(f"DROP POLICY IF EXISTS {name} ON {schema}.{table}")
            clause = f" USING ({using})" if using else ""
            clause += f" WITH CHECK ({check})" if check else ""
            sql.append(f"CREATE POLICY {name} ON {schema}.{table} FOR {command} TO {roles}{clause}")
    return sql


def install_roles(conn: Connection) -> list[str]:
    """Create (or bring up to date) the four roles, their grants and policies on the
    register in this connection's schema (``public``, or an organisation's)."""
    schema = str(conn.execute(text("SELECT current_schema()")).scalar())
    organisation = conn.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
        {"role": organisation_role(schema)},
    ).first()
    for statement in _role_sql(schema, organisation is not None):
        conn.execute(text(statement))
    return list(ROLES)


# --- a consortium: one database, one schema (register) per organisation -------------------


def organisation_role(organisation: str) -> str:
    return f"{ORG_ROLE_PREFIX}{organisation}"


def check_organisation(organisation: str) -> str:
    if not IDENTIFIER.fullmatch(organisation) or organisation in ("public", "pg_catalog"):
        raise StoreError(
            f"{organisation!r} cannot name an organisation: use lower-case letters, digits "
            "and _ (starting with a letter, at most 41 characters)."
        )
    return organisation


def create_organisation(conn: Connection, organisation: str) -> str:
    """The organisation's schema and the role whose members alone may use it; nobody
    else (not PUBLIC) gets USAGE on it, so no other organisation's login can read it."""
    schema = check_organisation(organisation)
    role = organisation_role(schema)
    conn.execute(
        text(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
    )
    conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    conn.execute(text(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
    return role


def with_search_path(url: str, schema: str) -> str:
    """The URL of an organisation's register: connections use its schema first."""
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


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
