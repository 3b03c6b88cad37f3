"""Columns kept from the source are visible (issue 13, item 6): the use editor's
"Imported details" tab lists them, and Classify pre-fills an unanswered question from
one whose wording suggests an answer — marked as a suggestion, never silently."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from riskdesk.importers.mapping import ColumnMap, Mapping
from riskdesk.service.imported_details import imported_details
from riskdesk.service.importing import import_file
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify import ClassifyDialog
from riskdesk.ui.editors.use_imported_tab import ImportedDetailsModel
from riskdesk.ui.main_window import MainWindow
from tests.test_gui_first_hour import unnamed_widgets

ROWS = [
    ["Tool", "Personal data", "Students affected?", "Budget code", "Status"],
    ["Tutor bot", "Student names, chat logs", "Yes - approx 2,400 students", "IT-42", "Live"],
    ["Rota planner", "Staff names", "", "", "Live"],
]


@pytest.fixture
def window_service(service: RegisterService, tmp_path: Path) -> RegisterService:
    """Uses imported with "Personal data" and "Students affected?" left unmapped: their
    answers are kept with each use, not read as answers."""
    path = tmp_path / "district.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    mapping = Mapping(
        columns={
            "Tool": ColumnMap(field="name"),
            "Personal data": ColumnMap(),
            "Students affected?": ColumnMap(),
            "Budget code": ColumnMap(),
            "Status": ColumnMap(field="stage"),
        }
    )
    report = import_file(service, path, mapping=mapping)
    assert report.written and report.rows_rejected == 0
    # One use the champion answered by hand: its answer is never overridden.
    rota = next(u for u in service.rows("ai_use") if u["name"] == "Rota planner")
    service.update("ai_use", rota["id"], {"data_sensitivity": "personal"})
    service.create("ai_use", {"name": "Typed in by hand"})
    return service


def _use(service: RegisterService, name: str) -> dict[str, object]:
    return next(u for u in service.rows("ai_use") if u["name"] == name)


def test_the_editor_shows_the_imported_details(window: MainWindow, qtbot: QtBot) -> None:
    tutor = _use(window.service, "Tutor bot")
    assert [(d.column, d.value) for d in imported_details(window.service, int(tutor["id"]))] == [
        ("Budget code", "IT-42"),
        ("Personal data", "Student names, chat logs"),
        ("Students affected?", "Yes - approx 2,400 students"),
    ]
    editor = window.use_editor(int(tutor["id"]))
    qtbot.addWidget(editor)
    panel = editor.imported_panel
    assert panel is not None
    tabs = editor.ui.tabs
    assert tabs.tabText(tabs.indexOf(panel)) == "Imported details (3)"
    model = panel.model
    rows = [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    assert rows == [
        ("Budget code", "IT-42", ""),
        (
            "Personal data",
            "Student names, chat logs",
            "Data sensitivity: Children's or special-category",
        ),
        (
            "Students affected?",
            "Yes - approx 2,400 students",
            "People affected a year: 2,400",
        ),
    ]
    tabs.setCurrentWidget(panel)
    assert unnamed_widgets(editor) == []

    typed = window.use_editor(int(_use(window.service, "Typed in by hand")["id"]))
    qtbot.addWidget(typed)
    assert typed.imported_panel is None  # nothing imported, no tab


def test_imported_details_model_passes_the_model_tester(
    window: MainWindow, qtmodeltester: object
) -> None:
    details = imported_details(window.service, int(_use(window.service, "Tutor bot")["id"]))
    qtmodeltester.check(ImportedDetailsModel(details))  # type: ignore[attr-defined]


def test_classify_prefills_unanswered_questions_as_marked_suggestions(
    window: MainWindow, qtbot: QtBot
) -> None:
    tutor = _use(window.service, "Tutor bot")
    dialog = ClassifyDialog(dict(tutor), window.service.scoring_config(), window)
    qtbot.addWidget(dialog)
    # Pre-filled, and said so beside each question.
    assert dialog.values()["data_sensitivity"] == "children_special"
    assert dialog.values()["people_affected"] == 2400
    label = dialog.suggestion_labels["data_sensitivity"]
    assert label.isVisibleTo(dialog)
    assert label.text() == (
        "suggested from the import: “Student names, chat logs” (column “Personal data”)"
    )
    assert dialog.suggestion_labels["people_affected"].isVisibleTo(dialog)
    assert not dialog.suggestion_labels["autonomy"].isVisibleTo(dialog)
    assert dialog.suggested_note.isVisibleTo(dialog)
    assert "2 answers suggested from the import" in dialog.suggested_note.text()
    # Nothing is written until someone saves: the use itself is still unanswered.
    assert window.service.get("ai_use", tutor["id"])["data_sensitivity"] is None

    # An answer given by hand is kept; the import's wording never overrides it.
    rota = _use(window.service, "Rota planner")
    answered = ClassifyDialog(dict(rota), window.service.scoring_config(), window)
    qtbot.addWidget(answered)
    assert answered.values()["data_sensitivity"] == "personal"
    assert not answered.suggestion_labels["data_sensitivity"].isVisibleTo(answered)
