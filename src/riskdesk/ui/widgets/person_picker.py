"""A "New person…" button beside every owner picker: add the person without leaving the
editor, and find them chosen.

Without it a champion filling in a use for the first time had to cancel the editor (and
lose the edit), add the owner on the People page, and start again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QWidget,
)

from riskdesk.service.register import RegisterService
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import fill_choices

Choices = Callable[[], list[tuple[str, Any]]]


class PersonPickers:
    """The person pickers of one dialog: a person added from any of them appears in all
    (each keeps its choice) and is chosen in the one that asked."""

    def __init__(self, service: RegisterService, history: EditHistory, parent: QWidget) -> None:
        self.service, self.history, self.parent = service, history, parent
        self.pickers: list[tuple[QComboBox, Choices]] = []

    def add(
        self, combo: QComboBox, choices: Choices, preset: dict[str, Any] | None = None
    ) -> QPushButton:
        """Put a "New person…" button beside ``combo`` (in its form row)."""
        button = QPushButton("New person…", combo.parentWidget())
        button.setObjectName(f"{combo.objectName()}_new")
        button.setAccessibleName(f"New person for {caption_of(combo)}")
        button.setToolTip("Add someone to People and choose them here")
        button.setAutoDefault(False)  # Enter in the form still saves it
        button.clicked.connect(lambda: self.new_person(combo, preset))
        place_beside(combo, button)
        QWidget.setTabOrder(combo, button)  # Tab reaches it right after its picker
        self.pickers.append((combo, choices))
        return button

    def new_person(self, combo: QComboBox, preset: dict[str, Any] | None = None) -> int | None:
        """Open the person dialog; a saved person is listed everywhere and chosen here."""
        from riskdesk.ui.editors.record_dialog import RecordDialog  # it builds pickers too

        dialog = RecordDialog(self.service, self.history, "person", None, self.parent, preset)
        if not dialog.exec() or dialog.key is None:
            return None
        for picker, choices in self.pickers:
            keep = picker.currentData()
            fill_choices(picker, choices())
            picker.setCurrentIndex(max(picker.findData(keep), 0))
        index = combo.findData(dialog.key)
        if index >= 0:  # e.g. not listed when the picker wants 2nd- or 3rd-line people
            combo.setCurrentIndex(index)
        return int(dialog.key)


def caption_of(widget: QWidget) -> str:
    """What the form calls ``widget``: its label's text (or its accessible name)."""
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return widget.accessibleName() or widget.objectName()


def place_beside(widget: QWidget, extra: QWidget) -> None:
    """Put ``extra`` to the right of ``widget`` in the form row that holds it, keeping
    ``widget`` in its parent (its label's buddy and error label stay as they were)."""
    parent = widget.parentWidget()
    top = parent.layout() if parent is not None else None
    layouts: list[QLayout] = [top] if top is not None else []
    while layouts:
        layout = layouts.pop()
        if isinstance(layout, QFormLayout) and layout.indexOf(widget) >= 0:
            position = layout.getWidgetPosition(widget)  # (row, role); the stub says object
            row, role = cast(tuple[int, QFormLayout.ItemRole], position)
            layout.removeWidget(widget)
            box = QHBoxLayout()
            box.addWidget(widget, 1)
            box.addWidget(extra)
            layout.setLayout(row, role, box)
            return
        for i in range(layout.count()):
            item = layout.itemAt(i)
            child = item.layout() if item is not None else None
            if child is not None:
                layouts.append(child)
    raise ValueError(f"{widget.objectName()} is not in a form")
