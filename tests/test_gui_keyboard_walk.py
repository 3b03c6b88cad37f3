"""Walking riskdesk by keyboard as its user would (the usercheck pass): Tab follows the
form from top to bottom, Alt+letter reaches one thing, and a screen reader hears what
each control is about."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from riskdesk.ui.main_window import MainWindow


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def tab_walk(qtbot: QtBot, start: QWidget, steps: int) -> list[str]:
    """Press Tab ``steps`` times from ``start``: the object names focus lands on."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    order = []
    for _ in range(steps):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget().objectName())
    return order


def test_tab_reaches_the_catalogued_model_and_fallback_under_the_vendor(
    window: MainWindow, qtbot: QtBot
) -> None:
    """They are added to the form after it is built and came after Cancel."""
    editor = shown(qtbot, window.use_editor(1))
    assert tab_walk(qtbot, editor.ui.vendor_id, 3) == ["model_id", "fallback", "model_name"]


def test_tab_reaches_the_risk_owner_where_it_stands_in_the_form(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Putting the fields in a Details tab (beside Evidence) had moved both person
    pickers, rebuilt with their New person… buttons, to the end of the Tab order."""
    from riskdesk.ui.editors.risk_editor import RiskEditor

    risk = window.service.rows("risk")[0]
    editor = shown(
        qtbot, RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window)
    )
    assert tab_walk(qtbot, editor.ui.status, 3) == ["owner_id", "owner_id_new", "due_date"]
    assert tab_walk(qtbot, editor.ui.due_date_known, 3) == [
        "accepted_by_id",
        "accepted_by_id_new",
        "acceptance_rationale",
    ]


def test_tab_reaches_an_incidents_linked_risks_before_its_buttons(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.incident_dialog import IncidentDialog

    dialog = shown(qtbot, IncidentDialog(window.service, window.history, 1, window))
    walk = tab_walk(qtbot, dialog.risks, 1)
    assert walk == [""] and dialog.buttons.isAncestorOf(QApplication.focusWidget())
    focus = dialog.findChild(QWidget, "lessons")
    focus.setFocus()
    qtbot.waitUntil(focus.hasFocus)
    while focus is not dialog.risks and not dialog.buttons.isAncestorOf(focus):
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
    assert focus is dialog.risks  # the list is reached before Save and Cancel


def test_tab_goes_from_the_incident_search_to_its_results(window: MainWindow, qtbot: QtBot) -> None:
    editor = shown(qtbot, window.use_editor(1))
    tabs = editor.ui.tabs
    page = next(
        tabs.widget(i) for i in range(tabs.count()) if tabs.tabText(i).startswith("Incidents")
    )
    tabs.setCurrentWidget(page)
    from riskdesk.ui.editors.use_incidents_tab import IncidentsPanel

    panel = page if isinstance(page, IncidentsPanel) else page.findChild(IncidentsPanel)
    tab_walk(qtbot, panel.search, 1)
    focus = QApplication.focusWidget()
    assert focus is panel.scroll or panel.scroll.isAncestorOf(focus)


def test_a_cards_button_names_its_card_for_a_screen_reader(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.use_suggestions_tab import Card

    card = Card("Made-up citations", "Add", None)
    qtbot.addWidget(card)
    assert card.button.text() == "Add"
    assert card.button.accessibleName() == "Add: Made-up citations"


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text) if "<" not in text else None
    return found.group(1).lower() if found else None


def test_no_page_takes_an_alt_letter_of_the_menu_bar_or_repeats_one(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Alt+F on the Frameworks page pressed "Add framework from &file…" instead of
    opening the File menu (and Alt+V, Alt+H on Frameworks and Drift likewise)."""
    menu_letters = {mnemonic(a.text()) for a in window.menuBar().actions()} - {None}
    assert menu_letters == {"f", "e", "v", "s", "h"}
    clashes = []
    for key, page in window.pages.items():
        window.show_page(key)
        qtbot.waitUntil(page.isVisible)
        texts = [b.text() for b in page.findChildren(QAbstractButton) if b.isVisible()]
        texts += [
            bar.tabText(i)
            for bar in page.findChildren(QTabBar)
            if bar.isVisible()
            for i in range(bar.count())
        ]
        letters = [k for k in map(mnemonic, texts) if k]
        clashes += [f"{key}: {k} (menu bar)" for k in letters if k in menu_letters]
        clashes += [f"{key}: {k} (twice)" for k in sorted(set(letters)) if letters.count(k) > 1]
    assert clashes == []


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # a menu
def test_alt_f_opens_the_file_menu_on_the_frameworks_page(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("frameworks")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.file_menu.isVisible)
    window.file_menu.close()


def test_each_classify_answer_tells_a_screen_reader_its_question(qtbot: QtBot) -> None:
    """A radio button reads "Yes" or "No": its accessible description is the question."""
    from PySide6.QtWidgets import QRadioButton

    from riskdesk.scoring import DEFAULT_CONFIG
    from riskdesk.ui.dialogs.classify import ClassifyDialog
    from riskdesk.ui.dialogs.classify_questions import QUESTIONS

    dialog = ClassifyDialog({"name": "Tutor", "eu_ai_act_class": "not_assessed"}, DEFAULT_CONFIG)
    qtbot.addWidget(dialog)
    children = next(q for q in QUESTIONS if q.field == "childrens_data")
    yes = dialog.groups["childrens_data"].buttons()[0]
    assert yes.text() == "Yes" and yes.accessibleDescription() == children.text
    assert all(b.accessibleDescription() for b in dialog.findChildren(QRadioButton))
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert [mnemonic(t) for t in tabs] == ["1", "2"]


def test_assess_next_says_space_chooses_an_unanswered_question(
    window: MainWindow, qtbot: QtBot
) -> None:
    """On a question nobody answered yet the arrow keys only move between the answers
    (Qt checks nothing until one is chosen); the hint said they choose."""
    from riskdesk.ui.dialogs.classify_backlog import AssessNextDialog

    dialog = shown(qtbot, AssessNextDialog(window.service, window.history, [1], window))
    group = dialog.groups["decision_role"]
    group.setExclusive(False)
    for button in group.buttons():
        button.setChecked(False)
    group.setExclusive(True)
    first = group.buttons()[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Down)
    assert group.checkedButton() is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert group.checkedButton() is not None
    assert "Space chooses" in dialog.progress.text()


def test_undo_and_redo_say_what_they_did_in_the_status_bar(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Ctrl+Z on a page that does not show the change gave no sign anything happened."""
    window.history.create("Add person “Sam Reyes”", "person", {"name": "Sam Reyes"})
    window.show_page("dashboard")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Undone: Add person “Sam Reyes”" in window.statusBar().currentMessage())
    assert not any(p["name"] == "Sam Reyes" for p in window.service.rows("person"))
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Redone: Add person “Sam Reyes”" in window.statusBar().currentMessage())
    assert any(p["name"] == "Sam Reyes" for p in window.service.rows("person"))


def letters_and_missing(dialog: QWidget) -> tuple[list[str], list[str]]:
    """The Alt letters of ``dialog``'s visible buttons, check boxes and field labels, and
    the texts without one (a dialog box's own OK, Cancel, Save and Close are Enter/Esc)."""
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    standard = {"OK", "Cancel", "Save", "Close"}
    letters, missing = [], []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        elif isinstance(widget, QAbstractButton) and widget.text():
            text = widget.text()
            box = widget.parentWidget()
            if isinstance(box, QDialogButtonBox) and text in standard:
                continue
        else:
            continue
        found = mnemonic(text)
        if found:
            letters.append(found)
        else:
            missing.append(text)
    return letters, missing


def test_the_export_and_raise_challenge_dialogs_have_an_alt_letter_for_each_control(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.dialogs.export import ExportDialog
    from riskdesk.ui.editors.use_challenges_tab import ChallengeStepDialog

    export = shown(qtbot, ExportDialog(window.service, window.settings, window))
    export.format.setCurrentIndex(export.format.findData("pdf"))
    challenge = shown(
        qtbot,
        ChallengeStepDialog(
            "Raise a challenge",
            "A question from the 2nd line.",
            "&Question",
            window,
            people=[("Dana Okafor", 1)],
            person_label="Raised &by",
            risks=[("Made-up citations", 1)],
            severity=True,
        ),
    )
    for dialog in (export, challenge):
        letters, missing = letters_and_missing(dialog)
        assert missing == [], type(dialog).__name__
        assert len(letters) == len(set(letters)), (type(dialog).__name__, sorted(letters))


def test_the_drift_pages_reportable_incident_link_opens_from_the_keyboard(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The link to a possibly reportable incident could only be clicked."""
    import datetime as dt

    from riskdesk.ui.pages.drift_panels import IncidentKindsPanel

    opened: list[tuple[str, int]] = []
    host = QWidget()
    before = QPushButton("Before", host)
    panel = IncidentKindsPanel(
        window.service, host, lambda e, k: opened.append((e, k)), today=dt.date(2026, 11, 28)
    )
    layout = QVBoxLayout(host)
    layout.addWidget(before)
    layout.addWidget(panel)
    qtbot.addWidget(host)
    panel.reload()
    assert "href" in panel.reportable.text()
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    for _ in range(4):  # Tab reaches the note, then its link
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if panel.reportable.selectedText():
            break
    assert panel.reportable.selectedText() == "Missed self-harm alert"
    qtbot.keyClick(panel.reportable, Qt.Key.Key_Return)
    assert opened and opened[0][0] == "incident"
