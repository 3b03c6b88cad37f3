"""``riskdesk gaps``: the oversight each AI use lacks for its tier, use by use.

Reads ``service.oversight.register_gaps`` — the same function the dashboard and the
use editor's Gaps tab call — so the command line and the window always agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "gaps",
        help="list the oversight each AI use is missing",
        description=(
            "List the gaps of each AI use: oversight its tier requires but it does not "
            "have yet (owners, reviews, challenge, rollback plan, kill switch…)."
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON (a list of uses; each gap with its framework refs, null where "
        "none are recorded for its kind)",
    )
    parser.add_argument(
        "--all", action="store_true", help="include uses that have no gaps (not retired ones)"
    )
    parser.add_argument(
        "--tier",
        action="append",
        metavar="TIER",
        help=(
            "only uses of this tier (low, moderate, high, critical, or 'not assessed'); "
            "may be repeated"
        ),
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="judge review dates as of this day (default: today)",
    )
    return parser


def gap_record(
    use: Any, people: dict[int, str], refs: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """One use and its gaps as plain JSON-ready values.

    ``refs`` maps a gap's rung to the framework items it answers to (the agent rungs'
    refs, ``service.agents.AGENT_RUNGS``: what ``riskdesk agents`` and the use editor's
    Agent tab show); a rung without a recorded mapping gets ``None`` (unknown), not [].
    """
    refs = refs or {}
    return {
        "use_id": use.use_id,
        "use_name": use.use_name,
        "tier": use.tier,
        "assessment": use.assessment,
        # not assessed: the lowest and highest tier the known answers allow
        "provisional_tiers": (
            [use.tier_low, use.tier_high] if use.tier == "not_assessed" else None
        ),
        "department": use.department,
        "owner_first_id": use.owner_first_id,
        "owner_first": people.get(use.owner_first_id) if use.owner_first_id else None,
        "gap_count": len(use.gaps),
        "gaps": [
            {
                "rung": gap.rung,
                "title": gap.title,
                "reason": gap.reason,
                "tier_required": gap.tier_required.value,
                "subject": gap.subject,
                "due": gap.due.isoformat() if gap.due else None,
                "framework_refs": list(refs[gap.rung]) if gap.rung in refs else None,
            }
            for gap in use.gaps
        ],
    }


def _parse_today(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--today: {text!r} is not a date like 2026-11-01") from None


def _parse_tiers(values: list[str] | None) -> set[str] | None:
    if not values:
        return None
    from riskdesk.enums import Tier

    try:
        return {Tier.parse(v).value for v in values}
    except ValueError as exc:
        raise CliError(f"--tier: {exc}") from None


class _Streamed(list):  # type: ignore[type-arg]
    """A list to ``json`` that yields its items as they are made (issue 19: ``gaps
    --json`` at 100,000 uses held every record at once). With ``indent`` the encoder
    walks a list with ``for``, after asking only whether it is empty, so the output is
    byte for byte that of the whole list."""

    def __init__(self, items: Iterator[Any]) -> None:
        super().__init__()
        self._items = items
        self._first = next(items, _END)

    def __bool__(self) -> bool:
        return self._first is not _END

    def __iter__(self) -> Iterator[Any]:
        if self._first is not _END:
            yield self._first
            yield from self._items


_END = object()


def run(args: argparse.Namespace) -> int:
    from riskdesk.enums import Stage, Tier
    from riskdesk.scoring import provisional_words
    from riskdesk.service.agents import AGENT_RUNGS
    from riskdesk.service.oversight import iter_register_gaps

    today = _parse_today(args.today)
    tiers = _parse_tiers(args.tier)
    service = service_from_args(args, create=False)
    retired = {u["id"] for u in service.rows("ai_use", stage=Stage.RETIRED.value)}
    people = {p["id"]: p["name"] for p in service.rows("person")}
    refs = {code: rung.refs for code, rung in AGENT_RUNGS.items()}
    records = (
        gap_record(use, people, refs)
        for use in iter_register_gaps(service, today)
        if (use.gaps or (args.all and use.use_id not in retired))
        and (tiers is None or use.tier in tiers)
    )
    if args.json:
        print_json(_Streamed(records))
        return 0
    total = with_gaps = 0
    for record in records:
        tier = Tier(record["tier"]).label
        if record["provisional_tiers"]:
            tier += f" ({provisional_words(*record['provisional_tiers'])})"
        count = record["gap_count"]
        total += count
        with_gaps += 1 if count else 0
        owner = record["owner_first"] or "no 1st-line owner"
        print(
            f"#{record['use_id']} {record['use_name']} — {tier} — {owner} — "
            f"{count} gap{'s' if count != 1 else ''}"
        )
        for gap in record["gaps"]:
            # the reason is a full sentence that already names what is missing
            print(f"    {gap['rung']:<19} {gap['reason']}")
    print(f"{total} open gap{'s' if total != 1 else ''} across {with_gaps} AI use(s).")
    return 0
