"""Reading CSV or other delimited text into a ``RawTable``.

The encoding (UTF-8 with or without a byte-order mark, UTF-16, Windows-1252) and the
delimiter (comma, semicolon, tab or bar) are found from the content; a PDF, web page or
binary file is refused with a message saying what it is, and a quote that never
closes is named instead of swallowing the rest of the file into one cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from openpyxl.utils import get_column_letter

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.limits import check_rows
from riskdesk.importers.raw_table import (
    HEADER_SCAN_ROWS,
    INVISIBLE,
    Cell,
    HeaderTest,
    RawTable,
    build_table,
    clean_row,
    file_error,
    find_header,
    header_text,
)

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 65_536
# A quoted CSV field up to its closing quote ("" inside is a quote); possessive, so a
# quote that never closes costs one pass, not backtracking.
_QUOTED = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A UTF-16 mark on bytes that are not UTF-16 (odd length, lone surrogates):
        # UnicodeDecodeError, which read_table's guard turns into one line.
        return data.decode("utf-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM on a file that is not UTF-8 after all: try the others
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # never fails: every byte is a character


def _not_a_table_reason(text: str) -> str | None:
    head = text[:4096].lstrip(INVISIBLE + " \t\r\n").lower()
    if head.startswith("%pdf"):
        return "this is a PDF document, not a spreadsheet"
    if head.startswith(("<!doctype html", "<html", "<table")):
        return (
            "this is a web page (HTML), not a spreadsheet; open it in Excel and save it as "
            "an Excel Workbook (.xlsx) or as CSV"
        )
    if head.startswith("{\\rtf"):
        return "this is a Rich Text document, not a spreadsheet"
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    if "\x00" in head or controls > len(head) // 100:
        return "this is not a spreadsheet or a CSV/text table (it holds binary data)"
    return None


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the first records into the most, most consistent, columns."""
    sample = text[:_SNIFF_CHARS]
    cut = len(text) > _SNIFF_CHARS
    best, best_score = ",", 0.0
    for delimiter in _DELIMITERS:
        if delimiter not in sample:
            continue
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:50]
        if cut and len(records) > 1:
            records = records[:-1]  # the sample may have cut the last record short
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        score = mode * widths.count(mode) / len(widths)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text(path: Path, known_header: HeaderTest | None) -> RawTable:
    data = path.read_bytes()
    text, encoding = _decode(data)
    reason = _not_a_table_reason(text)
    if reason:
        raise file_error(path, reason)
    if not text.strip(INVISIBLE + " \t\r\n"):
        raise file_error(path, "the file is empty")
    delimiter = _sniff_delimiter(text)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text)))  # long free-text cells are fine
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last = _LastRecord()
    try:
        grid = list(check_rows(path, None, last.track(reader)))
    except csv.Error as exc:
        raise file_error(path, f"line {reader.line_num} cannot be read as CSV ({exc})") from exc
    except ImportFileError:
        # A never-closed quote makes one giant cell, which trips the cell limit first;
        # the quote is the cause worth naming.
        _refuse_unclosed_quote(path, text, delimiter, last, known_header)
        raise
    finally:
        csv.field_size_limit(old_limit)
    _refuse_unclosed_quote(path, text, delimiter, last, known_header)
    table = build_table(grid, path, None, known_header)
    table.encoding, table.delimiter = encoding, delimiter
    return table


class _CsvReader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...


class _LastRecord:
    """The record the CSV reader is on: its raw fields, row and first physical line."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.row = 0
        self.line = 1
        self.head: list[list[Cell]] = []  # the first rows, where the header is

    def track(self, reader: _CsvReader) -> Iterator[list[Cell]]:
        next_line = 1
        for self.row, record in enumerate(reader, 1):
            self.fields, self.line = record, next_line
            next_line = reader.line_num + 1
            cleaned = clean_row(record)
            if self.row <= HEADER_SCAN_ROWS:
                self.head.append(cleaned)
            yield cleaned


def _unclosed_quote_column(tail: str, delimiter: str) -> int | None:
    """Index of the field in ``tail``'s first record whose opening quote never closes.

    Follows the csv module's lenient rules: only a quote that starts a field opens
    one, ``""`` inside is a quote, and after the closing quote the field runs on
    unquoted to the next delimiter or line break.
    """
    rest = re.compile(f"[^{re.escape(delimiter)}\r\n]*+")
    pos, column, end = 0, 0, len(tail)
    while pos < end:
        if tail[pos] == '"':
            closed = _QUOTED.match(tail, pos)
            if closed is None:
                return column
            pos = closed.end()
        pos = rest.match(tail, pos).end()  # type: ignore[union-attr]  # * always matches
        if pos >= end or tail[pos] in "\r\n":
            return None
        pos, column = pos + 1, column + 1
    return None


def _refuse_unclosed_quote(
    path: Path,
    text: str,
    delimiter: str,
    last: _LastRecord,
    known_header: HeaderTest | None,
) -> None:
    """Raise if the reader ran to the end of the file inside a quoted field.

    The csv module then silently makes the rest of the file one cell, merging every
    later row into it. Only a record holding a line break can have done that, so the
    exact scan runs only on such a (last) record.
    """
    if not any("\n" in f or "\r" in f for f in last.fields):
        return
    offset = 0
    lines = io.StringIO(text, newline="")  # the line splitting the reader used
    for _ in range(last.line - 1):
        offset += len(lines.readline())
    column = _unclosed_quote_column(text[offset:], delimiter)
    if column is None:
        return
    column_name = None
    found = find_header(last.head[: last.row - 1], known_header)
    if found is not None:
        header = last.head[found[0]]
        if column < len(header) and header[column] is not None:
            column_name = header_text(header[column], get_column_letter(column + 1))
    raise ImportFileError(
        ImportProblem(
            file=path.name,
            row=last.row,
            column=column_name,
            column_letter=get_column_letter(column + 1),
            reason=(
                f"a quote opened in this cell (the row starts on line {last.line} of the file) "
                "is never closed: the rest of the file would be read as one cell; close the "
                "quote or remove it"
            ),
        )
    )
