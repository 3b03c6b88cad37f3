"""Which column fills which field, and turning each row into field values.

A ``Mapping`` is plain data (saved as JSON) so the import wizard can show it, let the
user change it and keep it for next quarter's file. For each column it says the
field it fills (or none: the value is kept in ``extra``, which becomes
``AIUse.source_record``, so nothing in the file is lost), an optional translation of
the column's own answers into riskdesk's ("Operation and Maintenance" -> production),
and whether an answer riskdesk cannot read is a *problem* (the row cannot be imported
as it stands) or a *warning* (the field keeps its default; used for public
inventories whose free-text answers nobody can fix).

Several columns may fill one field: text is joined (" / " for one-line fields such as
department, paragraphs with the column's label for long text such as purpose), yes/no
flags are true if any column says yes, and for other fields the first non-empty value
wins.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
import typing
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.fields import (
    FACTOR_FIELDS,
    FIELD_SYNONYMS,
    FIELDS,
    REQUIRED_FIELD,
    UNKNOWN,
    VALUE_SYNONYMS,
    FieldSpec,
    Kind,
)
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

__all__ = [
    "FIELD_SYNONYMS",
    "ColumnMap",
    "MappedRow",
    "Mapping",
    "apply_mapping",
    "check_mapping",
    "is_known_header",
    "suggest_mapping",
]

OnUnknown = Literal["problem", "warn"]
WILDCARD = "*"  # a translation key matching any answer not listed
MAPPING_VERSION = 1
_SHORT_JOIN = " / "
_LONG_JOIN = "\n\n"
_SUGGEST_THRESHOLD = 0.6
_LEADING_NUMBER = re.compile(r"^(?:q?\d+[a-z]?\s+)+")
# The stage an import records when a row states none riskdesk can read (``values``
# then has no "stage"): "not stated", never a stage nobody gave (Production least of all).
STAGE_NOT_STATED = "not_stated"


@dataclass
class ColumnMap:
    field: str | None = None  # None: keep the value in ``extra``
    translate: dict[str, str | None] = dataclasses.field(
        default_factory=dict
    )  # answer -> riskdesk's
    label: str = ""  # prefix when joined into long text ("Outputs: …")
    on_unknown: OnUnknown = "problem"
    keep_original: bool = False  # also keep the raw answer in ``extra``

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "translate": dict(self.translate),
            "label": self.label,
            "on_unknown": self.on_unknown,
            "keep_original": self.keep_original,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMap:
        return cls(
            field=data.get("field"),
            translate=dict(data.get("translate") or {}),
            label=str(data.get("label") or ""),
            on_unknown=data.get("on_unknown", "problem"),
            keep_original=bool(data.get("keep_original", False)),
        )


@dataclass
class Mapping:
    """How one file's columns become AI uses; saved and loaded as JSON."""

    columns: dict[str, ColumnMap] = dataclasses.field(default_factory=dict)  # header -> ColumnMap
    date_order: Literal["mdy", "dmy"] = "mdy"  # for slash dates like 4/1/2023
    fiscal_year_start_month: int = 10  # "FY2023" starts in this month of 2022 (US federal)
    unnamed: OnUnknown = "problem"  # a row without a name: problem, or warn and name it
    duplicate_key: list[str] = dataclasses.field(
        default_factory=list
    )  # headers; [] = department+name
    # header -> answers that mean "not an AI use, leave the row out" ("" = blank)
    skip_rows: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    description: str = ""

    @classmethod
    def from_fields(cls, fields: dict[str, str | None], **options: Any) -> Mapping:
        """From ``{header: field}``, e.g. ``suggest_mapping``'s answer after the user's edits."""
        return cls(columns={h: ColumnMap(field=f) for h, f in fields.items()}, **options)

    def fields(self) -> dict[str, str | None]:
        return {header: column.field for header, column in self.columns.items()}

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first thing wrong (a hand-edited file, say)."""
        for header, column in self.columns.items():
            if column.field is not None and column.field not in FIELDS:
                raise ValueError(f'column "{header}" maps to unknown field "{column.field}"')
            if column.on_unknown not in ("problem", "warn"):
                raise ValueError(f'column "{header}": on_unknown must be "problem" or "warn"')
        if self.date_order not in ("mdy", "dmy"):
            raise ValueError('date_order must be "mdy" or "dmy"')
        if not 1 <= self.fiscal_year_start_month <= 12:
            raise ValueError("fiscal_year_start_month must be 1 to 12")
        if self.unnamed not in ("problem", "warn"):
            raise ValueError('unnamed must be "problem" or "warn"')

    def to_dict(self) -> dict[str, Any]:
        return {
            "riskdesk_mapping": MAPPING_VERSION,
            "description": self.description,
            "date_order": self.date_order,
            "fiscal_year_start_month": self.fiscal_year_start_month,
            "unnamed": self.unnamed,
            "duplicate_key": list(self.duplicate_key),
            "skip_rows": {h: list(v) for h, v in self.skip_rows.items()},
            "columns": {h: c.to_dict() for h, c in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        if not isinstance(data, dict) or "columns" not in data:
            raise ValueError("this is not a riskdesk column mapping")
        version = data.get("riskdesk_mapping", MAPPING_VERSION)
        if version > MAPPING_VERSION:
            raise ValueError("this mapping was saved by a newer riskdesk")
        mapping = cls(
            columns={h: ColumnMap.from_dict(c) for h, c in data["columns"].items()},
            date_order=data.get("date_order", "mdy"),
            fiscal_year_start_month=int(data.get("fiscal_year_start_month", 10)),
            unnamed=data.get("unnamed", "problem"),
            duplicate_key=list(data.get("duplicate_key") or []),
            skip_rows={h: list(v) for h, v in (data.get("skip_rows") or {}).items()},
            description=str(data.get("description") or ""),
        )
        mapping.validate()
        return mapping

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError, TypeError) as exc:
            raise ValueError(f"{path.name}: cannot read this column mapping ({exc})") from exc


@dataclass
class MappedRow:
    """One source row as field values, ready for the service layer to validate and write."""

    source_row: int
    values: dict[str, object] = dataclasses.field(default_factory=dict)  # field -> typed value
    extra: dict[str, object] = dataclasses.field(default_factory=dict)  # header -> JSON-safe value
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)
    warnings: list[ImportProblem] = dataclasses.field(default_factory=list)
    skip_reason: str | None = None  # set: not an AI use, leave it out


# --- suggesting a mapping ---------------------------------------------------------------


def _synonym_key(text: str) -> str:
    return _LEADING_NUMBER.sub("", header_key(text))


@cache
def _synonym_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for word in (name, spec.label, *FIELD_SYNONYMS.get(name, ())):
            index.setdefault(_synonym_key(word), name)
    return index


def is_known_header(text: str) -> bool:
    """Whether ``text`` is a header riskdesk recognises (used to find the header row)."""
    return _synonym_key(text) in _synonym_index()


def _score(key: str, synonym: str) -> float:
    if key == synonym:
        return 1.0
    padded_key, padded_syn = f" {key} ", f" {synonym} "
    if padded_syn in padded_key:  # the synonym's words inside a longer header
        return 0.5 + 0.5 * len(synonym) / len(key)
    if len(key) <= 40 and abs(len(key) - len(synonym)) <= 4:
        matcher = difflib.SequenceMatcher(None, key, synonym)
        if matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85:
            ratio = matcher.ratio()
            if ratio >= 0.85:
                return 0.9 * ratio
    return 0.0


def suggest_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Guess each header's field from its wording; None where nothing fits.

    Each field is offered to one column only, the best-scoring: an exact synonym beats
    a synonym inside a longer header, which beats a near-spelling.
    """
    index = _synonym_index()
    scored: list[tuple[float, int, str]] = []
    for position, header in enumerate(headers):
        key = _synonym_key(header)
        if not key:
            continue
        if key in index:
            scored.append((1.0, position, index[key]))
            continue
        best: dict[str, float] = {}
        for synonym, name in index.items():
            score = _score(key, synonym)
            if score >= _SUGGEST_THRESHOLD and score > best.get(name, 0.0):
                best[name] = score
        scored.extend((score, position, name) for name, score in best.items())
    taken: dict[int, str] = {}
    used: set[str] = set()
    for _score_value, position, name in sorted(scored, key=lambda s: (-s[0], s[1])):
        if position not in taken and name not in used:
            taken[position] = name
            used.add(name)
    return {header: taken.get(position) for position, header in enumerate(headers)}


# --- applying a mapping -------------------------------------------------------------------


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
            if cmap.field in FACTOR_FIELDS:
                # An answer nobody can read is an unanswered question, not a rejected row
                # and not the lowest level.
                mapped.warnings.append(
                    table.problem(
                        f"{parsed.reason}; {spec.label} is left unknown (map this answer "
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
        elif spec.kind is Kind.BOOL:
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
