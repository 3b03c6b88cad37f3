"""Errors the store raises for conditions of the environment, not bugs.

The UI and CLI turn these into plain messages (qutebrowser's ``KnownError`` idea):
a locked, read-only, corrupt or too-new register file is the user's situation to fix,
not a crash to report.
"""

from __future__ import annotations


class StoreError(Exception):
    """The register file cannot be used; the message says why and what to do."""


class NotARegisterError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class LockedError(StoreError):
    pass


class CorruptError(StoreError):
    pass


class ReadOnlyError(StoreError):
    pass


def classify_db_error(exc: BaseException, where: str) -> StoreError:
    """Turn a DBAPI/SQLAlchemy error into the StoreError that explains it."""
    text = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in text or "busy" in text:
        return LockedError(
            f"{where} is locked by another program (or another riskdesk window). "
            "Close it and try again."
        )
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return ReadOnlyError(f"{where} is read-only: riskdesk cannot save changes to it.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return CorruptError(
            f"{where} is damaged (SQLite reports: {getattr(exc, 'orig', exc)}). "
            "Restore it from a backup in the riskdesk data folder."
        )
    if "disk" in text and ("full" in text or "i/o" in text):
        return StoreError(f"Cannot write {where}: the disk is full or failing.")
    return StoreError(f"{where}: {getattr(exc, 'orig', exc)}")
