"""The append-only, hash-chained audit trail.

Each event's hash is SHA-256 over the previous event's hash and the event's own
canonical content, so editing, deleting or inserting an event breaks the chain from
that point on (``verify_chain``). ``after`` holds the record's full state, so a record
edited behind the application's back no longer matches its last audited state.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, insert, select
from sqlmodel import col

from riskdesk.store.db import stash_anchor
from riskdesk.store.models import AuditEvent
from riskdesk.store.postgres import lock_writers

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot audit value of type {type(value).__name__}")


def canonical(data: Mapping[str, Any] | None) -> str:
    """Stable JSON text: sorted keys, no spaces, dates as ISO strings."""
    if data is None:
        return ""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False
    )


# One encoder for every event: ``json.dumps`` with options builds a new one per call.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def event_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str,
    after: str,
) -> str:
    content = _ENCODE([at, actor, action, entity, entity_id, before, after])
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def at_text(at: dt.datetime) -> str:
    """An event's time as the chain hashes it: UTC, to the second, ISO 8601."""
    return _at_text(at)


def _at_text(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="seconds")


@dataclass
class PendingEvent:
    action: str
    entity: str
    entity_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def last_hash(conn: Connection) -> str:
    row = conn.execute(
        select(col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    return row[0] if row else GENESIS


def append(
    conn: Connection, actor: str, events: Iterable[PendingEvent], at: dt.datetime | None = None
) -> str:
    """Append events to the chain inside the caller's transaction; returns the head."""
    when = (at or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    when_text = _at_text(when)
    if conn.dialect.name == "postgresql":
        # Writers already hold it (the service's "BEGIN IMMEDIATE"); any other caller
        # must not read the head while another transaction is about to append after it.
        lock_writers(conn)
    prev = last_hash(conn)
    rows: list[dict[str, Any]] = []
    for ev in events:
        before, after = canonical(ev.before), canonical(ev.after)
        digest = event_hash(
            prev, when_text, actor, ev.action, ev.entity, ev.entity_id, before, after
        )
        rows.append(
            {
                "at": when,
                "actor": actor,
                "action": ev.action,
                "entity": ev.entity,
                "entity_id": ev.entity_id,
                "before": before,
                "after": after,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    if rows:
        conn.execute(insert(AuditEvent), rows)
        # Once this transaction commits, this machine notes the new head outside the
        # register, so a later truncation or rewrite of the chain is noticed here.
        stash_anchor(conn, prev)
    return prev


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit event {self.event_id}: {self.reason}"


def iter_events(conn: Connection, batch: int = 5000) -> Iterator[Row[Any]]:
    """Every event, oldest first, as plain rows (``ev.id``, ``ev.hash`` …).

    Read in keyset batches, so memory stays bounded however long the chain; plain rows
    rather than ``AuditEvent`` objects, whose construction cost more than the hashing.
    """
    last_id = 0
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    while True:
        rows = conn.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


# (id, time as the chain hashes it, actor, action, entity, entity_id, before, after,
# prev_hash, hash)
ChainRow = tuple[int, str, str, str, str, str, str, str, str, str]

# SQLite keeps times as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): the hashed text is a slice of
# it. Any other spelling is NULL here and read through the column's type instead.
_STORED_AT = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
_SQLITE_CHAIN = (
    f"SELECT id, CASE WHEN at GLOB '{_STORED_AT}.{'[0-9]' * 6}' OR at GLOB '{_STORED_AT}' "
    "THEN substr(at, 1, 10) || 'T' || substr(at, 12, 8) END, "
    "actor, action, entity, entity_id, before, after, prev_hash, hash "
    "FROM audit_event ORDER BY id"
)


def chain_rows(conn: Connection) -> Iterator[ChainRow]:
    """Every event, oldest first, as a plain tuple with its time as the chain hashes it.

    On SQLite one streamed cursor (bounded memory), no SQLAlchemy rows: at 100,000 uses
    the chain is 600,000 events and per-row overhead was most of verifying it.
    """
    if conn.dialect.name != "sqlite":
        for ev in iter_events(conn):
            yield (
                ev.id, _at_text(ev.at), ev.actor, ev.action, ev.entity, ev.entity_id,
                ev.before, ev.after, ev.prev_hash, ev.hash,
            )  # fmt: skip
        return
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_SQLITE_CHAIN)
        for row in cursor:
            if row[1] is None:  # an unusual spelling: as SQLAlchemy reads it
                at = conn.execute(select(table.c.at).where(table.c.id == row[0])).scalar()
                row = (row[0], _at_text(at) if at is not None else None, *row[2:])
            yield row
    finally:
        cursor.close()


def verify_chain(conn: Connection) -> tuple[str, ChainProblem | None]:
    """Walk the chain; return the head hash and the first broken event (if any)."""
    prev = GENESIS
    for (
        event_id,
        at,
        actor,
        action,
        entity,
        entity_id,
        before,
        after,
        prev_hash,
        digest,
    ) in chain_rows(conn):
        if prev_hash != prev:
            return prev, ChainProblem(
                event_id,
                "does not follow the event before it (an event was deleted, inserted or reordered)",
            )
        if digest != event_hash(prev, at, actor, action, entity, entity_id, before, after):
            return prev, ChainProblem(event_id, "its content was altered after it was written")
        prev = digest
    return prev, None
