"""File ▸ Connect to team register…, who is signed in, and other people's changes.

The dialog takes a postgresql:// URL or its parts (host, port, database, login); the
password comes from, and may be saved to, the OS keyring (service/team_login.py) and is
never written to the settings, which keep only the URL without it. On a team register
the status bar says who you are and your line, and a poll of the audit head every few
seconds notices other people's changes: every page is marked stale and the visible one
reloads (the others reload when shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service import team_login
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.team import Identity

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow

URL_SETTING = "team/url"  # the last team register, without its password
POLL_MS = 5000


class ConnectDialog(QDialog):
    """Where the team register is and who you are; checks the login before closing."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectDialog")
        self.setWindowTitle("Connect to team register")
        self.settings = settings
        self.url = ""  # without the password, once connected
        self.password: str | None = None
        self.who: Identity | None = None

        self.tabs = QTabWidget(self)
        fields = QWidget(self.tabs)
        form = QFormLayout(fields)
        self.host = QLineEdit(fields)
        self.host.setPlaceholderText("server name (empty: this computer)")
        self.port = QSpinBox(fields)
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("default (5432)")
        self.database = QLineEdit(fields)
        self.database.setPlaceholderText("riskdesk")
        self.user = QLineEdit(fields)
        form.addRow("&Server:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&Login:", self.user)
        self.tabs.addTab(fields, "Server and login")
        by_url = QWidget(self.tabs)
        url_form = QFormLayout(by_url)
        self.url_edit = QLineEdit(by_url)
        self.url_edit.setPlaceholderText("postgresql://login@server/database")
        url_form.addRow("&URL:", self.url_edit)
        self.tabs.addTab(by_url, "URL")

        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("empty: the one saved in the system keyring")
        self.remember = QCheckBox("&Remember the password in the system keyring", self)
        self.remember.setChecked(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        password_row = QFormLayout()
        password_row.addRow("&Password:", self.password_edit)
        layout.addLayout(password_row)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        last = settings.value(URL_SETTING)
        if isinstance(last, str) and last:
            self.url_edit.setText(last)
            self.tabs.setCurrentIndex(1)

    def typed_url(self) -> str:
        """The URL the dialog describes (without a password); raises ServiceError."""
        if self.tabs.currentIndex() == 1:
            return team_login.without_password(self.url_edit.text().strip())
        return team_login.build_url(
            self.host.text(), self.port.value(), self.database.text(), self.user.text()
        )

    def connect_now(self) -> None:
        """Try the login; on success remember the URL (and, if asked, the password)."""
        try:
            url = self.typed_url()
            password = self.password_edit.text() or team_login.saved_password(url)
            self.who = team_login.try_login(url, password)
            if self.remember.isChecked() and self.password_edit.text():
                team_login.save_password(url, self.password_edit.text())
        except (ServiceError, StoreError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.url, self.password = url, password
        self.settings.setValue(URL_SETTING, url)
        self.accept()


def connect_to_team_register(window: MainWindow) -> ConnectDialog:
    """File ▸ Connect to team register…: once connected, the controller opens it in
    place of the current register (the password stays in memory only)."""
    dialog = ConnectDialog(window.settings, window)
    dialog.accepted.connect(
        lambda: window.open_requested.emit(team_login.with_password(dialog.url, dialog.password))
    )
    dialog.open()
    return dialog


# --- who is signed in, and other people's changes ----------------------------------------


class TeamWatcher(QObject):
    """Polls the audit head of a team register; a change by someone else reloads the
    window like an own edit does: the page on screen now, the others when shown."""

    def __init__(self, window: MainWindow, interval_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.head = team_login.audit_head(window.service)
        self.last_change_by: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        # A closed window's register is disposed next (ui/app.py): stop polling it.
        window.installEventFilter(self)
        # Our own changes reload the window already; move the head past them.
        window.history.changed.connect(self._own_change)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.timer.stop()
        return False

    def _own_change(self) -> None:
        self.head = max(self.head, team_login.audit_head(self.window.service))

    def poll(self) -> bool:
        """True if someone else changed the register since the last poll."""
        try:
            head = team_login.audit_head(self.window.service)
            others = team_login.others_since(self.window.service, self.head) if head else []
        except StoreError:
            return False  # the server is away for a moment: try again next time
        changed = head != self.head and bool(others)
        self.head = head
        if changed:
            self.last_change_by = others
            self.window.reload()
            self.window.statusBar().showMessage(f"Changes by {', '.join(others)} loaded", 8000)
        return changed


@dataclass
class TeamStatus:
    label: QLabel  # "Signed in as …" (empty for a file); object name "signedIn"
    watcher: TeamWatcher | None  # None for a file; a child of the window


def install_team(window: MainWindow) -> TeamStatus:
    """The File menu's connect entry, and (on a team register) the status bar's
    "signed in as" label and the watcher (both the window's children: findChild)."""
    action = QAction("Connect to &team register…", window)
    action.setObjectName("actionConnectTeam")
    action.setStatusTip("Open a register shared on a PostgreSQL server")
    action.triggered.connect(lambda _checked=False: connect_to_team_register(window))
    file_actions = window.file_menu.actions()
    recent = window.recent_menu.menuAction()
    after = file_actions.index(recent) + 1 if recent in file_actions else len(file_actions)
    if after < len(file_actions):
        window.file_menu.insertAction(file_actions[after], action)
    else:
        window.file_menu.addAction(action)
    label = QLabel(window)
    label.setObjectName("signedIn")
    who = window.service.identity
    if who is not None:
        label.setText(f"Signed in as {who.signed_in}")
        label.setToolTip("Your database login, the person it is mapped to and your line")
    window.statusBar().addPermanentWidget(label)
    return TeamStatus(label, TeamWatcher(window) if who is not None else None)
