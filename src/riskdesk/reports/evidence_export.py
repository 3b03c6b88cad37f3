"""Every current evidence file with a manifest, for an auditor (``--format evidence``).

The auditor gets the files as they were added — each read back from the register and
checked against its SHA-256 first, so an altered file stops the export rather than
reaching them — plus ``manifest.csv`` (what each file is, what it supports, its dates
and hash) and ``SHA256SUMS``, which ``sha256sum -c SHA256SUMS`` verifies without
riskdesk. Written to a ``.zip`` or a folder, all or nothing like the other exports.
Replaced revisions and removed evidence stay in the register and its audit trail; the
pack holds what is current.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from riskdesk.fileformat.safe_text import csv_cell
from riskdesk.reports.progress import (
    CancelFn,
    ExportError,
    ProgressFn,
    atomic_file,
    atomic_folder,
    export_progress,
)
from riskdesk.service.evidence import (
    EvidenceError,
    Target,
    evidence_bytes,
    list_evidence,
    target_names,
)
from riskdesk.service.register import RegisterService

FILES_DIR = "files"
MANIFEST = "manifest.csv"
SUMS = "SHA256SUMS"
OWNED = frozenset({FILES_DIR, MANIFEST, SUMS})
MANIFEST_COLUMNS = (
    "id",
    "file",
    "sha256",
    "size",
    "title",
    "kind",
    "dated",
    "valid_until",
    "status",
    "attached_to",
    "added_by",
    "added_at",
    "replaces_id",
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def member_name(evidence_id: int, file_name: str, title: str) -> str:
    """``files/0007-signed DPA.pdf``: unique by id, safe on every file system."""
    base = _UNSAFE.sub("_", Path(file_name).name or title).strip(" .") or "evidence"
    stem, suffix = os.path.splitext(base)
    return f"{FILES_DIR}/{evidence_id:04d}-{stem[:80]}{suffix[:16]}"


def _described(targets: Iterable[Target], names: dict[Target, str]) -> str:
    return "; ".join(f"{t} ({names[t]})" if names.get(t) else str(t) for t in targets)


def export_evidence(
    svc: RegisterService,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    today: dt.date | None = None,
) -> Path:
    """Write the current evidence files, ``manifest.csv`` and ``SHA256SUMS`` to a zip
    (``path`` ends in ``.zip``) or a folder. Raises ``ExportError`` if a stored file no
    longer matches its hash."""
    today = today or dt.date.today()
    target = Path(path)
    items = list_evidence(svc)
    tracker = export_progress(len(items), progress, cancel, step=1)
    tracker.check()
    with svc.engine.connect() as conn:
        names = target_names(conn, {t for e in items for t in e.attached_to})

    manifest = io.StringIO()
    writer = csv.writer(manifest, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    sums: list[str] = []

    def files() -> Iterable[tuple[str, bytes]]:
        for info in items:
            tracker.check()
            try:
                data = evidence_bytes(svc, info.id)
            except EvidenceError as exc:
                raise ExportError(str(exc)) from exc
            member = member_name(info.id, info.file_name, info.title)
            record = info.record(today)
            row = {
                **record,
                "file": member,
                "attached_to": _described(info.attached_to, names),
                "replaces_id": info.replaces_id if info.replaces_id is not None else "",
            }
            writer.writerow(
                [csv_cell("" if row[c] is None else str(row[c])) for c in MANIFEST_COLUMNS]
            )
            sums.append(f"{info.sha256}  {member}\n")
            yield member, data
            tracker.add()

    if target.suffix.lower() == ".zip":
        with atomic_file(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for member, data in files():
                zf.writestr(member, data)
            zf.writestr(MANIFEST, "\ufeff" + manifest.getvalue())
            zf.writestr(SUMS, "".join(sums))
    else:
        with atomic_folder(target, set(OWNED)) as tmp_dir:
            (tmp_dir / FILES_DIR).mkdir()
            for member, data in files():
                (tmp_dir / member).write_bytes(data)
            (tmp_dir / MANIFEST).write_text(manifest.getvalue(), encoding="utf-8-sig", newline="")
            (tmp_dir / SUMS).write_text("".join(sums), encoding="utf-8", newline="")
    tracker.finish()
    return target
