"""Agent permissions: the inventory's gaps, and the least-privilege review as a record.

An agent meets risk where it acts on systems (OWASP Agentic Top 10 2026: ASI02 tool
misuse, ASI03 identity and privilege abuse). These gaps come from recorded facts and
hold at *every* tier where the facts apply: a Low-tier agent that can run migrations on
production without anyone approving is no less dangerous for being Low. They add gaps;
they never change the exposure score or the tier (``tier_notes`` says so in "why this
tier").

A fact nobody gave stays unknown: ``human_approval_destructive`` None is not "no", but
an agent that acts without approval and has destructive production access with that
fact unknown is still a gap (the fact must be known), worded as "not recorded".
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from riskdesk.enums import (
    Autonomy,
    PermissionAccess,
    PermissionEnvironment,
    ReviewOutcome,
    Stage,
    Tier,
)
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.scoring.ladder import AGENT_LEVELS, Gap, add_months, cadence_words
from riskdesk.service.errors import FieldProblem, NotFoundError, ValidationError

if TYPE_CHECKING:  # the writer (and sqlmodel) only when used: `summary` reads constants here
    from riskdesk.service.register import ActionResult, RegisterService


def table_of(entity: str) -> Any:
    """``fileformat.schema.table_of``, loaded on first use: it imports every model."""
    from riskdesk.fileformat.schema import table_of as loaded

    return loaded(entity)


# Access that can change or destroy what it touches (reads and messages are not here:
# sending messages and spending money are their own gaps through ``needed``).
# A review's verdict on one permission: an outcome, or ("reduced", what it becomes).
Decision = str | tuple[str, Mapping[str, Any]]

DESTRUCTIVE: frozenset[str] = frozenset(
    {PermissionAccess.WRITE.value, PermissionAccess.DELETE.value, PermissionAccess.EXECUTE.value}
)


@dataclass(frozen=True)
class AgentRung:
    code: str
    title: str
    requirement: str
    refs: tuple[str, ...]  # OWASP Agentic / NIST AI RMF / NIST AI 600-1 item refs


AGENT_RUNGS: dict[str, AgentRung] = {
    r.code: r
    for r in (
        AgentRung(
            "agent_prod_unapproved",
            "Agent changes production without approval",
            "An agent with write, delete or execute access to production needs a human "
            "to approve destructive actions",
            ("ASI02", "ASI03", "MANAGE 2.4", "MAP 3.5", "600-1.7"),
        ),
        AgentRung(
            "agent_dev_prod",
            "Agent's dev and prod not separated",
            "The agent works in development separated from production",
            ("ASI02", "MEASURE 2.7", "600-1.9"),
        ),
        AgentRung(
            "agent_permission_unneeded",
            "Agent holds a permission not known to be needed",
            "Every permission an agent holds is needed for its task (least privilege)",
            ("ASI03", "MEASURE 2.7", "600-1.9"),
        ),
        AgentRung(
            "agent_permission_review",
            "Agent permissions not reviewed on cadence",
            "Every permission is reviewed within the tier's review cadence",
            ("ASI03", "GOVERN 1.5", "600-1.9"),
        ),
        AgentRung(
            "agent_kill_switch",
            "Autonomous agent without kill switch",
            "An agent that acts without approval has a kill switch, at every tier",
            ("ASI02", "MANAGE 2.4", "600-1.7"),
        ),
    )
}


def is_agent(use: Any) -> bool:
    return Autonomy.parse(use.autonomy) in AGENT_LEVELS


def acts_without_approval(use: Any) -> bool:
    return Autonomy.parse(use.autonomy) is Autonomy.AGENT_AUTONOMOUS


def approval_for_destructive(use: Any) -> bool | None:
    """Whether a human approves destructive actions; None: nobody has said.

    "Agent — writes with approval" says so by its autonomy level when the fact itself
    is blank; an explicit answer always wins.
    """
    given = getattr(use, "human_approval_destructive", None)
    if given is not None:
        return bool(given)
    if Autonomy.parse(use.autonomy) is Autonomy.AGENT_WRITE_APPROVAL:
        return True
    return None


def production_destructive(permissions: Sequence[Any]) -> list[Any]:
    return [
        p
        for p in permissions
        if p.access in DESTRUCTIVE and p.environment == PermissionEnvironment.PRODUCTION.value
    ]


def _permission_words(p: Any) -> str:
    env = PermissionEnvironment(p.environment).label.lower() if p.environment else "unknown"
    return f"{p.system} ({PermissionAccess(p.access).label.lower()}, {env})"


def agent_gaps(
    use: Any,
    permissions: Sequence[Any],
    today: dt.date,
    config: ScoringConfig = DEFAULT_CONFIG,
    tier: Tier | str | None = None,
) -> list[Gap]:
    """The agent-permission gaps for one use (empty for non-agents and retired uses)."""
    if Stage.parse(use.stage) is Stage.RETIRED or not is_agent(use):
        return []
    tier_ = Tier(Tier.parse(tier if tier is not None else use.tier).value)
    gaps: list[Gap] = []

    def add(code: str, reason: str, subject: str = "") -> None:
        rung = AGENT_RUNGS[code]
        gaps.append(Gap(code, rung.title, reason, Tier.LOW, subject))

    risky = production_destructive(permissions)
    approval = approval_for_destructive(use)
    if risky and approval is not True:
        held = "; ".join(_permission_words(p) for p in risky)
        if approval is False:
            reason = (
                f"Can change production with no human approval for destructive actions: {held}."
            )
        else:
            reason = (
                "Can change production and nobody has recorded whether a human approves "
                f"destructive actions: {held}."
            )
        add("agent_prod_unapproved", reason)
    if getattr(use, "dev_prod_separated", None) is False:
        add(
            "agent_dev_prod",
            "Development and production are not separated: a mistake made while building "
            "lands on live systems.",
        )
    for p in permissions:
        if p.needed is not True:
            state = "not needed" if p.needed is False else "not known to be needed"
            add(
                "agent_permission_unneeded",
                f"{_permission_words(p)} is {state} for the task but is granted; remove it "
                "or record why it is needed.",
                p.system,
            )
    if permissions:
        months = config.review_months_for(tier_)
        cadence = f"a {tier_.label}-tier use is reviewed {cadence_words(months)}"
        never = [p for p in permissions if p.last_reviewed is None]
        if never:
            names = ", ".join(p.system for p in never)
            add("agent_permission_review", f"Never reviewed: {names} ({cadence}).")
        else:
            oldest = min(p.last_reviewed for p in permissions)
            due = add_months(oldest, months)
            if due < today:
                add(
                    "agent_permission_review",
                    f"Oldest permission review {oldest.isoformat()} was due again by "
                    f"{due.isoformat()} ({cadence}).",
                )
    # From High the ladder's own kill-switch rung already asks; below it, an agent
    # acting without approval still needs one.
    below_ladder = tier_.ordinal() < config.rung_tier("kill_switch").ordinal()
    if acts_without_approval(use) and not (use.kill_switch or "").strip() and below_ladder:
        add(
            "agent_kill_switch",
            "Acts without approval and no kill switch is recorded: who can stop it, and how?",
        )
    return gaps


def tier_notes(use: Any, permissions: Sequence[Any]) -> list[str]:
    """Lines for "why this tier": what the agent facts do (gaps), and do not do (score)."""
    if not is_agent(use):
        return []
    notes = [
        "Agent permissions add gaps at every tier where they apply; they do not change "
        "the exposure score or the tier."
    ]
    risky = production_destructive(permissions)
    if risky:
        notes.append(
            f"{len(risky)} permission(s) can write, delete or execute on production; "
            "human approval for destructive actions: "
            + {True: "yes", False: "no", None: "not recorded"}[approval_for_destructive(use)]
            + "."
        )
    return notes


def permissions_by_use(conn: Connection, use_ids: list[int] | None) -> dict[int, list[Any]]:
    table = table_of("agent_permission")
    stmt = select(table).order_by(table.c.use_id, table.c.id)
    if use_ids is not None:
        stmt = stmt.where(table.c.use_id.in_(use_ids))
    out: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(stmt).mappings():
        out[row["use_id"]].append(SimpleNamespace(**row))
    return out


def permissions(service: RegisterService, use_id: int) -> list[dict[str, Any]]:
    return service.rows("agent_permission", order_by="id", use_id=use_id)


def record_permission_review(
    service: RegisterService,
    use_id: int,
    *,
    reviewer_id: int | None,
    reviewed_on: dt.date,
    decisions: Mapping[int, Decision],
    notes: str = "",
) -> int:
    """Record a least-privilege review: every permission kept, reduced or removed.

    ``decisions`` maps each of the use's permission ids to an outcome, or to
    ``("reduced", {"access": ..., "environment": ..., "needed": ...})`` with what it is
    reduced to. One audited action: the review record, each permission's change, and
    the use marked reviewed. Returns the review's id.
    """
    result = permission_review_action(
        service,
        use_id,
        reviewer_id=reviewer_id,
        reviewed_on=reviewed_on,
        decisions=decisions,
        notes=notes,
    )
    return int(result.created_id)


def permission_review_action(
    service: RegisterService,
    use_id: int,
    *,
    reviewer_id: int | None,
    reviewed_on: dt.date,
    decisions: Mapping[int, Decision],
    notes: str = "",
) -> ActionResult:
    """``record_permission_review`` as an undoable action (the GUI's undo stack)."""
    held = {p["id"]: p for p in permissions(service, use_id)}
    if set(decisions) != set(held):
        missing = sorted(set(held) - set(decisions))
        extra = sorted(set(decisions) - set(held))
        reason = f"must decide every permission of the use once (missing {missing}, "
        raise ValidationError(
            [FieldProblem("decisions", reason + f"not this use's {extra})")], "permission_review"
        )
    with service.action() as uow:
        if not uow.exists("ai_use", use_id):
            raise NotFoundError(f"AI use {use_id} does not exist")
        record: list[dict[str, Any]] = []
        for pid, decision in sorted(decisions.items()):
            outcome_text, changes = (
                (decision, {}) if isinstance(decision, str) else (decision[0], dict(decision[1]))
            )
            outcome = ReviewOutcome(ReviewOutcome.parse(outcome_text).value)
            before = held[pid]
            entry: dict[str, Any] = {
                "permission": pid,
                "system": before["system"],
                "outcome": outcome.value,
                "access": before["access"],
                "environment": before["environment"],
            }
            if outcome is ReviewOutcome.REMOVED:
                uow.delete("agent_permission", pid)
            else:
                if outcome is ReviewOutcome.KEPT and changes:
                    raise ValidationError(
                        [FieldProblem("decisions", f"permission {pid} is kept: nothing changes")],
                        "permission_review",
                    )
                update = {**changes, "last_reviewed": reviewed_on, "reviewed_by_id": reviewer_id}
                uow.update("agent_permission", pid, update)
                after = uow.row("agent_permission", pid) or {}
                entry["to_access"] = after.get("access")
                entry["to_environment"] = after.get("environment")
            record.append(entry)
        uow.create(
            "permission_review",
            {
                "use_id": use_id,
                "reviewed_on": reviewed_on,
                "reviewer_id": reviewer_id,
                "decisions": json.dumps(record, sort_keys=True),
                "notes": notes,
            },
        )
        # On the use itself too, so the review shows in the use's own history.
        uow.update(
            "ai_use", use_id, {"permissions_reviewed": True, "permissions_reviewed_on": reviewed_on}
        )
        return uow.result


def permission_reviews(service: RegisterService, use_id: int) -> list[dict[str, Any]]:
    rows = service.rows("permission_review", order_by="reviewed_on", use_id=use_id)
    for row in rows:
        row["decisions"] = json.loads(row["decisions"] or "[]")
    return rows


def agent_overview(service: RegisterService, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per agent use: facts, permissions and agent findings (``riskdesk agents``)."""
    today = today or dt.date.today()
    config = service.scoring_config()
    uses_t = table_of("ai_use")
    with service.engine.connect() as conn:
        # Uses stored as plainly not agents are left in the database (issue 19).
        plain = [a.value for a in Autonomy if a not in AGENT_LEVELS]
        stmt = select(uses_t).where(uses_t.c.autonomy.not_in(plain)).order_by(uses_t.c.id)
        rows = conn.execution_options(yield_per=2000).execute(stmt)
        # Only the agents are kept (issue 19): not every use of a 100,000-use register.
        agent_rows = (
            r for r in rows.mappings() if is_agent(SimpleNamespace(autonomy=r["autonomy"]))
        )
        uses = [SimpleNamespace(**r) for r in agent_rows]
        perms = permissions_by_use(conn, None)
    out: list[dict[str, Any]] = []
    for use in uses:
        if not is_agent(use) or Stage.parse(use.stage) is Stage.RETIRED:
            continue
        held = perms.get(use.id, [])
        out.append(
            {
                "use_id": use.id,
                "use": use.name,
                "tier": use.tier,
                "autonomy": use.autonomy,
                "human_approval_destructive": approval_for_destructive(use),
                "dev_prod_separated": use.dev_prod_separated,
                "credentials_scoped": use.credentials_scoped,
                "kill_switch": bool((use.kill_switch or "").strip()),
                "action_logging": use.action_logging,
                "permissions": [
                    {
                        "system": p.system,
                        "access": p.access,
                        "environment": p.environment,
                        "needed": p.needed,
                        "last_reviewed": p.last_reviewed.isoformat() if p.last_reviewed else None,
                    }
                    for p in held
                ],
                "findings": [
                    {
                        "code": g.rung,
                        "title": g.title,
                        "reason": g.reason,
                        "refs": list(AGENT_RUNGS[g.rung].refs),
                    }
                    for g in agent_gaps(use, held, today, config)
                ],
                "why_this_tier": tier_notes(use, held),
            }
        )
    return out


def tier_notes_for(
    service: RegisterService, use_id: int | None, record: Mapping[str, Any]
) -> list[str]:
    """``tier_notes`` for a use being edited: ``record`` holds its (unsaved) values."""
    use = SimpleNamespace(**record)
    if not is_agent(use):
        return []
    held = (
        [SimpleNamespace(**p) for p in permissions(service, use_id)] if use_id is not None else []
    )
    return tier_notes(use, held)
