"""Issue 14, finished: the Drift page's empty state, field hints, adding a person from
an owner picker, Ctrl+Tab in multi-line fields, the export dialog's result, suggested
risks and a cancelled editor, and every gap opening the editor at its field."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.drift import DriftPage


def blank(qtbot: QtBot, service: RegisterService, settings: QSettings) -> MainWindow:
    from riskdesk.ui.app import build_window

    win = build_window(service, settings)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    return win


# --- the Drift page's empty state ------------------------------------------------------------


def test_empty_drift_page_says_what_comes_there_and_offers_to_fill_the_register(
    qtbot: QtBot, service: RegisterService, settings: QSettings
) -> None:
    win = blank(qtbot, service, settings)
    page = win.drift_page
    win.show_page("drift")
    page.refresh_now()
    assert page.empty_state.isVisible() and not page.view.isVisible()
    text = page.empty_state.label.text()
    assert "Nothing to watch yet" in text and "review" in text and "fills by itself" in text
    assert not page.button_row.isVisible()  # Open / Record review / History: nothing to act on
    buttons = [b for b in page.empty_state.buttons if b.isVisible()]
    assert [b.text() for b in buttons] == [
        "&New AI use…",
        "&Import a spreadsheet…",
        "Open the &demo",
    ]
    with qtbot.waitSignal(win.open_requested, timeout=60_000):
        qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)


def test_drift_page_with_uses_but_no_drift_says_nothing_has_slid(
    qtbot: QtBot, service: RegisterService
) -> None:
    service.create("ai_use", {"name": "Grading aid"})
    page = DriftPage(service)
    qtbot.addWidget(page)
    page.show()
    page.refresh_now()
    assert page.empty_state.isVisible() and not page.view.isVisible()
    assert "No drift" in page.empty_state.label.text()
    assert not any(b.isVisible() for b in page.empty_state.buttons)


def test_drift_page_with_drift_shows_the_table(qtbot: QtBot, demo_service: RegisterService) -> None:
    from tests.conftest import DEMO_TODAY

    page = DriftPage(demo_service, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.show()
    page.refresh_now()
    assert page.model.rowCount() > 0
    assert page.view.isVisible() and not page.empty_state.isVisible()
    assert page.button_row.isVisible()
