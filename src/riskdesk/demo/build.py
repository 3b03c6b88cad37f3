"""Writing the demo register: people, uses, risks, controls and incidents, then history.

One ``random.Random(seed)`` drives every choice, drawn in a fixed order, so the same
seed, ``uses`` and ``today`` give the same register. The steps below must keep that
order: moving a draw changes every value after it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

from riskdesk.demo import catalogue
from riskdesk.demo.data import DemoData, UseSpec, demo_data
from riskdesk.demo.history import incident_record, log_later_incidents, write_history
from riskdesk.demo.packs import pack_days, write_past_packs
from riskdesk.demo.story import Story
from riskdesk.enums import Tier
from riskdesk.scoring.config import DEFAULT_CONFIG
from riskdesk.scoring.ladder import add_months
from riskdesk.service.register import RegisterService, UnitOfWork

EMAIL_DOMAIN = "riverside.example"


def build_demo(
    service: RegisterService, *, uses: int = 0, seed: int = 7, today: dt.date | None = None
) -> dict[str, int]:
    """Write the demo register; ``uses`` > the curated uses adds generated variations."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    data = demo_data()
    curated = len(data.uses)
    n_uses = max(uses, curated) if uses else curated
    # Past quarters' board packs (see ``packs``; the curated demo only), judged on the
    # written register: incidents after the last pack are logged after it, so the next
    # pack lists them as logged since. No random draws: the register is the same.
    until = pack_days(today)[-1] if n_uses == curated else None
    with service.action() as uow:
        people, use_ids, control_ids = _write(uow, data, rng, n_uses, today, until)
    if until is not None:
        write_past_packs(service, today)
        with service.action() as uow:
            story = Story(uow, data, today, people, use_ids, control_ids)
            log_later_incidents(story, until)
    return {"uses": service.count("ai_use"), "risks": service.count("risk")}


def _write(
    uow: UnitOfWork,
    data: DemoData,
    rng: random.Random,
    n_uses: int,
    today: dt.date,
    until: dt.date | None,
) -> tuple[dict[str, int], list[int], list[int]]:
    """The register; returns the people, curated uses and controls the history names."""
    if uow.row("org_profile", 1) is None:
        uow.create("org_profile", dict(data.organisation), key=1)
    people = _people(uow, data)
    diligence = catalogue.vendor_due_diligence(today)  # issue 17
    vendors = {
        name: uow.create("vendor", {"name": name, "kind": kind, **diligence.get(name, {})})
        for name, kind in data.vendors
    }
    use_rows = _use_rows(data, rng, n_uses, today, people, vendors)
    catalogue.link_models(data, use_rows, catalogue.write_models(uow, vendors))  # issue 17
    uow.preload_ids("person", "vendor", "ai_use")
    use_ids: list[int] = []
    for start in range(0, len(use_rows), _RISK_BATCH // 5):  # the same ids, in slices
        use_ids += uow.create_many("ai_use", use_rows[start : start + _RISK_BATCH // 5])
        _release(uow)
    catalogue.write_permissions(uow, data, people, use_ids, today)  # issue 17
    risk_ids: list[int] = []
    # In slices, the rows made as they are written (the same random draws, in the same
    # order): 500,000 risks at once were most of ``demo --uses 100000``'s memory.
    risks = _risk_rows(data, rng, use_rows, use_ids, today)
    while chunk := list(itertools.islice(risks, _RISK_BATCH)):
        risk_ids += uow.create_many("risk", chunk)
        _release(uow)
    _acceptances(uow, risk_ids, people, today)
    control_ids = _controls(uow, data, rng, people, today)
    for risk_id in risk_ids[: min(len(risk_ids), 60)]:
        uow.create("risk_control", {"risk_id": risk_id, "control_id": rng.choice(control_ids)})
    _incidents(uow, data, use_ids, today, until)
    curated = use_ids[: len(data.uses)]
    write_history(uow, data, today, people, curated, control_ids, until)
    return people, curated, control_ids


_RISK_BATCH = 20_000


def _release(uow: UnitOfWork) -> None:
    """Append the audit events written so far and let go of them (issue 19).

    The demo is one transaction, but nobody undoes it as one action (``build_demo``
    returns counts, not its ``ActionResult``), so the changes need not stay in memory
    until the end: at 100,000 uses they were every record's full state, twice.
    """
    uow.flush_audit()
    uow.result.changes.clear()


def _people(uow: UnitOfWork, data: DemoData) -> dict[str, int]:
    return {
        p.name: uow.create(
            "person",
            {
                "name": p.name,
                "title": p.title,
                "department": p.department,
                "default_line": p.line,
                "email": p.name.lower().replace(" ", ".").replace("í", "i") + "@" + EMAIL_DOMAIN,
                "has_left": p.has_left,
            },
        )
        for p in data.people
    }


def _use_rows(
    data: DemoData,
    rng: random.Random,
    n_uses: int,
    today: dt.date,
    people: dict[str, int],
    vendors: dict[str, int],
) -> list[dict[str, Any]]:
    """The curated uses, then variations of them (``#2``, ``#3``…) up to ``n_uses``."""
    second_line = [people["Omar Haddad"], people["Ingrid Nilsson"], people["Dana Whitfield"]]
    third_line = [people["Kwame Mensah"], people["Hannah Brooks"]]
    curated = len(data.uses)
    rows: list[dict[str, Any]] = []
    for index in range(n_uses):
        spec = data.uses[index % curated]
        generated = index >= curated
        row: dict[str, Any] = {
            "name": spec.name if not generated else f"{spec.name} #{index // curated + 1}",
            "department": spec.department,
            "purpose": spec.purpose,
            "vendor_id": vendors.get(spec.vendor) if spec.vendor else None,
            "model_name": spec.model,
            "owner_first_id": people.get(spec.owner),  # "" = nobody owns it yet (a gap)
            "stage": "production",
        }
        row.update(spec.attrs)
        if generated:
            row["people_affected"] = int(
                spec.attrs.get("people_affected", 100) * rng.uniform(0.2, 3)
            )
        tier_hint = _tier_hint(spec)
        # Oversight is deliberately incomplete in places so the ladder has gaps to show.
        if tier_hint >= 1 and rng.random() < 0.85:
            row["owner_second_id"] = rng.choice(second_line)
        if tier_hint >= 2 and rng.random() < 0.7:
            row["owner_third_id"] = rng.choice(third_line)
        if spec.name == "Contract review assistant":
            row["owner_second_id"] = people["Omar Haddad"]  # same person twice: a gap
        go_live = today - dt.timedelta(days=rng.randint(60, 900))
        row["go_live"] = go_live if row.get("stage") not in ("idea", "development") else None
        cadence = DEFAULT_CONFIG.review_months_for(list(Tier)[tier_hint])
        if row["go_live"]:
            last = today - dt.timedelta(days=rng.randint(10, 30 * cadence + 120))
            row["last_review"] = last
            row["next_review"] = add_months(last, cadence)
        rows.append(row)
    return rows


def _tier_hint(spec: UseSpec) -> int:
    """Rough tier for deciding which oversight the demo fills in (0=Low … 3=Critical)."""
    a = spec.attrs
    if a.get("eu_ai_act_class") == "prohibited":
        return 3
    if (
        a.get("rights_impacting")
        or a.get("safety_impacting")
        or a.get("eu_ai_act_class") == "high_risk"
        or a.get("autonomy") == "agent_autonomous"
    ):
        return 2
    if a.get("data_sensitivity") in ("personal", "sensitive", "children_special"):
        return 1
    return 0


def _risk_rows(
    data: DemoData,
    rng: random.Random,
    use_rows: list[dict[str, Any]],
    use_ids: list[int],
    today: dt.date,
) -> Iterator[dict[str, Any]]:
    """Each use's risks, made one by one; generated uses get random extra ones up to five."""
    curated = len(data.uses)
    for index, (use_row, use_id) in enumerate(zip(use_rows, use_ids, strict=True)):
        keys = data.uses[index % curated].risks
        extra = 5 - len(keys) if index >= curated else 0
        for key in list(keys) + [rng.choice(list(data.risks)) for _ in range(extra)]:
            risk = data.risks[key]
            il, ii = risk.inherent_likelihood, risk.inherent_impact
            rl, ri = risk.residual_likelihood, risk.residual_impact
            yield (
                {
                    "use_id": use_id,
                    "title": risk.title,
                    "description": risk.description,
                    "taxonomy_refs": risk.refs,
                    "inherent_likelihood": il,
                    "inherent_impact": ii,
                    "residual_likelihood": rl,
                    "residual_impact": ri,
                    "owner_id": use_row["owner_first_id"],
                    "status": "treating" if rl * ri < il * ii else "open",
                    "treatment": "avoid" if key == "prohibited_practice" else "mitigate",
                    "due_date": today + dt.timedelta(days=rng.randint(-30, 180)),
                    # where treatment is planned, the level it aims for
                    **(
                        {"target_likelihood": max(1, rl - 1), "target_impact": ri}
                        if index < curated and rl * ri >= 8
                        else {}
                    ),
                }
            )


def _acceptances(
    uow: UnitOfWork, risk_ids: list[int], people: dict[str, int], today: dt.date
) -> None:
    """One accepted risk (named 2nd-line acceptor) and one acceptance that has expired."""
    uow.update(
        "risk",
        risk_ids[1],
        {
            "status": "accepted",
            "treatment": "accept",
            "accepted_by_id": people["Omar Haddad"],
            "acceptance_rationale": "Teacher review of every transcript sample; accepted for "
            "this school year.",
            "acceptance_expires": today + dt.timedelta(days=200),
        },
    )
    uow.update(
        "risk",
        risk_ids[7],  # proctoring false flags: residual High, above the Medium appetite
        {
            "status": "accepted",
            "treatment": "accept",
            "accepted_by_id": people["Ingrid Nilsson"],
            "acceptance_rationale": "Accepted pending vendor fix.",
            "acceptance_expires": today - dt.timedelta(days=20),
        },
    )


def _controls(
    uow: UnitOfWork, data: DemoData, rng: random.Random, people: dict[str, int], today: dt.date
) -> list[int]:
    return [
        uow.create(
            "control",
            {
                "name": c.name,
                "control_type": c.control_type,
                "status": c.status,
                "framework_refs": c.framework_refs,
                "owner_id": people[c.owner],
                "last_tested": today - dt.timedelta(days=rng.randint(30, 500))
                if c.status == "tested"
                else None,
            },
        )
        for c in data.controls
    ]


def _incidents(
    uow: UnitOfWork, data: DemoData, use_ids: list[int], today: dt.date, until: dt.date | None
) -> None:
    """The incidents in incidents.csv that occurred by ``until`` (all without it); the
    history links them to their risks later."""
    index = {spec.name: i for i, spec in enumerate(data.uses)}
    for incident in data.incidents:
        if until is None or today - dt.timedelta(days=incident.days_ago) <= until:
            uow.create("incident", incident_record(incident, use_ids[index[incident.use]], today))
