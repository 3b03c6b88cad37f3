"""Writing an import into the register, every record validated and audited by the service.

The importers read a file into plain values and write nothing: ``read_inventory`` (any
table, the OMB inventories) and ``read_riskdesk`` (riskdesk's own export). Here those
values become records, in ONE ``UnitOfWork``: vendors and people are found by name
(any case) or created, the columns riskdesk does not map become the use's
``source_record``, and every ``ValidationError`` the service raises is mapped back to
the file, sheet, row and column it came from — the person fixing it has the file open.

- Without ``skip_invalid`` the import is all-or-nothing: every row is still checked, so
  every problem is reported at once, and then nothing is written — not even an audit
  event, because the transaction is rolled back.
- With ``skip_invalid`` the valid rows go in and the others are reported.
- ``dry_run`` runs the whole import inside the transaction and rolls it back.
- ``cancel()`` returning True rolls back too (``ImportCancelled``).

Rows are written with ``UnitOfWork.create_many``, a few hundred at a time so progress
can be shown: the 2,133-row 2024 OMB inventory imports in well under a second.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.fields import FIELDS, IMPACT_FIELD
from riskdesk.importers.mapping import MappedRow
from riskdesk.importers.mapping import Mapping as ColumnMapping
from riskdesk.importers.omb import FORMATS as TABLE_FORMATS
from riskdesk.importers.omb import ImportPlan, read_inventory
from riskdesk.importers.riskdesk_format import (
    FORMAT as RISKDESK_FORMAT,
)
from riskdesk.importers.riskdesk_format import (
    KEPT_COLUMNS,
    BookSheet,
    Record,
    RiskdeskBook,
    is_riskdesk_export,
    read_riskdesk,
)
from riskdesk.importers.values import header_key, value_key
from riskdesk.service import audit
from riskdesk.service.errors import ServiceError, ValidationError
from riskdesk.service.register import (
    ActionResult,
    BulkValidationError,
    RegisterService,
    UnitOfWork,
    entity_label,
    table_of,
)
from riskdesk.service.validation import MAX_NAME, RULES

__all__ = [
    "FORMATS",
    "CancelFn",
    "ImportCancelled",
    "ImportReport",
    "ProgressFn",
    "detect_file_format",
    "import_book",
    "import_file",
    "import_plan",
]

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

FORMATS: tuple[str, ...] = ("auto", RISKDESK_FORMAT, *(f for f in TABLE_FORMATS if f != "auto"))
CHUNK = 500  # rows per create_many: progress and cancel between chunks
EXAMPLES = 3  # rows named in a summary warning

# A name column of the import -> (entity, the use's reference field, a new person's line).
_BY_NAME: dict[str, tuple[str, str, str | None]] = {
    "vendor_name": ("vendor", "vendor_id", None),
    "owner_first_name": ("person", "owner_first_id", "first"),
    "owner_second_name": ("person", "owner_second_id", "second"),
    "owner_third_name": ("person", "owner_third_id", "third"),
}
# Which import column a service field's problem belongs to, when not its own.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "rights_impacting": ("rights_impacting", IMPACT_FIELD),
    "safety_impacting": ("safety_impacting", IMPACT_FIELD),
    **{ref: (name,) for name, (_e, ref, _l) in _BY_NAME.items()},
}
_FIELD_LABELS: dict[str, str] = {
    "source_record": "The columns kept as the source record",
    **{ref: FIELDS[name].label for name, (_e, ref, _l) in _BY_NAME.items()},
}
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
_RECORD_ENTITIES = ("person", "vendor", "control", "ai_use", "risk", "incident", "challenge")
_RECORD_ENTITIES += ("ai_model", "agent_permission")  # issue 17


class ImportCancelled(ServiceError):
    """The user cancelled the import; it was rolled back and nothing was written."""


class _Rollback(Exception):
    """Leave the transaction without committing (dry run, or problems found)."""


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    file: str
    format: str
    sheet: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    rows_read: int = 0  # records in the file, rows left out as "not AI uses" excepted
    rows_skipped: int = 0  # rows left out as not AI uses (the file says so)
    rows_rejected: int = 0  # rows with problems, not imported
    created: dict[str, int] = field(default_factory=dict)  # entity -> records created
    matched: dict[str, int] = field(default_factory=dict)  # entity -> existing records used
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    written: bool = False  # committed to the register
    mapping: ColumnMapping | None = field(default=None, repr=False)  # a table import's
    result: ActionResult | None = field(default=None, repr=False)  # for undo

    @property
    def stopped(self) -> bool:
        """Problems stopped the import: nothing was (or would be) written."""
        return bool(self.problems) and (not self.skip_invalid or not any(self.created.values()))

    @property
    def imported(self) -> int:
        """Rows of the file that became records (or would, in a dry run)."""
        return 0 if self.stopped else self.rows_read - self.rows_rejected

    def to_dict(self) -> dict[str, Any]:
        def problem(p: ImportProblem) -> dict[str, Any]:
            return {**dataclasses.asdict(p), "message": str(p)}

        return {
            "file": self.file,
            "format": self.format,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "written": self.written,
            "stopped": self.stopped,
            "rows": {
                "read": self.rows_read,
                "imported": self.imported,
                "rejected": self.rows_rejected,
                "skipped": self.rows_skipped,
            },
            "created": dict(self.created),
            "matched": dict(self.matched),
            "problems": [problem(p) for p in self.problems],
            "warnings": [problem(p) for p in self.warnings],
        }


class _Tracker:
    """Progress every ``step`` units, and the cancel check."""

    def __init__(self, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._progress = progress
        self._cancel = cancel

    def check(self) -> None:
        if self._cancel is not None and self._cancel():
            raise ImportCancelled("import cancelled: nothing was written")

    def add(self, units: int) -> None:
        self.done = min(self.done + units, self.total)
        self.check()
        if self._progress is not None:
            self._progress(self.done, self.total)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _sentence(label: str, reason: str) -> str:
    """ "Name" + "is longer than 300 characters" -> "Name is longer than 300 characters"."""
    if reason.startswith(("is ", "must ", "refers ", "give ", "an ", "the ")):
        return f"{label} {reason}"
    return f"{label}: {reason}"


def _in_cell(label: str, header: str | None, reason: str) -> str:
    """The reason for a problem in a column: the field is named only if the header does not."""
    if header is not None and header_key(header) == header_key(label):
        return _sentence("this cell", reason)
    return _sentence(label, reason)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count(uow: UnitOfWork, entity: str) -> int:
    return int(uow.conn.execute(select(func.count()).select_from(table_of(entity))).scalar() or 0)


class _Names:
    """Records of one entity found by name (any case), and new ones waiting to be made."""

    def __init__(self, uow: UnitOfWork, entity: str) -> None:
        self.uow = uow
        self.entity = entity
        table = table_of(entity)
        self.ids: dict[str, int] = {}
        for key, name in uow.conn.execute(select(table.c.id, table.c.name).order_by(table.c.id)):
            self.ids.setdefault(_name_key(name), key)
        self.existing = set(self.ids.values())
        self.pending: dict[str, dict[str, Any]] = {}
        self.refused: dict[str, str] = {}

    def check(self, name: str, extra: Mapping[str, Any]) -> str | None:
        """None if ``name`` is known or could be created; else why it cannot."""
        key = _name_key(name)
        if key in self.ids or key in self.pending:
            return None
        if key not in self.refused:
            values = {"name": name, **extra}
            try:
                self.uow.prepare(self.entity, values)
            except ValidationError as exc:
                what = "person's" if self.entity == "person" else f"{self.entity}'s"
                self.refused[key] = "; ".join(
                    _sentence(f"The {what} name", p.reason) for p in exc.problems
                )
            else:
                self.pending[key] = values
                return None
        return self.refused[key]

    def create(self, names: Sequence[str]) -> int:
        """Create the pending records among ``names``; how many were created."""
        keys = list(dict.fromkeys(k for k in map(_name_key, names) if k in self.pending))
        new_ids = self.uow.create_many(self.entity, [self.pending.pop(k) for k in keys])
        self.ids.update(zip(keys, new_ids, strict=True))
        return len(new_ids)

    def id_of(self, name: str) -> int:
        return self.ids[_name_key(name)]

    def get_or_create(self, name: str, extra: Mapping[str, Any]) -> tuple[int, bool]:
        """(id, created?) — raises ``ValidationError`` for a name the service refuses."""
        key = _name_key(name)
        if key in self.ids:
            return self.ids[key], False
        new_id = self.uow.create(self.entity, {"name": name, **extra})
        self.ids[key] = new_id
        return new_id, True


# --- tables: any spreadsheet, the OMB inventories --------------------------------------


class _Columns:
    """Where in the file each field came from, to put a service problem back there."""

    def __init__(self, plan: ImportPlan) -> None:
        self.table = plan.table
        by_key = {header_key(h): c for h, c in plan.mapping.columns.items()}
        self.index: dict[str, int] = {}
        for position, header in enumerate(plan.table.headers):
            column = plan.mapping.columns.get(header) or by_key.get(header_key(header))
            if column is not None and column.field:
                self.index.setdefault(column.field, position)

    def column_of(self, name: str) -> int | None:
        for candidate in _FIELD_COLUMNS.get(name, (name,)):
            if candidate in self.index:
                return self.index[candidate]
        return None

    def header_of(self, name: str) -> str | None:
        position = self.column_of(name)
        return None if position is None else self.table.headers[position]

    def problem(self, row: int, name: str, reason: str) -> ImportProblem:
        position = self.column_of(name)
        spec = FIELDS.get(name)
        label = _FIELD_LABELS.get(name) or (spec.label if spec else name.replace("_", " "))
        header = None if position is None else self.table.headers[position]
        return self.table.problem(_in_cell(label, header, reason), row, position)

    def problems(self, row: int, error: ValidationError) -> list[ImportProblem]:
        return [self.problem(row, p.field, p.reason) for p in error.problems]


def _short_name(name: str) -> str:
    """A name cut to the register's limit at a word boundary, marked with an ellipsis."""
    cut = name[: MAX_NAME - 1]
    space = cut.rfind(" ")
    if space > MAX_NAME // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def _use_values(row: MappedRow, columns: _Columns, warnings: list[ImportProblem]) -> dict[str, Any]:
    """The row's ``ai_use`` values, without the names the service resolves into ids."""
    values = {k: v for k, v in row.values.items() if k not in _BY_NAME}
    extra = dict(row.extra)
    name = values.get("name")
    if isinstance(name, str) and len(" ".join(name.split())) > MAX_NAME:
        values["name"] = _short_name(" ".join(name.split()))
        header = columns.header_of("name") or "name"
        extra.setdefault(header, name)
        warnings.append(
            columns.problem(
                row.source_row,
                "name",
                f"is {len(name):,} characters long, more than the {MAX_NAME} riskdesk allows: "
                f'shortened to "{values["name"][:60]}…"; the full text is kept in the use\'s '
                "source record",
            )
        )
    if extra:
        values["source_record"] = audit.canonical(extra)
    return values


def _duplicates_warning(
    uow: UnitOfWork, plan: ImportPlan, rows: list[dict[str, Any]], accepted: list[int]
) -> ImportProblem | None:
    """Rows naming a use the register already holds: imported anyway, said once."""
    table = table_of("ai_use")
    present = {
        (value_key(d or ""), value_key(n or ""))
        for d, n in uow.conn.execute(select(table.c.department, table.c.name))
    }
    if not present:
        return None
    again = [
        i
        for i in accepted
        if (value_key(rows[i].get("department") or ""), value_key(rows[i]["name"])) in present
    ]
    if not again:
        return None
    shown = ", ".join(
        f'row {plan.rows[i].source_row} "{rows[i]["name"]}"' for i in again[:EXAMPLES]
    )
    more = f" and {len(again) - EXAMPLES} more" if len(again) > EXAMPLES else ""
    return plan.table.problem(
        f"{len(again)} row(s) have the department and name of an AI use already in the "
        f"register ({shown}{more}): imported as separate uses. If this file was imported "
        "before, undo that import or delete the copies"
    )


def import_plan(
    service: RegisterService,
    plan: ImportPlan,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Write ``plan``'s rows as AI uses (with their vendors and owners) in one action.

    Raises ``ImportCancelled`` if ``cancel()`` says so (rolled back), and the service's
    ``StoreError`` if the register cannot be written.
    """
    report = ImportReport(
        file=plan.file,
        format=plan.format,
        sheet=plan.sheet,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rows_read=len(plan.rows),
        rows_skipped=len(plan.skipped),
        warnings=list(plan.warnings),
        mapping=plan.mapping,
    )
    columns = _Columns(plan)
    tracker = _Tracker(2 * len(plan.rows), progress, cancel)
    tracker.check()
    try:
        with service.action() as uow:
            _write_plan(uow, plan, columns, report, tracker)
            if report.stopped or dry_run:
                raise _Rollback
            report.result = uow.result
        report.written = True
    except _Rollback:
        pass
    if report.stopped:
        report.created = {}
    return report


def _write_plan(
    uow: UnitOfWork, plan: ImportPlan, columns: _Columns, report: ImportReport, tracker: _Tracker
) -> None:
    uow.preload_ids("person", "vendor")
    found: dict[int, list[ImportProblem]] = {i: list(r.problems) for i, r in enumerate(plan.rows)}
    name_warnings: list[ImportProblem] = []
    rows = [_use_values(r, columns, name_warnings) for r in plan.rows]
    # 1. Each use on its own, before anything is written: every problem is found.
    for index, values in enumerate(rows):
        try:
            uow.prepare("ai_use", values)
        except ValidationError as exc:
            # A column the reader already flagged needs saying once.
            flagged = {p.column for p in found[index]}
            found[index].extend(
                p
                for p in columns.problems(plan.rows[index].source_row, exc)
                if p.column is None or p.column not in flagged
            )
        if index % CHUNK == CHUNK - 1:
            tracker.add(CHUNK)
    tracker.add(len(rows) % CHUNK)
    # 2. Vendors and people named in the rows: known ones, or ones that can be created.
    names = {e: _Names(uow, e) for e in ("vendor", "person")}
    for index, row in enumerate(plan.rows):
        for name_field, (entity, _ref, line) in _BY_NAME.items():
            name = row.values.get(name_field)
            if not name:
                continue
            reason = names[entity].check(str(name), {"default_line": line} if line else {})
            if reason is not None:
                found[index].append(
                    plan.table.problem(reason, row.source_row, columns.column_of(name_field))
                )
    accepted = [i for i in range(len(rows)) if not found[i]]
    report.problems = [p for i in range(len(rows)) for p in found[i]]
    report.rows_rejected = len(rows) - len(accepted)
    report.warnings.extend(name_warnings)
    duplicates = _duplicates_warning(uow, plan, rows, accepted)
    if duplicates is not None:
        report.warnings.append(duplicates)
    if not accepted or (report.problems and not report.skip_invalid):
        return  # nothing to write, or nothing may be written
    # 3. Write: new vendors and people first, then the uses pointing at them.
    for entity in ("vendor", "person"):
        wanted = [
            str(plan.rows[i].values[n])
            for i in accepted
            for n, (e, _r, _l) in _BY_NAME.items()
            if e == entity and plan.rows[i].values.get(n)
        ]
        created = names[entity].create(wanted)
        used = {names[entity].id_of(n) for n in wanted}
        if created:
            report.created[entity] = created
        if used & names[entity].existing:
            report.matched[entity] = len(used & names[entity].existing)
    for index in accepted:
        for name_field, (entity, ref, _line) in _BY_NAME.items():
            name = plan.rows[index].values.get(name_field)
            if name:
                rows[index][ref] = names[entity].id_of(str(name))
    created_uses = 0
    for chunk in _chunks(accepted):
        try:
            created_uses += len(uow.create_many("ai_use", [rows[i] for i in chunk]))
        except BulkValidationError as exc:  # checked above; only a changed rule gets here
            for position, error in exc.failures:
                source_row = plan.rows[chunk[position]].source_row
                report.problems.extend(columns.problems(source_row, error))
            report.rows_rejected += len(exc.failures)
            bad = {chunk[p] for p, _e in exc.failures}
            created_uses += len(uow.create_many("ai_use", [rows[i] for i in chunk if i not in bad]))
        tracker.add(len(chunk))
    report.created["ai_use"] = created_uses


# --- riskdesk's own export -------------------------------------------------------------


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
        self, uow: UnitOfWork, book: RiskdeskBook, report: ImportReport, tracker: _Tracker
    ) -> None:
        self.uow = uow
        self.book = book
        self.report = report
        self.tracker = tracker
        self.restore = all(_count(uow, e) == 0 for e in _RECORD_ENTITIES)
        self.keep = ("id", *sorted(KEPT_COLUMNS)) if self.restore else tuple(sorted(KEPT_COLUMNS))
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)  # file id -> register id
        self.failed: dict[str, dict[int, tuple[str, int]]] = defaultdict(dict)  # -> (sheet, row)
        self.names = {e: _Names(uow, e) for e in _BY_NAME_ENTITIES}
        self.bad_rows = {(p.sheet, p.row) for p in book.problems if p.row is not None}
        self.matched: dict[str, set[int]] = defaultdict(set)  # existing records used

    def add(self, counter: dict[str, int], entity: str, n: int = 1) -> None:
        if n:
            counter[entity] = counter.get(entity, 0) + n

    def problem(self, sheet: BookSheet, record: Record, name: str, reason: str) -> None:
        header, _letter = sheet.locate(name)
        label = header or name.replace("_", " ")
        self.report.problems.append(
            self.book.problem(sheet.name, _in_cell(label, header, reason), record.row, name)
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

    def write_sheet(self, sheet: BookSheet) -> None:
        entity = sheet.entity
        pending: list[tuple[Record, dict[str, Any]]] = []
        for record in sheet.records:
            if (sheet.name, record.row) in self.bad_rows:
                self.reject(sheet, record)
                continue
            values = dict(record.values)
            key = values.get("id")
            if not self.restore:
                values.pop("id", None)
                if entity in self.names and values.get("name"):
                    known = self.names[entity].ids.get(_name_key(str(values["name"])))
                    if known is not None:  # the register has them already: use them
                        if key is not None:
                            self.ids[entity][key] = known
                        self.matched[entity].add(known)
                        continue
            if not self.resolve(sheet, record, values):
                self.reject(sheet, record)
                continue
            pending.append((record, values))
        self.tracker.add(len(sheet.records) - len(pending))
        for chunk in _chunks(pending):
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
                self.names[entity].ids.setdefault(_name_key(str(values["name"])), new_id)
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
                    ImportProblem(self.book.file, _sentence(p.field, p.reason), sheet)
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
    tracker = _Tracker(book.record_count, progress, cancel)
    tracker.check()
    try:
        with service.action() as uow:
            _BookWriter(uow, book, report, tracker).write()
            if report.stopped or dry_run:
                raise _Rollback
            report.result = uow.result
        report.written = True
    except _Rollback:
        pass
    if report.stopped:
        report.created, report.matched = {}, {}
    return report


# --- the one entry point ---------------------------------------------------------------


def detect_file_format(path: str | Path) -> str | None:
    """ "riskdesk" for riskdesk's own export; None: let ``read_inventory`` decide."""
    return RISKDESK_FORMAT if is_riskdesk_export(path) else None


def import_file(
    service: RegisterService,
    path: str | Path,
    fmt: str = "auto",
    *,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Read ``path`` and import it; ``fmt`` is one of ``FORMATS``.

    Raises ``ImportFileError`` for a file that cannot be read at all (nothing written),
    ``ValueError`` for an unknown format or a mapping given for a riskdesk export.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "auto" and mapping is None:
        fmt = detect_file_format(path) or "auto"
    options: dict[str, Any] = {
        "dry_run": dry_run,
        "skip_invalid": skip_invalid,
        "progress": progress,
        "cancel": cancel,
    }
    if fmt == RISKDESK_FORMAT:
        if mapping is not None:
            raise ValueError("a riskdesk export needs no column mapping")
        return import_book(service, read_riskdesk(path), **options)
    return import_plan(service, read_inventory(path, fmt, sheet, mapping), **options)
