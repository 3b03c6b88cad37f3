"""Is this the register the audit trail describes? And what happened to each record?

``check_register`` runs these checks, cheapest first, and names each problem precisely:

1. SQLite's own ``PRAGMA integrity_check`` (a damaged file);
2. the schema: every table, index, trigger and view against what riskdesk's migrations
   create — a planted trigger would otherwise rewrite later legitimate edits and have
   them audited as the user's own;
3. the hash chain (``audit.verify_chain``): an event edited, deleted, inserted or
   reordered breaks it from that event on;
4. this machine's anchor (``store/anchors.py``): the newest event riskdesk wrote or
   verified here must still be in the chain with the same hash — the chain alone
   cannot see a truncated tail or a chain rewritten with recomputed hashes;
5. every board pack's recorded chain head must be on the chain;
6. every record against its last audited state: the service writes each record's full
   state into the event's ``after``, so a record edited, added or deleted behind the
   application's back (direct SQL) no longer matches;
7. every derived value (exposure, tier, method) recomputed from the record with the
   service's own scoring (``RegisterService.derive_use``).

What it cannot verify it says, in ``notes`` (e.g. events appended since this machine
last saw the register: well-formed events written by another copy of riskdesk — or by
someone who knows the algorithm — look the same).

Only the fields an event recorded are compared: a later migration that adds a column
must not make every record look tampered with. A migration that rewrites data must
write audit events for it.

``record_history`` reads the same trail for the GUI's History view: who changed what,
when, field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from riskdesk.scoring.exposure import ExposureFactors, reach_level
from riskdesk.service import audit

# Split out (issue 19: modules under 500 lines); callers import them from here.
from riskdesk.service.chain_heads import HeadCheck, _describe_event, chain_head, verify_head
from riskdesk.service.record_audit import (
    _BATCH,
    NAME_FIELDS,
    Problem,
    _normal,
    _record_problems,
    _short,
    key_text,
    record_label,
)
from riskdesk.service.record_history import (
    FieldChange,
    HistoryEntry,
    field_changes,
    record_history,
)
from riskdesk.service.register import MODELS, RegisterService, table_of
from riskdesk.service.schema_check import schema_problems
from riskdesk.store import anchors
from riskdesk.store.db import (
    Register,
    chain_position,
    record_anchor,
)
from riskdesk.store.models import AuditEvent

# Every table the service writes (and so audits); the trail itself is not audited.
AUDITED: tuple[str, ...] = tuple(e for e in MODELS if e != "audit_event")
EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


@dataclass
class IntegrityReport:
    problems: list[Problem] = field(default_factory=list)
    # What could not be verified, in plain words (not a failure).
    notes: list[str] = field(default_factory=list)
    chain_head: str = audit.GENESIS
    events: int = 0
    records: int = 0
    last_event_id: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"OK: {self.records:,} records match their audited state; "
                f"{self.events:,} audit events, chain head {self.chain_head}"
            )
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        return f"FAILED: {self.problems[0]}{tail}"


def _sqlite_problems(conn: Connection) -> list[Problem]:
    rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).all()]
    if rows == ["ok"]:
        return []
    first = rows[0] if rows else "no answer"
    return [Problem("file", f"SQLite integrity check failed: {first}")]


def _chain_problems(conn: Connection) -> tuple[str, list[Problem]]:
    head, broken = audit.verify_chain(conn)
    if broken is None:
        return head, []
    message = f"{_describe_event(conn, broken.event_id)}: {broken.reason}"
    return head, [Problem("chain", message, broken.event_id)]


class _Recording(dict[str, Any]):
    """A record that remembers which keys ``derive_use`` wrote."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.written: set[str] = set()

    def __setitem__(self, key: str, value: Any) -> None:
        self.written.add(key)
        super().__setitem__(key, value)


def _method_version(method: str) -> str:
    return method.split("+", 1)[0]


_FACTORS = tuple(f.name for f in fields(ExposureFactors))
_BY_VALUE = tuple(name for name in _FACTORS if name != "people_affected")


def scoring_key(record: Mapping[str, Any]) -> tuple[object, ...]:
    """Uses whose keys are equal score alike (exposure, tier, range; not the words):
    people affected count only through their band (``reach_level``). A test holds the
    scoring to this; ``check`` scores each key once."""
    people = record.get("people_affected")
    valid = isinstance(people, int) and not isinstance(people, bool) and people >= 0
    reach = ("band", reach_level(people)) if valid else ("as given", people)  # type: ignore[arg-type]
    return (reach, *(record.get(name) for name in _BY_VALUE))


def _derived_problems(
    conn: Connection, service: RegisterService, limit: int
) -> tuple[list[Problem], list[str]]:
    """Recompute every use's derived values with the service's own scoring."""
    config = service.scoring_config(conn)
    table = table_of("ai_use")
    factors = list(_FACTORS)
    # What ``derive_use`` writes (it reads only the factors): probed on a blank use, so
    # only those columns, the factors and a name are read, not all 58.
    probe = _Recording(dict.fromkeys(factors))
    service.derive_use(probe, config)
    wanted = dict.fromkeys(["id", *NAME_FIELDS, *factors, *sorted(probe.written)])
    result = conn.execute(
        select(*(table.c[n] for n in wanted if n in table.c)).order_by(table.c.id)
    )
    names = list(result.keys())
    problems: list[Problem] = []
    older: list[str] = []
    # Uses with the same scoring key share their derived values (57 distinct keys among
    # 100,000 demo uses), so each is scored once.
    derived: dict[tuple[object, ...], dict[str, Any]] = {}
    for row in result.yield_per(_BATCH):
        if len(problems) >= limit:
            break
        stored = dict(zip(names, row, strict=True))
        key = scoring_key(stored)
        expected = derived.get(key)
        if expected is None:
            scored = _Recording(stored)
            service.derive_use(scored, config)
            expected = derived[key] = {k: scored[k] for k in scored.written}
        fields_ = sorted(k for k, v in expected.items() if v != stored.get(k))
        if not fields_:
            continue
        if _method_version(str(stored.get("score_method", ""))) != _method_version(
            str(expected.get("score_method", stored.get("score_method", "")))
        ) and str(stored.get("score_method", "")).startswith("exposure-"):
            # Scored by an earlier method version: not recomputable here, not forged.
            older.append(str(stored["id"]))
            continue
        ident = str(stored["id"])
        shown = ", ".join(
            f"{f} stored {_short(_normal({f: stored.get(f)})[f])}, "
            f"scoring gives {_short(_normal({f: expected[f]})[f])}"
            for f in fields_
        )
        problems.append(
            Problem(
                "derived",
                f"{record_label('ai_use', ident, stored)}: derived values do not follow "
                f"from the record ({shown}); written behind the scoring's back",
                None,
                "ai_use",
                ident,
            )
        )
    notes = []
    if older:
        notes.append(
            f"{len(older)} AI use(s) were scored by an earlier scoring method; their "
            "exposure and tier were not recomputed (re-save the scoring settings to "
            "rescore them)"
        )
    return problems, notes


def _on_chain(conn: Connection, heads: set[str]) -> set[str]:
    """Which of ``heads`` are hashes of events on the chain (one scan, not a set of every
    hash: 600,000 of them at 100,000 uses)."""
    found: set[str] = set()
    wanted = sorted(heads)
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        found.update(conn.execute(select(EVENTS.c.hash).where(EVENTS.c.hash.in_(chunk))).scalars())
    return found


def _pack_problems(conn: Connection) -> list[Problem]:
    packs = table_of("board_pack")
    heads = {r[0] or "" for r in conn.execute(select(packs.c.chain_head))}
    chain = _on_chain(conn, heads - {audit.GENESIS})
    problems: list[Problem] = []
    for row in conn.execute(select(packs).order_by(packs.c.id)).mappings():
        head = row["chain_head"] or ""
        if head == audit.GENESIS or head in chain:
            continue
        at = row["exported_at"]
        when = at.date().isoformat() if isinstance(at, dt.datetime) else str(at)[:10]
        problems.append(
            Problem(
                "pack",
                f"board pack {row['id']} ({when}) printed chain head {head[:16]}…, which is "
                "not on the audit chain any more: the trail was rewritten after that pack",
                None,
                "board_pack",
                str(row["id"]),
            )
        )
    return problems


def _anchor_checks(register: Register, conn: Connection, report: IntegrityReport) -> None:
    if register.path is None or not register.is_sqlite:
        report.notes.append(
            "server database: no record of its chain is kept on this machine; truncation "
            "or a rewritten chain is left to the server's own controls"
        )
        return
    anchor = anchors.load(register.path)
    if anchor is None:
        report.notes.append(
            "this machine has no earlier record of this register's audit chain, so a "
            "truncated or rewritten chain could not be compared against one"
        )
        return
    found, last_id, count = chain_position(conn, anchor.event_id)
    problem = anchors.mismatch(anchor, found, last_id, count)
    if problem:
        report.problems.append(Problem("anchor", problem, anchor.event_id))
        return
    if last_id > anchor.event_id:
        actors = sorted(
            {
                r[0] or "unknown"
                for r in conn.execute(
                    select(EVENTS.c.actor).where(EVENTS.c.id > anchor.event_id).distinct()
                )
            }
        )
        report.notes.append(
            f"audit events {anchor.event_id + 1}–{last_id} (by {', '.join(actors[:5])}) "
            "were written since riskdesk on this machine last saw the register (another "
            "copy of riskdesk, or someone who knows the algorithm: they look the same)"
        )


def check_register(
    register: Register, *, limit: int = 100, remember: bool = True
) -> IntegrityReport:
    """Run every check; collect up to ``limit`` problems per stage, first problem first.

    A clean result on a file is remembered as this machine's anchor (``remember``), so
    later truncation or rewriting of what was verified today is caught.
    """
    report = IntegrityReport()
    service = RegisterService(register)
    try:
        with register.engine.connect() as conn:
            if register.is_sqlite:
                report.problems += _sqlite_problems(conn)
                if report.problems:  # a damaged file: reading further may mislead
                    return report
                report.problems += schema_problems(conn)
            count = conn.execute(select(func.count()).select_from(EVENTS)).scalar()
            report.events = int(count or 0)
            report.last_event_id = int(conn.execute(select(func.max(EVENTS.c.id))).scalar() or 0)
            report.chain_head, chain = _chain_problems(conn)
            report.problems += chain
            _anchor_checks(register, conn, report)
            report.problems += _pack_problems(conn)
            for entity in AUDITED:
                records, found = _record_problems(conn, entity, limit)
                report.records += records
                report.problems += found
            derived, notes = _derived_problems(conn, service, limit)
            report.problems += derived
            report.notes += notes
            # Evidence files (issue 18): each blob against the SHA-256 it is stored under.
            from riskdesk.service.evidence import blob_problems

            for blob in blob_problems(conn, limit):
                report.problems.append(
                    Problem("evidence", str(blob), None, "evidence", str(blob.evidence_id))
                )
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        report.problems.append(Problem("file", f"The register could not be read: {reason}"))
    if report.ok and remember and not register.read_only and report.last_event_id:
        record_anchor(register, report.last_event_id, report.chain_head)
    return report


__all__ = [
    "AUDITED",
    "FieldChange",
    "HeadCheck",
    "HistoryEntry",
    "IntegrityReport",
    "Problem",
    "chain_head",
    "check_register",
    "field_changes",
    "key_text",
    "record_history",
    "record_label",
    "verify_head",
]
