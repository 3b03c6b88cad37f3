"""Ordered lists and counts the dashboard keeps between calls, and how a few uses'
entries in them are replaced after an edit without reading or sorting the rest."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import and_, case, or_
from sqlalchemy.sql import ColumnElement

from riskdesk.fileformat.schema import table_of
from riskdesk.service.dashboard_rows import HEAT_MODES, HeatCounts


class HasUse(Protocol):
    @property
    def use_id(self) -> int: ...


R = TypeVar("R", bound=HasUse)


@dataclass(frozen=True)
class Ranked(Generic[R]):
    """Rows in display order, with each use's row: a list of 50,000 overdue uses takes a
    few bisections to update after an edit, not a sort. ``key`` ends with the use's id,
    so every row has exactly one place."""

    rows: list[R]
    by_use: dict[int, R]
    key: Callable[[R], Any]

    @classmethod
    def of(cls, rows: Iterable[R], key: Callable[[R], Any]) -> Ranked[R]:
        by_use = {r.use_id: r for r in rows}
        return cls(sorted(by_use.values(), key=key), by_use, key)

    def replaced(self, uses: Iterable[int], new: Mapping[int, R]) -> Ranked[R]:
        """These rows with ``uses``' rows taken out and ``new`` (their rows now) put in."""
        rows, by_use = self.rows.copy(), self.by_use.copy()
        for use_id in uses:
            old = by_use.pop(use_id, None)
            if old is not None:
                at = bisect_left(rows, self.key(old), key=self.key)
                if at < len(rows) and rows[at] is old:
                    del rows[at]
                else:  # not where its key says: found the slow way rather than left in
                    rows.remove(old)
        for use_id, row in new.items():
            insort(rows, row, key=self.key)
            by_use[use_id] = row
        return Ranked(rows, by_use, self.key)


def replaced_keys(keys: list[Any], old: Iterable[Any], new: Iterable[Any]) -> list[Any]:
    """A sorted list of unique keys with ``old`` ones taken out and ``new`` ones put in."""
    out = keys.copy()
    for key in old:
        at = bisect_left(out, key)
        if at < len(out) and out[at] == key:
            del out[at]
    for key in new:
        insort(out, key)
    return out


# --- the first few of a long ranking -------------------------------------------------
K = TypeVar("K", bound=tuple[Any, ...])  # an order ending with an id: none shared
T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[K, T]):
    """The first entries of a ranking too long to keep whole (500,000 risks).

    Every entry not kept ranks after ``bound`` (None: every entry is kept). After an
    edit the changed uses' kept entries are dropped and all their entries now merged
    in; only those ranking before ``bound`` are known to be in place, so the kept list
    can shrink, and is read afresh once it is too short to show.
    """

    rows: list[tuple[K, int, T]]  # (order key, use id, entry), first first
    bound: K | None

    @classmethod
    def of(cls, rows: Iterable[tuple[K, int, T]], asked: int) -> Kept[K, T]:
        """From the first ``asked`` entries of the ranking (or all, if fewer), in order."""
        kept = list(rows)
        return cls(kept, kept[-1][0] if len(kept) >= asked else None)

    def known(self, limit: int) -> bool:
        return self.bound is None or len(self.rows) >= limit

    def merged(self, uses: set[int], now: Iterable[tuple[K, int, T]], keep: int) -> Kept[K, T]:
        """``uses``' entries replaced by ``now`` (all of their entries as they are now)."""
        rows = [r for r in self.rows if r[1] not in uses]
        rows.extend(now)
        rows.sort(key=lambda r: r[0])
        bound = self.bound
        if bound is not None:
            rows = [r for r in rows if r[0] <= bound]
        if len(rows) > keep:
            del rows[keep:]
            bound = rows[-1][0]
        return Kept(rows, bound)


# --- heatmap cells, packed ----------------------------------------------------------
# A risk's cell in one mode is one byte: likelihood * 16 + impact (1–15 each); 0 when
# the mode has no rating (a target not set). A use keeps one byte per mode per live
# risk, so 500,000 risks cost a few MB and an edit subtracts the use's old cells and
# adds its new ones. A rating outside 1–15 has no byte (NO_CELL): the register's
# heatmap is then counted by the database on every call, as before.
NO_CELL = -1
CELLS = 256


def cell_code(likelihood: Any, impact: Any) -> ColumnElement[Any]:
    """The packed cell as a SQL expression (portable CASE)."""
    in_range = and_(likelihood.between(1, 15), impact.between(1, 15))
    return case(
        (in_range, likelihood * 16 + impact),
        (or_(likelihood.is_(None), impact.is_(None)), 0),
        else_=NO_CELL,
    )


def risk_cell_columns() -> list[ColumnElement[Any]]:
    """One packed cell per heat mode, in ``HEAT_MODES`` order."""
    risk = table_of("risk").c
    return [cell_code(risk[f"{m}_likelihood"], risk[f"{m}_impact"]) for m in HEAT_MODES]


def packed(codes: Iterable[Any]) -> bytes | None:
    """Cells as bytes; None if one is not a packed cell (a rating outside 1–15)."""
    try:
        return bytes(codes)
    except (TypeError, ValueError):
        return None


def heat_totals(cells: Iterable[bytes]) -> list[int]:
    """Risks per packed cell, per mode: ``totals[mode * CELLS + code]``."""
    every = b"".join(cells)
    totals = [0] * (CELLS * len(HEAT_MODES))
    for mode in range(len(HEAT_MODES)):
        for code, n in Counter(every[mode :: len(HEAT_MODES)]).items():
            totals[mode * CELLS + code] += n
    return totals


def add_cells(totals: list[int], cells: bytes, sign: int) -> None:
    modes = len(HEAT_MODES)
    for i, code in enumerate(cells):
        totals[(i % modes) * CELLS + code] += sign


def heat_of(totals: list[int]) -> dict[str, HeatCounts]:
    """The packed totals as ``all_heat_counts`` gives them: cells in order, no empty ones."""
    out: dict[str, HeatCounts] = {}
    for mode_index, mode in enumerate(HEAT_MODES):
        base = mode_index * CELLS
        out[mode] = {
            (code >> 4, code & 15): totals[base + code]
            for code in range(1, CELLS)
            if totals[base + code]
        }
    return out
