"""Vendor and model concentration: what fails together if one provider fails.

A use depends on every vendor in its chain: the vendor it buys through (``vendor_id``)
and the provider of the model it runs on (``model_id`` → ``ai_model.provider_id``), so
"Khanmigo via Khan Academy → GPT-4-class → OpenAI" counts for Khan Academy *and*
OpenAI. People affected are summed over uses (one person affected by two uses counts
twice: the register records reach per use, not who overlaps). A use whose reach nobody
gave adds nothing to a sum and is counted apart: a sum over such uses is "at least"
that many, and one over none but such uses is unknown, never 0.

Retired uses depend on nobody. A use with a blank ``fallback`` has no fallback
recorded; it is reported as such, not as a fact about the use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from riskdesk.catalogue.csvfiles import read_table
from riskdesk.enums import Stage, Tier
from riskdesk.paths import resource_path
from riskdesk.service import due_diligence
from riskdesk.service.register import RegisterService, table_of

HIGH_TIERS = frozenset({Tier.HIGH.value, Tier.CRITICAL.value})


@dataclass
class Dependency:
    """One use in a provider's or model's "if it is down tomorrow" list."""

    use_id: int
    use: str
    tier: str
    people: int | None  # None: nobody gave this use's reach
    via: str  # the chain, e.g. "Khan Academy → GPT-4 class → OpenAI"
    fallback: str
    rollback_plan: bool
    kill_switch: bool


@dataclass
class Exposure:
    """A provider's (or a model's) share of the register."""

    name: str
    kind: str  # vendor kind, or "model"
    vendor_id: int | None = None
    uses: int = 0
    people: int = 0  # summed over the uses whose reach is known
    people_unknown: int = 0  # uses whose reach nobody gave (``people`` is then a floor)
    high_or_critical: int = 0
    no_fallback: int = 0
    models: list[str] = field(default_factory=list)
    direct: int = 0  # uses bought straight from it (the rest come through intermediaries)
    if_down: list[Dependency] = field(default_factory=list)

    @property
    def people_known(self) -> int | None:
        """The sum as a value: None when no use's reach is known (not 0)."""
        return people_value(self.people, self.people_unknown, self.uses)

    def people_words(self, number: Callable[[int], str] = "{:,}".format) -> str:
        return people_text(self.people, self.people_unknown, self.uses, number)

    def as_dict(self) -> dict[str, Any]:
        """``people`` is null when no use's reach is known, and a floor (at least that
        many) when ``people_unknown_uses`` is more than 0."""
        return {
            "name": self.name,
            "kind": self.kind,
            "uses": self.uses,
            "people": self.people_known,
            "people_unknown_uses": self.people_unknown,
            "high_or_critical": self.high_or_critical,
            "no_fallback": self.no_fallback,
            "models": self.models,
            "direct_uses": self.direct,
            "through_intermediaries": self.uses - self.direct,
            "if_down": [d.__dict__ for d in self.if_down],
        }


@dataclass
class Concentration:
    providers: list[Exposure]  # most people first; those whose reach is all unknown last
    models: list[Exposure]
    total_people: int  # over the live uses whose reach is known
    top_provider: str | None
    # people known to depend on the top provider / all people known to be affected: with
    # uses of unknown reach it is a share of the people known, not of everybody
    top_share: float | None
    people_unknown: int = 0  # live uses whose reach nobody gave
    live_uses: int = 0

    def as_dict(self) -> dict[str, Any]:
        """``total_people`` and ``top_share`` count only the people known (``top_share``
        is null when none is); ``total_people_unknown_uses`` says how many live uses
        those figures leave out."""
        return {
            "total_people": people_value(self.total_people, self.people_unknown, self.live_uses),
            "total_people_unknown_uses": self.people_unknown,
            "top_provider": self.top_provider,
            "top_share": self.top_share,
            "providers": [p.as_dict() for p in self.providers],
            "models": [m.as_dict() for m in self.models],
        }


def people_value(known: int, unknown: int, uses: int) -> int | None:
    """A sum of people over ``uses`` uses, ``unknown`` of them of unknown reach: None
    when every one is (nobody said; not 0). Otherwise at least ``known``."""
    return None if unknown and unknown >= uses else known


def people_text(
    known: int, unknown: int, uses: int, number: Callable[[int], str] = "{:,}".format
) -> str:
    """ "12,400", "at least 12,400 (3 uses unknown)", or "Unknown" when no use's reach is
    known: a sum that left uses out never reads as exact."""
    if not unknown:
        return number(known)
    if unknown >= uses:
        return "Unknown"
    return at_least_text(known, unknown, number)


def at_least_text(known: int, unknown: int, number: Callable[[int], str] = "{:,}".format) -> str:
    """A sum that leaves out ``unknown`` uses (some use's reach is known)."""
    return f"at least {number(known)} ({number(unknown)} use{'s' if unknown != 1 else ''} unknown)"


def _add(exp: Exposure, use: Any, via: str, direct: bool, model: str | None) -> None:
    exp.uses += 1
    if use.people_affected is None:
        exp.people_unknown += 1
    else:
        exp.people += use.people_affected
    exp.high_or_critical += use.tier in HIGH_TIERS
    exp.no_fallback += not (use.fallback or "").strip()
    exp.direct += direct
    if model and model not in exp.models:
        exp.models.append(model)
    exp.if_down.append(
        Dependency(
            use.id,
            use.name,
            use.tier,
            use.people_affected,
            via,
            use.fallback or "",
            bool((use.rollback_plan or "").strip()),
            bool((use.kill_switch or "").strip()),
        )
    )


_USE_COLUMNS = (
    "id",
    "name",
    "stage",
    "tier",
    "people_affected",
    "vendor_id",
    "model_id",
    "fallback",
    "rollback_plan",
    "kill_switch",
)


def concentration(service: RegisterService) -> Concentration:
    uses_t, vendor_t, model_t = table_of("ai_use"), table_of("vendor"), table_of("ai_model")
    with service.engine.connect() as conn:
        vendors = {r.id: r for r in conn.execute(select(vendor_t)).all()}
        models = {r.id: r for r in conn.execute(select(model_t)).all()}
        cols = [uses_t.c[n] for n in _USE_COLUMNS]
        # Streamed (issue 19): 100,000 use rows need not be held at once.
        uses = conn.execution_options(yield_per=2000).execute(select(*cols).order_by(uses_t.c.id))
        return concentration_of(uses, vendors, models)


def concentration_of(
    uses: Iterable[Any], vendors: Mapping[int, Any], models: Mapping[int, Any]
) -> Concentration:
    """The figures from rows with attribute access (the exports pass their own rows)."""
    providers: dict[int, Exposure] = {}
    by_model: dict[int, Exposure] = {}
    total = unknown = live = 0
    for use in uses:
        if Stage.parse(use.stage) is Stage.RETIRED:
            continue
        live += 1
        if use.people_affected is None:
            unknown += 1
        else:
            total += use.people_affected
        model = models.get(use.model_id) if use.model_id is not None else None
        chain_ids: list[int] = []
        if use.vendor_id is not None:
            chain_ids.append(use.vendor_id)
        if model is not None and model.provider_id not in (None, *chain_ids):
            chain_ids.append(model.provider_id)
        names = [vendors[v].name for v in chain_ids]
        if model is not None:
            names.insert(1 if use.vendor_id is not None else 0, model.name)
        via = " → ".join(names) or "(no vendor)"
        model_label = model.name if model is not None else None
        for vid in chain_ids:
            v = vendors[vid]
            exp = providers.setdefault(vid, Exposure(v.name, v.kind, vendor_id=vid))
            _add(exp, use, via, direct=vid == use.vendor_id, model=model_label)
        if model is not None:
            exp = by_model.setdefault(model.id, Exposure(model.name, "model"))
            _add(exp, use, via, direct=True, model=None)
            provider = vendors.get(model.provider_id) if model.provider_id else None
            if provider is not None and not exp.models:
                exp.models.append(provider.name)  # a model's "models" column: its provider

    def order(e: Exposure) -> tuple[bool, int, int, str]:
        # most people known first; a provider whose uses' reach is all unknown goes last
        return (e.people_known is None, -e.people, -e.uses, e.name)

    ranked = sorted(providers.values(), key=order)
    for exp in ranked + list(by_model.values()):
        exp.if_down.sort(
            key=lambda d: (-Tier(d.tier).ordinal(), d.people is None, -(d.people or 0), d.use)
        )
    top = ranked[0] if ranked else None
    share = round(top.people / total, 3) if top is not None and total else None
    return Concentration(
        ranked,
        sorted(by_model.values(), key=order),
        total,
        top.name if top else None,
        share,
        unknown,
        live,
    )


def suggested_models() -> list[dict[str, str]]:
    """Common providers and models, offered as editable suggestions (never auto-added)."""
    table = read_table(
        resource_path("vendors", "common_models.csv"),
        required=("provider", "provider_kind", "model", "version"),
    )
    return [dict(cells) for _row, cells in table.rows]


def due_diligence_gaps(vendor: Mapping[str, Any], today: dt.date | None = None) -> list[str]:
    """What a vendor's due-diligence record does not yet say (blank/None: not known).

    The DPA, the security review (over 12 months old counts as missing) and the exit
    plan are what ``service.due_diligence`` turns into a gap on High/Critical uses; data
    location and the incident contact are listed for the record, not as a gap.
    """
    gap_items = due_diligence.missing_items(vendor, today or dt.date.today())
    missing = [m for m in gap_items if "exit plan" not in m]
    if not (vendor.get("data_location") or "").strip():
        missing.append("data location unknown")
    missing += [m for m in gap_items if "exit plan" in m]
    if not (vendor.get("incident_contact") or "").strip():
        missing.append("no incident contact")
    return missing


def concentration_headline(
    found: Concentration, number: Callable[[int], str] = "{:,}".format
) -> str:
    """One sentence for the Vendors page and summaries: who most people depend on.

    ``number`` writes the counts (the GUI passes its locale's; reports keep 1,234)."""
    if found.top_provider is None:
        return "No use names a vendor or a catalogued model yet."
    top = found.providers[0]
    n = number
    return (
        f"{share_words(found, number)} depend on "
        f"{top.name}: {n(top.uses)} uses ({n(top.uses - top.direct)} through another vendor), "
        f"{n(top.high_or_critical)} High or Critical, {n(top.no_fallback)} with no fallback "
        "recorded."
    )


def share_words(found: Concentration, number: Callable[[int], str] = "{:,}".format) -> str:
    """ "62% of the 12,400 people affected by live uses"; with live uses of unknown reach
    the share is of the people known, and the sentence says how many uses it leaves out."""
    share = f"{found.top_share:.0%}" if found.top_share is not None else "An unknown share"
    if not found.people_unknown:
        return f"{share} of the {number(found.total_people)} people affected by live uses"
    left_out = f"{number(found.people_unknown)} live use{'s' if found.people_unknown != 1 else ''}"
    if found.top_share is None:
        return f"{share} of the people affected by live uses (unknown for every live use)"
    return (
        f"{share} of the {number(found.total_people)} people known to be affected by live "
        f"uses ({left_out} with people affected unknown)"
    )


def chain_words(use: str, vendor: str | None, model: str | None, provider: str | None) -> str:
    """A use's supply chain in one line: "Khanmigo via Khan Academy → GPT-4 class → OpenAI".

    The provider is left out when it is the vendor itself; a catalogued model without a
    provider says so rather than leaving the end of the chain to be guessed.
    """
    steps = [s for s in (model, provider if provider != vendor else None) if s]
    if model and provider is None:
        steps[-1] += " (provider not recorded)"
    if vendor is None and not steps:
        return f"{use}: no vendor or catalogued model recorded"
    head = f"{use} via {vendor}" if vendor else use
    return " → ".join([head, *steps])
