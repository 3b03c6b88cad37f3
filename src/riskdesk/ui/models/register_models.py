"""The register's tables as models: AI uses, risks, people, vendors, incidents.

Each model shows the rows of a query from ``service.queries`` (which holds the SQL,
the search and the sort order); here are only the headers and how values look.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from riskdesk import enums
from riskdesk.service.queries import TableQuery
from riskdesk.service.vendors import at_least_text
from riskdesk.ui.models.table_model import AnyIndex, Column, QueryTableModel
from riskdesk.ui.widgets.numbers import count_text


class RegisterTableModel(QueryTableModel):
    """A model for one entity's query; refuses a query over another table."""

    ENTITY = ""
    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, query: TableQuery, parent: Any = None, *, load: bool = True) -> None:
        if query.entity != self.ENTITY:
            raise ValueError(f"{type(self).__name__} shows {self.ENTITY} rows, not {query.entity}")
        super().__init__(query, self.COLUMNS, parent, load=load)


class UseTableModel(RegisterTableModel):
    ID, NAME, DEPARTMENT, STAGE, VENDOR, TIER, EXPOSURE, OWNER, NEXT_REVIEW = range(9)
    ENTITY = "ai_use"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("name", "AI use"),
        Column("department", "Department", width=130),
        # Tiers and stages sort by their meaning, not alphabetically (the query's order).
        Column("stage", "Stage", enum=enums.Stage),
        Column("vendor", "Vendor"),
        Column(
            "tier",
            "Tier",
            enum=enums.Tier,
            colour=True,
            tooltip="Exposure tier: drives the oversight this use needs",
        ),
        Column(
            "exposure",
            "Exposure",
            align_right=True,
            tooltip="Exposure score 0–100; a range while the use is not assessed",
        ),
        Column("owner", "1st-line owner", width=130),
        Column("next_review", "Next review"),
    )


class RiskTableModel(RegisterTableModel):
    """All risks, or one use's risks (``service.queries.risks(service, use_id)``)."""

    ENTITY = "risk"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("title", "Risk"),
        Column("use", "AI use", width=190),
        Column(
            "inherent", "Inherent", align_right=True, tooltip="Inherent likelihood × impact (1–25)"
        ),
        Column(
            "residual", "Residual", align_right=True, tooltip="Residual likelihood × impact (1–25)"
        ),
        Column("status", "Status", enum=enums.RiskStatus),
        Column("owner", "Owner"),
        Column("due", "Due"),
        Column("refs", "References", width=150),
    )


class PersonTableModel(RegisterTableModel):
    ENTITY = "person"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("name", "Name"),
        Column("title", "Title"),
        Column("department", "Department"),
        Column("line", "Default line", enum=enums.Line),
        Column("left", "Has left"),
        Column("email", "Email"),
    )


class VendorTableModel(RegisterTableModel):
    ENTITY = "vendor"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("name", "Vendor"),
        Column("kind", "Kind", enum=enums.VendorKind),
        Column(
            "uses",
            "AI uses",
            align_right=True,
            tooltip="How many uses depend on this vendor",
            number=True,
        ),
        Column(
            "people",
            "People affected / yr",
            align_right=True,
            tooltip="Sum of people affected per year across its uses; “at least” when some "
            "use's reach is not known",
            number=True,  # 1,250,000 (in the user's locale), not 1250000
            unknown="Unknown",  # no use says its reach: not 0
        ),
        Column("notes", "Notes"),
    )
    PEOPLE = 4

    def __init__(self, query: TableQuery, parent: Any = None, *, load: bool = True) -> None:
        super().__init__(query, parent, load=load)
        # The uses of unknown reach are read with each row, after the shown values (not
        # a column): the people cell says "at least" with them.
        self._slots.append(query.keys.index("people_unknown"))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        text = super().data(index, role)
        if (
            index.column() == self.PEOPLE
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and index.isValid()
            and 0 <= index.row() < self.rowCount()
        ):
            values = self.values(index.row())
            known, unknown = values[self.PEOPLE], values[-1]
            if known is not None and unknown:  # some uses unknown: a floor, never exact
                text = at_least_text(known, unknown, count_text)
        return text


class IncidentTableModel(RegisterTableModel):
    ENTITY = "incident"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("occurred", "Date"),
        Column("kind", "Kind", enum=enums.IncidentKind),
        Column("severity", "Severity", enum=enums.Severity),
        Column("title", "What happened"),
        Column("use", "AI use"),
        Column("people", "People affected", align_right=True, number=True, unknown="Unknown"),
        Column("reportable", "May be reportable"),
    )
