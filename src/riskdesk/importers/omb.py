"""The US federal AI use-case inventories (OMB), and the one entry point for any import.

Formats, recognised from their headers:

- ``omb-2023``: the EO 13960 consolidated inventory (``Use_Case_ID``, ``Title``…).
- ``omb-2024``: the M-24-10 inventory, with coded headers (``2_use_case_name``…) or
  with the question text as headers (the January 2025 "v2" release).
- ``omb-2025``: the M-25-21 inventory. Its columns are resolved at run time from OMB's
  data dictionary (shipped as ``omb_2025_dictionary.json``): a column matches a field
  by its snake_case name, its Excel question text or that text's first paragraph, and
  answers are read through the dictionary's own recoding maps. Only the small
  ``_ROLES_2025`` table below says which dictionary field fills which riskdesk field,
  so any file in that schema imports with no code for that file. The 2025
  commercial-AI (COTS) list is read as ``omb-2025`` too; rows where the agency says it
  does not use the product (or does not answer) are left out, with a warning.

What fits riskdesk is mapped (name; agency abbreviation and bureau -> department,
e.g. "DHS / CBP"; purpose, benefits and outputs -> purpose; stage; rights-/safety-
impacting; PII -> personal data; vendor; go-live date…); every other column is kept in
``extra`` (stored as the use's ``source_record``), and so is the original answer of
every column whose answer was translated. Choices:

- Systems developed under contract, in house or both are all ``in_house`` (built for
  the agency, not a product it bought); "Purchased from a vendor" is ``saas_embedded``.
- 2025 "High-impact" sets ``rights_impacting``: M-25-21 folds rights- and
  safety-impacting into one category and riskdesk's exposure floor is the same for
  either flag. "Presumed high-impact, but determined not" is neither.
- Answers riskdesk cannot read ("too new to assess", a free-text stage) leave the field
  at its default with a warning, because nobody can correct a public inventory.
- Rows naming the same agency and use twice stay two rows, each with a warning.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from riskdesk.enums import Stage
from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.mapped_rows import apply_mapping, check_mapping
from riskdesk.importers.mapping import (
    STAGE_NOT_STATED,
    ColumnMap,
    MappedRow,
    Mapping,
    is_known_header,
    suggest_mapping,
)
from riskdesk.importers.tables import RawTable, read_table
from riskdesk.importers.translation import Suggestion, suggest_value_maps
from riskdesk.importers.values import header_key, value_key

EXAMPLE_ROWS = 5  # rows named in a warning that applies to many
FORMATS = ("auto", "table", "omb-2023", "omb-2024", "omb-2025")
OMB_FORMATS = ("omb-2023", "omb-2024", "omb-2025")
DICTIONARY_2025 = "omb_2025_dictionary.json"


@dataclass(frozen=True)
class _Role:
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

_ROLES_2023: dict[str, _Role] = {
    "Title": _Role("name"),
    "Department_Code": _Role("department"),
    "Agency": _Role("department"),
    "Office": _Role("department"),
    "Summary": _Role("purpose"),
    "Development_Stage": _Role("stage", translate=_STAGE_2023, keep_original=True),
}
_SIGNATURE_2023 = (
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
_ROLES_2024: tuple[tuple[str, str, _Role], ...] = (
    ("2_use_case_name", "Use Case Name", _Role("name")),
    ("3_abr", "Agency Abbreviation", _Role("department")),
    ("4_bureau", "Bureau", _Role("department")),
    (
        "11_purpose_benefits",
        "What is the intended purpose and expected benefits of the AI?",
        _Role("purpose"),
    ),
    ("12_outputs", "Describe the AI system’s outputs.", _Role("purpose", label="Outputs")),
    (
        "16_dev_stage",
        "Stage of Development",
        _Role(
            "stage",
            translate={"Research or Administrative Action Complete": "retired"},
            keep_original=True,
        ),
    ),
    (
        "17_impact_type",
        "Is the AI use case rights-impacting, safety-impacting, both, or neither?",
        _Role("impact_type", keep_original=True),
    ),
    ("20_date_implemented", "Date Implemented", _Role("go_live", keep_original=True)),
    (
        "22_dev_method",
        "Was the AI system involved in this use case developed (or is it to be developed) "
        "under contract(s) or in-house?",
        _Role("sourcing", translate=_DEV_METHOD_2024, keep_original=True),
    ),
    (
        "24_hisp_support",
        "Is this AI use case supporting a High-Impact Service Provider (HISP) public-facing "
        "service?",
        _Role("public_facing", keep_original=True),
    ),
    (
        "27_public_info",
        "Does this AI use case disseminate information to the public?",
        _Role("public_facing", keep_original=True),
    ),
    (
        "29_contains_pii",
        "Does this AI use case involve personally identifiable information (PII) that is "
        "maintained by the agency?",
        _Role(
            "data_sensitivity", translate={"Yes": "personal", "No": "internal"}, keep_original=True
        ),
    ),
    (
        "54_key_risks",
        "What are the key risks from using the AI for this particular use case and how were "
        "they identified?",
        _Role("notes", label="Key risks"),
    ),
    (
        "56_monitor_postdeploy",
        "Is there a process to monitor performance of the AI system’s functionality and "
        "changes to its impact on rights or safety as part of the post-deployment plan for "
        "the AI use case?",
        _Role("monitoring"),
    ),
    (
        "57_autonomous_impact",
        "For this particular use case, can the AI carry out a decision or action without "
        "direct human involvement that could result in a significant impact on rights or "
        "safety?",
        _Role("human_oversight", translate=_AUTONOMY_2024, keep_original=True),
    ),
    (
        "61_adverse_impact",
        "Is the AI used to significantly influence or inform decisions or actions that could "
        "have an adverse or negative impact on specific individuals or groups?",
        _Role("decision_role", translate={"Yes": "recommends", "No": None}, keep_original=True),
    ),
)
# Headers that mark the format but fill nothing (kept in ``extra``).
_MARKERS_2024 = (
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
_ROLES_2025: dict[str, tuple[str, str, dict[str, str | None]]] = {
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
_ROLES_COTS: dict[str, _Role] = {
    "Agency": _Role("department"),
    "AI Use Case": _Role("name"),
    "Name of Commercial Product or Service Used": _Role(
        "vendor_name",
        translate={"Various": None, "None": None, "Unknown": None},
        keep_original=True,
    ),
}
_COTS_USE_COLUMN = "Agency Use (Y/N)?"
_SIGNATURE_COTS = (*_ROLES_COTS, _COTS_USE_COLUMN, "Estimated # of Licenses/Users")


@cache
def dictionary_2025() -> dict[str, Any]:
    """OMB's 2025 data dictionary, as shipped with riskdesk."""
    text = resources.files("riskdesk.importers").joinpath(DICTIONARY_2025).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _aliases_2025() -> dict[str, str]:
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


def _translate_2025(name: str, wanted: dict[str, str | None]) -> dict[str, str | None]:
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


# --- detection ------------------------------------------------------------------------


# Headers any register might have: they count towards a format but cannot decide it.
_COMMON_HEADERS = frozenset(
    header_key(h)
    for h in (
        "Title", "Summary", "Department", "Agency", "Agency name", "Office", "Bureau", "id",
        "Use Case Name", "Stage of Development", "Development Stage", "Vendor name",
        "Date Implemented", "Use Case Topic Area", "AI Use Case",
    )
)  # fmt: skip


@dataclass(frozen=True)
class _Signature:
    format: str
    variant: str
    keys: frozenset[str]
    name_key: str
    min_match: int

    def matches(self, present: set[str]) -> int:
        """How many of the format's headers ``present`` has; 0 unless it surely is this."""
        found = present & self.keys
        distinctive = found - _COMMON_HEADERS
        if self.name_key not in present or len(found) < self.min_match or not distinctive:
            return 0
        return len(found)


@cache
def _signatures() -> tuple[_Signature, ...]:
    def keys(headers: Iterable[str]) -> frozenset[str]:
        return frozenset(header_key(h) for h in headers)

    coded = [c for c, _, _ in _ROLES_2024] + [c for c, _ in _MARKERS_2024]
    questions = [q for _, q, _ in _ROLES_2024] + [q for _, q in _MARKERS_2024]
    return (
        _Signature("omb-2023", "2023", keys(_SIGNATURE_2023), header_key("Title"), 5),
        _Signature("omb-2024", "coded", keys(coded), header_key("2_use_case_name"), 4),
        _Signature("omb-2024", "questions", keys(questions), header_key("Use Case Name"), 5),
        _Signature("omb-2025", "2025", frozenset(_aliases_2025()), header_key("use_case_name"), 5),
        _Signature("omb-2025", "cots", keys(_SIGNATURE_COTS), header_key("AI Use Case"), 3),
    )


def _best_signature(table: RawTable) -> _Signature | None:
    present = {header_key(h) for h in table.headers}
    ranked = sorted(
        ((sig.matches(present), sig) for sig in _signatures() if sig.matches(present)),
        key=lambda pair: -pair[0],
    )
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None  # nothing fits, or two formats fit equally: let the user map it
    return ranked[0][1]


def detect_format(table: RawTable) -> str | None:
    """ "omb-2023", "omb-2024" or "omb-2025" from the headers; None for anything else."""
    signature = _best_signature(table)
    return signature.format if signature else None


@cache
def _omb_header_keys() -> frozenset[str]:
    return frozenset().union(*(sig.keys for sig in _signatures()))


def is_inventory_header(text: str) -> bool:
    """A header of riskdesk's own vocabulary or of an OMB inventory (finds the header row)."""
    return is_known_header(text) or header_key(text) in _omb_header_keys()


# --- mappings -------------------------------------------------------------------------


def _from_roles(table: RawTable, roles: dict[str, _Role], description: str) -> Mapping:
    """Each header found in ``roles`` (by header key) fills its field; the rest -> extra."""
    columns: dict[str, ColumnMap] = {}
    for header in table.headers:
        role = roles.get(header_key(header))
        columns[header] = (
            ColumnMap()
            if role is None
            else ColumnMap(
                field=role.field,
                translate=dict(role.translate),
                label=role.label,
                on_unknown="warn",
                keep_original=role.keep_original,
            )
        )
    return Mapping(columns=columns, unnamed="warn", description=description)


def _present(table: RawTable) -> dict[str, str]:
    return {header_key(h): h for h in table.headers}


def _with_duplicate_key(mapping: Mapping, table: RawTable, candidates: list[str]) -> Mapping:
    present = _present(table)
    headers = [present[header_key(c)] for c in candidates if header_key(c) in present]
    mapping.duplicate_key = headers if len(headers) == len(candidates) else []
    return mapping


def _mapping_2025(table: RawTable) -> Mapping:
    aliases = _aliases_2025()
    columns: dict[str, ColumnMap] = {}
    for header in table.headers:
        name = aliases.get(header_key(header))
        role = _ROLES_2025.get(name or "")
        if role is None:
            columns[header] = ColumnMap()
            continue
        target, label, wanted = role
        columns[header] = ColumnMap(
            field=target,
            translate=_translate_2025(name or "", wanted),
            label=label,
            on_unknown="warn",
            keep_original=bool(wanted),
        )
    mapping = Mapping(columns=columns, unnamed="warn", description="OMB 2025 AI use-case inventory")
    agency = next((h for h in table.headers if aliases.get(header_key(h)) == "agency"), None)
    name = next((h for h in table.headers if aliases.get(header_key(h)) == "use_case_name"), None)
    mapping.duplicate_key = [h for h in (agency, name) if h] if agency else []
    return mapping


def omb_mapping(table: RawTable, fmt: str) -> Mapping:
    """The mapping for ``table`` in OMB format ``fmt``, built from the format's tables.

    The wizard can show it and let the user change it before importing.
    """
    if fmt not in OMB_FORMATS:
        raise ValueError(f"not an OMB format: {fmt!r}")
    signature = _best_signature(table)
    variant = signature.variant if signature and signature.format == fmt else None
    if fmt == "omb-2023":
        roles = {header_key(h): r for h, r in _ROLES_2023.items()}
        mapping = _from_roles(table, roles, "OMB 2023 (EO 13960) AI use-case inventory")
        return _with_duplicate_key(mapping, table, ["Department_Code", "Title"])
    if fmt == "omb-2024":
        roles = {header_key(c): r for c, _, r in _ROLES_2024}
        roles.update({header_key(q): r for _, q, r in _ROLES_2024})
        mapping = _from_roles(table, roles, "OMB 2024 (M-24-10) AI use-case inventory")
        key = (
            ["Agency", "Use Case Name"]
            if variant == "questions"
            else ["3_agency", "2_use_case_name"]
        )
        return _with_duplicate_key(mapping, table, key)
    if variant == "cots":
        roles = {header_key(h): r for h, r in _ROLES_COTS.items()}
        mapping = _from_roles(table, roles, "OMB 2025 commercial AI (COTS) use cases")
        use_column = _present(table).get(header_key(_COTS_USE_COLUMN))
        if use_column:
            mapping.skip_rows = {use_column: ["N", "No", ""]}
        return _with_duplicate_key(mapping, table, ["Agency", "AI Use Case"])
    return _mapping_2025(table)


# --- the entry point --------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import would do, before anything is written.

    ``rows`` are the AI uses to create, in file order; ``skipped`` the rows left out
    (with ``skip_reason``). ``problems`` must be fixed (or the rows left out) before
    importing; ``warnings`` are worth reading but import as they are.
    """

    format: str
    file: str
    sheet: str | None
    table: RawTable
    mapping: Mapping
    rows: list[MappedRow] = dataclasses.field(default_factory=list)
    skipped: list[MappedRow] = dataclasses.field(default_factory=list)
    warnings: list[ImportProblem] = dataclasses.field(default_factory=list)
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_inventory(
    path: str | Path, fmt: str = "auto", sheet: str | None = None, mapping: Mapping | None = None
) -> ImportPlan:
    """Read and map an inventory file; nothing is written anywhere.

    ``fmt`` is "auto" (an OMB format if the headers say so, else "table"), "table" (any
    register, columns matched by ``suggest_mapping``) or one OMB format. A ``mapping``
    given by the caller (the wizard's, or a saved one) is used as it is; in a suggested
    one, each answer of a choice column that riskdesk cannot read gets a suggested
    translation in the mapping's value map, each said in a warning.
    Raises ``ImportFileError`` for a file that cannot be imported at all.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    table = read_table(path, sheet, known_header=is_inventory_header)
    if not table.rows:
        raise ImportFileError(
            table.problem(f"there are no rows of data under the header (row {table.header_row})")
        )
    suggestions: list[Suggestion] = []
    if mapping is None:
        if fmt == "auto":
            fmt = detect_format(table) or "table"
        if fmt == "table":
            mapping = Mapping.from_fields(suggest_mapping(table.headers))
            suggestions = suggest_value_maps(table, mapping)
        else:
            mapping = omb_mapping(table, fmt)
    elif fmt == "auto":
        fmt = "table"
    mapped = apply_mapping(table, mapping)
    plan = ImportPlan(format=fmt, file=table.file, sheet=table.sheet, table=table, mapping=mapping)
    plan.warnings.extend(check_mapping(table, mapping))
    for s in suggestions:
        shown = ", ".join(str(n) for n in s.rows[:EXAMPLE_ROWS])
        more = f" and {len(s.rows) - EXAMPLE_ROWS} more" if len(s.rows) > EXAMPLE_ROWS else ""
        plan.warnings.append(
            table.problem(
                f'"{s.answer}" (row {shown}{more}) read as {s.label}: suggested from its '
                "wording, not stated; check it (save the mapping to change its value map)",
                column=s.column_index,
            )
        )
    for row in mapped:
        if row.skip_reason:
            plan.skipped.append(row)
            continue
        plan.rows.append(row)
        plan.warnings.extend(row.warnings)
        plan.problems.extend(row.problems)
    if plan.skipped:
        reasons = sorted({r.skip_reason or "" for r in plan.skipped})
        plan.warnings.append(
            table.problem(
                f"{len(plan.skipped)} row(s) left out as not AI uses ({'; '.join(reasons[:3])}"
                f"{'; …' if len(reasons) > 3 else ''})"
            )
        )
    unstated = [r.source_row for r in plan.rows if "stage" not in r.values]
    if unstated:
        shown = ", ".join(str(n) for n in unstated[:EXAMPLE_ROWS])
        more = f" and {len(unstated) - EXAMPLE_ROWS} more" if len(unstated) > EXAMPLE_ROWS else ""
        plan.warnings.append(
            table.problem(
                f"{len(unstated)} row(s) state no stage riskdesk can read (row {shown}{more}): "
                f'recorded as "{Stage(STAGE_NOT_STATED).label}", not as Production; set each '
                "one's stage when it is known"
            )
        )
    return plan
