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
ANCHORS_FILENAME = "chain-anchors.json"
# Folders riskdesk creates hold registers and backups (personal data): owner-only.
PRIVATE_DIR = 0o700


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """Create ``path`` owner-only from the start (``mkdir`` with a mode, not a chmod
    afterwards); ``tighten`` also closes an existing folder that riskdesk owns."""
    path.mkdir(PRIVATE_DIR, parents=True, exist_ok=True)
    if tighten:
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_DIR)
        except OSError:  # not ours to change (read-only media): it still works
            pass
    return path


def data_dir() -> Path:
    """The per-user data folder (created on first use, owner-only)."""
    override = os.environ.get("RISKDESK_DATA_DIR")
    if override:
        # A folder the user chose: created private, but an existing one is theirs.
        return private_dir(Path(override))
    import platformdirs

    return private_dir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)), tighten=True)


def default_db_target() -> str:
    """``--db`` fallback: ``RISKDESK_DB`` if set, else register.db in the data folder."""
    return os.environ.get("RISKDESK_DB") or str(data_dir() / DB_FILENAME)


def backups_dir() -> Path:
    return private_dir(data_dir() / "backups", tighten=True)


def anchors_file() -> Path:
    """Where this machine records each register's newest audit event (store/anchors.py)."""
    return data_dir() / ANCHORS_FILENAME


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
