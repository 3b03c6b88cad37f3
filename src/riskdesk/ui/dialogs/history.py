"""A record's history: who changed what, and when, from the audit trail.

The audit trail's before/after states give field-level diffs. (A use's exposure trend,
drawn from its review snapshots, is ``widgets/trend_chart.py``.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service.integrity import HistoryEntry, record_history, record_label
from riskdesk.service.register import RegisterService, entity_label
from riskdesk.ui.models.table_model import AnyIndex, ListTableModel

PERSON_FIELDS = {
    "owner_first_id",
    "owner_second_id",
    "owner_third_id",
    "owner_id",
    "accepted_by_id",
    "raised_by_id",
    "answered_by_id",
    "reviewer_id",
}
ENUM_OF_FIELD: dict[str, type[enums.LabelledEnum]] = {
    "stage": enums.Stage,
    "sourcing": enums.Sourcing,
    "decision_role": enums.DecisionRole,
    "autonomy": enums.Autonomy,
    "human_oversight": enums.HumanOversight,
    "data_sensitivity": enums.DataSensitivity,
    "harm_severity": enums.HarmSeverity,
    "reversibility": enums.Reversibility,
    "eu_ai_act_class": enums.EUAIActClass,
    "tier": enums.Tier,
    "treatment": enums.Treatment,
    "default_line": enums.Line,
    "kind": enums.IncidentKind,
    "severity": enums.Severity,
    "control_type": enums.ControlType,
}
ACTION_WORDS = {"create": "Created", "update": "Changed", "delete": "Deleted"}
# Bookkeeping the reader does not need (the event itself says when it happened).
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
MAX_SHOWN = 90


# Field names whose words need more than "_" → " " (as the editors label them).
FIELD_WORDS = {
    "needs_rereview": "Needs re-review",
    "childrens_data": "Children's data",
    "eu_ai_act_class": "EU AI Act class",
    "eu_ai_act_basis": "EU AI Act basis",
    "owner_first_id": "1st-line owner",
    "owner_second_id": "2nd-line reviewer",
    "owner_third_id": "3rd-line assurance",
    "dev_prod_separated": "Dev/prod separated",
    "go_live": "Go-live date",
    "taxonomy_refs": "References",
    "accepted_by_id": "Accepted by",
    "public_facing": "Used by the public directly",
    "generative": "Generates text, images or code",
    "permissions_reviewed": "Agent permissions reviewed",
    "agent_permissions": "Agent tools and permissions",
}


def field_words(name: str) -> str:
    if name in FIELD_WORDS:
        return FIELD_WORDS[name]
    words = name.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


class ValueNames:
    """Shows ids as the names they stand for, enum values as their labels."""

    def __init__(self, service: RegisterService) -> None:
        self.people = {p["id"]: p["name"] for p in service.rows("person")}
        self.vendors = {v["id"]: v["name"] for v in service.rows("vendor")}

    def show(self, field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field in PERSON_FIELDS and isinstance(value, int):
            return self.people.get(value, f"person {value}")
        if field == "vendor_id" and isinstance(value, int):
            return self.vendors.get(value, f"vendor {value}")
        enum = ENUM_OF_FIELD.get(field)
        if enum is not None and field != "status":
            try:
                return enum(value).label
            except ValueError:
                pass
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return " / ".join(str(value).splitlines())  # one line per cell


@dataclass(frozen=True)
class HistoryRow:
    event_id: int
    when: str
    who: str
    action: str
    field: str
    before: str
    after: str


def history_rows(entries: Sequence[HistoryEntry], names: ValueNames) -> list[HistoryRow]:
    """One row per changed field, newest event first."""
    rows: list[HistoryRow] = []
    for entry in reversed(entries):
        when = entry.at.strftime("%Y-%m-%d %H:%M") + " UTC"
        action = ACTION_WORDS.get(entry.action, entry.action)
        changes = [c for c in entry.changes if c.field not in HIDDEN_FIELDS]
        if not changes:
            rows.append(HistoryRow(entry.event_id, when, entry.actor, action, "", "", ""))
        for n, change in enumerate(changes):
            # who/when/what once per event, so the events read as groups
            first = n == 0
            rows.append(
                HistoryRow(
                    entry.event_id,
                    when if first else "",
                    entry.actor if first else "",
                    action if first else "",
                    field_words(change.field),
                    names.show(change.field, change.before) if entry.action != "create" else "",
                    names.show(change.field, change.after) if entry.action != "delete" else "",
                )
            )
    return rows


class HistoryModel(ListTableModel):
    HEADERS = ("When", "Who", "What", "Field", "Before", "After")

    rows: list[HistoryRow]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        values = (row.when, row.who, row.action, row.field, row.before, row.after)
        text = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{text}\n(audit event {row.event_id})" if text else None
        return None


class HistoryView(QWidget):
    """The history table for one record; ``reload`` after an edit."""

    def __init__(
        self, service: RegisterService, entity: str, key: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service, self.entity, self.key = service, entity, key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self)
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = HistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("historyTable")
        self.view.setAccessibleName("Change history")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.reload()

    def reload(self) -> None:
        entries = record_history(self.service, self.entity, self.key)
        self.model.set_rows(history_rows(entries, ValueNames(self.service)))
        if not entries:
            self.summary.setText("No audit events for this record.")
            return
        people = sorted({e.actor for e in entries})
        self.summary.setText(
            f"{len(entries)} change{'s' if len(entries) != 1 else ''} by "
            f"{', '.join(people)} since {entries[0].at:%Y-%m-%d}. Every change is hash-chained "
            "in the audit trail; <i>riskdesk check</i> confirms none was made behind "
            "the application's back."
        )


class RecordHistoryDialog(QDialog):
    def __init__(
        self, service: RegisterService, entity: str, key: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordHistoryDialog")
        try:
            record: dict[str, Any] | None = service.get(entity, key)
        except Exception:  # deleted records still have a history
            record = None
        label = record_label(entity, str(key), record).split(" ", 1)[-1]
        self.setWindowTitle(f"History — {entity_label(entity)} {label}")
        layout = QVBoxLayout(self)
        self.history = HistoryView(service, entity, key, self)
        layout.addWidget(self.history, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 480)
