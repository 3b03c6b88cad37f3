"""Starting the GUI: the application object, opening registers, first run."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from riskdesk.paths import data_dir, default_db_target, resource_path
from riskdesk.service.errors import StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.connect import install_team
from riskdesk.ui.dialogs.first_run import add_champion_person, audit_name
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.recent import recent_files, remember_file

FILE_FILTER = "riskdesk registers (*.db);;All files (*)"


def app_settings() -> QSettings:
    """Settings live in the riskdesk data folder (tests redirect it)."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class Controller:
    """Owns the current window; opening another register replaces it."""

    def __init__(self, settings: QSettings, *, first_run: bool = True) -> None:
        self.settings = settings
        self.window: MainWindow | None = None
        self.first_run = first_run

    def open(self, target: str) -> MainWindow | None:
        try:
            service = RegisterService.open(target)
        except StoreError as exc:
            QMessageBox.critical(self.window, "Cannot open register", str(exc))
            return None
        register = service.register
        service.act_as(audit_name(service, self.settings))  # who did it: a name, not a login
        window = build_window(service, self.settings)
        window.open_requested.connect(self.open)
        window.new_requested.connect(self.new_dialog)
        window.open_dialog_requested.connect(self.open_dialog)
        if register.path is not None:
            remember_file(self.settings, str(register.path))
        old = self.window
        self.window = window
        window.show()
        if old is not None:
            old.close()
            old.service.register.dispose()
        show_open_warnings(window)
        after_start(window)
        if self.first_run and not service.profile().get("name") and service.count("ai_use") == 0:
            window.schedule(lambda: run_first_run(window))
        return window

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open register", str(data_dir()), FILE_FILTER
        )
        if path:
            self.open(path)

    def new_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "New register", str(data_dir() / "new-register.db"), FILE_FILTER
        )
        if not path:
            return
        if Path(path).suffix.lower() != ".db":
            # Without it the file is hidden by File ▸ Open's filter and by file managers.
            path += ".db"
        if Path(path).exists():
            QMessageBox.warning(
                self.window, "New register", f"{path} already exists; choose a new file name."
            )
            return
        self.open(path)


def start_target(settings: QSettings, db: str | None = None) -> str:
    """The register to open on start: ``--db``, else ``RISKDESK_DB``, else the register
    last worked in (if it is still there), else register.db in the data folder."""
    if db:
        return db
    if os.environ.get("RISKDESK_DB"):
        return default_db_target()
    for path in recent_files(settings)[:1]:
        if Path(path).is_file():
            return path
    return default_db_target()


def show_open_warnings(window: MainWindow) -> None:
    """What opening noticed (this machine's record of the audit chain no longer
    matching it), said once the window is up: a modal inside construction would block."""
    warnings = window.service.register.warnings
    if warnings:
        QMessageBox.warning(
            window,
            "The audit trail changed",
            "\n\n".join(warnings) + "\n\nRun “riskdesk check” for the full check.",
        )


def after_start(window: MainWindow) -> None:
    """Once the window is up: move everything loaded so far out of the cyclic GC's reach.

    Qt, SQLAlchemy and the register's start-up data are hundreds of thousands of
    long-lived objects; without this every full collection walks them all and a
    keystroke that happens to trigger one took 100 ms on a 10,000-use register.
    """
    import gc

    def freeze() -> None:
        gc.collect()
        gc.freeze()

    window.schedule(freeze)


def build_window(service: RegisterService, settings: QSettings) -> MainWindow:
    """The window for one open register (it builds its own pages, menus and dialogs)."""
    window = MainWindow(service, settings)
    install_team(window)  # issue 20: connect to a team register, who you are, others' changes
    return window


def run_first_run(window: MainWindow) -> None:
    from riskdesk.ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(window)
    if not dialog.exec():
        return
    try:
        profile = dialog.profile()
        window.service.act_as(profile["champion_name"] or None)
        if dialog.use_demo:
            from riskdesk.demo import build_demo

            build_demo(window.service)
        window.service.save_profile({k: v for k, v in profile.items() if v})
        add_champion_person(window.service)
        window.service.act_as(audit_name(window.service, window.settings))
    except Exception as exc:
        QMessageBox.critical(window, "riskdesk", f"Could not set up the register: {exc}")
    window.history.stack.clear()
    window.reload()
    window.update_title()


def install_excepthook() -> None:
    """Show unexpected errors instead of losing them on stderr; the register is safe
    because every write is one transaction that either committed or rolled back."""
    import traceback

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        sys.stderr.write(text)
        if isinstance(exc, StoreError):
            QMessageBox.warning(None, "riskdesk", str(exc))
        else:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "riskdesk",
                f"Something went wrong: {exc}\n\nNo change was half-saved: "
                "the last action was either saved whole or not at all.",
            )
            box.setDetailedText(text)
            box.exec()

    sys.excepthook = hook


def run_gui(db: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("riskdesk")
    app.setOrganizationName("riskdesk")
    icon = resource_path("icons", "riskdesk.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setDesktopFileName("riskdesk")  # Wayland matches the window to riskdesk.desktop
    install_excepthook()
    settings = app_settings()
    controller = Controller(settings, first_run=os.environ.get("RISKDESK_NO_FIRST_RUN") != "1")
    if controller.open(start_target(settings, db)) is None:
        return 2
    quit_after_from_env(app)
    return app.exec()


def quit_after_from_env(app: QApplication) -> None:
    """RISKDESK_QUIT_AFTER_MS=N: say when the window is up, quit N ms later.

    For unattended starts — the packaging smoke test and the start-up benchmark —
    which need the GUI to come up and go away on its own.
    """
    raw = os.environ.get("RISKDESK_QUIT_AFTER_MS")
    if not raw:
        return

    def shown() -> None:
        if sys.stderr is not None:  # None in the windowed Windows executable
            print("riskdesk: window shown", file=sys.stderr, flush=True)

    QTimer.singleShot(0, shown)
    QTimer.singleShot(int(raw), app.quit)
