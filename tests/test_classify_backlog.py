"""Assess the backlog (issue 13, item 7): "Assess next" walks the uses not yet assessed
in the Classify questions, by keyboard, one undoable save each; "Answer for selected…"
gives several uses one answer in one audited, undoable action."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from riskdesk.service.backlog import answer_for_uses, backlog_ids
from riskdesk.service.errors import ValidationError
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify_backlog import AssessNextDialog, assess_next
from riskdesk.ui.dialogs.classify_bulk import AnswerForSelectedDialog, answer_for_selected
from riskdesk.ui.dialogs.classify_questions import QUESTIONS
from riskdesk.ui.main_window import MainWindow
from tests.conftest import dump
from tests.test_gui_first_hour import unnamed_widgets

ALL_ANSWERS: dict[str, Any] = {
    "people_affected": 500,
    "decision_role": "informs_staff",
    "autonomy": "none",
    "data_sensitivity": "internal",
    "childrens_data": False,
    "harm_severity": "minor",
    "reversibility": "reversible",
    "rights_impacting": False,
    "safety_impacting": False,
    "eu_ai_act_class": "minimal",
}


@pytest.fixture
def window_service(service: RegisterService) -> RegisterService:
    """A register with a backlog: three uses nobody assessed, one partly assessed, one
    retired (not walked) and one fully assessed (not walked)."""
    for name in ("Essay marker", "Attendance bot", "Rota planner"):
        service.create("ai_use", {"name": name})
    service.create(
        "ai_use", {"name": "Tutor bot", "data_sensitivity": "personal", "purpose": "Homework help"}
    )
    service.create("ai_use", {"name": "Old chatbot", "stage": "retired"})
    service.create("ai_use", {"name": "Timetabler", **ALL_ANSWERS})
    return service


def _ids(service: RegisterService) -> dict[str, int]:
    return {str(u["name"]): int(u["id"]) for u in service.rows("ai_use")}


def _answer_everything(dialog: AssessNextDialog) -> None:
    dialog.people.setValue(ALL_ANSWERS["people_affected"])
    for question in QUESTIONS:
        dialog.answer(question.field, ALL_ANSWERS[question.field])
    dialog.transparency.button(1).setChecked(True)  # "No": minimal


def test_the_backlog_is_the_uses_not_fully_assessed_partly_first(
    window_service: RegisterService,
) -> None:
    ids = _ids(window_service)
    assert backlog_ids(window_service) == [
        ids["Tutor bot"],  # partly assessed: a few answers finish it
        ids["Attendance bot"],
        ids["Essay marker"],
        ids["Rota planner"],
    ]


def test_assess_next_walks_the_backlog_by_keyboard_and_undo_reverts_one_step(
    window: MainWindow, qtbot: QtBot, service: RegisterService
) -> None:
    ids = _ids(service)
    window.assessment.assess.trigger()  # Edit ▸ Assess next… (Ctrl+Shift+A)
    assert window.assessment.assess.shortcut().toString() == "Ctrl+Shift+A"
    dialog = window.findChild(AssessNextDialog)
    assert isinstance(dialog, AssessNextDialog) and dialog.isVisible()
    assert "1 of 4" in dialog.progress.text() and "Tutor bot" in dialog.progress.text()
    assert dialog.groups["data_sensitivity"].checkedButton() is not None  # its one answer
    assert "<b>Purpose:</b> Homework help" in dialog.about.text()  # to answer from
    assert unnamed_widgets(dialog) == []
    walked: list[tuple[int, int]] = []
    dialog.walked.connect(lambda saved, skipped: walked.append((saved, skipped)))

    for expected in ("Tutor bot", "Attendance bot", "Essay marker"):
        assert expected in dialog.progress.text()
        _answer_everything(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter = Save & next
    assert "4 of 4" in dialog.progress.text() and "Rota planner" in dialog.progress.text()
    # The next use starts from its own answers: none, not the last use's.
    assert dialog.groups["decision_role"].checkedId() == -1
    assert dialog.people.value() == -1
    assert dialog.focusWidget() is dialog.people  # the keyboard starts at the first question

    uses = {str(u["name"]): u for u in service.rows("ai_use")}
    for name in ("Tutor bot", "Attendance bot", "Essay marker"):
        assert uses[name]["assessment"] == "assessed" and uses[name]["tier"] != "not_assessed"
    assert uses["Rota planner"]["assessment"] == "not_assessed"
    assert window.history.stack.count() == 3
    assert window.history.stack.undoText() == "Assess AI use “Essay marker”"

    window.history.stack.undo()  # one step: the last use saved, only
    assert service.get("ai_use", ids["Essay marker"])["assessment"] == "not_assessed"
    assert service.get("ai_use", ids["Attendance bot"])["assessment"] == "assessed"

    skip = dialog.buttons.findChild(type(dialog.save_button), "assessSkip")
    assert skip is not None
    skip.click()  # the last one: the walk ends
    assert walked == [(3, 1)]
    assert not dialog.isVisible()
    assert service.get("ai_use", ids["Rota planner"])["assessment"] == "not_assessed"


def test_stop_ends_the_walk_and_writes_nothing(
    window: MainWindow, qtbot: QtBot, service: RegisterService
) -> None:
    before = dump(service)
    dialog = assess_next(window)
    assert dialog is not None
    _answer_everything(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Stop
    assert not dialog.isVisible()
    assert dump(service) == before and window.history.stack.count() == 0


def test_uses_page_offers_assess_next_and_several_rows_can_be_selected(
    window: MainWindow,
) -> None:
    window.show_page("uses")
    page = window.uses_page
    assert window.assessment.assess_button.isVisibleTo(page)
    assert window.assessment.answer_button.isVisibleTo(page)
    assert unnamed_widgets(page) == []
    page.view.selectAll()
    assert len(page.view.selectionModel().selectedRows()) == 6


def _select(window: MainWindow, names: list[str]) -> None:
    page = window.uses_page
    ids = _ids(window.service)
    page.view.clearSelection()
    for name in names:
        index = page.model.index(page.model.row_of(ids[name]), 0)
        page.view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_answer_for_selected_is_one_audited_undoable_action(
    window: MainWindow, qtbot: QtBot, service: RegisterService
) -> None:
    ids = _ids(service)
    names = ["Essay marker", "Attendance bot", "Rota planner"]
    window.show_page("uses")
    _select(window, names)
    events_before = len(service.rows("audit_event"))
    window.assessment.answer_button.click()
    dialog = window.findChild(AnswerForSelectedDialog)
    assert isinstance(dialog, AnswerForSelectedDialog)
    assert unnamed_widgets(dialog) == []
    assert dialog.windowTitle() == "Answer for 3 selected uses"
    dialog.choose("data_sensitivity", "internal")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None and ok.text() == "A&nswer 3 uses"
    ok.click()
    assert not dialog.isVisible()
    for name in names:
        assert service.get("ai_use", ids[name])["data_sensitivity"] == "internal"
        assert service.get("ai_use", ids[name])["assessment"] == "partly"  # rescored
    assert service.get("ai_use", ids["Tutor bot"])["data_sensitivity"] == "personal"
    # One action: one undo step, one block of audit events (one per use).
    assert window.history.stack.count() == 1
    assert window.history.stack.undoText() == "Answer “Data sensitivity” for 3 AI uses"
    assert len(service.rows("audit_event")) == events_before + 3
    window.history.stack.undo()
    for name in names:
        use = service.get("ai_use", ids[name])
        assert use["data_sensitivity"] is None and use["assessment"] == "not_assessed"


def test_answer_for_selected_reach_by_number(window: MainWindow, service: RegisterService) -> None:
    window.show_page("uses")
    _select(window, ["Essay marker", "Rota planner"])
    dialog = answer_for_selected(window)
    assert dialog is not None
    dialog.choose("people_affected", 2400)
    assert dialog.people.isVisibleTo(dialog)
    dialog.apply()
    reach = {str(u["name"]): u["people_affected"] for u in service.rows("ai_use")}
    assert reach["Essay marker"] == reach["Rota planner"] == 2400
    assert reach["Attendance bot"] is None


def test_bulk_answer_service_refuses_a_question_it_cannot_share(
    service: RegisterService,
) -> None:
    first = service.create("ai_use", {"name": "A"})
    before = dump(service)
    with pytest.raises(ValidationError):
        answer_for_uses(service, [first], "name", "B")
    with pytest.raises(ValidationError):
        answer_for_uses(service, [first], "data_sensitivity", "very")
    assert dump(service) == before
