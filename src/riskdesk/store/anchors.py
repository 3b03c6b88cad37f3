"""Where this machine last saw each register's audit chain: a record kept *outside* it.

The hash chain inside a register proves only that it is self-consistent: someone who
knows the (published) algorithm can delete the newest events, or rewrite the whole
chain and recompute every hash, and the chain still verifies. So after each write
riskdesk also notes, in the user's data folder, the newest audit event it wrote (its id
and hash) for that register file. The next ``check`` or open on this machine looks that
event up: gone means the chain was truncated (or everything deleted), a different hash
means it was rewritten. An attacker must now also reach this file on every machine that
has seen the register — which is what the README's threat model says.

Anchors are keyed by the register's resolved path, so two copies of one register (a
backup restored beside it, a colleague's copy) never contradict each other. An anchor
only moves forward along an intact chain: a write to a register whose anchored event no
longer matches leaves the anchor (and the alarm) in place until someone looks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass(frozen=True)
class Anchor:
    event_id: int  # the newest audit event riskdesk wrote or verified (0: none yet)
    head: str  # its hash
    seen: str  # when (UTC, ISO), for messages


def anchors_file() -> Path:
    from riskdesk.paths import anchors_file as where

    return where()


def _key(register_path: Path | str) -> str:
    return str(Path(register_path).expanduser().resolve())


def _load_all(store: Path) -> dict[str, Any]:
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    registers = data.get("registers") if isinstance(data, dict) else None
    return registers if isinstance(registers, dict) else {}


def load(register_path: Path | str, store: Path | None = None) -> Anchor | None:
    """This machine's anchor for the register at ``register_path`` (None if never seen)."""
    try:
        entry = _load_all(store or anchors_file()).get(_key(register_path))
    except OSError:
        return None
    if not isinstance(entry, dict):
        return None
    try:
        return Anchor(int(entry["event_id"]), str(entry["head"]), str(entry.get("seen", "")))
    except (KeyError, TypeError, ValueError):
        return None


def _write(store: Path, registers: dict[str, Any]) -> None:
    text = json.dumps({"version": VERSION, "registers": registers}, indent=1, sort_keys=True)
    tmp = store.with_name(f".{store.name}.{secrets.token_hex(4)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, store)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def forget(register_path: Path | str, store: Path | None = None) -> bool:
    """Drop this machine's anchor for a register (after restoring an older copy on
    purpose); True if there was one. The next clean check records it afresh."""
    store = store or anchors_file()
    registers = _load_all(store)
    if registers.pop(_key(register_path), None) is None:
        return False
    _write(store, registers)
    return True


def save(register_path: Path | str, event_id: int, head: str, store: Path | None = None) -> None:
    """Record (or move forward) the anchor; never moves it back to an older event.

    Written beside itself and renamed into place, owner-only from the first byte. A
    failure to write is swallowed: the register's write has already committed, and a
    missing anchor only means the next check has less to compare against.
    """
    with contextlib.suppress(OSError):
        store = store or anchors_file()
        registers = _load_all(store)
        key = _key(register_path)
        old = registers.get(key)
        if isinstance(old, dict) and int(old.get("event_id", 0)) > event_id:
            return  # a concurrent writer already recorded a newer event
        registers[key] = {
            "event_id": event_id,
            "head": head,
            "seen": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }
        _write(store, registers)


def mismatch(anchor: Anchor, stored_hash: str | None, last_id: int, events: int) -> str | None:
    """Why the register no longer holds the anchored event, or None if it does.

    ``stored_hash`` is the hash of the register's event with the anchored id (None if
    there is no such event); ``last_id``/``events`` describe the chain as it is now.
    """
    if anchor.event_id == 0 or stored_hash == anchor.head:
        return None
    when = anchor.seen.replace("T", " ").removesuffix("+00:00")
    seen = f"riskdesk on this machine wrote or verified audit event {anchor.event_id} ({when} UTC)"
    if stored_hash is None:
        now = f"the chain now ends at event {last_id}" if events else "the register has no events"
        return (
            f"{seen}, but {now}: audit events were deleted (the chain was truncated or "
            "emptied) or the file was replaced by an older copy"
        )
    return (
        f"{seen} with hash {anchor.head[:16]}…, but that event's hash is now "
        f"{stored_hash[:16]}…: the audit trail was rewritten (hashes recomputed) or the "
        "file was replaced by a different register"
    )
