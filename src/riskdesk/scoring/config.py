"""Scoring settings: points per level, tier thresholds, review cadence and the ladder.

The settings live as JSON in a ``Setting`` row (key ``SETTING_KEY``) so an organisation
can tune them. ``from_json`` refuses anything it does not understand and names the key,
because a silently ignored typo would quietly change every score in the register.

Only the points and the tier thresholds change what a score *means*, so only they feed
the method version stored beside every score; editing the review cadence or the ladder
changes the gaps, not the scores, and keeps the method version. The same holds for
``assessment_days``: how long after a use is recorded its exposure questions should be
answered (the due date of the ``assessment_missing`` gap).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from riskdesk.enums import (
    SCORED_TIERS,
    Autonomy,
    DataSensitivity,
    DecisionRole,
    HarmSeverity,
    Reversibility,
    Tier,
)

# exposure-2: an unanswered factor is unknown, not the lowest level; a use with any
# unknown factor is "Not assessed" with a provisional range (exposure-1 scored the
# defaults as answers).
METHOD_VERSION = "exposure-2"
SETTING_KEY = "scoring"
CONFIG_FORMAT = 1

# Reach bands on a log scale; the labels double as the level names in the JSON docs.
REACH_LEVELS: tuple[str, ...] = ("under 100", "100+", "1k+", "10k+", "100k+")

FACTORS: tuple[str, ...] = (
    "reach",
    "decision_role",
    "autonomy",
    "data_sensitivity",
    "harm_severity",
    "reversibility",
)

FACTOR_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "reach": "People affected a year",
        "decision_role": "Part in decisions about people",
        "autonomy": "Autonomy",
        "data_sensitivity": "Data sensitivity",
        "harm_severity": "Worst plausible harm",
        "reversibility": "Can mistakes be undone",
    }
)

FACTOR_LEVELS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "reach": REACH_LEVELS,
        "decision_role": tuple(m.label for m in DecisionRole),
        "autonomy": tuple(m.label for m in Autonomy),
        "data_sensitivity": tuple(m.label for m in DataSensitivity),
        "harm_severity": tuple(m.label for m in HarmSeverity),
        "reversibility": tuple(m.label for m in Reversibility),
    }
)

# Points for each level of each factor, least to most exposed. The top levels add up
# to 100, so a score reads as "share of the worst case". Reasoning: module docstring of
# riskdesk.scoring.
DEFAULT_WEIGHTS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        "reach": (0, 5, 10, 15, 20),
        "decision_role": (0, 5, 12, 17, 22),
        "autonomy": (0, 2, 6, 11, 16),
        "data_sensitivity": (0, 3, 8, 12, 16),
        "harm_severity": (0, 3, 7, 12, 16),
        "reversibility": (0, 5, 10),
    }
)

# Lowest score of each tier above Low (Low starts at 0).
DEFAULT_TIER_THRESHOLDS: Mapping[str, int] = MappingProxyType(
    {"moderate": 20, "high": 45, "critical": 70}
)

DEFAULT_REVIEW_MONTHS: Mapping[str, int] = MappingProxyType(
    {"low": 12, "moderate": 6, "high": 3, "critical": 1}
)

# The proportional ladder: each scaled rung and the tier from which it is required.
# (Rungs that apply at every tier — independence, acceptances, leavers — are not
# configurable; see riskdesk.scoring.ladder.RUNGS.)
DEFAULT_LADDER: Mapping[str, str] = MappingProxyType(
    {
        "owner_first": "low",
        "review_overdue": "low",
        "review_cadence": "low",
        "owner_second": "moderate",
        "risk_assessed": "moderate",
        "owner_third": "high",
        "challenge": "high",
        "rollback_plan": "high",
        "kill_switch": "high",
        "monitoring": "high",
        "board_reporting": "critical",
        "permissions_review": "high",  # issue 17: least privilege no later than High
    }
)
LADDER_CODES: tuple[str, ...] = tuple(DEFAULT_LADDER)

DEFAULT_ASSESSMENT_DAYS = 30  # a recorded use should be assessed within a month
_MAX_ASSESSMENT_DAYS = 365

_TOP_LEVEL_KEYS = (
    "format",
    "weights",
    "tier_thresholds",
    "review_months",
    "ladder",
    "assessment_days",
)
_TIER_VALUES = tuple(t.value for t in SCORED_TIERS)
_MAX_REVIEW_MONTHS = 60
# "Scaled down, but never to zero" (SR 11-7): the settings may tighten the ladder but
# never take these below the floor, so every in-use AI use keeps a named owner and a
# review at least once a year.
FLOOR_REVIEW_MONTHS = 12
FLOOR_LADDER: Mapping[str, str] = MappingProxyType(
    {"owner_first": "low", "review_overdue": "low", "review_cadence": "low"}
)
_FLOOR_WHY = "oversight is scaled down but never to zero"


def _is_int(value: object) -> bool:
    # bool is an int subclass; "true" is never a sensible number of points.
    return isinstance(value, int) and not isinstance(value, bool)


def _require_mapping(key: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: must be a JSON object")
    return value


def _check_keys(section: str, given: Mapping[str, Any], expected: tuple[str, ...]) -> None:
    for key in given:
        if key not in expected:
            raise ValueError(
                f"{section}.{key}: unknown key (expected one of: {', '.join(expected)})"
            )
    for key in expected:
        if key not in given:
            raise ValueError(f"{section}.{key}: missing")


def _normalise_weights(raw: object) -> dict[str, tuple[int, ...]]:
    weights = _require_mapping("weights", raw)
    _check_keys("weights", weights, FACTORS)
    out: dict[str, tuple[int, ...]] = {}
    for factor in FACTORS:
        levels = FACTOR_LEVELS[factor]
        value = weights[factor]
        where = f"weights.{factor}"
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            raise ValueError(f"{where}: must be a list of {len(levels)} whole numbers")
        if len(value) != len(levels):
            raise ValueError(
                f"{where}: must have {len(levels)} numbers, one per level "
                f"({', '.join(levels)}); got {len(value)}"
            )
        if not all(_is_int(v) for v in value):
            raise ValueError(f"{where}: points must be whole numbers")
        if value[0] < 0:
            raise ValueError(f"{where}: points must not be negative")
        # Monotone by construction: a more exposed level can never score fewer points.
        if any(b < a for a, b in pairwise(value)):
            raise ValueError(f"{where}: points must never go down from one level to the next")
        out[factor] = tuple(value)
    total = sum(points[-1] for points in out.values())
    if total != 100:
        raise ValueError(
            f"weights: the top level of every factor must add up to 100 "
            f"(they add up to {total}); raise one factor and lower another"
        )
    return out


def _normalise_thresholds(raw: object) -> dict[str, int]:
    thresholds = _require_mapping("tier_thresholds", raw)
    expected = _TIER_VALUES[1:]
    _check_keys("tier_thresholds", thresholds, expected)
    out: dict[str, int] = {}
    previous = 0
    for tier in expected:
        value = thresholds[tier]
        where = f"tier_thresholds.{tier}"
        if not _is_int(value) or not 1 <= value <= 100:
            raise ValueError(f"{where}: must be a whole number from 1 to 100")
        if value <= previous:
            raise ValueError(f"{where}: must be higher than the tier below ({previous})")
        out[tier] = value
        previous = value
    return out


def _normalise_review_months(raw: object) -> dict[str, int]:
    months = _require_mapping("review_months", raw)
    _check_keys("review_months", months, _TIER_VALUES)
    out: dict[str, int] = {}
    previous: int | None = None
    for tier in _TIER_VALUES:
        value = months[tier]
        where = f"review_months.{tier}"
        if not _is_int(value) or not 1 <= value <= _MAX_REVIEW_MONTHS:
            raise ValueError(f"{where}: must be a whole number of months from 1 to 60")
        if value > FLOOR_REVIEW_MONTHS:
            raise ValueError(
                f"{where}: at most {FLOOR_REVIEW_MONTHS} months — {_FLOOR_WHY}: every AI "
                "use in use is reviewed at least once a year"
            )
        # Proportional oversight: a more exposed use is never reviewed less often.
        if previous is not None and value > previous:
            raise ValueError(f"{where}: must not be longer than the tier below ({previous})")
        out[tier] = value
        previous = value
    return out


def _normalise_ladder(raw: object) -> dict[str, str]:
    ladder = _require_mapping("ladder", raw)
    _check_keys("ladder", ladder, LADDER_CODES)
    out: dict[str, str] = {}
    for code in LADDER_CODES:
        value = ladder[code]
        if not isinstance(value, str):
            raise ValueError(f"ladder.{code}: must be a tier ({', '.join(_TIER_VALUES)})")
        try:
            out[code] = Tier.parse(value).value
        except ValueError:
            out[code] = ""
        if out[code] not in _TIER_VALUES:
            raise ValueError(f"ladder.{code}: {value!r} is not a tier ({', '.join(_TIER_VALUES)})")
        floor = FLOOR_LADDER.get(code)
        if floor is not None and out[code] != floor:
            raise ValueError(
                f"ladder.{code}: must apply from {Tier(floor).label} — {_FLOOR_WHY}: every "
                "AI use in use has a named 1st-line owner and a review on its cadence"
            )
    return out


def _normalise_assessment_days(value: object) -> int:
    if not _is_int(value) or not 1 <= value <= _MAX_ASSESSMENT_DAYS:  # type: ignore[operator]
        raise ValueError(
            f"assessment_days: must be a whole number of days from 1 to {_MAX_ASSESSMENT_DAYS}"
        )
    return int(value)  # type: ignore[call-overload, no-any-return]


def _canonical(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class ScoringConfig:
    """Everything the scoring and the ladder can be tuned by; validated on creation."""

    weights: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    tier_thresholds: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_TIER_THRESHOLDS)
    )
    review_months: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_REVIEW_MONTHS))
    ladder: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LADDER))
    assessment_days: int = DEFAULT_ASSESSMENT_DAYS

    def __post_init__(self) -> None:
        # Normalise to read-only mappings in a fixed order so equal settings compare,
        # hash and serialise identically whatever order they were written in.
        normalised: dict[str, Mapping[str, Any]] = {
            "weights": _normalise_weights(self.weights),
            "tier_thresholds": _normalise_thresholds(self.tier_thresholds),
            "review_months": _normalise_review_months(self.review_months),
            "ladder": _normalise_ladder(self.ladder),
        }
        for name, value in normalised.items():
            object.__setattr__(self, name, MappingProxyType(value))
        object.__setattr__(
            self, "assessment_days", _normalise_assessment_days(self.assessment_days)
        )

    def __hash__(self) -> int:
        return hash(self.to_json())

    # --- lookups ---------------------------------------------------------------

    def points(self, factor: str, level: int) -> int:
        return self.weights[factor][level]

    def max_points(self, factor: str) -> int:
        return self.weights[factor][-1]

    def threshold(self, tier: Tier | str) -> int:
        """Lowest score in ``tier``."""
        tier = Tier.parse(tier)
        return 0 if tier is Tier.LOW else self.tier_thresholds[tier.value]

    def tier_for_score(self, score: int) -> Tier:
        tier = Tier.LOW
        for candidate in SCORED_TIERS[1:]:
            if score >= self.tier_thresholds[candidate.value]:
                tier = candidate
        return tier

    def review_months_for(self, tier: Tier | str) -> int:
        """The tier's review cadence. A not-assessed use has no cadence yet (its clock
        starts at assessment); asked anyway, the answer is the shortest, never Low's."""
        tier = Tier.parse(tier)
        if tier is Tier.NOT_ASSESSED:
            tier = Tier.CRITICAL
        return self.review_months[tier.value]

    def rung_tier(self, code: str) -> Tier:
        """The tier from which ladder rung ``code`` is required."""
        return Tier(self.ladder[code])

    @property
    def method_version(self) -> str:
        """``METHOD_VERSION``, plus a short hash of the points and thresholds if changed.

        Stored with every score so a later reader knows which method produced it.
        """
        scoring_part = {"weights": self._plain()["weights"], "tiers": dict(self.tier_thresholds)}
        default_part = {
            "weights": {k: list(v) for k, v in DEFAULT_WEIGHTS.items()},
            "tiers": dict(DEFAULT_TIER_THRESHOLDS),
        }
        if scoring_part == default_part:
            return METHOD_VERSION
        digest = hashlib.sha256(_canonical(scoring_part).encode()).hexdigest()[:8]
        return f"{METHOD_VERSION}+{digest}"

    # --- JSON ------------------------------------------------------------------

    def _plain(self) -> dict[str, Any]:
        return {
            "format": CONFIG_FORMAT,
            "weights": {k: list(v) for k, v in self.weights.items()},
            "tier_thresholds": dict(self.tier_thresholds),
            "review_months": dict(self.review_months),
            "ladder": dict(self.ladder),
            "assessment_days": self.assessment_days,
        }

    def to_json(self) -> str:
        """Readable, byte-stable JSON (each factor's points kept on one line)."""
        text = json.dumps(self._plain(), indent=2)
        return re.sub(
            r"\[\s*([-\d,\s]+?)\s*\]",
            lambda m: "[" + ", ".join(p.strip() for p in m.group(1).split(",")) + "]",
            text,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoringConfig:
        """Parse and validate settings; a missing section takes its default.

        Raises ``ValueError`` naming the offending key (``weights.reach``…).
        """
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"scoring settings are not valid JSON: {exc}") from None
        data = _require_mapping("scoring settings", data)
        for key in data:
            if key not in _TOP_LEVEL_KEYS:
                raise ValueError(
                    f"{key}: unknown key (expected one of: {', '.join(_TOP_LEVEL_KEYS)})"
                )
        fmt = data.get("format", CONFIG_FORMAT)
        if fmt != CONFIG_FORMAT or not _is_int(fmt):
            raise ValueError(f"format: riskdesk reads format {CONFIG_FORMAT}, not {fmt!r}")
        return cls(
            weights=data.get("weights", DEFAULT_WEIGHTS),
            tier_thresholds=data.get("tier_thresholds", DEFAULT_TIER_THRESHOLDS),
            review_months=data.get("review_months", DEFAULT_REVIEW_MONTHS),
            ladder=data.get("ladder", DEFAULT_LADDER),
            assessment_days=data.get("assessment_days", DEFAULT_ASSESSMENT_DAYS),
        )


DEFAULT_CONFIG = ScoringConfig()


def weights_table(config: ScoringConfig = DEFAULT_CONFIG) -> list[str]:
    """The points per level as Markdown table rows, for the README and the app's help."""
    rows = ["| Factor | Level | Points |", "|---|---|---:|"]
    for factor in FACTORS:
        title = FACTOR_TITLES[factor]
        for label, points in zip(FACTOR_LEVELS[factor], config.weights[factor], strict=True):
            rows.append(f"| {title} | {label} | {points} |")
            title = ""
    return rows
