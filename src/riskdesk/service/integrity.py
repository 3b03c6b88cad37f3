"""Is this the register the audit trail describes? And what happened to each record?

``check_register`` runs three checks, cheapest first, and names each problem precisely:

1. SQLite's own ``PRAGMA integrity_check`` (a damaged file);
2. the hash chain (``audit.verify_chain``): an event edited, deleted, inserted or
   reordered breaks it from that event on;
3. every record against its last audited state: the service writes each record's full
   state into the event's ``after``, so a record edited, added or deleted behind the
   application's back (direct SQL) no longer matches — and deleting the *last* events
   of the chain, which the chain alone cannot see, leaves records with no matching
   event.

Only the fields an event recorded are compared: a later migration that adds a column
must not make every record look tampered with. A migration that rewrites data must
write audit events for it.

``record_history`` reads the same trail for the GUI's History view: who changed what,
when, field by field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from riskdesk.service import audit
from riskdesk.service.register import LINK_KEYS, MODELS, RegisterService, table_of
from riskdesk.store.db import Register
from riskdesk.store.models import AuditEvent

# Every table the service writes (and so audits); the trail itself is not audited.
AUDITED: tuple[str, ...] = tuple(e for e in MODELS if e != "audit_event")
NAME_FIELDS = ("name", "title", "question", "key")
EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Problem:
    kind: str  # "file", "chain" or "record"
    message: str
    event_id: int | None = None
    entity: str = ""
    entity_id: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass
class IntegrityReport:
    problems: list[Problem] = field(default_factory=list)
    chain_head: str = audit.GENESIS
    events: int = 0
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"OK: {self.records:,} records match their audited state; "
                f"{self.events:,} audit events, chain head {self.chain_head}"
            )
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        return f"FAILED: {self.problems[0]}{tail}"


def key_text(entity: str, row: Mapping[str, Any]) -> str:
    """A record's key as the audit trail writes it (``UnitOfWork._log``)."""
    if entity in LINK_KEYS:
        a, b = LINK_KEYS[entity]
        return f"{row[a]}:{row[b]}"
    if entity == "setting":
        return str(row["key"])
    return str(row["id"])


def record_label(entity: str, key: str, record: Mapping[str, Any] | None) -> str:
    """``ai_use 3 ("Essay grading assistant")`` — how problems name a record."""
    for name_field in NAME_FIELDS:
        value = (record or {}).get(name_field)
        if value and name_field != "key":
            short = str(value) if len(str(value)) <= 60 else str(value)[:57] + "…"
            return f'{entity} {key} ("{short}")'
    return f"{entity} {key}"


def _normal(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as the audit trail would write it, read back as plain JSON values."""
    loaded: dict[str, Any] = json.loads(audit.canonical(record))
    return loaded


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "…"


def _differing(current: Mapping[str, Any], audited: Mapping[str, Any]) -> list[str]:
    # Only the fields the event recorded: a column added by a later migration is not a
    # change; a column dropped by one is not either.
    return sorted(k for k in audited if k in current and current[k] != audited[k])


def _sqlite_problems(conn: Connection) -> list[Problem]:
    rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).all()]
    if rows == ["ok"]:
        return []
    first = rows[0] if rows else "no answer"
    return [Problem("file", f"SQLite integrity check failed: {first}")]


def _describe_event(conn: Connection, event_id: int) -> str:
    row = conn.execute(select(EVENTS).where(EVENTS.c.id == event_id)).mappings().first()
    if row is None:
        return f"audit event {event_id}"
    at = row["at"].isoformat(sep=" ") if isinstance(row["at"], dt.datetime) else row["at"]
    return (
        f"audit event {event_id} ({row['action']} {row['entity']} {row['entity_id']}, "
        f"{at} by {row['actor'] or 'unknown'})"
    )


def _chain_problems(conn: Connection) -> tuple[str, list[Problem]]:
    head, broken = audit.verify_chain(conn)
    if broken is None:
        return head, []
    message = f"{_describe_event(conn, broken.event_id)}: {broken.reason}"
    return head, [Problem("chain", message, broken.event_id)]


def _last_events(conn: Connection, entity: str) -> dict[str, tuple[int, str, str]]:
    """entity_id -> (event id, action, after) of each record's latest event."""
    latest = (
        select(func.max(EVENTS.c.id).label("id"))
        .where(EVENTS.c.entity == entity)
        .group_by(EVENTS.c.entity_id)
        .subquery()
    )
    stmt = select(EVENTS.c.id, EVENTS.c.entity_id, EVENTS.c.action, EVENTS.c.after).join(
        latest, latest.c.id == EVENTS.c.id
    )
    return {r.entity_id: (r.id, r.action, r.after) for r in conn.execute(stmt)}


def _record_problems(conn: Connection, entity: str, limit: int) -> tuple[int, list[Problem]]:
    events = _last_events(conn, entity)
    table = table_of(entity)
    problems: list[Problem] = []
    seen: set[str] = set()
    count = 0
    for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings():
        count += 1
        if len(problems) >= limit:
            continue
        key = key_text(entity, row)
        seen.add(key)
        label = record_label(entity, key, row)
        event = events.get(key)
        if event is None:
            problems.append(
                Problem(
                    "record",
                    f"{label}: exists but has no audit event (added behind the application's back)",
                    None,
                    entity,
                    key,
                )
            )
            continue
        event_id, action, after = event
        if action == "delete":
            problems.append(
                Problem(
                    "record",
                    f"{label}: exists but its last audited state is a delete (event "
                    f"{event_id}); it was put back behind the application's back",
                    event_id,
                    entity,
                    key,
                )
            )
            continue
        try:
            audited = json.loads(after) if after else {}
        except ValueError:
            audited = {}
        current = _normal(dict(row))
        fields = _differing(current, audited)
        if fields:
            changed = ", ".join(
                f"{f} ({_short(audited[f])} → {_short(current[f])})" for f in fields
            )
            problems.append(
                Problem(
                    "record",
                    f"{record_label(entity, key, audited)}: current content differs from its "
                    f"last audited state (event {event_id}): {changed}",
                    event_id,
                    entity,
                    key,
                )
            )
    for key, (event_id, action, after) in events.items():
        if len(problems) >= limit:
            break
        if key in seen or action == "delete":
            continue
        try:
            audited = json.loads(after) if after else {}
        except ValueError:
            audited = {}
        problems.append(
            Problem(
                "record",
                f"{record_label(entity, key, audited)}: audited as present (event {event_id}) "
                "but missing from the register (deleted behind the application's back)",
                event_id,
                entity,
                key,
            )
        )
    return count, problems


def check_register(register: Register, *, limit: int = 100) -> IntegrityReport:
    """Run every check; collect up to ``limit`` problems per stage, first problem first."""
    report = IntegrityReport()
    try:
        with register.engine.connect() as conn:
            if register.is_sqlite:
                report.problems += _sqlite_problems(conn)
                if report.problems:  # a damaged file: reading further may mislead
                    return report
            count = conn.execute(select(func.count()).select_from(EVENTS)).scalar()
            report.events = int(count or 0)
            report.chain_head, chain = _chain_problems(conn)
            report.problems += chain
            for entity in AUDITED:
                records, found = _record_problems(conn, entity, limit)
                report.records += records
                report.problems += found
            # Evidence files (issue 18): each blob against the SHA-256 it is stored under.
            from riskdesk.service.evidence import blob_problems

            for blob in blob_problems(conn, limit):
                report.problems.append(
                    Problem("evidence", str(blob), None, "evidence", str(blob.evidence_id))
                )
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        report.problems.append(Problem("file", f"The register could not be read: {reason}"))
    return report


def chain_head(service: RegisterService) -> str:
    """The hash of the newest audit event (what the board pack prints)."""
    with service.engine.connect() as conn:
        return audit.last_hash(conn)


# --- history of one record --------------------------------------------------------------


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
