"""Help ▸ Getting started and How scoring works: texts shipped with the app, offline."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from riskdesk.paths import resource_path


def show_help(windows: dict[str, QDialog], name: str, parent: QWidget) -> QDialog:
    """The help text resources/help/<name>.md in its own window, beside the main window
    rather than in front of it, so the user can follow it step by step. ``windows``
    keeps one window per text: asking again raises it."""
    dialog = windows.get(name)
    if dialog is None:
        text = resource_path("help", f"{name}.md").read_text(encoding="utf-8")
        dialog = QDialog(parent)
        dialog.setObjectName(f"help-{name}")
        browser = QTextBrowser(dialog)
        browser.setObjectName("helpText")
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(text)
        title = text.splitlines()[0].lstrip("# ").strip()
        browser.setAccessibleName(title)
        dialog.setWindowTitle(f"{title} — riskdesk")
        QVBoxLayout(dialog).addWidget(browser)
        dialog.resize(620, 640)
        windows[name] = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
