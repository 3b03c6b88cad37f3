"""The dashboard's kept figures equal a fresh count after every kind of edit (issue 19 §4).

After an edit the kept state replaces only the changed uses' part in each figure; a
fresh count reads everything. Each step below edits the demo register, then compares
the two field by field, and checks the edit took the path it should: per-use edits
update the kept state, a person's edit counts afresh. The same steps run again with
kept lists so short that the top risks and "most gaps" run out and are read again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
from sqlalchemy import text

from riskdesk.service import dashboard_state
from riskdesk.service.dashboard import (
    LIST_LIMIT,
    DashboardData,
    all_heat_counts,
    dashboard_data,
)
from riskdesk.service.dashboard_ranked import Kept, Ranked
from riskdesk.service.dashboard_rows import OwnerRow, owner_order
from riskdesk.service.register import ActionResult, RegisterService
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)
TIERS = ("low", "moderate", "high", "critical", "not_assessed")


class Checker:
    """Compares the kept figures with a fresh count; knows whether the kept call counted
    afresh (``fresh_state`` is wrapped to count its calls)."""

    def __init__(self, service: RegisterService, monkeypatch: pytest.MonkeyPatch, limit: int):
        self.service, self.limit, self.fresh_calls = service, limit, 0
        real = dashboard_state.fresh_state

        def counting(*args: Any, **kwargs: Any) -> dashboard_state.DashboardState:
            self.fresh_calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(dashboard_state, "fresh_state", counting)

    def same(self, afresh: bool | None = False) -> DashboardData:
        """Kept == fresh, field by field; ``afresh``: whether the kept call must have
        counted everything (None: either)."""
        before = self.fresh_calls
        kept = dashboard_data(self.service, DEMO_TODAY, self.limit)
        if afresh is not None:
            assert (self.fresh_calls > before) == afresh
        fresh = dashboard_data(self.service, DEMO_TODAY, self.limit, cached=False)
        for f in fields(DashboardData):
            assert getattr(kept, f.name) == getattr(fresh, f.name), f.name
        assert kept.heat == all_heat_counts(self.service)  # the database's own count
        return kept


def risk_values(use_id: int, title: str, **scores: int) -> dict[str, Any]:
    return {"use_id": use_id, "title": title, **scores}


@pytest.fixture(params=["kept lists", "short kept lists"])
def check(
    request: pytest.FixtureRequest, demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> Checker:
    if request.param == "short kept lists":
        # 4 kept, 2 needed after an edit, 3 shown: the kept lists run short and are
        # read again, and a call shows more than is kept
        monkeypatch.setattr(dashboard_state, "TOP_KEEP", 4)
        monkeypatch.setattr(dashboard_state, "LIST_LIMIT", 2)
        return Checker(demo_service, monkeypatch, 3)
    return Checker(demo_service, monkeypatch, LIST_LIMIT)


def test_every_kind_of_edit_keeps_the_figures_equal_to_a_fresh_count(check: Checker) -> None:
    service = check.service
    check.same(afresh=True)  # the first call counts everything

    def tier_of(use_id: int) -> str:
        return str(service.get("ai_use", use_id)["tier"])

    # a use's tier: up to Critical (tiles, Critical list, most-gaps order) and back
    raised = service.update(
        "ai_use",
        6,
        {"eu_ai_act_class": "prohibited", "harm_severity": "severe", "people_affected": 90000},
    )
    assert tier_of(6) == "critical"
    data = check.same()
    assert 6 in [r.use_id for r in data.critical]
    service.undo(raised)
    assert tier_of(6) == "low"
    check.same()

    # stage: a retired use leaves the tiles, lists and heatmap; back again
    before = check.same()
    retired = service.update("ai_use", 1, {"stage": "retired"})
    data = check.same()
    assert data.by_tier["high"] == before.by_tier["high"] - 1
    assert data.live_uses == before.live_uses - 1
    service.undo(retired)
    check.same()

    # owners: nobody named, someone who has left, someone else
    service.update("ai_use", 2, {"owner_first_id": None})
    data = check.same()
    assert (2, "Nobody is named") in [(r.use_id, r.reason) for r in data.no_owner]
    service.update("ai_use", 3, {"owner_first_id": 13})  # Jordan Reyes has left
    data = check.same()
    assert (3, "Jordan Reyes has left") in [(r.use_id, r.reason) for r in data.no_owner]
    service.update("ai_use", 22, {"owner_first_id": 1})
    check.same()

    # review dates: long overdue, then reviewed today
    service.update("ai_use", 7, {"last_review": dt.date(2020, 1, 1), "next_review": None})
    data = check.same()
    assert 7 in [r.use_id for r in data.overdue]
    service.update("ai_use", 3, {"last_review": DEMO_TODAY, "next_review": dt.date(2027, 2, 1)})
    data = check.same()
    assert 3 not in [r.use_id for r in data.overdue]

    # risks: scores to the top, closed, moved to another use, deleted, created
    risk_id = service.rows("risk", use_id=10)[0]["id"]
    scores = {"inherent_likelihood": 5, "inherent_impact": 5, "residual_likelihood": 5}
    service.update("risk", risk_id, {**scores, "residual_impact": 5})
    service.update("risk", risk_id, {"target_likelihood": 1, "target_impact": 2})
    data = check.same()
    assert data.top_risks[0].risk_id == risk_id
    service.update("risk", risk_id, {"status": "closed"})
    data = check.same()
    assert risk_id not in [r.risk_id for r in data.top_risks]
    service.update("risk", risk_id, {"status": "open"})
    check.same()
    service.update("risk", risk_id, {"use_id": 11})
    check.same()
    moved = service.update("risk", risk_id, {"use_id": 27})  # a retired use: off the heatmap
    check.same()
    service.undo(moved)
    check.same()
    for risk in service.rows("risk", use_id=4)[:2]:
        service.delete("risk", risk["id"])
        check.same(afresh=None)  # a risk with control links reaches further: afresh
    new_risk = service.create(
        "risk",
        risk_values(
            5,
            "Added",
            inherent_likelihood=4,
            inherent_impact=5,
            residual_likelihood=4,
            residual_impact=4,
            target_likelihood=2,
            target_impact=2,
        ),
    )
    check.same()

    # a new use with risks, then deleted (its risks with it) and brought back
    use_id = service.create("ai_use", {"name": "Kept-state use", "stage": "production"})
    for n in range(3):
        service.create("risk", risk_values(use_id, f"R{n}", inherent_likelihood=5 - n))
    check.same()
    deleted: ActionResult = service.delete("ai_use", use_id)
    data = check.same()
    assert use_id not in [r.use_id for r in data.no_owner]
    service.undo(deleted)
    data = check.same()
    assert use_id in [r.use_id for r in data.no_owner]

    # many edits between two calls
    for n, other in enumerate((8, 9, 12, 13, 14)):
        service.update("ai_use", other, {"monitoring": f"batch {n}", "stage": "pilot"})
        service.update("risk", new_risk, {"use_id": other})
    check.same()

    # people reach many uses: counted afresh, names and "has left" as they are now
    service.update("person", 2, {"has_left": True})
    data = check.same(afresh=True)
    assert "Marcus Obi has left" in [r.reason for r in data.no_owner]
    service.update("person", 3, {"name": "Priya Raman-Shah"})
    check.same(afresh=True)
    service.update("ai_use", 5, {"last_review": dt.date(2019, 5, 1)})  # kept again after
    data = check.same()
    assert [r.owner for r in data.overdue if r.use_id == 5] == ["Marcus Obi"]


def test_a_rating_outside_the_grid_is_counted_by_the_database(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored rating the heatmap's packing cannot hold (written outside riskdesk)
    leaves the heatmap to the database's count, still equal to a fresh one."""
    check = Checker(demo_service, monkeypatch, LIST_LIMIT)
    check.same(afresh=True)
    risk_id = demo_service.rows("risk", use_id=14)[0]["id"]
    with demo_service.engine.begin() as conn:
        conn.execute(
            text("UPDATE risk SET target_likelihood = 20, target_impact = 1 WHERE id = :id"),
            {"id": risk_id},
        )
    demo_service.update("ai_use", 14, {"monitoring": "Its risks are read again"})
    data = check.same()
    assert data.heat["target"][(20, 1)] == 1
    assert dashboard_state._STATES[demo_service].heat is None
    demo_service.update("ai_use", 14, {"stage": "retired"})
    check.same()


# --- the kept lists themselves, against sorting everything ----------------------------
def test_ranked_rows_replaced_equal_sorting_them_all() -> None:
    rng = random.Random(19)
    rows = {u: OwnerRow(u, f"use {rng.randint(0, 30)}", rng.choice(TIERS), "r") for u in range(200)}
    ranked = Ranked.of(rows.values(), owner_order)
    for _ in range(300):
        changed = set(rng.sample(range(260), rng.randint(1, 6)))
        new = {
            u: OwnerRow(u, f"use {rng.randint(0, 30)}", rng.choice(TIERS), "r")
            for u in changed
            if rng.random() < 0.6
        }
        for u in changed:
            rows.pop(u, None)
        rows.update(new)
        ranked = ranked.replaced(changed, new)
        assert ranked.rows == sorted(rows.values(), key=owner_order)
        assert ranked.by_use == rows


def test_kept_first_entries_equal_the_first_of_everything_sorted() -> None:
    rng = random.Random(4)
    everything = {i: (rng.randint(0, 9), i % 40) for i in range(400)}  # entry -> (score, use)

    def ranking(limit: int | None = None) -> list[tuple[tuple[int, int], int, int]]:
        ranked = sorted(((-s, i), u, i) for i, (s, u) in everything.items())
        return ranked[:limit]

    def refresh_with(fill: Callable[[], list[Any]], keep: int) -> Kept[Any, int]:
        return Kept.of(fill(), keep)

    kept = refresh_with(lambda: ranking(12), 12)
    next_id, refills = 400, 0
    for _ in range(400):
        uses = set(rng.sample(range(45), rng.randint(1, 3)))
        for i in [i for i, (_, u) in everything.items() if u in uses]:
            if rng.random() < 0.5:
                del everything[i]
            else:
                everything[i] = (rng.randint(0, 9), rng.choice(sorted(uses)))
        if rng.random() < 0.5:
            everything[next_id] = (rng.randint(0, 9), rng.choice(sorted(uses)))
            next_id += 1
        now = [((-s, i), u, i) for i, (s, u) in everything.items() if u in uses]
        kept = kept.merged(uses, now, 12)
        if not kept.known(5):
            refills += 1
            kept = refresh_with(lambda: ranking(12), 12)
        shown = kept.rows[:5]
        assert shown == ranking(5)
        assert kept.rows == ranking(len(kept.rows))  # every kept entry is in its place
    assert refills  # the kept list did run short
