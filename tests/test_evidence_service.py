"""Evidence inside the register (issue 18): stored once by hash, audited by hash, checked
by hash, and expired evidence is a gap, a calendar event and a weaker coverage claim."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import icalendar
import pytest
from sqlalchemy import func, select, text

from riskdesk.service import evidence as ev
from riskdesk.service.calendar_ics import write_calendar
from riskdesk.service.errors import ConflictError, NotFoundError, ValidationError
from riskdesk.service.frameworks import coverage_by_framework
from riskdesk.service.integrity import check_register
from riskdesk.service.oversight import gaps_for_use, register_gaps
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)
# Every byte value, a NUL-heavy run and a non-UTF-8 tail: nothing may be "cleaned".
PAYLOAD = bytes(range(256)) * 3 + b"\x00" * 100 + b"\r\n\r\n\xff\xfe end"


@pytest.fixture
def world(service: RegisterService) -> dict[str, int]:
    """A vendor supplying one live and one retired use, a risk and a control on it."""
    with service.action() as uow:
        vendor = uow.create("vendor", {"name": "Vendor X"})
        use = uow.create("ai_use", {"name": "Essay helper", "vendor_id": vendor})
        retired = uow.create(
            "ai_use", {"name": "Old chatbot", "vendor_id": vendor, "stage": "retired"}
        )
        other = uow.create("ai_use", {"name": "Timetable planner"})
        risk = uow.create("risk", {"use_id": use, "title": "Bias in grading"})
        control = uow.create(
            "control", {"name": "Bias test", "status": "tested", "framework_refs": "MEASURE 2.11"}
        )
        uow.create("risk_control", {"risk_id": risk, "control_id": control})
        person = uow.create("person", {"name": "Ada", "default_line": "second"})
    return {
        "vendor": vendor,
        "use": use,
        "retired": retired,
        "other": other,
        "risk": risk,
        "control": control,
        "person": person,
    }


def audit_events(service: RegisterService, entity: str) -> list[dict[str, Any]]:
    with service.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM audit_event WHERE entity = :e ORDER BY id"), {"e": entity}
        ).mappings()
        return [dict(r) for r in rows]


def blob_count(service: RegisterService) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ev.BLOBS)).scalar() or 0)


def expired_gaps(service: RegisterService, today: dt.date = TODAY) -> dict[int, list[str]]:
    return {
        ug.use_id: [g.reason for g in ug.gaps if g.rung == ev.GAP_RUNG]
        for ug in register_gaps(service, today)
    }


# --- storing and reading back ---------------------------------------------------------------


def test_a_file_comes_back_byte_identical(service: RegisterService, tmp_path: Path) -> None:
    source = tmp_path / "signed DPA.pdf"
    source.write_bytes(PAYLOAD)
    added = ev.add_evidence(service, source, kind="contract")
    assert added.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert added.size == len(PAYLOAD)
    assert ev.evidence_bytes(service, added.evidence_id) == PAYLOAD
    info = ev.evidence_info(service, added.evidence_id)
    assert (info.title, info.file_name, info.kind) == ("signed DPA", "signed DPA.pdf", "contract")
    assert info.added_by == "tester" and info.current

    from_bytes = ev.add_evidence(service, b"\x00only bytes\xff", title="Raw")
    assert ev.evidence_bytes(service, from_bytes.evidence_id) == b"\x00only bytes\xff"


def test_a_file_is_stored_once_however_often_it_is_added(
    service: RegisterService, world: dict[str, int]
) -> None:
    first = ev.add_evidence(service, PAYLOAD, title="Model card", to=[f"use:{world['use']}"])
    second = ev.add_evidence(service, PAYLOAD, title="Same card", to=[f"risk:{world['risk']}"])
    assert first.evidence_id != second.evidence_id
    assert first.sha256 == second.sha256
    assert blob_count(service) == 1
    assert check_register(service.register).ok


def test_adding_is_audited_with_the_hash(service: RegisterService, world: dict[str, int]) -> None:
    added = ev.add_evidence(
        service,
        PAYLOAD,
        title="DPA with Vendor X",
        kind="DPA",
        to=[f"vendor:{world['vendor']}", f"control:{world['control']}"],
        valid_until="2027-03-31",
        added_by_id=world["person"],
    )
    [event] = audit_events(service, "evidence")
    after = json.loads(event["after"])
    assert event["action"] == "create" and event["actor"] == "tester"
    assert after["sha256"] == hashlib.sha256(PAYLOAD).hexdigest() == added.sha256
    assert after["kind"] == "contract" and after["valid_until"] == "2027-03-31"
    assert after["added_by_id"] == world["person"]
    links = [json.loads(e["after"]) for e in audit_events(service, "evidence_link")]
    assert [(lk["vendor_id"], lk["control_id"]) for lk in links] == [
        (world["vendor"], None),
        (None, world["control"]),
    ]
    info = ev.evidence_info(service, added.evidence_id)
    assert [str(t) for t in info.attached_to] == [
        f"vendor:{world['vendor']}",
        f"control:{world['control']}",
    ]
    assert check_register(service.register).ok


def test_a_refused_add_writes_nothing(service: RegisterService, world: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no vendor 999"):
        ev.add_evidence(service, PAYLOAD, to=["vendor:999"])
    with pytest.raises(ValidationError, match="KIND:ID"):
        ev.add_evidence(service, PAYLOAD, to=["board:1"])
    with pytest.raises(ValidationError, match="not one of"):
        ev.add_evidence(service, PAYLOAD, kind="selfie")
    with pytest.raises(ValidationError, match="before the document's date"):
        ev.add_evidence(service, PAYLOAD, dated="2026-05-01", valid_until="2026-04-30")
    with pytest.raises(ValidationError, match="not a date"):
        ev.add_evidence(service, PAYLOAD, valid_until="next spring")
    assert service.count("evidence") == 0 and blob_count(service) == 0
    assert audit_events(service, "evidence") == []


def test_the_size_limit_is_stated_and_enforced(service: RegisterService, tmp_path: Path) -> None:
    big = tmp_path / "scan.tiff"
    with big.open("wb") as fh:  # sparse: the limit is checked before anything is read
        fh.truncate(ev.MAX_FILE_BYTES + 1)
    with pytest.raises(ev.FileTooLargeError) as caught:
        ev.add_evidence(service, big)
    message = str(caught.value)
    assert "scan.tiff is 100.0 MB" in message and "limited to 100 MB each" in message
    assert service.count("evidence") == 0

    exactly = tmp_path / "fits.bin"
    with exactly.open("wb") as fh:
        fh.truncate(ev.MAX_FILE_BYTES)
    assert ev.read_source(exactly)[1] == "fits.bin"  # the limit itself is allowed


def test_bytes_over_the_limit_are_refused(
    service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ev.base, "MAX_FILE_BYTES", 10)  # read there at call time
    with pytest.raises(ev.FileTooLargeError, match="11 bytes"):
        ev.add_evidence(service, b"x" * 11)
    assert ev.add_evidence(service, b"x" * 10).size == 10


def test_a_big_register_warns(service: RegisterService, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ev.add_evidence(service, b"small").warnings == ()
    monkeypatch.setattr(ev.base, "WARN_REGISTER_BYTES", 1024)
    [warning] = ev.add_evidence(service, b"more").warnings
    assert "GB" in warning and "backups" in warning


def test_unreadable_sources_are_named(service: RegisterService, tmp_path: Path) -> None:
    with pytest.raises(ev.EvidenceError, match="does not exist"):
        ev.add_evidence(service, tmp_path / "nope.pdf")
    with pytest.raises(ev.EvidenceError, match="is a folder"):
        ev.add_evidence(service, tmp_path)


# --- revisions, removal, links ------------------------------------------------------------


def test_replacing_keeps_the_old_revision_and_moves_the_links(
    service: RegisterService, world: dict[str, int]
) -> None:
    old = ev.add_evidence(
        service, b"v1", title="DPA", kind="contract", to=[f"vendor:{world['vendor']}"]
    )
    new = ev.replace_evidence(service, old.evidence_id, b"v2", valid_until="2028-01-01")
    chain = ev.revisions(service, old.evidence_id)
    assert [e.id for e in chain] == [old.evidence_id, new.evidence_id]
    assert ev.revisions(service, new.evidence_id) == chain
    first, second = chain
    assert not first.current and first.status(TODAY) == "replaced" and first.attached_to == ()
    assert second.current and second.replaces_id == first.id
    assert (second.title, second.kind) == ("DPA", "contract")  # carried over
    assert [str(t) for t in second.attached_to] == [f"vendor:{world['vendor']}"]
    assert ev.evidence_bytes(service, first.id) == b"v1"  # old revision still readable
    assert ev.evidence_bytes(service, second.id) == b"v2"
    assert [e.id for e in ev.list_evidence(service)] == [second.id]

    created = [e for e in audit_events(service, "evidence") if e["action"] == "create"]
    replaced = json.loads(created[-1]["after"])
    assert replaced["replaces_id"] == first.id and replaced["sha256"] == new.sha256
    moved = [e for e in audit_events(service, "evidence_link") if e["action"] == "update"]
    assert json.loads(moved[0]["after"])["evidence_id"] == second.id

    with pytest.raises(ConflictError, match="replaced by revision"):
        ev.replace_evidence(service, first.id, b"v3")
    assert check_register(service.register).ok


def test_removal_is_soft_and_audited(service: RegisterService, world: dict[str, int]) -> None:
    added = ev.add_evidence(service, PAYLOAD, title="Screenshot", to=[f"use:{world['use']}"])
    ev.remove_evidence(service, added.evidence_id)
    assert ev.list_evidence(service) == []
    [info] = ev.list_evidence(service, include_old=True)
    assert info.removed and info.status(TODAY) == "removed"
    assert ev.evidence_bytes(service, added.evidence_id) == PAYLOAD  # kept for the trail
    last = audit_events(service, "evidence")[-1]
    assert last["action"] == "update"
    before, after = json.loads(last["before"]), json.loads(last["after"])
    assert (before["removed"], after["removed"]) == (False, True)
    assert after["sha256"] == added.sha256
    with pytest.raises(ConflictError, match="was removed"):
        ev.remove_evidence(service, added.evidence_id)
    with pytest.raises(ConflictError, match="was removed"):
        ev.replace_evidence(service, added.evidence_id, b"new")
    with pytest.raises(NotFoundError):
        ev.remove_evidence(service, 999)


def test_attach_and_detach(service: RegisterService, world: dict[str, int]) -> None:
    added = ev.add_evidence(service, PAYLOAD, title="Test run")
    ev.attach(service, added.evidence_id, f"control:{world['control']}")
    ev.attach(service, added.evidence_id, ev.Target("risk", world["risk"]))
    ev.attach(service, added.evidence_id, f"control:{world['control']}")  # twice: one link
    assert [str(t) for t in ev.evidence_info(service, added.evidence_id).attached_to] == [
        f"control:{world['control']}",
        f"risk:{world['risk']}",
    ]
    assert [e.id for e in ev.evidence_for(service, f"risk:{world['risk']}")] == [added.evidence_id]
    ev.detach(service, added.evidence_id, f"control:{world['control']}")
    assert [str(t) for t in ev.evidence_info(service, added.evidence_id).attached_to] == [
        f"risk:{world['risk']}"
    ]
    assert [e["action"] for e in audit_events(service, "evidence_link")] == [
        "create",
        "create",
        "delete",
    ]
    with pytest.raises(NotFoundError, match="not attached"):
        ev.detach(service, added.evidence_id, f"control:{world['control']}")
    assert check_register(service.register).ok


def test_deleting_a_record_takes_its_links_and_undo_brings_them_back(
    service: RegisterService, world: dict[str, int]
) -> None:
    added = ev.add_evidence(
        service, PAYLOAD, title="Card", to=[f"use:{world['use']}", f"vendor:{world['vendor']}"]
    )
    result = service.delete("ai_use", world["use"])
    assert [str(t) for t in ev.evidence_info(service, added.evidence_id).attached_to] == [
        f"vendor:{world['vendor']}"
    ]
    service.undo(result)
    assert len(ev.evidence_info(service, added.evidence_id).attached_to) == 2
    assert check_register(service.register).ok


def test_a_person_who_added_evidence_cannot_be_deleted(
    service: RegisterService, world: dict[str, int]
) -> None:
    ev.add_evidence(service, PAYLOAD, added_by_id=world["person"])
    with pytest.raises(ConflictError, match="having left"):
        service.delete("person", world["person"])


def test_kinds_and_targets_parse_loosely() -> None:
    assert ev.parse_kind("Contract/DPA") == ev.parse_kind("dpa") == "contract"
    assert ev.parse_kind("Model card") == ev.parse_kind("model_card") == "model_card"
    assert ev.parse_target(" Vendor : 3 ") == ev.Target("vendor", 3)
    assert ev.parse_target("ai_use:4") == ev.Target("use", 4)
    with pytest.raises(ValidationError, match="not a record id"):
        ev.parse_target("use:x")


# --- integrity ------------------------------------------------------------------------------


def test_a_blob_altered_by_direct_sql_is_caught(
    service: RegisterService, world: dict[str, int], db_path: Path
) -> None:
    keep = ev.add_evidence(service, b"untouched", title="Policy")
    hit = ev.add_evidence(service, PAYLOAD, title="DPA with Vendor X")
    assert ev.verify_blobs(service) == [] and check_register(service.register).ok

    con = sqlite3.connect(db_path)
    con.execute(
        "UPDATE evidence_blob SET data = ? WHERE sha256 = ?", (PAYLOAD[:-1] + b"!", hit.sha256)
    )
    con.commit()
    con.close()

    [problem] = ev.verify_blobs(service)
    assert (problem.evidence_id, problem.title, problem.reason) == (
        hit.evidence_id,
        "DPA with Vendor X",
        "changed",
    )
    report = check_register(service.register)
    assert not report.ok
    assert [p.kind for p in report.problems] == ["evidence"]
    assert f'evidence {hit.evidence_id} ("DPA with Vendor X")' in report.summary()
    with pytest.raises(ev.EvidenceError, match="altered outside riskdesk"):
        ev.evidence_bytes(service, hit.evidence_id)
    assert ev.evidence_bytes(service, keep.evidence_id) == b"untouched"


def test_a_missing_blob_is_caught(service: RegisterService, db_path: Path) -> None:
    hit = ev.add_evidence(service, PAYLOAD, title="Bias test")
    con = sqlite3.connect(db_path)  # foreign keys are off in a plain sqlite3 session
    con.execute("DELETE FROM evidence_blob WHERE sha256 = ?", (hit.sha256,))
    con.commit()
    con.close()
    [problem] = ev.verify_blobs(service)
    assert problem.reason == "missing" and "missing from the register" in str(problem)
    assert "Bias test" in check_register(service.register).summary()
    with pytest.raises(ev.EvidenceError, match="missing"):
        ev.evidence_bytes(service, hit.evidence_id)


def test_a_hash_swapped_with_the_bytes_is_still_caught(
    service: RegisterService, db_path: Path
) -> None:
    """Rewriting the blob *and* its key consistently still leaves the evidence row
    naming a hash its audited state does not have."""
    hit = ev.add_evidence(service, b"original", title="Signed policy")
    forged = b"forged"
    digest = hashlib.sha256(forged).hexdigest()
    con = sqlite3.connect(db_path)
    con.execute(
        "INSERT INTO evidence_blob (sha256, size, data) VALUES (?, ?, ?)", (digest, 6, forged)
    )
    con.execute("UPDATE evidence SET sha256 = ? WHERE id = ?", (digest, hit.evidence_id))
    con.commit()
    con.close()
    assert ev.verify_blobs(service) == []
    report = check_register(service.register)
    assert not report.ok
    assert "sha256" in report.summary() and "Signed policy" in report.summary()


# --- expiry: gaps, calendar, coverage -------------------------------------------------------


def test_expired_evidence_is_a_gap_on_what_it_supports(
    service: RegisterService, world: dict[str, int]
) -> None:
    ev.add_evidence(
        service,
        b"dpa",
        title="DPA with Vendor X",
        kind="contract",
        to=[f"vendor:{world['vendor']}"],
        valid_until="2026-10-15",
    )
    ev.add_evidence(
        service,
        b"test",
        title="Bias test 2025",
        to=[f"control:{world['control']}"],
        valid_until="2026-10-31",
    )
    ev.add_evidence(
        service, b"ok", title="Still valid", to=[f"use:{world['use']}"], valid_until="2026-11-01"
    )
    gaps = expired_gaps(service)
    assert gaps[world["use"]] == [
        f"DPA with Vendor X expired on 2026-10-15; it supports vendor {world['vendor']} (Vendor X)",
        f"Bias test 2025 expired on 2026-10-31; it supports control {world['control']} (Bias test)",
    ]
    assert gaps[world["retired"]] == []  # retired uses have no gaps
    assert gaps[world["other"]] == []
    assert [
        g.title for g in gaps_for_use(service, world["use"], TODAY) if g.rung == ev.GAP_RUNG
    ] == [
        "Evidence expired",
        "Evidence expired",
    ]
    # the day it is valid until is still valid
    assert expired_gaps(service, dt.date(2026, 10, 15))[world["use"]] == []


def test_replaced_or_removed_evidence_is_no_longer_a_gap(
    service: RegisterService, world: dict[str, int]
) -> None:
    old = ev.add_evidence(
        service, b"dpa", title="DPA", to=[f"risk:{world['risk']}"], valid_until="2026-01-01"
    )
    assert len(expired_gaps(service)[world["use"]]) == 1
    new = ev.replace_evidence(service, old.evidence_id, b"dpa 2", valid_until="2027-01-01")
    assert expired_gaps(service)[world["use"]] == []
    lapsed = ev.add_evidence(
        service, b"x", title="Old card", to=[f"use:{world['use']}"], valid_until="2025-01-01"
    )
    assert len(expired_gaps(service)[world["use"]]) == 1
    ev.remove_evidence(service, lapsed.evidence_id)
    assert expired_gaps(service)[world["use"]] == []
    assert ev.evidence_info(service, new.evidence_id).current


def test_evidence_expiry_is_in_the_calendar(
    service: RegisterService, world: dict[str, int], tmp_path: Path
) -> None:
    old = ev.add_evidence(
        service,
        b"dpa",
        title="DPA with Vendor X",
        to=[f"vendor:{world['vendor']}", f"use:{world['use']}"],
        valid_until="2026-12-31",
        added_by_id=world["person"],
    )
    ev.add_evidence(service, b"no expiry", title="AI policy", kind="policy")
    out = tmp_path / "due.ics"
    write_calendar(service, out, TODAY)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    found = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Evidence expires")]
    [event] = found
    assert str(event["SUMMARY"]) == "Evidence expires: DPA with Vendor X"
    assert event.decoded("DTSTART") == dt.date(2026, 12, 31)
    assert str(event["CATEGORIES"].to_ical().decode()) == "Evidence expiry"
    assert "Vendor X" in str(event["DESCRIPTION"]) and "Ada" in str(event["DESCRIPTION"])
    uid = str(event["UID"])

    # A replacement moves the date; the event keeps its UID so calendars update it.
    ev.replace_evidence(service, old.evidence_id, b"dpa 2027", valid_until="2027-12-31")
    write_calendar(service, out, TODAY)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    [event] = [e for e in cal.walk("VEVENT") if str(e["UID"]) == uid]
    assert event.decoded("DTSTART") == dt.date(2027, 12, 31)
    assert sum(str(e["SUMMARY"]).startswith("Evidence") for e in cal.walk("VEVENT")) == 1


def test_controls_claimed_without_evidence(service: RegisterService, world: dict[str, int]) -> None:
    def rmf() -> dict[str, Any]:
        [found] = [
            fc for fc in coverage_by_framework(service) if fc.framework.id == "nist-ai-rmf-1.0"
        ]
        return found.record()

    claimed = ev.control_evidence(service, TODAY)
    assert [c["name"] for c in claimed.claimed] == ["Bias test"] and claimed.evidenced == []
    assert (rmf()["covered"], rmf()["evidence_backed"], rmf()["claimed_no_evidence"]) == (1, 0, 1)

    added = ev.add_evidence(
        service, b"report", to=[f"control:{world['control']}"], valid_until="2099-01-01"
    )
    backed = ev.control_evidence(service, TODAY)
    assert [c["name"] for c in backed.evidenced] == ["Bias test"] and backed.claimed == []
    assert (rmf()["evidence_backed"], rmf()["claimed_no_evidence"]) == (1, 0)

    # evidence that has expired backs nothing
    assert ev.control_evidence(service, dt.date(2099, 1, 2)).claimed != []
    ev.remove_evidence(service, added.evidence_id)
    assert rmf()["claimed_no_evidence"] == 1


def test_no_evidence_changes_nothing_for_an_existing_register(
    demo_service: RegisterService,
) -> None:
    assert all(g.rung != ev.GAP_RUNG for ug in register_gaps(demo_service, TODAY) for g in ug.gaps)
    assert ev.evidence_due_items(demo_service) == []
    assert ev.verify_blobs(demo_service) == []
    assert check_register(demo_service.register).ok


def test_one_gap_per_use_and_evidence(service: RegisterService, world: dict[str, int]) -> None:
    """Attached to a use and to its vendor: one gap on that use, naming both."""
    ev.add_evidence(
        service,
        b"dpa",
        title="DPA with Vendor X",
        to=[f"use:{world['use']}", f"vendor:{world['vendor']}"],
        valid_until="2026-01-31",
    )
    assert expired_gaps(service)[world["use"]] == [
        f"DPA with Vendor X expired on 2026-01-31; it supports use {world['use']} "
        f"(Essay helper) and vendor {world['vendor']} (Vendor X)"
    ]
    only = register_gaps(service, TODAY, [world["other"]])
    assert [g for ug in only for g in ug.gaps if g.rung == ev.GAP_RUNG] == []
