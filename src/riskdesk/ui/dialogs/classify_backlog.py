"""Assess the backlog: "Assess next" walks the uses not (fully) assessed in Classify.

One dialog stays open and shows each use of ``service.backlog.backlog_ids`` in turn:
Save & next (Enter) writes its answers as one undoable edit and moves on, Skip moves
on without writing, Stop (Esc) ends the walk; "3 of 15" says how far it has come. A
champion can so assess 15 uses in about ten minutes without opening an editor.

``install_assessment`` puts "Assess next" and "Answer for selected…" (``classify_bulk``)
in the Edit menu and on the AI uses page, whose table then takes several rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from riskdesk.scoring.exposure import ExposureFactors
from riskdesk.service.backlog import backlog_ids
from riskdesk.service.errors import ServiceError, StoreError, ValidationError
from riskdesk.service.imported_details import details_of
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify import ClassifyDialog
from riskdesk.ui.undo import EditHistory

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.finished_page import NextSteps
    from riskdesk.ui.main_window import MainWindow

ASSESS_SHORTCUT = "Ctrl+Shift+A"
KEYS_STYLE = "color: #52606d;"
ABOUT_DETAILS = 6  # imported columns shown above the questions
ABOUT_CHARS = 160


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ABOUT_CHARS else text[: ABOUT_CHARS - 1] + "…"


class AssessNextDialog(ClassifyDialog):
    """The Classify questions for one use after another, saved as the walk goes."""

    walked = Signal(int, int)  # saved, skipped: the walk ended

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_ids: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        first = service.get("ai_use", use_ids[0])
        super().__init__(first, service.scoring_config(), parent)
        self.service, self.history = service, history
        self.use_ids = list(use_ids)
        self.position = 0
        self.saved = self.skipped = 0
        self.setObjectName("assessNextDialog")
        self.use_id: int = int(first["id"])
        self.progress = QLabel(self)
        self.progress.setObjectName("assessProgress")
        self.progress.setTextFormat(Qt.TextFormat.RichText)
        self.left.insertWidget(0, self.progress)
        # What the register knows about the use, to answer from: its purpose and the
        # columns its import kept ("What it does", "Personal data"…).
        self.about = QLabel(self)
        self.about.setObjectName("assessAbout")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        self.about.setStyleSheet(KEYS_STYLE)
        self.left.insertWidget(1, self.about)
        self.error = QLabel(self)
        self.error.setObjectName("assessError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a61b1b;")
        self.error.hide()
        self.left.insertWidget(2, self.error)
        self.buttons.clear()  # Save & next / Skip / Stop instead of Use these answers
        role = QDialogButtonBox.ButtonRole
        self.save_button = self._button("&Save && next", "assessSave", role.ActionRole)
        self.save_button.setToolTip("Save this use's answers and show the next use (Enter)")
        self.save_button.clicked.connect(self.save_and_next)
        self.skip_button = self._button("S&kip", "assessSkip", role.ActionRole)
        self.skip_button.setToolTip("Leave this use as it is and show the next one")
        self.skip_button.clicked.connect(self.skip)
        self.stop_button = self._button("S&top", "assessStop", role.RejectRole)
        self.stop_button.setToolTip("End the walk here (Esc); what was saved stays saved")
        for button in (self.skip_button, self.stop_button):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)  # Enter = Save & next
        self._show_progress()

    def _button(self, text: str, name: str, role: QDialogButtonBox.ButtonRole) -> QPushButton:
        button = self.buttons.addButton(text, role)
        assert button is not None
        button.setObjectName(name)
        return button

    # --- the walk ----------------------------------------------------------------------
    def _show_progress(self) -> None:
        total = len(self.use_ids)
        name = str(self.record.get("name") or "")
        state = "partly assessed" if self.record.get("assessment") == "partly" else "not assessed"
        self.progress.setText(
            f"<b>{self.position + 1} of {total}</b> — {escape(name)} <i>({state})</i><br>"
            f"<span style='{KEYS_STYLE}'>Tab moves between questions, Space chooses (then the "
            "arrow keys change it), Enter saves and shows the next use, Esc stops.</span>"
        )
        self.setWindowTitle(f"Assess next — {name} ({self.position + 1} of {total})")
        self._show_about()
        self.tabs.setCurrentIndex(0)
        self.people.setFocus(Qt.FocusReason.OtherFocusReason)  # the first question

    def _show_about(self) -> None:
        parts = [
            f"<b>{label}:</b> {escape(_short(str(self.record.get(field) or '')))}"
            for field, label in (("department", "Department"), ("purpose", "Purpose"))
            if self.record.get(field)
        ]
        parts += [
            f"<b>{escape(d.column)}:</b> {escape(_short(d.value))}"
            for d in details_of(self.record.get("source_record"))[:ABOUT_DETAILS]
        ]
        self.about.setText(" · ".join(parts))
        self.about.setVisible(bool(parts))

    def _show_use(self, record: dict[str, Any]) -> None:
        self.use_id = int(record["id"])
        self.record = {**asdict(ExposureFactors()), **record}
        for group in self.groups.values():  # unanswered radio questions show no answer
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self._load(self.record)
        self._suggest(self.record)
        self.update_result()
        self.error.hide()
        self._show_progress()

    def _advance(self) -> None:
        while self.position + 1 < len(self.use_ids):
            self.position += 1
            try:
                record = self.service.get("ai_use", self.use_ids[self.position])
            except ServiceError:
                continue  # deleted meanwhile (another window, an undo): nothing to assess
            self._show_use(record)
            return
        self.walked.emit(self.saved, self.skipped)
        self.accept()

    def changes(self) -> dict[str, Any]:
        """The answers that differ from what the use holds."""
        return {k: v for k, v in self.values().items() if self.record.get(k) != v}

    def save_and_next(self) -> None:
        changes = self.changes()
        if changes:
            changes["version"] = self.record.get("version")  # refused if changed since
            name = self.record.get("name") or "this use"
            try:
                self.history.update(f"Assess AI use “{name}”", "ai_use", self.use_id, changes)
            except (ValidationError, ServiceError, StoreError) as exc:
                self.error.setText(f"Not saved: {exc}")
                self.error.show()
                return
            self.saved += 1
        else:
            self.skipped += 1
        self._advance()

    def skip(self) -> None:
        self.skipped += 1
        self._advance()

    def reject(self) -> None:
        """Stop and Esc: end the walk; every use saved so far stays saved (and undoable)."""
        self.walked.emit(self.saved, self.skipped)
        super().reject()


def assess_next(window: MainWindow) -> AssessNextDialog | None:
    """Start walking the backlog (window-modal, not blocking); None if there is none."""
    ids = backlog_ids(window.service)
    if not ids:
        QMessageBox.information(
            window, "Assess next", "Every AI use in use is assessed: there is nothing to walk."
        )
        return None
    dialog = AssessNextDialog(window.service, window.history, ids, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.walked.connect(
        lambda saved, skipped: window.statusBar().showMessage(
            f"Assess next: {saved} saved, {skipped} left as they were.", 10_000
        )
    )
    dialog.open()
    return dialog


@dataclass(frozen=True)
class AssessmentActions:
    assess: QAction
    answer: QAction
    assess_button: QPushButton
    answer_button: QPushButton


def install_assessment(window: MainWindow) -> AssessmentActions:
    """Edit ▸ Assess next / Answer for selected…, the same on the AI uses page."""
    from riskdesk.ui.dialogs.classify_bulk import answer_for_selected

    menu = window.edit_menu
    menu.addSeparator()
    assess = window.add_action(
        menu,
        "&Assess next…",
        lambda: assess_next(window),
        ASSESS_SHORTCUT,
        "actionAssessNext",
        "Walk the uses not yet assessed, one by one, in the Classify questions",
    )
    answer = window.add_action(
        menu,
        "Ans&wer for selected uses…",
        lambda: answer_for_selected(window),
        name="actionAnswerForSelected",
        tip="Give several selected AI uses the same answer to one question",
    )
    page = window.uses_page
    page.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    assess_button = QPushButton("Assess ne&xt…", page)
    assess_button.setObjectName("assessNextButton")
    assess_button.setToolTip(f"Walk the uses not yet assessed, one by one ({ASSESS_SHORTCUT})")
    assess_button.clicked.connect(lambda: assess_next(window))
    answer_button = QPushButton("Answer for se&lected…", page)
    answer_button.setObjectName("answerSelectedButton")
    answer_button.setToolTip("Select several uses (Ctrl+click, Shift+click), then answer once")
    answer_button.clicked.connect(lambda: answer_for_selected(window))
    row = page.top_row
    row.insertWidget(row.indexOf(page.add_button), assess_button)
    row.insertWidget(row.indexOf(page.add_button), answer_button)
    return AssessmentActions(assess, answer, assess_button, answer_button)


def import_next_steps(window: MainWindow) -> NextSteps:
    """The import wizard's finished-page steps, done in ``window``."""
    from riskdesk.ui.dialogs.import_wizard.finished_page import NextSteps

    return NextSteps(
        assess=lambda: assess_next(window),
        open_uses=lambda: window.show_page("uses"),
        export=window.open_export_dialog,
    )
