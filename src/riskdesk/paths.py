"""Where riskdesk keeps and finds things.

Nothing here runs at import time: ``main()`` asks for the paths, and tests point
``RISKDESK_DATA_DIR`` / ``RISKDESK_DB`` at a temporary folder so the suite never
touches the real user folders.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

APP_NAME = "riskdesk"
DB_FILENAME = "register.db"


def data_dir() -> Path:
    """The per-user data folder (created on first use)."""
    override = os.environ.get("RISKDESK_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_target() -> str:
    """``--db`` fallback: ``RISKDESK_DB`` if set, else register.db in the data folder."""
    return os.environ.get("RISKDESK_DB") or str(data_dir() / DB_FILENAME)


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _package_dir(package: str, fallback: str) -> Path:
    # Frozen (PyInstaller): data files are collected under sys._MEIPASS/riskdesk/.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "riskdesk" / fallback
    return Path(str(resources.files(package)))


def resource_path(*parts: str) -> Path:
    """A file under ``resources/`` — installed, editable or frozen alike."""
    return _package_dir("riskdesk.resources", "resources").joinpath(*parts)


def form_path(name: str) -> Path:
    """A Designer ``.ui`` file under ``forms/``."""
    return _package_dir("riskdesk.forms", "forms") / name
