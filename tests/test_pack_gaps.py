"""The board pack's gap figures counted in SQL equal the Python ladder's (issue 19).

A draft pack with no previous snapshot of gaps counts them per rung in SQL
(``reports.pack_gaps``) instead of judging every use; an issued pack still judges every
use, since its snapshot keeps each gap. Both must give the same pack: the same counts
per use and rung, the same owner list (with its most frequent gap kinds, ties in the
order the judge lists them), the same summary figures. The register has every gap kind.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text

from riskdesk.reports.boardpack import BoardPackContent, gather
from riskdesk.reports.pack_gaps import GAP_ORDER, grouped, rung_counts
from riskdesk.reports.snapshot import record_pack
from riskdesk.service.oversight import iter_register_gaps, register_gaps
from riskdesk.service.register import RegisterService
from tests.conftest import DEMO_TODAY
from tests.test_gap_counts import shake
from tests.test_linked_gap_counts import add_every_kind


def every_kind(service: RegisterService, seed: int) -> None:
    """Odd values on every use (``shake``), expired evidence and vendors lacking
    diligence (``add_every_kind``), and the rungs neither reaches."""
    shake(service, seed)
    add_every_kind(service)
    bare = service.create("ai_use", {"name": "No risk assessed", "stage": "production"})
    with service.engine.begin() as conn:
        conn.execute(text("UPDATE ai_use SET tier = 'not_assessed' WHERE id % 11 = 1"))
        conn.execute(text(f"UPDATE ai_use SET tier = 'critical', exposure = 90 WHERE id = {bare}"))
        conn.execute(
            text(
                "UPDATE ai_use SET autonomy = 'agent_autonomous', kill_switch = '', tier = 'low',"
                " stage = 'production', human_approval_destructive = 0 WHERE id = 4"
            )
        )
        conn.execute(
            text(
                "INSERT INTO agent_permission (use_id, system, access, environment, needed,"
                " last_reviewed, notes) VALUES (4, 'Ledger', 'delete', 'production', 1,"
                " '2026-10-01', '')"
            )
        )
        conn.execute(  # scheduled beyond its cadence, not yet overdue
            text(
                "UPDATE ai_use SET tier = 'critical', stage = 'production',"
                " last_review = '2026-10-15', next_review = '2028-01-31' WHERE id = 6"
            )
        )


def figures(c: BoardPackContent) -> dict[str, Any]:
    owners = [(o.owner_id, o.name, o.uses_with_gaps, o.gaps, o.top) for o in c.gaps_by_owner()]
    critical = c.use_tally.critical_with_gaps
    return {
        "gaps": c.gap_count(),
        "by_rung": {r: c.gap_count(r) for r in GAP_ORDER},
        "uses_with": {r: c.uses_with(r) for r in GAP_ORDER},
        "per_use": c.use_tally.gap_counts,
        "live_with_gaps": c.use_tally.live_with_gaps,
        "critical": (critical.count, critical.names),
        "owners": owners,
        "overdue": c.snapshot["uses"]["overdue"],
        "trend": c.trend[-1],
        "accountable": c.accountable_uses(),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_the_owner_gap_list_by_sql_equals_the_ladder_s(
    demo_service: RegisterService, seed: int
) -> None:
    svc = demo_service
    every_kind(svc, seed)
    judged = register_gaps(svc, DEMO_TODAY)
    found = Counter(g.rung for u in judged for g in u.gaps)
    assert set(found) == set(GAP_ORDER), set(GAP_ORDER) - set(found)  # every gap kind

    with svc.engine.connect() as conn:
        counted = rung_counts(conn, DEMO_TODAY)
        assert counted is not None  # the SQL path, not the fallback
        by_sql = dict(counted)
    assert by_sql == {u.use_id: grouped(u.gaps) for u in judged if u.gaps}

    with svc.engine.begin() as conn:  # the demo's invented past packs set aside: a first pack
        conn.execute(text("DELETE FROM board_pack"))
    drafted = gather(svc, DEMO_TODAY, gap_keys=False)
    issued = gather(svc, DEMO_TODAY, gap_keys=True)
    assert "gaps" not in drafted.snapshot["uses"]  # counted, not judged
    assert "gaps" in issued.snapshot["uses"]
    assert figures(drafted) == figures(issued)
    assert len(figures(drafted)["owners"]) > 3


def test_a_pack_compared_with_a_recorded_one_judges_every_use(
    demo_service: RegisterService,
) -> None:
    svc = demo_service
    first = gather(svc, DEMO_TODAY)
    record_pack(svc, "first.pdf", first.chain_head, first.snapshot)
    svc.update("ai_use", 1, {"kill_switch": ""})
    draft = gather(svc, DEMO_TODAY, gap_keys=False)
    assert "gaps" in draft.snapshot["uses"]  # the gaps opened and closed need each gap
    assert draft.changes is not None and draft.changes.gaps_before is not None


def test_the_pack_reads_its_gaps_on_its_own_connection(demo_service: RegisterService) -> None:
    svc = demo_service
    with svc.engine.connect() as conn:
        given = [(u.use_id, u.gaps) for u in iter_register_gaps(svc, DEMO_TODAY, conn=conn)]
        assert not conn.closed  # the caller's connection is left open
    assert given == [(u.use_id, u.gaps) for u in iter_register_gaps(svc, DEMO_TODAY)]
