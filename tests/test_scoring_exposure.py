"""Exposure scoring: calibration cases, floors, monotonicity, explanations and settings."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import riskdesk.scoring as scoring
from riskdesk.enums import (
    SCORED_TIERS,
    Autonomy,
    DataSensitivity,
    DecisionRole,
    EUAIActClass,
    HarmSeverity,
    Reversibility,
    Tier,
)
from riskdesk.scoring import (
    DEFAULT_CONFIG,
    METHOD_VERSION,
    ExposureFactors,
    ScoringConfig,
    reach_level,
    score_exposure,
)
from riskdesk.scoring.config import DEFAULT_WEIGHTS, weights_table
from riskdesk.scoring.ladder import ladder_table


def F(
    people_affected: Any = 0,
    decision_role: Any = "none",
    autonomy: Any = "none",
    data_sensitivity: Any = "internal",
    childrens_data: Any = False,
    harm_severity: Any = "minor",
    reversibility: Any = "reversible",
    rights_impacting: Any = False,
    safety_impacting: Any = False,
    eu_ai_act_class: Any = "minimal",
    eu_ai_act_basis: str = "",
) -> ExposureFactors:
    """Fully answered factors: whatever a case leaves out is answered at its lowest."""
    return ExposureFactors(
        people_affected,
        decision_role,
        autonomy,
        data_sensitivity,
        childrens_data,
        harm_severity,
        reversibility,
        rights_impacting,
        safety_impacting,
        eu_ai_act_class,
        eu_ai_act_basis,
    )


# (name, factors, expected tier) — realistic uses the defaults were calibrated against.
CALIBRATION = [
    (
        "staff-only drafting assistant, public data",
        F(40, "none", "assistive", "public", False, "minor", "reversible"),
        Tier.LOW,
    ),
    (
        "meeting-notes summariser for 300 staff",
        F(300, "informs_staff", "assistive", "internal", False, "minor", "reversible"),
        Tier.LOW,
    ),
    (
        "student tutoring chatbot",
        F(8_000, "none", "assistive", "personal", True, "moderate", "reversible"),
        Tier.MODERATE,
    ),
    (
        "customer-support chatbot",
        F(20_000, "informs_staff", "assistive", "personal", False, "minor", "reversible"),
        Tier.MODERATE,
    ),
    (
        "school grading aid",
        F(12_000, "recommends", "assistive", "personal", True, "serious", "hard_to_reverse"),
        Tier.HIGH,
    ),
    (
        "HR screening tool",
        F(5_000, "recommends", "assistive", "personal", False, "serious", "hard_to_reverse"),
        Tier.HIGH,
    ),
    (
        "autonomous coding agent with production access",
        F(50_000, "none", "agent_autonomous", "personal", False, "severe", "hard_to_reverse"),
        Tier.HIGH,
    ),
    (
        "clinic ambient scribe",
        F(
            20_000,
            "informs_staff",
            "assistive",
            "children_special",
            False,
            "serious",
            "hard_to_reverse",
        ),
        Tier.HIGH,
    ),
    (
        "automated benefit decisions",
        F(
            150_000,
            "decides_automatically",
            "none",
            "sensitive",
            False,
            "severe",
            "hard_to_reverse",
        ),
        Tier.CRITICAL,
    ),
    (
        "child-welfare risk screening",
        F(150_000, "recommends", "none", "children_special", False, "severe", "irreversible"),
        Tier.CRITICAL,
    ),
]


@pytest.mark.parametrize(("name", "factors", "tier"), CALIBRATION, ids=[c[0] for c in CALIBRATION])
def test_calibration_cases_land_in_the_intended_tier(
    name: str, factors: ExposureFactors, tier: Tier
) -> None:
    result = score_exposure(factors)
    assert result.tier is tier, (name, result.score)
    assert result.floor is None
    assert result.score == result.points == sum(c.points for c in result.factors)
    assert result.method == METHOD_VERSION


def test_worked_example_points() -> None:
    result = score_exposure(CALIBRATION[4][1])  # the grading aid
    assert [(c.name, c.points) for c in result.factors] == [
        ("reach", 15),
        ("decision_role", 12),
        ("autonomy", 2),
        ("data_sensitivity", 16),
        ("harm_severity", 12),
        ("reversibility", 5),
    ]
    assert result.score == 62
    assert result.tier_range == (45, 69)


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        (0, Tier.LOW),
        (19, Tier.LOW),
        (20, Tier.MODERATE),
        (44, Tier.MODERATE),
        (45, Tier.HIGH),
        (69, Tier.HIGH),
        (70, Tier.CRITICAL),
        (100, Tier.CRITICAL),
    ],
)
def test_tier_thresholds(score: int, tier: Tier) -> None:
    assert DEFAULT_CONFIG.tier_for_score(score) is tier


@pytest.mark.parametrize(
    ("people", "level"),
    [
        (0, 0),
        (99, 0),
        (100, 1),
        (999, 1),
        (1_000, 2),
        (9_999, 2),
        (10_000, 3),
        (99_999, 3),
        (100_000, 4),
        (10**9, 4),
    ],
)
def test_reach_bands_on_a_log_scale(people: int, level: int) -> None:
    assert reach_level(people) == level


def test_extremes_are_0_and_100() -> None:
    least = F(0, "none", "none", "public", False, "negligible", "reversible")
    most = F(
        10**6,
        "decides_automatically",
        "agent_autonomous",
        "sensitive",
        True,
        "severe",
        "irreversible",
    )
    assert score_exposure(least).score == 0
    assert score_exposure(least).tier is Tier.LOW
    assert score_exposure(most).score == 100


def test_childrens_data_counts_as_the_top_sensitivity_level() -> None:
    public_but_children = score_exposure(F(data_sensitivity="public", childrens_data=True))
    top = score_exposure(F(data_sensitivity="children_special"))
    assert public_but_children.points == top.points
    data = public_but_children.factors[3]
    assert data.name == "data_sensitivity"
    assert data.points == 16
    assert data.level == DataSensitivity.CHILDREN_SPECIAL.label
    assert "children's data" in data.explanation


# --- floors -------------------------------------------------------------------------

LOW_USE = F(50, "none", "none", "public", False, "negligible", "reversible")


@pytest.mark.parametrize(
    ("change", "tier", "must_not_deploy", "floor_words"),
    [
        ({"rights_impacting": True}, Tier.HIGH, False, "rights-impacting (OMB M-24-10)"),
        ({"safety_impacting": True}, Tier.HIGH, False, "safety-impacting (OMB M-24-10)"),
        (
            {"eu_ai_act_class": "high_risk", "eu_ai_act_basis": "Annex III 4(a)"},
            Tier.HIGH,
            False,
            "EU AI Act high-risk (Annex III 4(a))",
        ),
        (
            {"eu_ai_act_class": "prohibited", "eu_ai_act_basis": "Article 5.1.f"},
            Tier.CRITICAL,
            True,
            "EU AI Act prohibited practice (Article 5.1.f)",
        ),
    ],
)
def test_each_floor_lifts_a_low_use(
    change: dict[str, object], tier: Tier, must_not_deploy: bool, floor_words: str
) -> None:
    result = score_exposure(dataclasses.replace(LOW_USE, **change))  # type: ignore[arg-type]
    assert result.points == 0
    assert result.tier is tier
    assert result.tier_from_points is Tier.LOW
    assert result.score == DEFAULT_CONFIG.threshold(tier)
    assert result.must_not_deploy is must_not_deploy
    assert result.floor == floor_words
    assert result.floor_tier is tier
    assert result.raised_by_floor


@pytest.mark.parametrize("eu_class", ["minimal", "transparency"])
def test_other_eu_classes_set_no_floor(eu_class: str) -> None:
    result = score_exposure(dataclasses.replace(LOW_USE, eu_ai_act_class=eu_class))
    assert result.floor is None
    assert result.floor_tier is None
    assert result.tier is Tier.LOW
    assert not result.must_not_deploy


def test_a_floor_never_lowers_a_score_already_above_it() -> None:
    benefits = CALIBRATION[8][1]
    plain = score_exposure(benefits)
    floored = score_exposure(dataclasses.replace(benefits, rights_impacting=True))
    assert floored.score == plain.score
    assert floored.tier is Tier.CRITICAL
    assert floored.floor == "rights-impacting (OMB M-24-10)"
    assert not floored.raised_by_floor


def test_several_floors_are_all_named_and_the_highest_wins() -> None:
    result = score_exposure(
        dataclasses.replace(
            LOW_USE, rights_impacting=True, safety_impacting=True, eu_ai_act_class="prohibited"
        )
    )
    assert result.floor == (
        "rights-impacting (OMB M-24-10); safety-impacting (OMB M-24-10); "
        "EU AI Act prohibited practice"
    )
    assert result.tier is Tier.CRITICAL
    assert result.must_not_deploy


# --- explanation ----------------------------------------------------------------------


def test_explain_reads_as_plain_words() -> None:
    grading = dataclasses.replace(
        CALIBRATION[4][1],
        rights_impacting=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(b)",
    )
    lines = score_exposure(grading).explain()
    assert lines[0] == "Reaches about 12,000 people a year (10k+ band): +15 points"
    assert lines[1] == "Recommends what to decide about people; staff make the call: +12 points"
    assert lines[3] == "Uses children's data (counted as the most sensitive level): +16 points"
    assert "Total: 62 of 100 points (High)." in lines
    assert (
        "Floor: rights-impacting (OMB M-24-10); EU AI Act high-risk (Annex III 3(b)), "
        "so never below High." in lines
    )
    assert lines[-1] == "Exposure 62 of 100: High tier (High is 45–69)."


def test_explain_says_when_a_floor_raised_the_score_and_must_not_deploy() -> None:
    lines = score_exposure(
        dataclasses.replace(LOW_USE, eu_ai_act_class="prohibited", eu_ai_act_basis="Art. 5.1.a")
    ).explain()
    assert lines[0] == "Reaches fewer than 100 people a year (about 50): +0 points"
    assert (
        "Floor: EU AI Act prohibited practice (Art. 5.1.a), so never below Critical: "
        "the score is raised from 0 to 70." in lines
    )
    assert "Must not be deployed: the EU AI Act prohibits this practice." in lines
    assert lines[-1] == "Exposure 70 of 100: Critical tier (Critical is 70–100)."


# --- inputs ------------------------------------------------------------------------------


def test_from_obj_reads_aiuse_attribute_names() -> None:
    from riskdesk.store.models import AIUse

    use = AIUse(
        name="Grading aid",
        people_affected=12_000,
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="personal",
        childrens_data=True,
        harm_severity="serious",
        reversibility="hard_to_reverse",
        rights_impacting=True,
        safety_impacting=False,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(b)",
    )
    factors = ExposureFactors.from_obj(use)
    assert factors == dataclasses.replace(
        CALIBRATION[4][1],
        rights_impacting=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(b)",
    )
    # Every factor is an AIUse column, so the service can build factors from a row.
    assert {f.name for f in dataclasses.fields(ExposureFactors)} <= set(AIUse.model_fields)


def test_enum_members_and_labels_are_accepted() -> None:
    by_value = score_exposure(CALIBRATION[5][1])
    by_member = score_exposure(
        F(
            5_000,
            DecisionRole.RECOMMENDS,
            Autonomy.ASSISTIVE,
            DataSensitivity.PERSONAL,
            False,
            HarmSeverity.SERIOUS,
            Reversibility.HARD_TO_REVERSE,
        )
    )
    by_label = score_exposure(
        F(
            5_000,
            "Recommends about people",
            "Assistive (suggests only)",
            "Personal",
            False,
            "Serious",
            "Hard to reverse",
        )
    )
    assert by_value.score == by_member.score == by_label.score == 49


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"decision_role": "sometimes"}, "decision_role"),
        ({"autonomy": None}, "autonomy"),
        ({"data_sensitivity": ""}, "data_sensitivity"),
        ({"harm_severity": "catastrophic"}, "harm_severity"),
        ({"reversibility": "maybe"}, "reversibility"),
        ({"eu_ai_act_class": "annex_iii"}, "eu_ai_act_class"),
        ({"people_affected": -1}, "people_affected"),
        ({"people_affected": "lots"}, "people_affected"),
        ({"people_affected": None}, "people_affected"),
    ],
)
def test_bad_factors_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field}:"):
        score_exposure(dataclasses.replace(LOW_USE, **change))  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

ORDERED: dict[str, list[Any]] = {
    "decision_role": [m.value for m in DecisionRole],
    "autonomy": [m.value for m in Autonomy],
    "data_sensitivity": [m.value for m in DataSensitivity],
    "harm_severity": [m.value for m in HarmSeverity],
    "reversibility": [m.value for m in Reversibility],
    # "not assessed" is an unanswered question, not a level (see test_scoring_unknown.py)
    "eu_ai_act_class": [m.value for m in EUAIActClass if m is not EUAIActClass.NOT_ASSESSED],
    "childrens_data": [False, True],
    "rights_impacting": [False, True],
    "safety_impacting": [False, True],
}

factors_strategy = st.builds(
    ExposureFactors,
    people_affected=st.integers(min_value=0, max_value=10**7),
    decision_role=st.sampled_from(ORDERED["decision_role"]),
    autonomy=st.sampled_from(ORDERED["autonomy"]),
    data_sensitivity=st.sampled_from(ORDERED["data_sensitivity"]),
    childrens_data=st.booleans(),
    harm_severity=st.sampled_from(ORDERED["harm_severity"]),
    reversibility=st.sampled_from(ORDERED["reversibility"]),
    rights_impacting=st.booleans(),
    safety_impacting=st.booleans(),
    eu_ai_act_class=st.sampled_from(ORDERED["eu_ai_act_class"]),
    eu_ai_act_basis=st.sampled_from(["", "Annex III 3(b)"]),
)


def _one_step_up(f: ExposureFactors, name: str, extra_people: int) -> ExposureFactors:
    if name == "people_affected":
        return dataclasses.replace(f, people_affected=f.people_affected + extra_people)
    order = ORDERED[name]
    current = order.index(getattr(f, name))
    return dataclasses.replace(f, **{name: order[min(len(order) - 1, current + 1)]})


@settings(max_examples=200, deadline=None)
@given(factors_strategy, st.integers(min_value=1, max_value=10**6))
def test_raising_any_single_factor_never_lowers_the_exposure(
    f: ExposureFactors, extra_people: int
) -> None:
    # One step up for every factor in turn: larger jumps are chains of single steps.
    before = score_exposure(f)
    for name in ["people_affected", *ORDERED]:
        after = score_exposure(_one_step_up(f, name, extra_people))
        assert after.score >= before.score, name
        assert after.points >= before.points, name
        assert after.tier.ordinal() >= before.tier.ordinal(), name


@settings(max_examples=200, deadline=None)
@given(factors_strategy)
def test_floors_always_hold_and_score_stays_in_range(f: ExposureFactors) -> None:
    result = score_exposure(f)
    assert 0 <= result.points <= result.score <= 100
    assert result.tier is DEFAULT_CONFIG.tier_for_score(result.score)
    if f.rights_impacting or f.safety_impacting or f.eu_ai_act_class == "high_risk":
        assert result.tier.ordinal() >= Tier.HIGH.ordinal()
        assert result.floor
    if f.eu_ai_act_class == "prohibited":
        assert result.tier is Tier.CRITICAL
        assert result.must_not_deploy
    else:
        assert not result.must_not_deploy
    assert result.raised_by_floor == (result.score != result.points)
    assert result.explain()[-1].startswith(f"Exposure {result.score} of 100:")


@settings(max_examples=100, deadline=None)
@given(factors_strategy)
def test_scoring_is_pure(f: ExposureFactors) -> None:
    assert score_exposure(f) == score_exposure(
        ExposureFactors.from_obj(SimpleNamespace(**dataclasses.asdict(f)))
    )


# --- settings --------------------------------------------------------------------------


def test_config_json_round_trip() -> None:
    text = DEFAULT_CONFIG.to_json()
    assert ScoringConfig.from_json(text) == DEFAULT_CONFIG
    assert ScoringConfig.from_json(text).to_json() == text
    assert ScoringConfig.from_json("{}") == DEFAULT_CONFIG  # missing sections: defaults
    assert '"reach": [0, 5, 10, 15, 20]' in text  # readable when edited by hand


def test_changed_weights_change_the_method_version_and_the_score() -> None:
    data = json.loads(DEFAULT_CONFIG.to_json())
    data["weights"]["reach"] = [0, 6, 12, 18, 24]
    data["weights"]["reversibility"] = [0, 3, 6]
    custom = ScoringConfig.from_json(json.dumps(data))
    assert custom.method_version.startswith(f"{METHOD_VERSION}+")
    assert len(custom.method_version) == len(METHOD_VERSION) + 9
    assert ScoringConfig.from_json(custom.to_json()).method_version == custom.method_version
    assert score_exposure(CALIBRATION[0][1], custom).method == custom.method_version
    # 40 people stay in the bottom band; 500 people now earn 6 for reach, not 5.
    assert score_exposure(CALIBRATION[0][1], custom).points == 0 + 2 + 3
    assert score_exposure(F(people_affected=500), custom).points == 6 + 3 + 3

    thresholds = json.loads(DEFAULT_CONFIG.to_json())
    thresholds["tier_thresholds"]["high"] = 50
    other = ScoringConfig.from_json(json.dumps(thresholds))
    assert other.method_version not in (METHOD_VERSION, custom.method_version)


def test_changing_the_ladder_or_cadence_keeps_the_method_version() -> None:
    data = json.loads(DEFAULT_CONFIG.to_json())
    data["review_months"]["low"] = 9
    data["ladder"]["owner_second"] = "low"
    config = ScoringConfig.from_json(json.dumps(data))
    assert config != DEFAULT_CONFIG
    assert config.method_version == METHOD_VERSION
    assert config.review_months_for(Tier.LOW) == 9
    assert hash(config) != hash(DEFAULT_CONFIG)


def _with(path: str, value: object) -> str:
    data = json.loads(DEFAULT_CONFIG.to_json())
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return json.dumps(data)


_DELETE = object()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("not json", "scoring settings are not valid JSON"),
        ("[1, 2]", "scoring settings"),
        (_with("colour", "red"), "colour"),
        (_with("format", 2), "format"),
        (_with("weights", [1, 2]), "weights"),
        (_with("weights.reach", [0, 5, 10, 15]), "weights.reach"),
        (_with("weights.reach", "0,5,10,15,20"), "weights.reach"),
        (_with("weights.reach", [0, 5, 10, 15.5, 20]), "weights.reach"),
        (_with("weights.reach", [0, 5, 10, True, 20]), "weights.reach"),
        (_with("weights.autonomy", [0, 2, 11, 6, 16]), "weights.autonomy"),
        (_with("weights.autonomy", [-2, 2, 6, 11, 16]), "weights.autonomy"),
        (_with("weights.reach", [0, 5, 10, 15, 25]), "weights"),
        (_with("weights.reech", [0, 5, 10, 15, 20]), "weights.reech"),
        (_with("weights.reach", _DELETE), "weights.reach"),
        (_with("tier_thresholds.high", 15), "tier_thresholds.high"),
        (_with("tier_thresholds.critical", 101), "tier_thresholds.critical"),
        (_with("tier_thresholds.moderate", "20"), "tier_thresholds.moderate"),
        (_with("tier_thresholds.low", 0), "tier_thresholds.low"),
        (_with("review_months.high", 0), "review_months.high"),
        (_with("review_months.critical", 6), "review_months.critical"),
        (_with("review_months.moderate", _DELETE), "review_months.moderate"),
        (_with("ladder.kill_switch", "extreme"), "ladder.kill_switch"),
        (_with("ladder.kill_switch", 3), "ladder.kill_switch"),
        (_with("ladder.coffee", "low"), "ladder.coffee"),
    ],
)
def test_bad_config_is_rejected_naming_the_key(text: str, key: str) -> None:
    with pytest.raises(ValueError) as info:
        ScoringConfig.from_json(text)
    assert str(info.value).startswith(key)


def test_config_is_immutable_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_CONFIG.weights = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_CONFIG.weights["reach"] = (0, 0, 0, 0, 0)  # type: ignore[index]
    assert ScoringConfig(weights=dict(reversed(list(DEFAULT_WEIGHTS.items())))) == DEFAULT_CONFIG
    assert len({DEFAULT_CONFIG, ScoringConfig()}) == 1


def test_documentation_matches_the_defaults() -> None:
    doc = scoring.__doc__ or ""
    for row in weights_table() + ladder_table():
        assert row in doc
    for tier in SCORED_TIERS:
        low, high = scoring.tier_range(tier)
        assert f"**{tier.label}** {low}–{high}" in doc
    months = "/".join(str(DEFAULT_CONFIG.review_months_for(t)) for t in SCORED_TIERS)
    assert months.replace("/", " / ") in doc


def test_scoring_imports_no_qt_sql_store_or_service() -> None:
    # A fresh interpreter, so modules other tests imported do not hide a layer leak.
    code = (
        "import sys, riskdesk.scoring\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'sqlmodel', 'sqlalchemy', 'sqlite3') "
        "or m.startswith(('riskdesk.store', 'riskdesk.service', 'riskdesk.ui')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
