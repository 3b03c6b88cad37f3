"""Progress, cancellation and all-or-nothing output files shared by every export.

Exports run for seconds on a big register, in a worker thread in the GUI: they report
``progress(done, total)`` now and then and poll ``cancel()``; a cancelled or failed
export leaves nothing behind, because the file is written beside its destination under
a temporary name and moved into place only when complete (``os.replace`` is atomic on
one file system, so a reader never sees half a workbook).
"""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from riskdesk.progress import CancelFn, Cancelled, Progress, ProgressFn

__all__ = [
    "CancelFn",
    "ExportCancelled",
    "ExportError",
    "Progress",
    "ProgressFn",
    "atomic_file",
    "atomic_folder",
    "export_progress",
    "paused_gc",
]


PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class ExportCancelled(Cancelled):
    """The user cancelled; no output was written."""


class ExportError(Exception):
    """An export could not be written (the message says why, in plain words)."""


def export_progress(
    total: int,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    step: int = 500,
) -> Progress:
    """A ``Progress`` whose cancel raises ``ExportCancelled``."""
    return Progress(total, progress, cancel, step, ExportCancelled, "export cancelled")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk export.

    An export builds hundreds of thousands of short-lived rows and cells that form no
    reference cycles; the collector would walk them all again and again (about a tenth
    of a big board pack's time). It is switched back on afterwards, whatever happens.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"the folder {folder} does not exist")
    # Owner-only from the first byte: exports hold the register's personal data, and a
    # chmod after writing would leave a window (writers open this path, keeping the mode).
    tmp_path = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str], owned: set[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; swap it in only on success.

    An existing folder is replaced only if it holds nothing but files named in
    ``owned`` (an earlier export), so a mistyped ``--out`` cannot wipe someone's folder.
    """
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist")
    if target.exists():
        if not target.is_dir():
            raise ExportError(f"{target} exists and is not a folder")
        strangers = sorted(p.name for p in target.iterdir() if p.name not in owned)
        if strangers:
            named = ", ".join(strangers[:3]) + (", …" if len(strangers) > 3 else "")
            raise ExportError(
                f"{target} already holds other files ({named}); choose a new or empty folder"
            )
    tmp_path = parent / f".{target.name}.{secrets.token_hex(4)}.part"
    tmp_path.mkdir(PRIVATE_DIR)  # owner-only, like the files written into it
    try:
        yield tmp_path
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / "previous")
            os.replace(tmp_path, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp_path, target)
    except BaseException:
        shutil.rmtree(tmp_path, ignore_errors=True)
        raise
