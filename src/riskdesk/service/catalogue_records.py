"""Records made from catalogue entries: a risk from a risk template, a public incident
or a framework item, and a control from the control library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from riskdesk import enums
from riskdesk.catalogue import (
    CatalogueHit,
    FrameworkItem,
    IncidentRecord,
    RiskTemplate,
    join_refs,
    load_risk_library,
    related_refs,
    risk_template,
)
from riskdesk.catalogue.incidents import ATTRIBUTION
from riskdesk.catalogue.library import ControlTemplate
from riskdesk.service.errors import NotFoundError
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork
from riskdesk.service.suggestions import IncidentMatch
from riskdesk.service.validation import MAX_NAME, MAX_TEXT

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
