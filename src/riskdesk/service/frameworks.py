"""The catalogue applied to one register: its frameworks, coverage, suggestions and
incidents elsewhere, and turning a template or a public incident into a risk.

User-added frameworks (a state's school AI policy, a licensed ISO/IEC 42001 list) are
stored *in the register* — setting ``framework:<id>``, the CSV text as a JSON string —
so they travel with the file to a colleague's laptop and their coverage stays
reproducible. Every write goes through the service layer (validated, audited, one
transaction), so adding or removing a framework can be undone like any other edit.
GUI, CLI and exports all call these functions and therefore always agree.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from riskdesk import enums
from riskdesk.catalogue import (
    CatalogueHit,
    Coverage,
    Framework,
    FrameworkFileError,
    FrameworkItem,
    IncidentIndex,
    IncidentRecord,
    RiskTemplate,
    Suggestion,
    default_incident_index,
    framework_coverage,
    join_refs,
    load_builtin_frameworks,
    load_framework_file,
    load_risk_library,
    related_refs,
    risk_template,
    suggest_risks,
    write_framework_file,
)
from riskdesk.catalogue.frameworks import CANONICAL_COLUMNS
from riskdesk.catalogue.incidents import ATTRIBUTION
from riskdesk.catalogue.library import ControlTemplate
from riskdesk.service.errors import ConflictError, NotFoundError
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of
from riskdesk.service.validation import MAX_NAME, MAX_TEXT

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


# --- suggestions ------------------------------------------------------------------------


def use_attributes(
    svc: RegisterService, use_id: int, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What suggestion rules and incident search read: the use row plus its vendor's name.

    ``overrides`` are unsaved values (the use editor's form), so suggestions follow
    the answers as the user changes them.
    """
    use = {**svc.get("ai_use", use_id), **(overrides or {})}
    vendor = svc.get("vendor", use["vendor_id"]) if use.get("vendor_id") else None
    return {**use, "vendor_name": vendor["name"] if vendor else ""}


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def suggestions_for_use(
    svc: RegisterService, use_id: int, overrides: Mapping[str, Any] | None = None
) -> list[Suggestion]:
    """Risk templates the use's attributes call for, with the reason, minus those whose
    title matches a risk the use already has (added from the catalogue before)."""
    have = {_title_key(r["title"]) for r in svc.rows("risk", use_id=use_id)}
    exclude = [t.id for t in load_risk_library() if _title_key(t.title) in have]
    return suggest_risks(use_attributes(svc, use_id, overrides), exclude=exclude)


def register_suggestions(svc: RegisterService) -> list[tuple[dict[str, Any], list[Suggestion]]]:
    """Suggestions for every use that is not retired, in id order."""
    out = []
    for use in svc.rows("ai_use"):
        if use["stage"] == enums.Stage.RETIRED.value:
            continue
        out.append((use, suggestions_for_use(svc, use["id"])))
    return out


# --- incidents elsewhere --------------------------------------------------------------

_FUSION_K = 8  # reciprocal-rank constant: how fast a lower rank stops counting
_POOL = 30


@dataclass(frozen=True)
class IncidentMatch:
    """A public incident like a use, and why it was picked."""

    incident: IncidentRecord
    score: float
    why: tuple[str, ...]  # plain reasons shown to the user
    risk_ids: tuple[str, ...] = ()  # suggested risk templates it illustrates


def incidents_for_use(
    svc: RegisterService,
    use_id: int,
    limit: int = 8,
    index: IncidentIndex | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[IncidentMatch]:
    """The public incidents most like a use.

    Three rankings are fused (reciprocal rank): the index's match on everything known
    about the use, a match on its name (plus "chatbot"/"agent" when its attributes say
    so) — the whole-use query alone is diluted by words like "help" and "hours" — and
    the incidents the risk library cites for the risks suggested for it. An incident
    found by more than one ranking rises; each says why it was picked.
    """
    index = index or default_incident_index()
    attrs = use_attributes(svc, use_id, overrides)
    scores: dict[int, float] = {}
    why: dict[int, list[str]] = {}
    records: dict[int, IncidentRecord] = {}
    illustrates: dict[int, list[str]] = {}

    def add(rank: int, record: IncidentRecord, reason: str, weight: float = 1.0) -> None:
        iid = record.incident_id
        records[iid] = record
        scores[iid] = scores.get(iid, 0.0) + weight / (_FUSION_K + rank)
        if reason not in why.setdefault(iid, []):
            why[iid].append(reason)

    for rank, hit in enumerate(index.similar_to_use(attrs, _POOL)):
        add(rank, hit, "similar description")
    name = str(attrs.get("name") or "")
    if attrs.get("generative") and attrs.get("public_facing"):
        name += " chatbot"
    if enums.Autonomy.parse(attrs.get("autonomy") or "none").ordinal() >= (
        enums.Autonomy.AGENT_READ.ordinal()
    ):
        name += " agent"
    for rank, hit in enumerate(index.search(name, _POOL)):
        add(rank, hit, "similar name")
    cited: list[tuple[int, str]] = []
    for suggestion in suggest_risks(attrs):
        for iid in suggestion.risk.aiid_examples:
            cited.append((iid, suggestion.risk.id))
    rank = 0
    for iid, risk_id in cited:
        illustrates.setdefault(iid, [])
        if risk_id not in illustrates[iid]:
            illustrates[iid].append(risk_id)
        if len(illustrates[iid]) > 1:
            continue  # rank each incident once, at its first citation
        record = records.get(iid) or index.get(iid)
        if record is not None:
            add(rank, record, "example of a suggested risk", 0.8)
            rank += 1
    best = sorted(scores, key=lambda i: (-scores[i], -i))[:limit]
    return [
        IncidentMatch(
            records[i],
            round(scores[i], 4),
            tuple(why[i]),
            tuple(illustrates.get(i, ())),
        )
        for i in best
    ]


# --- risks from templates and incidents ---------------------------------------------

RiskSource = RiskTemplate | IncidentRecord | IncidentMatch | CatalogueHit | FrameworkItem


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scores(likelihood: int, impact: int) -> dict[str, int]:
    # No control is credited yet, so the residual starts at the inherent score; the
    # user lowers it as controls are put in place (residual never above inherent).
    return {
        "inherent_likelihood": likelihood,
        "inherent_impact": impact,
        "residual_likelihood": likelihood,
        "residual_impact": impact,
    }


def _template_values(template: RiskTemplate) -> dict[str, Any]:
    return {
        "title": _clip(template.title, MAX_NAME),
        "description": template.description,
        "taxonomy_refs": template.refs_text,
        **_scores(template.likelihood, template.impact),
    }


def _incident_values(record: IncidentRecord, risk_ids: Sequence[str] = ()) -> dict[str, Any]:
    templates = [t for t in load_risk_library() if record.incident_id in t.aiid_examples]
    templates.sort(key=lambda t: (t.id not in risk_ids, t.id))
    refs = [record.mit_ref] if record.mit_ref else []
    for template in templates:
        refs.extend(template.taxonomy_refs)
    likelihood, impact = (templates[0].likelihood, templates[0].impact) if templates else (3, 3)
    deployers = ", ".join(d.replace("-", " ") for d in record.deployers) or "not recorded"
    description = (
        f"Could this happen here? A public incident elsewhere ({record.date}, deployer: "
        f"{deployers}): {record.description}\n\n"
        f"AI Incident Database #{record.incident_id}: {record.url}\n{ATTRIBUTION}"
    )
    return {
        "title": _clip(f"Could happen here: {record.title}", MAX_NAME),
        "description": description[:MAX_TEXT],
        "taxonomy_refs": join_refs(refs),
        **_scores(likelihood, impact),
    }


def _item_values(item: FrameworkItem, refs: Sequence[str]) -> dict[str, Any]:
    return {
        "title": _clip(item.title, MAX_NAME),
        "description": item.text,
        "taxonomy_refs": join_refs(refs),
    }


def risk_values(source: RiskSource, *, include_related: bool = True) -> dict[str, Any]:
    """The initial values of a risk made from a catalogue entry or a public incident.

    A framework item carries its own ref and, with ``include_related``, its crosswalk
    neighbours. The caller adds ``use_id`` (and may override anything).
    """
    if isinstance(source, RiskTemplate):
        return _template_values(source)
    if isinstance(source, IncidentMatch):
        return _incident_values(source.incident, source.risk_ids)
    if isinstance(source, IncidentRecord):
        return _incident_values(source)
    if isinstance(source, FrameworkItem):
        neighbours = [r for r, _ in related_refs(source.ref)] if include_related else []
        return _item_values(source, [source.ref, *neighbours])
    if isinstance(source, CatalogueHit):
        if source.kind == "risk":
            return _template_values(risk_template(source.ref))
        if source.kind == "framework_item":
            refs = list(source.refs) if include_related else [source.ref]
            item = FrameworkItem(source.ref, source.title, source.text)
            return _item_values(item, refs)
        raise ValueError(f"a {source.kind} is not a risk")
    raise TypeError(f"cannot make a risk from {type(source).__name__}")


def _new_risk(uow: UnitOfWork, use_id: int, values: Mapping[str, Any]) -> int:
    use = uow.row("ai_use", use_id)
    if use is None:
        raise NotFoundError(f"AI use {use_id} does not exist.")
    record = {"owner_id": use["owner_first_id"], **values, "use_id": use_id}
    return int(uow.create("risk", record))


def add_risk_from_template(
    target: RegisterService | UnitOfWork,
    use_id: int,
    source: RiskSource,
    **overrides: Any,
) -> int:
    """Create a risk on ``use_id`` from a template, catalogue hit or incident; returns its id.

    Given a ``UnitOfWork`` it joins that action; given the service it is its own
    audited action. The risk's owner defaults to the use's 1st-line owner.
    """
    values = {**risk_values(source), **overrides}
    if isinstance(target, UnitOfWork):
        return _new_risk(target, use_id, values)
    with target.action() as uow:
        return _new_risk(uow, use_id, values)


def add_risk_action(
    svc: RegisterService, use_id: int, source: RiskSource, **overrides: Any
) -> ActionResult:
    """As :func:`add_risk_from_template`, returning the action for the GUI's undo stack."""
    with svc.action() as uow:
        _new_risk(uow, use_id, {**risk_values(source), **overrides})
        return uow.result


# --- controls -------------------------------------------------------------------------


def control_values(template: ControlTemplate) -> dict[str, Any]:
    """A new control's values from the control library (status: planned)."""
    return {
        "name": _clip(template.name, MAX_NAME),
        "description": template.description,
        "control_type": template.control_type,
        "framework_refs": template.refs_text,
        "status": enums.ControlStatus.PLANNED.value,
    }


def linked_risk_ids(svc: RegisterService, control_id: int) -> list[int]:
    return [r["risk_id"] for r in svc.rows("risk_control", control_id=control_id)]


def risk_titles(svc: RegisterService) -> list[tuple[int, int, str]]:
    """Every risk as (risk id, use id, title), grouped by use name: the linking picker."""
    risk, use = table_of("risk"), table_of("ai_use")
    stmt = (
        select(risk.c.id, risk.c.use_id, risk.c.title)
        .join(use, use.c.id == risk.c.use_id)
        .order_by(use.c.name, risk.c.id)
    )
    with svc.engine.connect() as conn:
        return [(int(r), int(u), t) for r, u, t in conn.execute(stmt)]


def set_control_risks(
    svc: RegisterService, control_id: int, risk_ids: Iterable[int]
) -> ActionResult:
    """Make the control mitigate exactly ``risk_ids`` (one action: links added/removed)."""
    wanted = set(risk_ids)
    with svc.action() as uow:
        if uow.row("control", control_id) is None:
            raise NotFoundError(f"Control {control_id} does not exist.")
        table = table_of("risk_control")
        current = set(
            uow.conn.execute(
                select(table.c.risk_id).where(table.c.control_id == control_id)
            ).scalars()
        )
        for risk_id in sorted(current - wanted):
            uow.delete("risk_control", (risk_id, control_id))
        for risk_id in sorted(wanted - current):
            uow.create("risk_control", {"risk_id": risk_id, "control_id": control_id})
        return uow.result
