"""What the board pack reads from the audit trail and the challenges: the chain head,
when each record was put on the register, the challenges with their uses' names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk.service import audit
from riskdesk.service.register import table_of
from riskdesk.store.models import AuditEvent

Row = dict[str, Any]


def chain(conn: Connection) -> tuple[str, int, int]:
    cols = AuditEvent.__table__.c  # type: ignore[attr-defined]
    last = conn.execute(select(cols.id, cols.hash).order_by(cols.id.desc()).limit(1)).first()
    count = int(conn.execute(select(func.count()).select_from(AuditEvent.__table__)).scalar() or 0)  # type: ignore[attr-defined]
    if last is None:
        return audit.GENESIS, 0, 0
    return str(last.hash), int(last.id), count


def created(conn: Connection, entity: str) -> dict[int, tuple[int, dt.datetime | None]]:
    """When each record of ``entity`` was put on the register: (audit event id, time).

    "Logged since the last pack" must include an incident logged after the pack but
    dated earlier, or it would never reach the board. The audit event id orders events
    exactly (times are kept to the second).
    """
    cols = AuditEvent.__table__.c  # type: ignore[attr-defined]
    stmt = (
        # type_: SQLite's min() would otherwise hand back the stored text, not a datetime.
        select(cols.entity_id, func.min(cols.id), func.min(cols.at, type_=cols.at.type))
        .where(cols.entity == entity, cols.action == "create")
        .group_by(cols.entity_id)
    )
    out: dict[int, tuple[int, dt.datetime | None]] = {}
    for entity_id, event_id, at in conn.execute(stmt):
        if str(entity_id).isdigit():
            out[int(entity_id)] = (int(event_id), at if isinstance(at, dt.datetime) else None)
    return out


def since(row: Row, created: dict[int, tuple[int, dt.datetime | None]], mark: int | None) -> bool:
    """Put on the register after the previous pack was issued (audit event ``mark``)."""
    found = created.get(row["id"])
    return mark is not None and found is not None and found[0] > mark


def challenges(conn: Connection) -> list[Row]:
    table, uses = table_of("challenge"), table_of("ai_use")
    stmt = (
        select(
            table.c.id,
            table.c.use_id,
            table.c.raised_on,
            table.c.resolved_on,
            table.c.status,
            table.c.question,
            table.c.severity,
            table.c.resolution,
            table.c.raised_by_id,
            uses.c.name.label("use_name"),
        )
        .select_from(table.join(uses, uses.c.id == table.c.use_id))
        .order_by(table.c.raised_on, table.c.id)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]
