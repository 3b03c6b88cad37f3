"""The demo register's data, read from ``resources/demo/`` (invented, see its README).

Each file holds one kind of record; this module only reads and checks them. Risks name
the risk-library entry they instantiate (``library_id``) and take its title,
description and refs where the demo leaves those cells blank; the scores are always
the demo's own (a deployer's assessment of that use, not the library's default).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from riskdesk.catalogue.csvfiles import Table, parse_int, read_table
from riskdesk.catalogue.library import risk_template
from riskdesk.catalogue.refs import split_refs
from riskdesk.paths import resource_path


class Person(NamedTuple):
    name: str
    title: str
    department: str
    line: str  # default line of defence: first, second or third
    has_left: bool


@dataclass(frozen=True)
class UseSpec:
    name: str
    department: str
    purpose: str
    vendor: str | None
    model: str
    owner: str  # "" = nobody owns it yet (a gap the demo shows)
    attrs: dict[str, Any]
    risks: tuple[str, ...]  # keys into DemoData.risks


class RiskSpec(NamedTuple):
    title: str
    description: str
    refs: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    library_id: str = ""  # the risk-library entry this risk instantiates, if any


class ControlSpec(NamedTuple):
    name: str
    control_type: str
    status: str
    framework_refs: str
    owner: str


class IncidentSpec(NamedTuple):
    use: str  # use name
    kind: str
    days_ago: int
    severity: str
    people_affected: int
    title: str
    description: str
    reportable: bool
    risks: tuple[str, ...]  # keys of the risks it realised


@dataclass(frozen=True)
class DemoData:
    organisation: dict[str, str]
    people: tuple[Person, ...]
    vendors: tuple[tuple[str, str], ...]  # (name, kind)
    uses: tuple[UseSpec, ...]
    risks: dict[str, RiskSpec]  # key -> spec, in file order (generated uses draw from it)
    controls: tuple[ControlSpec, ...]
    incidents: tuple[IncidentSpec, ...]


def demo_dir() -> Path:
    return resource_path("demo")


def _flag(table: Table, row: int, column: str, value: str) -> bool:
    if value not in ("yes", "no"):
        raise table.error(f"{value!r} is not yes or no", row, column)
    return value == "yes"


def _people(path: Path) -> tuple[Person, ...]:
    table = read_table(path, required=("name", "title", "department", "line", "has_left"))
    return tuple(
        Person(
            c["name"],
            c["title"],
            c["department"],
            c["line"],
            _flag(table, row, "has_left", c["has_left"]),
        )
        for row, c in table.rows
    )


def _vendors(path: Path) -> tuple[tuple[str, str], ...]:
    table = read_table(path, required=("name", "kind"))
    return tuple((c["name"], c["kind"]) for _row, c in table.rows)


def _uses(path: Path) -> tuple[UseSpec, ...]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        UseSpec(
            name=r["name"],
            department=r["department"],
            purpose=r["purpose"],
            vendor=r["vendor"],
            model=r["model"],
            owner=r["owner"],
            attrs=dict(r["attributes"]),
            risks=tuple(r["risks"]),
        )
        for r in records
    )


def _score(table: Table, row: int, cells: dict[str, str], column: str) -> int:
    return parse_int(table, row, column, cells[column], 1, 5)


def _risks(path: Path) -> dict[str, RiskSpec]:
    table = read_table(
        path,
        required=(
            "key",
            "library_id",
            "title",
            "description",
            "taxonomy_refs",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
        ),
    )
    out: dict[str, RiskSpec] = {}
    for row, c in table.rows:
        library_id = c["library_id"]
        if library_id:
            try:
                template = risk_template(library_id)
            except KeyError:
                raise table.error(f"{library_id!r} is not in the risk library", row) from None
            title = c["title"] or template.title
            description = c["description"] or template.description
            refs = c["taxonomy_refs"] or template.refs_text
        elif not (c["title"] and c["description"]):
            raise table.error("needs a title and description or a library_id", row)
        else:
            title, description, refs = c["title"], c["description"], c["taxonomy_refs"]

        out[c["key"]] = RiskSpec(
            title,
            description,
            refs,
            inherent_likelihood=_score(table, row, c, "inherent_likelihood"),
            inherent_impact=_score(table, row, c, "inherent_impact"),
            residual_likelihood=_score(table, row, c, "residual_likelihood"),
            residual_impact=_score(table, row, c, "residual_impact"),
            library_id=library_id,
        )
    return out


def _controls(path: Path) -> tuple[ControlSpec, ...]:
    table = read_table(path, required=("name", "control_type", "status", "framework_refs", "owner"))
    return tuple(
        ControlSpec(c["name"], c["control_type"], c["status"], c["framework_refs"], c["owner"])
        for _row, c in table.rows
    )


def _incidents(path: Path) -> tuple[IncidentSpec, ...]:
    table = read_table(
        path,
        required=(
            "use",
            "kind",
            "days_ago",
            "severity",
            "people_affected",
            "title",
            "description",
            "reportable",
            "risks",
        ),
    )
    return tuple(
        IncidentSpec(
            use=c["use"],
            kind=c["kind"],
            days_ago=parse_int(table, row, "days_ago", c["days_ago"], 0, 10_000),
            severity=c["severity"],
            people_affected=parse_int(
                table, row, "people_affected", c["people_affected"], 0, 10**9
            ),
            title=c["title"],
            description=c["description"],
            reportable=_flag(table, row, "reportable", c["reportable"]),
            risks=tuple(split_refs(c["risks"])),
        )
        for row, c in table.rows
    )


def _check(data: DemoData) -> None:
    """Cross-file references resolve, so a typo fails here rather than mid-build."""
    people = {p.name for p in data.people}
    vendors = {name for name, _kind in data.vendors}
    uses = {u.name for u in data.uses}
    problems = [
        f"use {u.name!r}: unknown owner, vendor or risk"
        for u in data.uses
        if (u.owner and u.owner not in people)
        or (u.vendor is not None and u.vendor not in vendors)
        or not set(u.risks) <= set(data.risks)
    ]
    problems += [
        f"control {c.name!r}: unknown owner" for c in data.controls if c.owner not in people
    ]
    problems += [
        f"incident {i.title!r}: unknown use or risk"
        for i in data.incidents
        if i.use not in uses or not set(i.risks) <= set(data.risks)
    ]
    if problems:
        raise ValueError(f"{demo_dir()}: " + "; ".join(problems))


@functools.cache
def demo_data() -> DemoData:
    """The shipped demo data (read once, then cached)."""
    base = demo_dir()
    data = DemoData(
        organisation=json.loads((base / "organisation.json").read_text(encoding="utf-8")),
        people=_people(base / "people.csv"),
        vendors=_vendors(base / "vendors.csv"),
        uses=_uses(base / "uses.json"),
        risks=_risks(base / "risks.csv"),
        controls=_controls(base / "controls.csv"),
        incidents=_incidents(base / "incidents.csv"),
    )
    _check(data)
    return data
