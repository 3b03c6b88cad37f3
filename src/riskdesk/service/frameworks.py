"""The catalogue applied to one register: its frameworks, coverage, suggestions and
incidents elsewhere, and turning a template or a public incident into a risk.

User-added frameworks (a state's school AI policy, a licensed ISO/IEC 42001 list) are
stored *in the register* — setting ``framework:<id>``, the CSV text as a JSON string —
so they travel with the file to a colleague's laptop and their coverage stays
reproducible. Every write goes through the service layer (validated, audited, one
transaction), so adding or removing a framework can be undone like any other edit.
GUI, CLI and exports all call these functions and therefore always agree.

Here: the register's frameworks and their coverage. Suggestions and incidents elsewhere
(``suggestions``), risks and controls made from catalogue entries
(``catalogue_records``) and a control's risks (``control_links``) live beside it and
are re-exported, so callers keep one entry point.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from riskdesk.catalogue import (
    Coverage,
    Framework,
    FrameworkFileError,
    framework_coverage,
    load_builtin_frameworks,
    load_framework_file,
    write_framework_file,
)
from riskdesk.catalogue.frameworks import CANONICAL_COLUMNS
from riskdesk.service.catalogue_records import RiskSource as RiskSource
from riskdesk.service.catalogue_records import add_risk_action as add_risk_action
from riskdesk.service.catalogue_records import add_risk_from_template as add_risk_from_template
from riskdesk.service.catalogue_records import control_values as control_values
from riskdesk.service.catalogue_records import risk_values as risk_values
from riskdesk.service.control_links import linked_risk_ids as linked_risk_ids
from riskdesk.service.control_links import risk_titles as risk_titles
from riskdesk.service.control_links import set_control_risks as set_control_risks
from riskdesk.service.errors import ConflictError, NotFoundError
from riskdesk.service.register import ActionResult, RegisterService, table_of
from riskdesk.service.suggestions import IncidentMatch as IncidentMatch
from riskdesk.service.suggestions import incidents_for_use as incidents_for_use
from riskdesk.service.suggestions import register_suggestions as register_suggestions
from riskdesk.service.suggestions import suggestions_for_use as suggestions_for_use
from riskdesk.service.suggestions import use_attributes as use_attributes
from riskdesk.service.validation import MAX_TEXT

SETTING_PREFIX = "framework:"

# The example in docs/frameworks.md: what "Export template…" writes for a user to fill in.
TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "ca-k12-ai-policy",
        "Model AI policy for school districts",
        "2025",
        "State Dept. of Education",
        "Public record",
        "1",
        "",
        "Governance",
        "",
        "section",
    ),
    (
        *("",) * 5,
        "1.1",
        "1",
        "AI tool inventory",
        "The district keeps an inventory of AI tools staff use, including free ones.",
        "requirement",
    ),
    (
        *("",) * 5,
        "1.2",
        "1",
        "Parent notice",
        "Parents are told in plain words which AI tools their children use.",
        "requirement",
    ),
    (
        *("",) * 5,
        "2",
        "",
        "Student data",
        "No student personal data is entered into consumer AI tools.",
        "requirement",
    ),
)


# --- frameworks stored in the register ----------------------------------------------


def framework_csv_text(framework: Framework) -> str:
    """The framework as compact CSV text in the documented format (framework values on
    the first row only), which is what the register stores."""
    extra_columns: list[str] = []
    for item in framework.items:
        for key, _ in item.extra:
            if key not in extra_columns:
                extra_columns.append(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANONICAL_COLUMNS, *extra_columns])
    head = [framework.id, framework.name, framework.version, framework.source, framework.licence]
    for n, item in enumerate(framework.items):
        extra = dict(item.extra)
        writer.writerow(
            [
                *(head if n == 0 else [""] * len(head)),
                item.ref,
                item.parent_ref,
                item.title,
                item.text,
                item.kind,
                *(extra.get(c, "") for c in extra_columns),
            ]
        )
    return out.getvalue()


@functools.lru_cache(maxsize=64)
def _parse_stored(key: str, text: str) -> Framework:
    """Re-validate stored text with the same loader a file goes through (cached: the
    GUI asks on every reload and the text rarely changes)."""
    framework_id = key.removeprefix(SETTING_PREFIX)
    with tempfile.TemporaryDirectory(prefix="riskdesk-fw-") as tmp:
        path = Path(tmp) / f"{framework_id}.csv"
        path.write_text(text, encoding="utf-8")
        try:
            framework = load_framework_file(path, framework_id=framework_id)
        except FrameworkFileError as exc:
            raise FrameworkFileError(
                f"register setting '{key}'", exc.detail, row=exc.row, column=exc.column
            ) from exc
    return dataclasses.replace(framework, path=None, builtin=False)


def _stored_rows(svc: RegisterService) -> list[tuple[str, str]]:
    table = table_of("setting")
    stmt = (
        select(table.c.key, table.c.value)
        .where(table.c.key.like(SETTING_PREFIX + "%"))
        .order_by(table.c.key)
    )
    with svc.engine.connect() as conn:
        return [(k, v) for k, v in conn.execute(stmt)]


def load_user_frameworks(svc: RegisterService) -> tuple[list[Framework], list[FrameworkFileError]]:
    """Frameworks stored in this register, and any stored one that no longer loads
    (e.g. edited by hand): one bad entry must not hide the others."""
    frameworks: list[Framework] = []
    problems: list[FrameworkFileError] = []
    for key, raw in _stored_rows(svc):
        try:
            text = json.loads(raw) if raw else ""
            if not isinstance(text, str):
                raise ValueError("is not CSV text")
            frameworks.append(_parse_stored(key, text))
        except FrameworkFileError as exc:
            problems.append(exc)
        except ValueError as exc:
            problems.append(FrameworkFileError(f"register setting '{key}'", str(exc)))
    return frameworks, problems


def user_frameworks(svc: RegisterService) -> list[Framework]:
    return load_user_frameworks(svc)[0]


def all_frameworks(svc: RegisterService) -> list[Framework]:
    """The built-in frameworks, then the register's own, in id order."""
    return [*load_builtin_frameworks(), *user_frameworks(svc)]


def find_framework(svc: RegisterService, framework_id: str) -> Framework:
    wanted = framework_id.casefold()
    for framework in all_frameworks(svc):
        if framework.id == wanted:
            return framework
    raise NotFoundError(f"There is no framework with id '{framework_id}'.")


def store_user_framework(
    svc: RegisterService, framework: Framework, *, replace: bool = False
) -> ActionResult:
    """Write a validated framework into the register as one audited action.

    Refuses (``ConflictError``, nothing written) a built-in framework's id, an id
    already stored unless ``replace``, and a framework too large for one setting.
    """
    if any(fw.id == framework.id for fw in load_builtin_frameworks()):
        raise ConflictError(
            f"'{framework.id}' is the id of a framework riskdesk ships; "
            "give yours another framework_id."
        )
    text = framework_csv_text(framework)
    value = json.dumps(text, ensure_ascii=False)
    if len(value) > MAX_TEXT:
        raise ConflictError(
            f"{framework.name} is too large to keep in the register "
            f"({len(value):,} characters; the limit is {MAX_TEXT:,}). "
            "Split it into smaller frameworks."
        )
    key = SETTING_PREFIX + framework.id
    with svc.action() as uow:
        existing = uow.row("setting", key)
        if existing is None:
            uow.create("setting", {"key": key, "value": value})
        elif replace:
            uow.update("setting", key, {"value": value})
        else:
            raise ConflictError(
                f"This register already has a framework with id '{framework.id}'. "
                "Remove it first, or give the new one another framework_id."
            )
        return uow.result


def add_user_framework(
    svc: RegisterService,
    path: str | Path,
    *,
    framework_id: str | None = None,
    framework_name: str | None = None,
    replace: bool = False,
) -> Framework:
    """Validate a framework file and store it in the register.

    Raises ``FrameworkFileError`` naming file, row and column (nothing written) or
    ``ConflictError`` (see :func:`store_user_framework`).
    """
    framework = load_framework_file(path, framework_id=framework_id, framework_name=framework_name)
    store_user_framework(svc, framework, replace=replace)
    return dataclasses.replace(framework, path=None)


def remove_user_framework(svc: RegisterService, framework_id: str) -> ActionResult:
    key = SETTING_PREFIX + framework_id.casefold()
    with svc.action() as uow:
        if uow.row("setting", key) is None:
            raise NotFoundError(f"This register has no framework with id '{framework_id}'.")
        uow.delete("setting", key)
        return uow.result


def export_framework(framework: Framework, path: str | Path) -> Path:
    """Write any framework (built-in or the register's) in the canonical file format."""
    return write_framework_file(framework, path)


def write_template(path: str | Path) -> Path:
    """A starting file for a user's own framework: the header and a worked example."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CANONICAL_COLUMNS)
        writer.writerows(TEMPLATE_ROWS)
    return path


def describe_ref(ref: str, frameworks: Sequence[Framework] | None = None) -> str:
    """'LLM01' -> 'LLM01 Prompt Injection' (the ref alone if no framework has it)."""
    for framework in frameworks if frameworks is not None else load_builtin_frameworks():
        item = framework.item(ref)
        if item is not None:
            return f"{item.ref} {item.title}"
    return ref


# --- coverage -------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: Framework
    coverage: Coverage
    # The same count over controls backed by current, unexpired evidence (issue 18):
    # what is covered beyond it is "claimed, no evidence".
    evidenced: Coverage | None = None

    @property
    def claimed_no_evidence(self) -> int:
        backed = self.evidenced.covered_tested_or_implemented if self.evidenced else 0
        return self.coverage.covered_tested_or_implemented - backed

    def record(self) -> dict[str, Any]:
        """Plain values for JSON and the exports."""
        fw, cov = self.framework, self.coverage
        return {
            "id": fw.id,
            "name": fw.name,
            "version": fw.version,
            "builtin": fw.builtin,
            "items": cov.total,
            "covered": cov.covered_tested_or_implemented,
            "planned": cov.planned_only,
            "uncovered": cov.uncovered,
            "percent": cov.percent,
            "planned_percent": cov.planned_percent,
            "evidence_backed": cov.covered_tested_or_implemented - self.claimed_no_evidence,
            "claimed_no_evidence": self.claimed_no_evidence,
        }


def register_controls(svc: RegisterService) -> list[tuple[str, str]]:
    """(framework_refs, status) of every control in the register."""
    table = table_of("control")
    with svc.engine.connect() as conn:
        return [
            (refs or "", status)
            for refs, status in conn.execute(select(table.c.framework_refs, table.c.status))
        ]


def coverage_by_framework(
    svc: RegisterService, frameworks: Iterable[Framework] | None = None
) -> list[FrameworkCoverage]:
    from riskdesk.service.evidence import evidence_backed_controls

    controls, backed = register_controls(svc), evidence_backed_controls(svc)
    return [
        FrameworkCoverage(fw, framework_coverage(fw, controls), framework_coverage(fw, backed))
        for fw in (all_frameworks(svc) if frameworks is None else frameworks)
    ]


def register_coverage(svc: RegisterService) -> list[Coverage]:
    """Coverage of every framework (built-in and the register's) by its controls."""
    return [fc.coverage for fc in coverage_by_framework(svc)]
