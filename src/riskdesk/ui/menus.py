"""The main window's menu bar: File, Edit, View, Settings and Help, with their shortcuts.

Every entry calls a method of the window (``add_action`` makes its shortcut work
window-wide); nothing here keeps state. The window keeps the menus it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from riskdesk.ui.dialogs import backups_calendar

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow


@dataclass(frozen=True)
class Menus:
    file: QMenu
    recent: QMenu  # filled each time it is about to show
    edit: QMenu
    view: QMenu
    settings: QMenu
    help: QMenu
    import_action: QAction
    export_action: QAction
    export_anchor: QAction  # a separator: export entries go above it
    undo: QAction
    redo: QAction


def build_menus(window: MainWindow) -> Menus:
    bar = window.menuBar()
    add = window.add_action
    file = bar.addMenu("&File")
    add(file, "&New register…", window.new_requested.emit, "Ctrl+Shift+N", "actionNewRegister")
    add(
        file,
        "&Open register…",
        window.open_dialog_requested.emit,
        QKeySequence.StandardKey.Open,
        "actionOpenRegister",
    )
    recent = file.addMenu("Open &recent")
    file.addSeparator()
    import_action = add(
        file,
        "&Import…",
        window.open_import_wizard,
        "Ctrl+I",
        "actionImport",
        "Import AI uses from a spreadsheet, a federal inventory or a riskdesk export",
    )
    export_action = add(
        file,
        "&Export…",
        window.open_export_dialog,
        "Ctrl+Shift+E",
        "actionExport",
        "Export the register to Excel, a PDF board pack or CSV",
    )
    add(
        file,
        "Export &calendar (.ics)…",
        lambda: backups_calendar.export_calendar(window),
        name="actionExportCalendar",
    )
    add(
        file,
        "&Back up register…",
        lambda: backups_calendar.backup_now(window),
        name="actionBackup",
    )
    add(
        file,
        "Automatic bac&kups…",
        lambda: backups_calendar.configure_backups(window),
        name="actionAutoBackups",
    )
    export_anchor = file.addSeparator()  # exports and backups above, Quit below
    add(file, "&Quit", window.close, "Ctrl+Q", "actionQuit")

    edit = bar.addMenu("&Edit")
    undo = window.history.stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    undo.setObjectName("actionUndo")
    redo = window.history.stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setObjectName("actionRedo")
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    add(edit, "&New AI use…", window.new_use, QKeySequence.StandardKey.New, "actionNewUse")
    add(edit, "&Open selected", window.open_selected, "Ctrl+E", "actionOpen")
    add(
        edit,
        "&Delete selected…",
        window.delete_selected,
        QKeySequence.StandardKey.Delete,
        "actionDelete",
    )
    add(edit, "&Find", window.focus_search, QKeySequence.StandardKey.Find, "actionFind")
    add(
        edit,
        "Add risk from &catalogue…",
        window.add_risk_from_catalogue,
        "Ctrl+Shift+K",
        "actionAddRiskFromCatalogue",
    )
    edit.addSeparator()
    add(edit, "Record &history…", window.history_of_selected, "Ctrl+H", "actionRecordHistory")

    view = bar.addMenu("&View")
    add(view, "&Dashboard", lambda: window.show_page("dashboard"), "Ctrl+0", "actionDashboard")
    # One mnemonic each (Alt+V, then the letter) and a shortcut for every page.
    for number, (key, title) in enumerate(
        (
            ("uses", "AI &uses"),
            ("risks", "&Risks"),
            ("people", "&People"),
            ("vendors", "&Vendors"),
            ("incidents", "&Incidents"),
            ("controls", "&Controls"),
            ("frameworks", "&Frameworks"),
        ),
        1,
    ):
        add(view, title, partial(window.show_page, key), f"Ctrl+{number}", f"actionShow_{key}")
    add(view, "Drif&t", lambda: window.show_page("drift"), "Ctrl+Shift+D", "actionDrift")
    add(view, "&Evidence", lambda: window.show_page("evidence"), "Ctrl+Shift+V", "actionEvidence")
    settings_menu = bar.addMenu("&Settings")
    add(
        settings_menu,
        "&Organisation…",
        window.open_organisation,
        name="actionOrganisation",
        tip="The organisation's name, sector, champion and paper size; who you are",
    )
    settings = add(
        settings_menu, "&Scoring…", window.open_scoring_settings, name="actionScoringSettings"
    )
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    help_menu = bar.addMenu("&Help")
    add(
        help_menu,
        "&Getting started",
        lambda: window.show_help("getting-started"),
        QKeySequence.StandardKey.HelpContents,
        "actionGettingStarted",
    )
    add(
        help_menu,
        "How &scoring works",
        lambda: window.show_help("how-scoring-works"),
        name="actionHowScoringWorks",
    )
    help_menu.addSeparator()
    add(help_menu, "&About riskdesk", window.show_about, None, "actionAbout")
    return Menus(
        file=file,
        recent=recent,
        edit=edit,
        view=view,
        settings=settings_menu,
        help=help_menu,
        import_action=import_action,
        export_action=export_action,
        export_anchor=export_anchor,
        undo=undo,
        redo=redo,
    )
