"""Which column fills which field: the ``Mapping`` a file is read with, and suggesting one.

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
wins. Applying a mapping to a table's rows is ``mapped_rows``.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.fields import FIELD_SYNONYMS, FIELDS
from riskdesk.importers.values import header_key

__all__ = [
    "FIELD_SYNONYMS",
    "ColumnMap",
    "MappedRow",
    "Mapping",
    "is_known_header",
    "suggest_mapping",
]

OnUnknown = Literal["problem", "warn"]
WILDCARD = "*"  # a translation key matching any answer not listed
MAPPING_VERSION = 1
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
