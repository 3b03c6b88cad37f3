"""Regenerate the shipped framework and incident files from the reference snapshots.

Run by a maintainer, never by the app::

    python -m riskdesk.catalogue.derive /path/to/reference [resources_dir]

It keeps the derivation auditable: every edit made to third-party text is in this
file (and listed in docs/frameworks.md), so a licence reviewer can see exactly what
was taken. The hand-written files (risk and control libraries, suggestion rules,
the judgement rows of the crosswalk) are left alone.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from riskdesk.catalogue.frameworks import BUILTIN_FILES, CANONICAL_COLUMNS

# Framework-level metadata written on every row of each built-in file.
_META: dict[str, dict[str, str]] = {
    "nist_ai_rmf_1_0.csv": {
        "framework_id": "nist-ai-rmf-1.0",
        "framework_name": "NIST AI Risk Management Framework 1.0 — core",
        "version": "1.0 (NIST AI 100-1, January 2023)",
        "source": "NIST AI 100-1 core tables, via intuitem/ciso-assistant-community "
        "backend/library/libraries/nist-ai-rmf-1.0.yaml @7c165ec9",
        "licence": "Public domain (US government work, NIST)",
    },
    "nist_ai_600_1.csv": {
        "framework_id": "nist-ai-600-1",
        "framework_name": "NIST AI 600-1 Generative AI Profile — 12 GAI risks",
        "version": "July 2024",
        "source": "NIST AI 600-1 p.4; definitions as quoted in the MIT AI Risk Repository v3 "
        "(Ev_ID 48.01.00–48.12.00)",
        "licence": "NIST text public domain; MIT AI Risk Repository compilation CC BY 4.0",
    },
    "owasp_llm_top10_2025.csv": {
        "framework_id": "owasp-llm-2025",
        "framework_name": "OWASP Top 10 for LLM Applications 2025",
        "version": "2025",
        "source": "OWASP/www-project-top-10-for-large-language-model-applications "
        "2_0_vulns/LLM0x_*.md @02059576",
        "licence": "CC BY-SA 4.0 (OWASP Foundation)",
    },
    "owasp_agentic_top10_2026.csv": {
        "framework_id": "owasp-agentic-2026",
        "framework_name": "OWASP Top 10 for Agentic Applications 2026",
        "version": "2026 (names as finalised; descriptions from the 1st public draft)",
        "source": "OWASP/www-project-top-10-for-large-language-model-applications "
        "initiatives/agent_security_initiative @02059576",
        "licence": "CC BY-SA 4.0 (OWASP Foundation)",
    },
    "eu_ai_act_article_5.csv": {
        "framework_id": "eu-ai-act-art5",
        "framework_name": "EU AI Act — Article 5 prohibited AI practices",
        "version": "Regulation (EU) 2024/1689, OJ L 12.7.2024",
        "source": "EUR-Lex text via intuitem/ciso-assistant-community ai-act.yaml @7c165ec9",
        "licence": "EU legal text, free reuse (Commission Decision 2011/833/EU); "
        "short titles by riskdesk",
    },
    "eu_ai_act_annex_iii.csv": {
        "framework_id": "eu-ai-act-annex-iii",
        "framework_name": "EU AI Act — Annex III high-risk areas",
        "version": "Regulation (EU) 2024/1689, OJ L 12.7.2024",
        "source": "EUR-Lex text via intuitem/ciso-assistant-community ai-act.yaml @7c165ec9",
        "licence": "EU legal text, free reuse (Commission Decision 2011/833/EU); "
        "short titles by riskdesk",
    },
    "mit_ai_risk_domains_v3.csv": {
        "framework_id": "mit-ai-risk-domains-v3",
        "framework_name": "MIT AI Risk Repository — Domain Taxonomy of AI Risks v3",
        "version": "v3 (26 March 2025)",
        "source": "airisk.mit.edu workbook The AI Risk Repository V3_26_03_2025.xlsx "
        "(Slattery et al. 2024)",
        "licence": "CC BY 4.0 (MIT AI Risk Repository)",
    },
}

# Article 5 and Annex III have no headings per point; these short labels are ours.
_ART5_TITLES = {
    "5.1.a": "Subliminal, manipulative or deceptive techniques causing significant harm",
    "5.1.b": "Exploiting vulnerabilities due to age, disability or social or economic situation",
    "5.1.c": "Social scoring leading to detrimental or unfavourable treatment",
    "5.1.d": "Predicting criminal offences from profiling or personality traits alone",
    "5.1.e": "Facial recognition databases from untargeted scraping of images",
    "5.1.f": "Inferring emotions in the workplace or education",
    "5.1.g": "Biometric categorisation inferring race, politics, religion, sex life and similar",
    "5.1.h": "'Real-time' remote biometric identification in public spaces for law enforcement",
}
_ANNEX3_TITLES = {
    "1(a)": "Remote biometric identification",
    "1(b)": "Biometric categorisation by sensitive or protected attributes",
    "1(c)": "Emotion recognition",
    "2(a)": "Safety components of critical infrastructure",
    "3(a)": "Access, admission or assignment to education and training",
    "3(b)": "Evaluating learning outcomes",
    "3(c)": "Assessing the level of education a person will receive",
    "3(d)": "Monitoring prohibited behaviour of students during tests",
    "4(a)": "Recruitment and selection of candidates",
    "4(b)": "Decisions on work relationships, tasks, monitoring and evaluation of workers",
    "5(a)": "Eligibility for essential public assistance benefits and services",
    "5(b)": "Creditworthiness and credit scoring",
    "5(c)": "Risk assessment and pricing for life and health insurance",
    "5(d)": "Evaluating and dispatching emergency calls; emergency patient triage",
    "6(a)": "Law enforcement: risk of a person becoming a victim of crime",
    "6(b)": "Law enforcement: polygraphs and similar tools",
    "6(c)": "Law enforcement: reliability of evidence",
    "6(d)": "Law enforcement: risk of offending or re-offending; personality traits",
    "6(e)": "Law enforcement: profiling in detection, investigation or prosecution",
    "7(a)": "Migration: polygraphs and similar tools",
    "7(b)": "Migration: security, irregular-migration or health risk of a person",
    "7(c)": "Migration: examining asylum, visa and residence applications",
    "7(d)": "Migration: detecting, recognising or identifying persons",
    "8(a)": "Assisting judicial authorities in researching and applying the law",
    "8(b)": "Influencing elections, referendums or voting behaviour",
}

# PDF-extraction glitches in the reference text, fixed to the published wording.
_TEXT_FIXES = {
    "contextspecific": "context-specific",
    "contextrelevant": "context-relevant",
    "Human- Computer": "Human-Computer",
}


def _fix(text: str) -> str:
    for wrong, right in _TEXT_FIXES.items():
        text = text.replace(wrong, right)
    return " ".join(text.split())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _framework_rows(name: str, items: Iterable[tuple[str, str, str, str, str]]) -> list[list[str]]:
    """``items`` are (item_ref, parent_ref, title, text, kind)."""
    # Framework-level values on the first row only: the loader allows it, and the
    # files stay readable in a text editor and in diffs.
    meta = _META[name]
    head = [meta[c] for c in CANONICAL_COLUMNS[:5]]
    blank = [""] * len(head)
    return [[*(blank if n else head), *item] for n, item in enumerate(items)]


def _ai_rmf(ref: Path) -> list[tuple[str, str, str, str, str]]:
    out = []
    for row in _read(ref / "nist_ai_rmf" / "nist_ai_rmf_1.0_core.csv"):
        level, ident = row["level"], row["id"]
        if level == "function":
            out.append((ident, "", ident.capitalize(), _fix(row["text"]), "function"))
        elif level == "category":
            out.append((ident, row["function"], "", _fix(row["text"]), "category"))
        else:
            out.append((ident, row["category_id"], "", _fix(row["text"]), "subcategory"))
    return out


def _gai(ref: Path) -> list[tuple[str, str, str, str, str]]:
    return [
        (f"600-1.{row['risk_no']}", "", row["name"], _fix(row["definition"]), "risk")
        for row in _read(ref / "nist_ai_rmf" / "nist_ai_600_1_gai_risks.csv")
    ]


def _owasp_llm(ref: Path) -> list[tuple[str, str, str, str, str]]:
    return [
        (row["id"], "", row["name"], _fix(row["description_first_sentence"]), "risk")
        for row in _read(ref / "owasp" / "owasp_top10_llm_2025.csv")
    ]


def _owasp_asi(ref: Path) -> list[tuple[str, str, str, str, str]]:
    return [
        (row["id"], "", row["name"], _fix(row["draft1_description"]), "risk")
        for row in _read(ref / "owasp" / "owasp_top10_agentic_2026.csv")
    ]


def _article_5(ref: Path) -> list[tuple[str, str, str, str, str]]:
    rows = _read(ref / "eu_ai_act" / "article_5_prohibited_practices.csv")
    by_ref = {row["ref"]: row for row in rows}
    out = [("Article 5", "", "Prohibited AI practices", _fix(by_ref["5.1"]["text"]), "article")]
    for row in rows:
        if row["is_prohibited_practice"] != "yes":
            continue
        # Fold the sub-points (c)(i)-(ii) and (h)(i)-(iii) into their practice so each
        # item reads on its own.
        parts = [_fix(row["text"])]
        parts += [
            f"({sub['subpoint']}) {_fix(sub['text'])}"
            for sub in rows
            if sub["ref"].startswith(row["ref"] + ".") and sub["subpoint"]
        ]
        out.append(
            (
                f"Article {row['ref']}",
                "Article 5",
                _ART5_TITLES[row["ref"]],
                " ".join(parts),
                "prohibited_practice",
            )
        )
    return out


def _annex_iii(ref: Path) -> list[tuple[str, str, str, str, str]]:
    out: list[tuple[str, str, str, str, str]] = []
    seen_areas: set[str] = set()
    for row in _read(ref / "eu_ai_act" / "annex_iii_high_risk_areas.csv"):
        area = f"Annex III {row['area_no']}"
        if area not in seen_areas:
            seen_areas.add(area)
            out.append((area, "", _fix(row["area"]), "", "area"))
        key = f"{row['area_no']}({row['point']})"
        if row["ref"] != f"Annex III {key}":
            raise ValueError(f"unexpected Annex III ref {row['ref']!r}")
        out.append((row["ref"], area, _ANNEX3_TITLES[key], _fix(row["text"]), "point"))
    return out


def _mit(ref: Path) -> list[tuple[str, str, str, str, str]]:
    out: list[tuple[str, str, str, str, str]] = []
    seen: set[str] = set()
    for row in _read(ref / "mit_ai_risk_repository" / "domain_taxonomy_v3.csv"):
        domain = f"MIT {row['domain_id']}"
        if domain not in seen:
            seen.add(domain)
            out.append((domain, "", _fix(row["domain"]), "", "domain"))
        out.append(
            (
                f"MIT {row['subdomain_id']}",
                domain,
                _fix(row["subdomain"]),
                _fix(row["description"]),
                "subdomain",
            )
        )
    return out


_BUILDERS = {
    "nist_ai_rmf_1_0.csv": _ai_rmf,
    "nist_ai_600_1.csv": _gai,
    "owasp_llm_top10_2025.csv": _owasp_llm,
    "owasp_agentic_top10_2026.csv": _owasp_asi,
    "eu_ai_act_article_5.csv": _article_5,
    "eu_ai_act_annex_iii.csv": _annex_iii,
    "mit_ai_risk_domains_v3.csv": _mit,
}


def published_crosswalk(ref: Path) -> list[list[str]]:
    """MIT's own coding of each NIST AI 600-1 risk to an MIT subdomain."""
    rows = _read(ref / "mit_ai_risk_repository" / "ai_risk_database_v3.csv")
    gai = {r["mit_ev_id"]: r for r in _read(ref / "nist_ai_rmf" / "nist_ai_600_1_gai_risks.csv")}
    out = []
    for row in rows:
        if row["Ev_ID"] in gai and row["Sub-domain"]:
            sub = row["Sub-domain"].split(">")[0].strip()
            out.append(
                [
                    f"600-1.{gai[row['Ev_ID']]['risk_no']}",
                    f"MIT {sub}",
                    "published",
                    f"MIT AI Risk Repository v3, AI Risk Database row Ev_ID {row['Ev_ID']} "
                    "(NIST AI 600-1 coded to MIT subdomain)",
                    "",
                ]
            )
    return out


def merge_crosswalk(path: Path, published: list[list[str]]) -> int:
    """Replace the published rows of the crosswalk, keep the judgement rows."""
    header = ["ref_a", "ref_b", "basis", "citation", "note"]
    kept: list[list[str]] = []
    if path.exists():
        kept = [[row[c] for c in header] for row in _read(path) if row["basis"] != "published"]
    return _write(path, header, [*published, *kept])


# Incidents ---------------------------------------------------------------------------

INCIDENT_COLUMNS = (
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


def _slugs(cell: str) -> str:
    try:
        values = json.loads(cell) if cell.strip() else []
    except json.JSONDecodeError:
        values = [cell]
    return "; ".join(str(v) for v in values)


def _published(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["Incident ID"]: r for r in rows if r.get("Published") == "True"}


def incident_rows(ref: Path) -> list[list[str]]:
    base = ref / "ai_incident_database"
    duplicates = {r["duplicate_incident_number"] for r in _read(base / "duplicates.csv")}
    mit = _published(_read(base / "classifications_MIT.csv"))
    cset = _published(_read(base / "classifications_CSETv1.csv"))
    gmf = _published(_read(base / "classifications_GMF.csv"))
    out = []
    for row in _read(base / "incidents.csv"):
        iid = row["incident_id"]
        if iid in duplicates:  # merged into another incident by AIID
            continue
        m, c, g = mit.get(iid, {}), cset.get(iid, {}), gmf.get(iid, {})
        sub = m.get("Risk Subdomain", "")
        match = re.match(r"(\d+\.\d+)\.?\s+(.*)", sub)
        out.append(
            [
                iid,
                row["date"],
                _fix(row["title"]),
                _fix(row["description"]),
                _slugs(row["Alleged deployer of AI system"]),
                _slugs(row["Alleged developer of AI system"]),
                _slugs(row["Alleged harmed or nearly harmed parties"]),
                f"MIT {match.group(1)}" if match else "",
                match.group(2) if match else "",
                m.get("Entity", ""),
                m.get("Intent", ""),
                m.get("Timing", ""),
                _fix(c.get("Sector of Deployment", "")),
                _fix(c.get("AI Task", "")),
                _fix(g.get("Known AI Goal", "")),
                _fix(g.get("Known AI Technology", "")),
                _fix(g.get("Known AI Technical Failure", "")),
            ]
        )
    out.sort(key=lambda r: int(r[0]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(__doc__)
        return 2
    ref = Path(args[0])
    resources = Path(args[1]) if len(args) > 1 else Path(__file__).parents[3] / "resources"
    frameworks = resources / "frameworks"
    for name in BUILTIN_FILES:
        n = _write(
            frameworks / name, CANONICAL_COLUMNS, _framework_rows(name, _BUILDERS[name](ref))
        )
        print(f"{name}: {n} items")
    n = merge_crosswalk(frameworks / "crosswalk.csv", published_crosswalk(ref))
    print(f"crosswalk.csv: {n} rows")
    n = _write(resources / "incidents" / "aiid_incidents.csv", INCIDENT_COLUMNS, incident_rows(ref))
    print(f"aiid_incidents.csv: {n} incidents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
