"""The rolling backup on open runs off the GUI thread (issue 19: copying a 100,000-use
register took 3.3 s and held the window's first paint that long)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from riskdesk.paths import backups_dir
from riskdesk.service import backups
from riskdesk.service.register import RegisterService
from riskdesk.ui.main_window import MainWindow


def test_the_backup_on_open_is_made_in_a_worker_and_reported(
    window: MainWindow, demo_service: RegisterService
) -> None:
    path = demo_service.register.path
    assert path is not None
    made = backups.automatic_backups(path, backups_dir())
    assert len(made) == 1 and made[0].stat().st_size > 0
    assert window.backup_jobs.number == 1  # started once, by the window, and finished


def test_the_backup_work_runs_outside_the_gui_thread(
    qtbot: QtBot,
    demo_service: RegisterService,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riskdesk.ui.app import build_window

    seen: list[threading.Thread] = []
    real = backups.auto_backup

    def spy(register: Any, *args: Any, **kwargs: Any) -> Path | None:
        seen.append(threading.current_thread())
        return real(register, *args, **kwargs)

    monkeypatch.setattr(backups, "auto_backup", spy)
    win = build_window(demo_service, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: bool(seen) and not win.backup_jobs.running, timeout=10_000)
    assert seen[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)


def test_a_failed_backup_is_said_in_the_status_bar_and_the_window_stays(
    qtbot: QtBot,
    demo_service: RegisterService,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riskdesk.ui.app import build_window

    def broken(register: Any, *args: Any, **kwargs: Any) -> Path | None:
        raise OSError("No space left on device")

    monkeypatch.setattr(backups, "auto_backup", broken)
    win = build_window(demo_service, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(
        lambda: "Automatic backup failed: No space left" in win.statusBar().currentMessage(),
        timeout=10_000,
    )
    assert win.isVisible()
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)
