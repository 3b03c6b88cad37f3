"""unknown is not low: exposure factors may be unanswered; uses carry an assessment state

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 03:30:00

Until now every exposure factor had a default (fewer than 100 people, no part in
decisions, no autonomy, internal data, minor harm, reversible, not rights- or
safety-impacting) and a use nobody had assessed was scored on those defaults as if they
were answers: Low. The factors (and the floors' inputs) become nullable, ``None``
meaning "not answered yet", and each use gains its assessment state and the provisional
range its known answers allow.

Which of today's values become unknown — the rule:

* A factor becomes unknown only where there is no evidence it was answered: it holds
  the old default **and** no audit event ever changed any of the use's exposure
  factors. An ``update`` event that changed a factor comes from the use editor or the
  classifier, both of which show every factor together, so whoever saved it saw the
  defaults and kept them: all the use's factors count as answered. A ``create`` event
  is no evidence (a new use, an import or the demo wrote the defaults unasked).
* A factor that holds anything but its default was answered and is kept.
* The EU AI Act class "not assessed" was always an explicit unknown: it becomes NULL.

Every use is then rescored with this release's scoring and the register's own scoring
settings (method ``exposure-2``), and each rewritten use gets an audit event (actor
"riskdesk upgrade 0003"), so ``riskdesk check`` still finds every record as audited.
"""

import datetime as dt
import json
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "riskdesk upgrade 0003"

# The defaults riskdesk wrote for a factor nobody answered (schema 0001/0002).
OLD_DEFAULTS: dict[str, Any] = {
    "people_affected": 0,
    "decision_role": "none",
    "autonomy": "none",
    "data_sensitivity": "internal",
    "childrens_data": False,
    "harm_severity": "minor",
    "reversibility": "reversible",
    "rights_impacting": False,
    "safety_impacting": False,
    "eu_ai_act_class": "not_assessed",
}
_STRING_FACTORS = ("decision_role", "autonomy", "data_sensitivity", "harm_severity")
_BOOL_FACTORS = ("childrens_data", "rights_impacting", "safety_impacting")


def upgrade() -> None:
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        batch_op.alter_column("people_affected", existing_type=sa.Integer(), nullable=True)
        for name in (*_STRING_FACTORS, "reversibility", "eu_ai_act_class"):
            batch_op.alter_column(name, existing_type=sa.String(), nullable=True)
        for name in _BOOL_FACTORS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)
        batch_op.alter_column("exposure", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("assessment", sa.String(), nullable=False, server_default="not_assessed")
        )
        batch_op.add_column(sa.Column("exposure_low", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("exposure_high", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tier_low", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("tier_high", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_ai_use_assessment"), ["assessment"], unique=False)
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.alter_column("exposure", existing_type=sa.Integer(), nullable=True)
    _unknown_where_unanswered(op.get_bind())


def _answered_uses(conn: sa.Connection, events: sa.Table) -> set[str]:
    """Ids of uses whose factors an update event ever changed (see the docstring)."""
    found: set[str] = set()
    stmt = sa.select(events.c.entity_id, events.c.before, events.c.after).where(
        events.c.entity == "ai_use", events.c.action == "update"
    )
    for entity_id, before_text, after_text in conn.execute(stmt):
        if entity_id in found:
            continue
        before = json.loads(before_text) if before_text else {}
        after = json.loads(after_text) if after_text else {}
        if any(before.get(name) != after.get(name) for name in OLD_DEFAULTS):
            found.add(entity_id)
    return found


def _unknown_where_unanswered(conn: sa.Connection) -> None:
    from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
    from riskdesk.scoring.exposure import ExposureFactors, assess_exposure
    from riskdesk.service import audit

    meta = sa.MetaData()
    uses = sa.Table("ai_use", meta, autoload_with=conn)
    events = sa.Table("audit_event", meta, autoload_with=conn)
    settings = sa.Table("setting", meta, autoload_with=conn)
    stored = conn.execute(sa.select(settings.c.value).where(settings.c.key == "scoring")).scalar()
    config = ScoringConfig.from_json(stored) if stored else DEFAULT_CONFIG

    answered = _answered_uses(conn, events)
    pending: list[audit.PendingEvent] = []
    updates: list[dict[str, Any]] = []
    for row in conn.execute(sa.select(uses).order_by(uses.c.id)).mappings():
        before = dict(row)
        after = dict(row)
        for name, default in OLD_DEFAULTS.items():
            if (name == "eu_ai_act_class" and after[name] == default) or (
                str(row["id"]) not in answered and after[name] == default
            ):
                after[name] = None
        result = assess_exposure(ExposureFactors.from_obj(SimpleNamespace(**after)), config)
        after.update(
            exposure=result.exposure,
            tier=result.tier.value,
            assessment=result.status.value,
            exposure_low=result.low.score,
            exposure_high=result.high.score,
            tier_low=result.low.tier.value,
            tier_high=result.high.tier.value,
            score_method=result.method,
        )
        if after != before:
            updates.append(after)
            pending.append(audit.PendingEvent("update", "ai_use", str(row["id"]), before, after))
    if not updates:
        return
    columns = [c.name for c in uses.c if c.name != "id"]
    stmt = (
        sa.update(uses)
        .where(uses.c.id == sa.bindparam("_key"))
        .values({c: sa.bindparam(c) for c in columns})
    )
    conn.execute(stmt, [{"_key": u["id"], **{c: u[c] for c in columns}} for u in updates])
    audit.append(conn, ACTOR, pending, at=dt.datetime.now(dt.UTC))


def downgrade() -> None:
    # Schema 0002 cannot hold "unknown": the old defaults come back (and with them the
    # old, misleading Low), and the assessment columns go.
    conn = op.get_bind()
    for name, default in OLD_DEFAULTS.items():
        conn.execute(sa.text(f"UPDATE ai_use SET {name} = :v WHERE {name} IS NULL"), {"v": default})
    conn.execute(
        sa.text("UPDATE ai_use SET exposure = COALESCE(exposure_low, 0) WHERE exposure IS NULL")
    )
    conn.execute(
        sa.text("UPDATE ai_use SET tier = COALESCE(tier_low, 'low') WHERE tier = 'not_assessed'")
    )
    conn.execute(sa.text("UPDATE review SET exposure = 0 WHERE exposure IS NULL"))
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.alter_column("exposure", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_use_assessment"))
        for name in ("tier_high", "tier_low", "exposure_high", "exposure_low", "assessment"):
            batch_op.drop_column(name)
        batch_op.alter_column("exposure", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("people_affected", existing_type=sa.Integer(), nullable=False)
        for name in (*_STRING_FACTORS, "reversibility", "eu_ai_act_class"):
            batch_op.alter_column(name, existing_type=sa.String(), nullable=False)
        for name in _BOOL_FACTORS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
