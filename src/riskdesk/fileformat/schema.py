"""The field schema of every record kind: what each field holds and how it is limited.

Shared by the service, which coerces and validates with it (``riskdesk.service.validation``),
and by the importers, which must know which fields are references before any of it is
written. Data only: no checks run here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table
from sqlmodel import SQLModel

import riskdesk.store.models  # noqa: F401 - defines every register table in the metadata
from riskdesk import enums
from riskdesk.values import MAX_INTEGER as MAX_INTEGER

MAX_TEXT = 100_000  # long free text is fine; unbounded paste is not
MAX_NAME = 300
# More people than live on Earth is a typo (or an attack), not an estimate.
MAX_PEOPLE = 10_000_000_000


@dataclass(frozen=True)
class Rule:
    kind: str  # name | text | int | optint | bool | optbool | date | enum | optenum | fk | …
    enum: type[enums.LabelledEnum] | None = None
    target: str = ""  # fk: the entity referenced
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None


def _name(required: bool = True) -> Rule:
    return Rule("name", required=required)


TEXT = Rule("text")
BOOL = Rule("bool")
DATE = Rule("date")
PERSON = Rule("fk", target="person")


def _enum(e: type[enums.LabelledEnum]) -> Rule:
    return Rule("enum", enum=e)


def _factor(e: type[enums.LabelledEnum]) -> Rule:
    """An exposure factor: blank or "unknown" is an unanswered question (None)."""
    return Rule("optenum", enum=e)


# Exposure factors and floors' inputs: None means not answered yet, never the lowest level.
FACTOR_COUNT = Rule("optint", minimum=0, maximum=MAX_PEOPLE)
FACTOR_FLAG = Rule("optbool")


RULES: dict[str, dict[str, Rule]] = {
    "org_profile": {
        "name": _name(required=False),
        "sector": TEXT,
        "champion_name": TEXT,
        "risk_appetite": _enum(enums.Band),
        "paper_size": _enum(enums.PaperSize),
        "confidentiality": TEXT,
    },
    "person": {
        "name": _name(),
        "email": TEXT,
        "title": TEXT,
        "department": TEXT,
        "default_line": _enum(enums.Line),
        "has_left": BOOL,
        "notes": TEXT,
    },
    "vendor": {"name": _name(), "kind": _enum(enums.VendorKind), "notes": TEXT},
    "ai_use": {
        "name": _name(),
        "purpose": TEXT,
        "department": TEXT,
        "stage": _enum(enums.Stage),
        "sourcing": _enum(enums.Sourcing),
        "vendor_id": Rule("fk", target="vendor"),
        "model_name": TEXT,
        "model_version": TEXT,
        "users": TEXT,
        "people_affected": FACTOR_COUNT,
        "affected_groups": TEXT,
        "decision_role": _factor(enums.DecisionRole),
        "human_oversight": _enum(enums.HumanOversight),
        "autonomy": _factor(enums.Autonomy),
        "agent_permissions": TEXT,
        "permissions_reviewed": BOOL,
        "data_sensitivity": _factor(enums.DataSensitivity),
        "childrens_data": FACTOR_FLAG,
        "harm_severity": _factor(enums.HarmSeverity),
        "reversibility": _factor(enums.Reversibility),
        "rights_impacting": FACTOR_FLAG,
        "safety_impacting": FACTOR_FLAG,
        "public_facing": Rule("optbool"),  # None: not stated
        "generative": Rule("optbool"),
        "eu_ai_act_class": _factor(enums.EUAIActClass),
        "eu_ai_act_basis": TEXT,
        "dev_prod_separated": Rule("optbool"),
        "rollback_plan": TEXT,
        "kill_switch": TEXT,
        "monitoring": TEXT,
        "board_reporting": BOOL,
        "owner_first_id": PERSON,
        "owner_second_id": PERSON,
        "owner_third_id": PERSON,
        "go_live": DATE,
        "last_review": DATE,
        "next_review": DATE,
        "needs_rereview": BOOL,
        "notes": TEXT,
        "source_record": TEXT,
    },
    "risk": {
        "use_id": Rule("fk", target="ai_use", required=True),
        "title": _name(),
        "description": TEXT,
        "taxonomy_refs": TEXT,
        "inherent_likelihood": Rule("score"),
        "inherent_impact": Rule("score"),
        "residual_likelihood": Rule("score"),
        "residual_impact": Rule("score"),
        "target_likelihood": Rule("optscore"),
        "target_impact": Rule("optscore"),
        "treatment": _enum(enums.Treatment),
        "owner_id": PERSON,
        "due_date": DATE,
        "status": _enum(enums.RiskStatus),
        "accepted_by_id": PERSON,
        "acceptance_rationale": TEXT,
        "acceptance_expires": DATE,
    },
    "control": {
        "name": _name(),
        "description": TEXT,
        "control_type": _enum(enums.ControlType),
        "owner_id": PERSON,
        "status": _enum(enums.ControlStatus),
        "framework_refs": TEXT,
        "last_tested": DATE,
        "test_every_months": Rule("int", minimum=1),
        "evidence": TEXT,
    },
    "incident": {
        "use_id": Rule("fk", target="ai_use"),
        "kind": _enum(enums.IncidentKind),
        "title": _name(),
        "occurred_on": Rule("date", required=True),
        "severity": _enum(enums.Severity),
        "people_affected": Rule("optint", minimum=0, maximum=MAX_PEOPLE),  # blank: unknown
        "description": TEXT,
        "actions": TEXT,
        "reportable": BOOL,
        "reported_on": DATE,
        "status": _enum(enums.IncidentStatus),
        "owner_id": PERSON,
        "root_cause": TEXT,
        "lessons": TEXT,
        "closed_on": DATE,
    },
    "challenge": {
        "use_id": Rule("fk", target="ai_use", required=True),
        "risk_id": Rule("fk", target="risk"),
        "raised_by_id": PERSON,
        "raised_on": Rule("date", required=True),
        "question": _name(),
        "severity": _enum(enums.Severity),
        "answer": TEXT,
        "answered_by_id": PERSON,
        "status": _enum(enums.ChallengeStatus),
        "resolution": TEXT,
        "resolved_on": DATE,
        "snapshot_raised": TEXT,
        "snapshot_resolved": TEXT,
    },
    "review": {
        "use_id": Rule("fk", target="ai_use", required=True),
        "reviewed_on": Rule("date", required=True),
        "reviewer_id": PERSON,
        "exposure": Rule("optint", minimum=0),
        "tier": _enum(enums.Tier),
        "score_method": TEXT,
        "snapshot": TEXT,
        "notes": TEXT,
    },
    "risk_control": {
        "risk_id": Rule("fk", target="risk", required=True),
        "control_id": Rule("fk", target="control", required=True),
    },
    "incident_risk": {
        "incident_id": Rule("fk", target="incident", required=True),
        "risk_id": Rule("fk", target="risk", required=True),
    },
    "setting": {"key": _name(), "value": TEXT},
    "board_pack": {
        "exported_at": Rule("datetime"),
        "exported_by": TEXT,
        "file_name": TEXT,
        "chain_head": TEXT,
        # Written by the export, not typed: a 10,000-use snapshot is ~2 MB, over MAX_TEXT.
        "snapshot": Rule("json"),
    },
    # Evidence (issue 18): written by riskdesk.service.evidence, which checks the file
    # itself (size, hash) and that a link names exactly one target.
    "evidence": {
        "title": _name(),
        "kind": _enum(enums.EvidenceKind),
        "sha256": Rule("name", required=True),
        "file_name": TEXT,
        "size": Rule("int", minimum=0),
        "dated": DATE,
        "valid_until": DATE,
        "added_by_id": PERSON,
        "added_by": TEXT,
        "added_at": Rule("datetime"),
        "replaces_id": Rule("fk", target="evidence"),
        "removed": BOOL,
        "notes": TEXT,
    },
    "evidence_link": {
        "evidence_id": Rule("fk", target="evidence", required=True),
        "use_id": Rule("fk", target="ai_use"),
        "risk_id": Rule("fk", target="risk"),
        "control_id": Rule("fk", target="control"),
        "review_id": Rule("fk", target="review"),
        "challenge_id": Rule("fk", target="challenge"),
        "incident_id": Rule("fk", target="incident"),
        "vendor_id": Rule("fk", target="vendor"),
        "model_id": Rule("fk", target="ai_model"),
    },
}


# issue 17: agent permissions, the model catalogue and vendor due diligence.
RULES["vendor"].update(
    {
        "dpa_signed": Rule("optbool"),
        "security_review_on": DATE,
        "security_review_result": TEXT,
        "data_location": TEXT,
        "sub_processors": TEXT,
        "contract_end": DATE,
        "exit_plan": TEXT,
        "incident_contact": TEXT,
    }
)
RULES["ai_use"].update(
    {
        "model_id": Rule("fk", target="ai_model"),
        "human_approval_destructive": Rule("optbool"),
        "credentials_scoped": Rule("optbool"),
        "action_logging": Rule("optbool"),
        "fallback": TEXT,
        "permissions_reviewed_on": DATE,
    }
)
RULES["ai_model"] = {
    "name": _name(),
    "provider_id": Rule("fk", target="vendor"),
    "model_version": TEXT,
    "notes": TEXT,
}
RULES["agent_permission"] = {
    "use_id": Rule("fk", target="ai_use", required=True),
    "system": _name(),
    "access": _enum(enums.PermissionAccess),
    "environment": Rule("optenum", enum=enums.PermissionEnvironment),
    "needed": Rule("optbool"),
    "approved_by_id": PERSON,
    "last_reviewed": DATE,
    "reviewed_by_id": PERSON,
    "notes": TEXT,
}
RULES["permission_review"] = {
    "use_id": Rule("fk", target="ai_use", required=True),
    "reviewed_on": Rule("date", required=True),
    "reviewer_id": PERSON,
    "decisions": Rule("json"),
    "notes": TEXT,
}


def table_of(entity: str) -> Table:
    """The register table that holds records of ``entity`` (tables are named for them)."""
    return SQLModel.metadata.tables[entity]
