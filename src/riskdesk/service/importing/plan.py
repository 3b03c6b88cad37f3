"""Importing a table of AI uses (any spreadsheet, the OMB inventories) from its ``ImportPlan``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from riskdesk.fileformat.schema import MAX_NAME, table_of
from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.fields import FIELDS, IMPACT_FIELD
from riskdesk.importers.inventory import ImportPlan
from riskdesk.importers.mapping import STAGE_NOT_STATED, MappedRow
from riskdesk.importers.values import header_key, value_key
from riskdesk.progress import CancelFn, Progress, ProgressFn
from riskdesk.service import audit
from riskdesk.service.errors import ValidationError
from riskdesk.service.importing.names import Names
from riskdesk.service.importing.report import (
    CHUNK,
    EXAMPLES,
    ImportReport,
    Rollback,
    chunks,
    import_progress,
    in_cell,
)
from riskdesk.service.register import BulkValidationError, RegisterService, UnitOfWork

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
        return self.table.problem(in_cell(label, header, reason), row, position)

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
    values.setdefault("stage", STAGE_NOT_STATED)  # never Production for an unstated stage
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
                f'shortened to "{str(values["name"])[:60]}…"; the full text is kept in the use\'s '
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
    tracker = import_progress(2 * len(plan.rows), progress, cancel)
    tracker.check()
    try:
        with service.action() as uow:
            _write_plan(uow, plan, columns, report, tracker)
            if report.stopped or dry_run:
                raise Rollback
            report.result = uow.result
        report.written = True
    except Rollback:
        pass
    if report.stopped:
        report.created = {}
    return report


def _write_plan(
    uow: UnitOfWork, plan: ImportPlan, columns: _Columns, report: ImportReport, tracker: Progress
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
    names = {e: Names(uow, e) for e in ("vendor", "person")}
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
    for chunk in chunks(accepted):
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
