"""How many oversight gaps each use has, counted in SQL (issue 19: summary at 100k ≤ 1 s).

``oversight.register_gaps`` builds every gap with its words, one use at a time in
Python: right for ``riskdesk gaps`` and the editor, too slow when only the *numbers*
are wanted (``riskdesk summary``, the dashboard's totals). This module asks SQLite for
the same numbers: ``ladder_sql`` counts each use's rungs in one statement (the tier's
constants written into one ``CASE`` arm per tier), ``acceptance_sql`` the risks above
appetite without a current acceptance by range searches of an index, and
``linked_gap_counts`` the expired-evidence gaps. Vendor due diligence is counted in the
ladder's statement, from the lacking vendors ``due_diligence.missing_items`` itself
names on the few vendor rows.

The module reads the register through light Core tables, not the models: ``riskdesk
summary`` must not pay for importing sqlmodel and the service layer (issue 19).

The counts must equal ``len(register_gaps(...)[i].gaps)`` for every use — the tests
compare the two paths use by use. When a register holds a value the SQL cannot read
exactly as the Python does (``sql_readable``: a stage, tier or status not in its stored
form, a residual rating outside 1–5), ``ladder_counts`` returns None and callers use the
Python path.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, NamedTuple, Protocol

from sqlalchemy import Connection, Engine, column, func, select, table

from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.service.ladder_sql import Inputs, acceptance_sql, ladder_sql
from riskdesk.service.linked_gap_counts import lacking_vendors, linked_counts, linked_total
from riskdesk.service.sql_readable import sql_readable

if TYPE_CHECKING:
    from riskdesk.service.register import RegisterService


class HasEngine(Protocol):
    """A ``Register`` or a ``RegisterService``: all the counts need is the engine."""

    @property
    def engine(self) -> Engine: ...


class UseCount(NamedTuple):  # a tuple: 100,000 of them are built in one go
    """One use's gap count, and whether one of its gaps is ``review_overdue``."""

    use_id: int
    gaps: int
    review_overdue: bool


def ladder_counts(
    conn: Connection, today: dt.date, appetite: str, config: ScoringConfig
) -> list[UseCount] | None:
    """Every live use's gap count; None: the register holds a value only the Python
    path reads right."""
    if conn.dialect.name != "sqlite" or not sql_readable(conn, live_uses=False):
        return None  # the SQL is SQLite's (date text, GLOB, printf)
    sql = ladder_sql(today, config, inputs(conn, today))
    counts: dict[int, list[int]] = {}
    for use_id, n, overdue, odd in conn.exec_driver_sql(sql):
        if odd:
            return None
        counts[int(use_id)] = [int(n), int(overdue)]
    extras = linked_counts(conn, today, diligence=False)  # diligence: in the ladder's SQL
    accepting = acceptance_sql(today, appetite, per_use=True)
    if accepting:
        for use_id, n in conn.exec_driver_sql(accepting):
            extras[int(use_id)] = extras.get(int(use_id), 0) + int(n)
    for use_id, extra in extras.items():
        counts.setdefault(use_id, [0, 0])[0] += extra
    return [UseCount(k, v[0], bool(v[1])) for k, v in sorted(counts.items())]


def inputs(conn: Connection, today: dt.date) -> Inputs:
    """The few ids the ladder's SQL writes in: the people who have left, the vendors
    lacking due diligence (``missing_items``' own verdict) and the models they provide."""
    person = table("person", column("id"), column("has_left"))
    left = select(person.c.id).where(func.coalesce(person.c.has_left, 0) != 0)
    lacking = lacking_vendors(conn, today)
    models = table("ai_model", column("id"), column("provider_id"))
    provided = select(models.c.id).where(models.c.provider_id.in_(lacking))
    return Inputs(
        left=tuple(int(i) for i in conn.execute(left.order_by(person.c.id)).scalars()),
        lacking=tuple(lacking),
        lacking_models=tuple(int(i) for i in conn.execute(provided.order_by(models.c.id)).scalars())
        if lacking
        else (),
    )


# --- entry points -----------------------------------------------------------------------


def gap_settings(conn: Connection) -> tuple[str, ScoringConfig]:
    """The risk appetite and scoring configuration the ladder judges with, read as
    ``RegisterService.profile()`` and ``.scoring_config()`` read them."""
    profile = table("org_profile", column("id"), column("risk_appetite"))
    settings = table("setting", column("key"), column("value"))
    appetite = conn.execute(select(profile.c.risk_appetite).where(profile.c.id == 1)).scalar()
    raw = conn.execute(select(settings.c.value).where(settings.c.key == "scoring")).scalar()
    stored = json.loads(raw) if raw else None
    config = ScoringConfig.from_json(json.dumps(stored)) if stored else DEFAULT_CONFIG
    return appetite or "medium", config  # "medium": the profile's default, as stored


def use_gap_counts(service: RegisterService, today: dt.date | None = None) -> list[UseCount]:
    """The uses with at least one gap, by id, with their counts: from SQL where the
    register allows, else from ``register_gaps`` itself."""
    today = today or dt.date.today()
    with service.engine.connect() as conn:
        counted = ladder_counts(conn, today, *gap_settings(conn))
    if counted is not None:
        return [u for u in counted if u.gaps]
    from riskdesk.service.oversight import register_gaps

    return [
        UseCount(u.use_id, len(u.gaps), any(g.rung == "review_overdue" for g in u.gaps))
        for u in register_gaps(service, today)
        if u.gaps
    ]


def gap_total(source: HasEngine, today: dt.date | None = None) -> int:
    """All open gaps of the register: the sum of ``register_gaps``' lists, summed by
    the database itself (no row per use comes back to Python). ``source`` is a
    ``Register`` (``riskdesk summary``) or a ``RegisterService``."""
    today = today or dt.date.today()
    with source.engine.connect() as conn:
        if conn.dialect.name == "sqlite" and sql_readable(conn, live_uses=False):
            appetite, config = gap_settings(conn)
            ladder = ladder_sql(today, config, inputs(conn, today), per_use=False)
            sql = f"SELECT coalesce(sum(gaps), 0), coalesce(max(odd), 0) FROM ({ladder})"
            total, odd = conn.exec_driver_sql(sql).one()
            if not odd:
                accepting = acceptance_sql(today, appetite, per_use=False)
                if accepting:
                    total += conn.exec_driver_sql(accepting).scalar() or 0
                return int(total) + linked_total(conn, today, diligence=False)
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import Register

    if isinstance(source, RegisterService):
        service = source
    else:
        assert isinstance(source, Register), source
        service = RegisterService(source)
    return sum(u.gaps for u in use_gap_counts(service, today))
