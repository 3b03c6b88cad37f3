"""A champion's first hour in the window (issue 14), driven through real widgets.

Editing never loses work (one editor per record, "Discard changes?", Tab leaves
multi-line fields), files, who did it, guidance, tables and text, accessibility.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.table_page import TablePage


def answer_box(button: str, seen: list[str]) -> None:
    """Once a modal message box is up, record its text and click its ``button`` (object
    name). Gives up after ~2 s so a box that never comes cannot leak into later tests."""
    tries = [0]

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            target = box.findChild(QPushButton, button)
            assert target is not None, f"no {button} on {box.text()!r}"
            target.click()
            return
        tries[0] += 1
        if tries[0] < 200:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)


def audit_actors(path: Path, entity: str) -> set[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT DISTINCT actor FROM audit_event WHERE entity = ?", (entity,))
        return {row[0] for row in rows}
    finally:
        con.close()


def visible(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


# --- 1. never lose work ----------------------------------------------------------------------


@pytest.mark.parametrize("page_key", ["uses", "people"])
def test_double_click_opens_the_editor_once(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, page_key: str
) -> None:
    opened: list[int] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(1) or 0)
    monkeypatch.setattr(UseEditor, "exec", lambda self: opened.append(1) or 0)
    window.show_page(page_key)
    page = window.uses_page if page_key == "uses" else window.people_page
    view = page.view
    rect = view.visualRect(page.model.index(0, 1))
    # A real double-click: press and release, then the second press as a double-click.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [1]


def test_enter_on_a_row_still_opens_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int | None] = []
    monkeypatch.setattr(UseEditor, "exec", lambda self: opened.append(self.use_id) or 0)
    window.show_page("uses")
    page = window.uses_page
    page.select_id(1)
    page.view.setCurrentIndex(page.model.index(page.model.row_of(1), 1))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [1]


def test_one_editor_per_record_raises_the_open_one(window: MainWindow, qtbot: QtBot) -> None:
    counts: list[int] = []

    def probe() -> None:  # runs while every editor asked for is open
        editors = visible(UseEditor)
        counts.append(len(editors))
        for editor in editors:
            editor.reject()

    def ask_again() -> None:
        QTimer.singleShot(0, probe)
        window.edit_use(1)  # returns at once when it only raises the open editor

    QTimer.singleShot(0, ask_again)
    window.edit_use(1)
    assert counts == [1]
    assert window.open_editors == {}


def _use_editor(window: MainWindow, qtbot: QtBot) -> tuple[QDialog, Callable[[], None]]:
    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    return editor, lambda: qtbot.keyClicks(editor.ui.name, " (edited)")


def _risk_editor(window: MainWindow, qtbot: QtBot) -> tuple[QDialog, Callable[[], None]]:
    risk = window.service.rows("risk")[0]
    editor = RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window)
    qtbot.addWidget(editor)
    return editor, lambda: editor.ui.inherent_impact.setValue(
        1 if editor.ui.inherent_impact.value() != 1 else 2
    )


def _person_dialog(window: MainWindow, qtbot: QtBot) -> tuple[QDialog, Callable[[], None]]:
    dialog = RecordDialog(window.service, window.history, "person", 1, window)
    qtbot.addWidget(dialog)
    notes = dialog.findChild(QPlainTextEdit, "notes")
    assert notes is not None
    return dialog, lambda: qtbot.keyClicks(notes, "Prefers email.")


@pytest.mark.parametrize("make", [_use_editor, _risk_editor, _person_dialog])
def test_escape_on_a_changed_form_asks_before_discarding(
    window: MainWindow,
    qtbot: QtBot,
    make: Callable[[MainWindow, QtBot], tuple[QDialog, Callable[[], None]]],
) -> None:
    dialog, change = make(window, qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    change()
    seen: list[str] = []
    answer_box("keepEditingButton", seen)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen and "Discard" in seen[0]
    assert dialog.isVisible()  # kept: the edit is still there to save

    answer_box("discardButton", seen)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # Cancel asks the same question
    assert len(seen) == 2
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


@pytest.mark.parametrize("make", [_use_editor, _risk_editor, _person_dialog])
def test_escape_on_an_unchanged_form_closes_without_asking(
    window: MainWindow,
    qtbot: QtBot,
    make: Callable[[MainWindow, QtBot], tuple[QDialog, Callable[[], None]]],
) -> None:
    dialog, _change = make(window, qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_tab_leaves_multi_line_fields(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    purpose = editor.ui.purpose
    before = purpose.toPlainText()
    purpose.setFocus()
    qtbot.waitUntil(purpose.hasFocus)
    qtbot.keyClick(purpose, Qt.Key.Key_Tab)
    assert purpose.toPlainText() == before  # no tab character typed
    qtbot.waitUntil(editor.ui.department.hasFocus)


def test_every_multi_line_field_in_forms_passes_tab_on(window: MainWindow, qtbot: QtBot) -> None:
    risk = window.service.rows("risk")[0]
    dialogs: list[QDialog] = [
        window.use_editor(1),
        RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window),
        RecordDialog(window.service, window.history, "person", 1, window),
        RecordDialog(window.service, window.history, "vendor", None, window),
        RecordDialog(window.service, window.history, "incident", None, window),
    ]
    trapped = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        for text in dialog.findChildren(QPlainTextEdit):
            if not text.isReadOnly() and not text.tabChangesFocus():
                trapped.append(f"{type(dialog).__name__}.{text.objectName()}")
    assert trapped == []


# --- 2. files -----------------------------------------------------------------------------------


def test_start_reopens_the_register_last_worked_in(
    tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.paths import default_db_target
    from riskdesk.ui.app import start_target
    from riskdesk.ui.main_window import remember_file

    monkeypatch.delenv("RISKDESK_DB")
    last = tmp_path / "ours.db"
    last.write_bytes(b"")
    remember_file(settings, str(tmp_path / "older.db"))
    remember_file(settings, str(last))
    assert start_target(settings) == str(last)
    assert start_target(settings, str(tmp_path / "asked.db")) == str(tmp_path / "asked.db")
    last.unlink()  # moved or deleted since: the usual register, not an error
    assert start_target(settings) == default_db_target()


def test_new_register_gets_the_db_suffix_and_open_offers_all_files(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.app import Controller

    controller = Controller(settings, first_run=False)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "board-2027"), "")
    )
    controller.new_dialog()
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    assert controller.window.service.register.path == tmp_path / "board-2027.db"
    assert (tmp_path / "board-2027.db").is_file()
    assert not (tmp_path / "board-2027").exists()

    filters: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **_k: filters.append(a[3]) or ("", "")
    )
    controller.open_dialog()
    assert "All files (*)" in filters[0]


def test_export_names_follow_the_chosen_format(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from riskdesk.ui.dialogs.export import ExportDialog, default_name

    dialog = ExportDialog(window.service, window.settings, window)
    qtbot.addWidget(dialog)
    for fmt in ("xlsx", "pdf", "csv", "xlsx"):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        assert Path(dialog.path.text()).name == default_name(window.service, fmt)
    dialog.path.setText(str(tmp_path / "minutes.xlsx"))  # the user's own name stays
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    assert dialog.path.text() == str(tmp_path / "minutes.pdf")
    save_to = [lab for lab in dialog.findChildren(QLabel) if lab.text() == "&Save to:"]
    assert save_to and save_to[0].buddy() is dialog.path


# --- 3. who did it ------------------------------------------------------------------------------


def test_changes_are_recorded_under_the_champions_name(
    qtbot: QtBot, tmp_path: Path, settings: QSettings
) -> None:
    from riskdesk.service.register import default_actor
    from riskdesk.ui.app import Controller

    first = RegisterService.open(str(tmp_path / "ours.db"))
    first.save_profile({"name": "Hill Valley Schools", "champion_name": "Jo Rivera"})
    first.register.dispose()
    controller = Controller(settings, first_run=False)
    window = controller.open(str(tmp_path / "ours.db"))
    assert window is not None
    qtbot.addWidget(window)
    window.history.create("Add person “Sam”", "person", {"name": "Sam"})
    assert audit_actors(tmp_path / "ours.db", "person") == {f"Jo Rivera ({default_actor()})"}


def test_first_run_adds_the_champion_as_a_person_and_names_them(
    qtbot: QtBot, service: RegisterService, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui import app as app_module
    from riskdesk.ui.dialogs.first_run import FirstRunDialog

    def fill_in(dialog: FirstRunDialog) -> int:
        dialog.ui.org_name.setText("Hill Valley Schools")
        dialog.ui.champion_name.setText("Jo Rivera")
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(FirstRunDialog, "exec", fill_in)
    window = app_module.build_window(service, settings)
    qtbot.addWidget(window)
    app_module.run_first_run(window)
    people = window.service.rows("person")
    assert [p["name"] for p in people] == ["Jo Rivera"]
    assert service.actor.startswith("Jo Rivera")
    window.show_page("people")  # a page off screen reloads when shown
    assert window.people_page.model.rowCount() == 1


def test_settings_organisation_edits_the_profile_and_who_i_am(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.dialogs.first_run import OrganisationDialog

    action = window.findChild(QAction, "actionOrganisation")
    assert action is not None and action in window.settings_menu.actions()
    someone = window.service.rows("person", order_by="name")[0]["name"]

    def edit(dialog: OrganisationDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.name.setText("Hill Valley Unified")
        dialog.sector.setCurrentText("Local government")
        dialog.champion.setText("Jo Rivera")
        dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
        dialog.me.setCurrentIndex(dialog.me.findData(someone))
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(OrganisationDialog, "exec", edit)
    action.trigger()
    profile = window.service.profile()
    assert (
        profile["name"],
        profile["sector"],
        profile["champion_name"],
        profile["paper_size"],
    ) == (
        "Hill Valley Unified",
        "Local government",
        "Jo Rivera",
        "letter",
    )
    assert "Hill Valley Unified" in window.windowTitle()
    assert any(p["name"] == "Jo Rivera" for p in window.service.rows("person"))
    assert window.service.actor.startswith(f"{someone} (")  # "me" wins over the champion
    window.undo_action.trigger()  # the champion added as a person
    window.undo_action.trigger()  # the profile edit
    assert window.service.profile()["name"] != "Hill Valley Unified"


# --- 4. guidance ------------------------------------------------------------------------------


@pytest.fixture
def blank_window(qtbot: QtBot, service: RegisterService, settings: QSettings) -> MainWindow:
    """The window on a register with nothing in it yet."""
    from riskdesk.ui.app import build_window

    win = build_window(service, settings)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)
    return win


def test_every_empty_page_says_what_belongs_there_and_how_to_fill_it(
    blank_window: MainWindow, qtbot: QtBot
) -> None:
    win = blank_window
    for key, page in (
        ("uses", win.uses_page),
        ("risks", win.risks_page),
        ("people", win.people_page),
        ("vendors", win.vendors_page),
        ("incidents", win.incidents_page),
        ("controls", win.controls_page),
    ):
        win.show_page(key)
        assert page.empty_state.isVisible(), key
        label = page.empty_label  # tall enough for all its wrapped lines
        qtbot.waitUntil(lambda lab=label: lab.height() >= lab.heightForWidth(lab.width()))
        assert not page.view.isVisible(), key
        assert len(page.empty_label.text()) > 40, key
        assert page.empty_buttons and all(b.isVisible() for b in page.empty_buttons), key
        assert page.add_button.isVisible(), key  # the Risks page too has Add now
    texts = [b.text() for b in win.uses_page.empty_buttons]
    # Alt+N is the Add button's: the empty state's copy takes no second mnemonic.
    assert texts == ["New AI use…", "&Import a spreadsheet…", "Open the &demo"]

    # Once there is a row, the grid comes back; a search matching nothing keeps it.
    win.history.create("Add AI use “Grading aid”", "ai_use", {"name": "Grading aid"})
    win.show_page("uses")
    assert win.uses_page.view.isVisible() and not win.uses_page.empty_state.isVisible()
    assert win.uses_page.count_label.text() == "1 AI use"
    qtbot.keyClicks(win.uses_page.search, "nothing like this")
    assert win.uses_page.view.isVisible()
    assert win.uses_page.count_label.text() == "0 of 1 AI use"


def test_open_the_demo_from_an_empty_page(blank_window: MainWindow, qtbot: QtBot) -> None:
    win = blank_window
    win.show_page("uses")
    demo_button = win.uses_page.empty_buttons[2]
    with qtbot.waitSignal(win.open_requested, timeout=60_000) as opened:
        qtbot.mouseClick(demo_button, Qt.MouseButton.LeftButton)
    demo = RegisterService.open(opened.args[0], create=False)
    try:
        assert demo.count("ai_use") >= 25
    finally:
        demo.register.dispose()


def test_add_risk_on_the_risks_page_asks_for_the_use(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    asked: list[list[str]] = []

    def pick(_parent, _title, _label, items, current, _editable):  # type: ignore[no-untyped-def]
        asked.append(list(items))
        return "Student homework chatbot", True

    shown: list[int] = []
    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(RiskEditor, "exec", lambda self: shown.append(self.use_id) or 0)
    window.show_page("risks")
    qtbot.mouseClick(window.risks_page.add_button, Qt.MouseButton.LeftButton)
    assert asked and "Student homework chatbot" in asked[0]
    assert shown == [1]


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("actionGettingStarted", ["Getting started", "board pack", "Import"]),
        ("actionHowScoringWorks", ["How scoring works", "Almost certain", "Severe"]),
    ],
)
def test_help_menu_has_plain_language_guides(
    window: MainWindow, qtbot: QtBot, action: str, words: list[str]
) -> None:
    from PySide6.QtWidgets import QTextBrowser

    entry = window.findChild(QAction, action)
    assert entry is not None and entry in window.help_menu.actions()
    entry.trigger()
    dialog = next(d for d in window.help_windows.values() if d.isVisible())
    text = dialog.findChild(QTextBrowser, "helpText").toPlainText()
    for word in words:
        assert word in text


def test_likelihood_and_impact_read_as_words(window: MainWindow, qtbot: QtBot) -> None:
    editor = RiskEditor(window.service, window.history, 1, None, window)
    qtbot.addWidget(editor)  # not shown: closing a changed, shown editor would ask
    spin = editor.ui.inherent_likelihood
    spin.setValue(5)
    assert spin.text() == "5 — Almost certain"
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Down)
    assert (spin.value(), spin.text()) == (4, "4 — Likely")
    editor.ui.residual_impact.setValue(1)
    assert editor.ui.residual_impact.text() == "1 — Minimal"


# --- 5. tables and text -------------------------------------------------------------------------


def test_scoring_settings_show_the_critical_cadence_with_its_unit(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from riskdesk.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(window.service, window.history, window)
    qtbot.addWidget(dialog)
    texts = {
        tier: dialog.findChild(QSpinBox, f"review_months.{tier}").text()
        for tier in ("critical", "high")
    }
    assert texts == {"critical": "every 1 month", "high": "every 3 months"}


def test_history_names_fields_as_the_editors_do(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.dialogs.history import RecordHistoryDialog

    use = window.service.get("ai_use", 1)
    window.history.update(
        "Edit",
        "ai_use",
        1,
        {"needs_rereview": not use["needs_rereview"], "childrens_data": not use["childrens_data"]},
    )
    dialog = RecordHistoryDialog(window.service, "ai_use", 1, window)
    qtbot.addWidget(dialog)
    model = dialog.history.model
    shown = {
        str(model.index(r, c).data())
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    }
    assert {"Needs re-review", "Children's data"} <= shown
    assert not {"Needs rereview", "Childrens data"} & shown


def test_status_bar_counts_read_as_sentences(blank_window: MainWindow, qtbot: QtBot) -> None:
    win = blank_window
    service = win.service
    use = win.history.create("Add", "ai_use", {"name": "Grading aid"}).created_id
    win.history.create("Add", "ai_use", {"name": "Old chatbot", "stage": "retired"})
    win.history.create("Add", "risk", {"use_id": use, "title": "Made-up citations"})
    assert service.count("risk") == 1
    text = win.status.text()
    assert "2 AI uses (1 in use, 1 retired)" in text
    assert "1 risk ·" in text and "1 risks" not in text


# --- 6. accessibility ---------------------------------------------------------------------------


def unnamed_widgets(root: QWidget) -> list[str]:
    """Interactive widgets under ``root`` a screen reader cannot name, and form labels
    that point at nothing (a label names its field only through its buddy)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QFormLayout,
        QHeaderView,
        QLineEdit,
        QTabBar,
        QTextEdit,
    )

    buddies = {id(lab.buddy()) for lab in root.findChildren(QLabel) if lab.buddy() is not None}
    problems: list[str] = []

    def where(w: QWidget) -> str:
        return f"{type(root).__name__}/{type(w).__name__}#{w.objectName() or '?'}"

    interactive = (
        QAbstractItemView,
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QPlainTextEdit,
        QTextEdit,
    )
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or isinstance(w, (QTabBar, QHeaderView)):
            continue  # a tab bar is named by its tabs, a header by its table
        if w.objectName() == "qt_tableview_cornerbutton":  # Qt's own select-all corner
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the editor inside a combo or spin box: named by its owner
        if isinstance(w, QAbstractButton):
            if not (w.text().replace("&", "").strip() or w.accessibleName()):
                problems.append(f"unnamed button {where(w)}")
            continue
        if isinstance(w, interactive) and not w.accessibleName() and id(w) not in buddies:
            problems.append(f"unnamed {where(w)}")
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            lab = label.widget() if label is not None else None
            if not isinstance(lab, QLabel) or not lab.text().strip() or field is None:
                continue
            target = field.widget()
            if isinstance(target, QLabel) or not lab.isVisibleTo(root):
                continue  # a read-only value beside its caption
            if lab.buddy() is None:
                problems.append(f"label without buddy {type(root).__name__}: {lab.text()!r}")
    return problems


def test_every_page_and_dialog_is_named_for_screen_readers(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.dialogs.catalogue import CatalogueDialog
    from riskdesk.ui.dialogs.export import ExportDialog
    from riskdesk.ui.dialogs.first_run import FirstRunDialog, OrganisationDialog
    from riskdesk.ui.dialogs.history import RecordHistoryDialog
    from riskdesk.ui.dialogs.settings import SettingsDialog
    from riskdesk.ui.editors.incident_dialog import IncidentDialog

    problems = [] if window.nav.accessibleName() else ["unnamed navigation"]
    for key in window._page_order:
        window.show_page(key)
        problems += unnamed_widgets(window.pages[key])
    risk = window.service.rows("risk")[0]
    incident = window.service.rows("incident")[0]
    dialogs: list[QWidget] = [
        window.use_editor(1),
        RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window),
        RecordDialog(window.service, window.history, "person", 1, window),
        RecordDialog(window.service, window.history, "vendor", None, window),
        IncidentDialog(window.service, window.history, incident["id"], window),
        SettingsDialog(window.service, window.history, window),
        OrganisationDialog(window.service, window.history, window.settings, window),
        ExportDialog(window.service, window.settings, window),
        CatalogueDialog(window.service, window.history, 1, window),
        RecordHistoryDialog(window.service, "ai_use", 1, window),
        FirstRunDialog(window),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        tabs = dialog.findChildren(QTabWidget)
        for index in range(tabs[0].count()) if tabs else [0]:
            if tabs:
                tabs[0].setCurrentIndex(index)
            problems += unnamed_widgets(dialog)
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))


def test_view_menu_mnemonics_are_unique_and_every_page_has_a_shortcut(
    window: MainWindow,
) -> None:
    import re

    entries = [a for a in window.view_menu.actions() if not a.isSeparator()]
    keys = []
    for action in entries:
        found = re.search(r"&(\w)", action.text())
        assert found, f"{action.text()} has no mnemonic"
        keys.append(found.group(1).lower())
        assert not action.shortcut().isEmpty(), f"{action.text()} has no shortcut"
    assert len(keys) == len(set(keys)), keys


def test_headers_are_never_clipped_and_people_names_do_not_hog_the_row(
    window: MainWindow, qtbot: QtBot
) -> None:
    for key in ("uses", "risks", "people", "vendors", "incidents", "controls"):
        window.show_page(key)
        page = window.pages[key]
        assert isinstance(page, TablePage)
        qtbot.waitUntil(page.view.isVisible)
        header = page.view.horizontalHeader()
        metrics = header.fontMetrics()
        for index, column in enumerate(page.model.columns):
            need = metrics.horizontalAdvance(column.header) + 16
            assert header.sectionSize(index) >= need, (page.objectName(), column.header)
    people = window.people_page
    name = [c.key for c in people.model.columns].index("name")
    assert people.view.horizontalHeader().sectionSize(name) <= 260


def test_double_clicking_a_gap_goes_to_the_field_that_closes_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    found = next(
        (u["id"], g.rung)
        for u in window.service.rows("ai_use", order_by="id")
        for g in window.gaps_for_use(u["id"])
        if g.rung in ("rollback_plan", "kill_switch", "monitoring", "owner_first")
    )
    use_id, rung = found
    editor = window.use_editor(use_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.ui.tabs.setCurrentWidget(editor.ui.gapsTab)
    gaps = editor.ui.gapsList
    row = next(
        i for i in range(gaps.count()) if gaps.item(i).data(Qt.ItemDataRole.UserRole) == rung
    )
    assert "Double-click" in gaps.item(row).toolTip()
    rect = gaps.visualItemRect(gaps.item(row))
    qtbot.mouseClick(gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    target = {"owner_first": editor.ui.owner_first_id}.get(rung) or getattr(editor.ui, rung)
    assert editor.ui.tabs.currentWidget().isAncestorOf(target)
    qtbot.waitUntil(target.hasFocus)
