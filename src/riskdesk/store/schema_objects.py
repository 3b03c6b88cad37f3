"""The schema objects of a SQLite register, spelled one way, and what riskdesk's own
migrations create (``check`` names anything else)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, text

SchemaObject = tuple[str, str, str]  # (type, table it belongs to, CREATE statement)


def schema_objects(conn: Connection) -> dict[str, SchemaObject]:
    """Every table, index, trigger and view in the file, by name (SQLite's own
    ``sqlite_*`` objects aside: they cannot be created by a user)."""
    rows = conn.execute(
        text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    )
    return {r.name: (r.type, r.tbl_name, _canonical_sql(r.sql or "")) for r in rows}


_CONSTRAINT = ("FOREIGN KEY", "UNIQUE", "CHECK", "PRIMARY KEY", "CONSTRAINT")


def _canonical_sql(sql: str) -> str:
    """One spelling of a CREATE statement: whitespace collapsed and a table's
    constraint clauses sorted. Alembic's batch mode rebuilds a table with its foreign
    keys in set order, which differs from run to run; columns keep their order."""
    sql = " ".join(sql.split())
    head, sep, rest = sql.partition("(")
    if not sep or not head.upper().startswith("CREATE TABLE") or not rest.endswith(")"):
        return sql
    parts, depth, start = [], 0, 0
    body = rest[:-1]
    for i, ch in enumerate(body):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    columns = [p for p in parts if not p.upper().startswith(_CONSTRAINT)]
    constraints = sorted(p for p in parts if p.upper().startswith(_CONSTRAINT))
    return f"{head}({', '.join(columns + constraints)})"


@lru_cache(maxsize=1)
def expected_schema() -> dict[str, SchemaObject]:
    """What riskdesk's own migrations create: a fresh in-memory register's schema.

    ``check`` compares a file against it, so a trigger, view, table or index added
    behind riskdesk's back — or a table redefined — is named. Migrations apply the same
    statements to an old file as to a new one, so an upgraded register matches too.
    """
    from riskdesk.store.db import open_register  # db opens registers; this reads them

    register = open_register("sqlite://")
    try:
        with register.engine.connect() as conn:
            return schema_objects(conn)
    finally:
        register.dispose()
