"""Suggesting risks for an AI use from its attributes, by rules kept as data.

A rule (resources/frameworks/suggestion_rules.csv) is a condition on the use's
attributes, the risk templates it suggests, and the reason shown to the user. The
condition language is deliberately tiny (docs/frameworks.md has the full grammar)::

    autonomy in agent_write_approval|agent_autonomous
    public_facing = true; generative = true
    decision_role >= recommends
    autonomy >= agent_read; dev_prod_separated = false
    generative = true; any_text contains student|pupil|teen
    stage = production; rollback_plan is empty

Clauses separated by ``;`` must all hold; ``|`` separates alternatives. Ordered
comparisons use the order of the enum in ``riskdesk.enums``. An attribute that is
unknown (missing, None, or an enum's "not stated") satisfies only ``is unknown``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from riskdesk import enums
from riskdesk.catalogue.csvfiles import CatalogueFileError, read_table
from riskdesk.catalogue.frameworks import builtin_dir
from riskdesk.catalogue.library import RiskTemplate, load_risk_library
from riskdesk.catalogue.refs import split_refs
from riskdesk.values import BadValue, parse_bool

RULES_FILE = "suggestion_rules.csv"

# The AIUse attributes a rule may test (riskdesk.store.models.AIUse; a test keeps
# this list in step with the model).
ENUM_ATTRIBUTES: dict[str, type[enums.LabelledEnum]] = {
    "stage": enums.Stage,
    "sourcing": enums.Sourcing,
    "decision_role": enums.DecisionRole,
    "human_oversight": enums.HumanOversight,
    "autonomy": enums.Autonomy,
    "data_sensitivity": enums.DataSensitivity,
    "harm_severity": enums.HarmSeverity,
    "reversibility": enums.Reversibility,
    "eu_ai_act_class": enums.EUAIActClass,
}
BOOL_ATTRIBUTES = frozenset(
    {
        "permissions_reviewed",
        "childrens_data",
        "rights_impacting",
        "safety_impacting",
        "public_facing",
        "generative",
        "dev_prod_separated",
        "board_reporting",
        "needs_rereview",
    }
)
INT_ATTRIBUTES = frozenset({"people_affected"})
TEXT_ATTRIBUTES = frozenset(
    {
        "name",
        "purpose",
        "department",
        "users",
        "affected_groups",
        "agent_permissions",
        "model_name",
        "vendor_name",  # not an AIUse column: the caller adds the vendor's name
        "eu_ai_act_basis",
        "rollback_plan",
        "kill_switch",
        "monitoring",
        "notes",
    }
)
# ``any_text`` searches all of these at once.
ANY_TEXT_PARTS = (
    "name",
    "purpose",
    "department",
    "users",
    "affected_groups",
    "agent_permissions",
    "notes",
)
ANY_TEXT = "any_text"
NOT_STATED = "not_stated"  # the value of every enum's "Not stated" member

_IS = re.compile(r"is\s+(empty|set|unknown|known)\s*$")
_WORD_OP = re.compile(r"(not\s+in|in|contains)(?:\s+(.*))?$")
_CMP_OP = re.compile(r"(>=|<=|!=|=|>|<)\s*(.*)$")


class RuleError(ValueError):
    """A condition that cannot be parsed (the loader adds file, row and column)."""


@dataclass(frozen=True)
class Clause:
    attribute: str
    op: str  # =, !=, in, not in, >=, >, <=, <, contains, or "is"
    values: tuple[str | int | bool, ...]  # normalised; for "is": ("empty",) etc.

    def holds(self, attrs: Mapping[str, object]) -> bool:
        value = _value(self.attribute, attrs)
        if self.op == "is":
            state = self.values[0]
            if state == "unknown":
                return value is None
            if state == "known":
                return value is not None
            blank = value is None or (isinstance(value, str) and not value.strip())
            return blank if state == "empty" else not blank
        if value is None:
            return False
        if self.op in ("=", "in"):
            return value in self.values
        if self.op in ("!=", "not in"):
            return value not in self.values
        if self.op == "contains":
            text = str(value)
            return any(_word_prefix(str(v)).search(text) for v in self.values)
        key, ref = _order(self.attribute, value), _order(self.attribute, self.values[0])
        return {
            ">=": key >= ref,
            ">": key > ref,
            "<=": key <= ref,
            "<": key < ref,
        }[self.op]


@dataclass(frozen=True)
class Rule:
    id: str
    condition: str
    clauses: tuple[Clause, ...]
    risk_ids: tuple[str, ...]
    reason: str

    def matches(self, attrs: Mapping[str, object]) -> bool:
        return all(clause.holds(attrs) for clause in self.clauses)


@dataclass(frozen=True)
class Suggestion:
    rule_id: str  # the first rule that suggested this risk
    risk: RiskTemplate
    reason: str  # that rule's reason, shown to the user
    also: tuple[tuple[str, str], ...] = ()  # (rule_id, reason) of other rules that agree


@functools.cache
def _word_prefix(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word.casefold()), re.IGNORECASE)


def _order(attribute: str, value: object) -> int:
    if attribute in INT_ATTRIBUTES:
        return int(value)  # type: ignore[call-overload, no-any-return]
    return list(ENUM_ATTRIBUTES[attribute]).index(value)  # type: ignore[arg-type]


def _normalise(attribute: str, raw: object) -> str | int | bool | None:
    """The comparable form of one attribute value; None means unknown."""
    if raw is None:
        return None
    if attribute in ENUM_ATTRIBUTES:
        if isinstance(raw, str) and not raw.strip():
            return None
        member = ENUM_ATTRIBUTES[attribute].parse(raw)
        # "Not stated" is nobody's answer: unknown, so "sourcing in saas_embedded|…"
        # does not fire on it and "sourcing is unknown" does.
        return None if member.value == NOT_STATED else member
    if attribute in BOOL_ATTRIBUTES:
        if isinstance(raw, str) and not raw.strip():
            return None
        try:
            return bool(parse_bool(raw, strict=True).value)
        except BadValue:
            raise ValueError(f"{attribute}: {raw!r} is not true/false") from None
    if attribute in INT_ATTRIBUTES:
        if isinstance(raw, str) and not raw.strip():
            return None
        return int(raw)  # type: ignore[call-overload, no-any-return]
    return " ".join(str(raw).split()).casefold()


def _value(attribute: str, attrs: Mapping[str, object]) -> str | int | bool | None:
    if attribute == ANY_TEXT:
        parts = [_normalise(p, attrs.get(p)) for p in ANY_TEXT_PARTS]
        return " | ".join(str(p) for p in parts if p)
    return _normalise(attribute, attrs.get(attribute))


def _parse_value(attribute: str, text: str) -> str | int | bool:
    text = text.strip()
    if not text:
        raise RuleError(f"an empty value for {attribute}")
    if attribute in ENUM_ATTRIBUTES:
        enum = ENUM_ATTRIBUTES[attribute]
        if text == NOT_STATED:  # it would never hold: "not stated" reads as unknown
            raise RuleError(f"write '{attribute} is unknown', not a {NOT_STATED} value")
        try:
            return enum(text)
        except ValueError:
            allowed = "|".join(m.value for m in enum)
            raise RuleError(f"{text!r} is not a {attribute} value ({allowed})") from None
    if attribute in BOOL_ATTRIBUTES:
        try:
            return bool(parse_bool(text, strict=True).value)
        except BadValue:
            raise RuleError(f"{attribute} is true or false, not {text!r}") from None
    if attribute in INT_ATTRIBUTES:
        try:
            return int(text)
        except ValueError:
            raise RuleError(f"{attribute} needs a whole number, not {text!r}") from None
    return text.casefold()


def parse_clause(text: str) -> Clause:
    """Parse one clause, e.g. ``autonomy >= agent_read``; raises :class:`RuleError`."""
    head = re.match(r"\s*([a-z_]+)\s*(.*?)\s*$", text)
    if not head or not head[2]:
        raise RuleError(f"cannot read {text.strip()!r}: expected e.g. 'autonomy >= agent_read'")
    attribute, rest = head[1], head[2]
    known = ENUM_ATTRIBUTES.keys() | BOOL_ATTRIBUTES | INT_ATTRIBUTES | TEXT_ATTRIBUTES
    if attribute not in known and attribute != ANY_TEXT:
        raise RuleError(f"{attribute!r} is not an attribute a rule can test")
    if state := _IS.match(rest):
        return Clause(attribute, "is", (state[1],))
    match = _WORD_OP.match(rest) or _CMP_OP.match(rest)
    if not match:
        raise RuleError(f"{text.strip()!r} has no operator (=, !=, in, not in, >=, contains, is …)")
    op = " ".join(match[1].split())
    if not (match[2] or "").strip():
        raise RuleError(f"'{op}' needs a value after it")
    is_text = attribute in TEXT_ATTRIBUTES or attribute == ANY_TEXT
    if op == "contains" and not is_text:
        raise RuleError(f"'contains' works on text attributes, not {attribute}")
    values = tuple(_parse_value(attribute, v) for v in match[2].split("|"))
    if op in (">=", ">", "<=", "<"):
        if attribute not in ENUM_ATTRIBUTES and attribute not in INT_ATTRIBUTES:
            raise RuleError(f"{attribute} has no order, so {op} cannot be used")
        if len(values) != 1:
            raise RuleError(f"{op} takes one value")
    return Clause(attribute, op, values)


def parse_condition(text: str) -> tuple[Clause, ...]:
    """Parse ``clause; clause; …``; raises :class:`RuleError`."""
    parts = [p for p in text.split(";") if p.strip()]
    if not parts:
        raise RuleError("the condition is empty")
    return tuple(parse_clause(p) for p in parts)


def _read_rules(path: Path, risk_path: Path | None) -> tuple[Rule, ...]:
    table = read_table(path, required=("rule_id", "condition", "risk_ids", "reason"))
    known_risks = {t.id for t in load_risk_library(risk_path)}
    seen: dict[str, int] = {}
    rules = []
    for row, cells in table.rows:
        rule_id = cells["rule_id"]
        if not rule_id:
            raise table.error("must not be empty", row, "rule_id")
        if rule_id in seen:
            raise table.error(
                f"{rule_id!r} is used twice (first in row {seen[rule_id]})", row, "rule_id"
            )
        seen[rule_id] = row
        try:
            clauses = parse_condition(cells["condition"])
        except RuleError as exc:
            raise CatalogueFileError(table.path, str(exc), row=row, column="condition") from None
        risk_ids = tuple(split_refs(cells["risk_ids"]))
        if not risk_ids:
            raise table.error("names no risk template", row, "risk_ids")
        for rid in risk_ids:
            if rid not in known_risks:
                raise table.error(f"{rid!r} is not in the risk library", row, "risk_ids")
        if not cells["reason"]:
            raise table.error("must say why, for the user", row, "reason")
        rules.append(Rule(rule_id, cells["condition"], clauses, risk_ids, cells["reason"]))
    return tuple(rules)


@functools.cache
def _shipped_rules() -> tuple[Rule, ...]:
    return _read_rules(builtin_dir() / RULES_FILE, None)


def load_rules(
    path: str | Path | None = None, risk_library: str | Path | None = None
) -> list[Rule]:
    """Rules from ``path``, or the shipped ones (read once, then cached); risk ids are
    checked against ``risk_library`` (default: the shipped library)."""
    if path is None and risk_library is None:
        return list(_shipped_rules())
    return list(
        _read_rules(
            Path(path) if path else builtin_dir() / RULES_FILE,
            Path(risk_library) if risk_library else None,
        )
    )


def suggest_risks(
    use_attrs: Mapping[str, object],
    *,
    rules: Iterable[Rule] | None = None,
    library: Iterable[RiskTemplate] | None = None,
    exclude: Iterable[str] = (),
) -> list[Suggestion]:
    """Risk templates worth adding for an AI use with these attributes.

    ``use_attrs`` holds AIUse field values (``use.model_dump()``), optionally
    ``vendor_name``; enum members, their values or labels are all accepted. One
    suggestion per risk template, in rule order; ``exclude`` skips template ids
    the use already has; ``rules``/``library`` replace the shipped ones. Raises
    ``ValueError`` for an attribute value that is not valid for its enum.
    """
    templates = {t.id: t for t in (load_risk_library() if library is None else library)}
    skip = set(exclude)
    by_risk: dict[str, Suggestion] = {}
    for rule in load_rules() if rules is None else rules:
        if not rule.matches(use_attrs):
            continue
        for rid in rule.risk_ids:
            if rid in skip:
                continue
            current = by_risk.get(rid)
            if current is None:
                by_risk[rid] = Suggestion(rule.id, templates[rid], rule.reason)
            else:
                by_risk[rid] = Suggestion(
                    current.rule_id,
                    current.risk,
                    current.reason,
                    (*current.also, (rule.id, rule.reason)),
                )
    return list(by_risk.values())
