"""One transaction's writes: validated, rights-checked and audited on one connection.

``RegisterService.action()`` opens the transaction and hands out a ``UnitOfWork``;
everything it changes is recorded (``ActionResult``) so undo can replay it backwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update

from riskdesk.fileformat.schema import table_of
from riskdesk.service import audit, team
from riskdesk.service.entities import LINK_KEYS, REFERENCES, entity_label, entity_title
from riskdesk.service.errors import (
    ConflictError,
    FieldProblem,
    NotFoundError,
    StaleRecordError,
    ValidationError,
)
from riskdesk.service.validation import (
    ACCEPTANCE_MAX_MONTHS_KEY,
    DEFAULT_ACCEPTANCE_MAX_MONTHS,
    acceptance_changed,
    acceptance_problems,
    check_record,
    coerce_values,
)
from riskdesk.store import models

if TYPE_CHECKING:
    from riskdesk.service.register import RegisterService


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class Change:
    """One row-level change, enough to undo it."""

    action: str  # create / update / delete
    entity: str
    key: Any  # id, or (a, b) for link tables
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class ActionResult:
    """What a user action changed, in order (undo replays it backwards)."""

    changes: list[Change] = field(default_factory=list)

    @property
    def created_id(self) -> Any:
        return next((c.key for c in self.changes if c.action == "create"), None)


class UnitOfWork:
    """One transaction: the service's write methods, audited, on one connection."""

    def __init__(self, service: RegisterService, conn: Connection) -> None:
        self.service = service
        self.conn = conn
        self.result = ActionResult()
        self._pending: list[audit.PendingEvent] = []
        self._id_cache: dict[str, set[int]] = {}
        self._config: Any = None

    # --- reading inside the transaction -------------------------------------------
    def row(self, entity: str, key: Any) -> dict[str, Any] | None:
        table = table_of(entity)
        stmt = select(table).where(*self._key_clause(entity, key))
        found = self.conn.execute(stmt).mappings().first()
        return dict(found) if found else None

    def exists(self, entity: str, key: int) -> bool:
        cache = self._id_cache.get(entity)
        if cache is not None:
            return key in cache
        return self.row(entity, key) is not None

    def preload_ids(self, *entities: str) -> None:
        """Bulk writers check references against an in-memory id set instead."""
        for entity in entities:
            col = table_of(entity).c.id
            self._id_cache[entity] = set(self.conn.execute(select(col)).scalars())

    def _key_clause(self, entity: str, key: Any) -> list[Any]:
        table = table_of(entity)
        if entity in LINK_KEYS:
            a, b = LINK_KEYS[entity]
            return [table.c[a] == key[0], table.c[b] == key[1]]
        if entity == "setting":
            return [table.c.key == key]
        return [table.c.id == key]

    def _key_of(self, entity: str, record: Mapping[str, Any]) -> Any:
        if entity in LINK_KEYS:
            a, b = LINK_KEYS[entity]
            return (record[a], record[b])
        if entity == "setting":
            return record["key"]
        return record["id"]

    def use_scoring_config(self, config: Any) -> None:
        """Derive exposure with ``config`` for the rest of this action (a settings
        change rescores with the new settings, not the stored ones)."""
        self._config = config

    # --- optimistic concurrency ----------------------------------------------------
    def expect_version(self, entity: str, key: Any, current: Mapping[str, Any], seen: Any) -> None:
        """Refuse a change based on version ``seen`` when the record has moved on."""
        if seen is None or "version" not in current or int(seen) == current["version"]:
            return
        self.refuse_stale(entity, key)

    def refuse_stale(self, entity: str, key: Any) -> None:
        events = models.AuditEvent.__table__.c  # type: ignore[attr-defined]
        key_text = ":".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        last = self.conn.execute(
            select(events.actor, events.at)
            .where(events.entity == entity, events.entity_id == key_text)
            .order_by(events.id.desc())
            .limit(1)
        ).first()
        who, when = (
            (team.actor_label(self.conn, last.actor), audit.at_text(last.at))
            if last
            else ("someone", "an unknown time")
        )
        raise StaleRecordError(
            f"{entity_title(entity)} {key_text} was changed by {who} at "
            f"{when.replace('T', ' ')} UTC since you read it — reload",
            entity,
            key,
        )

    # --- validation --------------------------------------------------------------
    def prepare(
        self, entity: str, values: Mapping[str, Any], base: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Coerce, merge onto ``base`` (or the defaults), derive and validate.

        Raises ``ValidationError`` naming every bad field; returns the full record.
        """
        problems: list[FieldProblem] = []
        clean = coerce_values(entity, values, problems)
        record = dict(base) if base is not None else self.service.defaults(entity)
        record.update(clean)
        check_record(entity, record, self.exists, problems)
        if not problems:
            self._entity_rules(entity, record, problems, base)
        if problems:
            raise ValidationError(problems, entity_label(entity))
        if entity == "ai_use":
            if self._config is None:  # read once per action, not once per row
                self._config = self.service.scoring_config(self.conn)
            self.service.derive_use(record, self._config)
        return record

    def acceptance_problems(
        self, record: Mapping[str, Any], today: dt.date | None = None
    ) -> list[FieldProblem]:
        """The one acceptance rule (``validation.acceptance_problems``) with its inputs."""
        acceptor = self.row("person", record["accepted_by_id"])
        use = self.row("ai_use", record["use_id"]) or {}
        first: set[int] = {
            int(i) for i in (record.get("owner_id"), use.get("owner_first_id")) if i is not None
        }
        months = self.service.setting(ACCEPTANCE_MAX_MONTHS_KEY, self.conn)
        return acceptance_problems(
            record,
            acceptor,
            first,
            today or dt.date.today(),
            int(months) if months else DEFAULT_ACCEPTANCE_MAX_MONTHS,
        )

    def _entity_rules(
        self,
        entity: str,
        record: dict[str, Any],
        problems: list[FieldProblem],
        base: Mapping[str, Any] | None = None,
    ) -> None:
        if entity == "risk" and acceptance_changed(base, record):
            problems.extend(self.acceptance_problems(record))
        if entity == "challenge" and record.get("risk_id") is not None:
            risk = self.row("risk", record["risk_id"])
            if risk and risk["use_id"] != record.get("use_id"):
                problems.append(FieldProblem("risk_id", "the risk belongs to a different AI use"))

    # --- writing -----------------------------------------------------------------
    def create(self, entity: str, values: Mapping[str, Any], *, key: Any = None) -> Any:
        record = self.prepare(entity, values)
        team.check_rights(self.service.identity, entity, None, record, self.conn)
        if key is not None and entity not in LINK_KEYS and entity != "setting":
            record["id"] = key
        if entity in LINK_KEYS or entity == "setting":
            existing = self.row(entity, self._key_of(entity, record))
            if existing is not None:
                raise ConflictError(f"That {entity_label(entity)} already exists.")
        table = table_of(entity)
        if entity not in LINK_KEYS and entity != "setting" and record.get("id") is None:
            record.pop("id", None)
            new_key = self.conn.execute(insert(table).values(**record)).inserted_primary_key
            assert new_key is not None  # an INSERT always reports the new row's key
            record["id"] = new_key[0]
        else:
            self.conn.execute(insert(table).values(**record))
        new_key = self._key_of(entity, record)
        if entity in self._id_cache:
            self._id_cache[entity].add(new_key)
        stored = self.row(entity, new_key)
        self._log("create", entity, new_key, None, stored)
        return new_key

    def create_many(
        self, entity: str, rows: Sequence[Mapping[str, Any]], *, keep: Sequence[str] = ()
    ) -> list[int]:
        """Validate all rows, then insert them in one statement (imports, demo data).

        ``keep`` names columns taken from each row as given, after validation (``id``,
        ``created_at``…): re-importing riskdesk's own export keeps ids and timestamps.
        Raises ``BulkValidationError`` with each bad row's index and problems.
        """
        table = table_of(entity)
        kept_ids = [r["id"] for r in rows if "id" in keep and r.get("id") is not None]
        next_id = max([self.conn.execute(select(func.max(table.c.id))).scalar() or 0, *kept_ids])
        records: list[dict[str, Any]] = []
        failures: list[tuple[int, ValidationError]] = []
        for index, values in enumerate(rows):
            kept = {k: values[k] for k in keep if values.get(k) is not None}
            try:
                record = self.prepare(entity, {k: v for k, v in values.items() if k not in keep})
            except ValidationError as exc:
                failures.append((index, exc))
                continue
            record.update(kept)
            if record.get("id") is None:
                next_id += 1
                record["id"] = next_id
            records.append(record)
        if failures:
            raise BulkValidationError(failures)
        if not records:
            return []
        self.conn.execute(insert(table), records)
        if entity in self._id_cache:
            self._id_cache[entity].update(r["id"] for r in records)
        # Read back so the audited state is exactly what the database holds.
        ids = [r["id"] for r in records]
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            stored = self.conn.execute(
                select(table).where(table.c.id.in_(chunk)).order_by(table.c.id)
            ).mappings()
            for row in stored:
                self._log("create", entity, row["id"], None, dict(row))
        return ids

    def update(self, entity: str, key: Any, changes: Mapping[str, Any]) -> bool:
        """Apply changes; returns False (and audits nothing) when nothing changed.

        ``changes["version"]``, when given, is the version the caller read: a record
        changed since is refused with ``StaleRecordError``."""
        changes = dict(changes)
        seen = changes.pop("version", None)
        current = self.row(entity, key)
        if current is None:
            raise NotFoundError(f"{entity_title(entity)} {key} does not exist.")
        self.expect_version(entity, key, current, seen)
        record = self.prepare(entity, changes, base=current)
        if entity == "ai_use":
            record["updated_at"] = current["updated_at"]
        if record == current:
            return False
        if entity == "ai_use":
            record["updated_at"] = now_utc()
        if "version" in current:
            record["version"] = current["version"] + 1
        team.check_rights(self.service.identity, entity, current, record, self.conn)
        self.conn.execute(
            update(table_of(entity)).where(*self._key_clause(entity, key)).values(**record)
        )
        self._log("update", entity, key, current, self.row(entity, key))
        return True

    def update_derived_many(
        self, entity: str, changes_by_id: Mapping[int, Mapping[str, Any]]
    ) -> int:
        """Write values the service itself derived (e.g. rescored exposure) in bulk.

        Not for user input: nothing is validated. Every row must change the same
        columns. Audited like ``update``, with the after-state read back from the
        database, so ``riskdesk check`` sees exactly what is stored.
        """
        if not changes_by_id:
            return 0
        table = table_of(entity)
        columns = sorted(next(iter(changes_by_id.values())))
        ids = list(changes_by_id)
        before = self._rows_by_id(table, ids)
        values: dict[str, Any] = {c: bindparam(c) for c in columns}
        if "version" in table.c:
            values["version"] = table.c.version + 1
        stmt = update(table).where(table.c.id == bindparam("_key")).values(values)
        self.conn.execute(stmt, [{"_key": k, **v} for k, v in changes_by_id.items()])
        after = self._rows_by_id(table, ids)
        for key in ids:
            self._log("update", entity, key, before[key], after[key])
        return len(ids)

    def _rows_by_id(self, table: Table, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for row in self.conn.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                out[row["id"]] = dict(row)
        return out

    def delete(self, entity: str, key: Any) -> None:
        current = self.row(entity, key)
        if current is None:
            raise NotFoundError(f"{entity_title(entity)} {key} does not exist.")
        team.check_rights(self.service.identity, entity, current, None, self.conn)
        for child, column, how in REFERENCES.get(entity, []):
            table = table_of(child)
            rows = self.conn.execute(select(table).where(table.c[column] == key)).mappings().all()
            if not rows:
                continue
            if how == "refuse":
                raise ConflictError(
                    f"{current.get('name', key)} is still referenced by {len(rows)} "
                    f"{entity_label(child)} record(s) ({column}). "
                    + (
                        "Mark the person as having left instead."
                        if entity == "person"
                        else "Reassign those first."
                    )
                )
            for child_row in rows:
                child_key = self._key_of(child, dict(child_row))
                if how == "delete":
                    self.delete(child, child_key)
                else:
                    self.update(child, child_key, {column: None})
        self.conn.execute(delete(table_of(entity)).where(*self._key_clause(entity, key)))
        self._log("delete", entity, key, current, None)

    def restore(self, entity: str, record: Mapping[str, Any]) -> None:
        """Re-insert a deleted record exactly (undo of delete); audited as a create."""
        self.conn.execute(insert(table_of(entity)).values(**record))
        key = self._key_of(entity, record)
        self._log("create", entity, key, None, self.row(entity, key))

    def overwrite(self, entity: str, key: Any, record: Mapping[str, Any]) -> None:
        """Put a record back to an exact earlier state (undo of update); audited."""
        current = self.row(entity, key)
        if current is None:
            raise NotFoundError(f"{entity_title(entity)} {key} no longer exists.")
        record = dict(record)
        if "version" in current:  # versions only rise: an older reader stays refused
            record["version"] = current["version"] + 1
        self.conn.execute(
            update(table_of(entity)).where(*self._key_clause(entity, key)).values(**record)
        )
        self._log("update", entity, key, current, self.row(entity, key))

    def overwrite_many(self, entity: str, records: Sequence[Mapping[str, Any]]) -> None:
        """``overwrite`` for many rows of an id-keyed table at once; audited per row."""
        table = table_of(entity)
        ids = [r["id"] for r in records]
        current = self._rows_by_id(table, ids)
        missing = [k for k in ids if k not in current]
        if missing:
            raise NotFoundError(f"{entity_title(entity)} {missing[0]} no longer exists.")
        columns = [c.name for c in table.c if c.name != "id"]
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_key"))
            .values({c: bindparam(c) for c in columns})
        )
        rows = [{"_key": r["id"], **{c: r[c] for c in columns}} for r in records]
        if "version" in table.c:  # versions only rise: an older reader stays refused
            for row in rows:
                row["version"] = current[row["_key"]]["version"] + 1
        self.conn.execute(stmt, rows)
        after = self._rows_by_id(table, ids)
        for key in ids:
            self._log("update", entity, key, current[key], after[key])

    def expect_unchanged_since(self, result: ActionResult) -> None:
        """Undo puts back "before" states: refuse if a record no longer holds what
        ``result`` left in it (someone's later edit would silently be lost). Compared by
        content, not version: undoing one's own actions newest first stays possible."""
        seen: set[tuple[str, str]] = set()
        for change in reversed(result.changes):
            if change.action == "delete" or change.after is None:
                continue
            ident = (change.entity, repr(change.key))
            if ident in seen:
                continue
            seen.add(ident)
            current = self.row(change.entity, change.key)
            if current is None or _content(current) != _content(change.after):
                self.refuse_stale(change.entity, change.key)

    def _log(self, action: str, entity: str, key: Any, before: Any, after: Any) -> None:
        # A team register's rights, checked by the service so the refusal is explained
        # (the server refuses the same change itself, whatever the client).
        team.check_rights(self.service.identity, entity, before, after, self.conn)
        key_text = ":".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        self._pending.append(audit.PendingEvent(action, entity, key_text, before, after))
        self.result.changes.append(Change(action, entity, key, before, after))

    def flush_audit(self) -> None:
        audit.append(self.conn, self.service.actor, self._pending)
        self._pending = []


def _content(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "version"}


class BulkValidationError(ValidationError):
    """Some rows of a bulk write failed; ``failures`` holds (row index, error)."""

    def __init__(self, failures: list[tuple[int, ValidationError]]) -> None:
        self.failures = failures
        first_index, first = failures[0]
        super().__init__(first.problems, first.entity)
        self.args = (f"{len(failures)} row(s) invalid; first, row {first_index + 1}: {first}",)
