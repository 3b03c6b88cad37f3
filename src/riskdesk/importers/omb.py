"""The US federal AI use-case inventories (OMB): recognising one and mapping its columns.

Formats, recognised from their headers:

- ``omb-2023``: the EO 13960 consolidated inventory (``Use_Case_ID``, ``Title``…).
- ``omb-2024``: the M-24-10 inventory, with coded headers (``2_use_case_name``…) or
  with the question text as headers (the January 2025 "v2" release).
- ``omb-2025``: the M-25-21 inventory. Its columns are resolved at run time from OMB's
  data dictionary (shipped as ``omb_2025_dictionary.json``): a column matches a field
  by its snake_case name, its Excel question text or that text's first paragraph, and
  answers are read through the dictionary's own recoding maps. Only the small
  ``ROLES_2025`` table (``omb_formats``) says which dictionary field fills which riskdesk field,
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
  at its default with a warning, because nobody can correct a public inventory: the
  stage, sourcing, public-facing and generative facts are then *not stated*.
- Rows naming the same agency and use twice stay two rows, each with a warning.
- The 2025 COTS list leaves sourcing *not stated*. Its product column asks for the
  "Name of Commercial Product or Service Used", but agencies wrote there in-house tools
  ("Internal Gov Cloud- Chatbots"), open-source front ends (OpenWebUI) and model
  platforms reached through an API (Azure OpenAI, AWS Bedrock) beside SaaS features
  (Microsoft 365 Copilot), often several in one cell: the list does not say which of
  riskdesk's choices (SaaS with embedded AI, vendor model via API, open model…) a use
  is, nor always that it was bought.

Each format's headers and answers are in ``omb_formats``; reading a file with one
(``read_inventory``, for any table) is ``inventory``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from riskdesk.importers.mapping import ColumnMap, Mapping, is_known_header
from riskdesk.importers.omb_formats import (
    COTS_USE_COLUMN,
    MARKERS_2024,
    ROLES_2023,
    ROLES_2024,
    ROLES_2025,
    ROLES_COTS,
    SIGNATURE_2023,
    SIGNATURE_COTS,
    Role,
    aliases_2025,
    translate_2025,
)
from riskdesk.importers.tables import RawTable
from riskdesk.importers.values import header_key

OMB_FORMATS = ("omb-2023", "omb-2024", "omb-2025")

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

    coded = [c for c, _, _ in ROLES_2024] + [c for c, _ in MARKERS_2024]
    questions = [q for _, q, _ in ROLES_2024] + [q for _, q in MARKERS_2024]
    return (
        _Signature("omb-2023", "2023", keys(SIGNATURE_2023), header_key("Title"), 5),
        _Signature("omb-2024", "coded", keys(coded), header_key("2_use_case_name"), 4),
        _Signature("omb-2024", "questions", keys(questions), header_key("Use Case Name"), 5),
        _Signature("omb-2025", "2025", frozenset(aliases_2025()), header_key("use_case_name"), 5),
        _Signature("omb-2025", "cots", keys(SIGNATURE_COTS), header_key("AI Use Case"), 3),
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


def _from_roles(table: RawTable, roles: dict[str, Role], description: str) -> Mapping:
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
    aliases = aliases_2025()
    columns: dict[str, ColumnMap] = {}
    for header in table.headers:
        name = aliases.get(header_key(header))
        role = ROLES_2025.get(name or "")
        if role is None:
            columns[header] = ColumnMap()
            continue
        target, label, wanted = role
        columns[header] = ColumnMap(
            field=target,
            translate=translate_2025(name or "", wanted),
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
        roles = {header_key(h): r for h, r in ROLES_2023.items()}
        mapping = _from_roles(table, roles, "OMB 2023 (EO 13960) AI use-case inventory")
        return _with_duplicate_key(mapping, table, ["Department_Code", "Title"])
    if fmt == "omb-2024":
        roles = {header_key(c): r for c, _, r in ROLES_2024}
        roles.update({header_key(q): r for _, q, r in ROLES_2024})
        mapping = _from_roles(table, roles, "OMB 2024 (M-24-10) AI use-case inventory")
        key = (
            ["Agency", "Use Case Name"]
            if variant == "questions"
            else ["3_agency", "2_use_case_name"]
        )
        return _with_duplicate_key(mapping, table, key)
    if variant == "cots":
        roles = {header_key(h): r for h, r in ROLES_COTS.items()}
        mapping = _from_roles(table, roles, "OMB 2025 commercial AI (COTS) use cases")
        use_column = _present(table).get(header_key(COTS_USE_COLUMN))
        if use_column:
            mapping.skip_rows = {use_column: ["N", "No", ""]}
        return _with_duplicate_key(mapping, table, ["Agency", "AI Use Case"])
    return _mapping_2025(table)
