"""What each OMB inventory looks like: which header fills which riskdesk field, and
how its answers translate into riskdesk's values (2023, 2024, 2025 and the 2025 COTS
list). The 2025 columns and answers come from OMB's own data dictionary, shipped as
``omb_2025_dictionary.json``. See ``omb`` for the choices made here.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from riskdesk.importers.values import header_key, value_key

DICTIONARY_2025 = "omb_2025_dictionary.json"


@dataclass(frozen=True)
class Role:
    field: str
    label: str = ""
    translate: dict[str, str | None] = dataclasses.field(default_factory=dict)
    keep_original: bool = False


# --- 2023 (EO 13960) ------------------------------------------------------------------

_STAGE_2023: dict[str, str | None] = {
    "Planned (not in production)": "idea",
    "Development (not in production)": "development",
    "Initial development": "development",
    "Currently under development": "development",
    "Proof-of-concept completed": "pilot",
    "Proof of Concept completed and published": "pilot",
    "Investigating/Proof of concept": "pilot",
    "This is a pilot initiative": "pilot",
    "Successfully tested but not in production": "pilot",
    "Deployment": "production",
    "In production: more than 1 year": "production",
    "In production: less than one year": "production",
    "In production: less than six months": "production",
    "In production: less than 6 months": "production",
}

ROLES_2023: dict[str, Role] = {
    "Title": Role("name"),
    "Department_Code": Role("department"),
    "Agency": Role("department"),
    "Office": Role("department"),
    "Summary": Role("purpose"),
    "Development_Stage": Role("stage", translate=_STAGE_2023, keep_original=True),
}
SIGNATURE_2023 = (
    "Use_Case_ID", "Department_Code", "Agency", "Office", "Title", "Summary",
    "Development_Stage", "Techniques", "Source_Code", "Department",
)  # fmt: skip

# --- 2024 (M-24-10): coded headers and question-text headers ---------------------------

_BUILT_FOR_AGENCY = "in_house"
_DEV_METHOD_2024: dict[str, str | None] = {
    "Developed with contracting resources.": _BUILT_FOR_AGENCY,
    "Developed in-house.": _BUILT_FOR_AGENCY,
    "Developed with both contracting and in-house resources.": _BUILT_FOR_AGENCY,
    "Developed with a combination of in-house and contract/external resources.": _BUILT_FOR_AGENCY,
    "No contract/external resources used in development.": _BUILT_FOR_AGENCY,
    "Exclusively developed with contract/external resources.": _BUILT_FOR_AGENCY,
    "Data not reported by submitter and will be updated once additional information is "
    "collected": None,
}
_AUTONOMY_2024: dict[str, str | None] = {
    "No - Some individual decisions or actions require direct human oversight.": "in_the_loop",
    "Yes - All individual decisions or actions are automated and may be rendered without "
    "direct human interaction.": "none",
    "Other – Immediate human intervention is not practicable; however, an appropriate "
    "fail-safe has been implemented.": "on_the_loop",
    "AI is not safety or rights-impacting.": None,
}

# (coded header, question-text header, role)
ROLES_2024: tuple[tuple[str, str, Role], ...] = (
    ("2_use_case_name", "Use Case Name", Role("name")),
    ("3_abr", "Agency Abbreviation", Role("department")),
    ("4_bureau", "Bureau", Role("department")),
    (
        "11_purpose_benefits",
        "What is the intended purpose and expected benefits of the AI?",
        Role("purpose"),
    ),
    ("12_outputs", "Describe the AI system’s outputs.", Role("purpose", label="Outputs")),
    (
        "16_dev_stage",
        "Stage of Development",
        Role(
            "stage",
            translate={"Research or Administrative Action Complete": "retired"},
            keep_original=True,
        ),
    ),
    (
        "17_impact_type",
        "Is the AI use case rights-impacting, safety-impacting, both, or neither?",
        Role("impact_type", keep_original=True),
    ),
    ("20_date_implemented", "Date Implemented", Role("go_live", keep_original=True)),
    (
        "22_dev_method",
        "Was the AI system involved in this use case developed (or is it to be developed) "
        "under contract(s) or in-house?",
        Role("sourcing", translate=_DEV_METHOD_2024, keep_original=True),
    ),
    (
        "24_hisp_support",
        "Is this AI use case supporting a High-Impact Service Provider (HISP) public-facing "
        "service?",
        Role("public_facing", keep_original=True),
    ),
    (
        "27_public_info",
        "Does this AI use case disseminate information to the public?",
        Role("public_facing", keep_original=True),
    ),
    (
        "29_contains_pii",
        "Does this AI use case involve personally identifiable information (PII) that is "
        "maintained by the agency?",
        Role(
            "data_sensitivity", translate={"Yes": "personal", "No": "internal"}, keep_original=True
        ),
    ),
    (
        "54_key_risks",
        "What are the key risks from using the AI for this particular use case and how were "
        "they identified?",
        Role("notes", label="Key risks"),
    ),
    (
        "56_monitor_postdeploy",
        "Is there a process to monitor performance of the AI system’s functionality and "
        "changes to its impact on rights or safety as part of the post-deployment plan for "
        "the AI use case?",
        Role("monitoring"),
    ),
    (
        "57_autonomous_impact",
        "For this particular use case, can the AI carry out a decision or action without "
        "direct human involvement that could result in a significant impact on rights or "
        "safety?",
        Role("human_oversight", translate=_AUTONOMY_2024, keep_original=True),
    ),
    (
        "61_adverse_impact",
        "Is the AI used to significantly influence or inform decisions or actions that could "
        "have an adverse or negative impact on specific individuals or groups?",
        Role("decision_role", translate={"Yes": "recommends", "No": None}, keep_original=True),
    ),
)
# Headers that mark the format but fill nothing (kept in ``extra``).
MARKERS_2024 = (
    ("3_agency", "Agency"),
    ("8_topic_area", "Use Case Topic Area"),
    ("18_date_initiated", "Date Initiated"),
    ("19_date_acq_dev_began", "Date when Acquisition and/or Development began"),
    ("21_date_retired", "Date Retired"),
    (
        "23_contract_piids",
        "Provide the Procurement Instrument Identifier(s) (PIID) of the contract(s) used.",
    ),
    (
        "40_has_ato",
        "Does this AI use case have an associated Authority to Operate (ATO) for an AI system?",
    ),
)

# --- 2025 (M-25-21) -------------------------------------------------------------------

# dictionary field -> (riskdesk field, label, answer -> riskdesk value). Answers are the
# dictionary's short-hand codes (or its valid selections where it has none); "*" is any
# other answer the dictionary knows.
ROLES_2025: dict[str, tuple[str, str, dict[str, str | None]]] = {
    "use_case_name": ("name", "", {}),
    "agency": ("department", "", {}),  # added by OMB when consolidating; not in the dictionary
    "agency_bureau": ("department", "", {}),
    "problem_solved": ("purpose", "", {}),
    "benefits": ("purpose", "Benefits", {}),
    "system_outputs": ("purpose", "Outputs", {}),
    "development_stage": (
        "stage",
        "",
        {
            "Pre-deployment": "development",
            "Pilot": "pilot",
            "Deployed": "production",
            "Retired": "retired",
        },
    ),
    "is_high_impact": (
        "impact_type",
        "",
        {
            "High-impact": "rights",
            "Presumed High-Impact, but Not High-impact": "neither",
            "Not High-impact": "neither",
        },
    ),
    "operational_date": ("go_live", "", {}),
    "contracting_usage": (
        "sourcing",
        "",
        {
            "Vendor Purchased": "saas_embedded",
            "In-house Development": _BUILT_FOR_AGENCY,
            "Contracting and In House": _BUILT_FOR_AGENCY,
        },
    ),
    "vendor_name": ("vendor_name", "", {}),
    "has_pii": ("data_sensitivity", "", {"Yes": "personal", "No": "internal"}),
    "classification": ("generative", "", {"Generative AI": "yes", "*": "no"}),
    "hi_potential_impacts": ("notes", "Potential impacts", {}),
    "hi_ongoing_monitoring": ("monitoring", "", {}),
}
_AGENCY_COLUMNS_2025 = {"agency": "agency", "agency name": "agency_name"}
_LETTER_PREFIX = re.compile(r"^[a-z]\)\s*", re.IGNORECASE)

# The 2025 commercial-AI (COTS) list.
ROLES_COTS: dict[str, Role] = {
    "Agency": Role("department"),
    "AI Use Case": Role("name"),
    "Name of Commercial Product or Service Used": Role(
        "vendor_name",
        translate={"Various": None, "None": None, "Unknown": None},
        keep_original=True,
    ),
}
COTS_USE_COLUMN = "Agency Use (Y/N)?"
SIGNATURE_COTS = (*ROLES_COTS, COTS_USE_COLUMN, "Estimated # of Licenses/Users")


@cache
def dictionary_2025() -> dict[str, Any]:
    """OMB's 2025 data dictionary, as shipped with riskdesk."""
    text = resources.files("riskdesk.importers").joinpath(DICTIONARY_2025).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def aliases_2025() -> dict[str, str]:
    """Header key -> dictionary field, from each field's name and Excel question."""
    aliases: dict[str, str] = {}
    for name, spec in dictionary_2025().items():
        aliases.setdefault(header_key(name), name)
        question = str(spec.get("excel_header") or "")
        if question:
            aliases.setdefault(header_key(question), name)
            first_paragraph = re.split(r"\n\s*\n", question.strip())[0]
            aliases.setdefault(header_key(first_paragraph), name)
    for key, name in _AGENCY_COLUMNS_2025.items():
        aliases.setdefault(key, name)
    return aliases


def translate_2025(name: str, wanted: dict[str, str | None]) -> dict[str, str | None]:
    """Every answer the dictionary knows for ``name``, to riskdesk's value.

    The dictionary gives canonical answers (``valid_selections``), their short-hand
    codes, and the variants agencies actually wrote (``recoding_map``).
    """
    if not wanted:
        return {}
    spec = dictionary_2025().get(name, {})
    recoding: dict[str, list[str]] = spec.get("recoding_map") or {}
    short: dict[str, str] = spec.get("short_hand_recodings") or {}
    canonical = [*spec.get("valid_selections", []), *recoding, *short]
    by_key = {value_key(k): v for k, v in wanted.items()}
    out: dict[str, str | None] = {}
    for answer in dict.fromkeys(canonical):
        code = short.get(answer, answer)
        if value_key(code) in by_key:
            target = by_key[value_key(code)]
        elif value_key(answer) in by_key:
            target = by_key[value_key(answer)]
        elif "*" in wanted:
            target = wanted["*"]
        else:
            continue
        for variant in (answer, code, _LETTER_PREFIX.sub("", answer), *recoding.get(answer, [])):
            out.setdefault(variant, target)
    for answer, target in wanted.items():  # the codes themselves, and "*"
        out.setdefault(answer, target)
    return out
