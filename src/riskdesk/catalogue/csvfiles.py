"""Reading the catalogue's CSV files, with errors that name the file, row and column.

Users edit these files in Excel or LibreOffice, so the reader accepts what those
write: UTF-8 with or without a byte-order mark, Windows-1252 (Excel's plain "CSV"),
and ``;`` or tab as the separator (Excel in many European locales). Rows are
numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


class CatalogueFileError(ValueError):
    """A catalogue file cannot be used; says where, so the user can fix it."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.detail = message
        where = [str(self.path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Table:
    """A CSV file read into normalised column names and numbered rows."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (spreadsheet row number, cells)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> Exception:
        return CatalogueFileError(self.path, message, row=row, column=column)


def normalise_header(name: str) -> str:
    """'Item Ref ' / 'item-ref' / 'ITEM_REF' all become 'item_ref'."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold()).strip("_")


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows; every byte decodes, so this cannot fail
        # except on the five undefined code points.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise CatalogueFileError(
                path, "is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8'"
            ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(
    path: str | Path,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    allow_extra: bool = False,
) -> Table:
    """Read ``path``; check that ``required`` columns are present.

    ``aliases`` maps other header names (already normalised) to canonical ones.
    Unknown columns are an error unless ``allow_extra``; blank rows are skipped and
    every cell is stripped of surrounding whitespace.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except OSError as exc:
        raise CatalogueFileError(path, f"cannot be read ({exc.strerror or exc})") from exc
    text = _decode(path, raw)
    first_line = text.split("\n", 1)[0]
    # strict: an unclosed quote must not silently swallow the rest of the file.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise CatalogueFileError(
            path, f"is not valid CSV ({exc}; check the quotes)", row=len(records) + 1
        ) from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise CatalogueFileError(path, "is empty: the first row must name the columns")

    aliases = dict(aliases or {})
    required = tuple(required)
    known = set(required) | set(optional)
    columns: list[str] = []
    for position, header in enumerate(records[0], start=1):
        name = normalise_header(header)
        name = aliases.get(name, name)
        if not name:
            raise CatalogueFileError(path, f"column {position} has no name", row=1)
        if name in columns:
            raise CatalogueFileError(path, "appears twice in the header", row=1, column=name)
        if name not in known and not allow_extra:
            allowed = ", ".join([*required, *optional])
            raise CatalogueFileError(
                path, f"is not a known column (allowed: {allowed})", row=1, column=header.strip()
            )
        columns.append(name)
    missing = [c for c in required if c not in columns]
    if missing:
        raise CatalogueFileError(
            path,
            f"missing required column(s): {', '.join(missing)} (found: {', '.join(columns)})",
            row=1,
        )

    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
            raise CatalogueFileError(
                path,
                f"has {len(record)} cells but the header names {len(columns)} columns "
                "(a value with a comma needs quotes)",
                row=number,
            )
        cells = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(columns)
        }
        rows.append((number, cells))
    return Table(path=path, columns=tuple(columns), rows=tuple(rows))


def parse_int(table: Table, row: int, column: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise table.error(f"{value!r} is not a whole number", row, column) from None
    if not low <= number <= high:
        raise table.error(f"{number} is outside {low}–{high}", row, column)
    return number
