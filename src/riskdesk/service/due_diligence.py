"""Vendor due diligence as a gap on the High and Critical uses that depend on the vendor.

A use depends on every vendor in its chain (``service.vendors``): the vendor it buys
through and the provider of its catalogued model, so a Khanmigo-style use bought from
Khan Academy and running on an OpenAI model depends on OpenAI's paperwork too. When that
use is High or Critical, a vendor without a signed DPA, without a security review in the
last 12 months, or without an exit plan is a gap on the use (NIST AI RMF GOVERN 6 /
MAP 4 / MANAGE 3, NIST AI 600-1 value chain, OWASP LLM03 supply chain).

A fact nobody recorded is not "no", but it is not the diligence either: a DPA whose
status is unknown is still missing, worded as "not recorded".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from riskdesk.enums import Stage, Tier
from riskdesk.scoring.ladder import Gap, add_months

if TYPE_CHECKING:  # the writer (and sqlmodel) only when used: `summary` reads constants here
    from riskdesk.service.register import RegisterService


def table_of(entity: str) -> Any:
    """``fileformat.schema.table_of``, loaded on first use: it imports every model."""
    from riskdesk.fileformat.schema import table_of as loaded

    return loaded(entity)


RUNG = "vendor_due_diligence"
TITLE = "Vendor due diligence missing"
REQUIREMENT = (
    "Every vendor a High or Critical use depends on has a signed DPA, a security review "
    "within the last 12 months and an exit plan"
)
REFS: tuple[str, ...] = ("GOVERN 6.1", "GOVERN 6.2", "MAP 4.1", "MANAGE 3.1", "600-1.12", "LLM03")
REVIEW_VALID_MONTHS = 12
APPLIES_TO = frozenset({Tier.HIGH.value, Tier.CRITICAL.value})


def missing_items(vendor: Mapping[str, Any], today: dt.date) -> list[str]:
    """What the gap asks of ``vendor`` that its record does not show (empty: complete)."""
    missing: list[str] = []
    dpa = vendor.get("dpa_signed")
    if dpa is not True:
        missing.append("DPA not signed" if dpa is False else "DPA not recorded")
    reviewed = vendor.get("security_review_on")
    if reviewed is None:
        missing.append("no security review")
    elif add_months(reviewed, REVIEW_VALID_MONTHS) < today:
        missing.append(f"security review {reviewed.isoformat()} is over 12 months old")
    if not (vendor.get("exit_plan") or "").strip():
        missing.append("no exit plan")
    return missing


def chain_vendor_ids(use: Any, provider_of: Mapping[int, int | None]) -> list[int]:
    """The vendors ``use`` depends on, the one it buys through first."""
    chain: list[int] = []
    if use.vendor_id is not None:
        chain.append(use.vendor_id)
    provider = provider_of.get(use.model_id) if use.model_id is not None else None
    if provider is not None and provider not in chain:
        chain.append(provider)
    return chain


def gaps_for_uses(
    uses: Iterable[Any],
    vendors: Mapping[int, Mapping[str, Any]],
    provider_of: Mapping[int, int | None],
    today: dt.date,
) -> dict[int, list[Gap]]:
    """Use id → its due-diligence gaps, one per vendor in its chain that lacks any."""
    missing_by_vendor: dict[int, list[str]] = {}
    out: dict[int, list[Gap]] = {}
    for use in uses:
        if use.tier not in APPLIES_TO or Stage.parse(use.stage) is Stage.RETIRED:
            continue
        chain = chain_vendor_ids(use, provider_of)
        for vid in chain:
            vendor = vendors.get(vid)
            if vendor is None:
                continue
            if vid not in missing_by_vendor:
                missing_by_vendor[vid] = missing_items(vendor, today)
            missing = missing_by_vendor[vid]
            if not missing:
                continue
            role = (
                "the vendor this use buys through"
                if vid == use.vendor_id
                else "the provider of the model this use runs on"
            )
            reason = (
                f"Vendor due diligence missing for {vendor['name']}, {role}: {'; '.join(missing)}."
            )
            out.setdefault(use.id, []).append(Gap(RUNG, TITLE, reason, Tier.HIGH, vendor["name"]))
    return out


def _providers(conn: Connection) -> dict[int, int | None]:
    """Model id → its provider's vendor id."""
    model_t = table_of("ai_model")
    return {mid: pid for mid, pid in conn.execute(select(model_t.c.id, model_t.c.provider_id))}


VendorInputs = tuple[dict[int, dict[str, Any]], dict[int, int | None]]


def vendor_inputs(conn: Connection) -> VendorInputs:
    """Every vendor's record and every model's provider (two small reads), read once
    for however many uses are judged with them."""
    vendor_t = table_of("vendor")
    vendors = {r["id"]: dict(r) for r in conn.execute(select(vendor_t)).mappings()}
    return vendors, _providers(conn)


def gaps_by_use(conn: Connection, uses: Iterable[Any], today: dt.date) -> dict[int, list[Gap]]:
    """``gaps_for_uses`` for rows from ``oversight.gap_inputs``."""
    return gaps_for_uses(uses, *vendor_inputs(conn), today)


def counted(conn: Connection, today: dt.date) -> dict[int, int]:
    """Use id → how many due-diligence gaps it has, for the SQL gap counts (issue 19),
    read from the few columns the rule needs, High and Critical uses only."""
    uses_t = table_of("ai_use")
    cols = [uses_t.c[n] for n in ("id", "tier", "stage", "vendor_id", "model_id")]
    rows = conn.execute(select(*cols).where(uses_t.c.tier.in_(APPLIES_TO))).all()
    found = gaps_for_uses(rows, *vendor_inputs(conn), today)
    return {use_id: len(gaps) for use_id, gaps in found.items()}


def vendor_status(
    service: RegisterService, vendor: Mapping[str, Any], today: dt.date | None = None
) -> tuple[list[str], list[str]]:
    """For the vendor dialog: (what the gap asks that is missing, High/Critical uses hit).

    ``vendor`` may hold unsaved values; the uses are the saved ones depending on it.
    """
    today = today or dt.date.today()
    missing = missing_items(vendor, today)
    vid = vendor.get("id")
    if vid is None:
        return missing, []
    uses_t = table_of("ai_use")
    cols = [uses_t.c[n] for n in ("id", "name", "tier", "stage", "vendor_id", "model_id")]
    with service.engine.connect() as conn:
        provider_of = _providers(conn)
        rows = conn.execute(select(*cols).order_by(uses_t.c.name)).mappings().all()
    hit = [
        r["name"]
        for r in rows
        if r["tier"] in APPLIES_TO
        and Stage.parse(r["stage"]) is not Stage.RETIRED
        and vid in chain_vendor_ids(SimpleNamespace(**r), provider_of)
    ]
    return missing, hit
