"""The intake questions and the EU AI Act checklist behind "Classify this use" — no Qt.

Each question is asked in plain words and each answer maps to one factor value of the
exposure score (``riskdesk.scoring``), so the dialog only shows choices and the score is
always computed by the same pure function as everywhere else. The EU AI Act points come
from ``resources/eu_ai_act/`` (the Regulation's own text); the one-line summaries here
are riskdesk's wording, shown beside the legal text, never instead of it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from riskdesk.enums import (
    Autonomy,
    DataSensitivity,
    DecisionRole,
    EUAIActClass,
    HarmSeverity,
    Reversibility,
)
from riskdesk.paths import resource_path


@dataclass(frozen=True)
class Choice:
    value: Any
    text: str


@dataclass(frozen=True)
class Question:
    field: str  # the AIUse column the answer sets
    text: str
    hint: str
    choices: tuple[Choice, ...]


YES_NO = (Choice(True, "Yes"), Choice(False, "No"))

QUESTIONS: tuple[Question, ...] = (
    Question(
        "decision_role",
        "Does it make or shape decisions about students, patients, applicants or customers?",
        "Think of grades, admissions, jobs, loans, benefits, care or discipline.",
        (
            Choice(DecisionRole.NONE.value, "No — it plays no part in decisions about people"),
            Choice(
                DecisionRole.INFORMS_STAFF.value,
                "It gives staff information they may use when they decide",
            ),
            Choice(
                DecisionRole.RECOMMENDS.value,
                "It recommends what to decide about a person; staff make the call",
            ),
            Choice(
                DecisionRole.DECIDES_WITH_REVIEW.value,
                "It decides, and a person reviews each decision before it takes effect",
            ),
            Choice(
                DecisionRole.DECIDES_AUTOMATICALLY.value,
                "It decides on its own; nobody checks each decision",
            ),
        ),
    ),
    Question(
        "autonomy",
        "Can it act in other systems without a person approving each action?",
        "Acting means sending, booking, changing, buying or deleting — not just answering.",
        (
            Choice(Autonomy.NONE.value, "No — it only produces answers, text or numbers"),
            Choice(Autonomy.ASSISTIVE.value, "It suggests actions; a person carries out each one"),
            Choice(
                Autonomy.AGENT_READ.value,
                "It uses tools to look things up, but cannot change anything",
            ),
            Choice(
                Autonomy.AGENT_WRITE_APPROVAL.value,
                "It can change things, but a person approves each action first",
            ),
            Choice(
                Autonomy.AGENT_AUTONOMOUS.value,
                "Yes — it can change things without anyone approving each action",
            ),
        ),
    ),
    Question(
        "data_sensitivity",
        "What is the most sensitive information it sees?",
        "Count what goes into it and what it can look up, not just what it shows.",
        (
            Choice(DataSensitivity.PUBLIC.value, "Only public information"),
            Choice(DataSensitivity.INTERNAL.value, "Internal documents, nothing about people"),
            Choice(DataSensitivity.PERSONAL.value, "Personal information (names, contact details)"),
            Choice(
                DataSensitivity.SENSITIVE.value,
                "Sensitive personal information (grades, money, discipline, performance)",
            ),
            Choice(
                DataSensitivity.CHILDREN_SPECIAL.value,
                "Health, ethnicity, religion, biometrics or other special-category data",
            ),
        ),
    ),
    Question(
        "childrens_data",
        "Does it handle children's data?",
        "Anything about people under 18 — counted as the most sensitive kind of data.",
        YES_NO,
    ),
    Question(
        "harm_severity",
        "If it gets something wrong, how bad could it be for the person affected?",
        "Picture the worst mistake it could plausibly make.",
        (
            Choice(HarmSeverity.NEGLIGIBLE.value, "Negligible — nobody would notice"),
            Choice(HarmSeverity.MINOR.value, "Minor — an inconvenience or a wasted hour"),
            Choice(HarmSeverity.MODERATE.value, "Moderate — real upset, cost or lost time"),
            Choice(
                HarmSeverity.SERIOUS.value,
                "Serious — someone's grades, job, money or health suffer",
            ),
            Choice(
                HarmSeverity.SEVERE.value,
                "Severe — lasting damage to someone's life, safety or rights",
            ),
        ),
    ),
    Question(
        "reversibility",
        "Could such a mistake be put right?",
        "",
        (
            Choice(Reversibility.REVERSIBLE.value, "Yes, easily — undo it, apologise, move on"),
            Choice(Reversibility.HARD_TO_REVERSE.value, "Only with real effort, and not always"),
            Choice(Reversibility.IRREVERSIBLE.value, "No — it cannot be undone"),
        ),
    ),
    Question(
        "rights_impacting",
        "Could its output affect someone's rights or access to something important — a "
        "school place, a job, a loan, benefits, housing, healthcare or legal status?",
        "If yes, the use is rights-impacting (OMB M-24-10) and at least High tier.",
        YES_NO,
    ),
    Question(
        "safety_impacting",
        "Could it affect anyone's physical safety or health, or critical services such as "
        "power, water, transport or emergency care?",
        "If yes, the use is safety-impacting (OMB M-24-10) and at least High tier.",
        YES_NO,
    ),
)
QUESTION_FIELDS: tuple[str, ...] = tuple(q.field for q in QUESTIONS)

REACH_QUESTION = "About how many people does it affect in a year?"
REACH_HINT = (
    "The people its output is about or reaches — students, patients, applicants, customers — "
    "not the staff who use it. A rough figure is fine: only the order of magnitude counts."
)
GROUPS_QUESTION = "Who are they?"

# --- EU AI Act --------------------------------------------------------------------------
# riskdesk's plain-words summary of each point; the Regulation's text is shown with it.
ARTICLE_5_SUMMARY: Mapping[str, str] = {
    "5.1.a": "Uses subliminal, manipulative or deceptive techniques that distort people's "
    "behaviour in ways that can cause them significant harm",
    "5.1.b": "Exploits people's vulnerabilities (age, disability, social or economic "
    "situation) to distort their behaviour in harmful ways",
    "5.1.c": "Social scoring: rates people on their social behaviour or personal traits, "
    "leading to unjustified or unrelated detrimental treatment",
    "5.1.d": "Predicts whether a person will commit a crime based only on profiling or "
    "personality traits",
    "5.1.e": "Builds or expands facial recognition databases by untargeted scraping of faces "
    "from the internet or CCTV",
    "5.1.f": "Infers the emotions of people at work or in education (except for medical or "
    "safety reasons)",
    "5.1.g": "Uses biometric data to infer race, political opinions, union membership, "
    "religion, sex life or sexual orientation",
    "5.1.h": "Real-time remote biometric identification in public spaces for law enforcement "
    "(narrow exceptions)",
}

ANNEX_III_SUMMARY: Mapping[str, str] = {
    "Annex III 1(a)": "Remote biometric identification (not just checking that someone is "
    "who they claim to be)",
    "Annex III 1(b)": "Biometric categorisation by sensitive or protected characteristics",
    "Annex III 1(c)": "Emotion recognition",
    "Annex III 2(a)": "Safety component of critical digital infrastructure, road traffic, or "
    "water, gas, heating or electricity supply",
    "Annex III 3(a)": "Decides access or admission to education or training, or assigns "
    "people to schools or courses",
    "Annex III 3(b)": "Evaluates learning outcomes (marking, grading, steering learning)",
    "Annex III 3(c)": "Assesses the level of education a person will receive or can access",
    "Annex III 3(d)": "Monitors or detects prohibited behaviour of students during tests "
    "(proctoring)",
    "Annex III 4(a)": "Recruitment or selection: targeted job ads, filtering applications, "
    "evaluating candidates",
    "Annex III 4(b)": "Decisions on terms of work, promotion or termination; allocating tasks "
    "by behaviour or traits; monitoring or evaluating workers",
    "Annex III 5(a)": "Public authorities deciding eligibility for essential public benefits "
    "and services, including healthcare, or granting, reducing or reclaiming them",
    "Annex III 5(b)": "Creditworthiness or credit scoring of people (fraud detection excepted)",
    "Annex III 5(c)": "Risk assessment and pricing for life and health insurance",
    "Annex III 5(d)": "Classifying emergency calls, dispatching or prioritising emergency "
    "services, or emergency patient triage",
    "Annex III 6(a)": "Law enforcement: assessing a person's risk of becoming a crime victim",
    "Annex III 6(b)": "Law enforcement: polygraphs and similar tools",
    "Annex III 6(c)": "Law enforcement: evaluating the reliability of evidence",
    "Annex III 6(d)": "Law enforcement: assessing the risk of offending or re-offending, or "
    "personality traits or past criminal behaviour",
    "Annex III 6(e)": "Law enforcement: profiling people when detecting, investigating or "
    "prosecuting crime",
    "Annex III 7(a)": "Migration and borders: polygraphs and similar tools",
    "Annex III 7(b)": "Migration and borders: assessing security, irregular-migration or "
    "health risks posed by a person",
    "Annex III 7(c)": "Examining applications for asylum, visas or residence permits",
    "Annex III 7(d)": "Migration and borders: detecting, recognising or identifying people "
    "(travel-document checks excepted)",
    "Annex III 8(a)": "Helping a court or dispute-resolution body research and interpret facts "
    "and the law and apply the law",
    "Annex III 8(b)": "Influencing the outcome of an election or referendum, or how people vote",
}

TRANSPARENCY_QUESTION = (
    "Does it talk with people directly, or produce text, images, audio or video that people "
    "see or hear (a chatbot, generated content, a synthetic voice)?"
)
TRANSPARENCY_CHOICES: tuple[Choice, ...] = (
    Choice(EUAIActClass.TRANSPARENCY.value, "Yes — people must be told they are dealing with AI"),
    Choice(EUAIActClass.MINIMAL.value, "No"),
    Choice(EUAIActClass.NOT_ASSESSED.value, "Not sure yet — leave it unassessed"),
)
ARTICLE_6_3_NOTE = (
    "A use listed in Annex III is not high-risk if it only does a narrow procedural task, "
    "improves the result of work a person has already done, or prepares an assessment "
    "without influencing it (Article 6(3)) — unless it profiles people. If you rely on that, "
    "leave the point unticked and write your reasoning in the use's notes."
)


@dataclass(frozen=True)
class ActPoint:
    ref: str  # what is recorded as the basis: "Article 5.1.f", "Annex III 3(b)"
    group: str  # Article 5 / an Annex III area
    summary: str
    text: str  # the Regulation's wording


def _read(name: str) -> list[dict[str, str]]:
    with resource_path("eu_ai_act", name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def article_5_points() -> tuple[ActPoint, ...]:
    """The eight prohibited practices of Article 5(1)(a)–(h)."""
    rows = _read("article_5_prohibited_practices.csv")
    by_ref = {r["ref"]: r for r in rows}
    points = []
    for row in rows:
        if row["is_prohibited_practice"] != "yes":
            continue
        text = row["text"]
        # (c) and (h) continue in sub-points; show them so the text reads whole
        subs = [
            f"({r['subpoint']}) {r['text']}"
            for ref, r in by_ref.items()
            if ref.startswith(row["ref"] + ".")
        ]
        if subs:
            text += " " + " ".join(subs)
        ref = row["ref"]
        points.append(
            ActPoint(f"Article {ref}", "Article 5", ARTICLE_5_SUMMARY.get(ref, text[:120]), text)
        )
    return tuple(points)


@cache
def annex_iii_points() -> tuple[ActPoint, ...]:
    """Every point of the eight Annex III high-risk areas."""
    return tuple(
        ActPoint(
            row["ref"],
            f"{row['area_no']}. {row['area']}",
            ANNEX_III_SUMMARY.get(row["ref"], row["text"][:120]),
            row["text"],
        )
        for row in _read("annex_iii_high_risk_areas.csv")
    )


def basis_refs(basis: str) -> set[str]:
    """The refs recorded in an ``eu_ai_act_basis`` ("Annex III 3(a); Annex III 3(b)")."""
    return {part.strip() for part in basis.replace(",", ";").split(";") if part.strip()}


def eu_classification(
    prohibited: Iterable[str], high_risk: Iterable[str], transparency: str
) -> tuple[str, str]:
    """``(eu_ai_act_class, eu_ai_act_basis)`` from the ticked points.

    The gravest class wins and the basis names only the points it rests on: a prohibited
    practice is prohibited even if it is also an Annex III use.
    """
    prohibited, high_risk = list(prohibited), list(high_risk)
    if prohibited:
        return EUAIActClass.PROHIBITED.value, "; ".join(prohibited)
    if high_risk:
        return EUAIActClass.HIGH_RISK.value, "; ".join(high_risk)
    return EUAIActClass(transparency).value, ""


def transparency_answer(record: Mapping[str, Any]) -> str:
    """The transparency choice to start from, given the use's recorded class."""
    current = record.get("eu_ai_act_class") or EUAIActClass.NOT_ASSESSED.value
    if current in (EUAIActClass.TRANSPARENCY.value, EUAIActClass.MINIMAL.value):
        return str(current)
    if current in (EUAIActClass.PROHIBITED.value, EUAIActClass.HIGH_RISK.value):
        # classed by a point; the fall-back answer only matters if it is unticked
        return (
            EUAIActClass.TRANSPARENCY.value
            if record.get("public_facing") or record.get("generative")
            else EUAIActClass.MINIMAL.value
        )
    return EUAIActClass.NOT_ASSESSED.value
