"""Rows for each workbook sheet: the register's records as the cells of ``SHEETS``.

The layout itself (sheets, columns, kinds) is the file contract in
``riskdesk.fileformat.sheets``, shared with the re-import; this module fills it, a
batch of records at a time (issue 19). A record is a sequence of values with the
positions of its columns in ``index``; each column gets a getter from the record to the
cell's Python value, built once per sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from riskdesk import enums
from riskdesk.fileformat.sheets import Column, Sheet
from riskdesk.reports.registerdata import BATCH, Lookups, TableRow, links_for, stream_table
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import exposure_text
from riskdesk.service.oversight import UseGaps

Getter = Callable[[Sequence[Any]], Any]

# The sheets read straight from one table, and each "ids" column's link table:
# (table, its key to the sheet's record, the listed id).
SOURCES: dict[str, str] = {
    "AI Uses": "ai_use",
    "Risks": "risk",
    "Controls": "control",
    "Accountability": "ai_use",
    "People": "person",
    "Vendors": "vendor",
    "Incidents": "incident",
    "Challenges": "challenge",
    "Models": "ai_model",  # issue 17
    "Agent permissions": "agent_permission",  # issue 17
}
LINKS: dict[str, tuple[str, str, str]] = {
    "risk_control": ("risk_control", "risk_id", "control_id"),
    "incident_risk": ("incident_risk", "incident_id", "risk_id"),
}
GAP_FIELDS = (
    "use_id",
    "use_name",
    "tier",
    "department",
    "owner_first_id",
    "rung",
    "title",
    "reason",
    "tier_required",
    "subject",
)
GAP_INDEX = {name: i for i, name in enumerate(GAP_FIELDS)}


def _label_map(enum: type[enums.LabelledEnum]) -> dict[str, str]:
    return {m.value: m.label for m in enum}


def _ids(values: list[int] | None) -> str:
    return ", ".join(str(v) for v in values) if values else ""


def _band_label(score: int | None) -> str | None:
    if score is None:
        return None
    try:
        return band(score).label
    except ValueError:
        return None


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    # Spreadsheets have no time zones: store UTC wall-clock time, say so in the header.
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


class _Links:
    """One link column's ids for the records of the batch being written."""

    def __init__(self) -> None:
        self.by_id: dict[int, list[int]] = {}


def _derived(field: str, index: dict[str, int], look: Lookups) -> Getter | None:
    """The getter of a computed column, or None when ``field`` is a stored one."""
    if field in ("inherent_score", "residual_score", "inherent_band", "residual_band"):
        prefix = field.split("_")[0]
        like, imp = index[f"{prefix}_likelihood"], index[f"{prefix}_impact"]
        if field.endswith("_score"):
            return lambda v: int(v[like]) * int(v[imp])
        return lambda v: _band_label(v[like] * v[imp])
    key = index.get("id", 0)
    if field == "exposure":
        # not assessed: the provisional range ("20–100"), never a number nobody gave
        at = index["exposure"]
        return lambda v: v[at] if v[at] is not None else exposure_text(TableRow(index, v))
    counts: dict[str, Mapping[int, int]] = {
        "gap_count": look.gap_count,
        "use_count": look.uses_per_vendor,
        "evidence_files": look.evidence.files_by_control,  # issue 18
    }
    if field in counts:
        found = counts[field]
        return lambda v: found.get(v[key], 0)
    if field == "evidence_check":  # issue 18
        check = look.evidence.control_check
        return lambda v: check(TableRow(index, v))
    figures = {  # issue 17: a vendor's concentration
        "dependent_uses": "uses",
        "dependent_people": "people_cell",  # "at least …" / "Unknown": never a floor as exact
        "dependent_high": "high_or_critical",
        "dependent_no_fallback": "no_fallback",
    }
    if field in figures:
        attr, dependents = figures[field], look.dependents
        return lambda v: getattr(dependents[v[key]], attr) if v[key] in dependents else 0
    return None


def getter(column: Column, index: dict[str, int], look: Lookups, links: _Links) -> Getter:
    """A function from a record's values to the cell's Python value."""
    field = column.field
    if column.kind == "name":
        ref = field.removesuffix(".name")
        names = look.use_name if ref == "use_id" else look.person_name
        if ref in ("vendor_id", "provider_id"):  # issue 17: a model's provider is a vendor
            names = look.vendor_name
        if ref == "model_id":  # issue 17
            names = look.model_name
        at = index[ref]
        return lambda v: names.get(v[at]) if v[at] is not None else None
    if column.kind == "ids":
        key = index["id"]
        return lambda v: _ids(links.by_id.get(v[key]))
    if column.derived:
        found = _derived(field, index, look)
        if found is not None:
            return found
    at = index[field]
    if column.kind == "enum":
        assert column.enum is not None
        labels = _label_map(column.enum)
        return lambda v: labels.get(v[at], v[at])
    if column.kind == "datetime":
        return lambda v: _naive_utc(v[at])
    return itemgetter(at)


def _rows_of(getters: list[Getter], records: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [[g(r) for g in getters] for r in records]


def table_rows(
    sheet: Sheet, conn: Connection, look: Lookups, batch: int = BATCH
) -> Iterator[list[list[Any]]]:
    """A table's sheet, ``batch`` rows of Python values at a time (header excluded)."""
    link = next((c.link for c in sheet.columns if c.kind == "ids"), "")
    links = _Links()
    getters: list[Getter] | None = None
    for part in stream_table(conn, SOURCES[sheet.name], batch):
        if getters is None:
            getters = [getter(c, part.index, look, links) for c in sheet.columns]
        if link:
            key = part.index["id"]
            links.by_id = links_for(conn, *LINKS[link], (r[key] for r in part.rows))
        yield _rows_of(getters, part.rows)


def listed_rows(
    sheet: Sheet, records: Sequence[Mapping[str, Any]], look: Lookups
) -> list[list[Any]]:
    """A sheet made from ready records (the Evidence sheet's)."""
    if not records:
        return []
    index = {name: i for i, name in enumerate(records[0])}
    getters = [getter(c, index, look, _Links()) for c in sheet.columns]
    return _rows_of(getters, [tuple(r.values()) for r in records])


def gap_getters(sheet: Sheet, look: Lookups) -> list[Getter]:
    return [getter(c, GAP_INDEX, look, _Links()) for c in sheet.columns]


def gap_rows(use: UseGaps, getters: list[Getter]) -> list[list[Any]]:
    """The Gaps sheet's rows for one use: one per open gap."""
    records = [
        (
            use.use_id,
            use.use_name,
            use.tier,
            use.department,
            use.owner_first_id,
            gap.rung,
            gap.title,
            gap.reason,
            str(gap.tier_required),
            gap.subject,
        )
        for gap in use.gaps
    ]
    return _rows_of(getters, records)
