"""The ground rules of evidence: limits, errors, what it can support, and reading a file.

Files are limited to ``MAX_FILE_BYTES`` each (checked before anything is read) and the
register warns past ``WARN_REGISTER_BYTES``; both are read from this module at call time,
so a test may patch them here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from riskdesk import enums
from riskdesk.service.errors import ServiceError, ValidationError
from riskdesk.service.register import RegisterService
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
    "model": ("model_id", "ai_model"),  # migration 0008: a model card, an evaluation
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


def register_bytes(svc: RegisterService) -> int:
    """How big the register is: the file (with its write-ahead log), or for a server
    database the evidence it holds."""
    path = svc.register.path
    if path is not None and path.exists():
        wal = path.with_name(path.name + "-wal")
        return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with svc.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(BLOBS.c.size), 0))).scalar() or 0)


def size_warnings(svc: RegisterService) -> tuple[str, ...]:
    size = register_bytes(svc)
    if size <= WARN_REGISTER_BYTES:
        return ()
    return (
        f"The register is now {size / (1024 * MB):,.2f} GB, over the "
        f"{WARN_REGISTER_BYTES // (1024 * MB)} GB it is comfortable at: backups and "
        "hand-overs get slow. Keep large originals elsewhere and attach extracts.",
    )
