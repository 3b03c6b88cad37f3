"""Turning each row of a table into field values with a ``Mapping``.

Each answer is translated (the column's value map), then parsed for its field; what
cannot be read is a problem or a warning located at its file, sheet, row and column.
Rows that are notes or that a skip rule names are kept, marked, so the count adds up;
rows naming the same use twice are flagged, never merged.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import defaultdict
from dataclasses import dataclass

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.fields import (
    FACTOR_FIELDS,
    FIELDS,
    NOT_STATED_FIELDS,
    REQUIRED_FIELD,
    UNKNOWN,
    VALUE_SYNONYMS,
    FieldSpec,
    Kind,
)
from riskdesk.importers.mapping import WILDCARD, ColumnMap, MappedRow, Mapping
from riskdesk.importers.tables import Cell, RawRow, RawTable
from riskdesk.importers.values import (
    BadValue,
    Parsed,
    describe,
    header_key,
    is_ambiguous_range,
    is_null,
    number_in_text,
    parse_bool,
    parse_date,
    parse_enum,
    parse_impact,
    parse_int,
    squash,
    value_key,
)

__all__ = ["apply_mapping", "check_mapping"]

_SHORT_JOIN = " / "
_LONG_JOIN = "\n\n"


@dataclass(slots=True)
class _Column:
    index: int
    header: str
    column: ColumnMap | None
    spec: FieldSpec | None
    translate: dict[str, str | None]
    cache: dict[tuple[type, Cell], Parsed | BadValue]


def _resolve(table: RawTable, mapping: Mapping) -> list[_Column]:
    by_key = {header_key(h): c for h, c in mapping.columns.items()}
    columns = []
    for index, header in enumerate(table.headers):
        column = mapping.columns.get(header) or by_key.get(header_key(header))
        spec = FIELDS.get(column.field) if column and column.field else None
        translate = {value_key(k): v for k, v in column.translate.items()} if column else {}
        if column and WILDCARD in column.translate:
            translate[WILDCARD] = column.translate[WILDCARD]
        columns.append(_Column(index, header, column, spec, translate, {}))
    return columns


def check_mapping(table: RawTable, mapping: Mapping) -> list[ImportProblem]:
    """Warnings about the mapping against this file (columns it expects but lacks…)."""
    mapping.validate()
    present = {header_key(h) for h in table.headers}
    warnings = [
        table.problem(f'the mapping expects a column "{header}", which this file does not have')
        for header, column in mapping.columns.items()
        if column.field and header not in table.headers and header_key(header) not in present
    ]
    by_field: dict[str, list[str]] = defaultdict(list)
    for column in _resolve(table, mapping):
        if column.spec and column.spec.kind in (Kind.INT, Kind.DATE, Kind.ENUM):
            by_field[column.column.field].append(column.header)  # type: ignore[union-attr, index]
    for name, headers in by_field.items():
        if len(headers) > 1:
            listed = " and ".join(f'"{h}"' for h in headers)
            warnings.append(
                table.problem(
                    f"columns {listed} both fill {FIELDS[name].label}: "
                    "the first non-empty value in each row is used"
                )
            )
    return warnings


def _as_text(value: Cell, long: bool) -> str:
    if isinstance(value, str):
        return value if long else squash(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _parse(spec: FieldSpec, value: Cell, mapping: Mapping) -> Parsed:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        text = _as_text(value, kind is Kind.LONG_TEXT)
        return Parsed(None if is_null(text, soft=False) else text)
    if kind is Kind.INT:
        return parse_int(value)
    if kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):
        return parse_bool(value)
    if kind is Kind.DATE:
        return parse_date(
            value,
            day_first=mapping.date_order == "dmy",
            fy_start_month=mapping.fiscal_year_start_month,
        )
    if kind is Kind.ENUM:
        assert spec.enum is not None
        return parse_enum(spec.enum, value, VALUE_SYNONYMS.get(spec.enum))
    return parse_impact(value)


def _convert(column: _Column, value: Cell, mapping: Mapping) -> Parsed | BadValue:
    """Translate, then parse; remembered per distinct answer (answers repeat a lot).

    A ``BadValue`` is returned, not raised: a remembered one is shared by many rows.
    """
    assert column.spec is not None
    key = (type(value), value)
    hit = column.cache.get(key)
    if hit is None:
        target: Cell = value
        if column.translate:
            answer = value_key(value)
            if answer in column.translate or WILDCARD in column.translate:
                target = column.translate.get(answer, column.translate.get(WILDCARD))
        factor = column.column is not None and column.column.field in FACTOR_FIELDS
        try:
            if target in (None, "") or (isinstance(target, str) and value_key(target) == UNKNOWN):
                hit = Parsed(None)  # the value map says: this answer tells nothing
            elif factor and column.spec.kind is Kind.INT and is_ambiguous_range(target):
                raise BadValue(f"{describe(target)} is ambiguous (is its low end 10 or 10,000?)")
            else:
                hit = _parse(column.spec, target, mapping)
        except BadValue as exc:
            hit = exc
            if factor and column.spec.kind is Kind.INT and isinstance(target, str):
                try:  # "Yes - approx 2,400 students": the one number in the text
                    hit = number_in_text(target)
                except BadValue as inner:
                    hit = exc if is_ambiguous_range(target) else inner
        if column.spec.kind is not Kind.LONG_TEXT:  # paragraphs rarely repeat
            column.cache[key] = hit
    return hit


def _jsonable(value: Cell) -> object:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _join(spec: FieldSpec, parts: list[tuple[str, str]]) -> str:
    if spec.kind is Kind.LONG_TEXT:
        labelled = [f"{label}: {text}" if label else text for label, text in parts]
        return _LONG_JOIN.join(dict.fromkeys(labelled))
    unique: dict[str, str] = {}
    for _label, text in parts:
        unique.setdefault(text.casefold(), text)  # "DHS / DHS" says it once
    return _SHORT_JOIN.join(unique.values())


def _map_row(
    table: RawTable, row_number: int, cells: list[Cell], columns: list[_Column], mapping: Mapping
) -> MappedRow:
    mapped = MappedRow(row_number)
    values = mapped.values
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for column in columns:
        raw = cells[column.index]
        if raw is None:
            if column.spec and (row_number, column.index) in table.formulas:
                mapped.warnings.append(
                    table.problem(
                        _formula_reason(table, row_number, column.index, "it was read as empty"),
                        row_number,
                        column.index,
                    )
                )
            continue
        spec, cmap = column.spec, column.column
        if spec is None or cmap is None:
            mapped.extra[column.header] = _jsonable(raw)
            continue
        if cmap.keep_original:
            mapped.extra[column.header] = _jsonable(raw)
        parsed = _convert(column, raw, mapping)
        if isinstance(parsed, BadValue):
            if cmap.field in FACTOR_FIELDS or cmap.field in NOT_STATED_FIELDS:
                # An answer nobody can read is an unanswered question, not a rejected row
                # and not the lowest level (nor the old default).
                left = "unknown" if cmap.field in FACTOR_FIELDS else "not stated"
                mapped.warnings.append(
                    table.problem(
                        f"{parsed.reason}; {spec.label} is left {left} (map this answer "
                        "in the column mapping's value map to set it)",
                        row_number,
                        column.index,
                    )
                )
                mapped.extra[column.header] = _jsonable(raw)
            elif cmap.on_unknown == "warn":
                mapped.warnings.append(
                    table.problem(
                        f"{parsed.reason}; {spec.label} was left as it is",
                        row_number,
                        column.index,
                    )
                )
                mapped.extra[column.header] = _jsonable(raw)
            else:
                mapped.problems.append(table.problem(parsed.reason, row_number, column.index))
            continue
        if parsed.note:
            mapped.warnings.append(table.problem(parsed.note, row_number, column.index))
        value = parsed.value
        if value is None:
            continue
        name = cmap.field
        assert name is not None
        if spec.kind in (Kind.TEXT, Kind.LONG_TEXT):
            texts[name].append((cmap.label, str(value)))
        elif spec.kind is Kind.IMPACT:
            rights, safety = typing.cast(tuple[bool, bool], value)
            values["rights_impacting"] = bool(values.get("rights_impacting")) or rights
            values["safety_impacting"] = bool(values.get("safety_impacting")) or safety
        elif spec.kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):  # any column saying yes
            values[name] = bool(values.get(name)) or bool(value)
        else:
            values.setdefault(name, value)
    for name, parts in texts.items():
        values[name] = _join(FIELDS[name], parts)
    return mapped


def _skip_reason(cells: list[Cell], skips: list[tuple[int, str, set[str]]]) -> str | None:
    for index, header, answers in skips:
        raw = cells[index]
        if raw is None:
            if "" in answers:
                return f'"{header}" is empty'
        elif value_key(raw) in answers:
            return f'"{header}" is "{squash(str(raw))}"'
    return None


def _note_row(table: RawTable, row: RawRow, name_columns: list[int]) -> str | None:
    """A lone cell under a wide table without a name ("Source: …") is a note, not a use."""
    cells = row.values
    filled = sum(1 for v in cells if v is not None)
    if table.formulas:  # a formula without its value is content, just not saved
        filled += sum(1 for i in range(len(cells)) if (row.number, i) in table.formulas)
    named = any(cells[i] is not None or (row.number, i) in table.formulas for i in name_columns)
    if len(cells) > 2 and filled <= 1 and not named:
        return "no name and only one filled cell: a note, not an AI use"
    return None


def _formula_reason(table: RawTable, row: int, column: int, consequence: str) -> str:
    formula = table.formulas[(row, column)]
    if len(formula) > 60:
        formula = formula[:59] + "…"
    what = f"a formula ({formula})" if formula else "a formula"
    return (
        f"the cell holds {what} with no value saved, and riskdesk does not run formulas, so "
        f"{consequence}; in Excel, copy the column and paste it back as values, then save"
    )


def _check_name(
    table: RawTable, mapped: MappedRow, name_columns: list[int], mapping: Mapping
) -> None:
    if mapped.values.get(REQUIRED_FIELD):
        return
    formula_at = next((i for i in name_columns if (mapped.source_row, i) in table.formulas), None)
    if formula_at is not None:
        # The name is there in Excel, just not saved in the file: an error even where
        # unnamed rows are allowed, since "Unnamed use" would lose it. The column's own
        # warning says the same thing, so it goes.
        mapped.warnings = [w for w in mapped.warnings if w.column != table.headers[formula_at]]
        mapped.problems.append(
            table.problem(
                _formula_reason(table, mapped.source_row, formula_at, "the name is unknown"),
                mapped.source_row,
                formula_at,
            )
        )
        return
    name_index = name_columns[0]
    if mapping.unnamed == "warn":
        mapped.values[REQUIRED_FIELD] = f"Unnamed use (row {mapped.source_row})"
        mapped.warnings.append(
            table.problem(
                f'the name is empty; imported as "Unnamed use (row {mapped.source_row})"',
                mapped.source_row,
                name_index,
            )
        )
    else:
        mapped.problems.append(
            table.problem(
                "the name is empty: every AI use needs a name", mapped.source_row, name_index
            )
        )


def _flag_duplicates(
    table: RawTable,
    rows: list[MappedRow],
    cells_by_row: list[list[Cell]],
    mapping: Mapping,
    name_index: int,
) -> None:
    """Rows naming the same use twice stay separate rows; each is flagged."""
    key_columns = [table.headers.index(h) for h in mapping.duplicate_key if h in table.headers]
    if mapping.duplicate_key and len(key_columns) == len(mapping.duplicate_key):
        what = " and ".join(f'"{h}"' for h in mapping.duplicate_key)

        def key_of(row: MappedRow, cells: list[Cell]) -> tuple[str, ...]:
            return tuple(value_key(cells[i]) if cells[i] is not None else "" for i in key_columns)
    else:
        what = "department and name"

        def key_of(row: MappedRow, cells: list[Cell]) -> tuple[str, ...]:
            return (
                value_key(row.values.get("department", "")),
                value_key(row.values.get(REQUIRED_FIELD, "")),
            )

    groups: dict[tuple[str, ...], list[MappedRow]] = defaultdict(list)
    for row, cells in zip(rows, cells_by_row, strict=True):
        if row.skip_reason is None and row.values.get(REQUIRED_FIELD):
            groups[key_of(row, cells)].append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        for row in group:
            others = [str(o.source_row) for o in group if o is not row]
            listed = ", ".join(others[:5])
            if len(others) > 5:
                listed += f" and {len(others) - 5} more"
            row.warnings.append(
                table.problem(
                    f"same {what} as row {listed}: imported as a separate AI use, not merged",
                    row.source_row,
                    name_index,
                )
            )


def apply_mapping(table: RawTable, mapping: Mapping) -> list[MappedRow]:
    """Every data row of ``table`` as a ``MappedRow`` (skipped rows included, marked).

    Raises ``ImportFileError`` when no column fills the name, which every use needs.
    """
    mapping.validate()
    columns = _resolve(table, mapping)
    name_columns = [c.index for c in columns if c.column and c.column.field == REQUIRED_FIELD]
    if not name_columns:
        found = ", ".join(
            f'{letter} "{header}"'
            for letter, header in zip(table.letters, table.headers, strict=True)
        )
        if len(found) > 300:
            found = found[:297] + "…"
        raise ImportFileError(
            table.problem(
                'no column holds the AI use\'s name: add a column headed "Name" (or "Use case" '
                'or "AI system"), or choose one in the import\'s column mapping. '
                f"Columns found: {found}"
            )
        )
    skips = [
        (i, h, {value_key(a) for a in mapping.skip_rows[h]})
        for i, h in enumerate(table.headers)
        if h in mapping.skip_rows
    ]
    rows: list[MappedRow] = []
    all_cells: list[list[Cell]] = []
    for raw in table.rows:
        reason = _skip_reason(raw.values, skips) or _note_row(table, raw, name_columns)
        if reason:
            mapped = MappedRow(raw.number, skip_reason=reason)
        else:
            mapped = _map_row(table, raw.number, raw.values, columns, mapping)
            _check_name(table, mapped, name_columns, mapping)
        rows.append(mapped)
        all_cells.append(raw.values)
    _flag_duplicates(table, rows, all_cells, mapping, name_columns[0])
    return rows
