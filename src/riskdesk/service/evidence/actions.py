"""Changing evidence: add, replace (a new revision), remove, attach and detach.

Each is one audited action whose events carry the file's SHA-256; the bytes are stored
once under their hash however often they are attached.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from riskdesk.service.errors import ConflictError, NotFoundError, ValidationError
from riskdesk.service.evidence.base import (
    BLOBS,
    Target,
    parse_kind,
    parse_target,
    read_source,
    sha256_hex,
    size_warnings,
)
from riskdesk.service.evidence.records import evidence_info
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of


@dataclass(frozen=True)
class AddResult:
    evidence_id: int
    sha256: str
    size: int
    result: ActionResult
    warnings: tuple[str, ...] = field(default_factory=tuple)


def store_blob(uow: UnitOfWork, data: bytes) -> str:
    """Insert the bytes under their hash unless already stored (once, however often
    attached). Not an audited entity: the evidence row that names the hash is."""
    digest = sha256_hex(data)
    found = uow.conn.execute(select(BLOBS.c.sha256).where(BLOBS.c.sha256 == digest)).first()
    if found is None:
        uow.conn.execute(insert(BLOBS).values(sha256=digest, size=len(data), data=data))
    return digest


def _attach(uow: UnitOfWork, evidence_id: int, target: Target) -> None:
    links = table_of("evidence_link")
    if not uow.exists(target.entity, target.id):
        raise NotFoundError(f"There is no {target.kind} {target.id} to attach evidence to.")
    already = uow.conn.execute(
        select(links.c.id).where(
            links.c.evidence_id == evidence_id, links.c[target.column] == target.id
        )
    ).first()
    if already is None:
        uow.create("evidence_link", {"evidence_id": evidence_id, target.column: target.id})


def _current_row(uow: UnitOfWork, evidence_id: int, doing: str) -> dict[str, Any]:
    row = uow.row("evidence", evidence_id)
    if row is None:
        raise NotFoundError(f"Evidence {evidence_id} does not exist.")
    if row["removed"]:
        raise ConflictError(f"Evidence {evidence_id} was removed; it cannot be {doing}.")
    ev = table_of("evidence")
    newer = uow.conn.execute(select(ev.c.id).where(ev.c.replaces_id == evidence_id)).scalar()
    if newer is not None:
        raise ConflictError(
            f"Evidence {evidence_id} has been replaced by revision {newer}; "
            f"only the current revision can be {doing}."
        )
    return row


def _check_dates(values: Mapping[str, Any]) -> None:
    dated, until = values.get("dated"), values.get("valid_until")
    if isinstance(dated, dt.date) and isinstance(until, dt.date) and until < dated:
        raise ValidationError.single(
            "valid_until", f"{until} is before the document's date {dated}", "evidence"
        )


def _new_revision(uow: UnitOfWork, data: bytes, values: dict[str, Any]) -> int:
    values = {**values, "sha256": store_blob(uow, data), "size": len(data)}
    values.setdefault("added_by", uow.service.actor)
    evidence_id: int = uow.create("evidence", values)
    # Checked on the stored row, so the dates compare as dates in whatever form they came.
    _check_dates(uow.row("evidence", evidence_id) or {})
    return evidence_id


def add_evidence(
    svc: RegisterService,
    source: str | os.PathLike[str] | bytes,
    *,
    to: Iterable[Target | str] = (),
    title: str | None = None,
    kind: str = "other",
    file_name: str | None = None,
    dated: dt.date | str | None = None,
    valid_until: dt.date | str | None = None,
    added_by_id: int | None = None,
    notes: str = "",
) -> AddResult:
    """Store a file (a path or bytes, at most 100 MB) as new evidence, attached to
    ``to``; one audited action whose events carry the file's SHA-256."""
    targets = [parse_target(t) for t in to]
    data, name = read_source(source)
    name = file_name if file_name is not None else name
    values: dict[str, Any] = {
        "title": title if title and title.strip() else (Path(name).stem or "Evidence"),
        "kind": parse_kind(kind),
        "file_name": name,
        "dated": dated,
        "valid_until": valid_until,
        "added_by_id": added_by_id,
        "notes": notes,
    }
    with svc.action() as uow:
        evidence_id = _new_revision(uow, data, values)
        for target in targets:
            _attach(uow, evidence_id, target)
        result = uow.result
    info = evidence_info(svc, evidence_id)
    return AddResult(evidence_id, info.sha256, info.size, result, size_warnings(svc))


def replace_evidence(
    svc: RegisterService,
    evidence_id: int,
    source: str | os.PathLike[str] | bytes,
    *,
    title: str | None = None,
    kind: str | None = None,
    file_name: str | None = None,
    dated: dt.date | str | None = None,
    valid_until: dt.date | str | None = None,
    added_by_id: int | None = None,
    notes: str | None = None,
) -> AddResult:
    """A new revision of current evidence: it takes over the old one's links, the old
    revision (and its file) is kept. Title and kind carry over unless given; the dates
    do not: a new document has its own date and validity (unknown unless given)."""
    data, name = read_source(source)
    with svc.action() as uow:
        old = _current_row(uow, evidence_id, "replaced")
        values: dict[str, Any] = {
            "title": title if title and title.strip() else old["title"],
            "kind": parse_kind(kind) if kind else old["kind"],
            "file_name": file_name if file_name is not None else (name or old["file_name"]),
            "dated": dated,
            "valid_until": valid_until,
            "added_by_id": added_by_id,
            "replaces_id": evidence_id,
            "notes": notes if notes is not None else old["notes"],
        }
        new_id = _new_revision(uow, data, values)
        links = table_of("evidence_link")
        for link_id in uow.conn.execute(
            select(links.c.id).where(links.c.evidence_id == evidence_id).order_by(links.c.id)
        ).scalars():
            uow.update("evidence_link", link_id, {"evidence_id": new_id})
        result = uow.result
    info = evidence_info(svc, new_id)
    return AddResult(new_id, info.sha256, info.size, result, size_warnings(svc))


def remove_evidence(svc: RegisterService, evidence_id: int) -> ActionResult:
    """Mark current evidence as removed (audited). Its file and revisions stay in the
    register for the trail; it no longer supports anything."""
    with svc.action() as uow:
        _current_row(uow, evidence_id, "removed")
        uow.update("evidence", evidence_id, {"removed": True})
        return uow.result


def attach(svc: RegisterService, evidence_id: int, target: Target | str) -> ActionResult:
    wanted = parse_target(target)
    with svc.action() as uow:
        _current_row(uow, evidence_id, "attached")
        _attach(uow, evidence_id, wanted)
        return uow.result


def detach(svc: RegisterService, evidence_id: int, target: Target | str) -> ActionResult:
    wanted = parse_target(target)
    links = table_of("evidence_link")
    with svc.action() as uow:
        link_id = uow.conn.execute(
            select(links.c.id).where(
                links.c.evidence_id == evidence_id, links.c[wanted.column] == wanted.id
            )
        ).scalar()
        if link_id is None:
            raise NotFoundError(f"Evidence {evidence_id} is not attached to {wanted}.")
        uow.delete("evidence_link", link_id)
        return uow.result
