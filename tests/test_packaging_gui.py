"""The unattended-start hook the packaging smoke test and start-up benchmark rely on."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from riskdesk.ui.app import quit_after_from_env


class FakeApp:
    def __init__(self) -> None:
        self.quits = 0

    def quit(self) -> None:
        self.quits += 1


def test_quit_after_announces_the_window_then_quits(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RISKDESK_QUIT_AFTER_MS", "50")
    app = FakeApp()
    quit_after_from_env(app)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: app.quits == 1, timeout=2000)
    assert capsys.readouterr().err == "riskdesk: window shown\n"


def test_without_the_variable_nothing_is_scheduled(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RISKDESK_QUIT_AFTER_MS", raising=False)
    app = FakeApp()
    quit_after_from_env(app)  # type: ignore[arg-type]
    qtbot.wait(100)
    assert app.quits == 0
    assert capsys.readouterr().err == ""
