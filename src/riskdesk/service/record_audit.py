"""Every record against its last audited state, a batch at a time (``integrity`` step 6).

Split from ``integrity`` (issue 19), which re-exports ``Problem``, ``key_text`` and
``record_label``. The service writes each record's full state into its event's
``after``; a record edited, added or deleted behind the application's back no longer
matches. Only the fields an event recorded are compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select, text, tuple_

from riskdesk.service import audit, record_sql
from riskdesk.service.register import LINK_KEYS, table_of
from riskdesk.store.models import AuditEvent

NAME_FIELDS = ("name", "title", "question", "key")
EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
_BATCH = 2000  # records read and compared at a time (bounded memory at 100,000 uses)


@dataclass(frozen=True)
class Problem:
    kind: str  # "file", "schema", "chain", "anchor", "pack", "record" or "derived"
    message: str
    event_id: int | None = None
    entity: str = ""
    entity_id: str = ""

    def __str__(self) -> str:
        return self.message


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


def _last_events(conn: Connection, entity: str) -> dict[str, tuple[int, str]]:
    """entity_id -> (event id, action) of each record's latest event.

    Without the ``after`` texts (issue 19): at 100,000 uses those held every record's
    full audited state at once; ``_afters`` reads them a batch of records at a time.
    """
    latest = (
        select(func.max(EVENTS.c.id).label("id"))
        .where(EVENTS.c.entity == entity)
        .group_by(EVENTS.c.entity_id)
        .subquery()
    )
    stmt = select(EVENTS.c.id, EVENTS.c.entity_id, EVENTS.c.action).join(
        latest, latest.c.id == EVENTS.c.id
    )
    return {r.entity_id: (r.id, r.action) for r in conn.execute(stmt)}


def _afters(conn: Connection, event_ids: list[int]) -> dict[int, str]:
    """event id -> its ``after`` text, for one batch of records."""
    out: dict[int, str] = {}
    for start in range(0, len(event_ids), _BATCH):
        chunk = event_ids[start : start + _BATCH]
        stmt = select(EVENTS.c.id, EVENTS.c.after).where(EVENTS.c.id.in_(chunk))
        out.update((r.id, r.after) for r in conn.execute(stmt))
    return out


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _record_problems(conn: Connection, entity: str, limit: int) -> tuple[int, list[Problem]]:
    """(records in the table, up to ``limit`` problems: records first, in primary-key
    order, then audited records missing from the table)."""
    table = table_of(entity)
    if conn.dialect.name == "sqlite":
        quote = conn.dialect.identifier_preparer.quote
        canon = record_sql.canonical_sql(table, quote)
        keys = record_sql.key_sql(entity, table, quote)
        if canon is not None and keys is not None:
            return _sqlite_problems(conn, entity, table, canon, keys, limit)
    return _python_problems(conn, entity, limit)


def _sqlite_problems(
    conn: Connection, entity: str, table: Table, canon: str, keys: tuple[str, str], limit: int
) -> tuple[int, list[Problem]]:
    """SQLite picks the records whose text is not their last ``after``
    (``record_sql``); only those are compared in Python, exactly as elsewhere."""
    quote = conn.dialect.identifier_preparer.quote
    pk = [c.name for c in table.primary_key.columns]
    count = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
    stmt = text(record_sql.candidates_sql(table, pk, canon, keys[0], quote))
    suspects = [tuple(r) for r in conn.execute(stmt, {"entity": entity})]
    problems: list[Problem] = []
    for start in range(0, len(suspects), _BATCH):
        if len(problems) >= limit:
            break
        chunk = suspects[start : start + _BATCH]
        columns = [table.c[name] for name in pk]
        where = (
            columns[0].in_([k[0] for k in chunk]) if len(pk) == 1 else tuple_(*columns).in_(chunk)
        )
        result = conn.execute(select(table).where(where).order_by(*columns))
        names = list(result.keys())
        records = [dict(zip(names, row, strict=True)) for row in result]
        found = _latest_of(conn, entity, [key_text(entity, r) for r in records])
        problems += _judge(entity, records, found, limit - len(problems))
    missing = text(record_sql.missing_sql(table, keys[1], quote))
    for key, event_id in conn.execute(missing, {"entity": entity}):
        if len(problems) >= limit:
            break
        problems.append(
            _missing(entity, key, event_id, _afters(conn, [event_id]).get(event_id, ""))
        )
    return count, problems


def _latest_of(conn: Connection, entity: str, keys: list[str]) -> dict[str, tuple[int, str, str]]:
    """key -> (id, action, after) of the latest event of each of ``keys``."""
    latest = (
        select(func.max(EVENTS.c.id))
        .where(EVENTS.c.entity == entity, EVENTS.c.entity_id.in_(keys))
        .group_by(EVENTS.c.entity_id)
        .scalar_subquery()
    )
    stmt = select(EVENTS.c.entity_id, EVENTS.c.id, EVENTS.c.action, EVENTS.c.after).where(
        EVENTS.c.id.in_(latest)
    )
    return {r.entity_id: (r.id, r.action, r.after) for r in conn.execute(stmt)}


def _judge(
    entity: str,
    records: list[dict[str, Any]],
    events: Mapping[str, tuple[int, str, str]],
    room: int,
) -> list[Problem]:
    """Up to ``room`` problems of ``records`` against their latest events."""
    problems: list[Problem] = []
    for record in records:
        if len(problems) >= room:
            break
        key = key_text(entity, record)
        event = events.get(key)
        if event is not None and event[1] != "delete" and audit.canonical(record) == event[2]:
            # The record as the trail would write it is the audited text itself:
            # every field matches (the usual case), no need to compare field by field.
            continue
        problems += _record_problem(entity, key, record, event)
    return problems[:room]


def _missing(entity: str, key: str, event_id: int, after: str) -> Problem:
    try:
        audited = json.loads(after) if after else {}
    except ValueError:
        audited = {}
    return Problem(
        "record",
        f"{record_label(entity, key, audited)}: audited as present (event {event_id}) "
        "but missing from the register (deleted behind the application's back)",
        event_id,
        entity,
        key,
    )


def _python_problems(conn: Connection, entity: str, limit: int) -> tuple[int, list[Problem]]:
    """Every record read and compared in Python (PostgreSQL, or a column type with no
    exact SQL form)."""
    events = _last_events(conn, entity)
    table = table_of(entity)
    problems: list[Problem] = []
    seen: set[str] = set()
    count = 0
    result = conn.execute(select(table).order_by(*table.primary_key.columns))
    names = list(result.keys())  # zipped with plain tuples: a RowMapping per row cost more
    for batch in _batches(result.yield_per(_BATCH), _BATCH):
        records = [dict(zip(names, row, strict=True)) for row in batch]
        count += len(records)
        if len(problems) >= limit:
            continue
        keys = [key_text(entity, record) for record in records]
        seen.update(keys)
        afters = _afters(conn, [events[k][0] for k in keys if k in events])
        found = {
            k: (events[k][0], events[k][1], afters.get(events[k][0], ""))
            for k in keys
            if k in events
        }
        problems += _judge(entity, records, found, limit - len(problems))
    for key, (event_id, action) in events.items():
        if len(problems) >= limit:
            break
        if key in seen or action == "delete":
            continue
        problems.append(
            _missing(entity, key, event_id, _afters(conn, [event_id]).get(event_id, ""))
        )
    return count, problems


def _record_problem(
    entity: str, key: str, record: dict[str, Any], event: tuple[int, str, str] | None
) -> list[Problem]:
    """What is wrong with one record whose text is not its last audited ``after``."""
    label = record_label(entity, key, record)
    if event is None:
        return [
            Problem(
                "record",
                f"{label}: exists but has no audit event (added behind the application's back)",
                None,
                entity,
                key,
            )
        ]
    event_id, action, after = event
    if action == "delete":
        return [
            Problem(
                "record",
                f"{label}: exists but its last audited state is a delete (event "
                f"{event_id}); it was put back behind the application's back",
                event_id,
                entity,
                key,
            )
        ]
    try:
        audited = json.loads(after) if after else {}
    except ValueError:
        audited = {}
    current = _normal(record)
    fields = _differing(current, audited)
    if not fields:
        return []
    changed = ", ".join(f"{f} ({_short(audited[f])} → {_short(current[f])})" for f in fields)
    return [
        Problem(
            "record",
            f"{record_label(entity, key, audited)}: current content differs from its "
            f"last audited state (event {event_id}): {changed}",
            event_id,
            entity,
            key,
        )
    ]
