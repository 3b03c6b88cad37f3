"""The vendor editor (issue 17): the vendor's fields with its due diligence, and what is missing.

The fields are the generic record form's; below them the dialog lists, as the form now
stands, what the due-diligence record does not say yet, and which High or Critical uses
carry a gap because of it (directly, or through an intermediary whose model this vendor
provides).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service import due_diligence
from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import due_diligence_gaps
from riskdesk.ui.editors.evidence_tab import add_evidence_tab
from riskdesk.ui.editors.model_dialog import ModelDialog
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.undo import EditHistory

MISSING_STYLE = "QLabel { background: #fff6d6; color: #5c4400; padding: 6px; border-radius: 4px; }"


class VendorDialog(RecordDialog):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        key: int | None = None,
        parent: QWidget | None = None,
        preset: dict[str, Any] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(service, history, "vendor", key, parent, preset)
        self.today = today or dt.date.today()
        # The uses depend on the saved chain, which this form does not change.
        _items, self.dependent_uses = due_diligence.vendor_status(
            service, self.original, self.today
        )
        self.missing = QLabel(self)
        self.missing.setObjectName("dueDiligenceMissing")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(MISSING_STYLE)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.buttons), self.missing)
        for widget in self.binding.widgets.values():
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.textChanged.connect(lambda *_a: self.refresh())
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda *_a: self.refresh())
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(lambda *_a: self.refresh())
        for box in self.findChildren(QCheckBox):
            box.toggled.connect(lambda *_a: self.refresh())
        # issue 18: after its own rows, like the incident dialog (RecordDialog leaves
        # the tab to its subclasses)
        self.evidence_panel = add_evidence_tab(self, service, history, "vendor", key)
        self.refresh()
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        return {**self.original, **self.binding.values()}

    def missing_items(self) -> list[str]:
        return due_diligence_gaps(self.values(), self.today)

    def refresh(self) -> None:
        missing = self.missing_items()
        if not missing:
            self.missing.setText("<b>Due diligence complete.</b>")
            return
        text = "<b>Due diligence missing:</b><ul>" + "".join(
            f"<li>{escape(m)}</li>" for m in missing
        )
        text += "</ul>"
        gap = due_diligence.missing_items(self.values(), self.today)
        if gap and self.dependent_uses:
            names = ", ".join(escape(u) for u in self.dependent_uses)
            text += (
                "Until the DPA is signed, a security review within 12 months and an exit "
                f"plan are recorded, this is a gap on {len(self.dependent_uses)} High or "
                f"Critical use{'s' if len(self.dependent_uses) != 1 else ''} that depend on "
                f"this vendor: {names}."
            )
        self.missing.setText(text)


def record_editor(
    service: RegisterService,
    history: EditHistory,
    entity: str,
    key: int | None,
    parent: QWidget | None = None,
) -> RecordDialog:
    """The editor for a simple record: vendors and models get theirs, the rest the
    generic form."""
    if entity == "vendor":
        return VendorDialog(service, history, key, parent)
    if entity == "ai_model":
        return ModelDialog(service, history, key, parent)
    return RecordDialog(service, history, entity, key, parent)
