"""Reminders without a server: the register's due dates as an iCalendar file (RFC 5545).

Any calendar (Outlook, Google, Apple, Thunderbird) imports the file, so reviews and
acceptance expiries reach people without riskdesk running a service or sending mail.
Written by hand rather than with a library: the subset needed (all-day VEVENTs with a
reminder) is small, and RFC 5545's two traps are handled here — text escaping (§3.3.11)
and folding lines longer than 75 octets without splitting a UTF-8 character (§3.1).

UIDs are stable (the register's identity + record), so importing a newer file updates
the events instead of duplicating them. The register's identity is the hash of its first
audit event, which travels with the file: moving or renaming the register keeps every UID.

Items already overdue are not written as past events (their reminders could never fire):
they are gathered into one "overdue" event on the day of export, reminded that morning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from riskdesk import __version__
from riskdesk.service.drift import DueItem, all_due_items
from riskdesk.service.register import RegisterService, table_of

CRLF = "\r\n"
MAX_OCTETS = 75
REMIND_DAYS_BEFORE = 7


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets; continuation lines start with one space."""
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _uid_base(service: RegisterService) -> str:
    """The register's identity: its first audit event's hash (path-independent)."""
    table = table_of("audit_event")
    with service.engine.connect() as conn:
        first = conn.execute(select(table.c.hash).order_by(table.c.id).limit(1)).scalar()
    return hashlib.sha256((first or "riskdesk").encode("utf-8")).hexdigest()[:12]


def _overdue_event(items: list[DueItem], today: dt.date, uid_base: str, stamp: str) -> list[str]:
    """One event today listing everything overdue, reminded at 9:00 that day."""
    start = today.strftime("%Y%m%d")
    end = (today + dt.timedelta(days=1)).strftime("%Y%m%d")
    title = f"Overdue in the AI risk register: {len(items)} item{'s' if len(items) != 1 else ''}"
    lines = [f"{i.due.isoformat()} — {i.title}" for i in items]
    return [
        "BEGIN:VEVENT",
        f"UID:overdue-{uid_base}@riskdesk",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(chr(10).join(lines))}",
        "CATEGORIES:Overdue",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(title)}",
        "TRIGGER:PT9H",
        "END:VALARM",
        "END:VEVENT",
    ]


def _event(item: DueItem, uid_base: str, stamp: str) -> list[str]:
    start = item.due.strftime("%Y%m%d")
    end = (item.due + dt.timedelta(days=1)).strftime("%Y%m%d")
    description = item.detail
    if item.responsible:
        description += f"\nResponsible: {item.responsible}"
    return [
        "BEGIN:VEVENT",
        f"UID:{item.kind}-{item.entity}-{item.entity_id}-{uid_base}@riskdesk",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY:{escape_text(item.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(item.label)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(item.title)}",
        f"TRIGGER:-P{REMIND_DAYS_BEFORE}D",
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar_text(
    items: Iterable[DueItem],
    *,
    name: str = "riskdesk",
    uid_base: str = "riskdesk",
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> str:
    """The iCalendar document for ``items`` (CRLF line ends, folded, escaped).

    With ``today``, items due before it become one "overdue" event on ``today``.
    """
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//riskdesk//riskdesk {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    items = list(items)
    overdue = [i for i in items if today is not None and i.due < today]
    for item in items:
        if today is None or item.due >= today:
            lines += _event(item, uid_base, stamp)
    if overdue and today is not None:
        lines += _overdue_event(overdue, today, uid_base, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def write_calendar(
    service: RegisterService,
    out: Path,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write every due date in the register to ``out``; returns the number of events
    (everything overdue counts as the one "overdue" event)."""
    from riskdesk.service.evidence import evidence_due_items

    today = today or dt.date.today()
    items = all_due_items(service, today) + evidence_due_items(service)
    items.sort(key=lambda item: item.due)
    org = service.profile().get("name") or "AI risk register"
    document = calendar_text(
        items,
        name=f"{org} — riskdesk due dates",
        uid_base=_uid_base(service),
        now=now,
        today=today,
    )
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)  # a killed earlier run's
    # Owner-only from the first byte: due dates name people and uses.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        # newline="" keeps the CRLFs RFC 5545 requires on every platform
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(document)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    upcoming = sum(1 for i in items if i.due >= today)
    return upcoming + (1 if upcoming < len(items) else 0)
