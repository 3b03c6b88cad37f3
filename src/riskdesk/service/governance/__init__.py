"""The governance loop: effective challenge, reviews, risk acceptance and incidents.

The three lines only interact if each step is on the record, so every step here is one
audited action through the service layer:

- A **challenge** is raised by the 2nd line (or the 3rd) on a use or one of its risks,
  answered by the 1st line, then resolved or escalated by the reviewer. It freezes the
  scores and gaps when it is raised and again when it is resolved, so anyone can later
  see what the reviewer was looking at and whether the answer changed anything.
- A **review** stores a dated snapshot (exposure, tier, every risk's scores, the gaps)
  and schedules the next one on the tier's cadence. While a challenge is unresolved on a
  High or Critical use its review cannot be recorded as complete: signing off a use the
  2nd line is still pushing on would make the challenge decorative.
- A **risk acceptance** names a 2nd-line (or higher) acceptor, a rationale and an expiry.
- An **incident** (near miss, incident, rollback, shutdown) links the risks it realised
  and flags its use for re-review; a possibly reportable one carries the EU AI Act
  Art. 73 deadline (see ``reporting_deadline``).

Every function takes either the ``RegisterService`` (one action, one transaction) or an
open ``UnitOfWork`` (to take part in a larger action, as the demo does) and returns the
``ActionResult`` of its own changes, so the GUI can put it on the undo stack.

This package: ``challenges``, ``reviews``, ``acceptance`` and ``incidents`` hold the
steps; ``snapshots`` the frozen pictures they store; ``steps`` how a step runs. Callers
use ``from riskdesk.service import governance as gov``: everything is re-exported here.
"""

from __future__ import annotations

from riskdesk.service.governance.acceptance import accept_risk
from riskdesk.service.governance.challenges import (
    UNRESOLVED,
    answer_challenge,
    escalate_challenge,
    pending_challenges,
    raise_challenge,
    resolve_challenge,
    unresolved_challenges,
)
from riskdesk.service.governance.incidents import (
    DEADLINE_DEATH_DAYS,
    DEADLINE_GENERAL_DAYS,
    DEADLINE_NOTE,
    DEADLINE_WIDESPREAD_DAYS,
    ReportableIncident,
    incident_counts_by_kind,
    linked_risks,
    log_incident,
    people_affected_total,
    reportable_incidents,
    reporting_deadline,
    reporting_status,
    update_incident,
)
from riskdesk.service.governance.reviews import REVIEW_BLOCKING_TIERS, record_review, reviews_of
from riskdesk.service.governance.snapshots import (
    build_snapshot,
    gap_entry,
    read_snapshot,
    risk_entry,
    snapshot_summary,
    snapshot_text,
    use_snapshot,
)
from riskdesk.service.governance.steps import Target

__all__ = [
    "DEADLINE_DEATH_DAYS",
    "DEADLINE_GENERAL_DAYS",
    "DEADLINE_NOTE",
    "DEADLINE_WIDESPREAD_DAYS",
    "REVIEW_BLOCKING_TIERS",
    "UNRESOLVED",
    "ReportableIncident",
    "Target",
    "accept_risk",
    "answer_challenge",
    "build_snapshot",
    "escalate_challenge",
    "gap_entry",
    "incident_counts_by_kind",
    "linked_risks",
    "log_incident",
    "pending_challenges",
    "people_affected_total",
    "raise_challenge",
    "read_snapshot",
    "record_review",
    "reportable_incidents",
    "reporting_deadline",
    "reporting_status",
    "resolve_challenge",
    "reviews_of",
    "risk_entry",
    "snapshot_summary",
    "snapshot_text",
    "unresolved_challenges",
    "update_incident",
    "use_snapshot",
]
