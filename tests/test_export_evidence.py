"""Evidence in the exports (issue 18 item 5): the workbook lists it, the CSV round trip
keeps its files byte for byte, and the board pack counts evidence-backed controls."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from riskdesk.reports import export_pdf, export_xlsx
from riskdesk.reports.csv_export import export_csv
from riskdesk.service import evidence as ev
from riskdesk.service.importing import import_file
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from tests.test_export_pdf import flat, pdftotext

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


# --- the CSV round trip ---------------------------------------------------------------------


def evidence_tables(service: RegisterService) -> dict[str, list[dict[str, Any]]]:
    # ``version`` counts edits in one database; a restored record starts again at 1.
    return {
        t: [{k: v for k, v in r.items() if k != "version"} for r in service.rows(t)]
        for t in ("evidence", "evidence_link")
    }


def restored_from(source: Path, tmp_path: Path, name: str) -> tuple[RegisterService, Any]:
    restored = RegisterService(open_register(tmp_path / name), actor="tester")
    return restored, import_file(restored, source)


@pytest.mark.parametrize("target", ["export.zip", "export-folder"])
def test_the_csv_round_trip_keeps_every_file_and_revision(
    service: RegisterService, world: dict[str, int], tmp_path: Path, target: str
) -> None:
    renewed = ev.replace_evidence(service, world["dpa"], b"renewed DPA", valid_until="2027-10-01")
    ev.remove_evidence(service, world["plan"])
    export = export_csv(service, tmp_path / target)

    restored, report = restored_from(export, tmp_path, "restored.db")
    assert report.written and not report.problems, report.problems
    assert report.created["evidence"] == 4 and report.created["evidence_link"] == 5
    assert evidence_tables(restored) == evidence_tables(service)
    for evidence_id, content in (
        (world["bias"], BIAS),
        (world["dpa"], DPA),  # the old revision keeps its file
        (renewed.evidence_id, b"renewed DPA"),
        (world["plan"], b"plan"),  # removed, still there for the auditor
    ):
        assert ev.evidence_bytes(restored, evidence_id) == content
    assert [e.id for e in ev.revisions(restored, renewed.evidence_id)] == [
        world["dpa"],
        renewed.evidence_id,
    ]
    # Restored evidence is in the restored register's own trail by hash, and verifies.
    with restored.engine.connect() as conn:
        audited = conn.execute(
            text("SELECT after FROM audit_event WHERE entity = 'evidence' ORDER BY id")
        ).scalars()
        hashes = {json.loads(a)["sha256"] for a in audited}
    assert hashes == {hashlib.sha256(c).hexdigest() for c in (BIAS, DPA, b"renewed DPA", b"plan")}
    assert ev.verify_blobs(restored) == []
    assert check_register(restored.register, remember=False).ok

    # Exported again, the restored register gives the same files.
    again = export_csv(restored, tmp_path / f"again-{target}")
    assert _members(again) == _members(export)


def _members(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_an_altered_or_missing_file_is_named_and_nothing_is_written(
    service: RegisterService, world: dict[str, int], tmp_path: Path
) -> None:
    export = export_csv(service, tmp_path / "export-folder")
    dpa_hash = hashlib.sha256(DPA).hexdigest()
    (export / "evidence" / dpa_hash).write_bytes(DPA + b" forged")
    (export / "evidence" / hashlib.sha256(b"plan").hexdigest()).unlink()

    restored, report = restored_from(export, tmp_path, "restored.db")
    assert not report.written
    reasons = {(p.sheet, p.column, p.reason) for p in report.problems}
    altered = (
        f"this cell: its file evidence/{dpa_hash} does not match the SHA-256 it is named by: "
        "it was changed after the export"
    )
    assert ("evidence.csv", "sha256", altered) in reasons
    missing = hashlib.sha256(b"plan").hexdigest()
    gone = f"this cell: its file evidence/{missing} is not in the export"
    assert ("evidence.csv", "sha256", gone) in reasons
    assert restored.rows("evidence") == [] and restored.rows("ai_use") == []


# --- the board pack ------------------------------------------------------------------------


def test_the_board_pack_counts_evidence_backed_and_claimed_controls(
    service: RegisterService, world: dict[str, int], tmp_path: Path
) -> None:
    path = export_pdf(service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    text = flat(pdftotext(path))
    assert (
        "Of 3 controls marked implemented or tested, 1 is backed by current evidence and 2 "
        "are claimed with no evidence (Vendor audit, Human review). The register holds 3 "
        "current evidence files, 1 of them expired."
    ) in text
    # The coverage table has the evidence columns beside the claims.
    assert "Backed by" in text and "Claimed," in text


def test_a_pack_with_nothing_claimed_says_so(service: RegisterService, tmp_path: Path) -> None:
    service.create("ai_use", {"name": "Timetable planner"})
    text = flat(pdftotext(export_pdf(service, tmp_path / "p.pdf", appendix=False, today=TODAY)))
    assert "No control is marked implemented or tested yet. The register holds 0 current" in text
