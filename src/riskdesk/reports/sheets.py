"""Rows for each workbook sheet: the register's records as the cells of ``SHEETS``.

The layout itself (sheets, columns, kinds) is the file contract in
``riskdesk.fileformat.sheets``, shared with the re-import; this module fills it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from riskdesk import enums
from riskdesk.fileformat.sheets import Column, Sheet
from riskdesk.reports.registerdata import RegisterData, Row
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import exposure_text


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


def _derived_getters(data: RegisterData) -> dict[str, Callable[[Row], Any]]:
    gap_count = {g.use_id: len(g.gaps) for g in data.gaps}
    use_count: dict[int, int] = {}
    for u in data.uses:
        if u["vendor_id"] is not None:
            use_count[u["vendor_id"]] = use_count.get(u["vendor_id"], 0) + 1

    def score(prefix: str) -> Callable[[Row], int]:
        like, imp = f"{prefix}_likelihood", f"{prefix}_impact"
        return lambda r: int(r[like]) * int(r[imp])

    return {
        "inherent_score": score("inherent"),
        "residual_score": score("residual"),
        "inherent_band": lambda r: _band_label(r["inherent_likelihood"] * r["inherent_impact"]),
        "residual_band": lambda r: _band_label(r["residual_likelihood"] * r["residual_impact"]),
        "gap_count": lambda r: gap_count.get(r["id"], 0),
        # not assessed: the provisional range ("20–100"), never a number nobody gave
        "exposure": lambda r: r["exposure"] if r["exposure"] is not None else exposure_text(r),
        "use_count": lambda r: use_count.get(r["id"], 0),
        # issue 18: the controls' evidence (the Evidence sheet's rows are ready-made)
        "evidence_files": lambda r: data.evidence.files_by_control.get(r["id"], 0),
        "evidence_check": data.evidence.control_check,
        **_concentration_getters(data),  # issue 17
    }


def _concentration_getters(data: RegisterData) -> dict[str, Callable[[Row], Any]]:
    from types import SimpleNamespace

    from riskdesk.service.vendors import concentration_of

    def ns(rows: list[Row]) -> dict[int, Any]:
        return {r["id"]: SimpleNamespace(**r) for r in rows}

    found = concentration_of(ns(data.uses).values(), ns(data.vendors), ns(data.models))
    by_id = {p.vendor_id: p for p in found.providers}

    def figure(attr: str) -> Callable[[Row], int]:
        return lambda r: getattr(by_id[r["id"]], attr) if r["id"] in by_id else 0

    return {
        "dependent_uses": figure("uses"),
        "dependent_people": figure("people"),
        "dependent_high": figure("high_or_critical"),
        "dependent_no_fallback": figure("no_fallback"),
    }


def getter(column: Column, data: RegisterData, derived: dict[str, Callable[[Row], Any]]) -> Any:
    """A function from a record to the cell's Python value."""
    field = column.field
    if column.kind == "name":
        ref = field.removesuffix(".name")
        names = data.use_name if ref == "use_id" else data.person_name
        if ref in ("vendor_id", "provider_id"):  # issue 17: a model's provider is a vendor
            names = data.vendor_name
        if ref == "model_id":  # issue 17
            names = {m["id"]: m["name"] for m in data.models}
        return lambda r: names.get(r[ref]) if r[ref] is not None else None
    if column.kind == "ids":
        links = data.risk_controls if column.link == "risk_control" else data.incident_risks
        return lambda r: _ids(links.get(r["id"]))
    if column.derived and field in derived:
        return derived[field]
    if column.kind == "enum":
        assert column.enum is not None
        labels = _label_map(column.enum)
        return lambda r: labels.get(r[field], r[field])
    if column.kind == "datetime":
        return lambda r: _naive_utc(r[field])
    return lambda r: r[field]


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    # Spreadsheets have no time zones: store UTC wall-clock time, say so in the header.
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _gap_records(data: RegisterData) -> Iterator[Row]:
    for use in data.gaps:
        for gap in use.gaps:
            yield {
                "use_id": use.use_id,
                "use_name": use.use_name,
                "tier": use.tier,
                "department": use.department,
                "owner_first_id": use.owner_first_id,
                "rung": gap.rung,
                "title": gap.title,
                "reason": gap.reason,
                "tier_required": str(gap.tier_required),
                "subject": gap.subject,
            }


def records(sheet: Sheet, data: RegisterData) -> tuple[int, Iterator[Row] | list[Row]]:
    """The sheet's source records and how many there are."""
    source: dict[str, list[Row]] = {
        "AI Uses": data.uses,
        "Risks": data.risks,
        "Controls": data.controls,
        "Accountability": data.uses,
        "People": data.people,
        "Vendors": data.vendors,
        "Incidents": data.incidents,
        "Challenges": data.challenges,
        "Models": data.models,  # issue 17
        "Agent permissions": data.permissions,  # issue 17
    }
    if sheet.name == "Gaps":
        return sum(len(g.gaps) for g in data.gaps), _gap_records(data)
    if sheet.name == "Evidence":  # issue 18
        return len(data.evidence.rows), data.evidence.rows
    rows = source[sheet.name]
    return len(rows), rows


def sheet_rows(sheet: Sheet, data: RegisterData) -> tuple[int, Iterator[list[Any]]]:
    """(row count, rows of Python values) for one sheet, header excluded."""
    derived = _derived_getters(data)
    getters = [getter(c, data, derived) for c in sheet.columns]
    count, recs = records(sheet, data)
    return count, ([g(r) for g in getters] for r in recs)
