"""The import wizard's "Translate values" page (issue 13, item 5) and its finished page
(issue 14): a district's free-text "Personal data" and "Students affected?" answers,
each mapped to a level or to unknown ("Not answered yet", "Not stated": the editors'
words) by keyboard, saved with the mapping, and imported with no row rejected."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QWizard

from riskdesk.enums import EUAIActClass, Sourcing, Stage
from riskdesk.importers import Mapping
from riskdesk.importers.fields import FIELDS, UNKNOWN
from riskdesk.importers.translation import is_choice
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.import_wizard.models import (
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_SUMMARY,
    PAGE_VALUES,
)
from riskdesk.ui.dialogs.import_wizard.translate_page import (
    HOW_READ,
    HOW_SUGGESTED,
    HOW_UNREAD,
    ValueMapModel,
    choices,
    parse_target,
    read_as_is,
    unknown_member,
)
from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard
from riskdesk.ui.editors.use_editor import UNKNOWN_TEXT
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.widgets.binding import OPTBOOL_ITEMS

DISTRICT = [
    ["Tool", "What it does", "Personal data", "Students affected?", "Children's data", "Status"],
    ["Tutor bot", "Homework help", "Student names, chat logs", "Yes - approx 2,400 students",
     "", "trial only"],
    ["Gaggle", "Self-harm scanning", "Student emails and documents", "all 10-20k students",
     "Yes", "Live"],
    ["Timetabler", "Plans rooms", "No", "No", "No", ""],
    ["Entrance cameras", "Facial recognition", "Faces", "approx 3k", "not sure", "pilot"],
    ["Lesson ideas", "Drafts plans", "", "", "", "Someday"],
    ["Essay helper", "Feedback", "Student names, chat logs", "", "yes", "Live"],
]  # fmt: skip


@pytest.fixture
def window_service(service: RegisterService) -> RegisterService:
    return service


def _district(tmp_path: Path) -> Path:
    path = tmp_path / "district.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(DISTRICT)
    return path


def _next(wizard: ImportWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled() and button.isVisible()
    button.click()


def _row(model: ValueMapModel, header: str, answer: str) -> int:
    return next(i for i, r in enumerate(model.rows) if r.header == header and r.answer == answer)


def _to_values_page(qtbot: Any, window: MainWindow, path: Path) -> ImportWizard:
    wizard = ImportWizard(window.service, window.history, window.settings, window, path)
    qtbot.addWidget(wizard)
    wizard.show()
    _next(wizard)
    assert wizard.currentId() == PAGE_MAPPING
    _next(wizard)
    assert wizard.currentId() == PAGE_VALUES  # choice columns: their answers come next
    return wizard


def test_translate_free_text_answers_by_keyboard_and_import_every_row(
    qtbot: Any, window: MainWindow, service: RegisterService, tmp_path: Path
) -> None:
    wizard = _to_values_page(qtbot, window, _district(tmp_path))
    page = wizard.values_page
    model = page.model
    wizard.activateWindow()
    qtbot.waitActive(wizard)
    # Each distinct answer once, with how many rows give it and where its value came from.
    names = _row(model, "Personal data", "Student names, chat logs")
    assert model.rows[names].rows == 2
    assert model.rows[names].target == "children_special"
    assert model.rows[names].how == HOW_SUGGESTED
    assert model.index(names, ValueMapModel.VALUE).data() == "Children's or special-category"
    reach = model.rows[_row(model, "Students affected?", "Yes - approx 2,400 students")]
    assert (reach.target, reach.how) == ("2400", HOW_SUGGESTED)
    assert model.rows[_row(model, "Students affected?", "all 10-20k students")].how == HOW_UNREAD
    assert model.rows[_row(model, "Status", "Live")].how == HOW_READ
    someday = model.rows[_row(model, "Status", "Someday")]
    assert someday.target == "unknown"  # a stage nobody can read: not stated, not refused
    assert {r.header for r in model.rows} == {
        "Personal data",
        "Students affected?",
        "Children's data",
        "Status",
    }

    # Keyboard only: the value cell's combo box takes the arrow keys. Faces are
    # biometric: one step down from "Children's or special-category" is Unknown, so
    # go up one to "Sensitive personal".
    faces = _row(model, "Personal data", "Faces")
    combo = page.view.indexWidget(model.index(faces, ValueMapModel.VALUE))
    assert isinstance(combo, QComboBox) and combo.accessibleName()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert model.rows[faces].target == "sensitive"
    # The reach of "all 10-20k students" is typed in: about 15,000.
    ambiguous = _row(model, "Students affected?", "all 10-20k students")
    typed = page.view.indexWidget(model.index(ambiguous, ValueMapModel.VALUE))
    assert isinstance(typed, QComboBox) and typed.isEditable()
    typed.setFocus()
    typed.lineEdit().selectAll()
    qtbot.keyClicks(typed, "15,000")
    qtbot.keyClick(typed, Qt.Key.Key_Tab)
    assert model.rows[ambiguous].target == "15000"

    _next(wizard)
    assert wizard.currentId() == PAGE_PREVIEW
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=20_000)
    preview = wizard.state.preview
    assert preview is not None and preview.problems == [] and preview.rows_rejected == 0
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    report = wizard.state.report
    assert report is not None and report.written and report.rows_rejected == 0

    uses = {str(u["name"]): u for u in service.rows("ai_use")}
    assert len(uses) == 6
    assert uses["Tutor bot"]["data_sensitivity"] == "children_special"
    assert uses["Tutor bot"]["people_affected"] == 2400
    assert uses["Tutor bot"]["stage"] == "pilot"
    assert uses["Entrance cameras"]["data_sensitivity"] == "sensitive"
    assert uses["Gaggle"]["people_affected"] == 15000
    assert uses["Timetabler"]["data_sensitivity"] == "internal"
    assert uses["Timetabler"]["childrens_data"] is False
    assert uses["Entrance cameras"]["childrens_data"] is None  # "not sure": unknown
    assert uses["Lesson ideas"]["stage"] == "not_stated"
    # What the file does not state stays unknown: no use is Low.
    assert {u["tier"] for u in uses.values()} == {"not_assessed"}


def test_value_maps_are_saved_and_loaded_with_the_mapping_file(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _district(tmp_path)
    saved = tmp_path / "district-mapping.json"
    wizard = _to_values_page(qtbot, window, path)
    model = wizard.values_page.model
    faces = _row(model, "Personal data", "Faces")
    model.setData(model.index(faces, ValueMapModel.VALUE), "sensitive")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    wizard.values_page.save_mapping()
    data = json.loads(saved.read_text(encoding="utf-8"))
    translate = data["columns"]["Personal data"]["translate"]
    assert translate["Faces"] == "sensitive"
    assert translate["Student names, chat logs"] == "children_special"  # suggested, kept
    assert data["columns"]["Status"]["translate"] == {"trial only": "pilot", "Someday": "unknown"}
    assert "Live" not in data["columns"]["Status"]["translate"]  # read as it stands
    assert Mapping.load(saved).columns["Personal data"].translate["Faces"] == "sensitive"

    other = _to_values_page(qtbot, window, path)
    assert other.values_page.model.rows[faces].target == "children_special"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    other.values_page.load_mapping()
    assert other.values_page.model.rows[faces].target == "sensitive"
    assert "Mapping loaded from district-mapping.json." in other.values_page.message.text()


def test_values_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _to_values_page(qtbot, window, _district(tmp_path))
    qtmodeltester.check(wizard.values_page.model)


def test_a_sheet_without_choice_columns_skips_the_page(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Name,Department\nBot,IT\n", "utf-8")
    wizard = ImportWizard(window.service, window.history, window.settings, window, path)
    qtbot.addWidget(wizard)
    wizard.show()
    _next(wizard)
    _next(wizard)
    assert wizard.currentId() == PAGE_PREVIEW


def _import_through_the_window(qtbot: Any, window: MainWindow, path: Path) -> ImportWizard:
    wizard = window.open_import_wizard(path)
    _next(wizard)
    _next(wizard)
    assert wizard.currentId() == PAGE_VALUES
    _next(wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=20_000)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    return wizard


@pytest.mark.parametrize("step", ["assess", "uses", "export"])
def test_finished_page_says_what_was_done_and_offers_next_steps(
    qtbot: Any, window: MainWindow, service: RegisterService, tmp_path: Path, step: str
) -> None:
    from riskdesk.ui.dialogs.classify_backlog import AssessNextDialog
    from riskdesk.ui.dialogs.export import ExportDialog
    from tests.test_gui_first_hour import unnamed_widgets

    service.create("ai_use", {"name": "Already assessed? No: typed in by hand"})
    wizard = _import_through_the_window(qtbot, window, _district(tmp_path))
    page = wizard.summary_page
    report = wizard.state.report
    assert report is not None and report.warnings
    text = page.label.text()
    assert text.startswith("Imported 6 AI uses from district.csv.")
    assert [w.reason for w in report.warnings if "state no stage" in w.reason]
    assert "1 warning to read below." in text
    # Seven uses wait for answers: the six imported and the one typed in.
    assert page.assess_button.text() == "&Assess the 7 uses not yet assessed"
    for button in (page.assess_button, page.uses_button, page.export_button):
        assert button.isVisibleTo(page)
    assert unnamed_widgets(page) == []
    # The last page: Finish, no Next (to the page added after it) and no Back.
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()

    window.show_page("dashboard")
    {"assess": page.assess_button, "uses": page.uses_button, "export": page.export_button}[
        step
    ].click()
    assert not wizard.isVisible()  # each step closes the wizard first
    if step == "assess":
        dialog = window.findChild(AssessNextDialog)
        assert isinstance(dialog, AssessNextDialog) and dialog.isVisible()
        assert "1 of 7" in dialog.progress.text()
        assert "<b>Purpose:</b>" in dialog.about.text()  # "What it does", to answer from
        dialog.reject()
    elif step == "uses":
        assert window.stack.currentWidget() is window.uses_page
    else:
        export = window.findChild(ExportDialog)
        assert isinstance(export, ExportDialog) and export.isVisible()
        export.reject()


def test_a_wizard_alone_offers_no_next_steps(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _to_values_page(qtbot, window, _district(tmp_path))
    _next(wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=20_000)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    page = wizard.summary_page
    assert "Imported 6 AI uses" in page.label.text()
    assert not page.next_label.isVisibleTo(page)
    assert not page.assess_button.isVisibleTo(page)


def test_each_choice_field_calls_its_unknown_what_the_editors_call_it() -> None:
    assert dict(choices("sourcing"))[UNKNOWN] == Sourcing.NOT_STATED.label == "Not stated"
    assert choices("sourcing")[0] == (UNKNOWN, "Not stated")  # where the enum lists it
    assert dict(choices("stage"))[UNKNOWN] == Stage.NOT_STATED.label
    assert dict(choices("eu_ai_act_class"))[UNKNOWN] == EUAIActClass.NOT_ASSESSED.label
    assert dict(choices("data_sensitivity"))[UNKNOWN] == UNKNOWN_TEXT  # the use editor's
    assert dict(choices("people_affected"))[UNKNOWN] == UNKNOWN_TEXT
    assert dict(choices("public_facing"))[UNKNOWN] == "Not stated"
    assert dict(choices("dev_prod_separated"))[UNKNOWN] == OPTBOOL_ITEMS[0][0]
    for field, spec in FIELDS.items():
        if not is_choice(spec, field):
            continue
        labels = [label for _target, label in choices(field)]
        assert len(labels) == len(set(labels)), field  # one "nobody said", not two
        member = unknown_member(field)
        if member is not None:
            assert "Unknown" not in labels and member.value not in dict(choices(field))
    # the enum's own "not stated", read or typed, is that one choice
    assert read_as_is("sourcing", "Not stated") == UNKNOWN
    assert parse_target("sourcing", "not_stated") == parse_target("sourcing", "Not stated")
    assert parse_target("sourcing", "Not stated") == UNKNOWN
    assert parse_target("sourcing", "vendor_api") == "vendor_api"


def test_the_sourcing_combo_says_not_stated(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "bought.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["Tool", "Built or bought"], ["Chat", "no idea"], ["Scan", "Not stated"]]
        )
    wizard = _to_values_page(qtbot, window, path)
    model = wizard.values_page.model
    for answer in ("no idea", "Not stated"):
        row = _row(model, "Built or bought", answer)
        assert model.rows[row].target == UNKNOWN
        assert model.index(row, ValueMapModel.VALUE).data() == "Not stated"
        combo = wizard.values_page.view.indexWidget(model.index(row, ValueMapModel.VALUE))
        assert isinstance(combo, QComboBox) and combo.currentText() == "Not stated"
        items = [combo.itemText(i) for i in range(combo.count())]
        assert items.count("Not stated") == 1 and "Unknown" not in items
