"""An incident's kind and people affected nobody gave are unknown, never "near miss" and 0:
stored so (migration 0009 makes people affected nullable, existing values kept), shown so
in the dialog and the table, carried so by the workbook and CSV, counted so in the pack."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QComboBox, QSpinBox
from pytestqt.qtbot import QtBot

from riskdesk.enums import IncidentKind
from riskdesk.reports import export_csv, export_pdf
from riskdesk.reports.pdf.style import kinds_text, people_text
from riskdesk.reports.snapshot import trend_point
from riskdesk.reports.xlsx import export_xlsx
from riskdesk.service import governance as gov
from riskdesk.service.errors import ValidationError
from riskdesk.service.importing import import_file
from riskdesk.service.integrity import check_register
from riskdesk.service.queries import incidents as incident_query
from riskdesk.service.register import RegisterService
from riskdesk.store.db import _alembic_config, open_register
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.models.register_models import IncidentTableModel
from riskdesk.ui.pages.drift_panels import pyramid_note
from riskdesk.ui.undo import EditHistory
from tests.test_export_pdf import flat, pdftotext


def _incident_schema(path: Path) -> dict[str, int]:
    """Column name → notnull flag of the incident table, as SQLite reports it."""
    con = sqlite3.connect(path)
    try:
        return {row[1]: row[3] for row in con.execute("PRAGMA table_info(incident)")}
    finally:
        con.close()


def test_0009_keeps_every_existing_incident_and_its_links(demo_service: RegisterService) -> None:
    """Down to 0008 (people affected NOT NULL again), then up: each incident keeps its
    kind and people affected — a 0 or a near miss may have been a default, but nobody can
    tell which — and its linked risks and evidence come back with it."""
    from alembic import command

    register = demo_service.register
    path = register.path
    assert path is not None
    use = demo_service.rows("ai_use", order_by="id")[0]
    risk = demo_service.create(
        "risk",
        {
            "use_id": use["id"],
            "title": "Wrong advice",
            "inherent_likelihood": 3,
            "inherent_impact": 3,
            "residual_likelihood": 2,
            "residual_impact": 2,
        },
    )
    linked = gov.log_incident(
        demo_service,
        {
            "use_id": use["id"],
            "title": "Zero people, as typed",
            "occurred_on": "2026-10-02",
            "kind": "near_miss",
            "people_affected": 0,
        },
        [risk],
    ).created_id
    before = {i["id"]: (i["kind"], i["people_affected"]) for i in demo_service.rows("incident")}
    links = demo_service.rows("incident_risk")
    assert before[linked] == ("near_miss", 0) and links
    with register.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")  # before BEGIN, as riskdesk migrates
        with conn.begin():
            command.downgrade(_alembic_config(conn), "0008")
        raw.execute("PRAGMA foreign_keys = ON")
    register.dispose()
    assert _incident_schema(path)["people_affected"] == 1  # 0008: NOT NULL
    upgraded = open_register(path)  # upgrades to head, as riskdesk does on opening
    try:
        service = RegisterService(upgraded, actor="tester")
        assert _incident_schema(path)["people_affected"] == 0
        after = {i["id"]: (i["kind"], i["people_affected"]) for i in service.rows("incident")}
        assert after == before
        assert service.rows("incident_risk") == links
        assert gov.linked_risks(service, linked) == [risk]
        report = check_register(upgraded, remember=False)
        assert report.ok, report.problems
    finally:
        upgraded.dispose()


def test_0009_downgrade_turns_unknowns_back_into_the_old_defaults(db_path: Path) -> None:
    from alembic import command

    register = open_register(db_path)
    service = RegisterService(register, actor="tester")
    unknown = service.create("incident", {"title": "Nobody said", "occurred_on": "2026-10-01"})
    with register.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0008")
        row = conn.execute(
            sa.text("SELECT kind, people_affected FROM incident WHERE id = :i"), {"i": unknown}
        ).one()
    register.dispose()
    assert tuple(row) == ("near_miss", 0)


def test_a_new_incident_without_kind_or_people_is_stored_as_unknown(
    service: RegisterService,
) -> None:
    incident = service.create("incident", {"title": "Chatbot misread", "occurred_on": "2026-11-02"})
    row = service.get("incident", incident)
    assert row["kind"] == IncidentKind.NOT_STATED.value == "not_stated"
    assert row["people_affected"] is None
    assert IncidentKind.NOT_STATED.label == "Not stated"
    # Words for "not known" are unknown too; a count stays a count (0 included).
    for given, stored in (("unknown", None), ("", None), ("1,200", 1200), (0, 0)):
        service.update("incident", incident, {"people_affected": given})
        assert service.get("incident", incident)["people_affected"] == stored
    with pytest.raises(ValidationError) as caught:
        service.update("incident", incident, {"people_affected": -3})
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("people_affected", "-3 is below the minimum of 0")
    ]


def test_the_dialog_leaves_both_unknown_and_the_table_says_so(
    service: RegisterService, qtbot: QtBot
) -> None:
    history = EditHistory(service)
    dialog = IncidentDialog(service, history, None, preset={"title": "Pupil saw answers"})
    qtbot.addWidget(dialog)
    kind = dialog.findChild(QComboBox, "kind")
    people = dialog.findChild(QSpinBox, "people_affected")
    assert kind is not None and people is not None
    assert kind.currentText() == "Not stated" and kind.itemText(0) == "Not stated"
    assert people.text() == "Unknown"  # blank, not 0
    dialog.save()
    incident = service.rows("incident")[-1]
    assert (incident["kind"], incident["people_affected"]) == ("not_stated", None)
    model = IncidentTableModel(incident_query(service))
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[2] == "Not stated" and cells[6] == "Unknown"
    # Someone finds out: 1,250 people, shown with the thousands separator.
    edit = IncidentDialog(service, history, incident["id"])
    qtbot.addWidget(edit)
    spin = edit.findChild(QSpinBox, "people_affected")
    assert spin is not None and spin.text() == "Unknown"
    spin.setValue(1250)
    edit.save()
    assert service.get("incident", incident["id"])["people_affected"] == 1250
    model.reload()
    assert model.index(0, 6).data() == "1,250"


def test_the_workbook_and_csv_carry_unknown_back(service: RegisterService, tmp_path: Path) -> None:
    service.create("incident", {"title": "Nobody said", "occurred_on": "2026-10-01"})
    service.create(
        "incident",
        {"title": "Counted", "occurred_on": "2026-10-02", "kind": "incident", "people_affected": 0},
    )
    book = export_xlsx(service, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(book)["Incidents"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Title")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    unknown, counted = rows["Nobody said"], rows["Counted"]
    assert unknown[header.index("Kind")] == "Not stated"
    assert unknown[header.index("People affected")] is None  # empty cell, not 0
    assert counted[header.index("People affected")] == 0
    want = [(r["kind"], r["people_affected"]) for r in service.rows("incident", order_by="id")]
    for source in (book, export_csv(service, tmp_path / "r.zip")):
        restored = RegisterService(open_register(tmp_path / f"{source.suffix[1:]}.db"), "t")
        try:
            report = import_file(restored, source)
            assert not report.problems
            got = [
                (r["kind"], r["people_affected"]) for r in restored.rows("incident", order_by="id")
            ]
            assert got == want == [("not_stated", None), ("incident", 0)]
        finally:
            restored.register.dispose()


def test_counts_never_make_an_unknown_kind_a_near_miss_or_an_incident(
    service: RegisterService,
) -> None:
    counts = {"not_stated": 2, "near_miss": 6, "incident": 1, "rollback": 0, "shutdown": 0}
    assert kinds_text(counts) == (
        "6 near misses, 1 incident, 0 rollbacks, 0 shutdowns, 2 of kind not stated"
    )
    assert kinds_text({**counts, "not_stated": 0}).endswith("0 shutdowns")
    assert pyramid_note(counts) == "6.0 near misses per incident, rollback or shutdown."
    assert pyramid_note({"not_stated": 3}).startswith("No near misses logged")
    assert people_text(None) == "Unknown" and people_text(12000) == "12,000"
    known = [{"people_affected": 1200}, {"people_affected": 0}]
    assert gov.people_affected_total(known) == "1,200 people"
    unknown = [*known, {"people_affected": None}, {"people_affected": None}]
    assert gov.people_affected_total(unknown) == (
        "at least 1,200 people; 2 incidents with people affected unknown"
    )
    assert gov.people_affected_total([{"people_affected": None}]) == "unknown (1 incident)"
    point = trend_point(dt.date(2026, 11, 1), {"incidents": counts})
    assert (point.incidents, point.near_misses) == (1, 6)  # the 2 are neither
    service.create("incident", {"title": "Nobody said", "occurred_on": "2026-10-01"})
    assert gov.incident_counts_by_kind(service)["not_stated"] == 1


def test_the_pack_says_kind_not_stated_and_people_unknown(
    service: RegisterService, tmp_path: Path
) -> None:
    today = dt.date.today()
    service.create("incident", {"title": "Nobody said", "occurred_on": today.isoformat()})
    text = flat(pdftotext(export_pdf(service, tmp_path / "pack.pdf", record=False)))
    assert "0 near misses, 0 incidents, 0 rollbacks, 0 shutdowns, 1 of kind not stated" in text
    assert "(1 more of kind not stated)" in text
    assert "People affected by those logged" in text
    assert "People affected by those logged in the last twelve months" in text
    assert "): unknown (1 incident)." in text  # not "0 people"
    # The row: severity Not stated, people Unknown (the kind cell wraps in the layout).
    assert "Not stated Nobody said Unknown" in text
