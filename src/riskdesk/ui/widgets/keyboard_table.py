"""A table view that shows where the keyboard is.

Reached by Tab with no current row, a ``QTableView`` highlights nothing: arrow keys,
Enter and Delete then act on a row nobody can see. This one makes the first row
current and selected when focus arrives from the keyboard; a mouse click picks
its own row as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QTableView

_KEYBOARD = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


class KeyboardTableView(QTableView):
    def focusInEvent(self, event: QFocusEvent) -> None:
        # Asked before Qt's own handler, which makes the first cell current without
        # selecting it (so nothing shows).
        had_row = self.currentIndex().isValid()
        super().focusInEvent(event)
        if event.reason() not in _KEYBOARD or had_row:
            return
        model, selection = self.model(), self.selectionModel()
        if model is not None and selection is not None and model.rowCount() > 0:
            flags = QItemSelectionModel.SelectionFlag
            selection.setCurrentIndex(model.index(0, 0), flags.ClearAndSelect | flags.Rows)
