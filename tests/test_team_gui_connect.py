"""File ▸ Connect to team register…: the password comes from (and goes to) the OS
keyring, never the settings; the window says who is signed in; other people's changes
appear on the next poll of the audit head. A real test server, a login that needs its
password (scram), and an in-memory keyring backend set in code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from riskdesk.cli.main import main
from riskdesk.service import team_login
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from riskdesk.ui.dialogs.connect import URL_SETTING, ConnectDialog, TeamWatcher
from tests.pg import PgServer

pytestmark = pytest.mark.postgres

PASSWORD = "correct horse 20"


class MemoryKeyring(KeyringBackend):
    """The OS keyring's stand-in: what riskdesk saved, and nothing on disk."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def team_url(pg_server: PgServer, pg_url: str) -> str:
    """A team register with a use; "gui_ada" (1st line, person Ada) needs a password.
    Returns her URL, without the password."""
    assert main(["team", "init", "--db", pg_url]) == 0
    pg_server.sql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gui_ada') THEN "
        f"CREATE ROLE gui_ada LOGIN PASSWORD '{PASSWORD}' IN ROLE riskdesk_first_line; "
        "END IF; END $$"
    )
    pg_server.require_password("gui_ada")
    admin = RegisterService(open_register(pg_url), actor="postgres")
    try:
        ada = admin.create("person", {"name": "Ada", "default_line": "first"})
        admin.create("ai_use", {"name": "Screening", "owner_first_id": ada})
    finally:
        admin.register.dispose()
    assert main(["team", "map", "gui_ada", str(ada), "--db", pg_url]) == 0
    return pg_url.replace("postgresql://postgres@", "postgresql://gui_ada@")


def test_connect_saves_the_password_in_the_keyring_only(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, team_url: str, memory_keyring: MemoryKeyring
) -> None:
    dialog = ConnectDialog(settings)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.url_edit.setText(team_url)
    dialog.password_edit.setText("not it")
    dialog.connect_now()
    assert not dialog.error.isHidden() and "password authentication failed" in dialog.error.text()
    assert dialog.result() == 0 and memory_keyring.saved == {}

    dialog.password_edit.setText(PASSWORD)
    dialog.connect_now()
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert dialog.who is not None and dialog.who.signed_in == "gui_ada (Ada, 1st line)"
    filed_as = team_login.without_password(team_url)  # the URL, normalised, no password
    assert memory_keyring.saved == {("riskdesk", filed_as): PASSWORD}
    settings.sync()
    stored = Path(settings.fileName()).read_text()
    assert PASSWORD not in stored and settings.value(URL_SETTING) == filed_as

    # Next time: the URL is filled in and the keyring answers for the password.
    again = ConnectDialog(settings)
    qtbot.addWidget(again)
    assert again.url_edit.text() == filed_as and again.password_edit.text() == ""
    again.connect_now()
    assert again.result() == ConnectDialog.DialogCode.Accepted and again.password == PASSWORD


def test_the_fields_make_the_url(qtbot: QtBot, settings: QSettings) -> None:
    dialog = ConnectDialog(settings)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(0)
    dialog.host.setText("db.district.example")
    dialog.port.setValue(5433)
    dialog.database.setText("riskdesk")
    dialog.user.setText("ada")
    assert dialog.typed_url() == "postgresql://ada@db.district.example:5433/riskdesk"
    dialog.database.setText("")
    dialog.connect_now()
    assert "Give the database and the login" in dialog.error.text()


@pytest.fixture
def window_service(team_url: str, memory_keyring: MemoryKeyring) -> Iterator[RegisterService]:
    """The window's register: the team register, signed in as gui_ada."""
    service = RegisterService(open_register(team_login.with_password(team_url, PASSWORD)))
    yield service
    service.register.dispose()


def test_the_window_says_who_you_are_and_shows_other_peoples_changes(
    qtbot: QtBot, window: object, window_service: RegisterService, pg_url: str
) -> None:
    from riskdesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    label = window.findChild(QLabel, "signedIn")
    assert label is not None and label.text() == "Signed in as gui_ada (Ada, 1st line)"
    watcher = window.findChild(TeamWatcher)
    assert watcher is not None and watcher.timer.isActive()
    assert "actionConnectTeam" in [a.objectName() for a in window.file_menu.actions()]

    window.show_page("uses")
    model = window.pages["uses"].model  # type: ignore[attr-defined]

    def names() -> list[str]:
        return [model.index(r, 1).data() for r in range(model.rowCount())]

    assert names() == ["Screening"]
    window_service.update("ai_use", 1, {"kill_switch": "Gateway"})  # her own change
    window.reload()
    assert watcher.poll() is False  # nobody else changed anything

    colleague = RegisterService(open_register(pg_url), actor="postgres")
    try:
        colleague.create("ai_use", {"name": "Essay grading"})
    finally:
        colleague.register.dispose()
    assert names() == ["Screening"]  # not yet: the window learns of it on the next poll
    assert watcher.poll() is True and watcher.last_change_by == ["postgres"]
    assert sorted(names()) == ["Essay grading", "Screening"]  # the visible page reloaded
    assert "uses" not in window.stale and "risks" in window.stale
    window.show_page("risks")
    assert "risks" not in window.stale  # reloaded when shown
    assert watcher.poll() is False

    # The timer does the polling by itself.
    window.show_page("uses")
    colleague = RegisterService(open_register(pg_url), actor="postgres")
    try:
        colleague.create("ai_use", {"name": "Timetabling"})
    finally:
        colleague.register.dispose()
    watcher.timer.setInterval(50)
    qtbot.waitUntil(lambda: len(names()) == 3, timeout=5000)
    window.close()
    assert not watcher.timer.isActive()  # a closed window's register is disposed next


def test_the_controller_opens_the_connected_register_as_the_login(
    qtbot: QtBot, settings: QSettings, team_url: str, memory_keyring: MemoryKeyring
) -> None:
    """What the dialog hands over (the URL with the password, in memory only) opens a
    window whose changes are recorded under the login, not a display name."""
    from riskdesk.ui.app import Controller

    controller = Controller(settings, first_run=False)
    window = controller.open(team_login.with_password(team_url, PASSWORD))
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.dashboard_page.data is not None, timeout=10_000)
    assert window.service.actor == "gui_ada"
    window.service.update("ai_use", 1, {"kill_switch": "Gateway"})
    assert window.service.rows("audit_event")[-1]["actor"] == "gui_ada"
    assert settings.value("recentFiles") in (None, [], "")  # no URL among recent files
    window.close()
    window.service.register.dispose()
