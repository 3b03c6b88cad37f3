"""``riskdesk check`` catches tampering: edited, deleted or inserted audit events, and
records changed behind the application's back (sqlite3 on the file directly)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.service import audit
from riskdesk.service.integrity import check_register, field_changes, record_history
from riskdesk.service.register import RegisterService
from tests.answers import answered

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)
# Tampering on the server is tested in test_team_service_pg.py.
TAMPERS_WITH_THE_FILE = pytest.mark.sqlite_only(reason="tampers with the file through sqlite3")


@pytest.fixture
def demo_file(demo_service: RegisterService, db_path: Path) -> Path | str:
    """What ``riskdesk check --db`` is given: the file, or the server database's URL."""
    demo_service.register.dispose()  # the file is what is tampered with and checked
    return db_path if demo_service.register.is_sqlite else demo_service.register.url


@pytest.fixture
def raw(demo_file: Path) -> Iterator[sqlite3.Connection]:
    assert isinstance(demo_file, Path), "raw is sqlite3 on the file: mark the test sqlite_only"
    con = sqlite3.connect(demo_file)
    yield con
    con.close()


def check(path: Path | str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--db", str(path)])
    return code, capsys.readouterr().out


def essay_id(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT id FROM ai_use WHERE name = 'Essay grading assistant'").fetchone()
    return int(row[0])


def test_check_passes_on_a_fresh_demo(
    demo_file: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(demo_file, capsys)
    assert code == 0, out
    assert "OK:" in out and "audit events" in out


@TAMPERS_WITH_THE_FILE
def test_an_edited_event_is_named(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    use = essay_id(raw)
    event = raw.execute(
        "SELECT id FROM audit_event WHERE entity = 'ai_use' AND entity_id = ? ORDER BY id",
        (str(use),),
    ).fetchone()[0]
    raw.execute(
        "UPDATE audit_event SET after = replace(after, 'Essay grading', 'Essay marking') "
        "WHERE id = ?",
        (event,),
    )
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert f"FAILED: audit event {event} (create ai_use {use}, " in out
    assert "its content was altered after it was written" in out


@TAMPERS_WITH_THE_FILE
def test_a_deleted_event_is_named(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.execute("DELETE FROM audit_event WHERE id = 40")
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert "FAILED: audit event 41 (" in out
    assert "does not follow the event before it (an event was deleted, inserted" in out


@TAMPERS_WITH_THE_FILE
def test_an_inserted_event_is_named(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    last = raw.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    raw.execute(
        "INSERT INTO audit_event (id, at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) SELECT ?, at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash FROM audit_event WHERE id = 10",
        (last + 1,),
    )
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert f"FAILED: audit event {last + 1} (" in out and "does not follow" in out


@TAMPERS_WITH_THE_FILE
def test_a_forged_event_with_a_valid_hash_is_still_caught(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone who knows the algorithm appends a well-hashed event claiming an edit that
    never reached the record: the chain holds, the record check does not."""
    use = essay_id(raw)
    head = raw.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()[0]
    row = raw.execute(
        "SELECT after FROM audit_event WHERE entity='ai_use' AND entity_id=? ORDER BY id DESC",
        (str(use),),
    ).fetchone()
    forged_after = row[0].replace('"name":"Essay grading assistant"', '"name":"Forged"')
    at = "2026-11-01T09:00:00"
    digest = audit.event_hash(
        head, at, "mallory", "update", "ai_use", str(use), row[0], forged_after
    )
    raw.execute(
        "INSERT INTO audit_event (at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) VALUES (?, 'mallory', 'update', 'ai_use', ?, ?, ?, ?, ?)",
        ("2026-11-01 09:00:00.000000", str(use), row[0], forged_after, head, digest),
    )
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert f'ai_use {use} ("Forged"): current content differs from its last audited state' in out
    assert '"Forged" → "Essay grading assistant"' in out


@TAMPERS_WITH_THE_FILE
def test_a_use_renamed_by_direct_sql_is_named(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    use = essay_id(raw)
    last = raw.execute(
        "SELECT max(id) FROM audit_event WHERE entity='ai_use' AND entity_id=?", (str(use),)
    ).fetchone()[0]
    raw.execute("UPDATE ai_use SET name = 'Harmless tool' WHERE id = ?", (use,))
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert out.splitlines()[1] == (
        f'FAILED: ai_use {use} ("Essay grading assistant"): current content differs from its '
        f'last audited state (event {last}): name ("Essay grading assistant" → "Harmless tool")'
    )


@TAMPERS_WITH_THE_FILE
def test_records_added_or_deleted_behind_the_apps_back(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.execute("INSERT INTO vendor (name, kind, notes) VALUES ('Shadow AI Inc', 'saas', '')")
    vendor = raw.execute("SELECT id FROM vendor WHERE name = 'Shadow AI Inc'").fetchone()[0]
    raw.execute("DELETE FROM incident_risk")
    raw.commit()
    code, out = check(demo_file, capsys)
    assert code == 1
    assert f'vendor {vendor} ("Shadow AI Inc"): exists but has no audit event' in out
    assert main(["check", "--db", str(demo_file), "--all"]) == 1
    everything = capsys.readouterr().out
    assert "incident_risk " in everything and "missing from the register" in everything


@TAMPERS_WITH_THE_FILE
def test_truncating_the_chain_is_caught_by_the_records(
    demo_file: Path, raw: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting the newest events leaves an unbroken (shorter) chain; this machine's
    anchor and the records that those events described no longer match."""
    # The register is a copy made for this test: let riskdesk on "this machine" see its
    # head once (a clean check records it), as the app does on every write.
    assert main(["check", "--db", str(demo_file)]) == 0
    capsys.readouterr()
    raw.execute("DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)")
    raw.commit()
    code = main(["check", "--db", str(demo_file), "--all"])
    out = capsys.readouterr().out
    assert code == 1 and "audited state" in out and "the chain was truncated" in out


@pytest.mark.sqlite_only(reason="overwrites pages of the SQLite file")
def test_a_damaged_file_fails(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with demo_file.open("r+b") as fh:
        fh.seek(4096 * 16)
        fh.write(b"\x00" * 4096 * 4)
    code, out = check(demo_file, capsys)
    assert code == 1 and "FAILED:" in out


def test_check_json(demo_file: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["check", "--db", str(demo_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["problems"] == [] and len(data["chain_head"]) == 64


def test_undo_keeps_the_register_checkable(service: RegisterService) -> None:
    use = service.create("ai_use", {"name": "Tool"})
    result = service.update("ai_use", use, {"name": "Renamed"})
    service.undo(result)
    deleted = service.delete("ai_use", use)
    service.undo(deleted)
    report = check_register(service.register)
    assert report.ok, report.summary()
    assert report.records == 1


def test_record_history_shows_who_when_what(service: RegisterService) -> None:
    use = service.create("ai_use", answered(name="Tool", people_affected=10))
    service.update("ai_use", use, {"name": "Renamed tool", "people_affected": 5000})
    history = record_history(service, "ai_use", use)
    assert [h.action for h in history] == ["create", "update"]
    assert all(h.actor == "tester" and isinstance(h.at, dt.datetime) for h in history)
    created = {c.field: c.after for c in history[0].changes}
    assert created["name"] == "Tool" and "notes" not in created  # empty defaults skipped
    changed = {c.field: (c.before, c.after) for c in history[1].changes}
    assert changed["name"] == ("Tool", "Renamed tool")
    assert changed["people_affected"] == (10, 5000)
    assert changed["exposure"][0] < changed["exposure"][1]  # derived fields change too
    assert record_history(service, "ai_use", 999) == []


def test_field_changes_of_a_delete() -> None:
    changes = field_changes({"name": "x", "notes": ""}, None)
    assert [(c.field, c.before, c.after) for c in changes] == [("name", "x", None)]
