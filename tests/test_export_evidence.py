"""Evidence in the exports (issue 18 item 5): the workbook lists it, the CSV round trip
keeps its files byte for byte, and the board pack counts evidence-backed controls."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from riskdesk.reports import export_xlsx
from riskdesk.service import evidence as ev
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)
DPA = b"%PDF-1.4 signed DPA\x00\xff" * 50
BIAS = bytes(range(256)) * 4


@pytest.fixture
def world(service: RegisterService) -> dict[str, int]:
    """A vendor and use, three controls claiming to work: one backed by current evidence,
    one whose only evidence expired, one with none; a planned control with a file."""
    with service.action() as uow:
        vendor = uow.create("vendor", {"name": "Vendor X"})
        use = uow.create("ai_use", {"name": "Essay helper", "vendor_id": vendor})
        backed = uow.create("control", {"name": "Bias test", "status": "tested"})
        lapsed = uow.create("control", {"name": "Vendor audit", "status": "implemented"})
        bare = uow.create("control", {"name": "Human review", "status": "implemented"})
        planned = uow.create("control", {"name": "Red team", "status": "planned"})
    ids = {"vendor": vendor, "use": use, "backed": backed, "lapsed": lapsed, "bare": bare}
    ids["planned"] = planned
    ids["bias"] = ev.add_evidence(
        service,
        BIAS,
        to=[f"control:{backed}", f"use:{use}"],
        title="Bias test 2026",
        kind="test_result",
        file_name="bias.bin",
        dated="2026-09-01",
    ).evidence_id
    ids["dpa"] = ev.add_evidence(
        service,
        DPA,
        to=[f"vendor:{vendor}", f"control:{lapsed}"],
        title="DPA with Vendor X",
        kind="contract",
        file_name="dpa.pdf",
        valid_until="2026-10-01",
    ).evidence_id
    ids["plan"] = ev.add_evidence(
        service, b"plan", to=[f"control:{planned}"], title="Red-team plan", kind="policy"
    ).evidence_id
    return ids


def sheet_rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_the_workbook_lists_evidence_and_what_controls_can_show(
    service: RegisterService, world: dict[str, int], tmp_path: Path
) -> None:
    book = load_workbook(export_xlsx(service, tmp_path / "r.xlsx", today=TODAY))
    rows = {r["ID"]: r for r in sheet_rows(book["Evidence"])}
    assert set(rows) == {world["bias"], world["dpa"], world["plan"]}
    dpa = rows[world["dpa"]]
    assert dpa["Title"] == "DPA with Vendor X"
    assert dpa["Kind"] == "Contract/DPA"
    assert dpa["Status"] == "expired"
    assert dpa["Valid until"].date() == dt.date(2026, 10, 1)
    assert dpa["SHA-256"] == hashlib.sha256(DPA).hexdigest()
    assert dpa["Size (bytes)"] == len(DPA)
    assert dpa["File name"] == "dpa.pdf"
    assert (
        dpa["Supports"]
        == f"Control {world['lapsed']}: Vendor audit; Vendor {world['vendor']}: Vendor X"
    )
    assert rows[world["bias"]]["Status"] == "no expiry"
    assert rows[world["bias"]]["Dated"].date() == dt.date(2026, 9, 1)

    controls = {r["ID"]: r for r in sheet_rows(book["Controls"])}
    check = {k: (r["Evidence files"], r["Evidence check"]) for k, r in controls.items()}
    assert check == {
        world["backed"]: (1, "backed by evidence"),
        world["lapsed"]: (1, "claimed, no evidence"),  # its only file has expired
        world["bare"]: (0, "claimed, no evidence"),
        world["planned"]: (1, None),  # planned claims nothing
    }

    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["  Implemented or tested, backed by current evidence"] == 1
    assert summary["  Implemented or tested, claimed with no evidence"] == 2
    assert summary["Evidence files (current revisions)"] == 3
    assert summary["  of them expired"] == 1


def test_replaced_and_removed_evidence_leave_the_sheet(
    service: RegisterService, world: dict[str, int], tmp_path: Path
) -> None:
    new = ev.replace_evidence(service, world["dpa"], b"renewed DPA", valid_until="2027-10-01")
    ev.remove_evidence(service, world["plan"])
    book = load_workbook(export_xlsx(service, tmp_path / "r.xlsx", today=TODAY))
    rows = {r["ID"]: r for r in sheet_rows(book["Evidence"])}
    assert set(rows) == {world["bias"], new.evidence_id}
    assert rows[new.evidence_id]["Revision of ID"] == world["dpa"]
    assert rows[new.evidence_id]["Status"] == "valid"
    controls = {r["ID"]: r["Evidence check"] for r in sheet_rows(book["Controls"])}
    assert controls[world["lapsed"]] == "backed by evidence"  # the renewal counts
