"""File ▸ Import… — the menu entry only; the wizard (and the importers it pulls in,
about 0.2 s of imports) loads when the user first asks for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence


def attach(window: Any) -> QAction:
    """File ▸ Import… (Ctrl+I), above Export…."""
    action = QAction("&Import…", window)
    action.setObjectName("actionImport")
    action.setShortcut(QKeySequence("Ctrl+I"))
    action.setStatusTip(
        "Import AI uses from a spreadsheet, a federal inventory or a riskdesk export"
    )

    def open_wizard(_checked: bool = False) -> None:
        from riskdesk.ui.import_wizard import show_import_wizard

        show_import_wizard(window)

    action.triggered.connect(open_wizard)
    before = getattr(window, "export_action", None) or window.export_anchor
    window.file_menu.insertAction(before, action)
    window.import_action = action
    return action
