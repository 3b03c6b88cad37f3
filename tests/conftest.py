"""Shared fixtures. Every test gets its own data folder and register file: the suite
never touches the real user folders."""

from __future__ import annotations

import os

# Must be set before Qt is imported anywhere: without a display pytest-qt would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskdesk.service.register import RegisterService
from riskdesk.store.db import Register, open_register

DEMO_TODAY = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(data))
    monkeypatch.setenv("RISKDESK_DB", str(data / "register.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def register(db_path: Path) -> Iterator[Register]:
    reg = open_register(db_path)
    yield reg
    reg.dispose()


@pytest.fixture
def service(register: Register) -> RegisterService:
    return RegisterService(register, actor="tester")


@pytest.fixture
def demo_service(service: RegisterService) -> RegisterService:
    from riskdesk.demo import build_demo

    build_demo(service, today=DEMO_TODAY)
    return service
