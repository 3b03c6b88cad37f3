"""The risk and control libraries, and one search box over everything in the catalogue.

The libraries are starting points a deployer copies into its register: each risk
template carries default inherent scores and the framework refs it relates to, each
control template its type and the AI RMF (and OWASP) items it addresses.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from riskdesk.catalogue import fts
from riskdesk.catalogue.crosswalk import related_refs
from riskdesk.catalogue.csvfiles import Table, parse_int, read_table
from riskdesk.catalogue.frameworks import Framework, builtin_dir, load_builtin_frameworks
from riskdesk.catalogue.refs import join_refs, normalise_ref, split_refs
from riskdesk.enums import ControlType

RISK_LIBRARY_FILE = "risk_library.csv"
CONTROL_LIBRARY_FILE = "control_library.csv"
_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


@dataclass(frozen=True)
class RiskTemplate:
    id: str  # e.g. "RL-AGT-03"
    category: str
    title: str
    description: str
    likelihood: int  # default inherent likelihood, 1-5
    impact: int  # default inherent impact, 1-5
    taxonomy_refs: tuple[str, ...]
    aiid_examples: tuple[int, ...] = ()  # AI Incident Database ids that illustrate it

    @property
    def refs_text(self) -> str:
        """The refs as ``Risk.taxonomy_refs`` stores them: 'ASI02, LLM06, MIT 7.3'."""
        return join_refs(self.taxonomy_refs)


@dataclass(frozen=True)
class ControlTemplate:
    id: str  # e.g. "CL-11"
    name: str
    description: str
    control_type: str  # a ControlType value
    framework_refs: tuple[str, ...]
    mitigates: tuple[str, ...] = ()  # RiskTemplate ids

    @property
    def refs_text(self) -> str:
        """The refs as ``Control.framework_refs`` stores them."""
        return join_refs(self.framework_refs)


def _check_id(table: Table, row: int, column: str, value: str, seen: dict[str, int]) -> str:
    if not _ID_PATTERN.match(value):
        raise table.error(f"{value!r} is not an id like 'RL-AGT-01'", row, column)
    if value in seen:
        raise table.error(f"{value!r} is used twice (first in row {seen[value]})", row, column)
    seen[value] = row
    return value


def _required(table: Table, row: int, cells: dict[str, str], column: str) -> str:
    value = " ".join(cells[column].split())
    if not value:
        raise table.error("must not be empty", row, column)
    return value


def _int_list(table: Table, row: int, column: str, value: str) -> tuple[int, ...]:
    out = []
    for part in split_refs(value):
        if not part.isdigit():
            raise table.error(f"{part!r} is not an incident number", row, column)
        out.append(int(part))
    return tuple(out)


def _read_risks(path: Path) -> tuple[RiskTemplate, ...]:
    table = read_table(
        path,
        required=("risk_id", "title", "description", "likelihood", "impact", "taxonomy_refs"),
        optional=("category", "aiid_examples"),
    )
    seen: dict[str, int] = {}
    out = []
    for row, cells in table.rows:
        out.append(
            RiskTemplate(
                id=_check_id(table, row, "risk_id", cells["risk_id"], seen),
                category=" ".join(cells.get("category", "").split()),
                title=_required(table, row, cells, "title"),
                description=_required(table, row, cells, "description"),
                likelihood=parse_int(table, row, "likelihood", cells["likelihood"], 1, 5),
                impact=parse_int(table, row, "impact", cells["impact"], 1, 5),
                taxonomy_refs=tuple(split_refs(cells["taxonomy_refs"])),
                aiid_examples=_int_list(
                    table, row, "aiid_examples", cells.get("aiid_examples", "")
                ),
            )
        )
    return tuple(out)


def _read_controls(path: Path) -> tuple[ControlTemplate, ...]:
    table = read_table(
        path,
        required=("control_id", "name", "description", "control_type", "framework_refs"),
        optional=("mitigates",),
    )
    seen: dict[str, int] = {}
    out = []
    for row, cells in table.rows:
        try:
            control_type = ControlType.parse(cells["control_type"]).value
        except ValueError as exc:
            raise table.error(str(exc), row, "control_type") from None
        out.append(
            ControlTemplate(
                id=_check_id(table, row, "control_id", cells["control_id"], seen),
                name=_required(table, row, cells, "name"),
                description=_required(table, row, cells, "description"),
                control_type=control_type,
                framework_refs=tuple(split_refs(cells["framework_refs"])),
                mitigates=tuple(split_refs(cells.get("mitigates", ""))),
            )
        )
    return tuple(out)


@functools.cache
def _shipped_risks() -> tuple[RiskTemplate, ...]:
    return _read_risks(builtin_dir() / RISK_LIBRARY_FILE)


@functools.cache
def _shipped_controls() -> tuple[ControlTemplate, ...]:
    return _read_controls(builtin_dir() / CONTROL_LIBRARY_FILE)


def load_risk_library(path: str | Path | None = None) -> list[RiskTemplate]:
    """Risk templates from ``path``, or the shipped library (read once, then cached)."""
    return list(_read_risks(Path(path)) if path else _shipped_risks())


def load_control_library(path: str | Path | None = None) -> list[ControlTemplate]:
    """Control templates from ``path``, or the shipped library (read once, then cached)."""
    return list(_read_controls(Path(path)) if path else _shipped_controls())


def risk_template(risk_id: str) -> RiskTemplate:
    """A shipped risk template by id; ``KeyError`` if there is none."""
    for template in load_risk_library():
        if template.id == risk_id:
            return template
    raise KeyError(risk_id)


def controls_for_risk(risk_id: str) -> list[ControlTemplate]:
    """Shipped control templates that list ``risk_id`` as something they mitigate."""
    return [c for c in load_control_library() if risk_id in c.mitigates]


# Search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueHit:
    kind: str  # "framework_item", "risk" or "control"
    ref: str  # item ref, risk template id or control template id
    title: str
    text: str
    framework_id: str  # for framework items; "" for library entries
    refs: tuple[str, ...]  # the item's own ref and crosswalk neighbours, or the template's refs


class CatalogueIndex:
    """An in-memory FTS5 index over framework items and library templates.

    Built once on first use (a few milliseconds); safe to share between threads.
    """

    def __init__(
        self,
        frameworks: Iterable[Framework] | None = None,
        risks: Iterable[RiskTemplate] | None = None,
        controls: Iterable[ControlTemplate] | None = None,
    ) -> None:
        self._sources = (frameworks, risks, controls)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._hits: list[CatalogueHit] = []
        self._exact: dict[str, int] = {}

    def _build(self) -> sqlite3.Connection:
        frameworks, risks, controls = self._sources
        hits: list[CatalogueHit] = []
        for fw in load_builtin_frameworks() if frameworks is None else frameworks:
            for item in fw.items:
                neighbours = [ref for ref, _ in related_refs(item.ref)]
                hits.append(
                    CatalogueHit(
                        "framework_item",
                        item.ref,
                        item.title,
                        item.text,
                        fw.id,
                        (item.ref, *neighbours),
                    )
                )
        for r in load_risk_library() if risks is None else risks:
            hits.append(CatalogueHit("risk", r.id, r.title, r.description, "", r.taxonomy_refs))
        for c in load_control_library() if controls is None else controls:
            hits.append(CatalogueHit("control", c.id, c.name, c.description, "", c.framework_refs))
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute(
            "CREATE VIRTUAL TABLE entry USING fts5(ref, title, body, refs, "
            f"tokenize='{fts.TOKENIZER}')"
        )
        conn.executemany(
            "INSERT INTO entry(rowid, ref, title, body, refs) VALUES (?, ?, ?, ?, ?)",
            [(n, h.ref, h.title, h.text, " ".join(h.refs)) for n, h in enumerate(hits)],
        )
        self._hits = hits
        self._exact = {}
        for n, h in enumerate(hits):
            self._exact.setdefault(normalise_ref(h.ref), n)
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._build()
        return self._conn

    def search(self, query: str, limit: int = 20) -> list[CatalogueHit]:
        """Best matches first; an exact ref ('LLM01', 'GOVERN 1.1', 'RL-AGT-03') comes first."""
        if limit <= 0:
            return []
        with self._lock:
            conn = self._connection()
            words = fts.terms(query) or fts.terms(query, keep_stopwords=True)
            exact = self._exact.get(normalise_ref(query))
            ids = fts.ranked_ids(
                conn,
                "SELECT rowid FROM entry WHERE entry MATCH ? "
                "ORDER BY bm25(entry, 10.0, 5.0, 1.0, 2.0) LIMIT ?",
                words,
                limit,
                prefix_last=True,
                extra=(lambda: [exact]) if exact is not None else None,
            )
            return [self._hits[i] for i in ids]


_default_lock = threading.Lock()
_default: CatalogueIndex | None = None


def default_catalogue_index() -> CatalogueIndex:
    """The index over everything shipped (built lazily, once per process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = CatalogueIndex()
        return _default


def search_catalogue(query: str, limit: int = 20) -> list[CatalogueHit]:
    """Search shipped framework items, risk templates and control templates."""
    return default_catalogue_index().search(query, limit)


def templates_for_refs(refs: Sequence[str]) -> list[RiskTemplate]:
    """Shipped risk templates that cite any of ``refs`` (e.g. all templates for 'ASI02')."""
    wanted = {normalise_ref(r) for r in refs}
    return [t for t in load_risk_library() if wanted & {normalise_ref(r) for r in t.taxonomy_refs}]
