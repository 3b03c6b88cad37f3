"""SQLite's side of ``record_audit``: which records may differ from their last audited
state, found in one statement per table instead of one JSON text per record in Python.

SQLite writes each record as the audit trail would (``audit.canonical``: sorted keys,
no spaces, dates as ISO text) and compares that text with the ``after`` of the record's
latest event. Only the records whose text differs — none, in a register nobody touched
behind riskdesk's back — go on to ``record_audit``'s exact comparison in Python.

So a text SQLite calls equal must mean Python finds nothing: every column's SQL form
decodes to the value Python reads from it. Where it might not (a value stored in a form
riskdesk never writes: a date that is not ``YYYY-MM-DD``, a Boolean that is not 0 or 1,
a float), the column's form is ``!``, which is not JSON, so the record goes to Python.
A column type with no such form here makes the whole table use the Python path.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table
from sqlalchemy.types import Enum, TypeDecorator

from riskdesk.service.entities import LINK_KEYS

_NOT_EXACT = "'!'"  # a form no JSON text contains as a value: the record goes to Python
_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_TIME = "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
_MICRO = "[0-9]" * 6
_MAX_ARGS = 100  # SQLite's default limit on a function's arguments is 127


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reads_as_impl(kind: TypeDecorator[object]) -> bool:
    """Does Python read this column as its underlying type would? sqlmodel's AutoString
    adds nothing on reading; its UTCDateTime reads naive text as UTC, so the canonical
    text is the stored seconds."""
    cls = type(kind)
    if cls.__module__ == "sqlmodel.sql.sqltypes" and cls.__name__ == "UTCDateTime":
        return isinstance(kind.impl, DateTime)
    return (
        cls.process_result_value is TypeDecorator.process_result_value
        and cls.result_processor is TypeDecorator.result_processor
    )


def _fragment(column: Column[object], quoted: str) -> str | None:
    """The column's value as ``audit.canonical`` writes it, or None (no exact form)."""
    kind: Any = column.type
    if isinstance(kind, TypeDecorator):
        if not _reads_as_impl(kind):
            return None
        kind = kind.impl
    c = quoted
    if isinstance(kind, Boolean):
        return (
            f"CASE WHEN {c} IS NULL THEN 'null' WHEN typeof({c}) = 'integer' AND {c} = 1 "
            f"THEN 'true' WHEN typeof({c}) = 'integer' AND {c} = 0 THEN 'false' "
            f"ELSE {_NOT_EXACT} END"
        )
    if isinstance(kind, DateTime):
        # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff'; the trail writes whole seconds. Any
        # other spelling (an offset, say) goes to Python, which reads it differently.
        return (
            f"CASE WHEN {c} IS NULL THEN 'null' WHEN {c} GLOB '{_DATE} {_TIME}.{_MICRO}' "
            f"OR {c} GLOB '{_DATE} {_TIME}' "
            f"THEN '\"' || substr({c}, 1, 10) || 'T' || substr({c}, 12, 8) || '\"' "
            f"ELSE {_NOT_EXACT} END"
        )
    if isinstance(kind, Date):
        return (
            f"CASE WHEN {c} IS NULL THEN 'null' WHEN {c} GLOB '{_DATE}' "
            f"THEN '\"' || {c} || '\"' ELSE {_NOT_EXACT} END"
        )
    if isinstance(kind, (Integer, String)) and not isinstance(kind, Enum):
        # Read back as stored: text and integers are exact in json_quote; a float's
        # text may be rounded and a blob is not JSON, so those go to Python.
        return (
            f"CASE typeof({c}) WHEN 'real' THEN {_NOT_EXACT} WHEN 'blob' THEN {_NOT_EXACT} "
            f"ELSE json_quote({c}) END"
        )
    return None


def canonical_sql(table: Table, quote: object) -> str | None:
    """SQL for the record's ``audit.canonical`` text, or None when a column has no
    exact SQL form (that table is compared in Python)."""
    keys: list[str] = []
    values: list[str] = []
    for column in sorted(table.columns, key=lambda c: c.name):
        fragment = _fragment(column, f"t.{quote(column.name)}")  # type: ignore[operator]
        if fragment is None:
            return None
        keys.append(json.dumps(column.name, ensure_ascii=False))
        values.append(fragment)
    if not values or any("%" in k for k in keys):
        return None
    if len(values) < _MAX_ARGS:
        # One printf builds the text at once; '||' copies it again for every column.
        form = "{" + ",".join(f"{k}:%s" for k in keys) + "}"
        return f"printf({_literal(form)}, {', '.join(values)})"
    parts = [f"{_literal(k + ':')} || {v}" for k, v in zip(keys, values, strict=True)]
    return "'{' || " + " || ',' || ".join(parts) + " || '}'"


def key_sql(entity: str, table: Table, quote: object) -> tuple[str, str] | None:
    """(the record's key as ``key_text`` writes it, an indexable match of ``t`` against
    an event's ``l.entity_id``), or None when the table has no key of these kinds."""
    q = quote  # identifier quoting of the connection's dialect

    def col(name: str) -> str:
        return f"t.{q(name)}"  # type: ignore[operator]

    if entity in LINK_KEYS:
        a, b = LINK_KEYS[entity]
        key = f"CAST({col(a)} AS TEXT) || ':' || CAST({col(b)} AS TEXT)"
        # Comparing an integer column with text converts the text: the primary key
        # index finds the row; the key text itself decides.
        colon = "instr(l.entity_id, ':')"
        match = (
            f"{col(a)} = substr(l.entity_id, 1, {colon} - 1) AND "
            f"{col(b)} = substr(l.entity_id, {colon} + 1) AND {key} = l.entity_id"
        )
        return key, match
    if entity == "setting" and "key" in table.columns:
        return col("key"), f"{col('key')} = l.entity_id"
    if "id" in table.columns and isinstance(table.columns["id"].type, Integer):
        key = f"CAST({col('id')} AS TEXT)"
        return key, f"{col('id')} = l.entity_id AND {key} = l.entity_id"
    return None


def candidates_sql(table: Table, pk: list[str], canon: str, key: str, quote: object) -> str:
    """Primary keys of the records that are not plainly their latest event's ``after``:
    no event, a delete, or a different text. In primary-key order."""
    name = quote(table.name)  # type: ignore[operator]
    keys = ", ".join(f"t.{quote(c)}" for c in pk)  # type: ignore[operator]
    latest = f"(SELECT max(id) FROM audit_event WHERE entity = :entity AND entity_id = {key})"
    return (
        f"SELECT {keys} FROM {name} AS t WHERE NOT EXISTS (SELECT 1 FROM audit_event AS e "
        f"WHERE e.id = {latest} AND e.action <> 'delete' AND e.after = {canon}) "
        f"ORDER BY {keys}"
    )


def missing_sql(table: Table, match: str, quote: object) -> str:
    """Records whose latest event is not a delete but which are not in the table:
    (entity_id, event id), oldest event first."""
    name = quote(table.name)  # type: ignore[operator]
    return (
        "SELECT l.entity_id, l.id FROM (SELECT entity_id, max(id) AS id FROM audit_event "
        "WHERE entity = :entity GROUP BY entity_id) AS l JOIN audit_event AS e ON e.id = l.id "
        f"WHERE e.action IS NOT 'delete' AND NOT EXISTS (SELECT 1 FROM {name} AS t "
        f"WHERE {match}) ORDER BY l.id"
    )
