"""File ▸ Import…: the wizard's pages with pytest-qt — suggested mapping, a field changed
through its combo box, the preview following it, the import, undo, cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QFileDialog, QWizard

from riskdesk.importers import Mapping
from riskdesk.reports.xlsx import export_xlsx
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from riskdesk.ui.app import build_window
from riskdesk.ui.dialogs.import_wizard import wizard as import_wizard
from riskdesk.ui.dialogs.import_wizard.models import (
    KEEP,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_SUMMARY,
    PAGE_VALUES,
    PROBLEM_COLOUR,
    WARNING_COLOUR,
    MappingModel,
)
from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard
from riskdesk.ui.main_window import MainWindow
from tests.conftest import dump

CSV = (
    "Use case,Where,Status,Supplier,Owner,Go live\n"
    "Tutor bot,Maths,Pilot,Acme,Jo Bloggs,2024-01-05\n"
    "Rota planner,HR,live,ACME ,Sam Roe,\n"
    "Essay marker,English,Someday,Globex,Jo Bloggs,next year\n"
)


@pytest.fixture
def window_service(service: RegisterService) -> RegisterService:
    """The import wizard imports into an empty register."""
    return service


def _wizard(qtbot: Any, window: MainWindow, path: Path) -> ImportWizard:
    wizard = ImportWizard(window.service, window.history, window.settings, window, path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _click(wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled() and button.isVisible()
    button.click()


def _wait_preview(qtbot: Any, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=20_000)


def _column(model: Any, header: str) -> int:
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )


def _cells(model: Any, header: str) -> list[str]:
    col = _column(model, header)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_file_menu_has_import_before_export(window: MainWindow) -> None:
    actions = [a for a in window.file_menu.actions() if not a.isSeparator()]
    names = [a.objectName() for a in actions]
    assert names.index("actionImport") == names.index("actionExport") - 1
    assert window.import_action.shortcut().toString() == "Ctrl+I"


def test_mapping_step_preview_import_and_undo(
    qtbot: Any, window: MainWindow, service: RegisterService, tmp_path: Path
) -> None:
    path = tmp_path / "q3 register.csv"
    path.write_text(CSV, "utf-8")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PAGE_MAPPING  # a CSV file has no sheets to choose
    page = wizard.mapping_page
    model = page.model
    # The suggestion, shown in the table: "Where" means nothing to riskdesk yet.
    assert model.fields() == {
        "Use case": "name",
        "Where": None,
        "Status": "stage",
        "Supplier": "vendor_name",
        "Owner": "owner_first_name",
        "Go live": "go_live",
    }
    assert (
        model.index(0, MappingModel.SAMPLES).data() == "Tutor bot  ·  Rota planner  ·  Essay marker"
    )
    assert model.index(1, MappingModel.FIELD).data() == KEEP
    assert "looks like <b>a spreadsheet of AI uses</b>" in page.found.text()

    _click(wizard, QWizard.WizardButton.NextButton)
    # "Status" is a choice: its answers are translated first. "Someday" says no stage
    # riskdesk knows: unknown (not stated), never a rejected row.
    assert wizard.currentId() == PAGE_VALUES
    values = wizard.values_page.model
    assert [(r.answer, r.target) for r in values.rows] == [
        ("Pilot", "pilot"),
        ("live", "production"),
        ("Someday", "unknown"),
    ]
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PAGE_PREVIEW
    _wait_preview(qtbot, wizard)
    preview = wizard.preview_page.model
    assert "Department" not in [
        preview.headerData(c, Qt.Orientation.Horizontal) for c in range(preview.columnCount())
    ]
    # Row 4's go-live date cannot be read: red, and the import waits for a decision.
    bad = next(r for r in range(preview.rowCount()) if preview.index(r, 0).data() == "4")
    assert preview.index(bad, 1).data(Qt.ItemDataRole.BackgroundRole).color() == PROBLEM_COLOUR
    assert '“Go live” (F): "next year"' in preview.index(bad, preview.columnCount() - 1).data()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()

    # Back to the mapping: "Where" becomes the department through its combo box.
    _click(wizard, QWizard.WizardButton.BackButton)
    _click(wizard, QWizard.WizardButton.BackButton)
    assert wizard.currentId() == PAGE_MAPPING
    index = model.index(1, MappingModel.FIELD)
    combo = page.view.indexWidget(index)
    assert isinstance(combo, QComboBox)  # every field is a combo box, always shown
    combo.setCurrentIndex(combo.findData("department"))
    assert model.fields()["Where"] == "department"
    assert model.index(1, MappingModel.FIELD).data() == "Department"

    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _wait_preview(qtbot, wizard)
    assert _cells(preview, "Department") == ["Maths", "HR", "English"]
    assert _cells(preview, "Stage") == ["Pilot", "Production", ""]
    summary = wizard.preview_page.summary.text()
    assert "2 ready, 1 with problems" in summary
    assert "would create 2 AI uses, 1 vendor, 2 people" in summary  # Acme once, Globex not

    wizard.preview_page.skip_invalid.setChecked(True)
    _click(wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    assert "Imported 2 AI uses, 1 vendor, 2 people" in wizard.summary_page.label.text()
    uses = {u["name"]: u for u in service.rows("ai_use")}
    assert set(uses) == {"Tutor bot", "Rota planner"}
    assert (
        uses["Rota planner"]["department"] == "HR" and uses["Rota planner"]["stage"] == "production"
    )
    assert window.history.stack.count() == 1
    assert window.history.stack.undoText() == "Import q3 register.csv"
    window.show_page("uses")
    assert window.uses_page.model.rowCount() == 2  # the window reloaded the page when shown

    window.history.stack.undo()  # the whole import, in one step
    assert service.count("ai_use") == service.count("vendor") == service.count("person") == 0
    window.history.stack.redo()
    assert service.count("ai_use") == 2


def test_models_pass_the_model_tester(
    qtbot: Any, qtmodeltester: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(CSV, "utf-8")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    qtmodeltester.check(wizard.mapping_page.model)
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _wait_preview(qtbot, wizard)
    qtmodeltester.check(wizard.preview_page.model)
    wizard.preview_page.only_flagged.setChecked(True)
    assert wizard.preview_page.model.rowCount() == 1
    qtmodeltester.check(wizard.preview_page.model)


def test_save_and_load_a_mapping(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(CSV, "utf-8")
    saved = tmp_path / "my mapping.json"
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    model = wizard.mapping_page.model
    model.setData(model.index(1, MappingModel.FIELD), "department", Qt.ItemDataRole.EditRole)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved)[:-5], ""))
    wizard.mapping_page.save_mapping()
    assert Mapping.load(saved).fields()["Where"] == "department"

    other = _wizard(qtbot, window, path)
    _click(other, QWizard.WizardButton.NextButton)
    assert other.mapping_page.model.fields()["Where"] is None
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    other.mapping_page.load_mapping()
    assert other.mapping_page.model.fields()["Where"] == "department"
    assert "Mapping loaded from my mapping.json." in other.mapping_page.message.text()
    assert isinstance(
        other.mapping_page.view.indexWidget(other.mapping_page.model.index(1, 2)), QComboBox
    )


def test_a_column_mapped_twice_is_shaded(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(CSV, "utf-8")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    model = wizard.mapping_page.model
    model.setData(model.index(1, MappingModel.FIELD), "stage", Qt.ItemDataRole.EditRole)
    shade = model.index(2, MappingModel.FIELD).data(Qt.ItemDataRole.BackgroundRole)
    assert shade.color() == WARNING_COLOUR
    model.setData(model.index(0, MappingModel.FIELD), "", Qt.ItemDataRole.EditRole)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no name column
    assert "Choose the column that holds each AI use's name" in wizard.mapping_page.message.text()


def test_cancel_rolls_the_import_back(
    qtbot: Any,
    window: MainWindow,
    service: RegisterService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service.create("ai_use", {"name": "Already here"})
    before = dump(service)
    path = tmp_path / "register.csv"
    path.write_text(CSV.replace("Someday", "Idea").replace("next year", ""), "utf-8")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _wait_preview(qtbot, wizard)
    real = import_wizard.import_plan

    def cancelled_at_once(*args: Any, **kwargs: Any) -> Any:
        wizard.jobs.cancel()  # as if Cancel were pressed as it starts
        return real(*args, **kwargs)

    monkeypatch.setattr(import_wizard, "import_plan", cancelled_at_once)
    _click(wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    assert wizard.summary_page.title() == "Import cancelled"
    assert dump(service) == before
    assert window.history.stack.count() == 0


def test_unreadable_file_stays_on_the_first_page(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "board-pack.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == 0
    assert "this is a PDF document, not a spreadsheet" in wizard.file_page.message.text()


def test_riskdesk_export_goes_straight_to_the_preview(
    qtbot: Any, demo_service: RegisterService, tmp_path: Path
) -> None:
    export = export_xlsx(demo_service, tmp_path / "export.xlsx", today=dt.date(2026, 11, 1))
    target = RegisterService(open_register(tmp_path / "new.db"), actor="tester")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(target, settings)
    qtbot.addWidget(win)
    wizard = _wizard(qtbot, win, export)
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PAGE_PREVIEW
    _wait_preview(qtbot, wizard)
    preview = wizard.preview_page.model
    assert set(_cells(preview, "Sheet")) >= {"People", "Vendors", "AI Uses", "Risks"}
    assert "0 with problems" in wizard.preview_page.summary.text()
    _click(wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    assert target.count("ai_use") == demo_service.count("ai_use")
    assert target.count("risk") == demo_service.count("risk")
    win.history.stack.undo()
    assert target.count("ai_use") == target.count("risk") == 0


def test_row_detail_and_warning_colour(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Name,Department\nBot,IT\nBot,IT\n", "utf-8")
    wizard = _wizard(qtbot, window, path)
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _wait_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole).color() == QColor(
        WARNING_COLOUR
    )
    page.view.selectRow(1)
    assert page.detail.text().startswith(
        "Row 3: Warning: “Name” (A): same department and name as row 2"
    )
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # warnings do not stop it
