"""What each workbook sheet holds: its columns, in order, and how each maps to the register.

This is the contract the Excel export writes and the re-import reads
(docs/export-format.md describes it for people). Every column names the model field it comes from:

- a plain field name (``name``, ``owner_first_id``) maps 1:1 to that column of the
  sheet's entity;
- ``<ref>.name`` (``owner_first_id.name``) is the *name* of the record an id refers to,
  shown beside the id for people; on re-import the id column wins;
- ``derived`` columns (scores, bands, counts, gaps) are computed by riskdesk and are
  ignored on re-import;
- ``link`` columns list the ids of a link table (``risk_control``, ``incident_risk``)
  as comma-separated numbers.

Enumerations are written as their labels (``Stage.PRODUCTION.label``); any label or
value parses back with ``LabelledEnum.parse``.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskdesk import enums

# Custom document property "riskdesk_format" of every workbook: bump when columns change,
# so an older riskdesk can say that a newer export holds columns it does not know.
FORMAT_VERSION = "3"  # 3: the Evidence sheet and the controls' evidence columns

# Column kinds: id, ref (id of another record), int, text, long (wrapped), enum, bool,
# optbool, date, datetime, name (of a referenced record), ids (link table).
WIDTHS = {
    "id": 8,
    "ref": 9,
    "int": 11,
    "text": 22,
    "long": 48,
    "enum": 20,
    "bool": 11,
    "optbool": 11,
    "date": 12,
    "datetime": 18,
    "name": 22,
    "ids": 16,
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    enum: type[enums.LabelledEnum] | None = None
    derived: bool = False
    link: str = ""  # link table for kind "ids"
    width: float | None = None

    @property
    def col_width(self) -> float:
        return self.width if self.width is not None else WIDTHS[self.kind]


@dataclass(frozen=True)
class Sheet:
    name: str
    entity: str  # the model the rows come from ("" for derived sheets)
    columns: tuple[Column, ...]
    freeze: str = "C2"  # header row and the id + name columns stay in view


def _c(
    header: str,
    field: str,
    kind: str,
    enum: type[enums.LabelledEnum] | None = None,
    *,
    derived: bool = False,
    link: str = "",
    width: float | None = None,
) -> Column:
    return Column(header, field, kind, enum, derived, link, width)


def _owner(line: str, field: str) -> tuple[Column, Column]:
    return _c(f"{line} owner ID", field, "ref"), _c(f"{line} owner", f"{field}.name", "name")


E = enums
# issue 17: the agent facts, due diligence and concentration, the model catalogue and
# each agent's permission inventory.
_AGENT_USE_COLUMNS: tuple[Column, ...] = (
    _c("Model ID", "model_id", "ref"),
    _c("Catalogued model", "model_id.name", "name", width=18),
    _c("Human approval for destructive actions", "human_approval_destructive", "optbool"),
    _c("Credentials scoped to the agent", "credentials_scoped", "optbool"),
    _c("Action logging", "action_logging", "optbool"),
    _c("Fallback", "fallback", "long", width=30),
    _c("Permissions last reviewed", "permissions_reviewed_on", "date"),
)
_VENDOR_COLUMNS: tuple[Column, ...] = (
    _c("DPA signed", "dpa_signed", "optbool"),
    _c("Security review", "security_review_on", "date"),
    _c("Security review result", "security_review_result", "text"),
    _c("Data location", "data_location", "text"),
    _c("Sub-processors", "sub_processors", "long", width=30),
    _c("Contract end", "contract_end", "date"),
    _c("Exit plan", "exit_plan", "long", width=30),
    _c("Incident contact", "incident_contact", "text"),
    _c("Uses depending on it (incl. through others)", "dependent_uses", "int", derived=True),
    _c("People affected through it", "dependent_people", "int", derived=True),
    _c("High/Critical uses depending on it", "dependent_high", "int", derived=True),
    _c("Dependent uses without fallback", "dependent_no_fallback", "int", derived=True),
)
_CATALOGUE_SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Models",
        "ai_model",
        (
            _c("ID", "id", "id"),
            _c("Name", "name", "text", width=26),
            _c("Provider ID", "provider_id", "ref"),
            _c("Provider", "provider_id.name", "name", width=16),
            _c("Version", "model_version", "text", width=14),
            _c("Notes", "notes", "long"),
        ),
    ),
    Sheet(
        "Agent permissions",
        "agent_permission",
        (
            _c("ID", "id", "id"),
            _c("System or tool", "system", "text", width=30),
            _c("Use ID", "use_id", "ref"),
            _c("Use", "use_id.name", "name", width=28),
            _c("Access", "access", "enum", E.PermissionAccess, width=14),
            _c("Environment", "environment", "enum", E.PermissionEnvironment, width=18),
            _c("Needed for the task", "needed", "optbool"),
            _c("Approved by ID", "approved_by_id", "ref"),
            _c("Approved by", "approved_by_id.name", "name"),
            _c("Last reviewed", "last_reviewed", "date"),
            _c("Reviewed by ID", "reviewed_by_id", "ref"),
            _c("Reviewed by", "reviewed_by_id.name", "name"),
            _c("Notes", "notes", "long"),
        ),
    ),
)
# issue 18: the evidence kept in the register (current revisions), for reading only:
# files travel in the CSV export and ``riskdesk export --format evidence``.
EVIDENCE_SHEET = Sheet(
    "Evidence",
    "",
    (
        _c("ID", "id", "id"),
        _c("Title", "title", "text", width=34),
        _c("Kind", "kind", "enum", E.EvidenceKind, derived=True, width=16),
        _c("Status", "status", "text", width=14),
        _c("Valid until", "valid_until", "date"),
        _c("Dated", "dated", "date"),
        _c("Supports", "supports", "long", width=40),
        _c("File name", "file_name", "text", width=24),
        _c("Size (bytes)", "size", "int", width=12),
        _c("SHA-256", "sha256", "text", width=66),
        _c("Added by", "added_by", "text", width=22),
        _c("Added (UTC)", "added_at", "datetime"),
        _c("Revision of ID", "replaces_id", "ref", width=10),
    ),
)
SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "AI Uses",
        "ai_use",
        (
            _c("ID", "id", "id"),
            _c("Name", "name", "text", width=34),
            _c("Tier", "tier", "enum", E.Tier, derived=True, width=11),
            _c("Exposure", "exposure", "int", derived=True, width=10),
            _c("Department", "department", "text", width=18),
            _c("Stage", "stage", "enum", E.Stage, width=12),
            _c("Purpose", "purpose", "long"),
            _c("Sourcing", "sourcing", "enum", E.Sourcing),
            _c("Vendor ID", "vendor_id", "ref"),
            _c("Vendor", "vendor_id.name", "name", width=16),
            _c("Model", "model_name", "text", width=18),
            _c("Model version", "model_version", "text", width=12),
            _c("Users", "users", "text"),
            _c("People affected a year", "people_affected", "int", width=12),
            _c("Affected groups", "affected_groups", "text"),
            _c("Part in decisions", "decision_role", "enum", E.DecisionRole, width=24),
            _c("Human oversight", "human_oversight", "enum", E.HumanOversight, width=18),
            _c("Autonomy", "autonomy", "enum", E.Autonomy, width=26),
            _c("Agent permissions", "agent_permissions", "long", width=30),
            _c("Permissions reviewed", "permissions_reviewed", "bool"),
            _c("Data sensitivity", "data_sensitivity", "enum", E.DataSensitivity, width=24),
            _c("Children's data", "childrens_data", "bool"),
            _c("Worst plausible harm", "harm_severity", "enum", E.HarmSeverity, width=14),
            _c("Reversibility", "reversibility", "enum", E.Reversibility, width=15),
            _c("Rights-impacting", "rights_impacting", "bool"),
            _c("Safety-impacting", "safety_impacting", "bool"),
            _c("Public-facing", "public_facing", "optbool"),
            _c("Generative", "generative", "optbool"),
            _c("EU AI Act class", "eu_ai_act_class", "enum", E.EUAIActClass, width=22),
            _c("EU AI Act basis", "eu_ai_act_basis", "text", width=16),
            _c("Dev/prod separated", "dev_prod_separated", "optbool"),
            _c("Rollback plan", "rollback_plan", "long", width=30),
            _c("Kill switch", "kill_switch", "long", width=30),
            _c("Monitoring", "monitoring", "long", width=30),
            _c("Reported to board", "board_reporting", "bool"),
            *_owner("1st-line", "owner_first_id"),
            *_owner("2nd-line", "owner_second_id"),
            *_owner("3rd-line", "owner_third_id"),
            _c("Go-live", "go_live", "date"),
            _c("Last review", "last_review", "date"),
            _c("Next review", "next_review", "date"),
            _c("Needs re-review", "needs_rereview", "bool"),
            _c("Notes", "notes", "long"),
            _c("Score method", "score_method", "text", derived=True, width=14),
            _c("Imported source record", "source_record", "long", width=30),
            _c("Created (UTC)", "created_at", "datetime", derived=True),
            _c("Updated (UTC)", "updated_at", "datetime", derived=True),
            *_AGENT_USE_COLUMNS,  # issue 17
        ),
    ),
    Sheet(
        "Risks",
        "risk",
        (
            _c("ID", "id", "id"),
            _c("Use ID", "use_id", "ref"),
            _c("Use", "use_id.name", "name", width=28),
            _c("Title", "title", "text", width=34),
            _c("Description", "description", "long"),
            _c("Framework refs", "taxonomy_refs", "text", width=18),
            _c("Inherent likelihood", "inherent_likelihood", "int"),
            _c("Inherent impact", "inherent_impact", "int"),
            _c("Inherent score", "inherent_score", "int", derived=True),
            _c("Inherent band", "inherent_band", "enum", E.Band, derived=True, width=11),
            _c("Residual likelihood", "residual_likelihood", "int"),
            _c("Residual impact", "residual_impact", "int"),
            _c("Residual score", "residual_score", "int", derived=True),
            _c("Residual band", "residual_band", "enum", E.Band, derived=True, width=11),
            _c("Target likelihood", "target_likelihood", "int"),
            _c("Target impact", "target_impact", "int"),
            _c("Treatment", "treatment", "enum", E.Treatment, width=12),
            _c("Status", "status", "enum", E.RiskStatus, width=12),
            _c("Owner ID", "owner_id", "ref"),
            _c("Owner", "owner_id.name", "name"),
            _c("Due date", "due_date", "date"),
            _c("Accepted by ID", "accepted_by_id", "ref"),
            _c("Accepted by", "accepted_by_id.name", "name"),
            _c("Acceptance rationale", "acceptance_rationale", "long", width=30),
            _c("Acceptance expires", "acceptance_expires", "date"),
            _c("Control IDs", "control_ids", "ids", link="risk_control"),
            _c("Created (UTC)", "created_at", "datetime", derived=True),
        ),
    ),
    Sheet(
        "Controls",
        "control",
        (
            _c("ID", "id", "id"),
            _c("Name", "name", "text", width=34),
            _c("Description", "description", "long"),
            _c("Type", "control_type", "enum", E.ControlType, width=12),
            _c("Status", "status", "enum", E.ControlStatus, width=12),
            _c("Owner ID", "owner_id", "ref"),
            _c("Owner", "owner_id.name", "name"),
            _c("Framework refs", "framework_refs", "text", width=24),
            _c("Last tested", "last_tested", "date"),
            _c("Test every (months)", "test_every_months", "int"),
            _c("Evidence", "evidence", "long", width=30),
            # issue 18: what the register holds, beside what the text above claims
            _c("Evidence files", "evidence_files", "int", derived=True, width=10),
            _c("Evidence check", "evidence_check", "text", derived=True, width=20),
        ),
    ),
    Sheet(
        "Accountability",
        "ai_use",
        (
            _c("Use ID", "id", "id"),
            _c("Use", "name", "text", width=34),
            _c("Tier", "tier", "enum", E.Tier, derived=True, width=11),
            _c("Exposure", "exposure", "int", derived=True, width=10),
            _c("Department", "department", "text", width=18),
            *_owner("1st-line", "owner_first_id"),
            *_owner("2nd-line", "owner_second_id"),
            *_owner("3rd-line", "owner_third_id"),
            _c("Next review", "next_review", "date"),
            _c("Open gaps", "gap_count", "int", derived=True, width=10),
        ),
    ),
    Sheet(
        "People",
        "person",
        (
            _c("ID", "id", "id"),
            _c("Name", "name", "text", width=26),
            _c("Email", "email", "text", width=30),
            _c("Title", "title", "text", width=34),
            _c("Department", "department", "text", width=18),
            _c("Default line", "default_line", "enum", E.Line, width=12),
            _c("Has left", "has_left", "bool"),
            _c("Notes", "notes", "long"),
        ),
    ),
    Sheet(
        "Vendors",
        "vendor",
        (
            _c("ID", "id", "id"),
            _c("Name", "name", "text", width=26),
            _c("Kind", "kind", "enum", E.VendorKind, width=16),
            _c("Notes", "notes", "long"),
            _c("AI uses", "use_count", "int", derived=True),
            *_VENDOR_COLUMNS,  # issue 17
        ),
    ),
    *_CATALOGUE_SHEETS,  # issue 17
    Sheet(
        "Incidents",
        "incident",
        (
            _c("ID", "id", "id"),
            _c("Title", "title", "text", width=34),
            _c("Use ID", "use_id", "ref"),
            _c("Use", "use_id.name", "name", width=28),
            _c("Kind", "kind", "enum", E.IncidentKind, width=12),
            _c("Occurred on", "occurred_on", "date"),
            _c("Severity", "severity", "enum", E.Severity, width=11),
            _c("People affected", "people_affected", "int"),
            _c("Description", "description", "long"),
            _c("Actions", "actions", "long", width=30),
            _c("May be reportable", "reportable", "bool"),
            _c("Reported on", "reported_on", "date"),
            _c("Risk IDs", "risk_ids", "ids", link="incident_risk"),
        ),
    ),
    Sheet(
        "Challenges",
        "challenge",
        (
            _c("ID", "id", "id"),
            _c("Question", "question", "long", width=40),
            _c("Use ID", "use_id", "ref"),
            _c("Use", "use_id.name", "name", width=28),
            _c("Risk ID", "risk_id", "ref"),
            _c("Raised by ID", "raised_by_id", "ref"),
            _c("Raised by", "raised_by_id.name", "name"),
            _c("Raised on", "raised_on", "date"),
            _c("Severity", "severity", "enum", E.Severity, width=11),
            _c("Status", "status", "enum", E.ChallengeStatus, width=12),
            _c("Answer", "answer", "long", width=40),
            _c("Answered by ID", "answered_by_id", "ref"),
            _c("Answered by", "answered_by_id.name", "name"),
            _c("Resolution", "resolution", "long", width=30),
            _c("Resolved on", "resolved_on", "date"),
            _c("Snapshot when raised (JSON)", "snapshot_raised", "text", width=14),
            _c("Snapshot when resolved (JSON)", "snapshot_resolved", "text", width=14),
        ),
    ),
    Sheet(
        "Gaps",
        "",
        (
            _c("Use ID", "use_id", "id"),
            _c("Use", "use_name", "text", width=34),
            _c("Tier", "tier", "enum", E.Tier, derived=True, width=11),
            _c("Department", "department", "text", width=18),
            _c("1st-line owner ID", "owner_first_id", "ref"),
            _c("1st-line owner", "owner_first_id.name", "name"),
            _c("Gap code", "rung", "text", width=20),
            _c("Gap", "title", "text", width=30),
            _c("Why", "reason", "long", width=60),
            _c("Required from tier", "tier_required", "enum", E.Tier, width=12),
            _c("About", "subject", "text", width=24),
        ),
    ),
    EVIDENCE_SHEET,  # issue 18
)
SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

# The public header → field map (the re-import's contract): sheet name → columns.
SHEET_COLUMNS: dict[str, tuple[Column, ...]] = {s.name: s.columns for s in SHEETS}
# Every sheet in workbook order; "Summary" is a key/value sheet, "Lists" holds the
# drop-down values and is hidden.
SHEET_ORDER: tuple[str, ...] = ("Summary", *(s.name for s in SHEETS), "Lists")

# Enumerations offered as drop-downs, one column each on the hidden Lists sheet.
LIST_ENUMS: tuple[type[enums.LabelledEnum], ...] = tuple(
    dict.fromkeys(c.enum for s in SHEETS for c in s.columns if c.enum is not None and not c.derived)
)
