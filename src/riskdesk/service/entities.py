"""What the register holds: each entity's model, key, references and name in prose.

Shared by the writer (``unit_of_work``), the service and the integrity check, so a new
table is declared once.
"""

from __future__ import annotations

from typing import Any

from riskdesk.store import models

MODELS: dict[str, type[Any]] = {
    "org_profile": models.OrgProfile,
    "person": models.Person,
    "vendor": models.Vendor,
    "ai_use": models.AIUse,
    "risk": models.Risk,
    "control": models.Control,
    "risk_control": models.RiskControl,
    "incident": models.Incident,
    "incident_risk": models.IncidentRisk,
    "challenge": models.Challenge,
    "review": models.Review,
    "setting": models.Setting,
    "board_pack": models.BoardPack,
    "evidence": models.Evidence,  # its file (evidence_blob) is checked by hash instead
    "evidence_link": models.EvidenceLink,
    "audit_event": models.AuditEvent,
    # issue 17
    "ai_model": models.AIModel,
    "agent_permission": models.AgentPermission,
    "permission_review": models.PermissionReview,
}
LINK_KEYS: dict[str, tuple[str, str]] = {
    "risk_control": ("risk_id", "control_id"),
    "incident_risk": ("incident_id", "risk_id"),
}
# What deleting a record does to the records that point at it:
# "delete" cascades (audited), "null" clears the reference (audited), "refuse" stops.
REFERENCES: dict[str, list[tuple[str, str, str]]] = {
    "ai_use": [
        ("risk", "use_id", "delete"),
        ("challenge", "use_id", "delete"),
        ("review", "use_id", "delete"),
        ("incident", "use_id", "null"),
        ("evidence_link", "use_id", "delete"),
        ("agent_permission", "use_id", "delete"),  # issue 17
        ("permission_review", "use_id", "delete"),  # issue 17
    ],
    "risk": [
        ("risk_control", "risk_id", "delete"),
        ("incident_risk", "risk_id", "delete"),
        ("challenge", "risk_id", "null"),
        ("evidence_link", "risk_id", "delete"),
    ],
    "control": [
        ("risk_control", "control_id", "delete"),
        ("evidence_link", "control_id", "delete"),
    ],
    "incident": [
        ("incident_risk", "incident_id", "delete"),
        ("evidence_link", "incident_id", "delete"),
    ],
    "vendor": [
        ("ai_use", "vendor_id", "refuse"),
        ("ai_model", "provider_id", "refuse"),  # issue 17
        ("evidence_link", "vendor_id", "delete"),
    ],
    # issue 17; issue 18: a model's evidence links go with it
    "ai_model": [("ai_use", "model_id", "null"), ("evidence_link", "model_id", "delete")],
    # Evidence itself is only ever flagged as removed; a deleted review or challenge
    # takes its links with it.
    "review": [("evidence_link", "review_id", "delete")],
    "challenge": [("evidence_link", "challenge_id", "delete")],
    "person": [
        ("ai_use", "owner_first_id", "refuse"),
        ("ai_use", "owner_second_id", "refuse"),
        ("ai_use", "owner_third_id", "refuse"),
        ("risk", "owner_id", "refuse"),
        ("risk", "accepted_by_id", "refuse"),
        ("control", "owner_id", "refuse"),
        ("challenge", "raised_by_id", "refuse"),
        ("challenge", "answered_by_id", "refuse"),
        ("review", "reviewer_id", "refuse"),
        ("evidence", "added_by_id", "refuse"),
        ("agent_permission", "approved_by_id", "refuse"),  # issue 17
        ("agent_permission", "reviewed_by_id", "refuse"),  # issue 17
        ("permission_review", "reviewer_id", "refuse"),  # issue 17
        ("incident", "owner_id", "refuse"),
    ],
}
LABELS = {
    "ai_use": "AI use",
    "org_profile": "organisation profile",
    "risk_control": "risk–control link",
    "incident_risk": "incident–risk link",
    "ai_model": "AI model",  # issue 17
}


def entity_label(entity: str) -> str:
    return LABELS.get(entity, entity.replace("_", " "))


def entity_title(entity: str) -> str:
    """``entity_label`` for the start of a sentence ("AI use", not "Ai use")."""
    label = entity_label(entity)
    return label[:1].upper() + label[1:]
