"""The one writer: every create, update and delete — GUI, CLI or import — passes here.

Each user action is one ``UnitOfWork``: coerce and validate, write, append the audit
events, commit — or roll back and raise, leaving the register untouched. Writes use
SQLAlchemy Core on one connection (``BEGIN IMMEDIATE`` on SQLite) so a 10,000-row
import is still one transaction and still fast.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import DBAPIError

# Callers import the writer's pieces from here: the unit of work (unit_of_work.py) and
# what the register holds (entities.py) are re-exported.
from riskdesk.fileformat.schema import table_of as table_of
from riskdesk.service import team
from riskdesk.service.entities import LABELS as LABELS
from riskdesk.service.entities import LINK_KEYS as LINK_KEYS
from riskdesk.service.entities import MODELS as MODELS
from riskdesk.service.entities import REFERENCES as REFERENCES
from riskdesk.service.entities import entity_label as entity_label
from riskdesk.service.entities import entity_title as entity_title
from riskdesk.service.errors import NotFoundError, RightsError
from riskdesk.service.unit_of_work import ActionResult as ActionResult
from riskdesk.service.unit_of_work import BulkValidationError as BulkValidationError
from riskdesk.service.unit_of_work import Change as Change
from riskdesk.service.unit_of_work import UnitOfWork as UnitOfWork
from riskdesk.service.unit_of_work import now_utc as now_utc
from riskdesk.store.db import Register, open_register
from riskdesk.store.errors import classify_db_error


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers, services)
        return "riskdesk"


def actor_label(name: str | None, login: str | None = None) -> str:
    """Who did it, as the audit trail, History and exports show it: the person's name
    first, the OS login after it only to tell apart people sharing one name or machine
    account ("Jo Rivera (jrivera)"); the login alone when nobody is named."""
    login = login or default_actor()
    name = (name or "").strip()
    if not name or name == login:
        return login
    return f"{name} ({login})"


class RegisterService:
    """Validated, audited, atomic writes and simple reads over one register."""

    def __init__(self, register: Register, actor: str | None = None) -> None:
        self.register = register
        self.engine = register.engine
        # On a team register the actor is the database login (the server holds every
        # login to its own name in the audit trail); the role decides what it may change.
        self.identity = team.identity(register)
        self.actor = actor or (self.identity.login if self.identity else default_actor())

    def act_as(self, name: str | None) -> None:
        """Record the next changes as ``name`` (and the OS login); on a team register: its login."""
        self.actor = self.actor if self.identity else actor_label(name)

    @classmethod
    def open(cls, target: str, *, create: bool = True) -> RegisterService:
        """Open (create or upgrade) the register at a path or URL; ``StoreError`` if not."""
        return cls(open_register(target, create=create))

    # --- transactions ------------------------------------------------------------
    @contextmanager
    def action(self) -> Iterator[UnitOfWork]:
        """One user action = one transaction = one block of audit events."""
        try:
            with self.engine.connect() as raw:
                conn = raw.execution_options(immediate=True)
                with conn.begin():
                    uow = UnitOfWork(self, conn)
                    yield uow
                    uow.flush_audit()
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":  # the server's refusal
                raise RightsError(
                    f"The database refused this change for {self.actor}: {exc.orig}"
                ) from exc
            raise classify_db_error(exc, self.register.display_name) from exc

    def create(self, entity: str, values: Mapping[str, Any]) -> Any:
        with self.action() as uow:
            return uow.create(entity, values)

    def update(self, entity: str, key: Any, changes: Mapping[str, Any]) -> ActionResult:
        with self.action() as uow:
            uow.update(entity, key, changes)
            return uow.result

    def delete(self, entity: str, key: Any) -> ActionResult:
        with self.action() as uow:
            uow.delete(entity, key)
            return uow.result

    def add(self, entity: str, values: Mapping[str, Any]) -> ActionResult:
        """``create`` for the GUI: the result (its ``created_id``) can be undone."""
        with self.action() as uow:
            uow.create(entity, values)
            return uow.result

    def validate(self, entity: str, values: Mapping[str, Any], key: Any = None) -> None:
        """Raise ``ValidationError`` if these values would be refused; writes nothing."""
        with self.engine.connect() as conn:
            uow = UnitOfWork(self, conn)
            base = uow.row(entity, key) if key is not None else None
            uow.prepare(entity, values, base=base)
            conn.rollback()

    def undo(self, result: ActionResult) -> ActionResult:
        """Reverse an action's changes, newest first, as a new audited action."""
        with self.action() as uow:
            uow.expect_unchanged_since(result)
            pending: list[Change] = []  # a run of updates to one id-keyed table
            for change in reversed(result.changes):
                if pending and (change.action != "update" or change.entity != pending[0].entity):
                    uow.overwrite_many(pending[0].entity, [c.before for c in pending])  # type: ignore[misc]
                    pending = []
                if change.action == "create":
                    uow.conn.execute(
                        delete(table_of(change.entity)).where(
                            *uow._key_clause(change.entity, change.key)
                        )
                    )
                    uow._log("delete", change.entity, change.key, change.after, None)
                elif change.action == "delete":
                    assert change.before is not None
                    uow.restore(change.entity, change.before)
                elif change.entity in LINK_KEYS or change.entity == "setting":
                    assert change.before is not None
                    uow.overwrite(change.entity, change.key, change.before)
                else:
                    # Undoing a rescore or an import touches thousands of rows: put
                    # them back in one statement rather than one round trip each.
                    pending.append(change)
            if pending:
                uow.overwrite_many(pending[0].entity, [c.before for c in pending])  # type: ignore[misc]
            return uow.result

    # --- reads -------------------------------------------------------------------
    def get(self, entity: str, key: Any) -> dict[str, Any]:
        with self.engine.connect() as conn:
            found = UnitOfWork(self, conn).row(entity, key)
        if found is None:
            raise NotFoundError(f"{entity_title(entity)} {key} does not exist.")
        return found

    def rows(self, entity: str, order_by: str | None = None, **where: Any) -> list[dict[str, Any]]:
        table = table_of(entity)
        order = [table.c[order_by]] if order_by else list(table.primary_key.columns)
        stmt = select(table).order_by(*order)
        for column, value in where.items():
            stmt = stmt.where(table.c[column] == value)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def count(self, entity: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(table_of(entity))).scalar() or 0
            )

    def count_where(self, entity: str, **equal: Any) -> int:
        """How many rows have each given column equal to the given value."""
        table = table_of(entity)
        stmt = select(func.count()).select_from(table)
        for column, value in equal.items():
            stmt = stmt.where(table.c[column] == value)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def profile(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            found = UnitOfWork(self, conn).row("org_profile", 1)
        return found or {**self.defaults("org_profile"), "id": 1}

    def save_profile(self, values: Mapping[str, Any]) -> ActionResult:
        with self.action() as uow:
            if uow.row("org_profile", 1) is None:
                uow.create("org_profile", values, key=1)
            else:
                uow.update("org_profile", 1, values)
            return uow.result

    # --- settings and derived values ---------------------------------------------
    def setting(self, key: str, conn: Connection | None = None) -> Any:
        table = table_of("setting")
        stmt = select(table.c.value).where(table.c.key == key)
        if conn is not None:
            raw = conn.execute(stmt).scalar()
        else:
            with self.engine.connect() as own:
                raw = own.execute(stmt).scalar()
        return json.loads(raw) if raw else None

    def scoring_config(self, conn: Connection | None = None) -> Any:
        from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig

        stored = self.setting("scoring", conn)
        return ScoringConfig.from_json(json.dumps(stored)) if stored else DEFAULT_CONFIG

    @staticmethod
    def derive_use(record: dict[str, Any], config: Any) -> None:
        """Exposure, tier, assessment state, provisional range and method version are
        stored so SQL can sort, filter and count them. A use with an unanswered factor
        has no exposure (None) and the tier "not_assessed"."""
        from riskdesk.scoring.exposure import ExposureFactors, assess_exposure

        found = assess_exposure(ExposureFactors.from_obj(SimpleNamespace(**record)), config)
        record["exposure"] = found.exposure
        record["tier"] = found.tier.value
        record["assessment"] = found.status.value
        record["exposure_low"], record["exposure_high"] = found.score_range
        record["tier_low"] = found.low.tier.value
        record["tier_high"] = found.high.tier.value
        record["score_method"] = found.method

    @staticmethod
    def defaults(entity: str) -> dict[str, Any]:
        """A new record's values: the model's defaults for every column."""
        model = MODELS[entity]
        values: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if name == "id":
                continue
            if info.default_factory is not None:
                values[name] = info.default_factory()
            elif info.is_required():
                values[name] = None
            else:
                values[name] = info.default
        return values
