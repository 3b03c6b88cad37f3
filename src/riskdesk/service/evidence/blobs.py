"""Integrity: every stored file recomputed against its hash, for ``riskdesk check``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, select

from riskdesk.service.evidence.base import BLOBS, sha256_hex
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class BlobProblem:
    evidence_id: int
    title: str
    sha256: str
    reason: str  # "changed" or "missing"

    def __str__(self) -> str:
        what = (
            "its file was altered after it was added (the stored bytes no longer match "
            "SHA-256 " + self.sha256 + ")"
            if self.reason == "changed"
            else f"its file (SHA-256 {self.sha256}) is missing from the register"
        )
        return f'evidence {self.evidence_id} ("{self.title}"): {what}'


def blob_problems(conn: Connection, limit: int | None = None) -> list[BlobProblem]:
    """Recompute the SHA-256 of every stored file that evidence names (every revision,
    removed ones too); one blob in memory at a time."""
    ev = table_of("evidence")
    named: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for evidence_id, title, digest in conn.execute(
        select(ev.c.id, ev.c.title, ev.c.sha256).order_by(ev.c.id)
    ):
        named[digest].append((evidence_id, title))
    problems: list[BlobProblem] = []
    for digest, users in named.items():
        row = conn.execute(
            select(BLOBS.c.data, BLOBS.c.size).where(BLOBS.c.sha256 == digest)
        ).first()
        if row is None:
            reason = "missing"
        elif sha256_hex(row.data) != digest or len(row.data) != row.size:
            reason = "changed"
        else:
            continue
        problems += [BlobProblem(i, t, digest, reason) for i, t in users]
        if limit is not None and len(problems) >= limit:
            break
    problems.sort(key=lambda p: p.evidence_id)
    return problems[:limit] if limit is not None else problems


def verify_blobs(svc: RegisterService) -> list[BlobProblem]:
    """Every evidence file whose bytes changed or went missing, by evidence id and title."""
    with svc.engine.connect() as conn:
        return blob_problems(conn)
