"""Suggestion rules: each fires on its attributes and not without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskdesk import enums
from riskdesk.catalogue.csvfiles import CatalogueFileError
from riskdesk.catalogue.library import load_risk_library
from riskdesk.catalogue.suggest import (
    ANY_TEXT,
    ANY_TEXT_PARTS,
    BOOL_ATTRIBUTES,
    ENUM_ATTRIBUTES,
    INT_ATTRIBUTES,
    TEXT_ATTRIBUTES,
    Clause,
    Rule,
    RuleError,
    load_rules,
    parse_condition,
    suggest_risks,
)
from riskdesk.store.models import AIUse

# A low-exposure use: an idea-stage internal tool with nothing switched on.
NEUTRAL: dict[str, object] = {
    "name": "",
    "purpose": "",
    "department": "",
    "users": "",
    "affected_groups": "",
    "agent_permissions": "",
    "notes": "",
    "model_name": "",
    "vendor_name": "",
    "eu_ai_act_basis": "",
    "rollback_plan": "",
    "kill_switch": "",
    "monitoring": "",
    "stage": "idea",
    "sourcing": "in_house",
    "decision_role": "none",
    "human_oversight": "in_the_loop",
    "autonomy": "none",
    "data_sensitivity": "internal",
    "harm_severity": "minor",
    "reversibility": "reversible",
    "eu_ai_act_class": "not_assessed",
    "people_affected": 0,
    "permissions_reviewed": False,
    "childrens_data": False,
    "rights_impacting": False,
    "safety_impacting": False,
    "public_facing": False,
    "generative": False,
    "dev_prod_separated": None,
    "board_reporting": False,
    "needs_rereview": False,
}


def fired(attrs: dict[str, object]) -> set[str]:
    return {r.id for r in load_rules() if r.matches(attrs)}


def suggested(attrs: dict[str, object]) -> dict[str, set[str]]:
    """risk template id -> its taxonomy refs, for what the attributes suggest."""
    return {s.risk.id: set(s.risk.taxonomy_refs) for s in suggest_risks(attrs)}


def use(**changes: object) -> dict[str, object]:
    return {**NEUTRAL, **changes}


def test_rule_attributes_exist_on_the_ai_use_model() -> None:
    fields = set(AIUse.model_fields)
    testable = ENUM_ATTRIBUTES.keys() | BOOL_ATTRIBUTES | INT_ATTRIBUTES | TEXT_ATTRIBUTES
    assert testable - fields == {"vendor_name"}  # the one the caller adds
    assert set(ANY_TEXT_PARTS) <= fields
    assert set(NEUTRAL) - fields == {"vendor_name"}
    for name, enum in ENUM_ATTRIBUTES.items():
        default = AIUse.model_fields[name].default
        # an exposure factor defaults to unknown (None), never to a level
        assert default is None or enum(default), name


def test_a_neutral_use_gets_no_suggestions() -> None:
    assert suggest_risks(NEUTRAL) == []


# The rules the product brief requires, in plain scenarios.


def test_an_agent_that_can_write_gets_tool_misuse_and_privilege_abuse() -> None:
    for autonomy in ("agent_write_approval", "agent_autonomous"):
        refs = suggested(use(autonomy=autonomy, permissions_reviewed=True, kill_switch="x"))
        assert "ASI02" in refs["RL-AGT-01"] and "ASI03" in refs["RL-AGT-02"]
    assert "RL-AGT-01" not in suggested(use(autonomy="agent_read", permissions_reviewed=True))
    assert "SR-01" not in fired(use(autonomy="assistive"))


def test_a_public_chatbot_gets_prompt_injection_and_information_integrity() -> None:
    refs = suggested(use(public_facing=True, generative=True))
    assert "LLM01" in refs["RL-GEN-02"] and "600-1.8" in refs["RL-GEN-03"]
    assert "SR-02" not in fired(use(public_facing=False, generative=True))
    assert "SR-02" not in fired(use(public_facing=True, generative=False))


def test_relied_on_generative_output_gets_confabulation() -> None:
    for role in ("informs_staff", "recommends", "decides_automatically"):
        assert "600-1.2" in suggested(use(generative=True, decision_role=role))["RL-GEN-01"]
    assert "RL-GEN-01" not in suggested(use(generative=True, decision_role="none"))
    assert "RL-GEN-01" not in suggested(use(generative=False, decision_role="recommends"))


def test_childrens_or_personal_data_gets_privacy() -> None:
    assert "600-1.4" in suggested(use(childrens_data=True))["RL-PRV-02"]
    for level in ("personal", "sensitive", "children_special"):
        assert "600-1.4" in suggested(use(data_sensitivity=level))["RL-PRV-01"]
    none = suggested(use(data_sensitivity="internal", childrens_data=False))
    assert not {"RL-PRV-01", "RL-PRV-02"} & none.keys()


def test_decisions_about_people_get_harmful_bias() -> None:
    for role in ("recommends", "decides_with_review", "decides_automatically"):
        assert "600-1.6" in suggested(use(decision_role=role))["RL-FAIR-01"]
    assert "RL-FAIR-01" not in suggested(use(decision_role="informs_staff"))


def test_an_agent_without_dev_prod_separation_gets_the_production_deletion_pattern() -> None:
    for autonomy in ("agent_read", "agent_write_approval", "agent_autonomous"):
        by_risk = {
            s.risk.id: s for s in suggest_risks(use(autonomy=autonomy, dev_prod_separated=False))
        }
        assert by_risk["RL-AGT-03"].rule_id == "SR-08"
        assert "AIID 1152" in by_risk["RL-AGT-03"].reason
    assert "RL-AGT-03" not in suggested(use(autonomy="agent_autonomous", dev_prod_separated=True))
    assert "RL-AGT-03" not in suggested(use(autonomy="agent_autonomous", dev_prod_separated=None))
    assert "RL-AGT-03" not in suggested(use(autonomy="assistive", dev_prod_separated=False))


def test_text_rules_match_words_not_fragments() -> None:
    assert "SR-20" in fired(use(purpose="Remote exam proctoring for online tests"))
    assert "SR-17" in fired(use(generative=True, affected_groups="Students aged 11-16"))
    assert "SR-17" not in fired(use(generative=True, purpose="Summarises kidney test results"))
    assert "SR-33" not in fired(use(generative=True, purpose="Expected benefits: faster replies"))


# Every shipped rule, mechanically: satisfy each clause -> fires; undo any one -> silent.


def _members(attribute: str) -> list[enums.LabelledEnum]:
    return list(ENUM_ATTRIBUTES[attribute])


def _satisfy(clause: Clause) -> dict[str, object]:
    a, op, v = clause.attribute, clause.op, clause.values
    target = "purpose" if a == ANY_TEXT else a
    if op == "is":
        state = v[0]
        if state in ("empty", "set"):
            return {target: "" if state == "empty" else "recorded"}
        if state in ("unknown", "known"):
            return {a: None if state == "unknown" else _known(a)}
        raise AssertionError(f"no shipped rule uses 'is {state}'")
    if op == "contains":
        return {target: f"used for {v[0]} every day"}
    if op in ("=", "in", ">=", "<="):
        return {a: v[0]}
    if op in ("!=", "not in"):
        return {a: next(m for m in _members(a) if m not in v) if a in ENUM_ATTRIBUTES else not v[0]}
    step = 1 if op == ">" else -1
    if a in INT_ATTRIBUTES:
        return {a: int(v[0]) + step}  # type: ignore[call-overload]
    members = _members(a)
    return {a: members[members.index(v[0]) + step]}  # type: ignore[arg-type]


def _known(attribute: str) -> object:
    """Some stated value of ``attribute`` (for "is known" / against "is unknown")."""
    if attribute in BOOL_ATTRIBUTES:
        return False
    if attribute in INT_ATTRIBUTES:
        return 0
    if attribute in ENUM_ATTRIBUTES:
        return next(m for m in _members(attribute) if m.value != "not_stated")
    return "recorded"


def _violate(clause: Clause) -> dict[str, object]:
    a, op, v = clause.attribute, clause.op, clause.values
    if a == ANY_TEXT:
        return dict.fromkeys(ANY_TEXT_PARTS, "")
    if op == "is" and v[0] in ("unknown", "known"):
        return {a: _known(a) if v[0] == "unknown" else None}
    if op == "is":
        return {a: "recorded" if v[0] == "empty" else ""}
    if op == "contains":
        return {a: ""}
    if op in ("=", "in"):
        if a in ENUM_ATTRIBUTES:
            return {a: next(m for m in _members(a) if m not in v)}
        if a in BOOL_ATTRIBUTES:
            return {a: not v[0]}
        return {a: "something else"}
    if op in ("!=", "not in"):
        return {a: v[0]}
    if a in INT_ATTRIBUTES:
        n = int(v[0])  # type: ignore[call-overload]
        return {a: {">=": n - 1, ">": n, "<=": n + 1, "<": n}[op]}
    members = _members(a)
    i = members.index(v[0])  # type: ignore[arg-type]
    return {a: members[{">=": i - 1, ">": i, "<=": i + 1, "<": i}[op]]}


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_each_rule_fires_on_its_attributes_and_not_without_them(rule: Rule) -> None:
    attrs = dict(NEUTRAL)
    for clause in rule.clauses:
        attrs.update(_satisfy(clause))
    assert rule.matches(attrs), attrs
    ids = {s.risk.id for s in suggest_risks(attrs)}
    assert set(rule.risk_ids) <= ids
    for clause in rule.clauses:
        assert not rule.matches({**attrs, **_violate(clause)}), clause
        # An unknown value never satisfies a comparison.
        if clause.op != "is" and clause.attribute != ANY_TEXT:
            assert not rule.matches({**attrs, clause.attribute: None}), clause


def test_suggestions_are_one_per_risk_with_every_reason_kept() -> None:
    attrs = use(autonomy="agent_read", permissions_reviewed=False)
    by_risk = {s.risk.id: s for s in suggest_risks(attrs)}
    # RL-AGT-02 comes from SR-12 only here; with write access SR-01 suggests it first.
    assert by_risk["RL-AGT-02"].rule_id == "SR-12" and by_risk["RL-AGT-02"].also == ()
    write = {s.risk.id: s for s in suggest_risks({**attrs, "autonomy": "agent_autonomous"})}
    assert write["RL-AGT-02"].rule_id == "SR-01"
    assert [rid for rid, _ in write["RL-AGT-02"].also] == ["SR-12"]
    ids = [s.risk.id for s in suggest_risks(attrs)]
    assert len(ids) == len(set(ids))
    assert "RL-AGT-04" not in {s.risk.id for s in suggest_risks(attrs, exclude=["RL-AGT-04"])}


def test_enum_members_values_and_labels_are_all_accepted() -> None:
    by_value = suggested(use(autonomy="agent_autonomous"))
    assert suggested(use(autonomy=enums.Autonomy.AGENT_AUTONOMOUS)) == by_value
    assert suggested(use(autonomy="Agent acting without approval")) == by_value
    assert suggested(use(public_facing="yes", generative="TRUE")).keys() >= {"RL-GEN-02"}
    with pytest.raises(ValueError, match="not one of"):
        suggest_risks(use(autonomy="superintelligent"))


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("", "empty"),
        ("autonomy", "cannot read"),
        ("colour = red", "not an attribute"),
        ("autonomy = agent_writes", "not a autonomy value"),
        ("generative = maybe", "true or false"),
        ("people_affected >= many", "whole number"),
        ("public_facing >= true", "no order"),
        ("autonomy contains agent", "text attributes"),
        ("autonomy >= agent_read|agent_autonomous", "one value"),
        ("autonomy ~ agent_read", "no operator"),
        ("purpose = ", "needs a value"),
        ("autonomy in", "needs a value"),
    ],
)
def test_bad_conditions_are_explained(condition: str, words: str) -> None:
    with pytest.raises(RuleError, match=words):
        parse_condition(condition)


def test_the_condition_language_reads_as_documented() -> None:
    clauses = parse_condition(
        "autonomy in agent_write_approval | agent_autonomous ; public_facing = TRUE"
    )
    assert [(c.attribute, c.op) for c in clauses] == [("autonomy", "in"), ("public_facing", "=")]
    (c,) = parse_condition("eu_ai_act_class not in high_risk|prohibited")
    assert c.holds({"eu_ai_act_class": "minimal"}) and not c.holds(
        {"eu_ai_act_class": "prohibited"}
    )
    (c,) = parse_condition("dev_prod_separated is unknown")
    assert (
        c.holds({})
        and c.holds({"dev_prod_separated": None})
        and not c.holds({"dev_prod_separated": False})
    )
    (c,) = parse_condition("people_affected > 999")
    assert c.holds({"people_affected": 1000}) and not c.holds({"people_affected": 999})
    (c,) = parse_condition("affected_groups contains pupil")
    assert c.holds({"affected_groups": "Pupils, parents"})
    assert not c.holds({"affected_groups": "Students"}) and not c.holds(
        {"affected_groups": "a pupa"}
    )
    (c,) = parse_condition("human_oversight != in_the_loop")
    assert c.holds({"human_oversight": "none"}) and not c.holds({"human_oversight": None})


def _rules_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text("rule_id,condition,risk_ids,reason\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        (
            "R1,autonomy >= agent_read,RL-AGT-01,Why\nR2,autonomy >= nonsense,RL-AGT-01,Why\n",
            3,
            "condition",
        ),
        ("R1,autonomy >= agent_read,RL-NOPE-01,Why\n", 2, "risk_ids"),
        ("R1,autonomy >= agent_read,RL-AGT-01,\n", 2, "reason"),
        (
            "R1,autonomy >= agent_read,RL-AGT-01,Why\nR1,generative = true,RL-GEN-01,Why\n",
            3,
            "rule_id",
        ),
    ],
)
def test_bad_rules_files_name_row_and_column(
    tmp_path: Path, body: str, row: int, column: str
) -> None:
    path = _rules_file(tmp_path, body)
    with pytest.raises(CatalogueFileError) as caught:
        load_rules(path)
    assert (caught.value.path, caught.value.row, caught.value.column) == (path, row, column)


def test_custom_rules_and_library_can_replace_the_shipped_ones(tmp_path: Path) -> None:
    rules = load_rules(
        _rules_file(tmp_path, "MY-1,board_reporting = true,RL-GOV-03,The board asked.\n")
    )
    library = load_risk_library()
    out = suggest_risks(use(board_reporting=True), rules=rules, library=library)
    assert [(s.rule_id, s.risk.id, s.reason) for s in out] == [
        ("MY-1", "RL-GOV-03", "The board asked.")
    ]
