"""Exposure of one AI use: 0–100 points from six factors, a tier, and floors.

Pure: the same factors and settings always give the same result. Each factor's level
earns the points set in ``ScoringConfig.weights``; the score is their sum. Floors then
lift the score to the lowest score of a tier: rights- or safety-impacting uses (in the
OMB M-24-10 sense) and EU AI Act high-risk uses are at least High; a prohibited practice
(EU AI Act Article 5) is Critical and must not be deployed. Lifting the score, not just
the tier, keeps the stored exposure and tier in agreement, so sorting the register by
exposure also sorts it by tier.

Why these default points (the top levels add up to 100):

* Reach (20) — how many people are exposed, on a log scale, because a mistake repeated
  for 100,000 people is a different thing from one repeated for 50; each tenfold step
  adds 5 points.
* Part in decisions about people (22) — the largest factor: the closer the output comes
  to deciding about a person (a grade, a job, a loan), the more it matters. The big step
  is from "informs staff" (5) to "recommends" (12): the output now steers the decision.
* Autonomy (16) — agents fail at the boundary of their permissions, so the points jump
  once an agent can change things (11) and again when nobody approves the change (16).
  Suggest-only tools earn little (2): a person still does every action.
* Data sensitivity (16) — personal data (8) brings privacy and fairness harms;
  children's or special-category data takes the top level whatever else is recorded,
  because the ``childrens_data`` flag counts as the most sensitive level.
* Worst plausible harm (16) and whether it can be undone (10) — together 26 points, so a
  use that could cause severe, irreversible harm is never far from High on its own.

With the default thresholds (Moderate 20, High 45, Critical 70) a staff-only drafting
assistant using public data scores about 5 (Low); a student tutoring chatbot about 35
(Moderate); a school grading aid about 60, an HR screening tool about 50 and an
autonomous coding agent with production access about 65 (all High); automated benefit
or child-welfare decisions for 100,000+ people score above 70 (Critical).

Unknown is not Low. Any factor — and any input of the floors (rights- or
safety-impacting, the EU AI Act class) — may be unanswered (``None``). A use with an
unanswered factor has no score: ``assess_exposure`` gives it the tier "Not assessed"
and the *provisional range* its known answers allow. Because points never go down from
one level to the next and floors only lift, the lowest possible result is every missing
answer at its least exposed level and the highest is every one at its most exposed
(100k+ people, children's data, rights- and safety-impacting, a prohibited practice),
so two scorings give the exact range over all completions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, TypeVar

from riskdesk.enums import (
    SCORED_TIERS,
    Assessment,
    Autonomy,
    DataSensitivity,
    DecisionRole,
    EUAIActClass,
    HarmSeverity,
    LabelledEnum,
    Reversibility,
    Tier,
)
from riskdesk.scoring.config import (
    DEFAULT_CONFIG,
    FACTOR_TITLES,
    REACH_LEVELS,
    ScoringConfig,
)

# People affected a year at which each reach band starts (log scale).
REACH_CUTS: tuple[int, ...] = (100, 1_000, 10_000, 100_000)


@dataclass(frozen=True)
class ExposureFactors:
    """The inputs to exposure, named exactly like the ``AIUse`` columns.

    ``None`` is an unanswered question (so is the EU AI Act class "not assessed"):
    nothing defaults to the lowest level.
    """

    people_affected: int | None = None
    decision_role: str | None = None
    autonomy: str | None = None
    data_sensitivity: str | None = None
    childrens_data: bool | None = None
    harm_severity: str | None = None
    reversibility: str | None = None
    rights_impacting: bool | None = None
    safety_impacting: bool | None = None
    eu_ai_act_class: str | None = None
    eu_ai_act_basis: str = ""

    @classmethod
    def from_obj(cls, obj: object) -> ExposureFactors:
        """Read the factors from anything with ``AIUse``'s attribute names."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})


# Every question exposure asks, with its title: the factors and the floors' inputs.
QUESTIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "people_affected": "People affected a year",
        "decision_role": "Part in decisions about people",
        "autonomy": "Autonomy",
        "data_sensitivity": "Data sensitivity",
        "childrens_data": "Children's data",
        "harm_severity": "Worst plausible harm",
        "reversibility": "Can mistakes be undone",
        "rights_impacting": "Rights-impacting (OMB M-24-10)",
        "safety_impacting": "Safety-impacting (OMB M-24-10)",
        "eu_ai_act_class": "EU AI Act class",
    }
)


def _unanswered(f: ExposureFactors, name: str) -> bool:
    value = getattr(f, name)
    if name == "eu_ai_act_class" and value is not None:
        return str(value) == EUAIActClass.NOT_ASSESSED.value
    return value is None


def missing_answers(f: ExposureFactors) -> tuple[str, ...]:
    """The questions (``QUESTIONS`` keys) still unanswered, in ``QUESTIONS`` order.

    Children's data and data sensitivity settle one factor together: once either says
    "children's or special-category" the other cannot change the score, so it is not
    missing.
    """
    children_top = f.childrens_data is True or (
        f.data_sensitivity is not None
        and str(f.data_sensitivity) == DataSensitivity.CHILDREN_SPECIAL.value
    )
    out = []
    for name in QUESTIONS:
        if not _unanswered(f, name):
            continue
        if children_top and name in ("data_sensitivity", "childrens_data"):
            continue
        out.append(name)
    return tuple(out)


def assessment_status(f: ExposureFactors) -> Assessment:
    """Assessed (every question answered), partly, or not assessed (none answered)."""
    if not missing_answers(f):
        return Assessment.ASSESSED
    if all(_unanswered(f, name) for name in QUESTIONS):
        return Assessment.NOT_ASSESSED
    return Assessment.PARTLY


def _completion(f: ExposureFactors, highest: bool) -> ExposureFactors:
    """``f`` with every unanswered question at its least (or most) exposed answer."""

    def pick(name: str, low: object, high: object) -> object:
        return (high if highest else low) if _unanswered(f, name) else getattr(f, name)

    return replace(
        f,
        people_affected=pick("people_affected", 0, REACH_CUTS[-1]),  # type: ignore[arg-type]
        decision_role=pick("decision_role", *_ends(DecisionRole)),  # type: ignore[arg-type]
        autonomy=pick("autonomy", *_ends(Autonomy)),  # type: ignore[arg-type]
        data_sensitivity=pick("data_sensitivity", *_ends(DataSensitivity)),  # type: ignore[arg-type]
        childrens_data=pick("childrens_data", False, True),  # type: ignore[arg-type]
        harm_severity=pick("harm_severity", *_ends(HarmSeverity)),  # type: ignore[arg-type]
        reversibility=pick("reversibility", *_ends(Reversibility)),  # type: ignore[arg-type]
        rights_impacting=pick("rights_impacting", False, True),  # type: ignore[arg-type]
        safety_impacting=pick("safety_impacting", False, True),  # type: ignore[arg-type]
        eu_ai_act_class=pick(  # type: ignore[arg-type]
            "eu_ai_act_class", EUAIActClass.MINIMAL.value, EUAIActClass.PROHIBITED.value
        ),
    )


def _ends(cls: type[LabelledEnum]) -> tuple[str, str]:
    members = list(cls)
    return members[0].value, members[-1].value


@dataclass(frozen=True)
class FactorContribution:
    name: str  # factor code, e.g. "reach"
    level: str  # the level's label, e.g. "10k+"
    points: int
    max_points: int
    explanation: str  # plain words, e.g. "Reaches about 12,000 people a year (10k+ band)"


@dataclass(frozen=True)
class ExposureResult:
    score: int  # 0–100, after floors
    tier: Tier
    must_not_deploy: bool
    floor: str | None  # why a floor applies (even if the points already reach it)
    method: str
    factors: list[FactorContribution]
    points: int  # sum of the factor points, before floors
    tier_from_points: Tier
    floor_tier: Tier | None  # the least tier the floor allows
    tier_range: tuple[int, int]  # lowest and highest score of ``tier``

    @property
    def raised_by_floor(self) -> bool:
        return self.score > self.points

    def explain(self) -> list[str]:
        """Why this tier, line by line, in plain words."""
        lines = [f"{c.explanation}: +{c.points} points" for c in self.factors]
        lines.append(f"Total: {self.points} of 100 points ({self.tier_from_points.label}).")
        if self.floor and self.floor_tier is not None:
            lines.append(
                f"Floor: {self.floor}, so never below {self.floor_tier.label}"
                + (
                    f": the score is raised from {self.points} to {self.score}."
                    if self.raised_by_floor
                    else "."
                )
            )
        if self.must_not_deploy:
            lines.append("Must not be deployed: the EU AI Act prohibits this practice.")
        low, high = self.tier_range
        lines.append(
            f"Exposure {self.score} of 100: {self.tier.label} tier "
            f"({self.tier.label} is {low}–{high})."
        )
        return lines


def tier_range(tier: Tier, config: ScoringConfig = DEFAULT_CONFIG) -> tuple[int, int]:
    """Lowest and highest score of ``tier``."""
    tiers = list(SCORED_TIERS)
    i = tiers.index(tier)
    upper = 100 if i == len(tiers) - 1 else config.threshold(tiers[i + 1]) - 1
    return config.threshold(tier), upper


def reach_level(people_affected: int) -> int:
    """Index of the reach band: 0 under 100, 1 100+, 2 1k+, 3 10k+, 4 100k+."""
    return bisect_right(REACH_CUTS, people_affected)


_E = TypeVar("_E", bound=LabelledEnum)


def _parse(cls: type[_E], name: str, value: object) -> _E:
    if value is None:
        raise ValueError(f"{name}: missing")
    try:
        member = cls.parse(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    assert isinstance(member, cls)
    return member


_DECISION_WORDS: dict[DecisionRole, str] = {
    DecisionRole.NONE: "Plays no part in decisions about people",
    DecisionRole.INFORMS_STAFF: "Gives staff information they may use in decisions",
    DecisionRole.RECOMMENDS: "Recommends what to decide about people; staff make the call",
    DecisionRole.DECIDES_WITH_REVIEW: "Decides about people, with a person reviewing",
    DecisionRole.DECIDES_AUTOMATICALLY: "Decides about people on its own",
}

_AUTONOMY_WORDS: dict[Autonomy, str] = {
    Autonomy.NONE: "Takes no actions of its own",
    Autonomy.ASSISTIVE: "Only suggests; a person does every action",
    Autonomy.AGENT_READ: "An agent that can look things up with read-only tools",
    Autonomy.AGENT_WRITE_APPROVAL: "An agent that can change things, with a person approving",
    Autonomy.AGENT_AUTONOMOUS: "An agent that changes things without asking anyone",
}

_DATA_WORDS: dict[DataSensitivity, str] = {
    DataSensitivity.PUBLIC: "Uses only public information",
    DataSensitivity.INTERNAL: "Uses internal information, nothing personal",
    DataSensitivity.PERSONAL: "Uses personal information",
    DataSensitivity.SENSITIVE: "Uses sensitive personal information (money, discipline…)",
    DataSensitivity.CHILDREN_SPECIAL: (
        "Uses children's or special-category data (health, ethnicity, religion…)"
    ),
}

_HARM_WORDS: dict[HarmSeverity, str] = {
    HarmSeverity.NEGLIGIBLE: "If it goes wrong, the harm is negligible",
    HarmSeverity.MINOR: "If it goes wrong, the harm is minor (an inconvenience)",
    HarmSeverity.MODERATE: "If it goes wrong, the harm is moderate",
    HarmSeverity.SERIOUS: (
        "If it goes wrong, the harm is serious (someone's job, grades, money or health)"
    ),
    HarmSeverity.SEVERE: (
        "If it goes wrong, the harm is severe (lasting damage to someone's life, safety or rights)"
    ),
}

_REVERSIBILITY_WORDS: dict[Reversibility, str] = {
    Reversibility.REVERSIBLE: "Mistakes are easy to put right",
    Reversibility.HARD_TO_REVERSE: "Mistakes are hard to put right",
    Reversibility.IRREVERSIBLE: "Mistakes cannot be undone",
}


def _reach_words(people: int, level: int) -> str:
    if level == 0:
        return f"Reaches fewer than 100 people a year (about {people:,})"
    return f"Reaches about {people:,} people a year ({REACH_LEVELS[level]} band)"


def score_exposure(f: ExposureFactors, config: ScoringConfig = DEFAULT_CONFIG) -> ExposureResult:
    """Score one fully answered use. Raises ``ValueError`` naming the field if a factor
    is not valid or not answered (``assess_exposure`` handles unanswered ones)."""
    people = f.people_affected
    if people is None:
        raise ValueError("people_affected: not answered")
    for name in ("childrens_data", "rights_impacting", "safety_impacting"):
        if getattr(f, name) is None:
            raise ValueError(f"{name}: not answered")
    if isinstance(people, bool) or not isinstance(people, int):
        raise ValueError(f"people_affected: must be a whole number, not {people!r}")
    if people < 0:
        raise ValueError("people_affected: must not be negative")
    decision = _parse(DecisionRole, "decision_role", f.decision_role)
    autonomy = _parse(Autonomy, "autonomy", f.autonomy)
    data = _parse(DataSensitivity, "data_sensitivity", f.data_sensitivity)
    harm = _parse(HarmSeverity, "harm_severity", f.harm_severity)
    reversibility = _parse(Reversibility, "reversibility", f.reversibility)
    eu_class = _parse(EUAIActClass, "eu_ai_act_class", f.eu_ai_act_class)
    if eu_class is EUAIActClass.NOT_ASSESSED:
        raise ValueError("eu_ai_act_class: not answered")

    reach = reach_level(people)
    data_level = data.ordinal()
    data_words = _DATA_WORDS[data]
    if f.childrens_data and data is not DataSensitivity.CHILDREN_SPECIAL:
        # Children's data is the most sensitive level, whatever else was ticked.
        data_level = DataSensitivity.CHILDREN_SPECIAL.ordinal()
        data_words = "Uses children's data (counted as the most sensitive level)"
    data_label = list(DataSensitivity)[data_level].label

    levels: list[tuple[str, int, str, str]] = [
        ("reach", reach, REACH_LEVELS[reach], _reach_words(people, reach)),
        ("decision_role", decision.ordinal(), decision.label, _DECISION_WORDS[decision]),
        ("autonomy", autonomy.ordinal(), autonomy.label, _AUTONOMY_WORDS[autonomy]),
        ("data_sensitivity", data_level, data_label, data_words),
        ("harm_severity", harm.ordinal(), harm.label, _HARM_WORDS[harm]),
        (
            "reversibility",
            reversibility.ordinal(),
            reversibility.label,
            _REVERSIBILITY_WORDS[reversibility],
        ),
    ]
    contributions = [
        FactorContribution(
            name=name,
            level=label,
            points=config.points(name, level),
            max_points=config.max_points(name),
            explanation=words,
        )
        for name, level, label, words in levels
    ]
    points = min(100, sum(c.points for c in contributions))

    reasons: list[str] = []
    floor_tier = Tier.LOW
    basis_text = (f.eu_ai_act_basis or "").strip()
    basis = f" ({basis_text})" if basis_text else ""
    if f.rights_impacting:
        reasons.append("rights-impacting (OMB M-24-10)")
        floor_tier = Tier.HIGH
    if f.safety_impacting:
        reasons.append("safety-impacting (OMB M-24-10)")
        floor_tier = Tier.HIGH
    if eu_class is EUAIActClass.HIGH_RISK:
        reasons.append(f"EU AI Act high-risk{basis}")
        floor_tier = Tier.HIGH
    must_not_deploy = eu_class is EUAIActClass.PROHIBITED
    if must_not_deploy:
        reasons.append(f"EU AI Act prohibited practice{basis}")
        floor_tier = Tier.CRITICAL

    score = max(points, config.threshold(floor_tier))
    tier = config.tier_for_score(score)
    return ExposureResult(
        score=score,
        tier=tier,
        must_not_deploy=must_not_deploy,
        floor="; ".join(reasons) if reasons else None,
        method=config.method_version,
        factors=contributions,
        points=points,
        tier_from_points=config.tier_for_score(points),
        floor_tier=floor_tier if reasons else None,
        tier_range=tier_range(tier, config),
    )


# The point factors and the questions that set each one.
_FACTOR_QUESTIONS: dict[str, tuple[str, ...]] = {
    "reach": ("people_affected",),
    "decision_role": ("decision_role",),
    "autonomy": ("autonomy",),
    "data_sensitivity": ("data_sensitivity", "childrens_data"),
    "harm_severity": ("harm_severity",),
    "reversibility": ("reversibility",),
}
_FLOOR_WORDS: dict[str, str] = {
    "rights_impacting": "if it is, never below High",
    "safety_impacting": "if it is, never below High",
    "eu_ai_act_class": "high-risk would mean never below High; a prohibited practice, Critical",
}


@dataclass(frozen=True)
class ExposureAssessment:
    """What the known answers say: a score when all are known, else a provisional range.

    ``low`` and ``high`` score the least and most exposed completions of the missing
    answers; for an assessed use both are ``result``.
    """

    status: Assessment
    missing: tuple[str, ...]  # QUESTIONS keys still unanswered
    result: ExposureResult | None  # the score, only when every question is answered
    low: ExposureResult
    high: ExposureResult
    method: str

    @property
    def assessed(self) -> bool:
        return self.result is not None

    @property
    def tier(self) -> Tier:
        return self.result.tier if self.result is not None else Tier.NOT_ASSESSED

    @property
    def exposure(self) -> int | None:
        """The score; ``None`` (not a number) until every question is answered."""
        return self.result.score if self.result is not None else None

    @property
    def score_range(self) -> tuple[int, int]:
        return self.low.score, self.high.score

    @property
    def tier_range(self) -> tuple[Tier, Tier]:
        return self.low.tier, self.high.tier

    @property
    def missing_titles(self) -> list[str]:
        return [QUESTIONS[name] for name in self.missing]

    def range_words(self) -> str:
        """ "between Moderate and Critical depending on the answers still missing"."""
        return provisional_words(self.low.tier, self.high.tier)

    def explain(self) -> list[str]:
        """Why this tier, line by line; an unanswered question is said to be one."""
        if self.result is not None:
            return self.result.explain()
        lines: list[str] = []
        for low_c, high_c in zip(self.low.factors, self.high.factors, strict=True):
            asked = _FACTOR_QUESTIONS[low_c.name]
            if low_c.points == high_c.points and not any(q in self.missing for q in asked):
                lines.append(f"{low_c.explanation}: +{low_c.points} points")
            else:
                title = FACTOR_TITLES[low_c.name]
                lines.append(
                    f"{title}: not answered yet ({low_c.points}–{high_c.points} points "
                    "depending on the answer)"
                )
        for name, words in _FLOOR_WORDS.items():
            if name in self.missing:
                lines.append(f"{QUESTIONS[name]}: not answered yet ({words})")
        if self.low.floor and self.low.floor_tier is not None:
            lines.append(f"Floor: {self.low.floor}, so never below {self.low.floor_tier.label}.")
        if self.low.must_not_deploy:
            lines.append("Must not be deployed: the EU AI Act prohibits this practice.")
        low, high = self.score_range
        lines.append(
            f"Not assessed: {self.range_words()} (exposure {low}–{high} of 100). "
            f"Still to answer: {', '.join(self.missing_titles)}."
        )
        return lines


def exposure_text(use: Mapping[str, Any]) -> str:
    """A stored use's exposure for display: the number, or while it is not assessed the
    provisional range ("20–100") — never a number nobody established."""
    if use.get("exposure") is not None:
        return str(use["exposure"])
    low, high = use.get("exposure_low"), use.get("exposure_high")
    if low is None or high is None:
        return "not assessed"
    return f"{low}–{high}"


def provisional_words(low: Tier | str, high: Tier | str) -> str:
    """The provisional range in words, for every place that shows a not-assessed use."""
    low_label, high_label = Tier.parse(low).label, Tier.parse(high).label
    if low_label == high_label:
        return f"{low_label} whatever the answers still missing"
    return f"between {low_label} and {high_label} depending on the answers still missing"


def assess_exposure(
    f: ExposureFactors, config: ScoringConfig = DEFAULT_CONFIG
) -> ExposureAssessment:
    """Score a use whose answers may be incomplete. Raises ``ValueError`` naming the
    field if a given answer is not valid."""
    missing = missing_answers(f)
    low = score_exposure(_completion(f, highest=False), config)
    if not missing:
        return ExposureAssessment(Assessment.ASSESSED, (), low, low, low, low.method)
    high = score_exposure(_completion(f, highest=True), config)
    return ExposureAssessment(assessment_status(f), missing, None, low, high, low.method)
