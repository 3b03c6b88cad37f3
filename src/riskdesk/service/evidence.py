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

Targets are uses, risks, controls, reviews, challenges, incidents and vendors. The
register has no table of models yet, so evidence cannot be attached to a model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, or_, select

from riskdesk import enums
from riskdesk.scoring.ladder import Gap
from riskdesk.service.drift import DueItem
from riskdesk.service.errors import ConflictError, NotFoundError, ServiceError, ValidationError
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of
from riskdesk.store.models import EvidenceBlob

MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB
WARN_REGISTER_BYTES = 1024 * MB

# Target kind (as typed: "vendor:3") -> (evidence_link column, entity)
TARGETS: dict[str, tuple[str, str]] = {
    "use": ("use_id", "ai_use"),
    "risk": ("risk_id", "risk"),
    "control": ("control_id", "control"),
    "review": ("review_id", "review"),
    "challenge": ("challenge_id", "challenge"),
    "incident": ("incident_id", "incident"),
    "vendor": ("vendor_id", "vendor"),
}
_TARGET_ALIASES = {"ai_use": "use", "ai use": "use"}
LINK_COLUMNS: tuple[str, ...] = tuple(column for column, _ in TARGETS.values())
# Words people type for a kind that the enum's value and label do not cover.
_KIND_ALIASES = {"dpa": "contract", "contract/dpa": "contract", "test": "test_result"}
GAP_RUNG = "evidence_expired"
GAP_TITLE = "Evidence expired"
EVIDENCE_DUE = "EVIDENCE"
EXPIRES_SOON_DAYS = 30
BLOBS = EvidenceBlob.__table__  # type: ignore[attr-defined]


class EvidenceError(ServiceError):
    """The file could not be stored or read back (too large, unreadable, altered)."""


class FileTooLargeError(EvidenceError):
    pass


@dataclass(frozen=True, order=True)
class Target:
    """What a piece of evidence supports, written ``kind:id`` (``vendor:3``)."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def column(self) -> str:
        return TARGETS[self.kind][0]

    @property
    def entity(self) -> str:
        return TARGETS[self.kind][1]


def parse_target(value: Target | str) -> Target:
    """``"vendor:3"`` → ``Target("vendor", 3)``; ``ValidationError`` names what is wrong."""
    if isinstance(value, Target):
        if value.kind not in TARGETS:
            raise ValidationError.single("to", f"{value.kind!r} is not something evidence supports")
        return value
    kind, sep, number = str(value).strip().partition(":")
    kind = _TARGET_ALIASES.get(kind.strip().casefold(), kind.strip().casefold())
    known = ", ".join(TARGETS)
    if not sep or kind not in TARGETS:
        raise ValidationError.single(
            "to", f"{str(value)!r} is not KIND:ID (KIND is one of: {known})", "evidence"
        )
    try:
        return Target(kind, int(number.strip()))
    except ValueError:
        raise ValidationError.single(
            "to", f"{number.strip()!r} in {str(value)!r} is not a record id", "evidence"
        ) from None


def parse_kind(value: Any) -> str:
    """An ``EvidenceKind`` value from its value, label or a common word ("DPA")."""
    text = " ".join(str(value).split()).casefold()
    text = _KIND_ALIASES.get(text.replace(" ", ""), text)
    try:
        return enums.EvidenceKind.parse(text).value
    except ValueError as exc:
        raise ValidationError.single("kind", str(exc), "evidence") from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _size_text(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size:,} bytes"


def _too_large(name: str, size: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"{name} is {_size_text(size)}; evidence files are limited to "
        f"{MAX_FILE_BYTES // MB} MB each. Attach a smaller extract (a PDF of the signed "
        "pages, a summary of the test run) and say where the full file is kept."
    )


def read_source(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    """The file's bytes and name; the size limit is checked before anything is read."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large("The file", len(data))
        return data, ""
    path = Path(source).expanduser()
    try:
        if path.is_dir():
            raise EvidenceError(f"{path} is a folder; attach a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(path.name, size)
        return path.read_bytes(), path.name
    except FileNotFoundError:
        raise EvidenceError(f"{path} does not exist") from None
    except PermissionError:
        raise EvidenceError(f"{path} cannot be read (permission denied)") from None
    except OSError as exc:
        raise EvidenceError(f"{path} cannot be read: {exc.strerror or exc}") from None


# --- reading --------------------------------------------------------------------------


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
        out[row["evidence_id"]].append(_link_target(dict(row)))
    return out


def _link_target(row: Mapping[str, Any]) -> Target:
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


def register_bytes(svc: RegisterService) -> int:
    """How big the register is: the file (with its write-ahead log), or for a server
    database the evidence it holds."""
    path = svc.register.path
    if path is not None and path.exists():
        wal = path.with_name(path.name + "-wal")
        return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with svc.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(BLOBS.c.size), 0))).scalar() or 0)


def _size_warnings(svc: RegisterService) -> tuple[str, ...]:
    size = register_bytes(svc)
    if size <= WARN_REGISTER_BYTES:
        return ()
    return (
        f"The register is now {size / (1024 * MB):,.2f} GB, over the "
        f"{WARN_REGISTER_BYTES // (1024 * MB)} GB it is comfortable at: backups and "
        "hand-overs get slow. Keep large originals elsewhere and attach extracts.",
    )


# --- writing --------------------------------------------------------------------------


@dataclass(frozen=True)
class AddResult:
    evidence_id: int
    sha256: str
    size: int
    result: ActionResult
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _store_blob(uow: UnitOfWork, data: bytes) -> str:
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
    values = {**values, "sha256": _store_blob(uow, data), "size": len(data)}
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
    return AddResult(evidence_id, info.sha256, info.size, result, _size_warnings(svc))


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
    return AddResult(new_id, info.sha256, info.size, result, _size_warnings(svc))


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


# --- integrity ------------------------------------------------------------------------


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


# --- what evidence means for oversight ------------------------------------------------


def _current_clause() -> Any:
    ev = table_of("evidence")
    newer = ev.alias("newer")
    return and_(~ev.c.removed, ~exists().where(newer.c.replaces_id == ev.c.id))


@dataclass(frozen=True)
class ExpiredEvidence:
    """Current evidence past its ``valid_until``, and one record it was supporting."""

    evidence_id: int
    title: str
    kind: str
    valid_until: dt.date
    target: Target
    target_name: str

    @property
    def supports(self) -> str:
        named = f" ({self.target_name})" if self.target_name else ""
        return f"{self.target.kind} {self.target.id}{named}"

    @property
    def reason(self) -> str:
        return (
            f"{self.title} expired on {self.valid_until.isoformat()}; it supports {self.supports}"
        )


_NAME_COLUMN = {
    "ai_use": "name",
    "risk": "title",
    "control": "name",
    "challenge": "question",
    "incident": "title",
    "vendor": "name",
}


def target_names(conn: Connection, targets: Iterable[Target]) -> dict[Target, str]:
    by_entity: dict[str, set[int]] = defaultdict(set)
    for t in targets:
        by_entity[t.entity].add(t.id)
    out: dict[Target, str] = {}
    kind_of = {entity: kind for kind, (_, entity) in TARGETS.items()}
    for entity, ids in by_entity.items():
        table = table_of(entity)
        if entity == "review":
            uses = table_of("ai_use")
            stmt = (
                select(table.c.id, uses.c.name, table.c.reviewed_on)
                .join(uses, uses.c.id == table.c.use_id)
                .where(table.c.id.in_(ids))
            )
            for rid, use_name, on in conn.execute(stmt):
                out[Target("review", rid)] = f"review of {use_name} on {on.isoformat()}"
            continue
        column = table.c[_NAME_COLUMN[entity]]
        for tid, name in conn.execute(select(table.c.id, column).where(table.c.id.in_(ids))):
            out[Target(kind_of[entity], tid)] = name
    return out


def expired_evidence(conn: Connection, today: dt.date) -> list[ExpiredEvidence]:
    """Per target: every current evidence whose validity ended before ``today``."""
    ev, links = table_of("evidence"), table_of("evidence_link")
    stmt = (
        select(
            ev.c.id, ev.c.title, ev.c.kind, ev.c.valid_until, *[links.c[c] for c in LINK_COLUMNS]
        )
        .join(links, links.c.evidence_id == ev.c.id)
        .where(_current_clause(), ev.c.valid_until.is_not(None), ev.c.valid_until < today)
        .order_by(ev.c.valid_until, ev.c.id, links.c.id)
    )
    rows = [dict(r) for r in conn.execute(stmt).mappings()]
    targets = [_link_target(r) for r in rows]
    names = target_names(conn, targets)
    return [
        ExpiredEvidence(r["id"], r["title"], r["kind"], r["valid_until"], t, names.get(t, ""))
        for r, t in zip(rows, targets, strict=True)
    ]


def _uses_of(conn: Connection, targets: Iterable[Target]) -> dict[Target, set[int]]:
    """The live AI uses each target bears on (a vendor: the uses it supplies; a control:
    the uses of the risks it treats). Retired uses have no gaps."""
    wanted = set(targets)
    out: dict[Target, set[int]] = {t: set() for t in wanted}
    uses = table_of("ai_use")
    by_kind: dict[str, set[int]] = defaultdict(set)
    for t in wanted:
        by_kind[t.kind].add(t.id)
    for kind, ids in by_kind.items():
        stmt: Any
        if kind == "use":
            stmt = select(uses.c.id, uses.c.id.label("use_id"))
            key = uses.c.id
        elif kind == "vendor":
            stmt, key = select(uses.c.vendor_id, uses.c.id), uses.c.vendor_id
        elif kind == "control":
            rc, risk = table_of("risk_control"), table_of("risk")
            stmt = select(rc.c.control_id, risk.c.use_id).join(risk, risk.c.id == rc.c.risk_id)
            stmt = stmt.join(uses, uses.c.id == risk.c.use_id)
            key = rc.c.control_id
        else:  # risk, review, challenge, incident: their own use
            table = table_of(TARGETS[kind][1])
            stmt = select(table.c.id, table.c.use_id).join(uses, uses.c.id == table.c.use_id)
            key = table.c.id
        live = stmt.where(key.in_(ids), uses.c.stage != enums.Stage.RETIRED.value)
        for tid, use_id in conn.execute(live):
            out[Target(kind, tid)].add(use_id)
    return out


def evidence_gaps_by_use(
    conn: Connection, today: dt.date, use_ids: Sequence[int] | None = None
) -> dict[int, list[Gap]]:
    """Expired evidence as gaps on the AI uses it supports ("DPA with Vendor X expired
    on …"), for ``oversight.register_gaps`` to add to the ladder's own."""
    expired = expired_evidence(conn, today)
    if not expired:
        return {}
    reach = _uses_of(conn, (e.target for e in expired))
    wanted = set(use_ids) if use_ids is not None else None
    # One gap per use and evidence, naming every record of that use it supported.
    by_use: dict[int, dict[int, list[ExpiredEvidence]]] = defaultdict(lambda: defaultdict(list))
    for item in expired:
        for use_id in reach.get(item.target, ()):
            if wanted is None or use_id in wanted:
                by_use[use_id][item.evidence_id].append(item)
    out: dict[int, list[Gap]] = {}
    for use_id, per_evidence in by_use.items():
        out[use_id] = []
        for items in per_evidence.values():
            first = items[0]
            supports = " and ".join(dict.fromkeys(i.supports for i in items))
            reason = (
                f"{first.title} expired on {first.valid_until.isoformat()}; it supports {supports}"
            )
            out[use_id].append(
                Gap(GAP_RUNG, GAP_TITLE, reason, enums.Tier.LOW, subject=first.title)
            )
    return out


@dataclass(frozen=True)
class EvidenceDueItem(DueItem):
    """A calendar entry for the day evidence stops being valid."""

    @property
    def label(self) -> str:
        return "Evidence expiry"


def evidence_due_items(svc: RegisterService) -> list[EvidenceDueItem]:
    """Every current evidence with a ``valid_until``, for the calendar. The event is
    keyed by the first revision, so a replacement updates it instead of adding one."""
    infos = list_evidence(svc, include_old=True)
    by_id = {e.id: e for e in infos}
    people = {r["id"]: r["name"] for r in svc.rows("person")}
    with svc.engine.connect() as conn:
        names = target_names(conn, {t for e in infos for t in e.attached_to})
    items: list[EvidenceDueItem] = []
    for info in infos:
        if not info.current or info.valid_until is None:
            continue
        root = info
        while root.replaces_id is not None and root.replaces_id in by_id:
            root = by_id[root.replaces_id]
        supports = "; ".join(f"{t.kind} {names.get(t, t.id)}" for t in info.attached_to)
        detail = (
            f"{info.kind_label} (evidence {info.id}) is valid until "
            f"{info.valid_until.isoformat()}. Supports: {supports or 'nothing attached'}. "
            "Add its replacement as a new revision."
        )
        use_id = next((t.id for t in info.attached_to if t.kind == "use"), None)
        items.append(
            EvidenceDueItem(
                EVIDENCE_DUE,
                info.valid_until,
                f"Evidence expires: {info.title}",
                detail,
                "evidence",
                root.id,
                use_id,
                people.get(info.added_by_id, "") if info.added_by_id is not None else "",
            )
        )
    items.sort(key=lambda i: (i.due, i.entity_id))
    return items


def evidenced_control_ids(conn: Connection, today: dt.date) -> set[int]:
    """Controls with at least one current, unexpired piece of evidence attached."""
    ev, links = table_of("evidence"), table_of("evidence_link")
    stmt = (
        select(links.c.control_id)
        .join(ev, ev.c.id == links.c.evidence_id)
        .where(
            links.c.control_id.is_not(None),
            _current_clause(),
            or_(ev.c.valid_until.is_(None), ev.c.valid_until >= today),
        )
        .distinct()
    )
    return set(conn.execute(stmt).scalars())


@dataclass(frozen=True)
class ControlEvidence:
    """Implemented or tested controls: backed by evidence, or only claimed."""

    evidenced: list[dict[str, Any]]
    claimed: list[dict[str, Any]]  # "claimed, no evidence"


CLAIMING = frozenset({enums.ControlStatus.IMPLEMENTED.value, enums.ControlStatus.TESTED.value})


def control_evidence(svc: RegisterService, today: dt.date | None = None) -> ControlEvidence:
    today = today or dt.date.today()
    controls = table_of("control")
    with svc.engine.connect() as conn:
        backed = evidenced_control_ids(conn, today)
        rows = [
            dict(r)
            for r in conn.execute(
                select(controls.c.id, controls.c.name, controls.c.status)
                .where(controls.c.status.in_(CLAIMING))
                .order_by(controls.c.id)
            ).mappings()
        ]
    return ControlEvidence(
        [r for r in rows if r["id"] in backed], [r for r in rows if r["id"] not in backed]
    )


def evidence_backed_controls(
    svc: RegisterService, today: dt.date | None = None
) -> list[tuple[str, str]]:
    """``(framework_refs, status)`` of the controls backed by evidence, in the form the
    catalogue's coverage count takes, so coverage can say what is only claimed."""
    controls = table_of("control")
    with svc.engine.connect() as conn:
        backed = evidenced_control_ids(conn, today or dt.date.today())
        if not backed:
            return []
        rows = conn.execute(
            select(controls.c.framework_refs, controls.c.status).where(controls.c.id.in_(backed))
        ).all()
    return [(refs or "", status) for refs, status in rows]
