"""Value maps: each distinct answer of a choice column, translated to riskdesk's level.

A district's sheet says "Student names, chat logs" under "Personal data" and "Yes -
approx 2,400 students" under "Students affected?": neither is a level riskdesk can
read as it stands. For every mapped column whose target is a choice (an enumeration,
a yes/no factor, the one-column impact answer) or the reach count, ``suggest_value``
proposes a level from the answer's wording, or ``"unknown"`` when the wording does not
say. ``suggest_value_maps`` writes those proposals into the mapping's ``translate``
(its value map, saved with ``--save-mapping``) for the answers riskdesk cannot read
directly (for the exposure factors, "unknown" too, so a saved map lists every
answer to decide), and returns them so the import can show each one as a warning: a suggestion
is the wording's most likely meaning, to be checked, never a fact someone gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from riskdesk.importers.fields import (
    CHOICE_KINDS,
    FACTOR_FIELDS,
    FIELDS,
    NOT_STATED_FIELDS,
    UNKNOWN,
    VALUE_SYNONYMS,
    FieldSpec,
    Kind,
)
from riskdesk.importers.mapping import WILDCARD, Mapping
from riskdesk.importers.tables import RawTable
from riskdesk.importers.values import (
    BadValue,
    enum_key,
    header_key,
    number_in_text,
    parse_bool,
    parse_enum,
    parse_impact,
    parse_int,
    squash,
    value_key,
)

# Words that say a use's data concerns children (DataSensitivity.CHILDREN_SPECIAL and
# the children's-data flag), or is personal, or is special-category.
_CHILD_WORDS = re.compile(
    r"\b(students?|pupils?|child|children|kids?|minors?|under 1[3-8]s?|learners?|iep|sen)\b"
)
_SPECIAL_WORDS = re.compile(
    r"\b(health|medical|biometrics?|facial|faces?|fingerprints?|disabilit(y|ies)|"
    r"safeguarding|self harm|mental health|religio\w*|ethnic\w*|special category)\b"
)
_PERSONAL_WORDS = re.compile(
    r"\b(names?|emails?|e mails?|addresses|address|phone\w*|chat logs?|logs?|personal|"
    r"pii|ids?|dates? of birth|dob|grades?|records?|photos?|images?|voices?|"
    r"messages?|conversations?|transcripts?|contacts?)\b"
)
_NO_PERSONAL = re.compile(
    r"^(no|none|nothing personal|no personal data|anonymi[sz]ed|aggregated?( data)?)\b"
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One answer of one column and the level its wording suggests."""

    header: str
    column_index: int
    answer: str
    target: str  # a value of the field's enum, "yes"/"no", a number, or "unknown"
    label: str  # the target in words, for the warning
    rows: tuple[int, ...]  # the source rows giving this answer


def is_choice(spec: FieldSpec | None, field: str | None) -> bool:
    """Whether a column filling ``field`` gets a value map (choices, and the reach count)."""
    return spec is not None and (spec.kind in CHOICE_KINDS or field == "people_affected")


def _words_match(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _enum_by_wording(spec: FieldSpec, key: str) -> str | None:
    """The one level whose label, value or synonym is written inside ``key``."""
    assert spec.enum is not None
    phrases: dict[str, str] = {}
    for member in spec.enum:
        phrases[enum_key(member.value)] = member.value
        phrases[enum_key(member.label)] = member.value
    phrases.update(VALUE_SYNONYMS.get(spec.enum, {}))
    hits = {target for phrase, target in phrases.items() if phrase and _words_match(key, phrase)}
    return hits.pop() if len(hits) == 1 else None


def _data_sensitivity(key: str) -> str | None:
    if _NO_PERSONAL.match(key):
        return "internal"  # no personal data: the least the answer allows is internal
    if _CHILD_WORDS.search(key) or _SPECIAL_WORDS.search(key):
        return "children_special"
    if _PERSONAL_WORDS.search(key) or key in ("yes", "y"):
        return "personal"
    return None


def suggest_value(field: str, answer: object) -> str:
    """The level ``answer``'s wording suggests for ``field``; ``"unknown"`` if it does not say."""
    spec = FIELDS[field]
    key = enum_key(answer)
    if not key:
        return UNKNOWN
    if field == "people_affected":
        for reader in (parse_int, number_in_text):
            try:
                number = reader(answer).value
            except BadValue:
                continue
            return UNKNOWN if number is None else str(number)
        return UNKNOWN
    if spec.kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):
        try:
            flag = parse_bool(squash(str(answer))).value
        except BadValue:
            flag = None
        if flag is None and field == "childrens_data" and _CHILD_WORDS.search(key):
            flag = True
        return UNKNOWN if flag is None else ("yes" if flag else "no")
    if spec.kind is Kind.IMPACT:
        try:
            pair = parse_impact(answer).value
        except BadValue:
            return UNKNOWN
        if not isinstance(pair, tuple):
            return UNKNOWN
        return {
            (True, True): "both",
            (True, False): "rights",
            (False, True): "safety",
            (False, False): "neither",
        }[pair]
    assert spec.enum is not None
    if field == "data_sensitivity":
        found = _data_sensitivity(key)
        if found is not None:
            return found
    return _enum_by_wording(spec, key) or UNKNOWN


def _label(field: str, target: str) -> str:
    spec = FIELDS[field]
    if target == UNKNOWN:
        return "not stated" if field in NOT_STATED_FIELDS else "unknown"
    if spec.enum is not None:
        return spec.enum.parse(target).label
    if field == "people_affected":
        return f"a reach of {int(target):,} a year"
    return target.capitalize()


def _reads_as_is(spec: FieldSpec, answer: object) -> bool:
    """Whether riskdesk reads ``answer`` without help (then no value map entry is needed)."""
    try:
        if spec.kind is Kind.INT:
            parse_int(answer)
        elif spec.kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):
            parse_bool(answer)
        elif spec.kind is Kind.IMPACT:
            parse_impact(answer)
        else:
            assert spec.enum is not None
            parse_enum(spec.enum, answer, VALUE_SYNONYMS.get(spec.enum))
    except BadValue:
        return False
    return True


def suggest_value_maps(table: RawTable, mapping: Mapping) -> list[Suggestion]:
    """Add a suggested translation for every answer riskdesk cannot read as it stands.

    Only choice columns (and the reach count) get one, and only for answers their value
    map does not already translate: a map the user saved is never overwritten.
    """
    by_key = {header_key(h): c for h, c in mapping.columns.items()}
    suggestions: list[Suggestion] = []
    for index, header in enumerate(table.headers):
        column = mapping.columns.get(header) or by_key.get(header_key(header))
        if column is None or column.field is None:
            continue
        spec = FIELDS.get(column.field)
        if not is_choice(spec, column.field) or WILDCARD in column.translate:
            continue
        assert spec is not None
        known = {value_key(k) for k in column.translate}
        answers: dict[str, Any] = {}
        rows: dict[str, list[int]] = {}
        for row in table.rows:
            raw = row.values[index]
            if raw is not None and not isinstance(raw, bool | int | float):
                answers.setdefault(value_key(raw), raw)
                rows.setdefault(value_key(raw), []).append(row.number)
        for key, raw in answers.items():
            if key in known or _reads_as_is(spec, raw):
                continue
            target = suggest_value(column.field, raw)
            unstated_ok = column.field in FACTOR_FIELDS or column.field in NOT_STATED_FIELDS
            if target == UNKNOWN and not unstated_ok:
                continue  # e.g. a stage nobody can read stays a problem to fix in the file
            answer = squash(str(raw))
            column.translate[answer] = target
            suggestions.append(
                Suggestion(
                    header, index, answer, target, _label(column.field, target), tuple(rows[key])
                )
            )
    return suggestions
