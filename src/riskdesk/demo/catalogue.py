"""The demo's model catalogue and agent permission inventories (issue 17).

Read from ``resources/demo/models.csv`` and ``agent_permissions.csv``. No random draws
here, so adding this step leaves every other demo value where it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskdesk.catalogue.csvfiles import read_table
from riskdesk.demo.data import DemoData, demo_dir
from riskdesk.service.register import UnitOfWork


def write_models(uow: UnitOfWork, vendors: dict[str, int]) -> dict[str, int]:
    """Create the catalogued models; returns use name → model id."""
    table = read_table(demo_dir() / "models.csv", required=("model", "provider", "version", "uses"))
    by_use: dict[str, int] = {}
    for row, cells in table.rows:
        if cells["provider"] not in vendors:
            raise table.error(f"unknown provider {cells['provider']!r}", row, "provider")
        model_id = uow.create(
            "ai_model",
            {
                "name": cells["model"],
                "provider_id": vendors[cells["provider"]],
                "model_version": cells["version"],
            },
        )
        for use in filter(None, (u.strip() for u in cells["uses"].split(";"))):
            by_use[use] = model_id
    return by_use


def link_models(data: DemoData, use_rows: list[dict[str, Any]], by_use: dict[str, int]) -> None:
    """Point each use row (generated variations too) at its spec's model."""
    curated = len(data.uses)
    for index, row in enumerate(use_rows):
        model_id = by_use.get(data.uses[index % curated].name)
        if model_id is not None:
            row["model_id"] = model_id


def write_permissions(
    uow: UnitOfWork,
    data: DemoData,
    people: dict[str, int],
    use_ids: list[int],
    today: dt.date,
) -> None:
    """The curated agents' permission inventories."""
    table = read_table(
        demo_dir() / "agent_permissions.csv",
        required=(
            "use",
            "system",
            "access",
            "environment",
            "needed",
            "approved_by",
            "reviewed_days_ago",
            "reviewed_by",
        ),
    )
    index = {spec.name: i for i, spec in enumerate(data.uses)}
    for row, cells in table.rows:
        if cells["use"] not in index:
            raise table.error(f"unknown use {cells['use']!r}", row, "use")
        days = cells["reviewed_days_ago"]
        uow.create(
            "agent_permission",
            {
                "use_id": use_ids[index[cells["use"]]],
                "system": cells["system"],
                "access": cells["access"],
                "environment": cells["environment"],
                "needed": cells["needed"],  # "unknown" stays unknown
                "approved_by_id": people.get(cells["approved_by"]),
                "last_reviewed": today - dt.timedelta(days=int(days)) if days else None,
                "reviewed_by_id": people.get(cells["reviewed_by"]),
            },
        )


def vendor_due_diligence(today: dt.date) -> dict[str, dict[str, Any]]:
    """Vendor name → its due-diligence fields (blank cells stay unknown)."""
    table = read_table(
        demo_dir() / "vendor_due_diligence.csv",
        required=(
            "vendor",
            "dpa_signed",
            "security_review_days_ago",
            "security_review_result",
            "data_location",
            "sub_processors",
            "contract_ends_in_days",
            "exit_plan",
            "incident_contact",
        ),
    )
    out: dict[str, dict[str, Any]] = {}
    for _row, cells in table.rows:
        reviewed, ends = cells["security_review_days_ago"], cells["contract_ends_in_days"]
        out[cells["vendor"]] = {
            "dpa_signed": cells["dpa_signed"] or None,  # the service reads "yes"; blank: unknown
            "security_review_on": today - dt.timedelta(days=int(reviewed)) if reviewed else None,
            "security_review_result": cells["security_review_result"],
            "data_location": cells["data_location"],
            "sub_processors": cells["sub_processors"],
            "contract_end": today + dt.timedelta(days=int(ends)) if ends else None,
            "exit_plan": cells["exit_plan"],
            "incident_contact": cells["incident_contact"],
        }
    return out
