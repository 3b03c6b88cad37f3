"""A small generated form for the simpler records (people, vendors, incidents).

These have few fields and no behaviour of their own, so one dialog built from a field
list serves them all; the AI-use and risk editors have Designer forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service.errors import ConflictError, StoreError, ValidationError
from riskdesk.service.register import RegisterService, entity_label
from riskdesk.ui.editors.evidence_tab import add_evidence_tab
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import (
    AskBeforeDiscard,
    FormBinding,
    fill_choices,
    fill_enum,
    fill_optbool,
)
from riskdesk.ui.widgets.person_picker import PersonPickers, place_beside
from riskdesk.ui.widgets.text_keys import ctrl_tab_types_tab

UNKNOWN_NUMBER = "Unknown"  # what an optional number nobody gave shows


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = (
        "line"  # line | text | bool | optbool | int | optint | date | optdate | enum | choice
    )
    enum: type[enums.LabelledEnum] | None = None
    choices: Callable[[RegisterService], list[tuple[str, Any]]] | None = None
    hint: str = ""


def _uses(service: RegisterService) -> list[tuple[str, Any]]:
    return [(u["name"], u["id"]) for u in service.rows("ai_use", order_by="name")]


def _people(service: RegisterService) -> list[tuple[str, Any]]:
    return [
        (p["name"], p["id"]) for p in service.rows("person", order_by="name") if not p["has_left"]
    ]


FORMS: dict[str, list[FieldSpec]] = {
    "person": [
        FieldSpec("name", "&Name"),
        FieldSpec("title", "&Title"),
        FieldSpec("department", "&Department"),
        FieldSpec("email", "&Email"),
        FieldSpec("default_line", "Default &line", "enum", enums.Line),
        FieldSpec("has_left", "Has &left the organisation", "bool"),
        FieldSpec("notes", "N&otes", "text"),
    ],
    "vendor": [
        FieldSpec("name", "&Name"),
        FieldSpec("kind", "&Kind", "enum", enums.VendorKind),
        FieldSpec("notes", "N&otes", "text"),
        # issue 17: due diligence; blank / "not known" stays unknown
        FieldSpec("dpa_signed", "&DPA signed", "optbool"),
        FieldSpec("security_review_on", "&Security review on", "optdate"),
        FieldSpec("security_review_result", "Security review &result"),
        FieldSpec("data_location", "Data &location"),
        FieldSpec("sub_processors", "S&ub-processors", "text"),
        FieldSpec("contract_end", "&Contract ends", "optdate"),
        FieldSpec("exit_plan", "E&xit plan", "text"),
        FieldSpec("incident_contact", "&Incident contact"),
    ],
    "incident": [
        FieldSpec("title", "&What happened"),
        FieldSpec("kind", "&Kind", "enum", enums.IncidentKind),
        FieldSpec("occurred_on", "&Date", "date"),
        FieldSpec("severity", "&Severity", "enum", enums.Severity),
        FieldSpec("use_id", "AI &use", "choice", choices=_uses),
        FieldSpec(
            "people_affected",
            "&People affected",
            "optint",
            hint="How many people it affected; leave it at Unknown until someone knows.",
        ),
        FieldSpec("description", "D&escription", "text"),
        FieldSpec("actions", "&Actions taken", "text"),
        FieldSpec("reportable", "May be a reportable serious incident (EU AI Act Art. 73)", "bool"),
        FieldSpec("reported_on", "Reported on", "optdate"),
        FieldSpec("status", "S&tatus", "enum", enums.IncidentStatus),
        FieldSpec("owner_id", "&Owner to closure", "choice", choices=_people),
        FieldSpec("root_cause", "&Root cause", "text"),
        FieldSpec("lessons", "&Lessons learned", "text"),
        FieldSpec("closed_on", "&Closed on", "optdate"),
    ],
}


class RecordDialog(AskBeforeDiscard, QDialog):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        entity: str,
        key: int | None = None,
        parent: QWidget | None = None,
        preset: dict[str, Any] | None = None,
        fields: Sequence[FieldSpec] | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.history, self.entity, self.key = service, history, entity, key
        self.setObjectName(f"{entity}Dialog")
        label = entity_label(entity)
        self.setWindowTitle(f"New {label}" if key is None else label[:1].upper() + label[1:])
        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #8a1f11;")
        self.banner.hide()
        form = QFormLayout()
        self.form = form  # one row per field; a caller may add rows beside a field
        layout.addWidget(self.banner)
        layout.addLayout(form)
        specs = list(fields or FORMS[entity])
        self.person_pickers = PersonPickers(service, history, self)
        for spec in specs:
            widget = self._make(spec)
            widget.setObjectName(spec.name)
            if spec.hint:
                widget.setToolTip(spec.hint)
            if spec.kind == "bool":
                form.addRow("", widget)
            else:
                lab = QLabel(spec.label, self)
                lab.setBuddy(widget)
                form.addRow(lab, widget)
            if spec.kind == "choice" and spec.name.endswith("owner_id"):
                # An owner picker can add the person it needs.
                assert isinstance(widget, QComboBox) and spec.choices is not None
                self.person_pickers.add(widget, partial(spec.choices, service))
            if spec.kind == "optdate":
                box = QCheckBox("Known", self)
                box.setObjectName(f"{spec.name}_known")
                box.setAccessibleName(f"{spec.label.replace('&', '')} known")
                place_beside(widget, box)  # one row, not two: the incident form was taller
                # than a laptop screen
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.binding = FormBinding(self, [s.name for s in specs])
        self.original = (
            service.get(entity, key)
            if key is not None
            else {**service.defaults(entity), **(preset or {})}
        )
        self.binding.set_values(self.original)
        self.binding.mark_clean()
        ctrl_tab_types_tab(self)
        self.resize(480, self.sizeHint().height())
        if type(self) is RecordDialog:  # issue 18; a subclass adds it after its own rows
            self.evidence_panel = add_evidence_tab(self, service, history, entity, key)

    def reject(self) -> None:
        """Esc, Cancel and closing the window all come here: never lose an edit silently."""
        if self.may_discard():
            super().reject()

    def unsaved(self) -> bool:
        return self.binding.is_dirty()

    def _make(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "text":
            text = QPlainTextEdit(self)
            text.setMaximumHeight(72)
            text.setTabChangesFocus(True)  # Tab leaves the field, as in every other field
            w: QWidget = text
        elif spec.kind == "bool":
            w = QCheckBox(spec.label.replace("&", ""), self)
        elif spec.kind in ("int", "optint"):
            spin = QSpinBox(self)
            spin.setRange(0, 2_000_000_000)
            spin.setGroupSeparatorShown(True)
            if spec.kind == "optint":  # one below zero reads "Unknown": blank is not 0
                spin.setMinimum(-1)
                spin.setSpecialValueText(UNKNOWN_NUMBER)
            w = spin
        elif spec.kind in ("date", "optdate"):
            d = QDateEdit(self)
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            w = d
        elif spec.kind == "enum":
            combo = QComboBox(self)
            assert spec.enum is not None
            fill_enum(combo, spec.enum)
            w = combo
        elif spec.kind == "optbool":  # issue 17
            combo = QComboBox(self)
            fill_optbool(combo)
            w = combo
        elif spec.kind == "choice":
            combo = QComboBox(self)
            assert spec.choices is not None
            fill_choices(combo, spec.choices(self.service))
            w = combo
        else:
            w = QLineEdit(self)
        return w

    def save(self) -> None:
        self.binding.clear_errors()
        self.banner.hide()
        label = entity_label(self.entity)
        try:
            if self.key is None:
                values = self.binding.values()
                name = values.get("name") or values.get("title") or ""
                result = self.history.create(f"Add {label} “{name}”", self.entity, values)
                self.key = result.created_id
            else:
                changes = self.binding.changes(self.original)
                if changes:
                    changes["version"] = self.original.get("version")  # changed since? reload
                    name = self.original.get("name") or self.original.get("title") or ""
                    self.history.update(f"Edit {label} “{name}”", self.entity, self.key, changes)
        except ValidationError as exc:
            unplaced = self.binding.show_errors(exc.problems)
            self.banner.setText(
                "Please correct the marked fields."
                + (" " + "; ".join(map(str, unplaced)) if unplaced else "")
            )
            self.banner.show()
            return
        except (ConflictError, StoreError) as exc:  # e.g. the file is locked elsewhere
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.accept()
