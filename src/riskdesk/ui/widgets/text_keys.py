"""Tab leaves a multi-line field like any other; Ctrl+Tab types the tab character instead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def ctrl_tab_types_tab(root: QWidget) -> list[QPlainTextEdit]:
    """Under ``root``, every editable multi-line field whose Tab moves focus gets Ctrl+Tab
    for a tab character (without it a tab could not be typed at all; with it Ctrl+Tab
    no longer switches the dialog's tab from inside such a field). Returns the fields."""
    fields = [
        text
        for text in root.findChildren(QPlainTextEdit)
        if text.tabChangesFocus() and not text.isReadOnly()
    ]
    for text in fields:
        shortcut = QShortcut(QKeySequence("Ctrl+Tab"), text)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # only while it has focus
        shortcut.activated.connect(lambda t=text: t.insertPlainText("\t"))
    return fields
