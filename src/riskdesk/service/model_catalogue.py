"""The model catalogue's reads and writes for the GUI (issue 17).

A catalogued model names its provider, a vendor; uses point at the model. The seeded
suggestions (``vendors.suggested_models``) are offered when adding one, never added on
their own: picking a suggestion whose provider is not yet a vendor adds that vendor in
the same action, so one undo takes both back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from riskdesk.service.queries import QueryColumn, TableQuery
from riskdesk.service.register import ActionResult, RegisterService, table_of
from riskdesk.service.vendors import suggested_models


def models(service: RegisterService) -> TableQuery:
    """The catalogue with each model's provider and how many uses run on it."""
    model, vendor, use = table_of("ai_model"), table_of("vendor"), table_of("ai_use")
    m = model.c
    uses_count = select(func.count()).where(use.c.model_id == m.id).correlate(model)
    columns = [
        QueryColumn("id", m.id),
        QueryColumn("name", m.name, searchable=True),
        QueryColumn("provider", vendor.c.name, searchable=True),
        QueryColumn("version", m.model_version, searchable=True),
        QueryColumn("uses", uses_count.scalar_subquery()),
        QueryColumn("notes", m.notes, searchable=True),
    ]
    return TableQuery(
        service,
        "ai_model",
        columns,
        lambda: select(m.id).select_from(model).outerjoin(vendor, vendor.c.id == m.provider_id),
    )


def open_suggestions(service: RegisterService) -> list[dict[str, str]]:
    """The seeded models not yet in the catalogue (same name and provider)."""
    vendors = {v["id"]: v["name"].casefold() for v in service.rows("vendor")}
    have = {
        (m["name"].casefold(), vendors.get(m["provider_id"], "")) for m in service.rows("ai_model")
    }
    return [
        s
        for s in suggested_models()
        if (s["model"].casefold(), s["provider"].casefold()) not in have
    ]


def vendor_named(service: RegisterService, name: str) -> int | None:
    """The vendor called ``name`` (any case), if the register has one."""
    wanted = name.strip().casefold()
    return next((v["id"] for v in service.rows("vendor") if v["name"].casefold() == wanted), None)


def add_model(
    service: RegisterService,
    values: Mapping[str, Any],
    new_provider: tuple[str, str] | None = None,
) -> ActionResult:
    """Add a model; with ``new_provider`` (name, vendor kind) add that vendor as its provider."""
    record = dict(values)
    with service.action() as uow:
        if new_provider is not None:
            name, kind = new_provider
            record["provider_id"] = uow.create("vendor", {"name": name, "kind": kind})
        uow.create("ai_model", record)
        return uow.result


def model_id_of(result: ActionResult) -> int | None:
    """The model an ``add_model`` result created (its first create may be the vendor)."""
    return next((c.key for c in result.changes if c.entity == "ai_model"), None)
