"""Evidence for the workbook and the board pack (issue 18), read once per export.

The workbook's Evidence sheet lists every current revision with what it supports; the
Controls sheet and the pack say which implemented or tested controls are backed by
current, unexpired evidence and which are only claimed. The files themselves travel in
the CSV export and in ``riskdesk export --format evidence``, not in the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from riskdesk.service.evidence import (
    CLAIMED_NO_EVIDENCE,
    CLAIMING,
    control_evidence,
    evidenced_control_ids,
    list_evidence,
    target_names,
)
from riskdesk.service.register import RegisterService

_TARGET_WORDS = {
    "use": "AI use",
    "risk": "Risk",
    "control": "Control",
    "review": "Review",
    "challenge": "Challenge",
    "incident": "Incident",
    "vendor": "Vendor",
    "model": "Model",
}


@dataclass
class EvidenceFigures:
    """The evidence an export shows: rows for the sheet, and the controls' standing."""

    rows: list[Mapping[str, Any]] = field(default_factory=list)
    files_by_control: dict[int, int] = field(default_factory=dict)
    backed_controls: set[int] = field(default_factory=set)  # current, unexpired evidence
    claimed: int = 0  # implemented or tested controls with no such evidence
    backed: int = 0  # implemented or tested controls with it
    expired: int = 0  # current files past their valid-until date

    def control_check(self, control: Mapping[str, Any]) -> str:
        """The Controls sheet's "Evidence check": said only of controls that claim to work."""
        if control.get("status") not in CLAIMING:
            return ""
        if control["id"] in self.backed_controls:
            return "backed by evidence"
        return CLAIMED_NO_EVIDENCE


def _supports(targets: tuple[Any, ...], names: dict[Any, str]) -> str:
    parts = []
    for t in sorted(targets):
        name = names.get(t, "")
        words = f"{_TARGET_WORDS.get(t.kind, t.kind)} {t.id}"
        parts.append(f"{words}: {name}" if name else words)
    return "; ".join(parts)


def load_evidence(
    svc: RegisterService, conn: Connection, controls: Sequence[Mapping[str, Any]], today: dt.date
) -> EvidenceFigures:
    """``conn``: the export's read transaction, for the names and the controls' standing."""
    found = list_evidence(svc)  # current revisions, each with what it is attached to
    names = target_names(conn, [t for e in found for t in e.attached_to])
    backed_ids = evidenced_control_ids(conn, today)
    figures = EvidenceFigures(backed_controls=backed_ids)
    per_control: Counter[int] = Counter()
    for e in found:
        for t in e.attached_to:
            if t.kind == "control":
                per_control[t.id] += 1
        figures.expired += e.expired(today)
        figures.rows.append(
            {
                "id": e.id,
                "title": e.title,
                "kind": e.kind,
                "status": e.status(today),
                "valid_until": e.valid_until,
                "dated": e.dated,
                "supports": _supports(e.attached_to, names) or "nothing (detached)",
                "file_name": e.file_name,
                "size": e.size,
                "sha256": e.sha256,
                "added_by": e.added_by,
                "added_at": e.added_at,
                "replaces_id": e.replaces_id,
            }
        )
    figures.files_by_control = dict(per_control)
    claiming = [c for c in controls if c.get("status") in CLAIMING]
    figures.backed = sum(1 for c in claiming if c["id"] in backed_ids)
    figures.claimed = len(claiming) - figures.backed
    return figures


@dataclass(frozen=True)
class PackEvidence:
    """The board pack's evidence figures: what the controls can show, not only claim."""

    backed: int  # implemented or tested controls with current, unexpired evidence
    claimed: list[str]  # names of those with none: "claimed, no evidence"
    files: int  # current evidence files
    expired: int  # of them past their valid-until date

    @property
    def claiming(self) -> int:
        return self.backed + len(self.claimed)


def pack_evidence(svc: RegisterService, today: dt.date) -> PackEvidence:
    standing = control_evidence(svc, today)
    current = list_evidence(svc)
    return PackEvidence(
        backed=len(standing.evidenced),
        claimed=[str(c["name"]) for c in standing.claimed],
        files=len(current),
        expired=sum(1 for e in current if e.expired(today)),
    )
