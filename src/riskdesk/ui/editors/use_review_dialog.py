"""Record review: a dated snapshot of a use's tier, exposure and gaps, and its next due date."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import ChallengeStatus, Line, Tier
from riskdesk.scoring import next_review_due
from riskdesk.scoring.exposure import exposure_text
from riskdesk.service import governance as gov
from riskdesk.service.errors import ConflictError, ServiceError, StoreError, ValidationError
from riskdesk.service.register import ActionResult, RegisterService
from riskdesk.ui.editors.use_challenges_tab import error_text, people_by_id
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import AskBeforeDiscard, fill_choices
from riskdesk.ui.widgets.text_keys import ctrl_tab_types_tab

BANNER_STYLE = "QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }"


class RecordReviewDialog(AskBeforeDiscard, QDialog):
    """Record that a use was reviewed: a dated snapshot and the next due date."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordReviewDialog")
        self.service, self.history, self.use_id = service, history, use_id
        self.today = today or dt.date.today()
        self.use = service.get("ai_use", use_id)
        self.result_: ActionResult | None = None
        self.setWindowTitle(f"Record review — {self.use['name']}")
        layout = QVBoxLayout(self)
        tier = Tier(self.use["tier"])
        config = service.scoring_config()
        months = config.review_months_for(tier)
        self.intro = QLabel(
            f"<b>{escape(self.use['name'])}</b> — {tier.label} tier, exposure "
            f"{exposure_text(self.use)}. A {tier.label}-tier use is reviewed every {months} "
            f"month{'s' if months != 1 else ''}: recording the review stores today's scores "
            "and gaps and schedules the next one.",
            self,
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.blocked = QLabel(self)
        self.blocked.setObjectName("blockedBanner")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet(BANNER_STYLE)
        self.blocked.hide()
        layout.addWidget(self.blocked)
        form = QFormLayout()
        self.reviewer = QComboBox(self)
        self.reviewer.setObjectName("reviewer_id")
        people = [p for p in people_by_id(service).values() if not p["has_left"]]
        fill_choices(
            self.reviewer,
            [(f"{p['name']} ({Line(p['default_line']).label})", p["id"]) for p in people],
            none=False,
        )
        # The 2nd-line reviewer reviews; failing one, any 2nd-line person; failing
        # that (a small Low-tier register) the owner.
        second_line = [p["id"] for p in people if p["default_line"] == Line.SECOND.value]
        default = (
            self.use["owner_second_id"]
            or (second_line[0] if second_line else None)
            or self.use["owner_first_id"]
        )
        if default is not None and self.reviewer.findData(default) >= 0:
            self.reviewer.setCurrentIndex(self.reviewer.findData(default))
        form.addRow("&Reviewer", self.reviewer)
        self.date = QDateEdit(self)
        self.date.setObjectName("reviewed_on")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        qtoday = QDate(self.today.year, self.today.month, self.today.day)
        self.date.setMaximumDate(qtoday)  # a review is recorded once it has happened
        self.date.setDate(qtoday)
        form.addRow("Reviewed &on", self.date)
        self.next_due = QLabel(self)
        self.next_due.setObjectName("nextDue")
        form.addRow("Next review due", self.next_due)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText("What was looked at, what changed, what was agreed.")
        self.notes.setMinimumHeight(80)
        self.notes.setTabChangesFocus(True)
        form.addRow("&Notes", self.notes)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(BANNER_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.date.dateChanged.connect(lambda _d: self._update_next())
        self._update_next()
        self._check_blocked()
        ctrl_tab_types_tab(self)
        self.resize(540, self.sizeHint().height())

    def unsaved(self) -> bool:
        return bool(self.notes.toPlainText().strip())  # the one thing typed here

    def reject(self) -> None:
        """Esc, Cancel and closing the window: never lose typed notes silently."""
        if self.may_discard():
            super().reject()

    def _day(self) -> dt.date:
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)  # QDate.toPython is typed as object
        return day

    def _update_next(self) -> None:
        day = self._day()
        due = next_review_due(self.use["tier"], day, self.service.scoring_config())
        self.next_due.setText(due.isoformat())

    def _check_blocked(self) -> None:
        if Tier(self.use["tier"]) not in gov.REVIEW_BLOCKING_TIERS:
            return
        pending = gov.pending_challenges(self.service, self.use_id)
        if pending:
            lines = "".join(
                f"<li>{escape(c['question'])} — {ChallengeStatus(c['status']).label.lower()}</li>"
                for c in pending
            )
            self.blocked.setText(
                f"This {Tier(self.use['tier']).label}-tier use has {len(pending)} unresolved "
                f"challenge{'s' if len(pending) != 1 else ''}; resolve "
                f"{'them' if len(pending) != 1 else 'it'} before recording the review as "
                f"complete:<ul>{lines}</ul>"
            )
            self.blocked.show()
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)

    def save(self) -> None:
        self.error.hide()
        reviewer = self.reviewer.currentData()
        day = self._day()
        notes = self.notes.toPlainText()
        try:
            self.result_ = self.history.run(
                f"Record review of “{self.use['name']}”",
                lambda: gov.record_review(self.service, self.use_id, reviewer, notes, day),
            )
        except (ValidationError, ConflictError, StoreError, ServiceError) as exc:
            self.error.setText(error_text(exc))
            self.error.show()
            return
        self.accept()
