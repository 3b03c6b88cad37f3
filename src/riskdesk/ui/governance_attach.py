"""Wire the governance loop into the main window.

Adds the Drift page, File ▸ Export calendar…, Back up register…, Automatic backups…,
Edit ▸ Record history…, the incident dialog with linked risks and the Art. 73
deadline, a control dialog for the Drift page, and a rolling backup each time a
register is opened.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from riskdesk import enums
from riskdesk.paths import backups_dir
from riskdesk.service import backups
from riskdesk.service.calendar_ics import write_calendar
from riskdesk.service.errors import StoreError
from riskdesk.ui.governance_drift import DriftPage
from riskdesk.ui.governance_history import RecordHistoryDialog
from riskdesk.ui.governance_incident import IncidentDialog
from riskdesk.ui.governance_use import RecordReviewDialog
from riskdesk.ui.record_dialog import FieldSpec, RecordDialog

# Page key -> entity, for Edit ▸ Record history… on the current table.
PAGE_ENTITIES = {
    "usesPage": "ai_use",
    "risksPage": "risk",
    "peoplePage": "person",
    "vendorsPage": "vendor",
    "incidentsPage": "incident",
    "controlsPage": "control",
}


def _people(service: Any) -> list[tuple[str, Any]]:
    return [(p["name"], p["id"]) for p in service.rows("person", order_by="name")]


CONTROL_FIELDS = [
    FieldSpec("name", "&Name"),
    FieldSpec("control_type", "&Type", "enum", enums.ControlType),
    FieldSpec("status", "&Status", "enum", enums.ControlStatus),
    FieldSpec("owner_id", "&Owner", "choice", choices=_people),
    FieldSpec("framework_refs", "&Framework references"),
    FieldSpec("last_tested", "Last &tested", "optdate"),
    FieldSpec("test_every_months", "Test every (&months)", "int"),
    FieldSpec("evidence", "&Evidence", "text"),
    FieldSpec("description", "&Description", "text"),
]


def open_record(window: Any, entity: str, key: int) -> None:
    """Open whatever a drift or due item points at."""
    if entity == "ai_use":
        window.edit_use(key)
    elif entity == "risk":
        window.edit_risk(key)
    elif entity == "control" and hasattr(window, "controls_page"):
        window.controls_page.edit(key)
    elif entity == "control":
        RecordDialog(
            window.service, window.history, "control", key, window, fields=CONTROL_FIELDS
        ).exec()
    else:
        window.edit_record(entity, key)


def record_review(window: Any, use_id: int) -> bool:
    return bool(RecordReviewDialog(window.service, window.history, use_id, window).exec())


def show_history(window: Any, entity: str, key: Any) -> None:
    RecordHistoryDialog(window.service, entity, key, window).exec()


def history_of_selected(window: Any) -> None:
    page = window.current_table()
    entity = PAGE_ENTITIES.get(page.objectName()) if page is not None else None
    key = page.selected_id() if page is not None else None
    if entity is None or key is None:
        QMessageBox.information(
            window, "Record history", "Select a row in one of the tables to see its history."
        )
        return
    show_history(window, entity, key)


def export_calendar(window: Any, path: str | None = None) -> int | None:
    if path is None:
        start = str(Path.home() / "riskdesk-due-dates.ics")
        path, _ = QFileDialog.getSaveFileName(
            window, "Export calendar", start, "iCalendar files (*.ics);;All files (*)"
        )
        if not path:
            return None
    if not path.lower().endswith(".ics"):
        path += ".ics"
    try:
        count = write_calendar(window.service, Path(path))
    except OSError as exc:
        window.show_error("Export calendar", f"Could not write {path}: {exc.strerror or exc}")
        return None
    window.statusBar().showMessage(
        f"Wrote {count} due dates to {path}: import it into any calendar.", 8000
    )
    return count


class _CheckSignals(QObject):
    done = Signal(object)


class _CheckJob(QRunnable):
    """Verify a backup off the GUI thread (about 6 s for a 10,000-use register)."""

    def __init__(self, path: Path, signals: _CheckSignals) -> None:
        super().__init__()
        self.path, self.signals = path, signals

    def run(self) -> None:  # worker thread: no widgets here
        check = backups.verify_backup(self.path)
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self.signals.done.emit(check)


def backup_now(window: Any, path: str | None = None) -> Path | None:
    """Copy the register (quick), then check the copy in the background."""
    register = window.service.register
    if path is None:
        stem = register.path.stem if register.path else "register"
        start = str(Path.home() / f"{stem}-backup.db")
        path, _ = QFileDialog.getSaveFileName(
            window, "Back up register", start, "riskdesk registers (*.db);;All files (*)"
        )
        if not path:
            return None
    try:
        written = backups.backup(register, Path(path))
    except StoreError as exc:
        window.show_error("Back up register", str(exc))
        return None
    window.statusBar().showMessage(f"Backed up to {written}; checking the copy…")
    signals = _CheckSignals(window)

    def report(check: object) -> None:
        assert isinstance(check, backups.BackupCheck)
        window.backup_check = check
        if check.ok:
            window.statusBar().showMessage(f"Backed up and checked: {check.message}", 10000)
        else:
            window.show_error(
                "Back up register", f"The copy does not pass the check: {check.message}"
            )
        signals.deleteLater()

    signals.done.connect(report)
    QThreadPool.globalInstance().start(_CheckJob(written, signals))
    return written


def configure_backups(window: Any, keep: int | None = None) -> None:
    service = window.service
    current = backups.keep_count(service.setting(backups.SETTING_KEY))
    if keep is None:
        value, ok = QInputDialog.getInt(
            window,
            "Automatic backups",
            "riskdesk backs up this register each time it is opened (when it changed) into\n"
            f"{backups_dir()}\n\nHow many copies to keep (0 turns them off):",
            current,
            0,
            backups.MAX_KEEP,
        )
        if not ok:
            return
        keep = value
    window.history.run(
        f"Keep {keep} automatic backups", lambda: backups.set_keep_count(service, keep)
    )


def auto_backup(window: Any) -> Path | None:
    """The rolling backup on open; a failure is shown in the status bar, never fatal."""
    try:
        made = backups.auto_backup(window.service.register)
    except (StoreError, OSError) as exc:
        window.statusBar().showMessage(f"Automatic backup failed: {exc}", 10000)
        return None
    if made is not None:
        window.statusBar().showMessage(f"Backed up to {made}", 5000)
    return made


def _action(window: Any, text: str, name: str, slot: Any, shortcut: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def attach_governance(window: Any) -> DriftPage:
    page = DriftPage(
        window.service,
        on_open=lambda entity, key: open_record(window, entity, key),
        on_review=lambda use_id: record_review(window, use_id),
        on_history=lambda entity, key: show_history(window, entity, key),
        parent=window,
    )
    window.drift_page = page
    window.add_page("drift", "Drift", page)
    window.page_hooks.append(page.refresh)
    window.view_menu.addAction(
        _action(window, "D&rift", "actionDrift", lambda: window.show_page("drift"), "Ctrl+Shift+D")
    )
    for action in (
        _action(
            window,
            "Export &calendar (.ics)…",
            "actionExportCalendar",
            lambda: export_calendar(window),
        ),
        _action(window, "&Back up register…", "actionBackup", lambda: backup_now(window)),
        _action(
            window, "Automatic bac&kups…", "actionAutoBackups", lambda: configure_backups(window)
        ),
    ):
        window.file_menu.insertAction(window.export_anchor, action)
    window.edit_menu.addAction(
        _action(
            window,
            "Record &history…",
            "actionRecordHistory",
            lambda: history_of_selected(window),
            "Ctrl+H",
        )
    )
    window.record_editors["incident"] = lambda key: IncidentDialog(
        window.service, window.history, key, window
    ).exec()
    window.schedule(lambda: auto_backup(window))
    return page
