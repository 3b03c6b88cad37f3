"""The register's tables (SQLModel).

Enumerated columns hold the enum's string value (see ``riskdesk.enums``); JSON-ish
columns hold canonical JSON text so the audit trail can compare them byte for byte.
Every schema change needs an Alembic revision in ``store/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Integer
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class OrgProfile(SQLModel, table=True):
    """The single organisation this register belongs to (row id 1)."""

    __tablename__ = "org_profile"

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    sector: str = ""
    champion_name: str = ""
    risk_appetite: str = "medium"  # a Band value: residual above it needs acceptance
    paper_size: str = "a4"
    confidentiality: str = "Confidential — board use only"


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    email: str = ""
    title: str = ""
    department: str = ""
    default_line: str = "first"  # a Line value
    has_left: bool = False
    notes: str = ""


class Vendor(SQLModel, table=True):
    __tablename__ = "vendor"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str = "saas"  # a VendorKind value
    notes: str = ""
    # issue 17: due diligence. None / blank: nobody has said (unknown, not "no").
    dpa_signed: bool | None = None
    security_review_on: dt.date | None = None
    security_review_result: str = ""
    data_location: str = ""
    sub_processors: str = ""
    contract_end: dt.date | None = None
    exit_plan: str = ""
    incident_contact: str = ""


class AIUse(SQLModel, table=True):
    """One row of the AI inventory: a use of AI at its point of operation."""

    __tablename__ = "ai_use"
    # the summary's counts and ``gap_counts.sql_readable`` read these from the index;
    # the Uses table's sort indexes on expressions live only in migration 0012 (SQLite's
    # reflection cannot read them back, so autogenerate would see them as missing)
    __table_args__ = (Index("ix_ai_use_stage", "stage", "tier", "assessment"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    purpose: str = ""
    department: str = Field(default="", index=True)
    stage: str = "not_stated"  # Stage; never Production because nobody said
    sourcing: str = "not_stated"  # Sourcing; never a guess at how it was bought
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    model_name: str = ""
    model_version: str = ""
    users: str = ""  # who operates it ("teachers", "HR team")
    # Exposure factors and the floors' inputs: None is "not answered yet", never the
    # lowest level (see riskdesk.scoring.exposure).
    people_affected: int | None = None  # people affected per year
    affected_groups: str = ""  # students, patients, applicants, customers…
    decision_role: str | None = None  # DecisionRole
    human_oversight: str = "not_stated"  # HumanOversight; never a reassuring guess
    autonomy: str | None = None  # Autonomy
    agent_permissions: str = ""  # tools and permissions, one per line
    permissions_reviewed: bool = False  # least-privilege review done
    data_sensitivity: str | None = None  # DataSensitivity
    childrens_data: bool | None = None
    harm_severity: str | None = None  # HarmSeverity
    reversibility: str | None = None  # Reversibility
    rights_impacting: bool | None = None  # OMB M-24-10 meaning
    safety_impacting: bool | None = None
    # None: nobody has said (not "no"); suggestions treat it as unknown.
    public_facing: bool | None = None
    generative: bool | None = None
    eu_ai_act_class: str | None = None  # EUAIActClass; None: not assessed
    eu_ai_act_basis: str = ""  # e.g. "Annex III 3(b)" or "Article 5.1.f"
    dev_prod_separated: bool | None = None  # None: not known / not applicable
    rollback_plan: str = ""
    kill_switch: str = ""
    monitoring: str = ""
    board_reporting: bool = False
    owner_first_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    owner_second_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    owner_third_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    go_live: dt.date | None = None
    last_review: dt.date | None = None
    next_review: dt.date | None = None
    needs_rereview: bool = False
    notes: str = ""
    source_record: str = ""  # JSON of imported columns riskdesk does not map
    # Derived by the service layer on every write (sortable in SQL), with the
    # scoring method version that produced them. Until every question is answered
    # exposure is None, tier "not_assessed", and the range is what the answers allow.
    exposure: int | None = Field(default=None, index=True)
    tier: str = Field(default="not_assessed", index=True)  # Tier
    assessment: str = Field(default="not_assessed", index=True)  # Assessment
    exposure_low: int | None = None
    exposure_high: int | None = None
    tier_low: str | None = None  # Tier
    tier_high: str | None = None  # Tier
    score_method: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    # issue 17: the catalogued model (vendor_id stays the vendor it is bought through)
    # and per-agent facts. None: nobody has said, which is not the same as "no".
    # No database foreign key (migration 0006 adds the column without rebuilding the
    # table); the service layer validates it and clears it when the model is deleted.
    model_id: int | None = Field(default=None, index=True)
    human_approval_destructive: bool | None = None
    credentials_scoped: bool | None = None  # the agent's own credentials, not a person's
    action_logging: bool | None = None
    fallback: str = ""  # what the use falls back to if its provider fails; blank: none
    permissions_reviewed_on: dt.date | None = None  # the last recorded permission review


class Risk(SQLModel, table=True):
    __tablename__ = "risk"
    # ``gap_counts``: acceptances and readable values by range searches (migration 0011)
    __table_args__ = (
        Index(
            "ix_risk_residual",
            "status",
            "residual_likelihood",
            "residual_impact",
            "accepted_by_id",
            "acceptance_expires",
            "use_id",
        ),
        Index("ix_risk_use_owner", "use_id", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="ai_use.id", index=True)
    title: str
    description: str = ""
    taxonomy_refs: str = ""  # comma-separated framework item refs, e.g. "LLM01, MIT 2.1"
    inherent_likelihood: int = 3
    inherent_impact: int = 3
    residual_likelihood: int = 2
    residual_impact: int = 2
    target_likelihood: int | None = None
    target_impact: int | None = None
    treatment: str = "mitigate"  # Treatment
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    due_date: dt.date | None = None
    status: str = "open"  # RiskStatus
    accepted_by_id: int | None = Field(default=None, foreign_key="person.id")
    acceptance_rationale: str = ""
    acceptance_expires: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)


class Control(SQLModel, table=True):
    __tablename__ = "control"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = ""
    control_type: str = "preventive"  # ControlType
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = "planned"  # ControlStatus
    framework_refs: str = ""  # comma-separated, e.g. "GOVERN 1.1, A.6.2.2"
    last_tested: dt.date | None = None
    test_every_months: int = 12
    evidence: str = ""


class RiskControl(SQLModel, table=True):
    __tablename__ = "risk_control"

    risk_id: int = Field(foreign_key="risk.id", primary_key=True)
    control_id: int = Field(foreign_key="control.id", primary_key=True)


class Incident(SQLModel, table=True):
    __tablename__ = "incident"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int | None = Field(default=None, foreign_key="ai_use.id", index=True)
    kind: str = "not_stated"  # IncidentKind; never a near miss because nobody said
    title: str = ""
    occurred_on: dt.date = Field(default_factory=lambda: dt.date.today())
    severity: str = "not_stated"  # Severity; an unrated incident is not Low
    people_affected: int | None = None  # None: unknown, never 0 (migration 0009)
    description: str = ""
    actions: str = ""
    reportable: bool = False  # may be an EU AI Act serious incident (Art. 73)
    reported_on: dt.date | None = None
    # Issue 15: followed to closure (migration 0005).
    status: str = "open"  # IncidentStatus
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    root_cause: str = ""
    lessons: str = ""
    closed_on: dt.date | None = None


class IncidentRisk(SQLModel, table=True):
    __tablename__ = "incident_risk"

    incident_id: int = Field(foreign_key="incident.id", primary_key=True)
    risk_id: int = Field(foreign_key="risk.id", primary_key=True)


class Challenge(SQLModel, table=True):
    """A 2nd-line question put to the 1st line, on the record."""

    __tablename__ = "challenge"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="ai_use.id", index=True)
    risk_id: int | None = Field(default=None, foreign_key="risk.id")
    raised_by_id: int | None = Field(default=None, foreign_key="person.id")
    raised_on: dt.date = Field(default_factory=lambda: dt.date.today())
    question: str
    severity: str = "medium"  # Severity
    answer: str = ""
    answered_by_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = "open"  # ChallengeStatus
    resolution: str = ""
    resolved_on: dt.date | None = None
    snapshot_raised: str = ""  # JSON: scores and gaps when raised
    snapshot_resolved: str = ""  # JSON: scores and gaps when resolved


class Review(SQLModel, table=True):
    """A dated snapshot of a use's scores: the history drift is measured against."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="ai_use.id", index=True)
    reviewed_on: dt.date
    reviewer_id: int | None = Field(default=None, foreign_key="person.id")
    exposure: int | None = 0  # None: the use was not assessed when reviewed
    tier: str = "low"
    score_method: str = ""
    snapshot: str = ""  # JSON: every risk's scores and the gaps at the time
    notes: str = ""


class Setting(SQLModel, table=True):
    """Register-wide settings (scoring weights, ladder…) as JSON values."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str = ""


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of every change (see service/audit.py)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    actor: str = ""
    action: str = ""  # create / update / delete
    entity: str = Field(default="", index=True)
    entity_id: str = Field(default="", index=True)
    before: str = ""  # canonical JSON or ""
    after: str = ""  # canonical JSON or ""
    prev_hash: str = ""
    hash: str = ""


class BoardPack(SQLModel, table=True):
    """A record of each exported board pack, so the next one can say what changed."""

    __tablename__ = "board_pack"

    id: int | None = Field(default=None, primary_key=True)
    exported_at: dt.datetime = Field(default_factory=utcnow)
    exported_by: str = ""
    file_name: str = ""
    chain_head: str = ""  # audit chain head at export time
    snapshot: str = ""  # JSON: uses (tier, exposure) and risks (scores) at export time


class EvidenceBlob(SQLModel, table=True):
    """A file's bytes, stored once under their SHA-256 however often they are attached.

    Kept inside the register so it stays one file to back up and hand over; never
    deleted (old revisions and removed evidence still point here, and the audit trail
    names the hash).
    """

    __tablename__ = "evidence_blob"

    sha256: str = Field(primary_key=True)  # lower-case hex digest of ``data``
    size: int = 0
    data: bytes = b""


class Evidence(SQLModel, table=True):
    """One revision of a piece of evidence (a signed DPA, a bias test, a model card…).

    A replacement is a new row whose ``replaces_id`` names the revision before it; the
    current revision is the one nothing replaces. Removal is a flag, so the trail and
    the file stay available to an auditor.
    """

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = "other"  # EvidenceKind
    sha256: str = Field(foreign_key="evidence_blob.sha256", index=True)
    file_name: str = ""
    size: int = 0
    dated: dt.date | None = None  # the document's own date
    valid_until: dt.date | None = None  # after this day it supports nothing
    added_by_id: int | None = Field(default=None, foreign_key="person.id")
    added_by: str = ""  # the account that added it (the audit actor)
    added_at: dt.datetime = Field(default_factory=utcnow)
    replaces_id: int | None = Field(default=None, foreign_key="evidence.id", index=True)
    removed: bool = False
    notes: str = ""


class EvidenceLink(SQLModel, table=True):
    """What a piece of evidence supports: exactly one of the target columns is set.

    One foreign key per target (rather than a kind + id pair) so the database refuses
    a link to a record that does not exist and deleting the record removes its links
    through the service's audited cascade.
    """

    __tablename__ = "evidence_link"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    use_id: int | None = Field(default=None, foreign_key="ai_use.id", index=True)
    risk_id: int | None = Field(default=None, foreign_key="risk.id", index=True)
    control_id: int | None = Field(default=None, foreign_key="control.id", index=True)
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)
    challenge_id: int | None = Field(default=None, foreign_key="challenge.id", index=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    model_id: int | None = Field(default=None, foreign_key="ai_model.id", index=True)  # 0008


class AIModel(SQLModel, table=True):
    """issue 17: the model catalogue — which provider's model a use runs on."""

    __tablename__ = "ai_model"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    provider_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    # Named like ai_use.model_version: a bare "version" is the record's edit counter.
    model_version: str = ""
    notes: str = ""


class AgentPermission(SQLModel, table=True):
    """issue 17: one permission an agent holds on one system or tool."""

    __tablename__ = "agent_permission"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="ai_use.id", index=True)
    system: str = ""  # the system or tool ("Production database", "CI runner shell")
    access: str = "read"  # PermissionAccess
    environment: str | None = None  # PermissionEnvironment; None: not known
    needed: bool | None = None  # needed for the task; None: not known
    approved_by_id: int | None = Field(default=None, foreign_key="person.id")
    last_reviewed: dt.date | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="person.id")
    notes: str = ""


class PermissionReview(SQLModel, table=True):
    """issue 17: a least-privilege review of one agent, as a recorded act."""

    __tablename__ = "permission_review"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="ai_use.id", index=True)
    reviewed_on: dt.date
    reviewer_id: int | None = Field(default=None, foreign_key="person.id")
    decisions: str = ""  # JSON: [{"permission", "system", "outcome", "access"...}]
    notes: str = ""


# --- optimistic concurrency (migration 0007) -------------------------------------------
# Every editable record carries a version the service raises on each change; an edit or
# undo based on an older version is refused ("changed by … — reload"). A Core column
# rather than a model field: the service reads and writes through SQLAlchemy Core, and
# this one list is all a new table needs (with its column added by a migration).
VERSIONED_TABLES = (
    "org_profile",
    "person",
    "vendor",
    "ai_use",
    "risk",
    "control",
    "incident",
    "challenge",
    "review",
    "setting",
    "ai_model",  # issue 17: the model catalogue and each agent's permissions
    "agent_permission",
)
for _name in VERSIONED_TABLES:
    SQLModel.metadata.tables[_name].append_column(
        Column("version", Integer, nullable=False, default=1, server_default="1")
    )
