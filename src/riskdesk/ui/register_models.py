"""The register's tables as models: AI uses, risks, people, vendors, incidents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, String, case, cast, func, select
from sqlalchemy.orm import aliased

from riskdesk import enums
from riskdesk.store.models import AIUse, Incident, Person, Risk, Vendor
from riskdesk.ui.table_model import Column, SqlTableModel

U = AIUse.__table__.c  # type: ignore[attr-defined]
R = Risk.__table__.c  # type: ignore[attr-defined]
P = Person.__table__.c  # type: ignore[attr-defined]
V = Vendor.__table__.c  # type: ignore[attr-defined]
INC = Incident.__table__.c  # type: ignore[attr-defined]

_owner1 = aliased(Person.__table__, name="owner1")  # type: ignore[arg-type]
_risk_owner = aliased(Person.__table__, name="risk_owner")  # type: ignore[arg-type]
_risk_use = aliased(AIUse.__table__, name="risk_use")  # type: ignore[arg-type]
_inc_use = aliased(AIUse.__table__, name="inc_use")  # type: ignore[arg-type]

TIER_ORDER = case({t.value: i for i, t in enumerate(enums.Tier)}, value=U.tier, else_=-1)
# Not assessed: the provisional range ("20–100"), sorted by its worst case — never 0.
EXPOSURE_SHOWN = func.coalesce(
    cast(U.exposure, String), cast(U.exposure_low, String) + "–" + cast(U.exposure_high, String)
)
EXPOSURE_ORDER = func.coalesce(U.exposure, U.exposure_high)
STAGE_ORDER = case({s.value: i for i, s in enumerate(enums.Stage)}, value=U.stage, else_=-1)


class UseTableModel(SqlTableModel):
    ID, NAME, DEPARTMENT, STAGE, VENDOR, TIER, EXPOSURE, OWNER, NEXT_REVIEW = range(9)

    def __init__(self, engine: Engine, parent: Any = None) -> None:
        columns = [
            Column("id", "ID", U.id, align_right=True),
            Column("name", "AI use", U.name, searchable=True),
            Column("department", "Department", U.department, searchable=True, width=130),
            # Tiers and stages sort by their meaning, not alphabetically.
            Column("stage", "Stage", U.stage, enum=enums.Stage, sort=STAGE_ORDER),
            Column("vendor", "Vendor", V.name, searchable=True),
            Column(
                "tier",
                "Tier",
                U.tier,
                enum=enums.Tier,
                colour=True,
                sort=TIER_ORDER,
                tooltip="Exposure tier: drives the oversight this use needs",
            ),
            Column(
                "exposure",
                "Exposure",
                EXPOSURE_SHOWN,
                align_right=True,
                tooltip="Exposure score 0–100; a range while the use is not assessed",
                sort=EXPOSURE_ORDER,
            ),
            Column("owner", "1st-line owner", _owner1.c.name, searchable=True, width=130),
            Column("next_review", "Next review", U.next_review),
        ]

        def base() -> Any:
            return (
                select(U.id)
                .select_from(AIUse.__table__)
                .outerjoin(Vendor.__table__, V.id == U.vendor_id)
                .outerjoin(_owner1, _owner1.c.id == U.owner_first_id)
            )

        super().__init__(engine, columns, U.id, base, parent)


class RiskTableModel(SqlTableModel):
    """All risks, or one use's risks when ``use_id`` is given."""

    def __init__(self, engine: Engine, use_id: int | None = None, parent: Any = None) -> None:
        residual = R.residual_likelihood * R.residual_impact
        inherent = R.inherent_likelihood * R.inherent_impact
        columns = [
            Column("id", "ID", R.id, align_right=True),
            Column("title", "Risk", R.title, searchable=True),
            Column("use", "AI use", _risk_use.c.name, searchable=True, width=190),
            Column(
                "inherent",
                "Inherent",
                inherent,
                align_right=True,
                tooltip="Inherent likelihood × impact (1–25)",
            ),
            Column(
                "residual",
                "Residual",
                residual,
                align_right=True,
                tooltip="Residual likelihood × impact (1–25)",
            ),
            Column("status", "Status", R.status, enum=enums.RiskStatus),
            Column("owner", "Owner", _risk_owner.c.name, searchable=True),
            Column("due", "Due", R.due_date),
            Column("refs", "References", R.taxonomy_refs, searchable=True, width=150),
        ]
        self.use_id = use_id

        def base() -> Any:
            stmt = (
                select(R.id)
                .select_from(Risk.__table__)
                .join(_risk_use, _risk_use.c.id == R.use_id)
                .outerjoin(_risk_owner, _risk_owner.c.id == R.owner_id)
            )
            if self.use_id is not None:
                stmt = stmt.where(R.use_id == self.use_id)
            return stmt

        super().__init__(engine, columns, R.id, base, parent)


class PersonTableModel(SqlTableModel):
    def __init__(self, engine: Engine, parent: Any = None) -> None:
        columns = [
            Column("id", "ID", P.id, align_right=True),
            Column("name", "Name", P.name, searchable=True),
            Column("title", "Title", P.title, searchable=True),
            Column("department", "Department", P.department, searchable=True),
            Column("line", "Default line", P.default_line, enum=enums.Line),
            Column("left", "Has left", P.has_left),
            Column("email", "Email", P.email, searchable=True),
        ]
        super().__init__(
            engine, columns, P.id, lambda: select(P.id).select_from(Person.__table__), parent
        )


class VendorTableModel(SqlTableModel):
    def __init__(self, engine: Engine, parent: Any = None) -> None:
        from sqlalchemy import func

        uses_count = (
            select(func.count())
            .where(U.vendor_id == V.id)
            .correlate(Vendor.__table__)
            .scalar_subquery()
        )
        people = (
            select(func.coalesce(func.sum(U.people_affected), 0))
            .where(U.vendor_id == V.id)
            .correlate(Vendor.__table__)
            .scalar_subquery()
        )
        columns = [
            Column("id", "ID", V.id, align_right=True),
            Column("name", "Vendor", V.name, searchable=True),
            Column("kind", "Kind", V.kind, enum=enums.VendorKind),
            Column(
                "uses",
                "AI uses",
                uses_count,
                align_right=True,
                tooltip="How many uses depend on this vendor",
            ),
            Column(
                "people",
                "People affected / yr",
                people,
                align_right=True,
                tooltip="Sum of people affected per year across its uses",
            ),
            Column("notes", "Notes", V.notes, searchable=True),
        ]
        super().__init__(
            engine, columns, V.id, lambda: select(V.id).select_from(Vendor.__table__), parent
        )


class IncidentTableModel(SqlTableModel):
    def __init__(self, engine: Engine, parent: Any = None) -> None:
        columns = [
            Column("id", "ID", INC.id, align_right=True),
            Column("occurred", "Date", INC.occurred_on),
            Column("kind", "Kind", INC.kind, enum=enums.IncidentKind),
            Column("severity", "Severity", INC.severity, enum=enums.Severity),
            Column("title", "What happened", INC.title, searchable=True),
            Column("use", "AI use", _inc_use.c.name, searchable=True),
            Column("people", "People affected", INC.people_affected, align_right=True),
            Column("reportable", "May be reportable", INC.reportable),
        ]

        def base() -> Any:
            return (
                select(INC.id)
                .select_from(Incident.__table__)
                .outerjoin(_inc_use, _inc_use.c.id == INC.use_id)
            )

        super().__init__(engine, columns, INC.id, base, parent)
