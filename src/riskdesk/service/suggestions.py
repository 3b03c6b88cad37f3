"""What the catalogue suggests for one use: risk templates its answers call for, and
public incidents elsewhere like it (AI Incident Database), each with the reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riskdesk import enums
from riskdesk.catalogue import (
    IncidentIndex,
    IncidentRecord,
    Suggestion,
    default_incident_index,
    load_risk_library,
    suggest_risks,
)
from riskdesk.service.register import RegisterService


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
