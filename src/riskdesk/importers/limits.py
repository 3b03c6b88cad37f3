"""How much an import reads at most, checked before and while reading, never after.

A hostile or broken file must not make riskdesk hang or eat the machine's memory: a
named pipe that never ends, a 1.6 MB workbook that unpacks to 1.5 GB of whitespace, a
million rows. The defaults fit any real inventory (the largest OMB inventory has about
2,100 rows and 70 columns) and can be raised for one import (``riskdesk import
--max-rows`` …) with ``read_limits``.

- **the file** must be a regular file (not a pipe, device or socket), at most
  ``file_bytes`` long;
- **a zip** (xlsx, or riskdesk's CSV tables) may unpack to at most ``unpacked_bytes``
  in all, as its directory states (Python's zip reader never yields more than stated),
  and its members must be neither encrypted nor compressed in a way Python cannot read;
- **rows** with something in them: at most ``rows`` per sheet; **columns** in use: at
  most ``columns``; **characters** in a cell: at most ``cell_chars``.

The limits bound work and memory; they are not the register's rules (text over 100,000
characters or a name over 300 is a problem in its row, found by the service).
"""

from __future__ import annotations

import csv
import os
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

from riskdesk.importers.errors import ImportFileError, ImportProblem

MIB = 1024 * 1024
Row = TypeVar("Row", bound=Sequence[object])
_READABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


@dataclass(frozen=True)
class ReadLimits:
    file_bytes: int = 100 * MIB
    unpacked_bytes: int = 512 * MIB
    rows: int = 200_000
    columns: int = 500
    # Ten times the longest text the register stores: longer text is still read and
    # reported as a problem in its row (skippable); only an absurd cell stops the file.
    cell_chars: int = 1_000_000


_LIMITS: ContextVar[ReadLimits] = ContextVar(
    "riskdesk_read_limits",
    default=ReadLimits(),  # noqa: B039 - frozen: the shared default is never changed
)


def current_limits() -> ReadLimits:
    return _LIMITS.get()


@contextmanager
def read_limits(limits: ReadLimits) -> Iterator[ReadLimits]:
    """Read with ``limits`` inside the block (this thread or task only)."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def _error(
    path: Path,
    reason: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column_letter: str | None = None,
) -> ImportFileError:
    problem = ImportProblem(path.name, reason, sheet, row, None, column_letter)
    return ImportFileError(problem)


# Everything reading a damaged or hostile file can raise, from the standard library,
# openpyxl and the csv module: turned into one line about the file by ``guarded``.
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,  # an encrypted zip member
    NotImplementedError,  # a compression method zipfile lacks (Deflate64)
    UnicodeError,
    OverflowError,
    MemoryError,
    RecursionError,
    csv.Error,
    ElementTree.ParseError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
)


@contextmanager
def guarded(path: Path) -> Iterator[None]:
    """Whatever goes wrong reading ``path`` ends as one ``ImportFileError`` line."""
    try:
        yield
    except ImportFileError:
        raise
    except READ_ERRORS as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        reason = f"the file cannot be read: it is damaged or not what it seems ({detail})"
        raise _error(path, reason) from exc


def check_file(path: Path) -> None:
    """Refuse, before opening it, anything but a regular file of a sensible size.

    Opening a named pipe blocks until someone writes to it, and a device such as
    /dev/zero never ends, so the type is checked from ``stat`` alone.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise _error(path, "the file does not exist") from exc
    except (OSError, ValueError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise _error(path, f"the file cannot be read ({detail})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise _error(path, "this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _error(
            path, "this is not a regular file (a pipe, device or socket); riskdesk reads only files"
        )
    limit = current_limits().file_bytes
    if info.st_size > limit:
        raise _error(
            path,
            f"the file is {info.st_size / MIB:,.0f} MB, more than the {limit / MIB:,.0f} MB "
            "riskdesk reads (raise the limit with --max-mb if the file is genuine)",
        )


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a zip that unpacks too large, or that Python cannot unpack, before reading it."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise _error(
                path,
                f"{info.filename} inside the file is encrypted (password-protected), so it "
                "cannot be read; save an unprotected copy to import",
            )
        if info.compress_type not in _READABLE:
            raise _error(
                path,
                f"{info.filename} inside the file is compressed in a way riskdesk cannot read "
                f"(method {info.compress_type}, e.g. Deflate64); save the file again with "
                "Excel, or zip it again with ordinary compression",
            )
        total += info.file_size
    limit = current_limits().unpacked_bytes
    if total > limit:
        raise _error(
            path,
            f"the file unpacks to {total / MIB:,.0f} MB, more than the {limit / MIB:,.0f} MB "
            "riskdesk reads (raise the limit with --max-mb if the file is genuine)",
        )


def check_rows(path: Path, sheet: str | None, rows: Iterable[Row]) -> Iterator[Row]:
    """Pass ``rows`` through, stopping at the first that breaks a limit.

    Checked as the rows stream in, so a huge sheet is refused before it is held in
    memory. Blank rows count toward nothing (formatting often reaches row 1,048,576).
    """
    limits = current_limits()
    longest = limits.cell_chars
    filled = 0
    for number, row in enumerate(rows, 1):
        width = len(row)
        while width and (row[width - 1] is None or row[width - 1] == ""):
            width -= 1
        if width:
            filled += 1
            if filled > limits.rows:
                raise _error(
                    path,
                    f"more than {limits.rows:,} rows: riskdesk reads at most that many (raise "
                    "the limit with --max-rows if the file is genuine)",
                    sheet=sheet,
                    row=number,
                )
            if width > limits.columns:
                raise _error(
                    path,
                    f"more than {limits.columns:,} columns in use: riskdesk reads at most that "
                    "many (raise the limit with --max-columns if the file is genuine)",
                    sheet=sheet,
                    row=number,
                    column_letter=get_column_letter(min(limits.columns + 1, 18_278)),
                )
            for index in range(width):
                value = row[index]
                if isinstance(value, str) and len(value) > longest:
                    raise _error(
                        path,
                        f"the cell holds {len(value):,} characters, more than the {longest:,} "
                        "riskdesk reads (raise the limit with --max-cell if it is genuine)",
                        sheet=sheet,
                        row=number,
                        column_letter=get_column_letter(min(index + 1, 18_278)),
                    )
        yield row
