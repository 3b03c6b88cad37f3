"""Issue 14, finished: the Drift page's empty state, field hints, adding a person from
an owner picker, Ctrl+Tab in multi-line fields, the export dialog's result, suggested
risks and a cancelled editor, and every gap opening the editor at its field."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
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


# --- hints on every field of the use and risk editors ----------------------------------------


def form_fields(ui: object) -> dict[str, QWidget]:
    """Every input and button of a compiled form (``editor.ui``), by object name."""
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit)
    kinds += (QPlainTextEdit,)
    return {
        name: w
        for name, w in vars(ui).items()
        if isinstance(w, kinds) and not isinstance(w, QDialogButtonBox)
    }


def test_every_field_of_the_use_and_risk_editors_has_a_hint(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.risk_editor import RiskEditor

    use_editor = window.use_editor(1)
    risk = window.service.rows("risk")[0]
    risk_editor = RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window)
    missing = []
    for editor in (use_editor, risk_editor):
        qtbot.addWidget(editor)
        fields = form_fields(editor.ui)
        assert len(fields) >= 15
        missing += [f"{type(editor).__name__}.{n}" for n, w in fields.items() if not w.toolTip()]
    assert missing == []
    # The code-set hints add to the form's, never replace them.
    tip = risk_editor.ui.inherent_likelihood.toolTip()
    assert "before any controls" in tip and "5 = Almost certain" in tip
    tip = use_editor.ui.childrens_data.toolTip()
    assert "children" in tip and "not answered" in tip
