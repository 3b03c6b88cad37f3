"""The catalogue: frameworks, risk and control libraries, suggestions, incidents elsewhere.

Pure and headless (no Qt, no register database): everything is read from
``resources/frameworks`` and ``resources/incidents`` and cached in memory. See
docs/frameworks.md for the file formats and the rule language.
"""

from riskdesk.catalogue.coverage import Coverage, framework_coverage
from riskdesk.catalogue.crosswalk import CrosswalkLink, load_crosswalk, related_links, related_refs
from riskdesk.catalogue.csvfiles import CatalogueFileError
from riskdesk.catalogue.frameworks import (
    Framework,
    FrameworkFileError,
    FrameworkItem,
    builtin_dir,
    builtin_framework,
    find_item,
    load_builtin_frameworks,
    load_framework_dir,
    load_framework_file,
    write_framework_file,
)
from riskdesk.catalogue.incidents import (
    IncidentHit,
    IncidentIndex,
    IncidentRecord,
    default_incident_index,
    incidents_like_use,
    search_incidents,
)
from riskdesk.catalogue.library import (
    CatalogueHit,
    CatalogueIndex,
    ControlTemplate,
    RiskTemplate,
    controls_for_risk,
    load_control_library,
    load_risk_library,
    risk_template,
    search_catalogue,
    templates_for_refs,
)
from riskdesk.catalogue.refs import join_refs, normalise_ref, split_refs
from riskdesk.catalogue.suggest import Rule, RuleError, Suggestion, load_rules, suggest_risks

__all__ = [
    "CatalogueFileError",
    "CatalogueHit",
    "CatalogueIndex",
    "ControlTemplate",
    "Coverage",
    "CrosswalkLink",
    "Framework",
    "FrameworkFileError",
    "FrameworkItem",
    "IncidentHit",
    "IncidentIndex",
    "IncidentRecord",
    "RiskTemplate",
    "Rule",
    "RuleError",
    "Suggestion",
    "builtin_dir",
    "builtin_framework",
    "controls_for_risk",
    "default_incident_index",
    "find_item",
    "framework_coverage",
    "incidents_like_use",
    "join_refs",
    "load_builtin_frameworks",
    "load_control_library",
    "load_crosswalk",
    "load_framework_dir",
    "load_framework_file",
    "load_risk_library",
    "load_rules",
    "normalise_ref",
    "related_links",
    "related_refs",
    "risk_template",
    "search_catalogue",
    "search_incidents",
    "split_refs",
    "suggest_risks",
    "templates_for_refs",
    "write_framework_file",
]
