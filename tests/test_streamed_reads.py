"""Streamed reads (issue 19) give what the whole-register reads gave."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from riskdesk.reports.registerdata import TableRow, read_table
from riskdesk.service.oversight import iter_register_gaps, register_gaps
from riskdesk.service.register import RegisterService
from tests.conftest import DEMO_TODAY
from tests.test_gap_counts import shake


@pytest.mark.parametrize("batch", [1, 5, 27, 2000])
def test_gaps_judged_in_batches_are_the_gaps_of_the_whole_register(
    demo_service: RegisterService, batch: int
) -> None:
    shake(demo_service, 6)  # risks, incidents and permissions on many uses
    ids = [r["id"] for r in demo_service.rows("ai_use", order_by="id")]
    whole = register_gaps(demo_service, DEMO_TODAY, ids)  # the per-use-ids path
    streamed = list(iter_register_gaps(demo_service, DEMO_TODAY, batch=batch))
    assert streamed == whole


def test_a_table_row_reads_like_the_dict_it_replaces(demo_service: RegisterService) -> None:
    with demo_service.engine.connect() as conn:
        rows = read_table(conn, "risk")
    expected = demo_service.rows("risk", order_by="id")
    assert [dict(r) for r in rows] == expected
    row = rows[0]
    assert isinstance(row, TableRow) and row == expected[0]
    assert row["title"] == expected[0]["title"] and row.get("nothing", 7) == 7
    assert list(row) == list(expected[0]) and len(row) == len(expected[0])
    assert SimpleNamespace(**row).use_id == expected[0]["use_id"]
    with pytest.raises(KeyError):
        row["nothing"]
