"""Typed errors the service layer raises; the UI and CLI turn them into messages."""

from __future__ import annotations

from dataclasses import dataclass

# The store's errors of the environment (locked, read-only, damaged, too new) reach
# the GUI through the service too, so ui/ never imports riskdesk.store.
from riskdesk.store.errors import StoreError

__all__ = [
    "ConflictError",
    "FieldProblem",
    "NotFoundError",
    "RightsError",
    "ServiceError",
    "StaleRecordError",
    "StoreError",
    "ValidationError",
]


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class ServiceError(Exception):
    """Base class: the action was refused and nothing was written."""


class ValidationError(ServiceError):
    """One or more fields failed validation. ``problems`` names each field and reason."""

    def __init__(self, problems: list[FieldProblem], entity: str = "") -> None:
        self.problems = problems
        self.entity = entity
        where = f"{entity} " if entity else ""
        super().__init__(f"Invalid {where}— " + "; ".join(str(p) for p in problems))

    @classmethod
    def single(cls, field: str, reason: str, entity: str = "") -> ValidationError:
        return cls([FieldProblem(field, reason)], entity)

    def for_field(self, field: str) -> str | None:
        return next((p.reason for p in self.problems if p.field == field), None)


class NotFoundError(ServiceError):
    pass


class ConflictError(ServiceError):
    """The action conflicts with the register's state (e.g. a person still in use)."""


class StaleRecordError(ConflictError):
    """Someone else changed the record since it was read: "changed by (name) at (time) —
    reload". The GUI shows the message and reloads the newer values."""

    def __init__(self, message: str, entity: str, key: object) -> None:
        super().__init__(message)
        self.entity = entity
        self.key = key


class RightsError(ServiceError):
    """The signed-in login's role may not do this (team registers on PostgreSQL)."""
