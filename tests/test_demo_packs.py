"""The demo's past board packs: its history over several quarters, told honestly."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select

from riskdesk.demo import build_demo
from riskdesk.demo.packs import FILE_NAME, ISSUED_BY, PAST_QUARTERS, pack_days
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService, table_of
from riskdesk.service.trends import quarter_start
from riskdesk.store.db import open_register
from tests.conftest import DEMO_TODAY


def test_one_pack_per_past_quarter_marked_as_invented(demo_service: RegisterService) -> None:
    packs = demo_service.rows("board_pack")
    days = pack_days(DEMO_TODAY)
    assert len(packs) == len(days) == PAST_QUARTERS
    assert [p["exported_at"].date() for p in packs] == days  # oldest first, by id
    starts = [quarter_start(d) for d in days]
    assert len(set(starts)) == PAST_QUARTERS and max(starts) < quarter_start(DEMO_TODAY)
    assert all(p["exported_by"] == ISSUED_BY and p["file_name"] == FILE_NAME for p in packs)
    for pack in packs:
        snapshot = json.loads(pack["snapshot"])
        assert snapshot["version"] == 2
        assert len(snapshot["uses"]["gaps"]) == len(snapshot["uses"]["id"])  # gaps recorded
        assert len(snapshot["uses"]["overdue"]) == len(snapshot["uses"]["id"])
    # the register grew: each pack holds at least the uses of the one before
    held = [set(json.loads(p["snapshot"])["uses"]["id"]) for p in packs]
    assert all(a <= b for a, b in pairwise(held))
    assert len(held[0]) < len(held[-1]) <= demo_service.count("ai_use")


def test_the_demo_with_its_packs_passes_check(demo_service: RegisterService) -> None:
    report = check_register(demo_service.register, remember=False)
    assert report.ok, report.summary()


def test_incidents_after_the_last_pack_are_logged_after_it(
    demo_service: RegisterService,
) -> None:
    last_day = pack_days(DEMO_TODAY)[-1]
    audit = table_of("audit_event")
    with demo_service.engine.connect() as conn:
        created = dict(
            conn.execute(
                select(audit.c.entity + ":" + audit.c.entity_id, audit.c.id).where(
                    audit.c.action == "create"
                )
            ).all()
        )
    pack_events = [created[f"board_pack:{p['id']}"] for p in demo_service.rows("board_pack")]
    incidents = demo_service.rows("incident")
    later = [i for i in incidents if i["occurred_on"] > last_day]
    earlier = [i for i in incidents if i["occurred_on"] <= last_day]
    assert later and earlier
    assert all(created[f"incident:{i['id']}"] > max(pack_events) for i in later)
    assert all(created[f"incident:{i['id']}"] < min(pack_events) for i in earlier)


def _packs(path: Path, uses: int, seed: int = 3) -> list[tuple[str, str]]:
    register = open_register(str(path), create=True)
    service = RegisterService(register, actor="tester")
    build_demo(service, uses=uses, seed=seed, today=DEMO_TODAY)
    return [(str(p["exported_at"]), p["snapshot"]) for p in service.rows("board_pack")]


def test_deterministic_and_only_for_the_curated_demo(tmp_path: Path) -> None:
    first = _packs(tmp_path / "a.db", 0)
    assert first and first == _packs(tmp_path / "b.db", 0)
    # generated registers (benchmarks) get none: a pack describes every use
    assert _packs(tmp_path / "c.db", 60) == []
    assert dt.date.fromisoformat(first[-1][0][:10]) == pack_days(DEMO_TODAY)[-1]
