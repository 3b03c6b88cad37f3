"""The register as plain CSV: one file per table, in a zip or a folder.

A faithful dump for other tools and for moving data: column names are the database's,
values are the stored ones (enumeration codes such as ``high_risk``, ISO dates,
``true``/``false``, empty for nothing), UTF-8 with a byte-order mark so Excel reads
non-Latin text correctly, every field quoted. Text that a spreadsheet could run as a
formula gets a leading ``'`` (see ``safe_text``; ``unescape_csv_cell`` removes it).
The audit trail and the board-pack history stay in the register file
(``riskdesk backup`` copies them); they are not table data.

Evidence files (issue 18) travel with their records: ``evidence.csv`` and
``evidence_link.csv`` hold the revisions and what they support, and each stored file is
``evidence/<sha256>`` (named by its hash, so the import can prove it unchanged).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk.fileformat.safe_text import csv_cell
from riskdesk.reports.progress import (
    CancelFn,
    Progress,
    ProgressFn,
    atomic_file,
    atomic_folder,
    export_progress,
)
from riskdesk.service.evidence import BLOBS
from riskdesk.service.register import RegisterService, table_of

# Export order: referenced tables before the tables that point at them.
CSV_TABLES: tuple[str, ...] = (
    "org_profile",
    "person",
    "vendor",
    "ai_model",  # issue 17
    "ai_use",
    "risk",
    "control",
    "risk_control",
    "incident",
    "incident_risk",
    "challenge",
    "review",
    "agent_permission",  # issue 17
    "permission_review",  # issue 17
    "evidence",  # issue 18: every revision, removed ones too (the trail names them)
    "evidence_link",
    "setting",
)
CSV_FILES: frozenset[str] = frozenset(f"{t}.csv" for t in CSV_TABLES)
BLOB_FOLDER = "evidence"  # the files, each named by its SHA-256


def csv_value(value: object) -> str:
    """One stored value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_cell(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _columns(entity: str) -> list[Any]:
    # ``version`` counts edits in one database (optimistic concurrency), not content:
    # a register restored from the export starts its records again at version 1.
    return [c for c in table_of(entity).columns if c.name != "version"]


def _rows(conn: Connection, entity: str) -> Iterator[list[str]]:
    table = table_of(entity)
    result = conn.execution_options(stream_results=True, yield_per=2000).execute(
        select(*_columns(entity)).order_by(*table.primary_key.columns)
    )
    for row in result:
        yield [csv_value(v) for v in row]


def _write_table(conn: Connection, entity: str, stream: io.TextIOBase, progress: Progress) -> None:
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([c.name for c in _columns(entity)])
    for row in _rows(conn, entity):
        writer.writerow(row)
        progress.add()


def _total(conn: Connection) -> int:
    return sum(
        int(conn.execute(select(func.count()).select_from(table_of(t))).scalar() or 0)
        for t in CSV_TABLES
    ) + int(conn.execute(select(func.count()).select_from(BLOBS)).scalar() or 0)


def _blobs(conn: Connection) -> Iterator[tuple[str, bytes]]:
    """(hash, bytes) of every stored file, one at a time: files can be large."""
    for digest in conn.execute(select(BLOBS.c.sha256).order_by(BLOBS.c.sha256)).scalars().all():
        data = conn.execute(select(BLOBS.c.data).where(BLOBS.c.sha256 == digest)).scalar_one()
        yield digest, bytes(data)


def export_csv(
    svc: RegisterService,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """Write one CSV per table: a zip if ``path`` ends in ``.zip``, else a folder.

    All or nothing, like the other exports; an existing folder is replaced only if it
    holds nothing but an earlier CSV export.
    """
    target = Path(path)
    tracker = export_progress(1, progress, cancel)
    tracker.check()
    with svc.engine.connect() as conn, conn.begin():  # one consistent read
        tracker.total = _total(conn)
        if target.suffix.lower() == ".zip":
            with atomic_file(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for entity in CSV_TABLES:
                    tracker.check()
                    with zf.open(f"{entity}.csv", "w") as raw:
                        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                        _write_table(conn, entity, text, tracker)
                        text.flush()
                        text.detach()
                for digest, data in _blobs(conn):
                    tracker.check()
                    zf.writestr(f"{BLOB_FOLDER}/{digest}", data)
                    tracker.add()
        else:
            with atomic_folder(target, {*CSV_FILES, BLOB_FOLDER}) as tmp_dir:
                for entity in CSV_TABLES:
                    tracker.check()
                    with open(
                        tmp_dir / f"{entity}.csv", "w", encoding="utf-8-sig", newline=""
                    ) as f:
                        _write_table(conn, entity, f, tracker)
                for digest, data in _blobs(conn):
                    tracker.check()
                    folder = tmp_dir / BLOB_FOLDER
                    folder.mkdir(mode=0o700, exist_ok=True)
                    (folder / digest).write_bytes(data)
                    tracker.add()
    tracker.finish()
    return target
