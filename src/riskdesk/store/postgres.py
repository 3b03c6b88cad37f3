"""PostgreSQL as a team register's store (the optional extra ``riskdesk[team]``).

SQLite serialises writers with ``BEGIN IMMEDIATE``; the PostgreSQL equivalent here is a
transaction-scoped advisory lock taken first thing in every write transaction, so the
audit chain's "read the last hash, append" step never interleaves with another
writer's (two writers would otherwise both append after the same event and fork it).
The lock is released by COMMIT or ROLLBACK, never left behind by a crashed client.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from riskdesk.store.errors import StoreError

# Any fixed 64-bit number: every riskdesk writer on the database asks for this one lock.
WRITE_LOCK_KEY = 0x7269736B6465736B  # "riskdesk"
INSTALL_HINT = 'pip install "riskdesk[team]"'


def is_postgres(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def normalise_url(url: str) -> str:
    """``postgresql://`` → psycopg 3's driver (SQLAlchemy's default is psycopg2), and a
    clear one-line refusal when the team extra is not installed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    driver = parsed.get_driver_name()
    if driver in ("", "postgresql", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError(
            "A PostgreSQL team register needs the psycopg driver, which is not installed: "
            f'run {INSTALL_HINT} (or pip install "psycopg[binary]").'
        ) from None
    return parsed.render_as_string(hide_password=False)


def lock_writers(conn: Connection) -> None:
    """Wait for, then hold until this transaction ends, the register's write lock.
    Re-entrant: taking it again in the same transaction is free."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def _begin(conn: Any) -> None:
    if conn.get_execution_options().get("immediate"):
        lock_writers(conn)


def make_engine(url: str) -> Engine:
    # Timestamps are written and read as UTC whatever the server's own time zone.
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": "-c timezone=UTC"})
    event.listen(engine, "begin", _begin)
    return engine


def current_login(conn: Connection) -> str:
    return str(conn.execute(text("SELECT session_user")).scalar())
