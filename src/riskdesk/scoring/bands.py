"""Risk scores on the 5×5 grid: likelihood × impact, bands, appetite and acceptance.

Bands: Low 1–4, Medium 5–9, High 10–16, Critical 20–25. A product of two ratings from
1 to 5 can never be 17, 18 or 19; if such a number arrives anyway (a hand-edited
database, a future scale) it is placed in Critical, because it is above the top of
High and the safe mistake is to over-state a risk, not to hide it.

Residual never above inherent, target never above residual, compared by *score*
(likelihood × impact): a control may trade a little more likelihood for much less
impact — 4×2 = 8 residual after 2×5 = 10 inherent is an improvement — so comparing each
rating separately would reject honest assessments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskdesk.enums import Band, RiskStatus

RATING_MIN = 1
RATING_MAX = 5

# Lowest score of each band; scores run 1–25.
BAND_STARTS: tuple[tuple[int, Band], ...] = (
    (20, Band.CRITICAL),
    (17, Band.CRITICAL),  # 17–19 cannot arise from 1–5 ratings; over-state, never hide
    (10, Band.HIGH),
    (5, Band.MEDIUM),
    (1, Band.LOW),
)


def _is_rating(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and RATING_MIN <= value <= RATING_MAX
    )


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood × impact. Raises ``ValueError`` unless both are whole numbers 1–5."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not _is_rating(value):
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return likelihood * impact


def band(score: int) -> Band:
    """The band of a score from 1 to 25."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 25:
        raise ValueError(f"a risk score runs from 1 to 25, not {score!r}")
    for start, name in BAND_STARTS:
        if score >= start:
            return name
    raise AssertionError("unreachable: every score from 1 up has a band")


def band_for(likelihood: int, impact: int) -> Band:
    return band(risk_score(likelihood, impact))


def above_appetite(risk_band: Band | str, appetite: Band | str) -> bool:
    """True if ``risk_band`` is worse than the organisation's appetite band."""
    return Band.parse(risk_band).ordinal() > Band.parse(appetite).ordinal()


def validate_scores(
    inherent_likelihood: object,
    inherent_impact: object,
    residual_likelihood: object,
    residual_impact: object,
    target_likelihood: object = None,
    target_impact: object = None,
) -> list[tuple[str, str]]:
    """Problems with a risk's ratings as ``(field, reason)`` pairs; empty when all is well.

    Field names are ``Risk``'s column names so a form or an importer can point at the
    right cell. A score comparison is reported against the later stage's likelihood
    (the residual when residual exceeds inherent, the target when target exceeds residual).
    """
    problems: list[tuple[str, str]] = []
    values = {
        "inherent_likelihood": inherent_likelihood,
        "inherent_impact": inherent_impact,
        "residual_likelihood": residual_likelihood,
        "residual_impact": residual_impact,
    }
    has_target = target_likelihood is not None or target_impact is not None
    if has_target:
        values["target_likelihood"] = target_likelihood
        values["target_impact"] = target_impact
    for name, value in values.items():
        if value is None and name.startswith("target_"):
            problems.append((name, "give both target likelihood and impact, or neither"))
        elif not _is_rating(value):
            problems.append((name, f"must be a whole number from 1 to 5, not {value!r}"))
    if problems:
        return problems  # comparisons are meaningless until every rating is valid

    ratings: dict[str, int] = {k: v for k, v in values.items() if isinstance(v, int)}

    def score(stage: str) -> int:
        return ratings[f"{stage}_likelihood"] * ratings[f"{stage}_impact"]

    if score("residual") > score("inherent"):
        problems.append(
            (
                "residual_likelihood",
                f"residual score {score('residual')} is above the inherent score "
                f"{score('inherent')}: controls cannot make a risk worse",
            )
        )
    if has_target and score("target") > score("residual"):
        problems.append(
            (
                "target_likelihood",
                f"target score {score('target')} is above the residual score "
                f"{score('residual')}: the target should be no worse than today",
            )
        )
    return problems


def validate_risk(risk: Any) -> list[tuple[str, str]]:
    """``validate_scores`` on anything with ``Risk``'s attribute names."""
    return validate_scores(
        risk.inherent_likelihood,
        risk.inherent_impact,
        risk.residual_likelihood,
        risk.residual_impact,
        getattr(risk, "target_likelihood", None),
        getattr(risk, "target_impact", None),
    )


# acceptance_status() results
NOT_NEEDED = "not_needed"
MISSING = "missing"
EXPIRED = "expired"
ACCEPTED = "accepted"


def acceptance_status(risk: Any, appetite: Band | str, today: dt.date) -> str:
    """Whether a risk's residual needs a named acceptance, and whether it has a live one.

    Reads ``Risk`` attributes. A closed risk needs none. An acceptance is valid through
    its expiry date and lapses the day after; one with no expiry counts as expired.
    """
    if RiskStatus.parse(getattr(risk, "status", RiskStatus.OPEN)) is RiskStatus.CLOSED:
        return NOT_NEEDED
    residual = band_for(risk.residual_likelihood, risk.residual_impact)
    if not above_appetite(residual, appetite):
        return NOT_NEEDED
    if getattr(risk, "accepted_by_id", None) is None:
        return MISSING
    expires = getattr(risk, "acceptance_expires", None)
    # An acceptance without an end date is not a live acceptance: it never gets renewed.
    if expires is None or expires < today:
        return EXPIRED
    return ACCEPTED
