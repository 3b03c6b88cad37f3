"""The board pack's figures from one streamed pass over the register (issue 19).

``UseTally`` sees each use once, with its gaps, and ``RiskTally`` each risk once, with
its use's stage and exposure; they keep counters and the few rows the pack lists (the
top risks, the High and Critical uses), never the register, so memory stays flat at
100,000 uses. Fed in id order they give exactly what sorting the whole lists gave:
``TopN`` keeps ties in arrival order, as a stable sort does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from riskdesk.enums import Band, EUAIActClass, RiskStatus, Stage, Tier
from riskdesk.reports.pack_gaps import RungCounts, grouped
from riskdesk.scoring.bands import band
from riskdesk.scoring.ladder import Gap

Record = Mapping[str, Any]
T = TypeVar("T")
TIER_RANK = {t.value: i for i, t in enumerate(Tier)}
NAMES_KEPT = 3  # names quoted in a sentence ("A, B, C and 4 more")
# Enum values read once: an enum member's ``.value`` is a descriptor call, per row.
_CLOSED, _RETIRED = RiskStatus.CLOSED.value, Stage.RETIRED.value
_UNASSESSED, _CRITICAL = Tier.NOT_ASSESSED.value, Tier.CRITICAL.value
_ACCOUNTABLE = (Tier.HIGH.value, Tier.CRITICAL.value)
_PROHIBITED = EUAIActClass.PROHIBITED.value


class TopN(Generic[T]):
    """The ``limit`` smallest items by ``key``, ties in arrival order, and how many came.

    Holds at most a few times ``limit`` items: sorting and cutting now and then keeps
    the same first ``limit`` as sorting everything once (the sort is stable)."""

    def __init__(self, limit: int, key: Callable[[T], Any]) -> None:
        self.limit, self.key = limit, key
        self.items: list[T] = []
        self.count = 0
        # After a cut: the key of the last item kept. A later item whose key is not
        # below it can never make the cut (on a tie the earlier item stays first).
        self._bar: Any = None

    def add(self, item: T) -> None:
        self.count += 1
        if self._bar is not None and not self.key(item) < self._bar:
            return
        self.items.append(item)
        if len(self.items) >= 4 * self.limit + 64:
            self._cut()

    def _cut(self) -> None:
        self.items.sort(key=self.key)
        del self.items[self.limit :]
        if len(self.items) == self.limit:
            self._bar = self.key(self.items[-1])

    def result(self) -> list[T]:
        self._cut()
        return list(self.items)


@dataclass
class NamedCount:
    """How many, and the first few names (for "A, B, C and N more")."""

    count: int = 0
    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        self.count += 1
        if len(self.names) < NAMES_KEPT:
            self.names.append(name)


@dataclass
class OwnerTally:
    uses: int = 0
    gaps: int = 0
    titles: Counter[str] = field(default_factory=Counter)


def accountable_key(use: Record) -> tuple[int, int, str]:
    """High and Critical uses, most exposed first."""
    return (-TIER_RANK[use["tier"]], -use["exposure"], use["name"])


class UseTally:
    """Counters over every use (live or retired) and its gaps."""

    def __init__(self, accountable_limit: int) -> None:
        self.uses = 0
        self.live = 0
        self.tiers: Counter[str] = Counter()  # live uses
        self.unassessed = 0  # live uses whose tier is not known yet
        self.gaps_by_rung: Counter[str] = Counter()  # every gap
        self.uses_by_rung: Counter[str] = Counter()  # uses with at least one gap of a rung
        self.live_with_gaps = 0
        self.gap_counts: dict[int, int] = {}  # use id → gaps, for uses with any
        self.critical_with_gaps = NamedCount()  # live Critical uses with gaps
        self.prohibited = NamedCount()  # live uses the EU AI Act may prohibit
        self.owners: dict[int | None, OwnerTally] = {}  # by 1st-line owner, first seen first
        self.accountable: TopN[Record] = TopN(accountable_limit, accountable_key)

    @property
    def gap_total(self) -> int:
        return sum(self.gaps_by_rung.values())

    def add(self, use: Record, gaps: Sequence[Gap]) -> None:
        """A use met with its judged gaps."""
        self.add_counted(use, grouped(gaps))

    def add_counted(self, use: Record, counts: RungCounts) -> None:
        """A use met with its gaps counted per rung (``pack_gaps``), in the order the
        judge lists them: owners' gap kinds are first met in the same order."""
        self.uses += 1
        live = use["stage"] != _RETIRED
        tier = use["tier"]
        if counts:
            total = 0
            owner = self.owners.get(use["owner_first_id"])
            if owner is None:
                owner = self.owners[use["owner_first_id"]] = OwnerTally()
            by_rung, uses_by, titles = self.gaps_by_rung, self.uses_by_rung, owner.titles
            for rung, title, n in counts:
                total += n
                by_rung[rung] += n
                uses_by[rung] += 1
                titles[title] += n
            self.gap_counts[use["id"]] = total
            owner.uses += 1
            owner.gaps += total
        if not live:
            return
        self.live += 1
        self.tiers[tier] += 1
        if tier == _UNASSESSED:
            self.unassessed += 1
        if counts:
            self.live_with_gaps += 1
            if tier == _CRITICAL:
                self.critical_with_gaps.add(use["name"])
        if use["eu_ai_act_class"] == _PROHIBITED:
            self.prohibited.add(use["name"])
        if tier in _ACCOUNTABLE:
            self.accountable.add(use)


def top_risk_key(risk: Record) -> tuple[int, int, int]:
    return (
        -(risk["residual_likelihood"] * risk["residual_impact"]),
        -(risk["inherent_likelihood"] * risk["inherent_impact"]),
        # not assessed: its worst case, never a silent 0
        -int(risk["use_exposure"] or risk["use_exposure_high"] or 0),
    )


class RiskTally:
    """Counters over every risk, with its use's ``use_stage``, ``use_exposure`` and
    ``use_exposure_high`` (None when the use is missing)."""

    def __init__(self, top_limit: int) -> None:
        self.risks = 0
        self.open = 0  # not closed, on a use that is not retired
        self.grids = {"inherent": _grid(), "residual": _grid()}  # [likelihood-1][impact-1]
        self.residual_bands: Counter[Band] = Counter()  # open risks
        self.top: TopN[Record] = TopN(top_limit, top_risk_key)

    def add(self, risk: Record) -> None:
        self.add_rows([tuple(risk.values())], tuple(risk))

    def add_rows(self, rows: Iterable[Sequence[Any]], keys: Sequence[str]) -> None:
        """``add`` for plain rows of ``keys`` columns (issue 19: a mapping per risk cost
        more than the counting; one is built only for a risk that may make the top)."""
        at = {k: i for i, k in enumerate(keys)}
        status, stage = at["status"], at["use_stage"]
        il, ii = at["inherent_likelihood"], at["inherent_impact"]
        rl_at, ri_at = at["residual_likelihood"], at["residual_impact"]
        inherent, residual = self.grids["inherent"], self.grids["residual"]
        bands, top = self.residual_bands, self.top
        for row in rows:
            self.risks += 1
            if row[status] == _CLOSED or row[stage] == _RETIRED:
                continue
            self.open += 1
            rl, ri = row[rl_at], row[ri_at]
            inherent[row[il] - 1][row[ii] - 1] += 1
            residual[rl - 1][ri - 1] += 1
            score = rl * ri
            bands[_BANDS.get(score) or band(score)] += 1  # band() raises on an odd score
            # A residual score below the last kept one's can never make the cut (the
            # key's first part): counted without building the row's mapping or key.
            if top._bar is not None and -score > top._bar[0]:
                top.count += 1
            else:
                top.add(dict(zip(keys, row, strict=True)))


_BANDS: dict[int, Band] = {s: band(s) for s in range(1, 26)}


def _grid() -> list[list[int]]:
    return [[0] * 5 for _ in range(5)]
