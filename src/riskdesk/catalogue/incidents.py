"""Incidents elsewhere: search the AI Incident Database snapshot shipped with riskdesk.

"Has this gone wrong for someone else?" is the question a deployer should ask of
every use. The index is an in-memory SQLite FTS5 table ranked by bm25, built on
first use (well under a second) and then answering in about a millisecond. The
data is CC BY-SA 4.0 (resources/incidents/ATTRIBUTION.md): show the attribution
wherever results are shown or exported.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from riskdesk import enums
from riskdesk.catalogue import fts
from riskdesk.catalogue.csvfiles import read_table
from riskdesk.catalogue.refs import normalise_ref
from riskdesk.paths import resource_path

INCIDENTS_FILE = "aiid_incidents.csv"
ATTRIBUTION = (
    "Incident data: AI Incident Database (incidentdatabase.ai), Responsible AI "
    "Collaborative, CC BY-SA 4.0; snapshot of February 2026."
)
_COLUMNS = (
    "incident_id",
    "date",
    "title",
    "description",
    "deployers",
    "developers",
    "harmed_parties",
    "mit_ref",
    "mit_subdomain",
    "mit_entity",
    "mit_intent",
    "mit_timing",
    "sector",
    "ai_task",
    "ai_goal",
    "ai_technology",
    "ai_failure",
)


@dataclass(frozen=True)
class IncidentRecord:
    incident_id: int
    date: str  # ISO date of the incident
    title: str
    description: str
    deployers: tuple[str, ...]  # AIID entity slugs, e.g. ("replit",)
    developers: tuple[str, ...]
    harmed_parties: tuple[str, ...]
    mit_ref: str  # AIID's MIT-taxonomy coding as a riskdesk ref, e.g. "MIT 7.3"
    mit_subdomain: str
    mit_entity: str
    mit_intent: str
    mit_timing: str
    sector: str  # CSET "Sector of Deployment", when classified
    ai_task: str  # CSET "AI Task"
    ai_goal: str  # GMF "Known AI Goal"
    ai_technology: str  # GMF "Known AI Technology"
    ai_failure: str  # GMF "Known AI Technical Failure"

    @property
    def url(self) -> str:
        """The incident's page (shown as text; riskdesk itself opens no connection)."""
        return f"https://incidentdatabase.ai/cite/{self.incident_id}/"


@dataclass(frozen=True)
class IncidentHit(IncidentRecord):
    score: float = 0.0  # higher is a better match (negated bm25); 0 for lookups


def default_incidents_path() -> Path:
    return resource_path("incidents", INCIDENTS_FILE)


def _parties(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(";") if p.strip())


def _readable(slugs: tuple[str, ...]) -> str:
    return " ".join(s.replace("-", " ") for s in slugs)


class IncidentIndex:
    """Full-text index over the incident snapshot; thread-safe, built lazily."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path) if path else default_incidents_path()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._records: dict[int, IncidentRecord] = {}

    @property
    def built(self) -> bool:
        return self._conn is not None

    def build(self) -> None:
        """Read the file and build the index now (otherwise the first query does)."""
        with self._lock:
            self._ensure()

    def __len__(self) -> int:
        self.build()
        return len(self._records)

    def _ensure(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        table = read_table(self._path, required=_COLUMNS)
        records: dict[int, IncidentRecord] = {}
        for row, cells in table.rows:
            try:
                iid = int(cells["incident_id"])
            except ValueError:
                raise table.error("is not a number", row, "incident_id") from None
            records[iid] = IncidentRecord(
                incident_id=iid,
                date=cells["date"],
                title=cells["title"],
                description=cells["description"],
                deployers=_parties(cells["deployers"]),
                developers=_parties(cells["developers"]),
                harmed_parties=_parties(cells["harmed_parties"]),
                **{c: cells[c] for c in _COLUMNS[7:]},
            )
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute(
            "CREATE VIRTUAL TABLE incident USING fts5(title, description, parties, tags, "
            f"tokenize='{fts.TOKENIZER}')"
        )
        conn.executemany(
            "INSERT INTO incident(rowid, title, description, parties, tags) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    r.incident_id,
                    r.title,
                    r.description,
                    _readable(r.deployers + r.developers + r.harmed_parties),
                    " ".join(
                        [
                            r.mit_subdomain,
                            r.sector,
                            r.ai_task,
                            r.ai_goal,
                            r.ai_technology,
                            r.ai_failure,
                        ]
                    ),
                )
                for r in records.values()
            ],
        )
        self._records, self._conn = records, conn
        return conn

    def get(self, incident_id: int) -> IncidentRecord | None:
        with self._lock:
            self._ensure()
            return self._records.get(incident_id)

    def search(self, text: str, limit: int = 10) -> list[IncidentHit]:
        """Incidents best matching ``text`` (words, not FTS syntax), best first."""
        words = fts.terms(text) or fts.terms(text, keep_stopwords=True)
        return self._search(words, limit)

    def similar_to_use(self, use_attrs: Mapping[str, object], limit: int = 10) -> list[IncidentHit]:
        """Incidents that resemble an AI use, for 'has this gone wrong elsewhere?'.

        The query is built from the use's name, purpose, department, users, affected
        groups, model and vendor name (``vendor_name``) and the organisation's
        ``sector`` if given, plus a word or two its attributes imply ("chatbot" for
        a public generative use, "agent" for agents).
        """
        return self._search(use_query_terms(use_attrs), limit)

    def by_mit_ref(self, ref: str, limit: int = 50) -> list[IncidentRecord]:
        """Incidents AIID coded to one MIT subdomain ('MIT 7.3'), newest first."""
        key = normalise_ref(ref)
        with self._lock:
            self._ensure()
            found = [r for r in self._records.values() if normalise_ref(r.mit_ref) == key]
        return sorted(found, key=lambda r: r.date, reverse=True)[:limit]

    def _search(self, words: list[str], limit: int) -> list[IncidentHit]:
        if limit <= 0 or not words:
            return []
        with self._lock:
            conn = self._ensure()
            ids = fts.ranked_ids(
                conn,
                "SELECT rowid FROM incident WHERE incident MATCH ? "
                "ORDER BY bm25(incident, 4.0, 2.0, 1.5, 1.0) LIMIT ?",
                words,
                limit,
            )
            if not ids:
                return []
            # Scores come from the OR query so AND-first hits and top-ups are comparable.
            expr = fts.match_expression(words, "OR")
            marks = ",".join("?" * len(ids))
            scores = dict(
                conn.execute(
                    "SELECT rowid, -bm25(incident, 4.0, 2.0, 1.5, 1.0) FROM incident "
                    f"WHERE incident MATCH ? AND rowid IN ({marks})",
                    (expr, *ids),
                ).fetchall()
            )
            return [
                IncidentHit(**vars(self._records[i]), score=round(scores.get(i, 0.0), 4))
                for i in ids
            ]


def use_query_terms(use_attrs: Mapping[str, object]) -> list[str]:
    """The search words :meth:`IncidentIndex.similar_to_use` builds from a use."""
    parts = [
        str(use_attrs.get(key) or "")
        for key in (
            "name",
            "purpose",
            "model_name",
            "vendor_name",
            "affected_groups",
            "users",
            "department",
            "sector",
        )
    ]
    generative = use_attrs.get("generative") in (True, "true", "True", 1)
    public = use_attrs.get("public_facing") in (True, "true", "True", 1)
    if generative and public:
        parts.append("chatbot")
    autonomy = str(use_attrs.get("autonomy") or "none")
    try:
        is_agent = enums.Autonomy.parse(autonomy).ordinal() >= enums.Autonomy.AGENT_READ.ordinal()
    except ValueError:
        is_agent = False
    if is_agent:
        parts.append("agent")
    return fts.terms(" ".join(parts))


_default_lock = threading.Lock()
_default: IncidentIndex | None = None


def default_incident_index() -> IncidentIndex:
    """The index over the shipped snapshot (one per process, built on first query)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = IncidentIndex()
        return _default


def search_incidents(text: str, limit: int = 10) -> list[IncidentHit]:
    return default_incident_index().search(text, limit)


def incidents_like_use(use_attrs: Mapping[str, object], limit: int = 10) -> list[IncidentHit]:
    return default_incident_index().similar_to_use(use_attrs, limit)
