"""5×5 risk scores: bands, appetite, validation of ratings and acceptance status."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskdesk.enums import Band
from riskdesk.scoring import (
    above_appetite,
    acceptance_status,
    band,
    band_for,
    risk_score,
    validate_risk,
    validate_scores,
)
from riskdesk.scoring.bands import ACCEPTED, EXPIRED, MISSING, NOT_NEEDED


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (16, Band.HIGH),
        (17, Band.CRITICAL),
        (19, Band.CRITICAL),  # impossible products: over-state
        (20, Band.CRITICAL),
        (25, Band.CRITICAL),
    ],
)
def test_band_edges(score: int, expected: Band) -> None:
    assert band(score) is expected


@pytest.mark.parametrize("score", [0, 26, -3, True, 4.0, "9", None])
def test_band_refuses_scores_off_the_grid(score: object) -> None:
    with pytest.raises(ValueError, match="1 to 25"):
        band(score)  # type: ignore[arg-type]


def test_every_product_of_the_grid_has_the_documented_band() -> None:
    products = {likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)}
    assert not products & {17, 18, 19}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            score = risk_score(likelihood, impact)
            assert score == likelihood * impact
            expected = (
                Band.LOW
                if score <= 4
                else Band.MEDIUM
                if score <= 9
                else Band.HIGH
                if score <= 16
                else Band.CRITICAL
            )
            assert band_for(likelihood, impact) is expected


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6), (True, 3), (3, "4"), (2.5, 2)])
def test_risk_score_refuses_ratings_off_the_scale(likelihood: object, impact: object) -> None:
    with pytest.raises(ValueError, match="whole number from 1 to 5"):
        risk_score(likelihood, impact)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("risk_band", "appetite", "above"),
    [
        (Band.LOW, Band.LOW, False),
        (Band.MEDIUM, Band.LOW, True),
        (Band.MEDIUM, Band.MEDIUM, False),
        (Band.HIGH, "medium", True),
        ("critical", "high", True),
        (Band.HIGH, Band.CRITICAL, False),
        ("High", "Medium", True),  # labels, as typed in an import
    ],
)
def test_above_appetite(risk_band: Band | str, appetite: Band | str, above: bool) -> None:
    assert above_appetite(risk_band, appetite) is above


def test_valid_scores_have_no_problems() -> None:
    assert validate_scores(4, 4, 2, 3) == []
    assert validate_scores(4, 4, 2, 3, 1, 2) == []
    assert validate_scores(3, 3, 3, 3, 3, 3) == []  # equal is allowed at every step


def test_residual_may_trade_likelihood_for_impact_when_the_score_falls() -> None:
    # 2×5 = 10 inherent; 4×2 = 8 residual is an honest improvement.
    assert validate_scores(2, 5, 4, 2) == []


def test_residual_above_inherent_is_reported_on_the_residual() -> None:
    problems = validate_scores(2, 3, 3, 3)
    assert problems == [
        (
            "residual_likelihood",
            "residual score 9 is above the inherent score 6: controls cannot make a risk worse",
        )
    ]


def test_target_above_residual_is_reported_on_the_target() -> None:
    problems = validate_scores(5, 5, 2, 2, 3, 2)
    assert [field for field, _ in problems] == ["target_likelihood"]
    assert "target score 6 is above the residual score 4" in problems[0][1]


def test_ratings_off_the_scale_are_named_and_comparisons_skipped() -> None:
    problems = validate_scores(0, 3, 6, "x")
    assert [field for field, _ in problems] == [
        "inherent_likelihood",
        "residual_likelihood",
        "residual_impact",
    ]
    assert all("whole number from 1 to 5" in reason for _, reason in problems)


def test_half_a_target_is_a_problem() -> None:
    assert validate_scores(3, 3, 2, 2, 2, None) == [
        ("target_impact", "give both target likelihood and impact, or neither")
    ]
    assert [f for f, _ in validate_scores(3, 3, 2, 2, None, 1)] == ["target_likelihood"]


def test_validate_risk_reads_risk_attributes() -> None:
    from riskdesk.store.models import Risk

    good = Risk(
        use_id=1,
        title="Bias",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    bad = Risk(
        use_id=1,
        title="Leak",
        inherent_likelihood=2,
        inherent_impact=2,
        residual_likelihood=3,
        residual_impact=2,
        target_likelihood=4,
        target_impact=4,
    )
    assert validate_risk(good) == []
    assert [f for f, _ in validate_risk(bad)] == ["residual_likelihood", "target_likelihood"]


rating = st.integers(min_value=1, max_value=5)


@settings(max_examples=200, deadline=None)
@given(rating, rating, rating, rating)
def test_residual_above_inherent_is_always_detected(il: int, ii: int, rl: int, ri: int) -> None:
    fields = [field for field, _ in validate_scores(il, ii, rl, ri)]
    assert ("residual_likelihood" in fields) == (rl * ri > il * ii)


@settings(max_examples=200, deadline=None)
@given(rating, rating, rating, rating, rating, rating)
def test_target_above_residual_is_always_detected(
    il: int, ii: int, rl: int, ri: int, tl: int, ti: int
) -> None:
    fields = [field for field, _ in validate_scores(il, ii, rl, ri, tl, ti)]
    assert ("residual_likelihood" in fields) == (rl * ri > il * ii)
    assert ("target_likelihood" in fields) == (tl * ti > rl * ri)


@settings(max_examples=200, deadline=None)
@given(rating, rating, rating, rating)
def test_band_never_falls_as_ratings_rise(l1: int, i1: int, dl: int, di: int) -> None:
    l2, i2 = min(5, l1 + dl - 1), min(5, i1 + di - 1)
    assert band_for(l2, i2).ordinal() >= band_for(l1, i1).ordinal()


# --- acceptance ---------------------------------------------------------------------

TODAY = dt.date(2026, 11, 1)


def _risk(**kw: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "title": "Leak",
        "residual_likelihood": 4,
        "residual_impact": 3,  # 12: High
        "status": "open",
        "accepted_by_id": None,
        "acceptance_expires": None,
    }
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("change", "appetite", "expected"),
    [
        ({}, Band.MEDIUM, MISSING),
        ({}, Band.HIGH, NOT_NEEDED),
        ({"residual_likelihood": 2}, Band.MEDIUM, NOT_NEEDED),  # 6: Medium, within appetite
        ({"status": "closed"}, Band.LOW, NOT_NEEDED),
        # No expiry is no live acceptance (issue 15): it would clear the gap forever.
        ({"accepted_by_id": 7}, Band.MEDIUM, EXPIRED),
        ({"accepted_by_id": 7, "acceptance_expires": TODAY}, Band.MEDIUM, ACCEPTED),
        (
            {"accepted_by_id": 7, "acceptance_expires": TODAY - dt.timedelta(days=1)},
            Band.MEDIUM,
            EXPIRED,
        ),
        (
            {"accepted_by_id": 7, "acceptance_expires": TODAY - dt.timedelta(days=1)},
            "high",
            NOT_NEEDED,
        ),
    ],
)
def test_acceptance_status(change: dict[str, object], appetite: Band | str, expected: str) -> None:
    assert acceptance_status(_risk(**change), appetite, TODAY) == expected
