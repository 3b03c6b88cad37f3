"""The use editor's Challenges tab, and the guarded run its review dialog shares.

Challenges: the 2nd line raises, the 1st line answers, the reviewer resolves or
escalates — each step one undoable action through ``EditHistory``, each refused with
the service's reason when it breaks the three-lines rules. The History tab is in
``use_history_tab.py``, the Record review dialog in ``use_review_dialog.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.enums import ChallengeStatus, Line, Severity
from riskdesk.service import governance as gov
from riskdesk.service.errors import ServiceError, StoreError, ValidationError
from riskdesk.service.register import ActionResult, RegisterService
from riskdesk.ui.editors.evidence_tab import add_evidence_button
from riskdesk.ui.models.table_model import AnyIndex, ListTableModel, ObjectRole
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import AskBeforeDiscard, fill_choices, fill_enum
from riskdesk.ui.widgets.text_keys import ctrl_tab_types_tab

STATUS_COLOURS = {
    "open": "#ffd1a3",
    "answered": "#fff2b3",
    "escalated": "#f4a6a6",
    "resolved": "#d9f2d9",
}


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(p.reason[:1].upper() + p.reason[1:] for p in exc.problems) + "."
    return str(exc)


def run_guarded(
    parent: QWidget, history: EditHistory, text: str, action: Callable[[], ActionResult]
) -> bool:
    """Run an undoable action; show the service's refusal instead of raising."""
    try:
        history.run(text, action)
    except (ServiceError, StoreError) as exc:
        QMessageBox.warning(parent, "riskdesk", error_text(exc))
        return False
    return True


def people_by_id(service: RegisterService) -> dict[int, dict[str, Any]]:
    return {p["id"]: p for p in service.rows("person", order_by="name")}


# --- challenges --------------------------------------------------------------------------


class ChallengeModel(ListTableModel):
    HEADERS = ("Raised", "By", "On risk", "Severity", "Status", "Question")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}
        self.risks: dict[int, str] = {}

    def set_rows(  # type: ignore[override]
        self, rows: list[dict[str, Any]], names: dict[int, str], risks: dict[int, str]
    ) -> None:
        self.names, self.risks = names, risks
        super().set_rows(rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == ObjectRole:
            return row["id"]
        if role == Qt.ItemDataRole.BackgroundRole and col == 4:
            from PySide6.QtGui import QColor

            return QColor(STATUS_COLOURS.get(row["status"], "#eeeeee"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 5:
            return row["question"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return row["raised_on"].isoformat()
        if col == 1:
            return self.names.get(row["raised_by_id"], "")
        if col == 2:
            return self.risks.get(row["risk_id"], "") if row["risk_id"] else "(the use)"
        if col == 3:
            return Severity(row["severity"]).label
        if col == 4:
            return ChallengeStatus(row["status"]).label
        return row["question"]


class ChallengeStepDialog(AskBeforeDiscard, QDialog):
    """One step of a challenge: who (if asked), the text, and for a new one its severity
    and the risk it is about."""

    def __init__(
        self,
        title: str,
        intro: str,
        text_label: str,
        parent: QWidget | None = None,
        people: list[tuple[str, Any]] | None = None,
        person_label: str = "",
        default_person: int | None = None,
        risks: list[tuple[str, Any]] | None = None,
        severity: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("challengeStepDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        note = QLabel(intro, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.person = QComboBox(self)
        self.person.setObjectName("person")
        self.risk = QComboBox(self)
        self.risk.setObjectName("risk")
        self.severity = QComboBox(self)
        self.severity.setObjectName("severity")
        if people is not None:
            fill_choices(self.person, people, none=False)
            if default_person is not None and self.person.findData(default_person) >= 0:
                self.person.setCurrentIndex(self.person.findData(default_person))
            form.addRow(person_label, self.person)
        else:
            self.person.hide()
        if risks is not None:
            fill_choices(self.risk, risks, none=False)
            self.risk.insertItem(0, "(the use as a whole)", None)
            self.risk.setCurrentIndex(0)
            form.addRow("About &risk", self.risk)
        else:
            self.risk.hide()
        if severity:
            fill_enum(self.severity, enums.Severity)
            self.severity.setCurrentIndex(self.severity.findData("medium"))
            form.addRow("Se&verity", self.severity)
        else:
            self.severity.hide()
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("text")
        self.text.setMinimumHeight(90)
        self.text.setTabChangesFocus(True)
        form.addRow(text_label, self.text)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ctrl_tab_types_tab(self)
        self.resize(520, self.sizeHint().height())

    def unsaved(self) -> bool:
        return bool(self.text.toPlainText().strip())  # the one thing typed here

    def reject(self) -> None:
        """Esc, Cancel and closing the window: never lose typed text silently."""
        if self.may_discard():
            super().reject()

    def values(self) -> dict[str, Any]:
        return {
            "person": self.person.currentData(),
            "risk": self.risk.currentData(),
            "severity": self.severity.currentData() or "medium",
            "text": self.text.toPlainText(),
        }


def _compare_snapshots(raised: dict[str, Any] | None, resolved: dict[str, Any] | None) -> str:
    if not raised:
        return ""
    parts = [f"<b>When raised</b> ({raised.get('taken_on', '?')}): {gov.snapshot_summary(raised)}"]
    if resolved:
        parts.append(
            f"<b>When resolved</b> ({resolved.get('taken_on', '?')}): "
            f"{gov.snapshot_summary(resolved)}"
        )
        before = {(g["rung"], g.get("subject", "")): g["title"] for g in raised.get("gaps", [])}
        after = {(g["rung"], g.get("subject", "")): g["title"] for g in resolved.get("gaps", [])}
        closed = [before[k] for k in before if k not in after]
        opened = [after[k] for k in after if k not in before]
        if closed:
            parts.append("Gaps closed meanwhile: " + escape(", ".join(closed)))
        if opened:
            parts.append("Gaps opened meanwhile: " + escape(", ".join(opened)))
    elif raised.get("gaps"):
        titles = [
            g["title"] + (f" ({g['subject']})" if g.get("subject") else "") for g in raised["gaps"]
        ]
        parts.append("Gaps then: " + escape(", ".join(titles)))
    return "<br>".join(parts)


class ChallengesPanel(QWidget):
    """Challenges on one use: list, detail with frozen snapshots, and the four steps."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("challengesPanel")
        self.service, self.history, self.use_id = service, history, use_id
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Effective challenge, on the record: the 2nd line asks, the 1st line answers, "
            "the reviewer resolves or escalates. Scores and gaps are frozen when a challenge "
            "is raised and when it is resolved. An unresolved challenge on a High or "
            "Critical use keeps its review from being signed off.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.raise_button = QPushButton("&Raise challenge…", self)
        self.raise_button.setObjectName("raiseChallenge")
        self.answer_button = QPushButton("&Answer…", self)
        self.answer_button.setObjectName("answerChallenge")
        self.resolve_button = QPushButton("Re&solve…", self)
        self.resolve_button.setObjectName("resolveChallenge")
        self.escalate_button = QPushButton("Es&calate…", self)
        self.escalate_button.setObjectName("escalateChallenge")
        for button in (
            self.raise_button,
            self.answer_button,
            self.resolve_button,
            self.escalate_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.model = ChallengeModel(self)
        self.view = QTableView(split)
        self.view.setObjectName("challengesTable")
        self.view.setAccessibleName("Challenges")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.detail = QTextBrowser(split)
        self.detail.setObjectName("challengeDetail")
        self.detail.setAccessibleName("Challenge details")
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        add_evidence_button(buttons, self, service, history, "challenge", self.view)  # issue 18
        self.raise_button.clicked.connect(lambda: self.raise_challenge())
        self.answer_button.clicked.connect(lambda: self.answer())
        self.resolve_button.clicked.connect(lambda: self.resolve())
        self.escalate_button.clicked.connect(lambda: self.escalate())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.reload()

    # --- state ---------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected()
        people = people_by_id(self.service)
        risks = {r["id"]: r["title"] for r in self.service.rows("risk", use_id=self.use_id)}
        rows = self.service.rows("challenge", use_id=self.use_id)
        rows.sort(key=lambda r: (r["status"] == "resolved", r["raised_on"], r["id"]), reverse=False)
        self.model.set_rows(rows, {i: p["name"] for i, p in people.items()}, risks)
        if selected is not None:
            self.select(selected["id"])
        elif rows:
            self.select(rows[0]["id"])
        self._selected_changed()

    def unresolved(self) -> int:
        return sum(1 for r in self.model.rows if r["status"] != ChallengeStatus.RESOLVED.value)

    def select(self, challenge_id: int) -> None:
        for row, record in enumerate(self.model.rows):
            if record["id"] == challenge_id:
                self.view.selectRow(row)
                return

    def selected(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def _selected_changed(self) -> None:
        record = self.selected()
        status = ChallengeStatus(record["status"]) if record else None
        self.answer_button.setEnabled(status in (ChallengeStatus.OPEN, ChallengeStatus.ESCALATED))
        self.resolve_button.setEnabled(
            status in (ChallengeStatus.ANSWERED, ChallengeStatus.ESCALATED)
        )
        self.escalate_button.setEnabled(status in (ChallengeStatus.OPEN, ChallengeStatus.ANSWERED))
        self.detail.setHtml(self._detail_html(record) if record else self._empty_html())

    def _empty_html(self) -> str:
        return (
            "<p>No challenge on the record for this use yet. From the High tier the ladder "
            "asks for at least one.</p>"
        )

    def _detail_html(self, record: dict[str, Any]) -> str:
        names = self.model.names
        parts = [
            f"<p><b>Question</b> ({escape(names.get(record['raised_by_id'], '?'))}, "
            f"{record['raised_on']}): {escape(record['question'])}</p>"
        ]
        if record["answer"]:
            parts.append(
                f"<p><b>Answer</b> ({escape(names.get(record['answered_by_id'], '?'))}): "
                f"{escape(record['answer'])}</p>"
            )
        if record["resolution"]:
            word = "Resolution" if record["status"] == "resolved" else "Escalated"
            when = f", {record['resolved_on']}" if record["resolved_on"] else ""
            parts.append(f"<p><b>{word}</b>{when}: {escape(record['resolution'])}</p>")
        compared = _compare_snapshots(
            gov.read_snapshot(record["snapshot_raised"]),
            gov.read_snapshot(record["snapshot_resolved"]),
        )
        if compared:
            parts.append(f"<p>{compared}</p>")
        return "".join(parts)

    # --- steps ---------------------------------------------------------------------
    def _use(self) -> dict[str, Any]:
        return self.service.get("ai_use", self.use_id)

    def raise_challenge(self, values: dict[str, Any] | None = None) -> bool:
        use = self._use()
        if values is None:
            people = [
                (p["name"] + f" ({Line(p['default_line']).label})", p["id"])
                for p in people_by_id(self.service).values()
                if not p["has_left"]
                and p["default_line"] != Line.FIRST.value
                and p["id"] != use["owner_first_id"]
            ]
            risks = [(r["title"], r["id"]) for r in self.service.rows("risk", use_id=self.use_id)]
            dialog = ChallengeStepDialog(
                "Raise a challenge",
                f"A question from the 2nd line (or the 3rd) to the 1st line about "
                f"“{use['name']}”. Today's scores and gaps are frozen with it.",
                "&Question",
                self,
                people=people,
                person_label="Raised &by",
                default_person=use["owner_second_id"],
                risks=risks,
                severity=True,
            )
            if not dialog.exec():
                return False
            values = dialog.values()
        assert values is not None
        ok = run_guarded(
            self,
            self.history,
            f"Raise challenge on “{use['name']}”",
            lambda: gov.raise_challenge(
                self.service,
                self.use_id,
                values["person"],
                values["text"],
                values.get("severity", "medium"),
                values.get("risk"),
            ),
        )
        if ok:
            self.reload()
        return ok

    def answer(self, values: dict[str, Any] | None = None) -> bool:
        record = self.selected()
        if record is None:
            return False
        use = self._use()
        if values is None:
            people = [
                (p["name"], p["id"])
                for p in people_by_id(self.service).values()
                if not p["has_left"]
                and (p["default_line"] == Line.FIRST.value or p["id"] == use["owner_first_id"])
            ]
            dialog = ChallengeStepDialog(
                "Answer the challenge",
                f"“{record['question']}”",
                "&Answer",
                self,
                people=people,
                person_label="Answered &by",
                default_person=use["owner_first_id"],
            )
            if not dialog.exec():
                return False
            values = dialog.values()
        assert values is not None
        return self._step(
            "Answer challenge",
            lambda: gov.answer_challenge(
                self.service, record["id"], values["person"], values["text"]
            ),
            record["id"],
        )

    def resolve(self, values: dict[str, Any] | None = None) -> bool:
        record = self.selected()
        if record is None:
            return False
        if values is None:
            dialog = ChallengeStepDialog(
                "Resolve the challenge",
                "Resolve when the answer is enough. Today's scores and gaps are frozen beside "
                "the ones from when it was raised.",
                "&Resolution",
                self,
            )
            if not dialog.exec():
                return False
            values = dialog.values()
        assert values is not None
        return self._step(
            "Resolve challenge",
            lambda: gov.resolve_challenge(self.service, record["id"], values["text"]),
            record["id"],
        )

    def escalate(self, values: dict[str, Any] | None = None) -> bool:
        record = self.selected()
        if record is None:
            return False
        if values is None:
            dialog = ChallengeStepDialog(
                "Escalate the challenge",
                "Escalate when the answer is not enough: say to whom and why. The challenge "
                "stays unresolved until it is resolved.",
                "&Why, and to whom",
                self,
            )
            if not dialog.exec():
                return False
            values = dialog.values()
        assert values is not None
        return self._step(
            "Escalate challenge",
            lambda: gov.escalate_challenge(self.service, record["id"], values["text"]),
            record["id"],
        )

    def _step(self, text: str, action: Callable[[], ActionResult], challenge_id: int) -> bool:
        ok = run_guarded(self, self.history, text, action)
        if ok:
            self.reload()
            self.select(challenge_id)
        return ok
