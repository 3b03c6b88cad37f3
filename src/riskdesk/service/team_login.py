"""Signing in to a team register from the GUI: the URL, the password in the OS keyring,
and the audit head other people's changes move.

The password is never written anywhere by riskdesk: it lives in the operating system's
keyring (``keyring``: Windows Credential Locker, macOS Keychain, the Secret Service on
Linux), filed under the URL without the password; settings keep only that URL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from riskdesk.service.errors import ServiceError
from riskdesk.service.register import RegisterService
from riskdesk.service.team import Identity, identity
from riskdesk.store import postgres
from riskdesk.store.db import open_register
from riskdesk.store.errors import classify_db_error

KEYRING_SERVICE = "riskdesk"


def build_url(host: str, port: int | None, database: str, user: str) -> str:
    """A postgresql:// URL from the dialog's fields (no password)."""
    if not database.strip() or not user.strip():
        raise ServiceError("Give the database and the login (user) of the team register.")
    url = URL.create(
        "postgresql",
        username=user.strip(),
        host=host.strip() or None,
        port=port or None,
        database=database.strip(),
    )
    return url.render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """The URL as settings and the keyring file it: every part but the password."""
    parsed = make_url(url)
    if not postgres.is_postgres(parsed):
        raise ServiceError(f"A team register's URL starts with postgresql://, not {url[:30]!r}.")
    return parsed.set(password=None).render_as_string(hide_password=False)


def with_password(url: str, password: str | None) -> str:
    parsed = make_url(without_password(url))
    return parsed.set(password=password or None).render_as_string(hide_password=False)


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        raise ServiceError(
            f"Remembering a password needs the keyring package: {postgres.INSTALL_HINT}."
        ) from None
    return keyring


def saved_password(url: str) -> str | None:
    """The password the keyring holds for this URL's login, or None (none saved, or no
    keyring on this machine: the dialog then asks for it)."""
    try:
        found = _keyring().get_password(KEYRING_SERVICE, without_password(url))
    except ServiceError:
        return None
    except Exception:  # a keyring backend that is locked or missing: ask instead
        return None
    return str(found) if found is not None else None


def save_password(url: str, password: str) -> None:
    keyring = _keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, without_password(url), password)
    except Exception as exc:  # e.g. keyring.errors.NoKeyringError on a bare server
        raise ServiceError(f"The system keyring did not keep the password: {exc}") from exc


def forget_password(url: str) -> None:
    keyring = _keyring()
    try:
        keyring.delete_password(KEYRING_SERVICE, without_password(url))
    except Exception:  # nothing was saved: nothing to forget
        return


def try_login(url: str, password: str | None) -> Identity:
    """Connect once as the URL's login (the schema must be current) and say who that is;
    raises StoreError (wrong password, no server…) or ServiceError (not a team register)."""
    register = open_register(with_password(url, password))
    try:
        who = identity(register)
    finally:
        register.dispose()
    if who is None:  # pragma: no cover - a postgresql URL always has an identity
        raise ServiceError(f"{url} is not a team register.")
    return who


# --- other people's changes --------------------------------------------------------------


def audit_head(service: RegisterService) -> int:
    """The newest audit event's id: every change moves it (one indexed read)."""
    try:
        with service.engine.connect() as conn:
            found = conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_event")).scalar()
    except DBAPIError as exc:  # the server went away: the caller tries again later
        raise classify_db_error(exc, service.register.display_name) from exc
    return int(found or 0)


def others_since(service: RegisterService, event_id: int) -> list[str]:
    """Who else (not this login) changed the register after event ``event_id``."""
    try:
        with service.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT DISTINCT actor FROM audit_event WHERE id > :id AND actor <> :me"),
                {"id": event_id, "me": service.actor},
            ).all()
    except DBAPIError as exc:
        raise classify_db_error(exc, service.register.display_name) from exc
    return sorted(str(r[0]) for r in rows)
