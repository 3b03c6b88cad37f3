"""The agent tab's dialogs (issue 17): one permission, and a least-privilege review.

Both write through the service on the window's undo stack; neither touches the use
editor's unsaved form.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service import agents
from riskdesk.service.errors import ConflictError, ServiceError, StoreError, ValidationError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.record_dialog import FieldSpec, RecordDialog
from riskdesk.ui.editors.use_challenges_tab import error_text
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import fill_choices, fill_enum, fill_optbool

BANNER_STYLE = "QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }"
UNKNOWN_ENVIRONMENT = "Not known"


def people_choices(service: RegisterService) -> list[tuple[str, Any]]:
    """Everyone, leavers marked: a permission approved by a leaver keeps its approver."""
    return [
        (p["name"] + (" (has left)" if p["has_left"] else ""), p["id"])
        for p in service.rows("person", order_by="name")
    ]


def environment_choices(_service: RegisterService) -> list[tuple[str, Any]]:
    return [(e.label, e.value) for e in enums.PermissionEnvironment]


PERMISSION_FIELDS = [
    FieldSpec("system", "&System or tool"),
    FieldSpec("access", "&Access", "enum", enums.PermissionAccess),
    FieldSpec("environment", "&Environment", "choice", choices=environment_choices),
    FieldSpec("needed", "&Needed for the task", "optbool"),
    FieldSpec("approved_by_id", "A&pproved by", "choice", choices=people_choices),
    FieldSpec("last_reviewed", "&Last reviewed", "optdate"),
    FieldSpec("reviewed_by_id", "&Reviewed by", "choice", choices=people_choices),
    FieldSpec("notes", "N&otes", "text"),
]


def permission_words(p: dict[str, Any]) -> str:
    env = p["environment"]
    where = enums.PermissionEnvironment(env).label.lower() if env else "environment not known"
    return f"{p['system']} — {enums.PermissionAccess(p['access']).label.lower()}, {where}"


class PermissionDialog(RecordDialog):
    """Add or edit one permission of the agent ``use_id``."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        key: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            service,
            history,
            "agent_permission",
            key,
            parent,
            preset={"use_id": use_id},
            fields=PERMISSION_FIELDS,
        )
        self.use_id = use_id
        self.setWindowTitle("New agent permission" if key is None else "Agent permission")
        environment = self.findChild(QComboBox, "environment")
        assert environment is not None  # a field of PERMISSION_FIELDS
        environment.setItemText(0, UNKNOWN_ENVIRONMENT)  # None: nobody has said
        self.binding.mark_clean()

    def save(self) -> None:
        if self.key is not None:
            super().save()
            return
        # A new permission belongs to the use; ``use_id`` is not a field on the form.
        self.binding.clear_errors()
        self.banner.hide()
        values = {**self.binding.values(), "use_id": self.use_id}
        try:
            result = self.history.create(
                f"Add agent permission “{values['system']}”", "agent_permission", values
            )
        except ValidationError as exc:
            unplaced = self.binding.show_errors(exc.problems)
            self.banner.setText(
                "Please correct the marked fields."
                + (" " + "; ".join(map(str, unplaced)) if unplaced else "")
            )
            self.banner.show()
            return
        except (ConflictError, StoreError) as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.key = result.created_id
        self.accept()


def _enable_if_reduced(outcome: QComboBox, combos: tuple[QComboBox, ...]) -> None:
    reduced = outcome.currentData() == enums.ReviewOutcome.REDUCED.value
    for combo in combos:
        combo.setEnabled(reduced)


class PermissionReviewDialog(QDialog):
    """Record a least-privilege review: each permission kept, reduced or removed."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("permissionReviewDialog")
        self.service, self.history, self.use_id = service, history, use_id
        self.use = service.get("ai_use", use_id)
        self.permissions = agents.permissions(service, use_id)
        self.setWindowTitle(f"Permission review — {self.use['name']}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Go through every permission <b>{escape(self.use['name'])}</b> holds: keep it, "
            "reduce it (say to what) or remove it. Kept and reduced permissions are marked "
            "reviewed today by the reviewer; removed ones leave the inventory.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.reviewer = QComboBox(self)
        self.reviewer.setObjectName("reviewer_id")
        fill_choices(
            self.reviewer,
            [(n, i) for n, i in people_choices(service) if not n.endswith("(has left)")],
            none=False,
        )
        default = self.use["owner_second_id"] or self.use["owner_first_id"]
        if default is not None and self.reviewer.findData(default) >= 0:
            self.reviewer.setCurrentIndex(self.reviewer.findData(default))
        form.addRow("Re&viewer", self.reviewer)
        today = today or dt.date.today()
        self.date = QDateEdit(self)
        self.date.setObjectName("reviewed_on")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))  # once it happened
        self.date.setDate(QDate(today.year, today.month, today.day))
        form.addRow("Reviewed &on", self.date)
        layout.addLayout(form)
        self.rows: dict[int, tuple[QComboBox, QComboBox, QComboBox, QComboBox]] = {}
        layout.addWidget(self._decisions(), 1)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        self.notes.setAccessibleName("Review notes")
        self.notes.setPlaceholderText("Why a permission stays, what was cut, who agreed.")
        layout.addWidget(self.notes)
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
        self.resize(760, min(640, self.sizeHint().height() + 40))

    def _decisions(self) -> QWidget:
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        inner = QWidget(area)
        grid = QGridLayout(inner)
        for col, text in enumerate(("Permission", "Decision", "Access", "Environment", "Needed")):
            grid.addWidget(QLabel(f"<b>{text}</b>", inner), 0, col)
        for row, p in enumerate(self.permissions, start=1):
            label = QLabel(escape(permission_words(p)), inner)
            label.setWordWrap(True)
            outcome, access, env, needed = (QComboBox(inner) for _ in range(4))
            fill_enum(outcome, enums.ReviewOutcome)
            fill_enum(access, enums.PermissionAccess)
            fill_choices(env, environment_choices(self.service))
            env.setItemText(0, UNKNOWN_ENVIRONMENT)
            fill_optbool(needed)
            for combo, value in ((access, p["access"]), (env, p["environment"])):
                combo.setCurrentIndex(max(combo.findData(value), 0))
            needed.setCurrentIndex(max(needed.findData(p["needed"]), 0))
            outcome.setObjectName(f"outcome_{p['id']}")
            label.setBuddy(outcome)
            for combo, what in ((access, "access"), (env, "environment"), (needed, "needed")):
                combo.setObjectName(f"{what}_{p['id']}")
                combo.setAccessibleName(f"{p['system']}: reduced {what}")
                combo.setEnabled(False)  # only a reduction changes them
            outcome.currentIndexChanged.connect(
                lambda _i, o=outcome, cs=(access, env, needed): _enable_if_reduced(o, cs)
            )
            for col, widget in enumerate((label, outcome, access, env, needed)):
                grid.addWidget(widget, row, col)
            self.rows[p["id"]] = (outcome, access, env, needed)
        if not self.permissions:
            grid.addWidget(QLabel("This agent has no permissions recorded.", inner), 1, 0, 1, 5)
        grid.setColumnStretch(0, 1)
        area.setWidget(inner)
        return area

    def decisions(self) -> dict[int, agents.Decision]:
        """The verdicts as the service takes them; ``ValueError`` for an empty reduction."""
        out: dict[int, agents.Decision] = {}
        for p in self.permissions:
            outcome, access, env, needed = self.rows[p["id"]]
            if outcome.currentData() != enums.ReviewOutcome.REDUCED.value:
                out[p["id"]] = str(outcome.currentData())
                continue
            after = {
                "access": access.currentData(),
                "environment": env.currentData(),
                "needed": needed.currentData(),
            }
            changes = {k: v for k, v in after.items() if v != p[k]}
            if not changes:
                raise ValueError(f"{p['system']} is marked reduced: choose what it is reduced to.")
            out[p["id"]] = ("reduced", changes)
        return out

    def save(self) -> None:
        self.error.hide()
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)  # QDate.toPython is typed as object
        try:
            decisions = self.decisions()
            self.history.run(
                f"Record permission review of “{self.use['name']}”",
                lambda: agents.permission_review_action(
                    self.service,
                    self.use_id,
                    reviewer_id=self.reviewer.currentData(),
                    reviewed_on=day,
                    decisions=decisions,
                    notes=self.notes.toPlainText(),
                ),
            )
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        except (ValidationError, ConflictError, StoreError, ServiceError) as exc:
            self.error.setText(error_text(exc))
            self.error.show()
            return
        self.accept()
