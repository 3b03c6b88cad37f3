"""Team registers: moving a register between a file and a PostgreSQL server.

``copy_register`` copies every row of every table — the audit trail's events
verbatim, ids included — in one transaction on the target, then verifies the target
as ``riskdesk check`` would: the chain must be intact and end at the source's head.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func, insert, inspect, select, text
from sqlmodel import SQLModel

import riskdesk.store.models  # noqa: F401  (registers the tables on the metadata)
from riskdesk import enums
from riskdesk.service import audit
from riskdesk.service.errors import ConflictError, NotFoundError, RightsError, ServiceError
from riskdesk.store import postgres
from riskdesk.store.db import Register

if TYPE_CHECKING:  # register.py imports this module
    from riskdesk.service.register import ActionResult, RegisterService

CHUNK = 1000


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    events: int = 0
    chain_head: str = audit.GENESIS


def _tables(conn: Connection) -> list[Table]:
    """The register's tables, parents before children (foreign keys hold on insert)."""
    present = set(inspect(conn).get_table_names())
    return [t for t in SQLModel.metadata.sorted_tables if t.name in present]


def _non_empty(conn: Connection, tables: list[Table]) -> list[str]:
    return [t.name for t in tables if conn.execute(select(func.count()).select_from(t)).scalar()]


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL hands out ids from a sequence that copied rows did not advance."""
    for table in tables:
        id_col = table.c.get("id")
        if id_col is None or not id_col.primary_key or not id_col.autoincrement:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def copy_register(source: Register, target: Register) -> CopyReport:
    """Copy ``source`` into the empty register ``target`` (both at the current schema);
    raises ``ConflictError`` (nothing copied) if the target holds anything, and
    ``ServiceError`` if the copied chain does not end at the source's head (then the
    copy is rolled back) or the target then fails ``check``."""
    from riskdesk.service.integrity import check_register

    report = CopyReport()
    with source.engine.connect() as src, src.begin():
        tables = _tables(src)
        source_head, problem = audit.verify_chain(src)
        if problem is not None:
            raise ServiceError(
                f"{source.display_name}: {problem}. Copy refused: run riskdesk check."
            )
        with target.engine.connect() as raw:
            dst = raw.execution_options(immediate=True)
            with dst.begin() as transaction:
                busy = _non_empty(dst, _tables(dst))
                if busy:
                    raise ConflictError(
                        f"{target.display_name} is not empty (it has {', '.join(busy[:5])}); "
                        "copy only into a new register. Nothing was copied."
                    )
                for table in tables:
                    count = 0
                    order = list(table.primary_key.columns)
                    result = src.execution_options(yield_per=CHUNK).execute(
                        select(table).order_by(*order)
                    )
                    for part in result.mappings().partitions(CHUNK):
                        dst.execute(insert(table), [dict(r) for r in part])
                        count += len(part)
                    report.rows[table.name] = count
                if dst.dialect.name == "postgresql":
                    _reset_sequences(dst, tables)
                head, problem = audit.verify_chain(dst)
                if problem is not None or head != source_head:
                    transaction.rollback()
                    raise ServiceError(
                        f"The copy's audit chain does not match the source's ({problem or head})"
                        "; nothing was kept."
                    )
    report.chain_head = source_head
    report.events = report.rows.get("audit_event", 0)
    checked = check_register(target, remember=True)
    if not checked.ok or checked.chain_head != source_head:
        raise ServiceError(
            f"The copy in {target.display_name} does not verify: {checked.problems[0]}"
            if checked.problems
            else f"The copy in {target.display_name} ends at a different chain head."
        )
    return report


# --- identity and rights: the service mirrors what the server enforces ------------------

LINE_NAMES = {
    postgres.FIRST: "1st line",
    postgres.SECOND: "2nd line",
    postgres.THIRD: "3rd line",
    postgres.CHAMPION: "AI champion",
}
# What each role may change besides challenges (which have their own rule below).
MAY_CHANGE = {
    postgres.FIRST: set(postgres.RECORD_TABLES),
    postgres.CHAMPION: {*postgres.RECORD_TABLES, "org_profile", "setting"},
    postgres.SECOND: {*postgres.RECORD_TABLES, "org_profile", "setting", "review"},
    postgres.THIRD: {"review"},
}


# Which person of the register each database login is: {"login": person id}.
LOGINS_SETTING = postgres.LOGINS_KEY


@dataclass(frozen=True)
class Identity:
    """Who is signed in to a team register: the login (the audit actor), its role and
    the register's person it was mapped to (``riskdesk team map``)."""

    login: str
    role: str | None  # None: the database's owner or an administrator
    person: str | None = None
    person_id: int | None = None

    @property
    def line(self) -> str:
        return LINE_NAMES.get(self.role or "", "administrator")

    @property
    def signed_in(self) -> str:
        person = f"{self.person}, " if self.person else ""
        return f"{self.login} ({person}{self.line})"


def login_people(conn: Connection) -> dict[str, int]:
    raw = conn.execute(
        text("SELECT value FROM setting WHERE key = :key"), {"key": LOGINS_SETTING}
    ).scalar()
    loaded = json.loads(raw) if raw else {}
    return {str(k): int(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def actor_label(conn: Connection, actor: str) -> str:
    """An audit actor as people know them: "Ada Lovelace (ada)" once the login is mapped."""
    person_id = login_people(conn).get(actor)
    if person_id is None:
        return actor
    name = conn.execute(text("SELECT name FROM person WHERE id = :id"), {"id": person_id}).scalar()
    return f"{name} ({actor})" if name else actor


def identity(register: Register) -> Identity | None:
    """The login, role and person of a PostgreSQL register's connection; None for a file."""
    if register.is_sqlite:
        return None
    with register.engine.connect() as conn:
        login = postgres.current_login(conn)
        person_id = login_people(conn).get(login)
        person = (
            conn.execute(text("SELECT name FROM person WHERE id = :id"), {"id": person_id}).scalar()
            if person_id is not None
            else None
        )
        return Identity(login, postgres.team_role(conn), person, person_id)


def map_login(service: RegisterService, login: str, person_id: int) -> ActionResult:
    """Record that database login ``login`` is person ``person_id`` (audited, undoable)."""
    with service.action() as uow:
        if uow.row("person", person_id) is None:
            raise NotFoundError(f"Person {person_id} does not exist.")
        mapping = login_people(uow.conn)
        mapping[login] = person_id
        value = json.dumps(mapping, sort_keys=True)
        if uow.row("setting", LOGINS_SETTING) is None:
            uow.create("setting", {"key": LOGINS_SETTING, "value": value})
        else:
            uow.update("setting", LOGINS_SETTING, {"value": value})
        return uow.result


def _answers_only(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    return (
        before is not None
        and after is not None
        and before.get("status") != enums.ChallengeStatus.RESOLVED.value
        and after.get("status")
        in (enums.ChallengeStatus.OPEN.value, enums.ChallengeStatus.ANSWERED.value)
        and not after.get("resolution")
    )


def _use_of(conn: Connection | None, entity: str, row: Mapping[str, Any] | None) -> int | None:
    """The AI use a row belongs to (through its risk or incident for link rows)."""
    if row is None:
        return None
    if entity in postgres.VIA_PARENT:
        column, parent = postgres.VIA_PARENT[entity]
        if conn is None:
            return None
        found = conn.execute(
            text(f"SELECT use_id FROM {parent} WHERE id = :id"), {"id": row.get(column)}
        ).scalar()
        return int(found) if found is not None else None
    use = row.get("id") if entity == "ai_use" else row.get("use_id")
    return int(use) if use is not None else None


def _not_own_use(
    who: Identity,
    conn: Connection | None,
    entity: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> str | None:
    """Why a 1st-line login may not change this row of a use (None: it owns the use, or
    the row belongs to no use). Mirrors the server's ``rd_own_uses`` policies."""
    if entity not in {"ai_use", "challenge", *postgres.USE_ROWS, *postgres.VIA_PARENT}:
        return None
    for row in (before, after):
        if row is None:
            continue
        if entity == "ai_use":
            owner = row.get("owner_first_id")
        else:
            use = _use_of(conn, entity, row)
            if use is None:
                continue
            owner = (
                conn.execute(
                    text("SELECT owner_first_id FROM ai_use WHERE id = :id"), {"id": use}
                ).scalar()
                if conn is not None
                else None
            )
        if who.person_id is None or owner != who.person_id:
            mapped = "" if who.person_id is not None else " (this login is not mapped to a person)"
            return (
                "The 1st line changes only the AI uses it is the 1st-line owner of, and their "
                f"risks, incidents and challenges{mapped}; you are signed in as {who.signed_in}."
            )
    return None


def refusal(
    who: Identity | None,
    entity: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    conn: Connection | None = None,
) -> str | None:
    """Why ``who`` may not make this change (the server would refuse it too), or None.
    ``conn`` (the write's own connection) lets the 1st line's ownership be looked up."""
    if who is None or who.role is None:
        return None
    signed_in = f"you are signed in as {who.signed_in}"
    if entity == "audit_event":
        return f"Nobody changes the audit trail; {signed_in}."
    if entity == "board_pack" and before is None:
        return None  # anyone may export (and so record) a board pack
    if entity == "challenge":
        if who.role == postgres.SECOND:
            return None
        if who.role in (postgres.FIRST, postgres.CHAMPION) and _answers_only(before, after):
            return (
                _not_own_use(who, conn, entity, before, after)
                if who.role == postgres.FIRST
                else None
            )
        return (
            "Only the 2nd line raises, resolves or escalates a challenge (the 1st line "
            f"answers it); {signed_in}."
        )
    if entity not in MAY_CHANGE.get(who.role, set()):
        return f"The {who.line} may not change {entity.replace('_', ' ')} records; {signed_in}."
    if who.role == postgres.FIRST:
        return _not_own_use(who, conn, entity, before, after)
    return None


def check_rights(
    who: Identity | None,
    entity: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    conn: Connection | None = None,
) -> None:
    reason = refusal(who, entity, before, after, conn)
    if reason:
        raise RightsError(reason)


def init_team(register: Register) -> list[str]:
    """Make an open (so: migrated) PostgreSQL register a team register: the four roles
    with their grants and row-level security. Safe to run again after an upgrade."""
    if register.is_sqlite:
        raise ServiceError("A team register lives on a PostgreSQL server: give --db postgresql://…")
    with register.engine.connect() as raw:
        conn = raw.execution_options(immediate=True)
        with conn.begin():
            return postgres.install_roles(conn)


def init_organisation(url: str, organisation: str) -> str:
    """A consortium member's register: its own schema in the shared database, usable by
    the members of ``riskdesk_org_<organisation>`` only. Returns the register's URL (the
    database's, with the schema first on the search path) for ``open_register``, which
    migrates it; ``init_team`` then installs the line roles' rights in that schema."""
    from riskdesk.store.db import to_url

    engine = postgres.make_engine(to_url(url)[0])
    try:
        with engine.begin() as conn:
            postgres.create_organisation(conn, organisation)
    finally:
        engine.dispose()
    return postgres.with_search_path(url, organisation)
