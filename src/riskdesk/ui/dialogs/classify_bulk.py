"""AI uses ▸ "Answer for selected…": one answer to one question for several uses.

"These 6 use no personal data": choose the question and the answer once; the service
(``service.backlog.answer_for_uses``) writes it to every selected use in ONE audited
action, each use rescored, and Edit ▸ Undo takes it all back in one step.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk.scoring.exposure import QUESTIONS as TITLES
from riskdesk.service.backlog import ANSWERABLE, answer_for_uses
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify_questions import QUESTIONS, REACH_QUESTION
from riskdesk.ui.undo import EditHistory

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow

NOT_ANSWERED = "Not answered yet (unknown)"
SHOWN_NAMES = 6


class AnswerForSelectedDialog(QDialog):
    """Pick a question and its answer; Answer writes it to every use in ``use_ids``."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_ids: list[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("answerForSelectedDialog")
        self.service, self.history, self.use_ids = service, history, list(use_ids)
        count = len(self.use_ids)
        self.setWindowTitle(f"Answer for {count} selected use{'s' if count != 1 else ''}")
        names = [str(service.get("ai_use", i)["name"]) for i in self.use_ids[:SHOWN_NAMES]]
        more = f" and {count - SHOWN_NAMES} more" if count > SHOWN_NAMES else ""
        intro = QLabel(
            f"The same answer for <b>{count}</b> AI use{'s' if count != 1 else ''}: "
            f"{escape(', '.join(names))}{more}. It is one change: Edit ▸ Undo takes it back.",
            self,
        )
        intro.setWordWrap(True)
        self.question = QComboBox(self)
        self.question.setObjectName("bulkQuestion")
        for field in ANSWERABLE:
            self.question.addItem(TITLES.get(field, field), field)
        self.answer = QComboBox(self)
        self.answer.setObjectName("bulkAnswer")
        self.people = QSpinBox(self)
        self.people.setObjectName("bulkPeople")
        self.people.setRange(0, 2_000_000_000)
        self.people.setGroupSeparatorShown(True)
        self.people.setSuffix(" people a year")
        self.people.setToolTip(REACH_QUESTION)
        question_label = QLabel("&Question:", self)
        question_label.setBuddy(self.question)
        self.answer_label = QLabel("&Answer:", self)
        self.answer_label.setBuddy(self.answer)
        self.people_label = QLabel("&People a year:", self)
        self.people_label.setBuddy(self.people)
        self.hint = QLabel(self)
        self.hint.setObjectName("bulkHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #52606d;")
        self.error = QLabel(self)
        self.error.setObjectName("bulkError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a61b1b;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(question_label, self.question)
        form.addRow(self.answer_label, self.answer)
        form.addRow(self.people_label, self.people)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(f"A&nswer {count} use{'s' if count != 1 else ''}")
        ok.setObjectName("bulkApply")
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.question.currentIndexChanged.connect(self._question_changed)
        self._question_changed()
        self.resize(560, 260)

    def _question_changed(self) -> None:
        field = str(self.question.currentData())
        reach = field == "people_affected"
        for widget in (self.people, self.people_label):
            widget.setVisible(reach)
        self.answer.clear()
        question = next((q for q in QUESTIONS if q.field == field), None)
        if question is not None:
            for choice in question.choices:
                self.answer.addItem(choice.text, choice.value)
            self.hint.setText(question.text)
        else:
            self.answer.addItem("This number", "number")
            self.hint.setText(REACH_QUESTION)
        self.answer.addItem(NOT_ANSWERED, None)

    def choose(self, field: str, value: Any) -> None:
        """Pick a question and an answer as the keyboard would (tests, scripted use)."""
        self.question.setCurrentIndex(self.question.findData(field))
        if field == "people_affected" and value is not None:
            self.answer.setCurrentIndex(0)
            self.people.setValue(int(value))
            return
        for index in range(self.answer.count()):
            if self.answer.itemData(index) == value:
                self.answer.setCurrentIndex(index)
                return
        raise ValueError(f"{value!r} is not an answer to {field}")

    def value(self) -> Any:
        data = self.answer.currentData()
        if data == "number" and str(self.question.currentData()) == "people_affected":
            return self.people.value()
        return data

    def apply(self) -> None:
        field = str(self.question.currentData())
        value = self.value()
        count = len(self.use_ids)
        text = f"Answer “{self.question.currentText()}” for {count} AI use{'s' * (count != 1)}"
        try:
            self.history.run(
                text, lambda: answer_for_uses(self.service, self.use_ids, field, value)
            )
        except (ServiceError, StoreError) as exc:
            self.error.setText(f"Nothing was changed: {exc}")
            self.error.show()
            return
        self.accept()


def selected_use_ids(window: MainWindow) -> list[int]:
    page = window.uses_page
    rows = sorted(index.row() for index in page.view.selectionModel().selectedRows())
    return [page.model.id_at(row) for row in rows]


def answer_for_selected(window: MainWindow) -> AnswerForSelectedDialog | None:
    """Open the dialog for the uses selected on the AI uses page (window-modal)."""
    ids = selected_use_ids(window)
    if not ids:
        window.show_page("uses")
        QMessageBox.information(
            window,
            "Answer for selected uses",
            "Select the AI uses to answer for on the AI uses page (Ctrl+click or "
            "Shift+click for several), then choose Answer for selected… again.",
        )
        return None
    dialog = AnswerForSelectedDialog(window.service, window.history, ids, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
