"""One cell of an export to its value, exactly as the exporter wrote it (strict reading)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from riskdesk.fileformat.sheets import Column
from riskdesk.values import BadValue, parse_bool, parse_date, parse_datetime, parse_int

_ID_LIST = re.compile(r"[\s,;]+")


def to_int(value: Any) -> int:
    number = parse_int(value, strict=True).value
    assert isinstance(number, int)
    return number


def to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def to_datetime(value: Any) -> dt.datetime:
    stamp = parse_datetime(value).value
    assert isinstance(stamp, dt.datetime)
    return stamp


def _to_ids(value: Any) -> list[int]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [to_int(value)]
    parts = [p for p in _ID_LIST.split(str(value)) if p]
    try:
        return list(dict.fromkeys(to_int(p) for p in parts))
    except BadValue:
        raise BadValue(f'"{value}" is not a list of ids like "3, 7, 12"') from None


def convert(column: Column, value: Any) -> Any:
    kind = column.kind
    if kind in ("id", "ref", "int"):
        return to_int(value)
    if kind in ("text", "long", "name"):
        return to_text(value)
    if kind == "enum":
        assert column.enum is not None
        try:
            return column.enum.parse(value).value
        except ValueError as exc:
            raise BadValue(str(exc)) from None
    if kind in ("bool", "optbool"):
        return parse_bool(value, strict=True).value
    if kind == "date":
        return parse_date(value, strict=True).value
    if kind == "datetime":
        return to_datetime(value)
    if kind == "ids":
        return _to_ids(value)
    raise AssertionError(kind)


def empty_value(column: Column) -> tuple[bool, Any]:
    """(set the field?, value) for an empty cell: text empties, optional values None."""
    if column.kind in ("text", "long"):
        return True, ""
    if column.kind in ("optbool", "date", "ref", "id"):
        return True, None
    if column.kind == "int" and column.field.startswith("target_"):
        return True, None  # an optional score
    return False, None  # the service's default


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
