"""The registers worked in lately: File ▸ Open recent, and which register a start reopens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

RECENT_KEY = "recentFiles"
MAX_RECENT = 8


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone entry back as a plain string
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_file(settings: QSettings, path: str) -> None:
    files = [p for p in recent_files(settings) if p != path]
    settings.setValue(RECENT_KEY, [path, *files][:MAX_RECENT])
    settings.sync()


def fill_recent_menu(menu: QMenu, settings: QSettings, open_path: Callable[[str], object]) -> None:
    """Refill ``menu`` (each time it is about to show: another window may have added one)."""
    menu.clear()
    recent = recent_files(settings)
    if not recent:
        menu.addAction("(none)").setEnabled(False)
    for path in recent:
        action = menu.addAction(path)
        action.triggered.connect(lambda _c=False, p=path: open_path(p))
