"""The GUI says what opening a register noticed, as the CLI does (issue 16): a chain
that no longer holds the newest event this machine saw is worth a warning."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskdesk.service.register import RegisterService

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from pytestqt.qtbot import QtBot


def test_opening_a_truncated_register_warns_once_the_window_is_up(
    qtbot: QtBot,
    service: RegisterService,
    db_path: Path,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from riskdesk.ui.app import Controller

    service.create("person", {"name": "Ada Byron"})
    service.register.dispose()
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    con.commit()
    con.close()

    shown: list[tuple[str, str, bool]] = []

    def warning(parent: object, title: str, text: str) -> None:
        visible = bool(getattr(parent, "isVisible", lambda: False)())
        shown.append((title, text, visible))

    monkeypatch.setattr(QMessageBox, "warning", warning)
    window = Controller(settings, first_run=False).open(str(db_path))
    assert window is not None
    qtbot.addWidget(window)
    assert len(shown) == 1
    title, text, visible = shown[0]
    assert title == "The audit trail changed"
    assert visible, "the warning must come after the window is shown"
    assert "audit events were deleted" in text and "riskdesk check" in text


def test_opening_an_intact_register_says_nothing(
    qtbot: QtBot, service: RegisterService, db_path: Path, settings: QSettings
) -> None:
    """The autouse fixture fails the test if any message box appears."""
    from riskdesk.ui.app import Controller

    service.create("person", {"name": "Ada Byron"})
    service.register.dispose()
    window = Controller(settings, first_run=False).open(str(db_path))
    assert window is not None
    qtbot.addWidget(window)
    assert window.service.register.warnings == []
