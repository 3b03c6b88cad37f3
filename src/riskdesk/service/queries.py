"""The register's tables as queries: ordered ids in SQL, then rows fetched a page at a time.

A table of 100k rows is sorted and searched by the database (sorting through
``QSortFilterProxyModel.lessThan`` calls Python once per comparison: 17 s for 100k
rows), and only the rows on screen are read — Anki's browser asks its collection the
same two questions. The GUI's table models take a ``TableQuery`` and never see SQL:

- ``ordered_ids(sort_key, descending, search, filter)``: every matching id, in order;
- ``fetch(ids)``: those rows' values, in ``keys`` order.

A ``Filter`` (the dashboard's "Critical-tier uses", a heatmap cell's risks…) is made
here too, so the GUI passes conditions along without knowing what they are made of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import (
    Column,
    Join,
    Select,
    String,
    Table,
    and_,
    asc,
    case,
    cast,
    desc,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import BindParameter, Case

from riskdesk import enums
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class Filter:
    """A condition on one entity's rows; only this module looks inside."""

    entity: str
    clause: ColumnElement[bool]


@dataclass(frozen=True)
class QueryColumn:
    """One column of a query: its value and, when the meaning's order differs, its sort."""

    key: str
    expr: ColumnElement[Any]
    sort: ColumnElement[Any] | None = None
    searchable: bool = False
    # A value read through a join (the vendor's name): (the entity's foreign key, the
    # joined table's key). A search then asks the small joined table for the matching
    # keys, and scans the entity's own rows without the joins (100k uses, "c": 100 → 80 ms).
    lookup: tuple[ColumnElement[Any], ColumnElement[Any]] | None = None

    @property
    def sort_expr(self) -> ColumnElement[Any]:
        return self.sort if self.sort is not None else self.expr


class TableQuery:
    """Rows of ``base()`` (a select over ``entity`` joined to what its columns need)."""

    def __init__(
        self,
        service: RegisterService,
        entity: str,
        columns: Sequence[QueryColumn],
        base: Callable[[], Select[Any]],
    ) -> None:
        self.service = service
        self.entity = entity
        self.columns = tuple(columns)
        self.keys: tuple[str, ...] = tuple(c.key for c in self.columns)
        self._by_key = {c.key: c for c in self.columns}
        self._id = table_of(entity).c.id
        self._base = base
        self._joins_add_only = _outer_joins_only(base())
        # the column that is the row's id: a search in its order scans without sorting
        self.id_key: str | None = next((c.key for c in self.columns if c.expr is self._id), None)

    def _where(self, search: str, filter: Filter | None) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        searchable = [c for c in self.columns if c.searchable]
        for word in search.split():  # every word must appear in some searchable column
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            clauses.append(
                or_(*[self._matches(c, pattern) for c in searchable]) if searchable else false()
            )
        if filter is not None:
            if filter.entity != self.entity:
                raise ValueError(f"a filter on {filter.entity} cannot narrow {self.entity} rows")
            clauses.append(filter.clause)
        return clauses

    def _matches(self, column: QueryColumn, pattern: str) -> ColumnElement[bool]:
        if column.lookup is None:
            return self._contains(column.expr, pattern)
        foreign, key = column.lookup
        # never correlated with the outer query's join of the same table: a plain list
        keys = select(key).where(self._contains(column.expr, pattern)).correlate(None)
        return foreign.in_(keys)  # a NULL foreign key is in no list: never matches

    def _contains(self, expr: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        """Case-blind LIKE. SQLite's LIKE already folds ASCII case (as its ``lower`` does,
        and no further), so it is used bare: ``lower()`` on four columns of 100,000 rows
        doubled a keystroke's search. A NULL value never matches either way."""
        if self.service.register.is_sqlite:
            return expr.like(pattern, escape="\\")
        return expr.ilike(pattern, escape="\\")

    def ordered_ids(
        self,
        sort_key: str,
        descending: bool = False,
        search: str = "",
        filter: Filter | None = None,
    ) -> list[int]:
        """The ids matching ``search`` (words, any order) and ``filter``, sorted by a column.

        Empty values sort last either way; the id breaks ties so the order is stable.
        """
        column = self._by_key[sort_key].sort_expr
        direction = desc if descending else asc
        clauses = self._where(search, filter)
        if self._joins_add_only and self._own_only(column, *clauses):
            # The outer joins only add columns; left in, SQLite scanned the uses through
            # their vendor index and then sorted (100k: 190 ms a tier sort, 60 ms without).
            stmt = select(self._id).select_from(self._id.table)
        else:
            stmt = self._base().with_only_columns(self._id)
        if clauses:
            stmt = stmt.where(and_(*clauses))
        own = isinstance(column, Column) and column.table is self._id.table  # not outer-joined
        # SQLite puts NULL first ascending, PostgreSQL descending: only then is NULLS
        # LAST written. Where it is the database's own order, or there is nothing to
        # sort last, the bare order can follow an index (100k: name 5×, exposure 2×).
        nulls_first = self.service.register.is_sqlite != descending
        if (own and not column.nullable) or not nulls_first or _never_null(column):
            stmt = stmt.order_by(direction(column), direction(self._id))
        else:
            stmt = stmt.order_by(direction(column).nulls_last(), direction(self._id))
        with self.service.engine.connect() as conn:
            result = conn.execute(stmt)
            try:
                # Plain integers: the driver's rows as they are, without SQLAlchemy's
                # per-row processing (half the time of 100,000 ids), flattened in C.
                rows: Iterable[tuple[int]] = result.cursor  # type: ignore[assignment]
                return list(chain.from_iterable(rows))
            finally:
                result.close()

    def _own_only(self, *exprs: ColumnElement[Any]) -> bool:
        """Whether ``exprs`` read only this entity's own table (no joined one)."""
        own = self._id.table
        return all(t is own for e in exprs for t in e._from_objects)

    def count(self) -> int:
        """How many rows there are, searched and filtered by nothing."""
        with self.service.engine.connect() as conn:
            return int(conn.execute(self._base().with_only_columns(func.count())).scalar() or 0)

    def fetch(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """The rows of ``ids`` in that order; a row deleted meanwhile reads as all None."""
        if not ids:
            return []
        stmt = (
            self._base()
            .with_only_columns(self._id, *[c.expr.label(c.key) for c in self.columns])
            .where(self._id.in_(list(ids)))
        )
        with self.service.engine.connect() as conn:
            found = {r[0]: tuple(r[1:]) for r in conn.execute(stmt)}
        missing = tuple(None for _ in self.columns)
        return [found.get(rid, missing) for rid in ids]


def _outer_joins_only(stmt: Select[Any]) -> bool:
    """Whether ``stmt`` is its entity's table with only LEFT JOINs and no WHERE: then
    the joins add columns but never remove or repeat a row (each joins on a key)."""
    if stmt.whereclause is not None:
        return False
    froms = stmt.get_final_froms()
    if len(froms) != 1:
        return False
    node: Any = froms[0]
    while isinstance(node, Join):
        if not node.isouter:
            return False
        node = node.left
    return isinstance(node, Table)


def _never_null(expr: ColumnElement[Any]) -> bool:
    """An enum's order (``_order``): a CASE of written numbers, never NULL."""
    return isinstance(expr, Case) and all(
        isinstance(r, BindParameter) and r.value is not None
        for r in [*(then for _when, then in expr.whens), expr.else_]
    )


def _order(values: Mapping[str, int], column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``CASE column WHEN 'low' THEN 1 … END`` with the values written in the SQL, not
    bound: only then can SQLite match it to an index on that expression."""
    return case(
        {_inline(v): _inline(i) for v, i in values.items()}, value=column, else_=_inline(-1)
    )


def _inline(value: str | int) -> ColumnElement[Any]:
    return literal(value, literal_execute=True)


def _enum_order(enum: Iterable[enums.LabelledEnum], column: ColumnElement[Any]) -> Any:
    return _order({m.value: i for i, m in enumerate(enum)}, column)


# --- the register's tables -------------------------------------------------------------


def uses(service: RegisterService) -> TableQuery:
    """AI uses with their vendor and 1st-line owner; tiers and stages sort by meaning."""
    use, vendor = table_of("ai_use"), table_of("vendor")
    owner = table_of("person").alias("owner1")
    u = use.c
    sqlite = service.register.is_sqlite
    columns = [
        QueryColumn("id", u.id),
        QueryColumn("name", u.name, searchable=True),
        QueryColumn("department", u.department, searchable=True),
        QueryColumn("stage", u.stage, sort=_enum_order(enums.Stage, u.stage)),
        QueryColumn("vendor", vendor.c.name, searchable=True, lookup=(u.vendor_id, vendor.c.id)),
        QueryColumn("tier", u.tier, sort=_enum_order(enums.Tier, u.tier)),
        # Not assessed: the provisional range ("20–100"), sorted by its worst case — never 0.
        QueryColumn(
            "exposure",
            case(
                # PostgreSQL refuses a CASE of integer and text (SQLite keeps the number).
                (u.exposure.is_not(None), u.exposure if sqlite else cast(u.exposure, String)),
                else_=cast(u.exposure_low, String) + "–" + cast(u.exposure_high, String),
            ),
            sort=func.coalesce(u.exposure, u.exposure_high),
        ),
        QueryColumn("owner", owner.c.name, searchable=True, lookup=(u.owner_first_id, owner.c.id)),
        QueryColumn("next_review", u.next_review),
    ]

    def base() -> Select[Any]:
        return (
            select(u.id)
            .select_from(use)
            .outerjoin(vendor, vendor.c.id == u.vendor_id)
            .outerjoin(owner, owner.c.id == u.owner_first_id)
        )

    return TableQuery(service, "ai_use", columns, base)


def risks(service: RegisterService, use_id: int | None = None) -> TableQuery:
    """All risks, or one use's risks when ``use_id`` is given."""
    risk = table_of("risk")
    use = table_of("ai_use").alias("risk_use")
    owner = table_of("person").alias("risk_owner")
    r = risk.c
    columns = [
        QueryColumn("id", r.id),
        QueryColumn("title", r.title, searchable=True),
        QueryColumn("use", use.c.name, searchable=True, lookup=(r.use_id, use.c.id)),
        QueryColumn("inherent", r.inherent_likelihood * r.inherent_impact),
        QueryColumn("residual", r.residual_likelihood * r.residual_impact),
        QueryColumn("status", r.status),
        QueryColumn("owner", owner.c.name, searchable=True, lookup=(r.owner_id, owner.c.id)),
        QueryColumn("due", r.due_date),
        QueryColumn("refs", r.taxonomy_refs, searchable=True),
    ]

    def base() -> Select[Any]:
        stmt = (
            select(r.id)
            .select_from(risk)
            .join(use, use.c.id == r.use_id)
            .outerjoin(owner, owner.c.id == r.owner_id)
        )
        return stmt if use_id is None else stmt.where(r.use_id == use_id)

    return TableQuery(service, "risk", columns, base)


def people(service: RegisterService) -> TableQuery:
    person = table_of("person")
    p = person.c
    columns = [
        QueryColumn("id", p.id),
        QueryColumn("name", p.name, searchable=True),
        QueryColumn("title", p.title, searchable=True),
        QueryColumn("department", p.department, searchable=True),
        QueryColumn("line", p.default_line),
        QueryColumn("left", p.has_left),
        QueryColumn("email", p.email, searchable=True),
    ]
    return TableQuery(service, "person", columns, lambda: select(p.id).select_from(person))


def vendors(service: RegisterService) -> TableQuery:
    """Vendors with how many uses depend on each and the people those uses affect.

    ``people`` sums the uses whose reach is known: NULL (unknown, sorted last) when the
    vendor has uses and none says its reach, 0 only when it has none;
    ``people_unknown`` counts the uses left out, so the sum reads "at least"."""
    vendor, use = table_of("vendor"), table_of("ai_use")
    v, u = vendor.c, use.c
    # The count reads the vendor index alone; the people figures read every use's row, in
    # one pass for both (a correlated subquery each: 100k uses, a quarter slower).
    uses_count = select(func.count()).where(u.vendor_id == v.id).correlate(vendor)
    per_vendor = (
        select(
            u.vendor_id,
            func.sum(u.people_affected).label("people"),  # NULL: no use's reach known
            (func.count() - func.count(u.people_affected)).label("unknown"),
        )
        .where(u.vendor_id.is_not(None))
        .group_by(u.vendor_id)
        .subquery("vendor_uses")
    )
    f = per_vendor.c
    columns = [
        QueryColumn("id", v.id),
        QueryColumn("name", v.name, searchable=True),
        QueryColumn("kind", v.kind),
        QueryColumn("uses", uses_count.scalar_subquery()),
        QueryColumn("people", case((f.vendor_id.is_(None), 0), else_=f.people)),  # no uses: 0
        QueryColumn("notes", v.notes, searchable=True),
        QueryColumn("people_unknown", func.coalesce(f.unknown, 0)),
    ]

    def base() -> Select[Any]:
        return select(v.id).select_from(vendor).outerjoin(per_vendor, f.vendor_id == v.id)

    return TableQuery(service, "vendor", columns, base)


def incidents(service: RegisterService) -> TableQuery:
    incident = table_of("incident")
    use = table_of("ai_use").alias("inc_use")
    i = incident.c
    columns = [
        QueryColumn("id", i.id),
        QueryColumn("occurred", i.occurred_on),
        QueryColumn("kind", i.kind),
        QueryColumn("severity", i.severity),
        QueryColumn("title", i.title, searchable=True),
        QueryColumn("use", use.c.name, searchable=True, lookup=(i.use_id, use.c.id)),
        QueryColumn("people", i.people_affected),
        QueryColumn("reportable", i.reportable),
    ]

    def base() -> Select[Any]:
        return select(i.id).select_from(incident).outerjoin(use, use.c.id == i.use_id)

    return TableQuery(service, "incident", columns, base)


def controls(service: RegisterService) -> TableQuery:
    """Controls with their owner and how many risks each mitigates."""
    control, link = table_of("control"), table_of("risk_control")
    owner = table_of("person").alias("control_owner")
    c = control.c
    linked = select(func.count()).where(link.c.control_id == c.id).correlate(control)
    columns = [
        QueryColumn("id", c.id),
        QueryColumn("name", c.name, searchable=True),
        QueryColumn("type", c.control_type),
        QueryColumn("status", c.status),
        QueryColumn("owner", owner.c.name, searchable=True, lookup=(c.owner_id, owner.c.id)),
        QueryColumn("refs", c.framework_refs, searchable=True),
        QueryColumn("tested", c.last_tested),
        QueryColumn("risks", linked.scalar_subquery()),
    ]

    def base() -> Select[Any]:
        return select(c.id).select_from(control).outerjoin(owner, owner.c.id == c.owner_id)

    return TableQuery(service, "control", columns, base)


# --- filters the GUI passes along ------------------------------------------------------


def uses_with_ids(ids: Iterable[int]) -> Filter:
    """Exactly these uses (the dashboard's gap, overdue and no-owner lists)."""
    return Filter("ai_use", table_of("ai_use").c.id.in_(list(ids)))


def live_uses_in_tier(tier: str) -> Filter:
    """A tier's uses as the dashboard counts them: retired uses left out."""
    u = table_of("ai_use").c
    return Filter("ai_use", and_(u.tier == tier, u.stage != enums.Stage.RETIRED.value))
