"""The one entry point for reading any inventory file: find the table, pick or take a
mapping (an OMB format's, one suggested from the headers, or the caller's) and map each
row, collecting problems and warnings. Nothing is written anywhere."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from riskdesk.enums import Stage
from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.mapped_rows import apply_mapping, check_mapping
from riskdesk.importers.mapping import STAGE_NOT_STATED, MappedRow, Mapping, suggest_mapping
from riskdesk.importers.omb import detect_format, is_inventory_header, omb_mapping
from riskdesk.importers.tables import RawTable, read_table
from riskdesk.importers.translation import Suggestion, suggest_value_maps

EXAMPLE_ROWS = 5  # rows named in a warning that applies to many
FORMATS = ("auto", "table", "omb-2023", "omb-2024", "omb-2025")


# --- the entry point --------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import would do, before anything is written.

    ``rows`` are the AI uses to create, in file order; ``skipped`` the rows left out
    (with ``skip_reason``). ``problems`` must be fixed (or the rows left out) before
    importing; ``warnings`` are worth reading but import as they are.
    """

    format: str
    file: str
    sheet: str | None
    table: RawTable
    mapping: Mapping
    rows: list[MappedRow] = dataclasses.field(default_factory=list)
    skipped: list[MappedRow] = dataclasses.field(default_factory=list)
    warnings: list[ImportProblem] = dataclasses.field(default_factory=list)
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_inventory(
    path: str | Path, fmt: str = "auto", sheet: str | None = None, mapping: Mapping | None = None
) -> ImportPlan:
    """Read and map an inventory file; nothing is written anywhere.

    ``fmt`` is "auto" (an OMB format if the headers say so, else "table"), "table" (any
    register, columns matched by ``suggest_mapping``) or one OMB format. A ``mapping``
    given by the caller (the wizard's, or a saved one) is used as it is; in a suggested
    one, each answer of a choice column that riskdesk cannot read gets a suggested
    translation in the mapping's value map, each said in a warning.
    Raises ``ImportFileError`` for a file that cannot be imported at all.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    table = read_table(path, sheet, known_header=is_inventory_header)
    if not table.rows:
        raise ImportFileError(
            table.problem(f"there are no rows of data under the header (row {table.header_row})")
        )
    suggestions: list[Suggestion] = []
    if mapping is None:
        if fmt == "auto":
            fmt = detect_format(table) or "table"
        if fmt == "table":
            mapping = Mapping.from_fields(suggest_mapping(table.headers))
            suggestions = suggest_value_maps(table, mapping)
        else:
            mapping = omb_mapping(table, fmt)
    elif fmt == "auto":
        fmt = "table"
    mapped = apply_mapping(table, mapping)
    plan = ImportPlan(format=fmt, file=table.file, sheet=table.sheet, table=table, mapping=mapping)
    plan.warnings.extend(check_mapping(table, mapping))
    for s in suggestions:
        shown = ", ".join(str(n) for n in s.rows[:EXAMPLE_ROWS])
        more = f" and {len(s.rows) - EXAMPLE_ROWS} more" if len(s.rows) > EXAMPLE_ROWS else ""
        plan.warnings.append(
            table.problem(
                f'"{s.answer}" (row {shown}{more}) read as {s.label}: suggested from its '
                "wording, not stated; check it (save the mapping to change its value map)",
                column=s.column_index,
            )
        )
    for row in mapped:
        if row.skip_reason:
            plan.skipped.append(row)
            continue
        plan.rows.append(row)
        plan.warnings.extend(row.warnings)
        plan.problems.extend(row.problems)
    if plan.skipped:
        reasons = sorted({r.skip_reason or "" for r in plan.skipped})
        plan.warnings.append(
            table.problem(
                f"{len(plan.skipped)} row(s) left out as not AI uses ({'; '.join(reasons[:3])}"
                f"{'; …' if len(reasons) > 3 else ''})"
            )
        )
    unstated = [r.source_row for r in plan.rows if "stage" not in r.values]
    if unstated:
        shown = ", ".join(str(n) for n in unstated[:EXAMPLE_ROWS])
        more = f" and {len(unstated) - EXAMPLE_ROWS} more" if len(unstated) > EXAMPLE_ROWS else ""
        plan.warnings.append(
            table.problem(
                f"{len(unstated)} row(s) state no stage riskdesk can read (row {shown}{more}): "
                f'recorded as "{Stage(STAGE_NOT_STATED).label}", not as Production; set each '
                "one's stage when it is known"
            )
        )
    return plan
