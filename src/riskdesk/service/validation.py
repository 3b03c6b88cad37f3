"""Field rules for every entity: coercion of loose input and validation.

Input arrives as Python values from the GUI, strings from the CLI and imports, so each
field is first coerced to its type (``"12,000"`` → 12000, ``"yes"`` → True, an enum
label → its value), then checked. Problems are collected, not raised one at a time,
so a form can mark every bad field at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from riskdesk import enums
from riskdesk.fileformat.schema import MAX_INTEGER
from riskdesk.fileformat.schema import MAX_NAME as MAX_NAME
from riskdesk.fileformat.schema import MAX_TEXT as MAX_TEXT
from riskdesk.fileformat.schema import RULES as RULES
from riskdesk.fileformat.schema import Rule as Rule
from riskdesk.service.errors import FieldProblem
from riskdesk.values import BadValue, parse_bool

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NO_ANSWER = {"", "none"}
_UNKNOWN = {"", "unknown", "n/a", "na", "not known", "not applicable", "-"}


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    # Control characters (other than tab/newline) break exports and terminals.
    return _CONTROL_CHARS.sub("", text)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("is a yes/no value, not a number")
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if not value.is_integer():  # also NaN and infinity
            raise ValueError(f"{value!r} is not a whole number")
        return _bounded(int(value))
    text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"{str(value).strip()[:40]!r} is not a whole number")
    if len(text.lstrip("+-0")) > len(str(MAX_INTEGER)):
        raise ValueError("is too large a number")
    return _bounded(int(text))


def _bounded(number: int) -> int:
    # Larger numbers cannot be stored (SQLite integers are 64-bit).
    if abs(number) > MAX_INTEGER:
        raise ValueError("is too large a number")
    return number


def _bool(value: Any) -> bool:
    # A yes/no field cannot hold "not known": empty (or "none") means no, and other
    # words for "not known" are refused rather than guessed.
    if value is None or (isinstance(value, str) and value.strip().casefold() in _NO_ANSWER):
        return False
    try:
        answer = parse_bool(value).value
    except BadValue:
        answer = None
    if not isinstance(answer, bool):
        raise ValueError(f"{str(value).strip()!r} is not yes or no")
    return answer


def _is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in _UNKNOWN)


def _optbool(value: Any) -> bool | None:
    if _is_unknown(value):
        return None
    return _bool(value)


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)")


def _score(value: Any) -> int:
    number = _int(value)
    if not 1 <= number <= 5:
        raise ValueError(f"{number} is outside the 1–5 scale")
    return number


def _fk(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _int(value)


def coerce(rule: Rule, value: Any) -> Any:
    """Convert one loose value to the field's type; ``ValueError`` says why not."""
    if rule.kind == "name":
        return " ".join(_text(value).split())
    if rule.kind == "text":
        return _text(value).strip()
    if rule.kind == "json":  # machine-written JSON: kept as given, no length cap
        return _text(value)
    if rule.kind == "int":
        number = _int(value) if value not in (None, "") else 0
        if rule.minimum is not None and number < rule.minimum:
            raise ValueError(f"{number} is below the minimum of {rule.minimum}")
        if rule.maximum is not None and number > rule.maximum:
            raise ValueError(f"{number:,} is above the maximum of {rule.maximum:,}")
        return number
    if rule.kind == "bool":
        return _bool(value)
    if rule.kind == "optbool":
        return _optbool(value)
    if rule.kind == "date":
        return _date(value)
    if rule.kind == "datetime":
        if not isinstance(value, dt.datetime):
            raise ValueError(f"{value!r} is not a date and time")
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if rule.kind == "enum":
        assert rule.enum is not None
        return rule.enum.parse(value).value
    if rule.kind == "optenum":
        assert rule.enum is not None
        if _is_unknown(value):
            return None
        member = rule.enum.parse(value)
        # The EU AI Act class "not assessed" is an unanswered question, stored as one.
        return None if member.value == "not_assessed" else member.value
    if rule.kind == "optint":
        if _is_unknown(value):
            return None
        number = _int(value)
        if rule.minimum is not None and number < rule.minimum:
            raise ValueError(f"{number} is below the minimum of {rule.minimum}")
        if rule.maximum is not None and number > rule.maximum:
            raise ValueError(f"{number:,} is above the maximum of {rule.maximum:,}")
        return number
    if rule.kind == "score":
        return _score(value)
    if rule.kind == "optscore":
        return None if value in (None, "") else _score(value)
    if rule.kind == "fk":
        return _fk(value)
    raise AssertionError(rule.kind)


def coerce_values(
    entity: str, values: Mapping[str, Any], problems: list[FieldProblem]
) -> dict[str, Any]:
    """Coerce known fields; unknown fields and bad values become problems."""
    rules = RULES[entity]
    clean: dict[str, Any] = {}
    for field, value in values.items():
        rule = rules.get(field)
        if rule is None:
            problems.append(FieldProblem(field, "is not a field riskdesk knows"))
            continue
        try:
            clean[field] = coerce(rule, value)
        except ValueError as exc:
            problems.append(FieldProblem(field, str(exc)))
    return clean


def check_record(
    entity: str,
    record: Mapping[str, Any],
    exists: Callable[[str, int], bool],
    problems: list[FieldProblem],
) -> None:
    """Whole-record rules, run on the merged state after an update."""
    for field, rule in RULES[entity].items():
        value = record.get(field)
        if rule.kind == "name" and rule.required and not value:
            problems.append(FieldProblem(field, "must not be empty"))
        elif rule.kind == "name" and value and len(value) > MAX_NAME:
            problems.append(FieldProblem(field, f"is longer than {MAX_NAME} characters"))
        elif rule.kind == "text" and value and len(value) > MAX_TEXT:
            problems.append(FieldProblem(field, f"is longer than {MAX_TEXT:,} characters"))
        elif rule.kind == "date" and rule.required and value is None:
            problems.append(FieldProblem(field, "is required"))
        elif rule.kind == "fk":
            if value is None:
                if rule.required:
                    problems.append(FieldProblem(field, "is required"))
            elif not exists(rule.target, value):
                what = rule.target.replace("_", " ").replace("ai use", "AI use")
                problems.append(
                    FieldProblem(field, f"refers to {what} {value}, which does not exist")
                )
    if entity == "risk":
        _check_risk(record, problems)
    if entity == "incident":
        _check_incident(record, problems)


def _check_incident(record: Mapping[str, Any], problems: list[FieldProblem]) -> None:
    """An incident is closed only with its owner, cause, lessons, date — and, if it may
    be an Art. 73 serious incident, once it has been reported."""
    closed = record.get("status") == enums.IncidentStatus.CLOSED.value
    closed_on, occurred = record.get("closed_on"), record.get("occurred_on")
    if not closed:
        if closed_on is not None:
            problems.append(FieldProblem("closed_on", "only a closed incident has a closed date"))
        return
    if closed_on is None:
        problems.append(FieldProblem("closed_on", "say when the incident was closed"))
    elif occurred is not None and closed_on < occurred:
        problems.append(FieldProblem("closed_on", "an incident cannot close before it occurred"))
    if record.get("owner_id") is None:
        problems.append(FieldProblem("owner_id", "name who owns the incident to closure"))
    for field, what in (("root_cause", "root cause"), ("lessons", "lessons learned")):
        if not (record.get(field) or "").strip():
            problems.append(FieldProblem(field, f"a closed incident records its {what}"))
    if record.get("reportable") and record.get("reported_on") is None:
        problems.append(
            FieldProblem(
                "status",
                "it may be a serious incident under the EU AI Act (Art. 73): record when it "
                "was reported before closing it",
            )
        )


def _check_risk(record: Mapping[str, Any], problems: list[FieldProblem]) -> None:
    def product(prefix: str) -> int | None:
        like, imp = record.get(f"{prefix}_likelihood"), record.get(f"{prefix}_impact")
        if like is None or imp is None:
            return None
        return int(like) * int(imp)

    inherent, residual, target = product("inherent"), product("residual"), product("target")
    if inherent is not None and residual is not None and residual > inherent:
        problems.append(
            FieldProblem(
                "residual_likelihood",
                f"residual score {residual} is above the inherent score {inherent}: controls "
                "cannot make a risk worse",
            )
        )
    if (record.get("target_likelihood") is None) != (record.get("target_impact") is None):
        problems.append(
            FieldProblem("target_impact", "give both target likelihood and impact, or neither")
        )
    elif target is not None and residual is not None and target > residual:
        problems.append(
            FieldProblem(
                "target_likelihood", f"target score {target} is above the residual score {residual}"
            )
        )


# --- risk acceptance: the one rule every write path goes through --------------------

ACCEPTANCE_FIELDS = ("accepted_by_id", "acceptance_rationale", "acceptance_expires")
# Setting key for the longest an acceptance may run; a temporary exception with a
# 20-year expiry is a permanent one.
ACCEPTANCE_MAX_MONTHS_KEY = "acceptance_max_months"
DEFAULT_ACCEPTANCE_MAX_MONTHS = 12


def acceptance_changed(base: Mapping[str, Any] | None, record: Mapping[str, Any]) -> bool:
    """True when a write sets or alters a risk's acceptance (untouched legacy ones pass)."""
    if record.get("accepted_by_id") is None:
        return False
    if base is None:
        return True
    return any(base.get(f) != record.get(f) for f in ACCEPTANCE_FIELDS)


def acceptance_problems(
    record: Mapping[str, Any],
    acceptor: Mapping[str, Any] | None,
    first_line_ids: set[int],
    today: dt.date,
    max_months: int,
) -> list[FieldProblem]:
    """Who may accept a risk's residual and for how long.

    The acceptor is named, still with the organisation, not 1st line and not the 1st
    line of this risk (its owner or the use's 1st-line owner): nobody signs off their
    own exposure. An expiry is required and at most ``max_months`` ahead.
    """
    from riskdesk.scoring.ladder import add_months  # scoring imports nothing from service

    problems: list[FieldProblem] = []
    if acceptor is None:
        problems.append(FieldProblem("accepted_by_id", "name the person accepting the risk"))
    elif acceptor.get("has_left"):
        problems.append(
            FieldProblem("accepted_by_id", f"{acceptor['name']} has left the organisation")
        )
    elif acceptor.get("default_line") == enums.Line.FIRST.value:
        problems.append(
            FieldProblem(
                "accepted_by_id",
                f"{acceptor['name']} is 1st line; a risk is accepted by the 2nd line or above",
            )
        )
    elif acceptor.get("id") in first_line_ids:
        problems.append(
            FieldProblem(
                "accepted_by_id",
                f"{acceptor['name']} is this risk's 1st line (its owner or the use's owner) "
                "and cannot accept it",
            )
        )
    if not (record.get("acceptance_rationale") or "").strip():
        problems.append(
            FieldProblem("acceptance_rationale", "say why the residual risk is acceptable")
        )
    expiry = record.get("acceptance_expires")
    limit = add_months(today, max_months)
    if expiry is None:
        problems.append(
            FieldProblem(
                "acceptance_expires",
                "an acceptance needs an expiry date: without one a temporary exception "
                "becomes permanent",
            )
        )
    elif expiry > limit:
        problems.append(
            FieldProblem(
                "acceptance_expires",
                f"an acceptance may run at most {max_months} months (until "
                f"{limit.isoformat()}); renew it when it expires",
            )
        )
    return problems
