"""Issue 15: calendar UIDs survive moving the register; Art. 73 deadlines are events."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest

from riskdesk.service import governance as gov
from riskdesk.service.calendar_ics import write_calendar
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)


def events(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


@pytest.mark.sqlite_only(reason="moves the register file to another folder")
def test_uids_stay_the_same_when_the_register_file_moves(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    today = dt.date(2026, 11, 1)
    before = tmp_path / "before.ics"
    write_calendar(demo_service, before, today)
    demo_service.register.dispose()  # checkpoint the WAL so the copy is complete
    moved = tmp_path / "elsewhere" / "renamed.db"
    moved.parent.mkdir()
    shutil.copy(demo_service.register.path, moved)
    register = open_register(moved)
    try:
        after = tmp_path / "after.ics"
        write_calendar(RegisterService(register, actor="tester"), after, today)
    finally:
        register.dispose()
    uids = sorted(str(e["UID"]) for e in events(before))
    assert uids and uids == sorted(str(e["UID"]) for e in events(after))


def test_an_unreported_art73_deadline_is_an_event_until_reported(
    service: RegisterService, tmp_path: Path
) -> None:
    today = dt.date(2026, 11, 1)
    use_id = service.create("ai_use", {"name": "Triage bot"})
    result = gov.log_incident(
        service,
        {
            "use_id": use_id,
            "title": "Wrong triage",
            "kind": "incident",
            "severity": "high",
            "reportable": True,
            "occurred_on": today - dt.timedelta(days=3),
        },
    )
    out = tmp_path / "due.ics"
    write_calendar(service, out, today)
    [art73] = [e for e in events(out) if str(e["UID"]).startswith("art73-incident-")]
    assert art73.decoded("DTSTART") == today + dt.timedelta(days=12)  # 15 days from occurrence
    assert "Wrong triage" in str(art73["SUMMARY"])
    gov.update_incident(service, result.created_id, {"reported_on": today})
    write_calendar(service, out, today)
    assert not [e for e in events(out) if str(e["UID"]).startswith("art73-")]
