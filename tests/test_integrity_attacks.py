"""``check`` against a careful attacker (issue 16): someone with sqlite3 and the published
hash algorithm — a planted trigger, a re-hashed chain, a truncated or emptied trail.

Each attack is made on the file directly, the way an attacker would; ``check`` (or
opening on the machine that last wrote the register) must name it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.service import audit
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store import anchors
from riskdesk.store.db import open_register
from tests.answers import answered

# Every exposure question answered: an unanswered one would make it "Not assessed".
CRITICAL = answered(name="Benefit eligibility screener", eu_ai_act_class="prohibited")


@pytest.fixture
def small(service: RegisterService) -> RegisterService:
    """A register with a few audited writes: a person, a vendor, a Critical use."""
    person = service.create("person", {"name": "Ada Byron", "default_line": "second"})
    service.create("vendor", {"name": "Acme AI"})
    service.create("ai_use", {**CRITICAL, "owner_first_id": person})
    service.create("ai_use", {"name": "Meeting notes summariser"})
    return service


@pytest.fixture
def raw(small: RegisterService, db_path: Path) -> Iterator[sqlite3.Connection]:
    small.register.dispose()  # the attacker works on the file itself
    con = sqlite3.connect(db_path)
    yield con
    con.close()


def run_check(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", "--db", str(path), "--all", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def rehash(con: sqlite3.Connection) -> None:
    """What a forger does after editing events: recompute every hash from genesis."""
    prev = audit.GENESIS
    rows = con.execute(
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_event "
        "ORDER BY id"
    ).fetchall()
    for event_id, at, actor, action, entity, entity_id, before, after in rows:
        at_text = audit._at_text(dt.datetime.fromisoformat(at))
        digest = audit.event_hash(prev, at_text, actor, action, entity, entity_id, before, after)
        con.execute(
            "UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, event_id)
        )
        prev = digest
    con.commit()


def use_id(con: sqlite3.Connection, name: str) -> int:
    return int(con.execute("SELECT id FROM ai_use WHERE name = ?", (name,)).fetchone()[0])


# --- the planted trigger ------------------------------------------------------------


def test_a_planted_trigger_is_named_and_its_damage_recomputed(
    small: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's exact trigger: a later legitimate edit turns a Critical use Low/1,
    audited as the user's own edit. The trigger is named, and the derived values that
    no longer follow from the record are named too."""
    critical = small.rows("ai_use", name=CRITICAL["name"])[0]
    assert critical["tier"] == "critical"
    con = sqlite3.connect(db_path)
    con.execute(
        "create trigger t1 after update on ai_use begin update ai_use set tier='low', "
        "exposure=1 where id=new.id and tier!='low'; end"
    )
    con.commit()
    con.close()
    small.update("ai_use", critical["id"], {"notes": "reviewed with the vendor"})
    assert small.get("ai_use", critical["id"])["tier"] == "low"  # the damage is done
    small.register.dispose()
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert "trigger t1 on ai_use is not part of riskdesk's schema" in out
    assert (
        f'ai_use {critical["id"]} ("Benefit eligibility screener"): derived values do not '
        "follow from the record" in out
    )
    assert 'tier stored "low", scoring gives "critical"' in out

    # Dropping the trigger afterwards hides the tool, not what it did.
    con = sqlite3.connect(db_path)
    con.execute("drop trigger t1")
    con.commit()
    con.close()
    code, out = run_check(db_path, capsys)
    assert code == 1 and "trigger t1" not in out
    assert "exposure stored 1, scoring gives" in out


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("CREATE VIEW v AS SELECT * FROM ai_use", "view v is not part of riskdesk's schema"),
        ("CREATE TABLE notes (x TEXT)", "table notes is not part of riskdesk's schema"),
        (
            "CREATE INDEX ix_sneaky ON risk (title)",
            "index ix_sneaky on risk is not part of riskdesk's schema",
        ),
        ("DROP INDEX ix_ai_use_tier", "index ix_ai_use_tier is missing"),
        (
            "ALTER TABLE vendor ADD COLUMN shadow TEXT",
            "table vendor's definition differs from riskdesk's",
        ),
    ],
)
def test_every_schema_object_beyond_riskdesks_is_named(
    raw: sqlite3.Connection,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    statement: str,
    named: str,
) -> None:
    raw.execute(statement)
    raw.commit()
    code, out = run_check(db_path, capsys)
    assert code == 1 and named in out


def test_a_derived_value_written_by_sql_with_a_matching_event_is_caught(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Record and event agree (both forged, chain re-hashed, anchor gone): the score
    still does not follow from the answers."""
    use = use_id(raw, CRITICAL["name"])
    raw.execute("UPDATE ai_use SET tier = 'low', exposure = 3 WHERE id = ?", (use,))
    event, after = raw.execute(
        "SELECT id, after FROM audit_event WHERE entity = 'ai_use' AND entity_id = ? "
        "ORDER BY id DESC",
        (str(use),),
    ).fetchone()
    record = json.loads(after)
    record.update(tier="low", exposure=3)
    raw.execute("UPDATE audit_event SET after = ? WHERE id = ?", (audit.canonical(record), event))
    raw.commit()
    rehash(raw)
    anchors.anchors_file().unlink()  # a machine that never saw this register
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert f'ai_use {use} ("Benefit eligibility screener"): derived values' in out
    assert "Not verified: this machine has no earlier record" in out


# --- re-hashed chains, truncation, deletion ------------------------------------------


def test_an_edited_and_rehashed_chain_is_caught_by_this_machines_anchor(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The chain verifies (every hash recomputed) and records match their events; only
    the record of the chain kept outside the register can tell."""
    raw.execute("UPDATE person SET name = 'Mallory' WHERE name = 'Ada Byron'")
    raw.execute(
        "UPDATE audit_event SET after = replace(after, 'Ada Byron', 'Mallory') "
        "WHERE entity = 'person'"
    )
    raw.commit()
    rehash(raw)
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert "the audit trail was rewritten (hashes recomputed)" in out
    assert "does not follow" not in out and "differs from its last audited" not in out


def test_reordered_events_rehashed_are_caught(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = raw.execute("SELECT id FROM audit_event ORDER BY id LIMIT 2").fetchall()
    cols = "at, actor, action, entity, entity_id, before, after"
    a = raw.execute(f"SELECT {cols} FROM audit_event WHERE id = ?", first).fetchone()
    b = raw.execute(f"SELECT {cols} FROM audit_event WHERE id = ?", second).fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    raw.execute(f"UPDATE audit_event SET {sets} WHERE id = ?", (*b, first[0]))
    raw.execute(f"UPDATE audit_event SET {sets} WHERE id = ?", (*a, second[0]))
    raw.commit()
    rehash(raw)
    code, out = run_check(db_path, capsys)
    assert code == 1 and "rewritten" in out


def test_an_event_inserted_mid_chain_and_rehashed_is_caught(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Shift every event up by one and slip a forged one in at the start."""
    raw.execute("UPDATE audit_event SET id = id + 1000")
    raw.execute("UPDATE audit_event SET id = id - 999")
    raw.execute(
        "INSERT INTO audit_event (id, at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) VALUES (1, '2026-01-01 00:00:00.000000', 'mallory', 'update', "
        "'setting', 'x', '', '', '', '')"
    )
    raw.commit()
    rehash(raw)
    code, out = run_check(db_path, capsys)
    assert code == 1 and "rewritten" in out


def test_an_appended_event_cannot_be_told_from_another_copy_and_is_said_so(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A well-formed event appended at the end (record edited to match) is what another
    riskdesk writing to a shared file also produces: ``check`` passes and says which
    events this machine never saw, and by whom."""
    last_id, head = raw.execute(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    raw.execute(
        "INSERT INTO audit_event (at, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) VALUES ('2026-11-01 09:00:00.000000', 'mallory', 'create', "
        "'setting', 'x', '', ?, ?, ?)",
        (
            '{"key":"x","value":""}',
            head,
            audit.event_hash(
                head,
                "2026-11-01T09:00:00",
                "mallory",
                "create",
                "setting",
                "x",
                "",
                '{"key":"x","value":""}',
            ),
        ),
    )
    raw.execute("INSERT INTO setting (key, value) VALUES ('x', '')")
    raw.commit()
    code, out = run_check(db_path, capsys)
    assert code == 0, out
    assert (
        f"Not verified: audit events {last_id + 1}–{last_id + 1} (by mallory) were written "
        "since riskdesk on this machine last saw the register" in out
    )


def test_deleting_everything_is_not_an_empty_register(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for table in ("ai_use", "vendor", "person", "audit_event"):
        raw.execute(f"DELETE FROM {table}")
    raw.commit()
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert "but the register has no events: audit events were deleted" in out


@pytest.mark.parametrize("then", ["delete", "undo"])
def test_truncating_a_create_then_delete_or_an_edit_then_undo_is_caught(
    service: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str], then: str
) -> None:
    """Both leave records that match the shorter chain: invisible to the chain and the
    records, not to this machine's anchor."""
    service.create("person", {"name": "Ada Byron"})
    before = service.rows("audit_event")[-1]["id"]
    if then == "delete":
        created = service.create("vendor", {"name": "Shadow AI"})
        service.delete("vendor", created)
    else:
        result = service.update("person", 1, {"title": "Risk lead"})
        service.undo(result)
    service.register.dispose()
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM audit_event WHERE id > ?", (before,))
    con.commit()
    con.close()
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert f"the chain now ends at event {before}: audit events were deleted" in out

    # And opening it for anything else on this machine says so too.
    assert main(["summary", "--db", str(db_path)]) == 0
    assert "riskdesk: warning: riskdesk on this machine wrote" in capsys.readouterr().err


def test_a_write_does_not_move_the_anchor_past_a_rewrite(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After tampering, riskdesk's next write must not bless the forged chain."""
    raw.execute("DELETE FROM audit_event WHERE id > 2")
    raw.execute("DELETE FROM ai_use")
    raw.commit()
    register = open_register(db_path)
    assert register.warnings and "truncated" in register.warnings[0]
    RegisterService(register).create("vendor", {"name": "Later"})
    register.dispose()
    code, out = run_check(db_path, capsys)
    assert code == 1 and "truncated" in out


def test_a_pack_head_no_longer_on_the_chain_is_named(
    raw: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = raw.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()[0]
    raw.execute(
        "INSERT INTO board_pack (exported_at, exported_by, file_name, chain_head, snapshot) "
        "VALUES ('2026-11-01 09:00:00', 'ada', 'pack.pdf', ?, '')",
        (head,),
    )
    raw.execute("UPDATE audit_event SET actor = 'someone else'")
    raw.commit()
    rehash(raw)
    anchors.anchors_file().unlink()
    code, out = run_check(db_path, capsys)
    assert code == 1
    assert f"board pack 1 (2026-11-01) printed chain head {head[:16]}…, which is not on" in out


def test_a_clean_check_records_the_anchor_and_reports_nothing_unverified(
    small: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = small.rows("audit_event")[-1]
    anchors.anchors_file().unlink()
    small.register.dispose()
    code, out = run_check(db_path, capsys)
    assert code == 0 and "Not verified: this machine has no earlier record" in out
    anchor = anchors.load(db_path)
    assert anchor is not None and (anchor.event_id, anchor.head) == (last["id"], last["hash"])
    code, out = run_check(db_path, capsys)
    assert code == 0 and "Not verified" not in out


def test_check_register_reports_notes_for_a_server_database() -> None:
    register = open_register("sqlite://")
    try:
        report = check_register(register)
    finally:
        register.dispose()
    assert report.ok and any("server database" in n for n in report.notes)


def test_a_deliberate_restore_can_be_accepted_on_this_machine(
    service: RegisterService, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Putting an older copy back over the file looks exactly like truncation; once the
    champion says it was on purpose, the check records the restored chain afresh."""
    from riskdesk.service.backups import backup

    service.create("person", {"name": "Ada"})
    copy = backup(service.register, tmp_path / "copy.db")
    service.create("person", {"name": "Grace"})
    service.register.dispose()
    copy.replace(db_path)
    code, out = run_check(db_path, capsys)
    assert code == 1 and "the chain now ends at event 1" in out
    code, out = run_check(db_path, capsys, "--forget-anchor")
    assert code == 0 and "Not verified: this machine has no earlier record" in out
    assert run_check(db_path, capsys)[0] == 0


def test_a_rolled_back_write_leaves_the_anchor_where_it_was(
    small: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The anchor moves only after COMMIT succeeds: an anchor ahead of the file would be
    a false alarm on the next check."""
    before = anchors.load(db_path)
    with pytest.raises(RuntimeError), small.action() as uow:
        uow.create("vendor", {"name": "Never saved"})
        uow.flush_audit()  # the events are written inside the transaction…
        raise RuntimeError("…and rolled back")
    assert anchors.load(db_path) == before
    small.create("vendor", {"name": "Saved"})
    after = anchors.load(db_path)
    assert after is not None and before is not None and after.event_id == before.event_id + 1
    small.register.dispose()
    assert run_check(db_path, capsys)[0] == 0
