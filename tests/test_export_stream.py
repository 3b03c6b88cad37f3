"""The Excel register streamed a batch at a time (issue 19) holds what the register holds,
whatever the batch size: rows and link columns across batch boundaries, the open gaps
counted from the batched judge, and the Summary's SQL figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from riskdesk import enums
from riskdesk.reports.xlsx import export_xlsx
from riskdesk.scoring.bands import band
from riskdesk.service.control_links import set_control_risks
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import concentration
from tests.conftest import DEMO_TODAY
from tests.test_gap_counts import shake

pytestmark = pytest.mark.both_databases  # server-side cursors on PostgreSQL too

Cells = dict[str, list[tuple[Any, ...]]]


def read_cells(path: Path) -> Cells:
    """Every sheet's values, header first; the Summary's export time left out."""
    book = load_workbook(path, read_only=True)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}
    book.close()
    out["Summary"] = [r for r in out["Summary"] if r[:1] != ("Exported",)]
    return out


def records(cells: Cells, sheet: str) -> list[dict[str, Any]]:
    header, *rows = cells[sheet]
    # a streamed sheet has no stored size: a row ends at its last value
    return [dict(zip(header, r + (None,) * (len(header) - len(r)), strict=True)) for r in rows]


@pytest.fixture
def busy(demo_service: RegisterService, backend: str) -> RegisterService:
    """The demo with odd values and controls linked to risks spread over many batches."""
    if backend == "sqlite":  # shake writes SQLite's 0/1 for booleans
        shake(demo_service, 6)
    risks = [r["id"] for r in demo_service.rows("risk", order_by="id")]
    for n, control in enumerate(r["id"] for r in demo_service.rows("control")):
        set_control_risks(demo_service, control, risks[n % 3 :: 3 + n % 4])
    return demo_service


@pytest.fixture
def streamed(busy: RegisterService, tmp_path: Path) -> Cells:
    """Written 4 records at a time: every table spans several batches."""
    return read_cells(export_xlsx(busy, tmp_path / "small.xlsx", today=DEMO_TODAY, batch=4))


def test_any_batch_size_writes_the_same_workbook(
    busy: RegisterService, streamed: Cells, tmp_path: Path
) -> None:
    for batch in (1, 7, 100_000):
        path = export_xlsx(busy, tmp_path / f"b{batch}.xlsx", today=DEMO_TODAY, batch=batch)
        assert read_cells(path) == streamed, batch


def test_rows_and_links_across_batches_equal_the_register(
    busy: RegisterService, streamed: Cells
) -> None:
    uses = busy.rows("ai_use", order_by="id")
    risks = busy.rows("risk", order_by="id")
    assert len(uses) > 4 and len(risks) > 4  # several batches each
    sheet_uses = records(streamed, "AI Uses")
    assert [(r["ID"], r["Name"]) for r in sheet_uses] == [(u["id"], u["name"]) for u in uses]
    assert [r["Tier"] for r in sheet_uses] == [enums.Tier(u["tier"]).label for u in uses]
    controls: dict[int, list[int]] = {}
    for link in busy.rows("risk_control"):
        controls.setdefault(link["risk_id"], []).append(link["control_id"])
    use_name = {u["id"]: u["name"] for u in uses}
    assert [(r["ID"], r["Use"], r["Control IDs"]) for r in records(streamed, "Risks")] == [
        (
            r["id"],
            use_name[r["use_id"]],
            ", ".join(map(str, sorted(controls[r["id"]]))) if r["id"] in controls else None,
        )
        for r in risks
    ]
    assert sum(1 for r in risks if r["id"] in controls) > 4


def test_gaps_and_their_counts_are_the_judged_gaps(busy: RegisterService, streamed: Cells) -> None:
    judged = register_gaps(busy, DEMO_TODAY)
    expected = [(g.use_id, gap.rung, gap.title) for g in judged for gap in g.gaps]
    rows = records(streamed, "Gaps")
    assert [(r["Use ID"], r["Gap code"], r["Gap"]) for r in rows] == expected
    counts = {g.use_id: len(g.gaps) for g in judged}
    assert {r["Use ID"]: r["Open gaps"] for r in records(streamed, "Accountability")} == counts
    summary = {r[0]: r[1] for r in streamed["Summary"] if len(r) > 1}
    assert summary["Open gaps"] == len(expected) > 0
    assert summary["Uses with open gaps"] == sum(1 for n in counts.values() if n)


def test_summary_and_vendor_figures_equal_the_whole_register(
    busy: RegisterService, streamed: Cells
) -> None:
    uses, risks = busy.rows("ai_use"), busy.rows("risk")
    summary = {r[0]: r[1] for r in streamed["Summary"] if len(r) > 1}
    live = [u for u in uses if u["stage"] != enums.Stage.RETIRED.value]
    assert (summary["AI uses in the register"], summary["AI uses not retired"]) == (
        len(uses),
        len(live),
    )
    for tier in enums.Tier:
        assert summary[f"  {tier.label} tier"] == sum(1 for u in live if u["tier"] == tier.value)
    for stage in enums.Stage:
        expected = sum(1 for u in uses if u["stage"] == stage.value)
        assert summary[f"  Stage: {stage.label}"] == expected
    bands = Counter(band(r["residual_likelihood"] * r["residual_impact"]) for r in risks)
    assert summary["Risks"] == len(risks)
    for b in enums.Band:
        assert summary[f"  Residual risk {b.label}"] == bands.get(b, 0)
    assert summary["Gaps counted as of"] == dt.datetime(2026, 11, 1)
    per_vendor = Counter(u["vendor_id"] for u in uses if u["vendor_id"] is not None)
    providers = {p.vendor_id: p for p in concentration(busy).providers}
    for row in records(streamed, "Vendors"):
        assert row["AI uses"] == per_vendor.get(row["ID"], 0)
        found = providers.get(row["ID"])
        assert row["Uses depending on it (incl. through others)"] == (found.uses if found else 0)
        people = (found.people_words() if found.people_unknown else found.people) if found else 0
        assert row["People affected through it"] == people
        assert row["High/Critical uses depending on it"] == (found.high_or_critical if found else 0)
        assert row["Dependent uses without fallback"] == (found.no_fallback if found else 0)
    assert any(p.uses > 4 for p in providers.values())  # summed over several batches
