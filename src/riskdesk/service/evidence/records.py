"""Reading evidence: revisions as the CLI, GUI and exports show them, and their files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from riskdesk import enums
from riskdesk.service.errors import NotFoundError
from riskdesk.service.evidence.base import (
    BLOBS,
    EXPIRES_SOON_DAYS,
    TARGETS,
    EvidenceError,
    Target,
    parse_target,
    sha256_hex,
)
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class EvidenceInfo:
    """One revision as the CLI, GUI and exports show it."""

    id: int
    title: str
    kind: str
    sha256: str
    file_name: str
    size: int
    dated: dt.date | None
    valid_until: dt.date | None
    added_by_id: int | None
    added_by: str
    added_at: dt.datetime
    replaces_id: int | None
    removed: bool
    replaced_by_id: int | None
    attached_to: tuple[Target, ...] = ()

    @property
    def current(self) -> bool:
        """Not removed and not replaced by a later revision."""
        return not self.removed and self.replaced_by_id is None

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def status(self, today: dt.date) -> str:
        """removed / replaced / expired / expires soon / valid / no expiry."""
        if self.removed:
            return "removed"
        if self.replaced_by_id is not None:
            return "replaced"
        if self.valid_until is None:
            return "no expiry"
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= EXPIRES_SOON_DAYS:
            return "expires soon"
        return "valid"

    @property
    def kind_label(self) -> str:
        return enums.EvidenceKind(self.kind).label

    def record(self, today: dt.date | None = None) -> dict[str, Any]:
        """Plain values for JSON (``riskdesk evidence list --json``) and manifests."""
        return {
            "id": self.id,
            "sha256": self.sha256,
            "title": self.title,
            "kind": self.kind,
            "attached_to": [str(t) for t in self.attached_to],
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "dated": self.dated.isoformat() if self.dated else None,
            "file_name": self.file_name,
            "size": self.size,
            "added_by": self.added_by,
            "added_by_id": self.added_by_id,
            "added_at": self.added_at.isoformat(timespec="seconds"),
            "replaces_id": self.replaces_id,
            "status": self.status(today or dt.date.today()),
        }


def _links(conn: Connection, evidence_ids: Sequence[int] | None) -> dict[int, list[Target]]:
    links = table_of("evidence_link")
    stmt = select(links).order_by(links.c.id)
    if evidence_ids is not None:
        stmt = stmt.where(links.c.evidence_id.in_(evidence_ids))
    out: dict[int, list[Target]] = defaultdict(list)
    for row in conn.execute(stmt).mappings():
        out[row["evidence_id"]].append(link_target(dict(row)))
    return out


def link_target(row: Mapping[str, Any]) -> Target:
    for kind, (column, _) in TARGETS.items():
        if row[column] is not None:
            return Target(kind, row[column])
    raise AssertionError(f"evidence link {row['id']} names no target")


def _infos(conn: Connection, where: Any = None) -> list[EvidenceInfo]:
    ev = table_of("evidence")
    newer = ev.alias("newer")
    replaced_by = (
        select(func.max(newer.c.id)).where(newer.c.replaces_id == ev.c.id).scalar_subquery()
    )
    columns = [c for c in ev.c if c.name not in ("notes",)]
    stmt = select(*columns, replaced_by.label("replaced_by_id")).order_by(ev.c.id)
    if where is not None:
        stmt = stmt.where(where)
    rows = [dict(r) for r in conn.execute(stmt).mappings()]
    links = _links(conn, [r["id"] for r in rows] if where is not None else None)
    return [EvidenceInfo(**r, attached_to=tuple(links.get(r["id"], []))) for r in rows]


def list_evidence(svc: RegisterService, *, include_old: bool = False) -> list[EvidenceInfo]:
    """Current evidence (or every revision, removed ones too, with ``include_old``)."""
    with svc.engine.connect() as conn:
        found = _infos(conn)
    return found if include_old else [e for e in found if e.current]


def evidence_info(svc: RegisterService, evidence_id: int) -> EvidenceInfo:
    with svc.engine.connect() as conn:
        found = _infos(conn, table_of("evidence").c.id == evidence_id)
    if not found:
        raise NotFoundError(f"Evidence {evidence_id} does not exist.")
    return found[0]


def revisions(svc: RegisterService, evidence_id: int) -> list[EvidenceInfo]:
    """Every revision of the evidence ``evidence_id`` belongs to, oldest first."""
    by_id = {e.id: e for e in list_evidence(svc, include_old=True)}
    if evidence_id not in by_id:
        raise NotFoundError(f"Evidence {evidence_id} does not exist.")
    first = by_id[evidence_id]
    while first.replaces_id is not None and first.replaces_id in by_id:
        first = by_id[first.replaces_id]
    chain = [first]
    while chain[-1].replaced_by_id is not None:
        chain.append(by_id[chain[-1].replaced_by_id])
    return chain


def evidence_for(svc: RegisterService, target: Target | str) -> list[EvidenceInfo]:
    """Current evidence attached to one record (an editor's Evidence tab)."""
    wanted = parse_target(target)
    return [e for e in list_evidence(svc) if wanted in e.attached_to]


def evidence_bytes(svc: RegisterService, evidence_id: int) -> bytes:
    """The file of one revision, checked against its hash (byte-identical or an error)."""
    info = evidence_info(svc, evidence_id)
    with svc.engine.connect() as conn:
        data = conn.execute(select(BLOBS.c.data).where(BLOBS.c.sha256 == info.sha256)).scalar()
    label = f'evidence {info.id} ("{info.title}")'
    if data is None:
        raise EvidenceError(
            f"The file of {label} is missing from the register (SHA-256 {info.sha256}). "
            "Run riskdesk check."
        )
    if sha256_hex(data) != info.sha256:
        raise EvidenceError(
            f"The file of {label} no longer matches its SHA-256 hash {info.sha256}: it was "
            "altered outside riskdesk. Run riskdesk check."
        )
    return bytes(data)


def current_clause() -> Any:
    """SQL: the ``evidence`` row is a current revision (not removed, not replaced)."""
    ev = table_of("evidence")
    newer = ev.alias("newer")
    return and_(~ev.c.removed, ~exists().where(newer.c.replaces_id == ev.c.id))
