"""The first-run path the dashboard shows: import or add → assess → name owners → board pack.

Each step is done when the register has it, worked out from the register itself (never
from what the user clicked), so a register opened from someone else shows where it
stands. The path ends with the first issued board pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from riskdesk.enums import Stage, Tier
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class Step:
    key: str  # "add", "assess", "owners", "pack"
    title: str
    done: bool
    status: str  # where the register stands, e.g. "3 of 12 uses assessed"


@dataclass(frozen=True)
class PackRecord:
    issued: int  # board packs issued (recorded as the baseline)
    last: dt.date | None


def pack_record(service: RegisterService) -> PackRecord:
    table = table_of("board_pack")
    with service.engine.connect() as conn:
        count, last = conn.execute(select(func.count(), func.max(table.c.exported_at))).one()
    return PackRecord(int(count), last.date() if last is not None else None)


def next_not_assessed(service: RegisterService) -> int | None:
    """The live use to assess next: the not-assessed one affecting most people, then oldest."""
    use = table_of("ai_use").c
    with service.engine.connect() as conn:
        found = conn.execute(
            select(use.id)
            .where(use.tier == Tier.NOT_ASSESSED.value, use.stage != Stage.RETIRED.value)
            .order_by(func.coalesce(use.people_affected, -1).desc(), use.id)
            .limit(1)
        ).scalar()
    return int(found) if found is not None else None


def _uses(n: int) -> str:
    return f"{n:,} use" if n == 1 else f"{n:,} uses"


def first_run_path(live: int, not_assessed: int, no_owner: int, packs: PackRecord) -> list[Step]:
    """The four steps for a register with ``live`` uses (retired left out)."""
    assessed = live - not_assessed
    owned = live - no_owner
    if packs.issued:
        pack_status = f"Last issued {packs.last.isoformat()}" if packs.last else "Issued"
    else:
        pack_status = "No pack issued yet"
    return [
        Step(
            "add",
            "Import or add your AI uses",
            live > 0,
            f"{_uses(live)} in the register" if live else "No AI uses yet",
        ),
        Step(
            "assess",
            "Assess each use",
            live > 0 and not_assessed == 0,
            f"{assessed:,} of {_uses(live)} assessed" if live else "Nothing to assess yet",
        ),
        Step(
            "owners",
            "Name a 1st-line owner for each",
            live > 0 and no_owner == 0,
            f"{owned:,} of {_uses(live)} have an owner" if live else "No uses to own yet",
        ),
        Step("pack", "Issue a board pack", packs.issued > 0, pack_status),
    ]
