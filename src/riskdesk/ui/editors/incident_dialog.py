"""The incident dialog: the plain record form plus linked risks and the Art. 73 deadline.

Logging goes through ``governance.log_incident`` so the use is flagged for re-review and
the links are written in the same undoable action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QListView,
    QWidget,
)

from riskdesk.service import governance as gov
from riskdesk.service.errors import ConflictError, StoreError, ValidationError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.evidence_tab import add_evidence_tab
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.undo import EditHistory

DEADLINE_STYLE = "QLabel { background: #fff6d6; color: #5c4400; padding: 6px; border-radius: 4px; }"
OVERDUE_STYLE = "QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }"


class IncidentDialog(RecordDialog):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        key: int | None = None,
        parent: QWidget | None = None,
        preset: dict[str, Any] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(service, history, "incident", key, parent, preset=preset)
        self.setObjectName("incidentDialog")
        self.today = today or dt.date.today()
        layout = self.layout()
        assert isinstance(layout, QBoxLayout)
        at = layout.indexOf(self.buttons)
        self.deadline = QLabel(self)
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.deadline.setToolTip(gov.DEADLINE_NOTE)
        layout.insertWidget(at, self.deadline)
        self.risks_label = QLabel("R&isks it realised (or nearly did):", self)
        layout.insertWidget(at + 1, self.risks_label)
        self.risk_model = QStandardItemModel(self)
        self.risks = QListView(self)
        self.risks.setObjectName("linkedRisks")
        self.risks_label.setBuddy(self.risks)
        self.risks.setModel(self.risk_model)
        self.risks.setMaximumHeight(120)
        layout.insertWidget(at + 2, self.risks)
        self.rereview = QLabel(self)
        self.rereview.setObjectName("rereviewNote")
        self.rereview.setWordWrap(True)
        layout.insertWidget(at + 3, self.rereview)
        self._linked = set(gov.linked_risks(service, key)) if key is not None else set()
        use_combo = self.findChild(QComboBox, "use_id")
        assert use_combo is not None
        self.use_combo = use_combo
        use_combo.currentIndexChanged.connect(lambda _i: self._fill_risks())
        for name in ("reportable",):
            box = self.findChild(QCheckBox, name)
            if box is not None:
                box.toggled.connect(lambda _c: self._update_deadline())
        for name in ("severity",):
            combo = self.findChild(QComboBox, name)
            if combo is not None:
                combo.currentIndexChanged.connect(lambda _i: self._update_deadline())
        for name in ("occurred_on", "reported_on"):
            date = self.findChild(QDateEdit, name)
            if date is not None:
                date.dateChanged.connect(lambda _d: self._update_deadline())
        known = self.findChild(QCheckBox, "reported_on_known")
        if known is not None:
            known.toggled.connect(lambda _c: self._update_deadline())
        self._fill_risks()
        self._update_deadline()
        self.resize(560, self.sizeHint().height())
        self.evidence_panel = add_evidence_tab(self, service, history, "incident", key)  # issue 18

    def _fill_risks(self) -> None:
        checked = self.linked_risk_ids() if self.risk_model.rowCount() else self._linked
        self.risk_model.clear()
        use_id = self.use_combo.currentData()
        if use_id is None:
            self.risks_label.setText("Choose the AI use to link the risks it realised.")
            self.rereview.setText("")
            return
        self.risks_label.setText("Risks it realised (or nearly did):")
        for risk in self.service.rows("risk", use_id=use_id):
            item = QStandardItem(risk["title"])
            item.setData(risk["id"], Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if risk["id"] in checked else Qt.CheckState.Unchecked
            )
            self.risk_model.appendRow(item)
        if self.key is None:
            name = self.use_combo.currentText()
            self.rereview.setText(f"Logging it flags “{name}” for re-review.")

    def linked_risk_ids(self) -> list[int]:
        out: list[int] = []
        for row in range(self.risk_model.rowCount()):
            item = self.risk_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_linked(self, risk_ids: list[int]) -> None:
        for row in range(self.risk_model.rowCount()):
            item = self.risk_model.item(row)
            rid = int(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(
                Qt.CheckState.Checked if rid in risk_ids else Qt.CheckState.Unchecked
            )

    def _update_deadline(self) -> None:
        values = {**self.original, **self.binding.values()}
        status = gov.reporting_status(values, self.today)
        if not status:
            self.deadline.setText(
                "Tick “may be reportable” if this could be a serious incident under the EU AI "
                "Act (Art. 73): the reporting deadline then appears here."
            )
            self.deadline.setStyleSheet("")
            return
        self.deadline.setText(f"<b>{status}</b> — EU AI Act Art. 73 (hover for the rule).")
        self.deadline.setStyleSheet(OVERDUE_STYLE if "OVERDUE" in status else DEADLINE_STYLE)

    def save(self) -> None:
        self.binding.clear_errors()
        self.banner.hide()
        risk_ids = self.linked_risk_ids()
        try:
            if self.key is None:
                values = self.binding.values()
                result = self.history.run(
                    f"Log incident “{values.get('title', '')}”",
                    lambda: gov.log_incident(self.service, values, risk_ids),
                )
                self.key = result.created_id
            else:
                changes = self.binding.changes(self.original)
                if changes or set(risk_ids) != self._linked:
                    key = self.key
                    self.history.run(
                        f"Edit incident “{self.original.get('title', '')}”",
                        lambda: gov.update_incident(self.service, key, changes, risk_ids),
                    )
        except ValidationError as exc:
            unplaced = self.binding.show_errors(exc.problems)
            self.banner.setText(
                "Please correct the marked fields."
                + (" " + "; ".join(p.reason for p in unplaced) if unplaced else "")
            )
            self.banner.show()
            return
        except (ConflictError, StoreError) as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.accept()
