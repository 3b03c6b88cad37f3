"""The history of one record, field by field, read from the audit trail (the GUI's
History view). Split from ``integrity`` (issue 19), which re-exports it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from riskdesk.service.register import RegisterService
from riskdesk.store.models import AuditEvent

EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    event_id: int
    at: dt.datetime
    actor: str
    action: str  # create / update / delete
    changes: list[FieldChange]


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[FieldChange]:
    """Field-level differences; a create lists its non-empty fields, a delete its last."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    out: list[FieldChange] = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if not before and new in (None, "", False, 0):
            continue  # a create: skip empty defaults, they say nothing
        if not after and old in (None, "", False, 0):
            continue
        out.append(FieldChange(key, old, new))
    return out


def record_history(service: RegisterService, entity: str, key: Any) -> list[HistoryEntry]:
    """Every audited change to one record, oldest first."""
    key_str = ":".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
    stmt = (
        select(EVENTS)
        .where(EVENTS.c.entity == entity, EVENTS.c.entity_id == key_str)
        .order_by(EVENTS.c.id)
    )
    out: list[HistoryEntry] = []
    with service.engine.connect() as conn:
        for row in conn.execute(stmt).mappings():
            before = json.loads(row["before"]) if row["before"] else None
            after = json.loads(row["after"]) if row["after"] else None
            out.append(
                HistoryEntry(
                    row["id"],
                    row["at"],
                    row["actor"],
                    row["action"],
                    field_changes(before, after),
                )
            )
    return out
