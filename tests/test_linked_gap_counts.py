"""Expired-evidence and vendor due-diligence gaps counted in SQL equal the Python that
words them, use by use, on SQLite and PostgreSQL (issue 19: ``riskdesk summary``).

The register gets expired evidence on every kind of record it can support (a use, a
risk, a control, a review, a challenge, an incident, a vendor, a model), evidence that
no longer counts (removed, replaced, still valid, on a retired use), two links reaching
one use, and vendors lacking each piece of diligence.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import text

from riskdesk.service import due_diligence
from riskdesk.service import evidence as ev
from riskdesk.service.gap_counts import gap_total, ladder_counts, use_gap_counts
from riskdesk.service.linked_gap_counts import linked_counts, linked_total
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.summary import register_summary
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)

EXPIRED = "2026-01-31"
TODAYS = (DEMO_TODAY, dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2028, 6, 15))


def first(service: RegisterService, sql: str) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def add_every_kind(service: RegisterService) -> None:
    """Evidence on every target kind, and the cases that must not count."""
    targets = {
        "use": first(service, "SELECT min(id) FROM ai_use WHERE stage != 'retired'"),
        "risk": first(service, "SELECT max(id) FROM risk"),
        "control": first(service, "SELECT min(control_id) FROM risk_control"),
        "review": first(service, "SELECT max(id) FROM review"),
        "challenge": first(service, "SELECT min(id) FROM challenge"),
        "incident": first(service, "SELECT min(id) FROM incident WHERE use_id IS NOT NULL"),
        "vendor": first(service, "SELECT min(vendor_id) FROM ai_use"),
        "model": first(service, "SELECT min(model_id) FROM ai_use"),
    }
    for kind, tid in targets.items():
        ev.add_evidence(
            service, kind.encode(), title=f"On a {kind}", to=[f"{kind}:{tid}"], valid_until=EXPIRED
        )
    # one evidence reaching a use twice (the use itself and one of its risks): one gap
    use = targets["use"]
    risk = first(service, f"SELECT min(id) FROM risk WHERE use_id = {use}")
    ev.add_evidence(
        service, b"twice", title="Twice", to=[f"use:{use}", f"risk:{risk}"], valid_until=EXPIRED
    )
    retired = first(service, "SELECT min(id) FROM ai_use WHERE stage = 'retired'")
    ev.add_evidence(service, b"ret", title="Retired", to=[f"use:{retired}"], valid_until=EXPIRED)
    ev.add_evidence(service, b"ok", title="Valid", to=[f"use:{use}"], valid_until="2027-06-30")
    gone = ev.add_evidence(service, b"gone", title="Gone", to=[f"use:{use}"], valid_until=EXPIRED)
    ev.remove_evidence(service, gone.evidence_id)
    old = ev.add_evidence(service, b"v1", title="Old", to=[f"vendor:{targets['vendor']}"])
    ev.replace_evidence(service, old.evidence_id, b"v2", valid_until="2026-03-31")
    # vendors lacking diligence, one piece each (the demo has some already)
    with service.engine.begin() as conn:
        conn.execute(text("UPDATE vendor SET dpa_signed = NULL WHERE id = 2"))
        conn.execute(text("UPDATE vendor SET exit_plan = '  ' WHERE id = 3"))
        conn.execute(text("UPDATE vendor SET security_review_on = '2025-10-31' WHERE id = 4"))


def python_linked(service: RegisterService, today: dt.date) -> dict[int, int]:
    with service.engine.connect() as conn:
        expired = ev.evidence_gaps_by_use(conn, today)
        uses = conn.execute(text("SELECT id, tier, stage, vendor_id, model_id FROM ai_use")).all()
        diligence = due_diligence.gaps_by_use(conn, uses, today)
    out: dict[int, int] = {}
    for found in (expired, diligence):
        for use_id, gaps in found.items():
            if gaps:
                out[use_id] = out.get(use_id, 0) + len(gaps)
    return out


def test_linked_counts_equal_the_python_use_by_use(demo_service: RegisterService) -> None:
    add_every_kind(demo_service)
    for today in TODAYS:
        expected = python_linked(demo_service, today)
        with demo_service.engine.connect() as conn:
            assert linked_counts(conn, today) == expected, today
            assert linked_total(conn, today) == sum(expected.values()), today
    with demo_service.engine.connect() as conn:  # every kind reached a use
        assert len(ev.evidence_gaps_by_use(conn, DEMO_TODAY)) >= 8


def test_no_lacking_vendor_and_no_evidence_count_nothing(service: RegisterService) -> None:
    service.create("vendor", {"name": "Tidy", "dpa_signed": True, "exit_plan": "Export"})
    with service.engine.connect() as conn:
        assert linked_counts(conn, DEMO_TODAY) == {}
        assert linked_total(conn, DEMO_TODAY) == 0


def old_summary(service: RegisterService, today: dt.date) -> dict[str, Any]:
    """``register_summary`` as computed before issue 19: counts through the service,
    gaps from the ladder itself."""
    from riskdesk.service.summary import register_summary as current

    data = current(service)
    for key, entity in (("uses", "ai_use"), ("risks", "risk"), ("people", "person")):
        data[key] = service.count(entity)
    for key in ("vendors", "incidents", "controls"):
        data[key] = service.count(key.removesuffix("s"))
    data["gaps"] = sum(len(u.gaps) for u in register_gaps(service, today))
    return data


def test_summary_and_gap_counts_equal_the_ladder_with_every_gap_kind(
    demo_service: RegisterService,
) -> None:
    add_every_kind(demo_service)
    today = dt.date.today()  # what `riskdesk summary` counts against
    data = register_summary(demo_service)
    assert json.dumps(data) == json.dumps(old_summary(demo_service, today))
    assert data["gaps"] == gap_total(demo_service, today) == gap_total(demo_service.register)
    rungs = {g.rung for u in register_gaps(demo_service, today) for g in u.gaps}
    assert {"evidence_expired", due_diligence.RUNG} <= rungs
    expected = {
        u.use_id: (len(u.gaps), any(g.rung == "review_overdue" for g in u.gaps))
        for u in register_gaps(demo_service, DEMO_TODAY)
        if u.gaps
    }
    counted = use_gap_counts(demo_service, DEMO_TODAY)
    assert {u.use_id: (u.gaps, u.review_overdue) for u in counted} == expected
    if demo_service.register.is_sqlite:  # the ladder's SQL path, not the fallback
        with demo_service.engine.connect() as conn:
            assert ladder_counts(conn, DEMO_TODAY, "medium", demo_service.scoring_config())
