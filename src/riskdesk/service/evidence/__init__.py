"""Evidence inside the register: files attached to what they support, hashed into the trail.

A register is believed when it shows its evidence — the signed DPA, the bias test, the
model card. Files live *inside* the register (it stays one file to back up and hand
over), content-addressed: the bytes are stored once under their SHA-256 however often
they are attached (``evidence_blob``). Each piece of evidence is a revision row
(``evidence``): replacing it adds a new row that names the one it replaces, so old
revisions stay; removing it sets a flag. Every change is one audited action whose event
carries the file's hash, and ``verify_blobs`` recomputes every hash so ``riskdesk
check`` catches a file altered behind the application's back.

Evidence whose ``valid_until`` has passed supports nothing any more: it becomes a gap on
the AI uses it supports (``evidence_gaps_by_use``) and its expiry is a calendar event
(``evidence_due_items``). A control marked implemented or tested with no current,
unexpired evidence is *claimed*, not evidenced (``evidenced_control_ids``).

Targets are uses, risks, controls, reviews, challenges, incidents and vendors. A link
has no column for a model (``ai_model``) yet, so evidence cannot be attached to one.

The package: ``base`` (limits, errors, targets, reading a file), ``records`` (reading
revisions and their files), ``actions`` (add, replace, remove, attach, detach),
``blobs`` (hash verification for ``check``), ``gaps`` (expired evidence as gaps and
calendar events) and ``controls`` (evidenced vs claimed controls). Import from here.
"""

from __future__ import annotations

from riskdesk.service.evidence.actions import (
    AddResult,
    add_evidence,
    attach,
    detach,
    remove_evidence,
    replace_evidence,
    store_blob,
)
from riskdesk.service.evidence.base import (
    BLOBS,
    EVIDENCE_DUE,
    EXPIRES_SOON_DAYS,
    GAP_RUNG,
    GAP_TITLE,
    LINK_COLUMNS,
    MAX_FILE_BYTES,
    MB,
    TARGETS,
    WARN_REGISTER_BYTES,
    EvidenceError,
    FileTooLargeError,
    Target,
    parse_kind,
    parse_target,
    read_source,
    register_bytes,
    sha256_hex,
    size_warnings,
)
from riskdesk.service.evidence.blobs import BlobProblem, blob_problems, verify_blobs
from riskdesk.service.evidence.controls import (
    CLAIMED_NO_EVIDENCE,
    CLAIMING,
    EVIDENCE_COLUMN,
    ControlEvidence,
    control_evidence,
    controls_with_evidence,
    evidence_backed_controls,
    evidenced_control_ids,
)
from riskdesk.service.evidence.gaps import (
    EvidenceDueItem,
    ExpiredEvidence,
    evidence_due_items,
    evidence_gaps_by_use,
    expired_evidence,
    supported_names,
    target_names,
)
from riskdesk.service.evidence.records import (
    EvidenceInfo,
    current_clause,
    evidence_bytes,
    evidence_for,
    evidence_info,
    link_target,
    list_evidence,
    revisions,
)

__all__ = [
    "BLOBS",
    "CLAIMED_NO_EVIDENCE",
    "CLAIMING",
    "EVIDENCE_COLUMN",
    "EVIDENCE_DUE",
    "EXPIRES_SOON_DAYS",
    "GAP_RUNG",
    "GAP_TITLE",
    "LINK_COLUMNS",
    "MAX_FILE_BYTES",
    "MB",
    "TARGETS",
    "WARN_REGISTER_BYTES",
    "AddResult",
    "BlobProblem",
    "ControlEvidence",
    "EvidenceDueItem",
    "EvidenceError",
    "EvidenceInfo",
    "ExpiredEvidence",
    "FileTooLargeError",
    "Target",
    "add_evidence",
    "attach",
    "blob_problems",
    "control_evidence",
    "controls_with_evidence",
    "current_clause",
    "detach",
    "evidence_backed_controls",
    "evidence_bytes",
    "evidence_due_items",
    "evidence_for",
    "evidence_gaps_by_use",
    "evidence_info",
    "evidenced_control_ids",
    "expired_evidence",
    "link_target",
    "list_evidence",
    "parse_kind",
    "parse_target",
    "read_source",
    "register_bytes",
    "remove_evidence",
    "replace_evidence",
    "revisions",
    "sha256_hex",
    "size_warnings",
    "store_blob",
    "supported_names",
    "target_names",
    "verify_blobs",
]
