"""The .ics export parses with the ``icalendar`` library and holds every due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from riskdesk.cli.main import main
from riskdesk.service.calendar_ics import calendar_text, escape_text, fold, write_calendar
from riskdesk.service.drift import REVIEW, DueItem, all_due_items
from riskdesk.service.register import RegisterService


def events(path: Path) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def test_every_due_date_is_in_the_calendar(demo_service: RegisterService, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    today = dt.date(2026, 11, 1)
    count = write_calendar(demo_service, out, today)
    expected = all_due_items(demo_service, today)
    upcoming = [i for i in expected if i.due >= today]
    overdue = [i for i in expected if i.due < today]
    assert upcoming and overdue and len(expected) > 20
    found = events(out)
    # Overdue items are one event today, not past events whose alarms never fire.
    assert count == len(found) == len(upcoming) + 1
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found)  # stable, unique UIDs
    for item in upcoming:
        [event] = [
            e
            for uid, e in by_uid.items()
            if uid.startswith(f"{item.kind}-{item.entity}-{item.entity_id}-")
        ]
        assert event.decoded("DTSTART") == item.due
        assert event.decoded("DTEND") == item.due + dt.timedelta(days=1)
        assert str(event["SUMMARY"]) == item.title
    [summary] = [e for uid, e in by_uid.items() if uid.startswith("overdue-")]
    assert summary.decoded("DTSTART") == today
    assert str(len(overdue)) in str(summary["SUMMARY"])
    description = str(summary["DESCRIPTION"])
    assert all(i.title in description for i in overdue)
    assert all(e.decoded("DTSTART") >= today for e in found)
    # every live use's review and every acceptance expiry is there
    reviews = [i for i in expected if i.kind == REVIEW]
    dated = [u for u in demo_service.rows("ai_use") if u["stage"] != "retired" and u["last_review"]]
    assert len(reviews) == len(dated)
    accepted = [r for r in demo_service.rows("risk") if r["acceptance_expires"]]
    assert {str(r["id"]) for r in accepted if r["acceptance_expires"] >= today} <= {
        uid.split("-")[2] for uid in by_uid if uid.startswith("acceptance-")
    }


def test_file_is_rfc5545_shaped(demo_service: RegisterService, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    write_calendar(demo_service, out)
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare line feeds
    assert all(len(line) <= 75 for line in lines)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["PRODID"]).startswith("-//riskdesk//")


def test_escaping_and_folding_round_trip() -> None:
    title = "Review: Ünïcode, commas; back\\slash — " + "é" * 60
    item = DueItem(REVIEW, dt.date(2027, 1, 31), title, "line one\nline two", "ai_use", 1, 1)
    text = calendar_text([item], now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    [event] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == "line one\nline two"
    assert str(event["DTSTAMP"].to_ical().decode()) == "20260101T000000Z"
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=7)


def test_helpers() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("short") == "short"
    folded = fold("x" * 200)
    assert [len(p) for p in folded.split("\r\n")] == [75, 75, 52]
    assert folded.replace("\r\n ", "") == "x" * 200


def test_cli_calendar(
    demo_service: RegisterService, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reminders.ics"
    assert main(["calendar", "--db", str(db_path), "--out", str(out)]) == 0
    assert f"to {out}" in capsys.readouterr().out
    items = all_due_items(demo_service)
    upcoming = [i for i in items if i.due >= dt.date.today()]
    assert len(events(out)) == len(upcoming) + (len(items) > len(upcoming))
    assert main(["calendar", "--db", str(db_path), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
