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
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, fields
from typing import TypeVar

from riskdesk.enums import (
    Autonomy,
    DataSensitivity,
    DecisionRole,
    EUAIActClass,
    HarmSeverity,
    LabelledEnum,
    Reversibility,
    Tier,
)
from riskdesk.scoring.config import DEFAULT_CONFIG, REACH_LEVELS, ScoringConfig

# People affected a year at which each reach band starts (log scale).
REACH_CUTS: tuple[int, ...] = (100, 1_000, 10_000, 100_000)


@dataclass(frozen=True)
class ExposureFactors:
    """The inputs to exposure, named exactly like the ``AIUse`` columns."""

    people_affected: int = 0
    decision_role: str = DecisionRole.NONE.value
    autonomy: str = Autonomy.NONE.value
    data_sensitivity: str = DataSensitivity.INTERNAL.value
    childrens_data: bool = False
    harm_severity: str = HarmSeverity.MINOR.value
    reversibility: str = Reversibility.REVERSIBLE.value
    rights_impacting: bool = False
    safety_impacting: bool = False
    eu_ai_act_class: str = EUAIActClass.NOT_ASSESSED.value
    eu_ai_act_basis: str = ""

    @classmethod
    def from_obj(cls, obj: object) -> ExposureFactors:
        """Read the factors from anything with ``AIUse``'s attribute names."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})


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
    tiers = list(Tier)
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
    """Score one use. Raises ``ValueError`` naming the field if a factor is not valid."""
    people = f.people_affected
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
