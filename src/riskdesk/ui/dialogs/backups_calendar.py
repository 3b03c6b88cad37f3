"""The register's file actions on the main window: the calendar of due dates, backups.

File ▸ Export calendar…, Back up register… (checked in the background), Automatic
backups…, and the rolling backup made each time a register is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog

from riskdesk.paths import backups_dir
from riskdesk.service import backups
from riskdesk.service.calendar_ics import write_calendar
from riskdesk.service.errors import StoreError
from riskdesk.ui.jobs import Jobs

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow


def export_calendar(window: MainWindow, path: str | None = None) -> int | None:
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


def backup_now(window: MainWindow, path: str | None = None) -> Path | None:
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
    # Checking takes about 6 s for a 10,000-use register: a job of its own, so two
    # backups made in a row are both checked.
    jobs = Jobs(window)

    def report(check: object) -> None:
        assert isinstance(check, backups.BackupCheck)
        if check.ok:
            window.statusBar().showMessage(f"Backed up and checked: {check.message}", 10000)
        else:
            window.show_error(
                "Back up register", f"The copy does not pass the check: {check.message}"
            )
        window.backup_checked.emit(check)

    def failed(message: str) -> None:
        window.show_error("Back up register", f"The copy could not be checked: {message}")

    jobs.done.connect(report)
    jobs.failed.connect(failed)
    for signal in (jobs.done, jobs.failed):
        signal.connect(lambda *_args: jobs.deleteLater())
    jobs.start(lambda _progress, _cancel: backups.verify_backup(written))
    return written


def configure_backups(window: MainWindow, keep: int | None = None) -> None:
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


def auto_backup(window: MainWindow) -> int:
    """The rolling backup on open, off the GUI thread: copying a large register took
    3.3 s at 100,000 uses (840 MB) and held the first paint that long. SQLite's backup
    reads one consistent snapshot, so edits meanwhile go on (WAL). A failure is shown
    in the status bar, never fatal. Returns the job's number."""
    jobs = window.backup_jobs
    register = window.service.register

    def shown(made: object) -> None:
        if made is not None:
            window.statusBar().showMessage(f"Backed up to {made}", 5000)

    jobs.done.connect(shown)
    jobs.failed.connect(
        lambda msg: window.statusBar().showMessage(f"Automatic backup failed: {msg}", 10000)
    )
    return jobs.start(lambda _progress, _cancel: backups.auto_backup(register))
