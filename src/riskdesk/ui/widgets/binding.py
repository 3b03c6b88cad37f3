"""Two-way binding between a record (dict) and the widgets of a Designer form.

Widgets are found by ``objectName`` = field name, so a form needs no glue code per
field. A date field may have a ``<field>_known`` checkbox: unchecked means "no date".
Validation problems are shown in a red line directly under the field they concern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from riskdesk.enums import LabelledEnum
from riskdesk.service.errors import FieldProblem

NONE_LABEL = "— none —"
OPTBOOL_ITEMS: list[tuple[str, bool | None]] = [
    ("Not known / not applicable", None),
    ("Yes", True),
    ("No", False),
]
ERROR_STYLE = "color: #b00020; font-size: 90%;"


def fill_enum(combo: QComboBox, enum: type[LabelledEnum]) -> None:
    combo.clear()
    for member in enum:
        combo.addItem(member.label, member.value)


def fill_choices(
    combo: QComboBox, choices: Iterable[tuple[str, Any]], *, none: bool = True
) -> None:
    combo.clear()
    if none:
        combo.addItem(NONE_LABEL, None)
    for label, value in choices:
        combo.addItem(label, value)


def fill_optbool(combo: QComboBox) -> None:
    combo.clear()
    for label, value in OPTBOOL_ITEMS:
        combo.addItem(label, value)


def confirm_discard(parent: QWidget, note: str = "", *, discarding: bool = True) -> bool:
    """Ask before unsaved edits are thrown away (Esc, Cancel, closing the window); with
    ``note``, say too what closing will not undo. ``discarding=False``: nothing unsaved,
    only the note to confirm.

    True means "close"; the safe answer (Esc, Enter) keeps the dialog open.
    """
    text = "You have changed this record and not saved it.\n\nDiscard your changes?"
    if not discarding:
        text = note
    elif note:
        text = f"{text}\n\n{note}"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard changes?" if discarding else "Close the editor?",
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("discardChanges")
    label = "&Discard changes" if discarding else "&Close"
    discard = box.addButton(label, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    discard.setObjectName("discardButton")
    keep.setObjectName("keepEditingButton")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class AskBeforeDiscard:
    """Mixin for a QDialog: Esc, Cancel and the window's close button ask before unsaved
    edits are thrown away. A close from code (shutting down, a test's teardown) does not
    ask: nobody is there to answer."""

    _closing_from_code = False

    def unsaved(self) -> bool:
        raise NotImplementedError

    def may_discard(self) -> bool:
        """True when closing loses nothing or the user agreed to lose it."""
        if self._closing_from_code or not self.unsaved():
            return True
        assert isinstance(self, QWidget)
        return confirm_discard(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing_from_code = not event.spontaneous()
        try:
            super().closeEvent(event)  # type: ignore[misc]  # QDialog's: calls reject()
        finally:
            self._closing_from_code = False


class FormBinding:
    """Reads and writes ``fields`` on the widgets under ``root``."""

    def __init__(self, root: QWidget, fields: Iterable[str]) -> None:
        self.root = root
        self.widgets: dict[str, QWidget] = {}
        for field in fields:
            widget = root.findChild(QWidget, field)
            if widget is not None:
                self.widgets[field] = widget
        self._errors: dict[str, QLabel] = {}
        self._clean: dict[str, Any] = {}

    def mark_clean(self, fields: Iterable[str] | None = None) -> None:
        """Remember what the form shows now as saved (all fields, or only ``fields``)."""
        current = self.values()
        for field in current if fields is None else fields:
            if field in current:
                self._clean[field] = _normal(current[field])

    def is_dirty(self) -> bool:
        """Whether the form differs from what ``mark_clean`` last saw."""
        current = self.values()
        return any(_normal(v) != self._clean.get(k, _normal(v)) for k, v in current.items())

    def known_box(self, field: str) -> QCheckBox | None:
        return self.root.findChild(QCheckBox, f"{field}_known")

    def set_values(self, record: Mapping[str, Any]) -> None:
        for field, widget in self.widgets.items():
            value = record.get(field)
            if isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText("" if value is None else str(value))
            elif isinstance(widget, QCheckBox):
                if widget.isTristate() and value is None:  # grey: not known
                    widget.setCheckState(Qt.CheckState.PartiallyChecked)
                else:
                    widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                if value is None and widget.specialValueText():  # shows "not known"
                    widget.setValue(widget.minimum())
                else:
                    widget.setValue(int(value or 0))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, QDateEdit):
                box = self.known_box(field)
                if isinstance(value, dt.date):
                    widget.setDate(QDate(value.year, value.month, value.day))
                else:
                    widget.setDate(QDate.currentDate())
                if box is not None:
                    box.setChecked(value is not None)
                    widget.setEnabled(value is not None)
                    box.toggled.connect(widget.setEnabled)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                out[field] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                out[field] = widget.toPlainText()
            elif isinstance(widget, QCheckBox):
                partly = widget.checkState() == Qt.CheckState.PartiallyChecked
                out[field] = None if widget.isTristate() and partly else widget.isChecked()
            elif isinstance(widget, QSpinBox):
                unknown = widget.specialValueText() and widget.value() == widget.minimum()
                out[field] = None if unknown else widget.value()
            elif isinstance(widget, QComboBox):
                out[field] = widget.currentData()
            elif isinstance(widget, QDateEdit):
                box = self.known_box(field)
                if box is not None and not box.isChecked():
                    out[field] = None
                else:
                    out[field] = widget.date().toPython()
        return out

    def changes(self, original: Mapping[str, Any]) -> dict[str, Any]:
        """Only what the user changed (so an edit audits only real changes)."""
        current = self.values()
        return {k: v for k, v in current.items() if _normal(v) != _normal(original.get(k))}

    # --- errors --------------------------------------------------------------------
    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.hide()
            label.setText("")
        for widget in self.widgets.values():
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")

    def show_errors(self, problems: Iterable[FieldProblem]) -> list[FieldProblem]:
        """Mark each field; returns the problems that have no widget here."""
        self.clear_errors()
        unplaced: list[FieldProblem] = []
        for problem in problems:
            widget = self.widgets.get(problem.field)
            if widget is None:
                unplaced.append(problem)
                continue
            widget.setStyleSheet("border: 1px solid #b00020;")
            label = self._error_label(problem.field, widget)
            label.setText(problem.reason)
            label.show()
        return unplaced

    def first_invalid(self, problems: Iterable[FieldProblem]) -> QWidget | None:
        for problem in problems:
            if problem.field in self.widgets:
                return self.widgets[problem.field]
        return None

    def _error_label(self, field: str, widget: QWidget) -> QLabel:
        if field in self._errors:
            return self._errors[field]
        label = QLabel(widget.parentWidget())
        label.setObjectName(f"{field}_error")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        form = _form_of(widget)
        if form is not None:
            form.insertRow(_form_row(form, widget) + 1, "", label)
        self._errors[field] = label
        return label


def _form_of(widget: QWidget) -> QFormLayout | None:
    """The form with ``widget`` in a row: as the row's field, or inside a layout there
    (an owner picker sits in a row with its "New person…" button)."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    stack = [layout] if layout is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, QFormLayout) and _form_row(current, widget) >= 0:
            return current
        for i in range(current.count()):
            child = current.itemAt(i).layout()  # type: ignore[union-attr]  # i < count()
            if child is not None:
                stack.append(child)
    return None


def _form_row(form: QFormLayout, widget: QWidget) -> int:
    """The row of ``form`` holding ``widget`` (directly or in a row's layout), else -1."""
    if form.indexOf(widget) >= 0:
        return cast(tuple[int, object], form.getWidgetPosition(widget))[0]  # stub: object
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        inner = item.layout() if item is not None else None
        if inner is not None and inner.indexOf(widget) >= 0:
            return row
    return -1


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value
