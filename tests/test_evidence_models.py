"""Evidence on catalogued models (issue 18, migration 0008): a model card attached to the
model supports every use running on it; its expiry is a gap there; the model's editor
has the Evidence tab; the CSV round trip keeps the link; 0008 goes up and down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import inspect

from riskdesk.reports.csv_export import export_csv
from riskdesk.service import evidence as ev
from riskdesk.service.importing import import_file
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.store.db import _alembic_config, make_engine, open_register
from riskdesk.ui.editors.evidence_panel import EvidencePanel
from riskdesk.ui.editors.vendor_dialog import ModelDialog, VendorDialog, record_editor
from riskdesk.ui.undo import EditHistory

TODAY = dt.date(2026, 11, 1)


def model_world(service: RegisterService) -> dict[str, int]:
    with service.action() as uow:
        provider = uow.create("vendor", {"name": "OpenAI"})
        model = uow.create("ai_model", {"name": "GPT-4o", "provider_id": provider})
        on_it = uow.create("ai_use", {"name": "Essay helper", "model_id": model})
        other = uow.create("ai_use", {"name": "Timetable planner"})
    card = ev.add_evidence(
        service,
        b"model card",
        to=[f"model:{model}"],
        title="GPT-4o system card",
        kind="model_card",
        valid_until="2026-10-01",
    )
    return {"model": model, "on_it": on_it, "other": other, "card": card.evidence_id}


def test_a_model_card_supports_the_uses_running_on_the_model(service: RegisterService) -> None:
    world = model_world(service)
    (info,) = ev.evidence_for(service, f"model:{world['model']}")
    assert info.title == "GPT-4o system card"
    gaps = {
        ug.use_id: [g.reason for g in ug.gaps if g.rung == ev.GAP_RUNG]
        for ug in register_gaps(service, TODAY)
    }
    assert gaps[world["on_it"]] == [
        f"GPT-4o system card expired on 2026-10-01; it supports model {world['model']} (GPT-4o)"
    ]
    assert gaps[world["other"]] == []


def test_deleting_the_model_takes_its_links_and_undo_brings_them_back(
    service: RegisterService,
) -> None:
    world = model_world(service)
    result = service.delete("ai_model", world["model"])
    assert ev.evidence_for(service, f"model:{world['model']}") == []
    service.undo(result)
    assert [e.id for e in ev.evidence_for(service, f"model:{world['model']}")] == [world["card"]]


def test_the_csv_round_trip_keeps_a_models_evidence(
    service: RegisterService, tmp_path: Path
) -> None:
    world = model_world(service)
    export = export_csv(service, tmp_path / "export.zip")
    restored = RegisterService(open_register(tmp_path / "restored.db"), actor="tester")
    report = import_file(restored, export)
    assert report.written and not report.problems, report.problems
    (info,) = ev.evidence_for(restored, f"model:{world['model']}")
    assert ev.evidence_bytes(restored, info.id) == b"model card"


def test_the_model_editor_has_an_evidence_tab(service: RegisterService, qtbot: QtBot) -> None:
    world = model_world(service)
    history = EditHistory(service)
    editor = record_editor(service, history, "ai_model", world["model"])
    qtbot.addWidget(editor)
    assert isinstance(editor, ModelDialog)
    panel = editor.evidence_panel
    assert isinstance(panel, EvidencePanel) and str(panel.target) == f"model:{world['model']}"
    assert panel.model.rowCount() == 1
    vendor = record_editor(service, history, "vendor", service.rows("vendor")[0]["id"])
    qtbot.addWidget(vendor)
    assert isinstance(vendor, VendorDialog) and isinstance(vendor.evidence_panel, EvidencePanel)


def test_0008_goes_up_and_down(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0008")
        with engine.connect() as conn:
            assert "model_id" in {c["name"] for c in inspect(conn).get_columns("evidence_link")}
            fks = {fk["referred_table"] for fk in inspect(conn).get_foreign_keys("evidence_link")}
            assert "ai_model" in fks
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0007")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("evidence_link")}
        assert "model_id" not in columns and "vendor_id" in columns
    finally:
        engine.dispose()
