"""Importing riskdesk's own export: every table, references mapped, ids kept when restoring."""

from __future__ import annotations

import zipfile
import zlib
from collections import defaultdict
from typing import Any

from riskdesk.fileformat.schema import RULES
from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK_FORMAT
from riskdesk.importers.riskdesk_format import KEPT_COLUMNS, BookSheet, Record, RiskdeskBook
from riskdesk.importers.riskdesk_format.files import BLOB_FOLDER, read_blob
from riskdesk.progress import CancelFn, Progress, ProgressFn
from riskdesk.service.errors import ValidationError
from riskdesk.service.evidence import sha256_hex, store_blob
from riskdesk.service.importing.names import Names, count_records, name_key
from riskdesk.service.importing.report import (
    ImportReport,
    Rollback,
    chunks,
    import_progress,
    in_cell,
    sentence,
)
from riskdesk.service.register import BulkValidationError, RegisterService, UnitOfWork, entity_label

# riskdesk exports: records that may already be in a register, matched by name.
_BY_NAME_ENTITIES = ("person", "vendor")
# The line a person created from a name in a reference column is given.
_REFERENCE_LINES: dict[str, str] = {
    "owner_second_id": "second",
    "owner_third_id": "third",
    "accepted_by_id": "second",
    "raised_by_id": "second",
    "reviewer_id": "second",
}
# Link tables: (this record's key, the other entity, the other's key).
_LINKS: dict[str, tuple[str, str, str]] = {
    "risk_control": ("risk_id", "control", "control_id"),
    "incident_risk": ("incident_id", "risk", "risk_id"),
}
_RECORD_ENTITIES: tuple[str, ...] = (
    "person",
    "vendor",
    "control",
    "ai_use",
    "risk",
    "incident",
    "challenge",
    "ai_model",  # issue 17
    "agent_permission",  # issue 17
    "evidence",  # issue 18
)
# Tables whose records may point at an earlier record of the same table (a revision at
# the one it replaced): written one by one, so each reference is known when it is read.
_SELF_REFERENCING = frozenset({"evidence"})


def _references(entity: str) -> dict[str, str]:
    return {name: rule.target for name, rule in RULES[entity].items() if rule.kind == "fk"}


class _BookWriter:
    """Writes a riskdesk export's records sheet by sheet, references mapped to new ids.

    Into an empty register the file's ids (and creation times) are kept, so an export
    re-imported and exported again is identical. Into a register that already holds
    records, everything gets new ids, and people and vendors already there (same name)
    are used rather than duplicated.
    """

    def __init__(
        self, uow: UnitOfWork, book: RiskdeskBook, report: ImportReport, tracker: Progress
    ) -> None:
        self.uow = uow
        self.book = book
        self.report = report
        self.tracker = tracker
        self.restore = all(count_records(uow, e) == 0 for e in _RECORD_ENTITIES)
        self.keep = ("id", *sorted(KEPT_COLUMNS)) if self.restore else tuple(sorted(KEPT_COLUMNS))
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)  # file id -> register id
        self.failed: dict[str, dict[int, tuple[str, int]]] = defaultdict(dict)  # -> (sheet, row)
        self.names = {e: Names(uow, e) for e in _BY_NAME_ENTITIES}
        self.bad_rows = {(p.sheet, p.row) for p in book.problems if p.row is not None}
        self.matched: dict[str, set[int]] = defaultdict(set)  # existing records used

    def add(self, counter: dict[str, int], entity: str, n: int = 1) -> None:
        if n:
            counter[entity] = counter.get(entity, 0) + n

    def problem(self, sheet: BookSheet, record: Record, name: str, reason: str) -> None:
        header, _letter = sheet.locate(name)
        label = header or name.replace("_", " ")
        self.report.problems.append(
            self.book.problem(sheet.name, in_cell(label, header, reason), record.row, name)
        )

    def reject(self, sheet: BookSheet, record: Record) -> None:
        key = record.values.get("id")
        if key is not None:
            self.failed[sheet.entity][key] = (sheet.name, record.row)
        self.report.rows_rejected += 1

    def write(self) -> None:
        self.uow.preload_ids(*_RECORD_ENTITIES)
        self.write_settings()  # first: the scoring settings decide each use's tier
        for sheet in self.book.sheets.values():  # in an order references can follow
            self.write_sheet(sheet)
        for sheet in self.book.sheets.values():
            for link in _LINKS:
                if any(link in r.links for r in sheet.records):
                    self.write_links(sheet, link)
        self.write_profile()
        self.report.matched = {e: len(ids) for e, ids in self.matched.items() if ids}

    def resolve(self, sheet: BookSheet, record: Record, values: dict[str, Any]) -> bool:
        """Map the record's references onto register ids; False (and a problem) if one fails."""
        ok = True
        for name, target in _references(sheet.entity).items():
            if name not in values and name not in record.names:
                continue
            key, shown = values.get(name), record.names.get(name)
            what = entity_label(target)
            if key is not None and key in self.ids[target]:
                values[name] = self.ids[target][key]
            elif key is not None and key in self.failed[target]:
                where, row = self.failed[target][key]
                self.problem(
                    sheet,
                    record,
                    name,
                    f"refers to {what} {key}, which is not imported because of the problems "
                    f'on row {row} of the "{where}" sheet',
                )
                ok = False
            elif shown and target in self.names:
                # No usable id (a row added by hand): the name shown beside it decides.
                extra = {"default_line": _REFERENCE_LINES.get(name, "first")}
                try:
                    values[name], created = self.names[target].get_or_create(
                        shown, extra if target == "person" else {}
                    )
                except ValidationError as exc:
                    self.problem(sheet, record, name, "; ".join(p.reason for p in exc.problems))
                    ok = False
                    continue
                if created:
                    self.add(self.report.created, target)
                elif values[name] in self.names[target].existing:
                    self.matched[target].add(values[name])
            elif key is None:
                values[name] = None
            else:
                self.problem(
                    sheet, record, name, f"refers to {what} {key}, which is not in this file"
                )
                ok = False
        return ok

    def write_blobs(self, sheet: BookSheet) -> None:
        """Store the files the evidence rows name, each proven by its hash; a row whose
        file is missing or altered is a problem in that row (issue 18)."""
        outcome: dict[str, str | None] = {}  # hash -> None when stored, else the reason
        for record in sheet.records:
            digest = str(record.values.get("sha256") or "").strip()
            if digest not in outcome:
                outcome[digest] = self._restore_blob(digest)
            reason = outcome[digest]
            if reason is not None:
                self.problem(sheet, record, "sha256", reason)
                self.bad_rows.add((sheet.name, record.row))

    def _restore_blob(self, digest: str) -> str | None:
        where = f"{BLOB_FOLDER}/{digest}"
        member = self.book.blobs.get(digest)
        if member is None:
            return f"its file {where} is not in the export"
        try:
            data = read_blob(self.book.path, member)
        except (ImportFileError, OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            return f"its file {where} cannot be read ({exc})"
        if sha256_hex(data) != digest:
            return (
                f"its file {where} does not match the SHA-256 it is named by: it was "
                "changed after the export"
            )
        store_blob(self.uow, data)
        return None

    def write_sheet(self, sheet: BookSheet) -> None:
        entity = sheet.entity
        if entity == "evidence":
            self.write_blobs(sheet)
        sequential = entity in _SELF_REFERENCING
        pending: list[tuple[Record, dict[str, Any]]] = []
        written_now = 0
        for record in sheet.records:
            if (sheet.name, record.row) in self.bad_rows:
                self.reject(sheet, record)
                continue
            values = dict(record.values)
            key = values.get("id")
            if not self.restore:
                values.pop("id", None)
                if entity in self.names and values.get("name"):
                    known = self.names[entity].ids.get(name_key(str(values["name"])))
                    if known is not None:  # the register has them already: use them
                        if key is not None:
                            self.ids[entity][key] = known
                        self.matched[entity].add(known)
                        continue
            if not self.resolve(sheet, record, values):
                self.reject(sheet, record)
                continue
            if sequential:
                self.create_chunk(sheet, [(record, values)])
                written_now += 1
                continue
            pending.append((record, values))
        self.tracker.add(len(sheet.records) - len(pending) - written_now)
        for chunk in chunks(pending):
            self.create_chunk(sheet, list(chunk))

    def create_chunk(self, sheet: BookSheet, chunk: list[tuple[Record, dict[str, Any]]]) -> None:
        entity = sheet.entity
        try:
            new_ids = self.uow.create_many(entity, [v for _r, v in chunk], keep=self.keep)
        except BulkValidationError as exc:
            bad = {position for position, _e in exc.failures}
            for position, error in exc.failures:
                record = chunk[position][0]
                for p in error.problems:
                    self.problem(sheet, record, p.field, p.reason)
                self.reject(sheet, record)
            chunk = [item for position, item in enumerate(chunk) if position not in bad]
            new_ids = self.uow.create_many(entity, [v for _r, v in chunk], keep=self.keep)
        for (record, values), new_id in zip(chunk, new_ids, strict=True):
            key = record.values.get("id")
            if key is not None:
                self.ids[entity][key] = new_id
            if entity in self.names and values.get("name"):
                self.names[entity].ids.setdefault(name_key(str(values["name"])), new_id)
        self.add(self.report.created, entity, len(new_ids))
        self.tracker.add(len(chunk))

    def write_links(self, sheet: BookSheet, link: str) -> None:
        own_key, other, other_key = _LINKS[link]
        own = self.ids[sheet.entity]
        field_name = sheet.link_fields.get(link, link)
        for record in sheet.records:
            key = record.values.get("id")
            others = record.links.get(link)
            if not others or key is None or key not in own:
                continue
            for other_id in others:
                if other_id in self.ids[other]:
                    self.uow.create(link, {own_key: own[key], other_key: self.ids[other][other_id]})
                    self.add(self.report.created, link)
                    continue
                what = entity_label(other)
                if other_id in self.failed[other]:
                    where, row = self.failed[other][other_id]
                    reason = (
                        f"refers to {what} {other_id}, which is not imported because of the "
                        f'problems on row {row} of the "{where}" sheet'
                    )
                else:
                    reason = f"refers to {what} {other_id}, which is not in this file"
                self.problem(sheet, record, field_name, reason)

    def write_settings(self) -> None:
        """Into an empty register, the export's settings (scoring weights…) come along."""
        if not self.book.settings:
            return
        if not self.restore:
            stored = {
                k: (self.uow.row("setting", k) or {}).get("value") for k in self.book.settings
            }
            if stored != self.book.settings:
                self.report.warnings.append(
                    ImportProblem(
                        self.book.file,
                        "the export's settings (scoring weights and the like) differ from "
                        "this register's and were not imported: they are taken only into "
                        "an empty register",
                        "setting.csv",
                    )
                )
            return
        for key, value in self.book.settings.items():
            if self.uow.row("setting", key) is None:
                self.uow.create("setting", {"key": key, "value": value})
                self.add(self.report.created, "setting")
            else:
                self.uow.update("setting", key, {"value": value})

    def write_profile(self) -> None:
        """Into an empty register, the export's organisation profile comes along."""
        if not self.restore or not self.book.profile:
            return
        try:
            if self.uow.row("org_profile", 1) is None:
                self.uow.create("org_profile", self.book.profile, key=1)
                self.add(self.report.created, "org_profile")
            else:
                self.uow.update("org_profile", 1, self.book.profile)
        except ValidationError as exc:
            sheet = "org_profile.csv" if self.book.kind == "csv" else "Summary"
            for p in exc.problems:
                self.report.problems.append(
                    ImportProblem(self.book.file, sentence(p.field, p.reason), sheet)
                )


def import_book(
    service: RegisterService,
    book: RiskdeskBook,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Write a riskdesk export's records (people, vendors, uses, risks, links…) in one action."""
    report = ImportReport(
        file=book.file,
        format=RISKDESK_FORMAT,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rows_read=book.record_count,
        problems=list(book.problems),
        warnings=list(book.warnings),
    )
    tracker = import_progress(book.record_count, progress, cancel)
    tracker.check()
    try:
        with service.action() as uow:
            _BookWriter(uow, book, report, tracker).write()
            if report.stopped or dry_run:
                raise Rollback
            report.result = uow.result
        report.written = True
    except Rollback:
        pass
    if report.stopped:
        report.created, report.matched = {}, {}
    return report
