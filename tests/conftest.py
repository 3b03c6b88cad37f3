"""Shared fixtures. Every test gets its own data folder and register file: the suite
never touches the real user folders.

Registers are built once per session (an empty migrated one, and the demo on top of
it) and file-copied for each test that asks for one, so every test still gets a fresh
register of its own without paying for migrations and the demo each time.
"""

from __future__ import annotations

import os

# Must be set before Qt is imported anywhere: without a display pytest-qt would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskdesk.service.register import RegisterService
from riskdesk.store.db import Register, open_register

if TYPE_CHECKING:  # Qt is imported by the GUI fixtures only, when a test asks for them
    from PySide6.QtCore import QSettings
    from pytestqt.qtbot import QtBot

    from riskdesk.ui.main_window import MainWindow

DEMO_TODAY = dt.date(2026, 11, 1)

pytest_plugins = ["tests.pg"]  # the private PostgreSQL server of the tests marked postgres


def dump(target: Path | RegisterService) -> list[str]:
    """Every row of every table as SQL text, read-only: equal dumps mean nothing was
    written (not a row, not an audit event). A register on the server is read row by
    row through its engine."""
    if isinstance(target, RegisterService) and not target.register.is_sqlite:
        return _server_dump(target)
    path = target.register.path if isinstance(target, RegisterService) else target
    assert path is not None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _server_dump(target: RegisterService) -> list[str]:
    from sqlalchemy import select

    from riskdesk.service import audit
    from riskdesk.service.team import _tables

    with target.engine.connect() as conn:
        return [
            f"{table.name} {audit.canonical(dict(row))}"
            for table in _tables(conn)
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        ]


# --- both databases: the modules marked ``both_databases`` run on SQLite and PostgreSQL --

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test of a module marked ``both_databases`` once per database, unless the
    test is marked ``sqlite_only(reason=…)`` (it needs the SQLite file itself)."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("both_databases") is None:
        return
    only = metafunc.definition.get_closest_marker("sqlite_only")
    if only is not None:
        reason = only.kwargs.get("reason", "")
        if not reason.strip():
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs a reason=")
        metafunc.parametrize("backend", ["sqlite"], indirect=True, ids=["sqlite-only"])
        return
    metafunc.parametrize(
        "backend",
        ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
        indirect=True,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend, for a migration test to upgrade step by step."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    server = request.getfixturevalue("pg_server")
    return str(server.url(server.new_database()))


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where ``register`` lives: "sqlite" (a file) unless the test is parametrised."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(data))
    monkeypatch.setenv("RISKDESK_DB", str(data / "register.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))


# --- registers --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal message box nobody expected would wait forever for a click (the suite
    hangs until the timeout); fail the test with its text instead. A test that expects
    one patches the function itself."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(kind: str) -> object:
        def show(*args: object, **_kwargs: object) -> None:
            texts = " — ".join(a for a in args if isinstance(a, str))
            raise AssertionError(f"unexpected QMessageBox.{kind}: {texts}")

        return staticmethod(show)

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, refuse(kind))


@pytest.fixture(scope="session")
def empty_register_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated, empty register; copy it, never open it in a test."""
    base = tmp_path_factory.mktemp("templates")
    path = base / "empty.db"
    with pytest.MonkeyPatch.context() as mp:  # building must not see the real folders
        mp.setenv("RISKDESK_DATA_DIR", str(base))
        mp.setenv("XDG_CONFIG_HOME", str(base / "config"))
        open_register(path).dispose()
    return path


@pytest.fixture(scope="session")
def demo_register_file(tmp_path_factory: pytest.TempPathFactory, empty_register_file: Path) -> Path:
    """The demo register as of ``DEMO_TODAY``, written by actor "tester"; copy it."""
    from riskdesk.demo import build_demo

    base = tmp_path_factory.mktemp("templates")
    path = base / "demo.db"
    shutil.copy(empty_register_file, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKDESK_DATA_DIR", str(base))
        mp.setenv("XDG_CONFIG_HOME", str(base / "config"))
        register = open_register(path)
        try:
            build_demo(RegisterService(register, actor="tester"), today=DEMO_TODAY)
        finally:
            register.dispose()  # checkpoints the WAL: the .db file alone is complete
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def register(request: pytest.FixtureRequest, db_path: Path, backend: str) -> Iterator[Register]:
    """A register of the test's own at ``db_path``: a copy of the session's demo register
    when the test (directly or through another fixture) uses ``demo_service``, else of
    the empty one. ``shutil.copy`` keeps the template's private file mode. On the
    ``postgresql`` backend: the private server's scratch database, put back to a
    snapshot (tests/pg.py), so no test migrates or creates a database."""
    demo = "demo_service" in request.fixturenames
    if backend == "postgresql":
        from tests.pg import scratch_register

        reg = scratch_register(request, demo)
        yield reg
        reg.dispose()
        return
    wanted = "demo_register_file" if demo else "empty_register_file"
    shutil.copy(request.getfixturevalue(wanted), db_path)
    reg = open_register(db_path)
    yield reg
    reg.dispose()


@pytest.fixture
def service(register: Register) -> RegisterService:
    return RegisterService(register, actor="tester")


@pytest.fixture
def demo_service(service: RegisterService) -> RegisterService:
    """``service`` on the demo register (``register`` copies the demo for it)."""
    # Requested only through getfixturevalue, after ``register`` chose the empty copy.
    assert service.count("ai_use"), "demo_service must be a fixture argument, not looked up late"
    return service


# --- the main window ----------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window_service(demo_service: RegisterService) -> RegisterService:
    """The register ``window`` shows; a test module overrides this for another one."""
    return demo_service


@pytest.fixture
def window(qtbot: QtBot, window_service: RegisterService, settings: QSettings) -> MainWindow:
    """The main window with every feature, shown, with its dashboard figures loaded (so
    no background read is still running when the test starts or ends)."""
    from riskdesk.ui.app import build_window

    win = build_window(window_service, settings)
    qtbot.addWidget(win)
    win.resize(1280, 900)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)
    # the rolling backup on open runs in its own thread: let it end here too
    qtbot.waitUntil(lambda: win.backup_jobs.number > 0 and not win.backup_jobs.running)
    return win
