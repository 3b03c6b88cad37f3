"""Links between items of different frameworks (NIST AI 600-1, MIT, OWASP LLM/Agentic).

Each link says on what basis it is made: ``published`` (a named source made it —
the citation says where) or ``riskdesk-judgement`` (our reading; the note says why).
Most links are judgement, and the app must show which is which.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from riskdesk.catalogue.csvfiles import read_table
from riskdesk.catalogue.frameworks import builtin_dir
from riskdesk.catalogue.refs import normalise_ref

CROSSWALK_FILE = "crosswalk.csv"
PUBLISHED = "published"
JUDGEMENT = "riskdesk-judgement"
BASES = (PUBLISHED, JUDGEMENT)


@dataclass(frozen=True)
class CrosswalkLink:
    ref_a: str
    ref_b: str
    basis: str  # PUBLISHED or JUDGEMENT
    citation: str = ""  # where a published link was published
    note: str = ""  # why, for a judgement link

    def other(self, ref: str) -> str:
        return self.ref_b if normalise_ref(ref) == normalise_ref(self.ref_a) else self.ref_a


def _read(path: Path) -> tuple[CrosswalkLink, ...]:
    table = read_table(path, required=("ref_a", "ref_b", "basis"), optional=("citation", "note"))
    links = []
    seen: dict[frozenset[str], int] = {}
    for row, cells in table.rows:
        a, b = " ".join(cells["ref_a"].split()), " ".join(cells["ref_b"].split())
        if not a or not b:
            raise table.error("both refs are needed", row, "ref_a" if not a else "ref_b")
        if normalise_ref(a) == normalise_ref(b):
            raise table.error("links a ref to itself", row, "ref_b")
        if cells["basis"] not in BASES:
            raise table.error(f"must be one of: {', '.join(BASES)}", row, "basis")
        if cells["basis"] == PUBLISHED and not cells.get("citation"):
            raise table.error("a published link needs a citation", row, "citation")
        pair = frozenset((normalise_ref(a), normalise_ref(b)))
        if pair in seen:
            raise table.error(f"repeats the link in row {seen[pair]}", row, "ref_b")
        seen[pair] = row
        links.append(
            CrosswalkLink(a, b, cells["basis"], cells.get("citation", ""), cells.get("note", ""))
        )
    return tuple(links)


@functools.cache
def _shipped() -> tuple[CrosswalkLink, ...]:
    return _read(builtin_dir() / CROSSWALK_FILE)


def load_crosswalk(path: str | Path | None = None) -> list[CrosswalkLink]:
    """Links from ``path``, or the shipped crosswalk (read once, then cached)."""
    return list(_read(Path(path)) if path else _shipped())


@functools.cache
def _index() -> dict[str, tuple[CrosswalkLink, ...]]:
    index: dict[str, list[CrosswalkLink]] = {}
    for link in load_crosswalk():
        index.setdefault(normalise_ref(link.ref_a), []).append(link)
        index.setdefault(normalise_ref(link.ref_b), []).append(link)
    # Published links first, then in file order.
    return {k: tuple(sorted(v, key=lambda lk: lk.basis != PUBLISHED)) for k, v in index.items()}


def related_links(ref: str) -> list[CrosswalkLink]:
    """The shipped links that touch ``ref`` (any case/spacing), published first."""
    return list(_index().get(normalise_ref(ref), ()))


def related_refs(ref: str) -> list[tuple[str, str]]:
    """``[(other_ref, basis), …]`` for ``ref``, published links first.

    >>> related_refs("600-1.2")[0]
    ('MIT 3.1', 'published')
    """
    return [(link.other(ref), link.basis) for link in related_links(ref)]
