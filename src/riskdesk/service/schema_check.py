"""``check`` step 2: the file's tables, indexes, triggers and views against riskdesk's.

What riskdesk's migrations create is shipped beside this module
(``expected_schema.json``, for the head revision it was made at), so ``check`` does not
run every migration into a scratch database each time. When the register is at another
revision (a migration added since the file was written), it is computed afresh as
before. ``tests/test_schema_check.py`` fails when the shipped file no longer equals a
fresh migration; rewrite it with ``python -m riskdesk.service.schema_check``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, text

from riskdesk.service.record_audit import Problem
from riskdesk.store.db import head_revision
from riskdesk.store.schema_objects import SchemaObject, expected_schema, schema_objects

SHIPPED = "expected_schema.json"


def shipped_schema() -> tuple[str, dict[str, SchemaObject]]:
    """(the revision it was made at, the schema), as shipped with riskdesk."""
    raw = json.loads(resources.files(__package__).joinpath(SHIPPED).read_text("utf-8"))
    objects = {name: (obj[0], obj[1], obj[2]) for name, obj in raw["objects"].items()}
    return str(raw["revision"]), objects


def expected_for(conn: Connection) -> dict[str, SchemaObject]:
    """riskdesk's schema at the register's revision (opening a register brings it to
    this riskdesk's head, or refuses)."""
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    try:
        shipped_revision, objects = shipped_schema()
    except (OSError, ValueError, KeyError, IndexError):
        return expected_schema()
    return objects if revision == shipped_revision else expected_schema()


def schema_problems(conn: Connection) -> list[Problem]:
    expected, actual = expected_for(conn), schema_objects(conn)
    problems: list[Problem] = []
    for name in sorted(set(actual) - set(expected)):
        kind, table, _sql = actual[name]
        on = f" on {table}" if kind in ("trigger", "index") else ""
        problems.append(
            Problem(
                "schema",
                f"{kind} {name}{on} is not part of riskdesk's schema (added behind the "
                f"application's back; a trigger or view can change what riskdesk reads "
                f"and writes)",
            )
        )
    for name in sorted(set(expected) - set(actual)):
        problems.append(Problem("schema", f"{expected[name][0]} {name} is missing"))
    for name in sorted(set(expected) & set(actual)):
        if expected[name] != actual[name]:
            problems.append(
                Problem(
                    "schema",
                    f"{actual[name][0]} {name}'s definition differs from riskdesk's "
                    "(changed behind the application's back)",
                )
            )
    return problems


def write_shipped(path: Path) -> None:
    """Write the schema a fresh migration creates, for the current head revision."""
    objects = {name: list(obj) for name, obj in sorted(expected_schema().items())}
    data = {"revision": head_revision(), "objects": objects}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_shipped(Path(__file__).with_name(SHIPPED))
