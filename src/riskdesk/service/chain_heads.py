"""Is a printed chain head on this register's chain? (``riskdesk check --head``, the
board pack's signature). Split from ``integrity`` (issue 19), which re-exports it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from riskdesk.service import audit
from riskdesk.service.register import RegisterService
from riskdesk.store.db import Register
from riskdesk.store.models import AuditEvent

EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


def _describe_event(conn: Connection, event_id: int) -> str:
    row = conn.execute(select(EVENTS).where(EVENTS.c.id == event_id)).mappings().first()
    if row is None:
        return f"audit event {event_id}"
    at = row["at"].isoformat(sep=" ") if isinstance(row["at"], dt.datetime) else row["at"]
    return (
        f"audit event {event_id} ({row['action']} {row['entity']} {row['entity_id']}, "
        f"{at} by {row['actor'] or 'unknown'})"
    )


@dataclass(frozen=True)
class HeadCheck:
    """Is a printed chain head (a board pack's) on this register's intact chain?"""

    head: str
    ok: bool
    message: str
    event_id: int = 0


def verify_head(register: Register, head: str) -> HeadCheck:
    """Walk the chain from the start, verifying each hash, until ``head`` is met.

    ``ok`` when the head is there and every event up to it is intact — what a board
    member asks when they read a pack's head back to the champion.
    """
    head = head.strip().lower()
    if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        return HeadCheck(head, False, f"{head!r} is not a chain head (64 hexadecimal digits)")
    if head == audit.GENESIS:
        return HeadCheck(head, True, "the empty chain's head: nothing had been recorded yet")
    prev = audit.GENESIS
    with register.engine.connect() as conn:
        for row in audit.chain_rows(conn):
            event_id, at, actor, action, entity, entity_id, before, after, prev_hash, digest = row
            expected = audit.event_hash(prev, at, actor, action, entity, entity_id, before, after)
            if prev_hash != prev or digest != expected:
                return HeadCheck(
                    head,
                    False,
                    f"not confirmed: the chain is broken at {_describe_event(conn, event_id)}, "
                    "before that head is reached",
                )
            if digest == head:
                return HeadCheck(
                    head,
                    True,
                    f"on the chain at {_describe_event(conn, event_id)}; every event up to it "
                    "is intact",
                    event_id,
                )
            prev = digest
    return HeadCheck(
        head,
        False,
        "not on this register's audit chain: the register is not the one that head was "
        "printed from, or its trail was rewritten",
    )


def chain_head(service: RegisterService) -> str:
    """The hash of the newest audit event (what the board pack prints)."""
    with service.engine.connect() as conn:
        return audit.last_hash(conn)
