"""The board pack's gap figures counted in SQL, rung by rung (issue 19).

The pack shows how many gaps there are of each kind, whose uses have them (the top
three kinds per 1st-line owner) and how many each listed use has: counts, never the
words of a gap. ``ladder_sql.ladder_by_rung_sql`` gives each live use's count per
rung of the ladder, ``acceptance_sql`` its risks above appetite left unaccepted, and
the expired-evidence and vendor due-diligence counts come from ``linked_gap_counts``'
own statements, so no use is judged in Python. A pack
that is issued, or compared with a previous one that recorded its gaps, still judges
every use (``oversight.iter_register_gaps``): its snapshot keeps each gap's subject.

``GAP_ORDER`` is the order ``oversight`` lists a use's gaps in (the ladder's rungs,
expired evidence, the agent rungs, vendor due diligence): owners' gap kinds are
first met in that order, which decides ties among their most frequent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk.scoring.ladder import RUNGS, Gap
from riskdesk.service import due_diligence
from riskdesk.service.agents import AGENT_RUNGS
from riskdesk.service.evidence.base import GAP_RUNG, GAP_TITLE
from riskdesk.service.gap_counts import gap_settings, inputs
from riskdesk.service.ladder_sql import ACCEPTANCE, acceptance_sql, ladder_by_rung_sql
from riskdesk.service.linked_gap_counts import _due_diligence_per_use, _expired_evidence_pairs
from riskdesk.service.sql_readable import sql_readable

RungCounts = Sequence[tuple[str, str, int]]  # (rung, title, how many), in GAP_ORDER

TITLES: dict[str, str] = {
    **{r.code: r.title for r in RUNGS},
    GAP_RUNG: GAP_TITLE,
    **{code: r.title for code, r in AGENT_RUNGS.items()},
    due_diligence.RUNG: due_diligence.TITLE,
}
GAP_ORDER: tuple[str, ...] = tuple(TITLES)


def grouped(gaps: Sequence[Gap]) -> RungCounts:
    """A use's judged gaps as counts per (rung, title), in the order first met."""
    counts: dict[tuple[str, str], int] = {}
    for g in gaps:
        key = (g.rung, g.title)
        counts[key] = counts.get(key, 0) + 1
    return [(rung, title, n) for (rung, title), n in counts.items()]


def _linked(conn: Connection, today: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per live use: expired-evidence gaps, vendor due-diligence gaps."""
    pairs = _expired_evidence_pairs(today)
    evidence = {
        int(use_id): int(n)
        for use_id, n in conn.execute(select(pairs.c.use_id, func.count()).group_by(pairs.c.use_id))
    }
    diligence: dict[int, int] = {}
    per_use = _due_diligence_per_use(conn, today)
    if per_use is not None:
        d = per_use.subquery()
        for use_id, n in conn.execute(select(d.c.use_id, d.c.gaps).where(d.c.gaps > 0)):
            diligence[int(use_id)] = int(n)
    return evidence, diligence


def rung_counts(conn: Connection, today: dt.date) -> Iterator[tuple[int, RungCounts]] | None:
    """Each live use with a gap, in id order, with its gaps counted per rung (in
    ``GAP_ORDER``); None when only the Python ladder reads this register right
    (PostgreSQL, or a value the SQL does not read as the Python does)."""
    if conn.dialect.name != "sqlite" or not sql_readable(conn):
        return None
    appetite, config = gap_settings(conn)
    # both counted the ladder's way (``acceptance_sql``); the pack names the lapsed
    # acceptances (``bands.acceptance_status`` EXPIRED) apart from the missing ones
    unaccepted, expired = (
        {int(u): int(n) for u, n in conn.exec_driver_sql(sql)} if sql else {}
        for sql in (
            acceptance_sql(today, appetite, per_use=True),
            acceptance_sql(today, appetite, per_use=True, lapsed_only=True),
        )
    )
    evidence, diligence = _linked(conn, today)
    result = conn.exec_driver_sql(ladder_by_rung_sql(today, config, inputs(conn, today)))
    # after use_id, the statement's rungs; then the acceptance ones, counted apart
    rungs = [*list(result.keys())[1:], *ACCEPTANCE]
    assert set(rungs) | {GAP_RUNG, due_diligence.RUNG} == set(GAP_ORDER)
    # (column, rung, title) in GAP_ORDER: the ladder's rungs, then (after expired
    # evidence) the agent rungs; vendor due diligence comes last
    columns = sorted(
        ((i + 1, code, TITLES[code]) for i, code in enumerate(rungs)),
        key=lambda c: GAP_ORDER.index(c[1]),
    )
    split = GAP_ORDER.index(GAP_RUNG)
    ladder = [c for c in columns if GAP_ORDER.index(c[1]) < split]
    agent = [c for c in columns if GAP_ORDER.index(c[1]) > split]

    def per_use() -> Iterator[tuple[int, RungCounts]]:
        for found in result:
            use_id = found[0]
            row: Sequence[Any] = (*found, 0, 0)  # no risk above appetite left unaccepted
            if use_id in unaccepted:  # missing and lapsed are counted together: set apart
                lapsed_n = expired.get(use_id, 0)
                row = [*found, unaccepted[use_id] - lapsed_n, lapsed_n]
            counts = [(code, title, row[c]) for c, code, title in ladder if row[c]]
            if use_id in evidence:
                counts.append((GAP_RUNG, GAP_TITLE, evidence[use_id]))
            counts += [(code, title, row[c]) for c, code, title in agent if row[c]]
            if use_id in diligence:
                counts.append((due_diligence.RUNG, due_diligence.TITLE, diligence[use_id]))
            if counts:
                yield int(use_id), counts

    return per_use()
