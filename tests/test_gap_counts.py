"""Gap counts in SQL (issue 19) equal the ladder's own, use by use.

``service.gap_counts`` re-states ``scoring.ladder.find_gaps`` (and the agent and
evidence gaps ``register_gaps`` adds) as one SQL statement so ``riskdesk summary`` and
the dashboard need not build every gap in Python. These tests hold the two paths
together on the demo, on a register shaken into odd corners (month-end dates, shared
owners, whitespace-only plans, agents, acceptances), and on uses nobody has assessed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest
from sqlalchemy import text

from riskdesk.scoring import ScoringConfig
from riskdesk.scoring.ladder import add_months
from riskdesk.service.gap_counts import ladder_counts, use_gap_counts
from riskdesk.service.oversight import gap_count, register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.scoring_settings import save_scoring_config
from riskdesk.service.summary import register_summary
from tests.conftest import DEMO_TODAY

# Month ends (clamped cadences), a leap day, the demo's own day, years either side.
TODAYS = (
    DEMO_TODAY,
    dt.date(2025, 1, 31),
    dt.date(2025, 2, 28),
    dt.date(2024, 2, 29),
    dt.date(2025, 3, 31),
    dt.date(2026, 12, 31),
    dt.date(2028, 6, 15),
)


def python_counts(service: RegisterService, today: dt.date) -> dict[int, tuple[int, bool]]:
    return {
        u.use_id: (len(u.gaps), any(g.rung == "review_overdue" for g in u.gaps))
        for u in register_gaps(service, today)
        if u.gaps
    }


def sql_counts(service: RegisterService, today: dt.date) -> dict[int, tuple[int, bool]]:
    appetite = service.profile().get("risk_appetite") or "medium"
    with service.engine.connect() as conn:
        counted = ladder_counts(conn, today, appetite, service.scoring_config())
    assert counted is not None, "the register should be readable by the SQL path"
    return {u.use_id: (u.gaps, u.review_overdue) for u in counted if u.gaps}


def assert_same(service: RegisterService) -> None:
    for today in TODAYS:
        expected = python_counts(service, today)
        assert sql_counts(service, today) == expected, today
        assert gap_count(service, today) == sum(n for n, _ in expected.values()), today


def shake(service: RegisterService, seed: int) -> None:
    """Write odd but valid values straight into the register, use by use."""
    rng = random.Random(seed)
    people = [r["id"] for r in service.rows("person")]
    dates = [
        None,
        "2024-01-31",
        "2024-02-29",
        "2024-08-31",
        "2025-01-29",
        "2025-01-31",
        "2025-03-31",
        "2025-05-31",
        "2025-11-30",
        "2025-12-31",
        "2026-02-28",
        "2026-08-31",
        "2026-10-31",
        "2027-01-31",
    ]
    texts = ["", " ", "\t\n", "\u00a0", "\u3000", "Manual switch", " x "]
    who = [None, *people[:4]]
    with service.engine.begin() as conn:
        conn.execute(text("UPDATE person SET has_left = (id % 3 = 0)"))
        for (use_id,) in conn.execute(text("SELECT id FROM ai_use")).all():
            values: dict[str, Any] = {
                "o1": rng.choice(who),
                "o2": rng.choice(who),
                "o3": rng.choice(who),
                "lr": rng.choice(dates),
                "nr": rng.choice(dates),
                "rb": rng.choice(texts),
                "ks": rng.choice(texts),
                "mon": rng.choice(texts),
                "board": rng.choice([0, 1]),
                "rr": rng.choice([0, 0, 1]),
                "aut": rng.choice(
                    [None, "none", "agent_read", "agent_write_approval", "agent_autonomous"]
                ),
                "pr": rng.choice([0, 1]),
                "had": rng.choice([None, 0, 1]),
                "dps": rng.choice([None, 0, 1]),
                "id": use_id,
            }
            conn.execute(
                text(
                    "UPDATE ai_use SET owner_first_id = :o1, owner_second_id = :o2,"
                    " owner_third_id = :o3, last_review = :lr, next_review = :nr,"
                    " rollback_plan = :rb, kill_switch = :ks, monitoring = :mon,"
                    " board_reporting = :board, needs_rereview = :rr, autonomy = :aut,"
                    " permissions_reviewed = :pr, human_approval_destructive = :had,"
                    " dev_prod_separated = :dps WHERE id = :id"
                ),
                values,
            )
            for n in range(rng.choice([0, 1, 2])):
                conn.execute(
                    text(
                        "INSERT INTO agent_permission (use_id, system, access, environment,"
                        " needed, last_reviewed, notes) VALUES (:u, :s, :a, :e, :n, :lr, '')"
                    ),
                    {
                        "u": use_id,
                        "s": f"System {n}",
                        "a": rng.choice(["read", "write", "delete", "execute", "send_messages"]),
                        "e": rng.choice([None, "production", "development"]),
                        "n": rng.choice([None, 0, 1]),
                        "lr": rng.choice(dates),
                    },
                )
        for (risk_id,) in conn.execute(text("SELECT id FROM risk")).all():
            conn.execute(
                text(
                    "UPDATE risk SET owner_id = :o, residual_likelihood = :l,"
                    " residual_impact = :i, status = :s, accepted_by_id = :a,"
                    " acceptance_expires = :e WHERE id = :id"
                ),
                {
                    "o": rng.choice(who),
                    "l": rng.randint(1, 5),
                    "i": rng.randint(1, 5),
                    "s": rng.choice(["open", "treating", "accepted", "closed"]),
                    "a": rng.choice([None, *people[:2]]),
                    "e": rng.choice(dates),
                    "id": risk_id,
                },
            )
        # one retired use keeps an open incident and risks: still no ladder gaps
        conn.execute(text("UPDATE ai_use SET stage = 'retired' WHERE id % 7 = 0"))


def test_sql_counts_equal_the_ladder_on_the_demo(demo_service: RegisterService) -> None:
    assert_same(demo_service)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_counts_equal_the_ladder_in_odd_corners(
    demo_service: RegisterService, seed: int
) -> None:
    shake(demo_service, seed)
    assert_same(demo_service)


def test_sql_counts_follow_the_scoring_settings(demo_service: RegisterService) -> None:
    shake(demo_service, 4)
    save_scoring_config(
        demo_service,
        ScoringConfig(
            review_months={"low": 12, "moderate": 5, "high": 2, "critical": 1},
            ladder={
                "owner_first": "low",
                "review_overdue": "low",
                "review_cadence": "low",
                "owner_second": "low",
                "risk_assessed": "high",
                "owner_third": "moderate",
                "challenge": "moderate",
                "rollback_plan": "low",
                "kill_switch": "critical",
                "monitoring": "moderate",
                "board_reporting": "high",
                "permissions_review": "low",
            },
        ),
    )
    assert_same(demo_service)
    for appetite in ("low", "high", "critical"):  # "critical": nothing is above it
        demo_service.save_profile({"risk_appetite": appetite})
        assert_same(demo_service)


def test_sql_counts_equal_the_ladder_for_uses_nobody_assessed(service: RegisterService) -> None:
    owner = service.create("person", {"name": "Olu Owner"})
    service.create("ai_use", {"name": "Blank", "owner_first_id": owner})
    service.create(
        "ai_use",
        {
            "name": "Tutor bot",
            "people_affected": "2,400",
            "childrens_data": "yes",
            "autonomy": "agent_autonomous",
        },
    )
    service.create("ai_use", {"name": "Chatbot", "stage": "production", "rights_impacting": True})
    assert_same(service)


def test_a_value_the_sql_cannot_read_falls_back_to_the_ladder(
    demo_service: RegisterService,
) -> None:
    with demo_service.engine.begin() as conn:  # a label where the stored value belongs
        conn.execute(text("UPDATE ai_use SET stage = 'Production' WHERE id = 1"))
    with demo_service.engine.connect() as conn:
        assert ladder_counts(conn, DEMO_TODAY, "medium", demo_service.scoring_config()) is None
    expected = python_counts(demo_service, DEMO_TODAY)
    counted = {
        u.use_id: (u.gaps, u.review_overdue) for u in use_gap_counts(demo_service, DEMO_TODAY)
    }
    assert counted == expected
    assert gap_count(demo_service, DEMO_TODAY) == sum(n for n, _ in expected.values())


def _python_summary(service: RegisterService) -> dict[str, Any]:
    """``register_summary`` as it was before the SQL count: gaps from the ladder."""
    data = register_summary(service)
    data["gaps"] = sum(len(u.gaps) for u in register_gaps(service))
    return data


def test_summary_json_is_the_same_by_sql_as_by_the_ladder(demo_service: RegisterService) -> None:
    assert json.dumps(register_summary(demo_service)) == json.dumps(_python_summary(demo_service))


def test_summary_json_is_the_same_with_unknown_factors(service: RegisterService) -> None:
    owner = service.create("person", {"name": "Olu Owner"})
    service.create("ai_use", {"name": "Gaggle scanning", "owner_first_id": owner})
    service.create(
        "ai_use",
        {"name": "Tutor bot", "owner_first_id": owner, "eu_ai_act_class": "Not assessed"},
    )
    data = register_summary(service)
    assert data["by_tier"]["unassessed"] == 2 and data["gaps"] > 0
    assert json.dumps(data) == json.dumps(_python_summary(service))


def _set_dates(service: RegisterService, today: dt.date, offset: int) -> None:
    """Put each use's review and challenge dates on the edges its cadence gives from
    ``today``: one day either side of overdue, of too far away, of a current challenge."""
    config = service.scoring_config()
    day = dt.timedelta(days=1)
    with service.engine.begin() as conn:
        conn.execute(text("DELETE FROM challenge"))
        uses = conn.execute(text("SELECT id, tier, tier_low FROM ai_use ORDER BY id")).all()
        for i, (use_id, tier, tier_low) in enumerate(uses):
            effective = (tier_low or "low") if tier == "not_assessed" else tier
            m = config.review_months_for(effective)
            edge = add_months(today, -m)
            lasts = [None, edge, edge - day, edge + day]
            k = i + offset
            last = lasts[k % 4]
            base = last or today
            nexts = [None, today, today - day, add_months(base, m), add_months(base, m) + day]
            nxt = nexts[(k // 4) % 5]
            cut = add_months(today, -config.review_months_for(tier))
            raised = [None, last, last and last - day, cut, cut + day][(k // 20) % 5]
            conn.execute(
                text("UPDATE ai_use SET last_review = :l, next_review = :n WHERE id = :id"),
                {"l": last, "n": nxt, "id": use_id},
            )
            if raised is not None:
                conn.execute(
                    text(
                        "INSERT INTO challenge (use_id, raised_on, question, severity, answer,"
                        " status, resolution, snapshot_raised, snapshot_resolved)"
                        " VALUES (:u, :r, 'Why?', 'minor', '', 'open', '', '', '')"
                    ),
                    {"u": use_id, "r": raised},
                )


@pytest.mark.parametrize("today", [dt.date(2025, 3, 31), dt.date(2024, 2, 29), DEMO_TODAY])
def test_sql_counts_equal_the_ladder_on_the_edges_of_each_cadence(
    demo_service: RegisterService, today: dt.date
) -> None:
    for offset in range(0, 100, 28):
        _set_dates(demo_service, today, offset)
        assert sql_counts(demo_service, today) == python_counts(demo_service, today), offset


@pytest.mark.parametrize("seed", [0, 5])
def test_the_dashboard_gap_lists_are_the_ladder_s(demo_service: RegisterService, seed: int) -> None:
    from riskdesk.enums import Tier
    from riskdesk.service.dashboard import dashboard_data

    if seed:
        shake(demo_service, seed)
    data = dashboard_data(demo_service, DEMO_TODAY)
    gaps = [u for u in register_gaps(demo_service, DEMO_TODAY) if u.gaps]
    assert data.gaps_total == sum(len(u.gaps) for u in gaps)
    assert data.gap_use_ids == [u.use_id for u in gaps]
    most = sorted(gaps, key=lambda u: (-len(u.gaps), -Tier(u.tier).ordinal(), u.use_id))[:8]
    assert [(r.use_id, r.name, r.tier, r.count, r.titles) for r in data.most_gaps] == [
        (u.use_id, u.use_name, u.tier, len(u.gaps), [g.title for g in u.gaps]) for u in most
    ]
    overdue = {u.use_id for u in gaps if any(g.rung == "review_overdue" for g in u.gaps)}
    assert {r.use_id for r in data.overdue} == overdue
    by_use = {u.use_id: len(u.gaps) for u in gaps}
    assert all(r.gap_count == by_use.get(r.use_id, 0) for r in data.critical)


def test_sql_counts_equal_the_ladder_for_vendors_and_the_models_they_provide(
    demo_service: RegisterService,
) -> None:
    """Due diligence is counted in the ladder's statement: a use bought through a vendor
    lacking it, running a model whose provider lacks it (once if that is the same
    vendor), either, neither, with and without a model or a vendor — every pair, on
    uses of the tiers diligence applies to."""
    with demo_service.engine.begin() as conn:
        # vendors 1 and 4 lack a DPA; models 1 and 5 are theirs, model 4 is vendor 2's
        conn.execute(text("UPDATE vendor SET dpa_signed = NULL WHERE id IN (1, 4)"))
        providers = text("SELECT id, provider_id FROM ai_model WHERE id IN (1, 4, 5)")
        assert {m: p for m, p in conn.execute(providers)} == {1: 1, 4: 2, 5: 4}
        conn.execute(text("UPDATE ai_use SET tier = 'high' WHERE tier IN ('low', 'moderate')"))
        live = "SELECT id FROM ai_use WHERE stage != 'retired' ORDER BY id"
        uses = [u for (u,) in conn.execute(text(live))]
        pairs = [(v, m) for v in (None, 1, 2, 4) for m in (None, 1, 4, 5)]
        assert len(uses) >= len(pairs)
        for use_id, (vendor, model) in zip(uses, pairs, strict=False):
            conn.execute(
                text("UPDATE ai_use SET vendor_id = :v, model_id = :m WHERE id = :id"),
                {"v": vendor, "m": model, "id": use_id},
            )
    assert_same(demo_service)
