"""The columns an import kept from the source file, and the answers they suggest.

An import keeps every column riskdesk does not map (and the original of an answer it
could not read) as the use's ``source_record`` (canonical JSON). The use editor shows
them as "Imported details"; the classifier offers, for a question still unanswered, the
level a kept column's wording suggests — a suggestion to confirm, never an answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from riskdesk.importers.fields import FIELDS, IMPACT_FIELD, UNKNOWN
from riskdesk.importers.mapping import suggest_mapping
from riskdesk.importers.translation import suggest_value
from riskdesk.service.register import RegisterService

# The questions a kept column can suggest an answer for (the classifier asks these).
SUGGESTED_FIELDS = frozenset(
    {
        "people_affected",
        "decision_role",
        "autonomy",
        "data_sensitivity",
        "childrens_data",
        "harm_severity",
        "reversibility",
        "rights_impacting",
        "safety_impacting",
    }
)


@dataclass(frozen=True, slots=True)
class ImportedDetail:
    column: str  # the header in the source file
    value: str  # its answer, as text


@dataclass(frozen=True, slots=True)
class SuggestedAnswer:
    field: str  # the AIUse column
    value: Any  # the answer as the use stores it (an enum value, a bool, a number)
    column: str
    answer: str  # the source's own wording

    def text(self) -> str:
        return f"suggested from the import: “{self.answer}” (column “{self.column}”)"


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def details_of(source_record: str | None) -> list[ImportedDetail]:
    """The kept columns in the file's header order as stored (empty if none or unreadable)."""
    if not source_record:
        return []
    try:
        data = json.loads(source_record)
    except (TypeError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    return [ImportedDetail(str(k), _as_text(v)) for k, v in data.items() if _as_text(v).strip()]


def imported_details(service: RegisterService, use_id: int) -> list[ImportedDetail]:
    """What the import kept from the source file for this use."""
    return details_of(service.get("ai_use", use_id).get("source_record"))


def _stored(field: str, target: str) -> dict[str, Any]:
    """A value map target ("yes", "both", "2400", an enum value) as the use's values."""
    if field == IMPACT_FIELD:
        rights, safety = {
            "both": (True, True),
            "rights": (True, False),
            "safety": (False, True),
            "neither": (False, False),
        }[target]
        return {"rights_impacting": rights, "safety_impacting": safety}
    if field == "people_affected":
        return {field: int(target)}
    if target in ("yes", "no"):
        return {field: target == "yes"}
    return {field: target}


def detail_suggests(detail: ImportedDetail) -> dict[str, Any]:
    """The answers (as ``AIUse`` values) one kept column's wording suggests, if any.

    A column counts when its header alone would be mapped to a question (as the
    import's column matching reads it) and its wording suggests a level.
    """
    field = suggest_mapping([detail.column]).get(detail.column)
    if field is None or (field not in SUGGESTED_FIELDS and field != IMPACT_FIELD):
        return {}
    assert field in FIELDS
    target = suggest_value(field, detail.value)
    return {} if target == UNKNOWN else _stored(field, target)


def suggested_answers(record: dict[str, Any]) -> dict[str, SuggestedAnswer]:
    """For each question ``record`` leaves unanswered, the answer a kept column suggests
    (the first such column wins)."""
    found: dict[str, SuggestedAnswer] = {}
    for detail in details_of(record.get("source_record")):
        for name, value in detail_suggests(detail).items():
            if record.get(name) is None and name not in found:
                found[name] = SuggestedAnswer(name, value, detail.column, detail.value)
    return found
