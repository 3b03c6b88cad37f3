"""The fields an import can fill, what type each holds, and the words people use for them.

Field names are exactly ``AIUse``'s (see ``store/models.py``), plus four the service
layer resolves into rows of their own (``vendor_name`` and the three owners' names)
and ``impact_type``, a one-column "rights-impacting / safety-impacting / both /
neither" answer that fills ``rights_impacting`` and ``safety_impacting``.
Fields the register derives or links itself (ids, exposure, tier, timestamps,
``source_record``) are not importable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from riskdesk.enums import (
    Autonomy,
    DataSensitivity,
    DecisionRole,
    EUAIActClass,
    HarmSeverity,
    HumanOversight,
    LabelledEnum,
    Reversibility,
    Sourcing,
    Stage,
)


class Kind(StrEnum):
    TEXT = "text"  # one line: whitespace collapsed
    LONG_TEXT = "long_text"  # paragraphs kept
    INT = "int"
    BOOL = "bool"
    OPTIONAL_BOOL = "optional_bool"  # yes / no / not known
    DATE = "date"
    ENUM = "enum"
    IMPACT = "impact"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: Kind
    label: str
    enum: type[LabelledEnum] | None = None


IMPACT_FIELD = "impact_type"
# The exposure factors and the floors' inputs: a blank or unreadable answer is
# *unknown* (None, "not answered yet"), never the lowest level and never a rejected row.
FACTOR_FIELDS = frozenset(
    {
        "people_affected",
        "decision_role",
        "autonomy",
        "data_sensitivity",
        "childrens_data",
        "harm_severity",
        "reversibility",
        "rights_impacting",
        "safety_impacting",
        "eu_ai_act_class",
        "impact_type",
    }
)
# Facts about a use that are not exposure factors but have no safe default either: an
# answer riskdesk cannot read is left *not stated* (the model's default) with a warning,
# never a guess (sourcing "SaaS embedded", public-facing or generative "no") nor a
# rejected row.
NOT_STATED_FIELDS = frozenset({"sourcing", "public_facing", "generative"})
# Kinds whose answers are one of a few choices: a mapping may translate each answer.
CHOICE_KINDS = frozenset({"enum", "bool", "optional_bool", "impact"})
UNKNOWN = "unknown"  # a value map's target for "this answer says nothing"
RELATIONAL_FIELDS = ("vendor_name", "owner_first_name", "owner_second_name", "owner_third_name")
REQUIRED_FIELD = "name"

FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec(Kind.TEXT, "Name"),
    "purpose": FieldSpec(Kind.LONG_TEXT, "Purpose"),
    "department": FieldSpec(Kind.TEXT, "Department"),
    "stage": FieldSpec(Kind.ENUM, "Stage", Stage),
    "sourcing": FieldSpec(Kind.ENUM, "How it is built or bought", Sourcing),
    "vendor_name": FieldSpec(Kind.TEXT, "Vendor"),
    "model_name": FieldSpec(Kind.TEXT, "Model"),
    "model_version": FieldSpec(Kind.TEXT, "Model version"),
    "users": FieldSpec(Kind.TEXT, "Who uses it"),
    "people_affected": FieldSpec(Kind.INT, "People affected per year"),
    "affected_groups": FieldSpec(Kind.TEXT, "Affected groups"),
    "decision_role": FieldSpec(Kind.ENUM, "Role in decisions", DecisionRole),
    "human_oversight": FieldSpec(Kind.ENUM, "Human oversight", HumanOversight),
    "autonomy": FieldSpec(Kind.ENUM, "Autonomy", Autonomy),
    "agent_permissions": FieldSpec(Kind.LONG_TEXT, "Agent tools and permissions"),
    "permissions_reviewed": FieldSpec(Kind.BOOL, "Permissions reviewed"),
    "data_sensitivity": FieldSpec(Kind.ENUM, "Data sensitivity", DataSensitivity),
    "childrens_data": FieldSpec(Kind.BOOL, "Children's data"),
    "harm_severity": FieldSpec(Kind.ENUM, "Severity of harm", HarmSeverity),
    "reversibility": FieldSpec(Kind.ENUM, "Reversibility", Reversibility),
    "rights_impacting": FieldSpec(Kind.BOOL, "Rights-impacting"),
    "safety_impacting": FieldSpec(Kind.BOOL, "Safety-impacting"),
    IMPACT_FIELD: FieldSpec(Kind.IMPACT, "Rights-/safety-impacting (one column)"),
    "public_facing": FieldSpec(Kind.OPTIONAL_BOOL, "Public-facing"),
    "generative": FieldSpec(Kind.OPTIONAL_BOOL, "Generative AI"),
    "eu_ai_act_class": FieldSpec(Kind.ENUM, "EU AI Act class", EUAIActClass),
    "eu_ai_act_basis": FieldSpec(Kind.TEXT, "EU AI Act basis"),
    "dev_prod_separated": FieldSpec(Kind.OPTIONAL_BOOL, "Dev and prod separated"),
    "rollback_plan": FieldSpec(Kind.LONG_TEXT, "Rollback plan"),
    "kill_switch": FieldSpec(Kind.LONG_TEXT, "Kill switch"),
    "monitoring": FieldSpec(Kind.LONG_TEXT, "Monitoring"),
    "board_reporting": FieldSpec(Kind.BOOL, "Reported to the board"),
    "owner_first_name": FieldSpec(Kind.TEXT, "Owner (1st line)"),
    "owner_second_name": FieldSpec(Kind.TEXT, "Reviewer (2nd line)"),
    "owner_third_name": FieldSpec(Kind.TEXT, "Assurance (3rd line)"),
    "go_live": FieldSpec(Kind.DATE, "Go-live date"),
    "last_review": FieldSpec(Kind.DATE, "Last review"),
    "next_review": FieldSpec(Kind.DATE, "Next review"),
    "needs_rereview": FieldSpec(Kind.BOOL, "Needs re-review"),
    "notes": FieldSpec(Kind.LONG_TEXT, "Notes"),
    # issue 17: per-agent facts and the use's fallback
    "human_approval_destructive": FieldSpec(
        Kind.OPTIONAL_BOOL, "Human approval for destructive actions"
    ),
    "credentials_scoped": FieldSpec(Kind.OPTIONAL_BOOL, "Credentials scoped to the agent"),
    "action_logging": FieldSpec(Kind.OPTIONAL_BOOL, "Agent actions logged"),
    "fallback": FieldSpec(Kind.LONG_TEXT, "Fallback if the provider fails"),
    "permissions_reviewed_on": FieldSpec(Kind.DATE, "Permissions last reviewed"),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(";") if word.strip())


# Header words per field, compared after ``header_key`` normalisation (case,
# punctuation and spacing ignored; a leading question number like "2_" dropped).
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": _words(
        "name; use case; use case name; ai use case; ai use; use name; ai system; "
        "ai system name; system; tool; ai tool; tool name; title; application; "
        "application name; ai application; use case title"
    ),
    "purpose": _words(
        "purpose; description; summary; use case description; what it does; "
        "what is it used for; intended use; intended purpose; purpose and benefits; "
        "objective; use case summary; problem solved"
    ),
    "department": _words(
        "department; dept; bureau; division; team; business unit; unit; office; agency; "
        "directorate; function; school; faculty; service area; org unit; "
        "organisational unit; organizational unit; bureau component; area"
    ),
    "stage": _words(
        "stage; lifecycle stage; life cycle stage; status; development stage; "
        "stage of development; lifecycle; phase; deployment status; lifecycle status"
    ),
    "sourcing": _words(
        "sourcing; build or buy; built or bought; how built; development method; "
        "how it is built or bought; procurement type; source type; delivery model"
    ),
    "vendor_name": _words(
        "vendor; vendor name; vendors; supplier; supplier name; provider; provider name; "
        "company; model provider; platform; vendor s name"
    ),
    "model_name": _words("model; model name; ai model; underlying model; foundation model; llm"),
    "model_version": _words("model version; version"),
    "users": _words("users; used by; who uses it; operators; user group; user groups"),
    "people_affected": _words(
        "people affected; number of people affected; people affected per year; "
        "affected people; reach; number affected; individuals affected; "
        "population affected; people impacted; people reached; annual reach; "
        "students affected; pupils affected; users affected; how many people"
    ),
    "affected_groups": _words(
        "affected groups; who is affected; groups affected; impacted groups; "
        "affected parties; data subjects; affected population"
    ),
    "decision_role": _words(
        "decision role; role in decisions; decision making; decision type; role in decision making"
    ),
    "human_oversight": _words("human oversight; oversight; human in the loop; hitl; human review"),
    "autonomy": _words("autonomy; autonomy level; level of autonomy"),
    "agent_permissions": _words(
        "agent permissions; permissions; tools and permissions; tool access; agent tools; "
        "agent tools and permissions"
    ),
    "permissions_reviewed": _words(
        "permissions reviewed; least privilege review; access reviewed; least privilege reviewed"
    ),
    "data_sensitivity": _words(
        "data sensitivity; data classification; sensitivity; data category; "
        "data categories; personal data"
    ),
    "childrens_data": _words(
        "children s data; childrens data; children data; student data; pupil data; "
        "minors data; involves children; children"
    ),
    "harm_severity": _words(
        "harm severity; severity; severity of harm; potential harm; impact severity; "
        "worst case harm"
    ),
    "reversibility": _words("reversibility; reversible; can harm be reversed"),
    "rights_impacting": _words("rights impacting; affects rights; rights impacting ai"),
    "safety_impacting": _words("safety impacting; affects safety; safety impacting ai"),
    IMPACT_FIELD: _words(
        "impact type; rights or safety impacting; rights safety impacting; "
        "rights and safety impacting; rights safety"
    ),
    "public_facing": _words("public facing; customer facing; external facing; public"),
    "generative": _words("generative; generative ai; genai; gen ai; uses generative ai"),
    "eu_ai_act_class": _words(
        "eu ai act class; eu ai act; eu ai act risk class; ai act class; "
        "ai act classification; ai act category; eu ai act category; eu ai act risk"
    ),
    "eu_ai_act_basis": _words("eu ai act basis; ai act basis; annex; legal basis"),
    "dev_prod_separated": _words(
        "dev prod separated; dev prod separation; separate environments; "
        "environment separation; dev and prod separated"
    ),
    "rollback_plan": _words("rollback plan; rollback; fallback; fallback plan; contingency"),
    "kill_switch": _words("kill switch; off switch; shutdown procedure; how to switch off"),
    "monitoring": _words("monitoring; monitoring plan; how monitored; performance monitoring"),
    "board_reporting": _words("board reporting; reported to board; reported to the board"),
    # issue 17
    "human_approval_destructive": _words(
        "human approval for destructive actions; approval for destructive actions; "
        "destructive actions approved"
    ),
    "credentials_scoped": _words("credentials scoped to the agent; agent credentials scoped"),
    "action_logging": _words("action logging; agent actions logged; agent action log"),
    "fallback": _words("fallback if the provider fails; provider fallback; alternative provider"),
    "permissions_reviewed_on": _words("permissions last reviewed; permission review date"),
    "owner_first_name": _words(
        "owner; business owner; 1st line owner; first line owner; 1st line; first line; "
        "use owner; accountable owner; system owner; responsible person; "
        "accountable person; owner 1st line"
    ),
    "owner_second_name": _words(
        "2nd line; second line; 2nd line reviewer; second line reviewer; reviewer; "
        "risk reviewer; compliance reviewer; reviewer 2nd line"
    ),
    "owner_third_name": _words(
        "3rd line; third line; internal audit; auditor; assurance; 3rd line assurance; "
        "third line assurance; assurance 3rd line"
    ),
    "go_live": _words(
        "go live; go live date; live date; launch date; deployed on; date implemented; "
        "implementation date; deployment date; in use since; date deployed; "
        "operational date"
    ),
    "last_review": _words(
        "last review; last reviewed; reviewed on; last review date; date of last review"
    ),
    "next_review": _words("next review; next review date; review due; due for review; review date"),
    "needs_rereview": _words("needs rereview; needs re review"),
    "notes": _words("notes; comments; remarks; additional information; other information"),
}


def _answers(**by_value: str) -> dict[str, str]:
    """``value="answer; answer"`` -> ``{answer: value}``."""
    return {answer: value for value, text in by_value.items() for answer in _words(text)}


# Extra answers accepted per enumeration, keyed by ``values.enum_key`` (lower case,
# hyphens/underscores as spaces). Values and labels are always accepted as well.
VALUE_SYNONYMS: dict[type[LabelledEnum], dict[str, str]] = {
    Stage: _answers(
        idea="planned; planning; proposed; proposal; ideation; concept; initiated; "
        "initiation; under consideration; exploring; exploration; discovery; not started",
        development="in development; developing; build; building; under development; "
        "acquisition and/or development; acquisition and or development; "
        "development and acquisition; acquisition; procurement; pre deployment; design",
        pilot="piloting; trial; in trial; testing; in testing; test; proof of concept; poc; "
        "implementation and assessment; implementation; evaluation; beta; "
        "limited deployment",
        production="live; in production; in use; deployed; operational; "
        "operation and maintenance; operations and maintenance; operation and management; "
        "in operation; active; in mission; rolled out; in service; used; production use",
        retired="decommissioned; discontinued; sunset; sunsetted; withdrawn; inactive; "
        "switched off; ended; stopped",
    ),
    Sourcing: _answers(
        saas_embedded="saas; embedded; vendor product; commercial; cots; off the shelf; "
        "commercial off the shelf; bought; purchased; purchased from a vendor; "
        "vendor purchased",
        vendor_api="api; vendor api; third party api; model api",
        open_model="open source; open weights; self hosted; open source model",
        fine_tuned="fine tuned model; customised model; customized model",
        in_house="in house; built in house; internal; developed in house; custom; bespoke; "
        "own build; in house development",
    ),
    DecisionRole: _answers(
        none="no decisions; not used for decisions",
        informs_staff="informs; information only; advisory; supports staff",
        recommends="recommendation; recommendations; suggests",
        decides_with_review="decides with review; decides with human review; "
        "automated with review; semi automated",
        decides_automatically="decides; automated decision; fully automated; automatic; automated",
    ),
    HumanOversight: _answers(
        in_the_loop="hitl; in the loop",
        on_the_loop="hotl; on the loop",
        none="no oversight; no human oversight; fully automated",
    ),
    Autonomy: _answers(
        none="no autonomy",
        assistive="suggests; copilot; assistant; suggest only",
        agent_read="agent read only; read only agent; read only",
        agent_write_approval="agent with approval; agent writes with approval; write with approval",
        agent_autonomous="autonomous; fully autonomous; autonomous agent",
    ),
    DataSensitivity: _answers(
        public="public data; open; open data",
        internal="internal only; business; internal data",
        personal="personal data; pii; personally identifiable information; personal information",
        sensitive="sensitive personal data; sensitive data",
        children_special="children; childrens data; children s data; student data; "
        "pupil data; special category; special category data; health data",
    ),
    HarmSeverity: _answers(
        negligible="very low; none; insignificant",
        minor="low",
        moderate="medium; moderate",
        serious="high; major; significant",
        severe="very high; critical; catastrophic",
    ),
    Reversibility: _answers(
        reversible="yes; easily reversed; easily reversible",
        hard_to_reverse="partly; partially; partially reversible; difficult; hard",
        irreversible="no; permanent; not reversible",
    ),
    EUAIActClass: _answers(
        minimal="minimal risk; low risk; no obligations",
        transparency="limited; limited risk; transparency risk; article 50",
        high_risk="high; high risk; annex iii; annex 3",
        prohibited="unacceptable; unacceptable risk; article 5; banned",
    ),
}
