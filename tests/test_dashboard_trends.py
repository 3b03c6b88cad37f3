"""The register's trend per quarter (issue 15 item 6): packs, the audit trail, unknowns."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial

import pytest

from riskdesk.reports.snapshot import SNAPSHOT_VERSION, take_snapshot, trend_point
from riskdesk.service import audit, trends
from riskdesk.service.dashboard import dashboard_data
from riskdesk.service.register import RegisterService
from riskdesk.service.trends import (
    SERIES,
    current_position,
    quarter_end,
    quarter_label,
    quarter_start,
    register_trend,
)
from tests.answers import answered

TODAY = dt.date(2026, 11, 15)  # Q4 2026
ORIGINAL_APPEND = audit.append


def logged_on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Every change from now on is audited as made at noon on ``day`` (chain intact)."""
    when = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(audit, "append", partial(ORIGINAL_APPEND, at=when))


def test_quarter_arithmetic() -> None:
    assert quarter_start(dt.date(2026, 11, 15)) == dt.date(2026, 10, 1)
    assert quarter_end(dt.date(2026, 11, 15)) == dt.date(2026, 12, 31)
    assert quarter_end(dt.date(2026, 2, 1)) == dt.date(2026, 3, 31)
    assert quarter_end(dt.date(2024, 5, 1)) == dt.date(2024, 6, 30)
    assert quarter_label(dt.date(2026, 8, 3)) == "Q3 2026"


@pytest.fixture
def history(service: RegisterService, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A register with a known history over 2026, one change at a time."""
    ids: dict[str, int] = {}
    logged_on(monkeypatch, dt.date(2026, 2, 10))  # Q1
    ids["a"] = service.create("ai_use", answered(name="Drafting aid", stage="production"))
    ids["b"] = service.create("ai_use", {"name": "Unassessed chatbot", "stage": "pilot"})
    ids["c"] = service.create(
        "ai_use", answered(name="CV screening", stage="production", eu_ai_act_class="high_risk")
    )
    service.create("incident", {"use_id": ids["a"], "kind": "near_miss", "title": "Wrong"})
    logged_on(monkeypatch, dt.date(2026, 5, 20))  # Q2
    service.update("ai_use", ids["b"], answered())
    ids["d"] = service.create("ai_use", {"name": "New idea", "stage": "idea"})
    service.create("incident", {"use_id": ids["c"], "kind": "incident", "title": "Bias"})
    # occurred in Q1 but logged in Q2: it counts where it reached the register
    service.create(
        "incident",
        {
            "use_id": ids["c"],
            "kind": "rollback",
            "title": "Rolled back",
            "occurred_on": dt.date(2026, 3, 1),
        },
    )
    logged_on(monkeypatch, dt.date(2026, 8, 1))  # Q3: a pack is issued
    uses = service.rows("ai_use")
    snapshot = take_snapshot(
        uses,
        service.rows("risk"),
        gaps={ids["a"]: ["owner|a", "review|a"], ids["c"]: ["challenge|c"]},
        overdue={ids["c"]},
    )
    service.create(
        "board_pack",
        {
            "exported_at": dt.datetime(2026, 8, 1, 12),
            "exported_by": "Champion",
            "file_name": "pack.pdf",
            "chain_head": "x",
            "snapshot": json.dumps(snapshot),
        },
    )
    logged_on(monkeypatch, dt.date(2026, 9, 15))  # Q3, after the pack
    service.update("ai_use", ids["c"], {"stage": "retired"})
    service.create("incident", {"use_id": ids["a"], "kind": "near_miss", "title": "Again"})
    monkeypatch.setattr(audit, "append", ORIGINAL_APPEND)
    return ids


NOW = {"gaps": 7, "overdue": 2, "high_critical": 0, "not_assessed": 1}


def test_each_quarter_from_its_best_record(
    service: RegisterService, history: dict[str, int]
) -> None:
    trend = register_trend(service, TODAY, now=NOW)
    assert [p.label for p in trend.points] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert [p.source for p in trend.points] == ["audit", "audit", "pack", "now"]
    q1, q2, q3, q4 = (p.values for p in trend.points)
    # Q1 and Q2 replayed from the audit trail: positions known, gaps and overdue unknown
    assert q1 == {
        "gaps": None,
        "overdue": None,
        "not_assessed": 1,
        "high_critical": 1,
        "incidents": 0,
        "near_misses": 1,
    }
    assert q2 == {
        "gaps": None,
        "overdue": None,
        "not_assessed": 1,  # b was assessed, d is new and not
        "high_critical": 1,
        "incidents": 2,  # the incident and the rollback logged in Q2
        "near_misses": 0,
    }
    # Q3 as the board saw it on the pack's day (c not yet retired); events by logged date
    assert q3 == {
        "gaps": 3,
        "overdue": 1,
        "not_assessed": 1,
        "high_critical": 1,
        "incidents": 0,
        "near_misses": 1,
    }
    assert trend.points[2].as_of == dt.date(2026, 8, 1)
    assert q4 == {**NOW, "incidents": 0, "near_misses": 0}
    assert trend.started == dt.date(2026, 2, 10)


def test_unknown_is_never_zero_in_the_text(
    service: RegisterService, history: dict[str, int]
) -> None:
    trend = register_trend(service, TODAY, now=NOW)
    lines = trend.text().splitlines()
    assert lines[0].startswith("Q1 2026 (from the audit trail")
    assert "open gaps unknown" in lines[0] and "overdue reviews unknown" in lines[0]
    assert "high or critical 1" in lines[0] and "near misses 1" in lines[0]
    assert "open gaps 3" in lines[2] and "2026-08-01" in lines[2]
    assert trend.series("gaps") == [None, None, 3, 7]


def test_quarters_before_the_register_are_left_out(
    service: RegisterService, history: dict[str, int]
) -> None:
    assert len(register_trend(service, TODAY, now=NOW, quarters=2).points) == 2
    later = register_trend(service, dt.date(2027, 2, 1), now=NOW, quarters=3)
    assert [p.label for p in later.points] == ["Q3 2026", "Q4 2026", "Q1 2027"]
    # Q4 2026 is now in the past and had no pack: replayed, c retired, nothing logged
    q4 = later.points[1]
    assert q4.source == "audit" and q4.value("high_critical") == 0 and q4.value("gaps") is None


def test_a_new_register_has_only_the_current_quarter(service: RegisterService) -> None:
    service.create("ai_use", answered(name="Drafting aid"))
    trend = register_trend(service, dt.date.today())
    assert len(trend.points) == 1 and trend.points[0].source == "now"
    assert trend.points[0].value("gaps") is not None  # computed when not given


def test_the_demo_now_agrees_with_the_dashboard(demo_service: RegisterService) -> None:
    today = dt.date.today()
    data = dashboard_data(demo_service, today)
    position = current_position(demo_service, today)
    assert position["gaps"] == data.gaps_total
    assert position["overdue"] == len(data.overdue)
    assert position["high_critical"] == data.by_tier["high"] + data.by_tier["critical"]
    assert position["not_assessed"] == data.by_tier["not_assessed"]
    trend = register_trend(demo_service, today, now=position)
    last = trend.points[-1]
    kinds = [i["kind"] for i in demo_service.rows("incident")]
    assert last.value("near_misses") == kinds.count("near_miss") > 0
    assert last.value("incidents") == len(kinds) - kinds.count("near_miss")
    assert trend.started is not None  # the day the demo was written
    assert set(last.values) == set(SERIES)


def test_the_demo_tells_its_history_through_past_board_packs(
    demo_service: RegisterService,
) -> None:
    from tests.conftest import DEMO_TODAY

    trend = register_trend(demo_service, DEMO_TODAY)
    assert [p.label for p in trend.points] == [
        "Q3 2025",
        "Q4 2025",
        "Q1 2026",
        "Q2 2026",
        "Q3 2026",
        "Q4 2026",
    ]
    earlier = trend.points[:-1]
    # The audit trail starts when the demo was written: the past quarters come from its
    # board packs, each dated in its quarter and marked as invented, never from a
    # back-dated trail.
    assert trend.started is not None and trend.started >= DEMO_TODAY
    assert [p.source for p in earlier] == ["pack"] * 5
    assert all(p.start <= p.as_of <= p.end for p in earlier)
    packs = demo_service.rows("board_pack")
    assert {p["exported_by"] for p in packs} == {
        "riskdesk demo: invented history, not a real board pack"
    }
    assert {p["file_name"] for p in packs} == {"demo data (no pack was issued)"}
    # what no trail saw stays unknown: the incidents logged in those quarters
    assert all(p.value("incidents") is None and p.value("near_misses") is None for p in earlier)
    assert "unknown" in earlier[0].describe()
    # the drift the story tells: more uses live, more gaps, more High/Critical over time
    gaps, high = trend.series("gaps"), trend.series("high_critical")
    assert all(v is not None for v in gaps + high)
    assert gaps[0] < gaps[-2] < gaps[-1] and high[0] < high[-1]


def test_reads_the_board_packs_snapshot_format() -> None:
    assert trends.SNAPSHOT_VERSION == SNAPSHOT_VERSION
    uses = [
        {"id": 1, "name": "a", "tier": "high", "exposure": 60, "stage": "production"},
        {"id": 2, "name": "b", "tier": "critical", "exposure": 80, "stage": "retired"},
        {"id": 3, "name": "c", "tier": "not_assessed", "exposure": None, "stage": "pilot"},
    ]
    snapshot = take_snapshot(uses, [], gaps={1: ["x|1", "y|1"], 3: ["z|3"]}, overdue={1})
    values = trends._pack_values(snapshot)
    point = trend_point(dt.date(2026, 1, 1), snapshot)  # the board pack's own reading
    assert values == {
        "high_critical": point.high_critical,
        "not_assessed": 1,
        "gaps": point.gaps,
        "overdue": point.overdue,
    }
    assert (values["high_critical"], values["gaps"], values["overdue"]) == (1, 3, 1)
    older = take_snapshot(uses, [])  # a pack from before issue 15: no gaps recorded
    assert trends._pack_values(older)["gaps"] is None
