"""Issue 19: the board pack's figures from one streamed pass equal the list-based ones.

The old ``gather`` held every use and risk as rows and sorted, filtered and counted
lists; the new one keeps counters and the top rows as the register streams past (and
the snapshot as columns). These tests recompute each figure the old way from whole
lists on a small register, with tiny batches so that every batch boundary is crossed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from riskdesk.enums import Band, EUAIActClass, RiskStatus, Stage, Tier
from riskdesk.reports import boardpack
from riskdesk.reports.boardpack import ACCOUNTABLE_LIMIT, TOP_RISKS, gather
from riskdesk.reports.fonts import register_fonts
from riskdesk.reports.pack_figures import TopN
from riskdesk.reports.pdf import vendors_agents
from riskdesk.reports.pdf.line_table import LineLayout, LinePage
from riskdesk.reports.registerdata import read_table
from riskdesk.reports.snapshot import compare, take_snapshot
from riskdesk.scoring.bands import band
from riskdesk.service.agents import agent_overview
from riskdesk.service.oversight import iter_register_gaps, register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import concentration

TODAY = dt.date(2026, 6, 30)
RANK = {t.value: i for i, t in enumerate(Tier)}


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_top_n_keeps_what_a_stable_sort_keeps(limit: int) -> None:
    rng = random.Random(limit)
    items = [(rng.randint(0, 6), i) for i in range(700)]  # many ties on the key
    top: TopN[tuple[int, int]] = TopN(limit, key=lambda item: item[0])
    for item in items:
        top.add(item)
    assert top.result() == sorted(items, key=lambda item: item[0])[:limit]
    assert top.count == len(items)


def _old_figures(svc: RegisterService) -> dict[str, Any]:
    """Every figure as the list-based gather computed it."""
    with svc.engine.connect() as conn:
        uses, risks = read_table(conn, "ai_use"), read_table(conn, "risk")
    gaps = {g.use_id: g.gaps for g in register_gaps(svc, TODAY) if g.gaps}
    by_id = {u["id"]: u for u in uses}
    live = [u for u in uses if u["stage"] != Stage.RETIRED.value]
    retired = {u["id"] for u in uses if u["stage"] == Stage.RETIRED.value}
    open_risks = [
        r for r in risks if r["status"] != RiskStatus.CLOSED.value and r["use_id"] not in retired
    ]
    grids = {}
    for stage in ("inherent", "residual"):
        grid = [[0] * 5 for _ in range(5)]
        for r in open_risks:
            grid[r[f"{stage}_likelihood"] - 1][r[f"{stage}_impact"] - 1] += 1
        grids[stage] = grid
    top = sorted(
        open_risks,
        key=lambda r: (
            -(r["residual_likelihood"] * r["residual_impact"]),
            -(r["inherent_likelihood"] * r["inherent_impact"]),
            -int(by_id[r["use_id"]]["exposure"] or by_id[r["use_id"]]["exposure_high"] or 0),
        ),
    )[:TOP_RISKS]
    accountable = sorted(
        (u for u in live if u["tier"] in (Tier.HIGH.value, Tier.CRITICAL.value)),
        key=lambda u: (-RANK[u["tier"]], -u["exposure"], u["name"]),
    )
    per_owner: dict[int | None, list[list[Any]]] = defaultdict(list)
    for u in uses:
        if gaps.get(u["id"]):
            per_owner[u["owner_first_id"]].append(gaps[u["id"]])
    owners = [
        (
            owner,
            len(lists),
            sum(len(gs) for gs in lists),
            Counter(g.title for gs in lists for g in gs).most_common(3),
        )
        for owner, lists in per_owner.items()
    ]
    residual = Counter(band(r["residual_likelihood"] * r["residual_impact"]) for r in open_risks)
    critical = [u["name"] for u in live if u["tier"] == Tier.CRITICAL.value and gaps.get(u["id"])]
    prohibited = [u["name"] for u in live if u["eu_ai_act_class"] == EUAIActClass.PROHIBITED.value]
    rungs = {g.rung for gs in gaps.values() for g in gs}
    return {
        "uses": len(uses),
        "live": len(live),
        "tiers": {t.value: sum(1 for u in live if u["tier"] == t.value) for t in Tier},
        "gaps": sum(len(gs) for gs in gaps.values()),
        "gaps_by_rung": {
            rung: sum(g.rung == rung for gs in gaps.values() for g in gs) for rung in rungs
        },
        "uses_with": {
            rung: sum(any(g.rung == rung for g in gs) for gs in gaps.values()) for rung in rungs
        },
        "live_with_gaps": sum(1 for u in live if gaps.get(u["id"])),
        "gap_counts": {uid: len(gs) for uid, gs in gaps.items()},
        "risks": len(risks),
        "open": len(open_risks),
        "grids": grids,
        "bands": (residual[Band.CRITICAL], residual[Band.HIGH]),
        "top": [(r["id"], by_id[r["use_id"]]["name"]) for r in top],
        "accountable": (
            [u["id"] for u in accountable[:ACCOUNTABLE_LIMIT]],
            max(0, len(accountable) - ACCOUNTABLE_LIMIT),
        ),
        "owners": sorted(owners, key=lambda o: -o[2]),
        "critical": (len(critical), critical[:3]),
        "prohibited": (len(prohibited), prohibited[:3]),
        "snapshot": take_snapshot(
            uses,
            risks,
            gaps={uid: [f"{g.rung}|{g.subject}" for g in gs] for uid, gs in gaps.items()},
            overdue={
                uid for uid, gs in gaps.items() if any(g.rung == "review_overdue" for g in gs)
            },
        ),
    }


@pytest.mark.both_databases  # the streamed queries (yield_per, outer join) on both
@pytest.mark.parametrize(("rows", "gap_batch"), [(1, 1), (3, 4), (2000, 2000)])
def test_streamed_figures_equal_the_list_based_ones(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch, rows: int, gap_batch: int
) -> None:
    svc = demo_service
    # Something retired, closed, prohibited and unowned, so every filter has work to do.
    svc.update("ai_use", 2, {"stage": Stage.RETIRED.value})
    svc.update("ai_use", 5, {"eu_ai_act_class": EUAIActClass.PROHIBITED.value})
    svc.update("ai_use", 7, {"owner_first_id": None})
    svc.update("risk", 3, {"status": RiskStatus.CLOSED.value})
    monkeypatch.setattr(boardpack, "STREAM_BATCH", rows)
    monkeypatch.setattr(
        boardpack, "iter_register_gaps", functools.partial(iter_register_gaps, batch=gap_batch)
    )
    old = _old_figures(svc)
    c = gather(svc, TODAY)
    assert (c.use_count, c.live_count, c.tier_counts()) == (old["uses"], old["live"], old["tiers"])
    assert c.gap_count() == old["gaps"] > 0
    assert {r: c.gap_count(r) for r in old["gaps_by_rung"]} == old["gaps_by_rung"]
    assert {r: c.uses_with(r) for r in old["uses_with"]} == old["uses_with"]
    assert c.use_tally.live_with_gaps == old["live_with_gaps"]
    assert c.use_tally.gap_counts == old["gap_counts"]
    assert (c.risk_count, c.open_risk_count) == (old["risks"], old["open"])
    assert old["risks"] > old["open"]
    assert {s: c.heatmap(s) for s in ("inherent", "residual")} == old["grids"]
    assert (c.residual_band_count(Band.CRITICAL), c.residual_band_count(Band.HIGH)) == old["bands"]
    assert [(r["id"], r["use_name"]) for r in c.top_risks()] == old["top"]
    shown, more = c.accountable_uses()
    assert ([u["id"] for u in shown], more) == old["accountable"]
    owners = [(o.owner_id, o.uses_with_gaps, o.gaps, o.top) for o in c.gaps_by_owner()]
    assert sorted(owners, key=lambda o: -o[2]) == old["owners"]
    assert None in [o[0] for o in owners]  # the unowned use's gaps are grouped too
    critical, prohibited = c.use_tally.critical_with_gaps, c.use_tally.prohibited
    assert (critical.count, critical.names) == old["critical"]
    assert (prohibited.count, prohibited.names) == old["prohibited"] != (0, [])
    assert c.snapshot["uses"] == old["snapshot"]["uses"]
    assert c.snapshot["risks"] == old["snapshot"]["risks"]
    # The appendix streams the same rows again, in id order.
    assert [u["id"] for u in c.iter_uses()] == old["snapshot"]["uses"]["id"]
    assert [r["id"] for r in c.iter_risks()] == old["snapshot"]["risks"]["id"]


def _dict_compare(before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """The old compare's findings, from {id: row} dicts of both snapshots."""

    def rows(part: dict[str, list[Any]]) -> dict[int, dict[str, Any]]:
        return {k: {c: part[c][i] for c in part} for i, k in enumerate(part["id"])}

    was_u, is_u = rows(before["uses"]), rows(now["uses"])
    was_r, is_r = rows(before["risks"]), rows(now["risks"])
    retired = Stage.RETIRED.value
    return {
        "new": sorted(k for k, u in is_u.items() if k not in was_u and u["stage"] != retired),
        "retired": sorted(
            [
                k
                for k, u in is_u.items()
                if k in was_u and u["stage"] == retired and was_u[k]["stage"] != retired
            ]
            + [k for k, u in was_u.items() if k not in is_u and u["stage"] != retired]
        ),
        "moved": sorted(
            k
            for k, u in is_u.items()
            if k in was_u and u["stage"] != retired and u["tier"] != was_u[k]["tier"]
        ),
        "risks_moved": sorted(
            k
            for k, r in is_r.items()
            if k in was_r
            and not (r["status"] == "closed" != was_r[k]["status"])
            and r["residual"] != was_r[k]["residual"]
        ),
        "counts": (
            sum(k not in was_r for k in is_r),
            sum(k not in is_r for k in was_r),
            sum(
                k in was_r and r["status"] == "closed" != was_r[k]["status"]
                for k, r in is_r.items()
            ),
        ),
        "opened": sorted(
            (k, g)
            for k, u in is_u.items()
            for g in set(u["gaps"]) - set(was_u.get(k, {}).get("gaps", []))
        ),
        "closed": sorted(
            (k, g)
            for k, u in was_u.items()
            for g in set(u["gaps"]) - set(is_u.get(k, {}).get("gaps", []))
        ),
        "overdue": sorted(
            k for k, u in is_u.items() if u["overdue"] and not was_u.get(k, {}).get("overdue")
        ),
    }


def _random_snapshot(rng: random.Random, ids: list[int], shuffle: bool) -> dict[str, Any]:
    tiers = [t.value for t in Tier]
    uses = [
        {
            "id": k,
            "name": f"Use {k}",
            "tier": rng.choice(tiers),
            "exposure": rng.randint(0, 100),
            "stage": rng.choice([Stage.PRODUCTION.value, Stage.RETIRED.value]),
        }
        for k in ids
    ]
    risks = [
        {
            "id": k * 10 + n,
            "use_id": k,
            "residual_likelihood": rng.randint(1, 5),
            "residual_impact": 2,
            "status": rng.choice(["open", "closed"]),
        }
        for k in ids
        for n in range(rng.randint(0, 3))
    ]
    if shuffle:
        rng.shuffle(uses)
        rng.shuffle(risks)
    gaps = {k: rng.sample(["a|", "b|x", "c|y"], rng.randint(0, 2)) for k in ids}
    overdue = {k for k in ids if rng.random() < 0.3}
    return take_snapshot(uses, risks, gaps=gaps, overdue=overdue)


@pytest.mark.parametrize("seed", range(6))
def test_merged_compare_finds_what_the_dict_compare_found(seed: int) -> None:
    rng = random.Random(seed)
    before_ids = sorted(rng.sample(range(1, 80), 40))
    now_ids = sorted(rng.sample(before_ids, 30) + rng.sample(range(80, 120), 10))
    # Older snapshots in any order are walked in id order all the same.
    before = _random_snapshot(rng, before_ids, shuffle=seed % 2 == 1)
    now = _random_snapshot(rng, now_ids, shuffle=False)
    want = _dict_compare(before, now)
    got = compare(before, now)
    assert sorted(u.use_id for u in got.new_uses) == want["new"]
    assert sorted(u.use_id for u in got.retired_uses) == want["retired"]
    assert sorted(u.use_id for u in got.tier_up + got.tier_down) == want["moved"]
    assert sorted(r.risk_id for r in got.risks_up + got.risks_down) == want["risks_moved"]
    assert (got.new_risks, got.removed_risks, got.closed_risks) == want["counts"]
    assert sorted((g.use_id, g.gap) for g in got.gaps_opened) == want["opened"]
    assert sorted((g.use_id, g.gap) for g in got.gaps_closed) == want["closed"]
    assert sorted(u.use_id for u in got.newly_overdue or []) == want["overdue"]
    assert got.gaps_before == sum(len(set(g)) for g in before["uses"]["gaps"])
    assert got.gaps_after == sum(len(set(g)) for g in now["uses"]["gaps"])
    assert want["new"] and want["retired"] and want["opened"]  # the cases are exercised


def test_appendix_pages_take_their_rows_in_turn_from_one_stream() -> None:
    register_fonts()
    layout = LineLayout(["ID", "Name"], [40.0, 200.0])
    closed: list[bool] = []
    drawn: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        try:
            yield from ({"id": i, "name": f"Use {i}"} for i in range(7))
        finally:
            closed.append(True)

    def cells(record: dict[str, Any]) -> tuple[str, str]:
        drawn.append(record["id"])
        return str(record["id"]), record["name"]

    source = rows()
    # Counted 9 rows but the stream has 7 (the register changed): the last page is short.
    pages = [LinePage(layout, source, 3, cells, last=i == 2) for i in range(3)]
    canvas = Canvas(io.BytesIO())
    for i, page in enumerate(pages):
        assert not closed
        page.drawOn(canvas, 0, 0)
        assert drawn == list(range(min(3 * (i + 1), 7)))
    assert closed == [True]  # the last page let go of the stream (its connection)


def test_vendor_agent_section_keeps_its_rows_and_the_totals(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vendors_agents, "MAX_AGENTS", 1)
    monkeypatch.setattr(vendors_agents, "MAX_IF_DOWN", 2)
    agents = agent_overview(demo_service, TODAY)
    full = concentration(demo_service)
    data = vendors_agents.gather_vendor_agent(demo_service, TODAY)
    assert len(agents) > 1 and len(full.providers[0].if_down) > 2  # both lists are cut
    assert data.agents == agents[:1]
    assert data.agent_count == len(agents)
    assert data.finding_count == sum(len(a["findings"]) for a in agents)
    assert data.if_down_count == len(full.providers[0].if_down)
    assert data.concentration.providers[0].if_down == full.providers[0].if_down[:2]
    assert all(not p.if_down for p in data.concentration.providers[1:])
