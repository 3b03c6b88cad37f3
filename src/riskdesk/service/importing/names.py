"""Vendors and people found by name (any case) or created, shared by both kinds of import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from riskdesk.fileformat.schema import table_of
from riskdesk.service.errors import ValidationError
from riskdesk.service.importing.report import sentence
from riskdesk.service.register import UnitOfWork


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def count_records(uow: UnitOfWork, entity: str) -> int:
    return int(uow.conn.execute(select(func.count()).select_from(table_of(entity))).scalar() or 0)


class Names:
    """Records of one entity found by name (any case), and new ones waiting to be made."""

    def __init__(self, uow: UnitOfWork, entity: str) -> None:
        self.uow = uow
        self.entity = entity
        table = table_of(entity)
        self.ids: dict[str, int] = {}
        for key, name in uow.conn.execute(select(table.c.id, table.c.name).order_by(table.c.id)):
            self.ids.setdefault(name_key(name), key)
        self.existing = set(self.ids.values())
        self.pending: dict[str, dict[str, Any]] = {}
        self.refused: dict[str, str] = {}

    def check(self, name: str, extra: Mapping[str, Any]) -> str | None:
        """None if ``name`` is known or could be created; else why it cannot."""
        key = name_key(name)
        if key in self.ids or key in self.pending:
            return None
        if key not in self.refused:
            values = {"name": name, **extra}
            try:
                self.uow.prepare(self.entity, values)
            except ValidationError as exc:
                what = "person's" if self.entity == "person" else f"{self.entity}'s"
                self.refused[key] = "; ".join(
                    sentence(f"The {what} name", p.reason) for p in exc.problems
                )
            else:
                self.pending[key] = values
                return None
        return self.refused[key]

    def create(self, names: Sequence[str]) -> int:
        """Create the pending records among ``names``; how many were created."""
        keys = list(dict.fromkeys(k for k in map(name_key, names) if k in self.pending))
        new_ids = self.uow.create_many(self.entity, [self.pending.pop(k) for k in keys])
        self.ids.update(zip(keys, new_ids, strict=True))
        return len(new_ids)

    def id_of(self, name: str) -> int:
        return self.ids[name_key(name)]

    def get_or_create(self, name: str, extra: Mapping[str, Any]) -> tuple[int, bool]:
        """(id, created?) — raises ``ValidationError`` for a name the service refuses."""
        key = name_key(name)
        if key in self.ids:
            return self.ids[key], False
        new_id = self.uow.create(self.entity, {"name": name, **extra})
        self.ids[key] = new_id
        return new_id, True
