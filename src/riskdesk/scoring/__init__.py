"""Scoring: how exposed the organisation is through each AI use, and what oversight it needs.

Pure functions — no Qt, no SQL: the same inputs always give the same outputs, and every
stored score records the method version that produced it (``exposure-2``, or
``exposure-2+<hash>`` once an organisation changes the points or thresholds).

## Exposure (0–100) and tier

The risk of a model is realised where it is used, so exposure describes the *use*: how
many people it reaches, how much its output decides about them, how freely it acts, what
data it touches, and how bad and how lasting a mistake could be. Each factor's level earns
points; the top levels add up to 100, so a score reads as "share of the worst case".

| Factor | Level | Points |
|---|---|---:|
| People affected a year | under 100 | 0 |
|  | 100+ | 5 |
|  | 1k+ | 10 |
|  | 10k+ | 15 |
|  | 100k+ | 20 |
| Part in decisions about people | None | 0 |
|  | Informs staff | 5 |
|  | Recommends about people | 12 |
|  | Decides, with human review | 17 |
|  | Decides automatically | 22 |
| Autonomy | None | 0 |
|  | Assistive (suggests only) | 2 |
|  | Agent with read-only tools | 6 |
|  | Agent that writes, with approval | 11 |
|  | Agent acting without approval | 16 |
| Data sensitivity | Public | 0 |
|  | Internal | 3 |
|  | Personal | 8 |
|  | Sensitive | 12 |
|  | Children's or special-category | 16 |
| Worst plausible harm | Negligible | 0 |
|  | Minor | 3 |
|  | Moderate | 7 |
|  | Serious | 12 |
|  | Severe | 16 |
| Can mistakes be undone | Reversible | 0 |
|  | Hard to reverse | 5 |
|  | Irreversible | 10 |

Reach is banded on a log scale (under 100, 100+, 1k+, 10k+, 100k+ people a year): a
mistake repeated for 100,000 people differs in kind from one repeated for 50, but 12,000
and 15,000 do not. Ticking "children's data" counts as the most sensitive level whatever
sensitivity is chosen.

Why these points:

- *Part in decisions about people* weighs most (22): the closer the output comes to
  deciding a grade, a job or a loan, the more it matters. The big step is from "informs
  staff" (5) to "recommends" (12), where the output starts to steer the decision.
- *Reach* (20): each tenfold step in people affected adds 5 points.
- *Autonomy* (16): agents fail at the boundary of their permissions, so the points jump
  when an agent can change things (11) and again when nobody approves the change (16).
  A suggest-only assistant earns 2: a person still does every action.
- *Data sensitivity* (16): personal data brings privacy and fairness harms (8);
  children's or special-category data is the top level.
- *Worst plausible harm* (16) and *can mistakes be undone* (10) together give 26, so a use
  that could cause severe, irreversible harm is never far from High on its own.

Tiers (by default): **Low** 0–19, **Moderate** 20–44, **High** 45–69, **Critical** 70–100.
With these defaults a staff-only drafting assistant on public data scores about 5 (Low);
a student tutoring chatbot about 35 (Moderate); a school grading aid about 60, an HR
screening tool about 50 and an autonomous coding agent with production access about 65
(High); automated benefit or child-welfare decisions for 100,000+ people score over 70
(Critical).

Floors — some facts settle the tier whatever the points say, and lift the score to the
lowest score of that tier (so sorting by exposure also sorts by tier):

- rights-impacting or safety-impacting in the sense of OMB M-24-10 ⇒ at least High;
- EU AI Act high-risk (Annex III) ⇒ at least High;
- EU AI Act prohibited practice (Article 5) ⇒ Critical, flagged **must not deploy**.

Raising any single factor never lowers the score: points never go down from one level to
the next (the settings are refused otherwise) and floors only ever lift.

## Unknown is not Low

Every factor — and every input of the floors (rights- or safety-impacting, the EU AI
Act class) — may be *not answered yet*, stored as unknown, never as the lowest level.
A use is **assessed** when every question is answered, **partly assessed** when some
are, **not assessed** when none is. Until it is assessed its tier is **Not assessed**:
it has no exposure number, only the *provisional range* its known answers allow (the
lowest and highest tier over every way the missing answers could go, floors included),
e.g. "between Moderate and Critical depending on the answers still missing". Not
assessed sorts above Critical: nothing bounds it (an unanswered EU AI Act class could
be a prohibited practice) and it is the register's first piece of work.

## Risks: 5×5 likelihood × impact

Each risk is rated for likelihood and impact from 1 to 5, inherent (before controls),
residual (after) and optionally a target. Bands: **Low** 1–4, **Medium** 5–9, **High**
10–16, **Critical** 20–25 (17–19 cannot occur; if they ever do they count as Critical).
Residual may not exceed inherent, nor target exceed residual, compared by score
(likelihood × impact), because a control can honestly trade a little likelihood for a
lot of impact. Residual risk above the organisation's appetite band needs a named
acceptance; an acceptance is valid through its expiry date.

## The oversight ladder and gaps

Oversight scales with exposure — "scaled down, but never to zero" (SR 11-7). Each tier
adds rungs to the one below; a missing rung is a *gap*, shown per use, per owner and in
the board pack. Reviews are due every 12 / 6 / 3 / 1 months for Low / Moderate / High /
Critical, counted from the last review (or at the scheduled date, if that is sooner).
Retired uses have no gaps. A use not yet assessed has the `assessment_missing` gap,
naming the unanswered questions, due 30 days (the `assessment_days` setting) after it
was recorded; its review clock starts at assessment, so it is never "review overdue",
and the other rungs apply from the lowest tier its known answers allow.

| Code | Requirement | Required from |
|---|---|---|
| `assessment_missing` | Every exposure question answered within 30 days by default | every tier |
| `owner_first` | A named 1st-line owner who runs the use | Low |
| `owner_left` | Every named owner still works for the organisation | every tier |
| `independence` | Different people hold the 1st, 2nd and 3rd lines | every tier |
| `review_overdue` | Reviewed on the tier's cadence (12/6/3/1 months by default) | Low |
| `review_cadence` | The next review is scheduled within the tier's cadence | Low |
| `acceptance_missing` | Residual risk above the appetite has a named acceptance | every tier |
| `acceptance_expired` | Acceptances of residual risk have not expired | every tier |
| `incident_open` | Incidents followed to closure (owner, root cause, lessons) | every tier |
| `rereview` | A use flagged by an incident is reviewed again | every tier |
| `owner_second` | A named 2nd-line reviewer (risk or compliance) | Moderate |
| `risk_assessed` | At least one assessed risk | Moderate |
| `owner_third` | A named 3rd-line owner (internal audit) for independent assurance | High |
| `challenge` | A 2nd-line challenge since the last review or within the review cadence | High |
| `rollback_plan` | A recorded rollback plan | High |
| `kill_switch` | A recorded kill switch | High |
| `monitoring` | Recorded monitoring in operation | High |
| `board_reporting` | The use is reported to the board | Critical |
| `permissions_review` | Least-privilege review of tools and permissions (agents) | High |

The points, thresholds, review cadence and ladder can be changed in the scoring settings
(JSON, validated: a mistake is refused with the name of the bad key). Changing the points
or thresholds changes the method version; changing the cadence or the ladder does not,
because it changes the gaps, not the scores.
"""

from riskdesk.scoring.bands import (
    above_appetite,
    acceptance_status,
    band,
    band_for,
    risk_score,
    validate_risk,
    validate_scores,
)
from riskdesk.scoring.config import (
    DEFAULT_CONFIG,
    METHOD_VERSION,
    SETTING_KEY,
    ScoringConfig,
    weights_table,
)
from riskdesk.scoring.exposure import (
    QUESTIONS,
    ExposureAssessment,
    ExposureFactors,
    ExposureResult,
    FactorContribution,
    assess_exposure,
    assessment_status,
    missing_answers,
    provisional_words,
    reach_level,
    score_exposure,
    tier_range,
)
from riskdesk.scoring.ladder import (
    RUNGS,
    Gap,
    GapInputs,
    Rung,
    add_months,
    find_gaps,
    ladder_table,
    next_review_due,
    review_due,
)

__all__ = [
    "DEFAULT_CONFIG",
    "METHOD_VERSION",
    "QUESTIONS",
    "RUNGS",
    "SETTING_KEY",
    "ExposureAssessment",
    "ExposureFactors",
    "ExposureResult",
    "FactorContribution",
    "Gap",
    "GapInputs",
    "Rung",
    "ScoringConfig",
    "above_appetite",
    "acceptance_status",
    "add_months",
    "assess_exposure",
    "assessment_status",
    "band",
    "band_for",
    "find_gaps",
    "ladder_table",
    "missing_answers",
    "next_review_due",
    "provisional_words",
    "reach_level",
    "review_due",
    "risk_score",
    "score_exposure",
    "tier_range",
    "validate_risk",
    "validate_scores",
    "weights_table",
]
