"""A realistic, deterministic demo register: a school district and a small company.

The same seed and the same ``today`` give the same register. Dates are set relative to
``today`` so a fresh demo always shows something due, something overdue and a history.
Everything is written through the service layer (validated and audited) in one action.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from riskdesk.enums import Tier
from riskdesk.scoring.config import DEFAULT_CONFIG
from riskdesk.scoring.ladder import add_months
from riskdesk.service.register import RegisterService, UnitOfWork

ORG = {
    "name": "Riverside Unified School District & Partners",
    "sector": "Education",
    "champion_name": "Dana Whitfield",
    "risk_appetite": "medium",
    "paper_size": "a4",
}

# name, title, department, line
PEOPLE: list[tuple[str, str, str, str]] = [
    ("Dana Whitfield", "AI Champion / Director of Digital Learning", "Technology", "second"),
    ("Marcus Obi", "Assistant Superintendent, Instruction", "Instruction", "first"),
    ("Priya Raman", "Director of Student Services", "Student Services", "first"),
    ("Tom Kowalski", "IT Operations Manager", "Technology", "first"),
    ("Elena Petrova", "HR Director", "Human Resources", "first"),
    ("Sam Achebe", "Head of Customer Support", "Customer Support", "first"),
    ("Lucía Fernández", "Engineering Lead", "Engineering", "first"),
    ("Grace Liu", "Finance Controller", "Finance", "first"),
    ("Omar Haddad", "Risk & Compliance Officer", "Compliance", "second"),
    ("Ingrid Nilsson", "Data Protection Officer", "Compliance", "second"),
    ("Kwame Mensah", "Internal Auditor", "Internal Audit", "third"),
    ("Hannah Brooks", "Audit Committee Liaison", "Internal Audit", "third"),
    ("Jordan Reyes", "Former Assessment Coordinator", "Instruction", "first"),
]
LEFT = {"Jordan Reyes"}

# name, kind
VENDORS: list[tuple[str, str]] = [
    ("OpenAI", "model_provider"),
    ("Anthropic", "model_provider"),
    ("Microsoft", "platform"),
    ("Google", "platform"),
    ("Turnitin", "saas"),
    ("Proctorio", "saas"),
    ("HireVue", "saas"),
    ("Zendesk", "saas"),
    ("GitHub", "platform"),
    ("Feedzai", "saas"),
    ("Khan Academy", "saas"),
    ("Gaggle", "saas"),
]


@dataclass(frozen=True)
class UseSpec:
    name: str
    department: str
    purpose: str
    vendor: str | None
    model: str
    owner: str
    attrs: dict[str, Any]
    risks: tuple[str, ...]


def _u(
    name: str,
    dept: str,
    purpose: str,
    vendor: str | None,
    model: str,
    owner: str,
    risks: tuple[str, ...],
    **attrs: Any,
) -> UseSpec:
    # The curated uses are fully assessed: a question a spec leaves out was answered at
    # its least exposed level (EU AI Act: minimal risk), not left unknown.
    attrs = {**_ANSWERED_LOWEST, **attrs}
    return UseSpec(name, dept, purpose, vendor, model, owner, attrs, risks)


_ANSWERED_LOWEST: dict[str, Any] = {
    "childrens_data": False,
    "reversibility": "reversible",
    "rights_impacting": False,
    "safety_impacting": False,
    "eu_ai_act_class": "minimal",
}


USES: list[UseSpec] = [
    _u(
        "Student homework chatbot",
        "Instruction",
        "A tutoring chatbot students use for homework help outside class hours.",
        "Khan Academy",
        "Khanmigo (GPT-4 class)",
        "Marcus Obi",
        ("confabulation", "harmful_advice", "privacy_children", "prompt_injection"),
        people_affected=14000,
        affected_groups="students",
        decision_role="informs_staff",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="moderate",
        public_facing=True,
        generative=True,
        eu_ai_act_class="transparency",
        human_oversight="on_the_loop",
        users="students",
        monitoring="Weekly sample of 50 transcripts reviewed by a teacher.",
    ),
    _u(
        "Essay grading assistant",
        "Instruction",
        "Suggests rubric scores and feedback on student essays; teachers confirm grades.",
        "Turnitin",
        "Turnitin Clarity",
        "Marcus Obi",
        ("bias_grading", "confabulation", "privacy_children"),
        people_affected=9000,
        affected_groups="students",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="serious",
        reversibility="hard_to_reverse",
        generative=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(b)",
        users="teachers",
        rollback_plan="Return to manual grading; rubric templates kept current.",
        kill_switch="District admin disables the integration in the LMS.",
        monitoring="Teacher override rate tracked monthly.",
    ),
    _u(
        "Online exam proctoring",
        "Student Services",
        "Flags suspected cheating in remote exams from webcam video and screen activity.",
        "Proctorio",
        "Proctorio",
        "Priya Raman",
        ("bias_proctoring", "privacy_children", "false_flags"),
        people_affected=4200,
        affected_groups="students",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="serious",
        reversibility="hard_to_reverse",
        rights_impacting=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(d)",
        users="exam staff",
    ),
    _u(
        "Student wellbeing monitor",
        "Student Services",
        "Scans student documents and email for self-harm and violence signals.",
        "Gaggle",
        "Gaggle Safety Management",
        "Priya Raman",
        ("false_flags", "privacy_children", "surveillance_chilling"),
        people_affected=16000,
        affected_groups="students",
        decision_role="recommends",
        autonomy="agent_read",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="severe",
        reversibility="irreversible",
        safety_impacting=True,
        rights_impacting=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(d)",
        users="counsellors",
        human_oversight="in_the_loop",
        monitoring="Counsellor review of every alert within 24 hours.",
    ),
    _u(
        "Reading level placement",
        "Instruction",
        "Adaptive test that places students into reading groups.",
        "Google",
        "Vertex AI (custom model)",
        "Marcus Obi",
        ("bias_grading", "drift"),
        people_affected=6000,
        affected_groups="students",
        decision_role="decides_with_review",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="serious",
        reversibility="hard_to_reverse",
        sourcing="fine_tuned",
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(a)",
        users="teachers",
    ),
    _u(
        "Teacher lesson-plan drafting",
        "Instruction",
        "Teachers draft lesson plans and worksheets with a general-purpose assistant.",
        "Microsoft",
        "Copilot (GPT-4o)",
        "Marcus Obi",
        ("confabulation", "copyright"),
        people_affected=900,
        affected_groups="teachers",
        decision_role="none",
        autonomy="assistive",
        data_sensitivity="internal",
        harm_severity="minor",
        generative=True,
        users="teachers",
        eu_ai_act_class="minimal",
        monitoring="Usage reports reviewed each term.",
    ),
    _u(
        "Parent newsletter translation",
        "Communications",
        "Machine translation of newsletters into Spanish, Vietnamese and Arabic.",
        "Google",
        "Google Translate",
        "Dana Whitfield",
        ("mistranslation",),
        people_affected=22000,
        affected_groups="parents",
        decision_role="none",
        autonomy="none",
        data_sensitivity="public",
        harm_severity="minor",
        public_facing=True,
        eu_ai_act_class="minimal",
        users="communications office",
    ),
    _u(
        "Bus route optimisation",
        "Transport",
        "Plans daily bus routes and pick-up times from enrolment addresses.",
        "Google",
        "OR-Tools with ML travel-time model",
        "Tom Kowalski",
        ("safety_routing", "privacy_children"),
        people_affected=5200,
        affected_groups="students",
        decision_role="decides_with_review",
        autonomy="assistive",
        data_sensitivity="personal",
        childrens_data=True,
        harm_severity="serious",
        safety_impacting=True,
        users="transport office",
        rollback_plan="Previous term's routes kept as fallback.",
        kill_switch="Dispatcher reverts to fixed routes.",
        monitoring="Late-arrival reports.",
    ),
    _u(
        "Special-education IEP drafting aid",
        "Student Services",
        "Drafts individual education programme goals from assessment notes.",
        "OpenAI",
        "GPT-4o via district tenant",
        "Priya Raman",
        ("confabulation", "privacy_children", "bias_grading"),
        people_affected=1100,
        affected_groups="students with disabilities",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="serious",
        reversibility="hard_to_reverse",
        generative=True,
        sourcing="vendor_api",
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(a)",
        stage="pilot",
        users="special-education staff",
    ),
    _u(
        "IT helpdesk ticket triage",
        "Technology",
        "Classifies and routes staff IT tickets.",
        "Zendesk",
        "Zendesk AI",
        "Tom Kowalski",
        ("misrouting",),
        people_affected=1500,
        affected_groups="staff",
        decision_role="informs_staff",
        autonomy="assistive",
        data_sensitivity="internal",
        harm_severity="negligible",
        eu_ai_act_class="minimal",
        users="IT staff",
    ),
    _u(
        "Emotion detection in classroom cameras",
        "Student Services",
        "Vendor proposal: infer student engagement and emotion from classroom video.",
        None,
        "Vendor demo model",
        "Priya Raman",
        ("prohibited_practice", "privacy_children", "surveillance_chilling"),
        people_affected=3000,
        affected_groups="students",
        decision_role="recommends",
        autonomy="agent_read",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="serious",
        rights_impacting=True,
        eu_ai_act_class="prohibited",
        eu_ai_act_basis="Article 5.1.f",
        stage="idea",
        users="(proposed) teachers",
    ),
    _u(
        "Enrolment document OCR",
        "Administration",
        "Extracts fields from scanned enrolment forms and proofs of address.",
        "Microsoft",
        "Azure AI Document Intelligence",
        "Grace Liu",
        ("data_entry_errors", "privacy_children"),
        people_affected=3500,
        affected_groups="families",
        decision_role="informs_staff",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="moderate",
        users="registrars",
        eu_ai_act_class="minimal",
    ),
    _u(
        "Substitute teacher scheduling",
        "Human Resources",
        "Matches absences to available substitute teachers.",
        None,
        "In-house rules + ML",
        "Elena Petrova",
        ("misrouting",),
        people_affected=400,
        affected_groups="substitute teachers",
        decision_role="decides_with_review",
        autonomy="agent_write_approval",
        data_sensitivity="personal",
        harm_severity="minor",
        sourcing="in_house",
        dev_prod_separated=True,
        agent_permissions="Read absence calendar\nWrite assignments",
        users="HR office",
    ),
    _u(
        "Customer support chatbot",
        "Customer Support",
        "Public website chatbot answering billing and product questions.",
        "OpenAI",
        "GPT-4o mini",
        "Sam Achebe",
        ("prompt_injection", "harmful_advice", "confabulation", "data_leak"),
        people_affected=120000,
        affected_groups="customers",
        decision_role="informs_staff",
        autonomy="agent_read",
        data_sensitivity="personal",
        harm_severity="moderate",
        public_facing=True,
        generative=True,
        sourcing="vendor_api",
        eu_ai_act_class="transparency",
        agent_permissions="Read order history\nRead FAQ",
        users="customers",
        monitoring="Escalation rate and CSAT dashboards.",
        rollback_plan="Switch widget to contact form.",
        kill_switch="Feature flag chat_bot_v2.",
    ),
    _u(
        "CV screening and ranking",
        "Human Resources",
        "Ranks job applicants' CVs against the job description before interviews.",
        "HireVue",
        "HireVue Assessments",
        "Elena Petrova",
        ("bias_hiring", "opacity", "privacy_personal"),
        people_affected=2500,
        affected_groups="applicants",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="personal",
        harm_severity="serious",
        reversibility="hard_to_reverse",
        rights_impacting=True,
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 4(a)",
        users="recruiters",
    ),
    _u(
        "Autonomous coding agent",
        "Engineering",
        "An agent that writes code, runs tests and opens pull requests; can run database "
        "migrations in the staging environment.",
        "Anthropic",
        "Claude (agentic coding)",
        "Lucía Fernández",
        ("tool_misuse", "privilege_abuse", "prod_deletion", "code_vulns"),
        people_affected=30000,
        affected_groups="customers (through the product)",
        decision_role="none",
        autonomy="agent_autonomous",
        data_sensitivity="sensitive",
        harm_severity="severe",
        reversibility="hard_to_reverse",
        generative=True,
        sourcing="vendor_api",
        dev_prod_separated=False,
        agent_permissions="Shell in CI runner\nWrite to repository\nRun DB migrations\n"
        "Read production logs",
        users="engineers",
    ),
    _u(
        "Code completion in the IDE",
        "Engineering",
        "Inline code suggestions for developers.",
        "GitHub",
        "GitHub Copilot",
        "Lucía Fernández",
        ("code_vulns", "copyright"),
        people_affected=40,
        affected_groups="engineers",
        decision_role="none",
        autonomy="assistive",
        data_sensitivity="internal",
        harm_severity="minor",
        generative=True,
        users="engineers",
        eu_ai_act_class="minimal",
        dev_prod_separated=True,
    ),
    _u(
        "Payment fraud scoring",
        "Finance",
        "Scores card transactions and blocks likely fraud.",
        "Feedzai",
        "Feedzai RiskOps",
        "Grace Liu",
        ("bias_fraud", "false_flags", "drift"),
        people_affected=85000,
        affected_groups="customers",
        decision_role="decides_automatically",
        autonomy="agent_autonomous",
        data_sensitivity="sensitive",
        harm_severity="moderate",
        reversibility="reversible",
        rights_impacting=True,
        users="fraud team",
        agent_permissions="Block card transactions",
        monitoring="Daily false-positive report.",
        rollback_plan="Fall back to rules engine.",
        kill_switch="Rules-only mode switch.",
    ),
    _u(
        "Sales email drafting",
        "Sales",
        "Drafts outbound sales emails from CRM notes.",
        "Microsoft",
        "Copilot for Sales",
        "Sam Achebe",
        ("confabulation",),
        people_affected=5000,
        affected_groups="prospects",
        decision_role="none",
        autonomy="assistive",
        data_sensitivity="personal",
        harm_severity="minor",
        generative=True,
        users="sales team",
        eu_ai_act_class="minimal",
    ),
    _u(
        "Meeting transcription and notes",
        "Administration",
        "Transcribes staff meetings and drafts minutes.",
        "Microsoft",
        "Teams Premium",
        "Dana Whitfield",
        ("privacy_personal", "confabulation"),
        people_affected=800,
        affected_groups="staff",
        decision_role="none",
        autonomy="assistive",
        data_sensitivity="personal",
        harm_severity="minor",
        generative=True,
        users="all staff",
        eu_ai_act_class="transparency",
    ),
    _u(
        "Contract review assistant",
        "Compliance",
        "Flags unusual clauses in vendor contracts.",
        "Anthropic",
        "Claude",
        "Omar Haddad",
        ("confabulation", "data_leak"),
        people_affected=60,
        affected_groups="vendors",
        decision_role="informs_staff",
        autonomy="assistive",
        data_sensitivity="sensitive",
        harm_severity="moderate",
        generative=True,
        sourcing="vendor_api",
        users="compliance team",
    ),
    _u(
        "Attendance anomaly alerts",
        "Student Services",
        "Predicts chronic absence risk and alerts counsellors.",
        None,
        "In-house gradient boosting",
        "Jordan Reyes",
        ("bias_grading", "drift", "privacy_children"),
        people_affected=16000,
        affected_groups="students",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="moderate",
        sourcing="in_house",
        eu_ai_act_class="high_risk",
        eu_ai_act_basis="Annex III 3(a)",
        users="counsellors",
    ),
    _u(
        "Cloud cost anomaly agent",
        "Technology",
        "Agent that detects cost spikes and can stop idle cloud resources with approval.",
        "Microsoft",
        "Azure Copilot",
        "Tom Kowalski",
        ("tool_misuse", "privilege_abuse"),
        people_affected=50,
        affected_groups="staff",
        decision_role="none",
        autonomy="agent_write_approval",
        data_sensitivity="internal",
        harm_severity="moderate",
        dev_prod_separated=True,
        agent_permissions="Read billing\nStop VMs (approval)",
        users="IT operations",
        permissions_reviewed=True,
    ),
    _u(
        "Phishing email filter",
        "Technology",
        "ML spam and phishing filtering of staff and student email.",
        "Google",
        "Gmail protections",
        "Tom Kowalski",
        ("false_flags",),
        people_affected=18000,
        affected_groups="staff and students",
        decision_role="decides_automatically",
        autonomy="agent_autonomous",
        data_sensitivity="personal",
        harm_severity="minor",
        reversibility="reversible",
        users="everyone",
        eu_ai_act_class="minimal",
        agent_permissions="Quarantine email",
    ),
    _u(
        "Library book recommendations",
        "Instruction",
        "Recommends books to students in the library catalogue.",
        None,
        "Catalogue vendor model",
        "Marcus Obi",
        ("filter_bubble",),
        people_affected=7000,
        affected_groups="students",
        decision_role="none",
        autonomy="none",
        data_sensitivity="personal",
        childrens_data=True,
        harm_severity="negligible",
        users="students",
        eu_ai_act_class="minimal",
    ),
    _u(
        "Board minutes summariser",
        "Administration",
        "Summarises past board minutes for policy research (public documents).",
        "OpenAI",
        "ChatGPT Team",
        "Dana Whitfield",
        ("confabulation",),
        people_affected=20,
        affected_groups="staff",
        decision_role="none",
        autonomy="assistive",
        data_sensitivity="public",
        harm_severity="negligible",
        generative=True,
        users="superintendent's office",
        eu_ai_act_class="minimal",
    ),
    _u(
        "Retired: essay plagiarism detector v1",
        "Instruction",
        "Legacy plagiarism detector replaced by the grading assistant.",
        "Turnitin",
        "Turnitin Originality (legacy)",
        "Marcus Obi",
        ("false_flags",),
        people_affected=9000,
        affected_groups="students",
        decision_role="recommends",
        autonomy="assistive",
        data_sensitivity="children_special",
        childrens_data=True,
        harm_severity="moderate",
        stage="retired",
        users="teachers",
    ),
    _u(
        "Applicant interview scheduling bot",
        "Human Resources",
        "Schedules interviews with applicants by email.",
        "Microsoft",
        "Copilot Studio agent",
        "",  # still in development: no owner named and no risk assessed yet (two gaps)
        (),
        people_affected=2500,
        affected_groups="applicants",
        decision_role="none",
        autonomy="agent_write_approval",
        data_sensitivity="personal",
        harm_severity="minor",
        public_facing=True,
        generative=True,
        dev_prod_separated=True,
        stage="development",
        agent_permissions="Read calendars\nSend email as recruiting@",
        users="recruiters",
    ),
]

# key -> (title, description, refs, inherent L, inherent I, residual L, residual I)
RISK_TEMPLATES: dict[str, tuple[str, str, str, int, int, int, int]] = {
    "confabulation": (
        "Confabulated content relied on",
        "The model states false facts or citations that staff or users act on.",
        "600-1.2; MIT 3.1; LLM09",
        4,
        3,
        3,
        2,
    ),
    "harmful_advice": (
        "Harmful advice to users",
        "The assistant gives unsafe advice (self-harm, medical, legal, financial).",
        "600-1.3; MIT 1.2",
        3,
        5,
        2,
        4,
    ),
    "privacy_children": (
        "Exposure of children's personal data",
        "Student records or conversations are retained, reused or leaked.",
        "600-1.4; MIT 2.1; LLM02",
        3,
        5,
        2,
        4,
    ),
    "privacy_personal": (
        "Personal data processed beyond purpose",
        "Personal data is kept or used beyond what people were told.",
        "600-1.4; MIT 2.1",
        3,
        4,
        2,
        3,
    ),
    "prompt_injection": (
        "Prompt injection via user input",
        "Crafted input makes the assistant ignore its instructions or leak data.",
        "LLM01; 600-1.9; MIT 2.2",
        4,
        4,
        3,
        3,
    ),
    "bias_grading": (
        "Unfair outcomes for student groups",
        "Scores or placements are systematically worse for some groups "
        "(English learners, students with disabilities).",
        "600-1.6; MIT 1.1",
        3,
        4,
        2,
        4,
    ),
    "bias_proctoring": (
        "Higher false flags for darker skin tones and disabilities",
        "Face detection and gaze tracking misfire for some students.",
        "MIT 1.1; MIT 1.3; 600-1.6",
        4,
        4,
        3,
        4,
    ),
    "bias_hiring": (
        "Discriminatory ranking of applicants",
        "Ranking reproduces historical bias against protected groups.",
        "MIT 1.1; MIT 1.3; 600-1.6",
        4,
        5,
        3,
        4,
    ),
    "bias_fraud": (
        "Disparate fraud blocks",
        "Legitimate customers in some groups are blocked more often.",
        "MIT 1.1",
        3,
        3,
        2,
        3,
    ),
    "false_flags": (
        "False accusations from automated flags",
        "People are wrongly flagged and face consequences before review.",
        "MIT 3.1; 600-1.2",
        4,
        4,
        3,
        3,
    ),
    "surveillance_chilling": (
        "Chilling effect of monitoring",
        "Students self-censor or lose trust because they are watched.",
        "MIT 2.1; MIT 5.2",
        3,
        3,
        3,
        3,
    ),
    "drift": (
        "Model performance drifts after go-live",
        "Accuracy falls as the population or data changes, unnoticed.",
        "MIT 7.3; MEASURE 2.4",
        3,
        3,
        2,
        3,
    ),
    "safety_routing": (
        "Unsafe pick-up points or times",
        "Routes put young children at unsafe stops or in darkness.",
        "MIT 7.3",
        2,
        5,
        2,
        4,
    ),
    "copyright": (
        "Copyright or licence breach in generated material",
        "Generated text or code reproduces protected material.",
        "600-1.10; MIT 6.3",
        3,
        2,
        2,
        2,
    ),
    "mistranslation": (
        "Mistranslated safety or legal notices",
        "Families receive wrong dates, deadlines or instructions.",
        "MIT 3.1",
        3,
        3,
        2,
        3,
    ),
    "misrouting": (
        "Requests routed to the wrong team",
        "Urgent requests wait in the wrong queue.",
        "MIT 7.3",
        3,
        2,
        2,
        2,
    ),
    "prohibited_practice": (
        "Prohibited emotion recognition in education",
        "Emotion inference in education is prohibited by the EU AI Act Article 5(1)(f).",
        "Article 5.1.f",
        5,
        5,
        5,
        5,
    ),
    "data_entry_errors": (
        "Extraction errors in official records",
        "Wrong addresses or birth dates enter the student system.",
        "MIT 3.1",
        3,
        3,
        2,
        2,
    ),
    "data_leak": (
        "Confidential data disclosed in responses",
        "The system reveals another person's data or internal documents.",
        "LLM02; 600-1.9; MIT 2.1",
        3,
        4,
        2,
        4,
    ),
    "opacity": (
        "Applicants cannot get an explanation",
        "Rejected applicants cannot learn why or contest the decision.",
        "MIT 7.4; 600-1.7",
        4,
        3,
        3,
        3,
    ),
    "tool_misuse": (
        "Agent misuses its tools",
        "The agent runs destructive commands or calls tools outside its task.",
        "ASI02; LLM06; MIT 7.3",
        4,
        5,
        3,
        5,
    ),
    "privilege_abuse": (
        "Agent acts with more privilege than needed",
        "Credentials let the agent reach systems it should not.",
        "ASI03; LLM06; MIT 2.2",
        3,
        5,
        3,
        4,
    ),
    "prod_deletion": (
        "Agent deletes or corrupts production data",
        "Without dev/prod separation an agent can drop a production database "
        "(2025 incident during a code freeze).",
        "ASI02; ASI03; MIT 7.3",
        3,
        5,
        3,
        5,
    ),
    "code_vulns": (
        "Vulnerable code suggested and merged",
        "Generated code introduces security flaws.",
        "600-1.9; LLM05; MIT 2.2",
        3,
        3,
        2,
        3,
    ),
    "filter_bubble": (
        "Narrow recommendations",
        "Students see a narrowing range of books.",
        "MIT 5.2",
        2,
        1,
        2,
        1,
    ),
}

CONTROLS: list[tuple[str, str, str, str, str]] = [
    (
        "Human review of every consequential output",
        "preventive",
        "tested",
        "MANAGE 2.2; MANAGE 4.1; 600-1.7; MIT 5.1",
        "Priya Raman",
    ),
    (
        "Vendor AI due-diligence questionnaire",
        "directive",
        "implemented",
        "GOVERN 6.1; GOVERN 6.2; LLM03; ASI04",
        "Omar Haddad",
    ),
    (
        "Data processing agreement with no-training clause",
        "preventive",
        "implemented",
        "GOVERN 6.1; MAP 4.1; LLM02; 600-1.4; MIT 2.1",
        "Ingrid Nilsson",
    ),
    (
        "Quarterly bias testing by subgroup",
        "detective",
        "planned",
        "MEASURE 2.11; 600-1.6; MIT 1.1; MIT 1.3",
        "Omar Haddad",
    ),
    (
        "Prompt-injection red team before release",
        "detective",
        "planned",
        "MEASURE 2.7; LLM01; LLM07; ASI01; 600-1.9",
        "Lucía Fernández",
    ),
    (
        "Least-privilege credentials for agents",
        "preventive",
        "implemented",
        "MANAGE 2.4; ASI03; LLM06; MIT 2.2",
        "Tom Kowalski",
    ),
    (
        "Production change freeze enforced in CI",
        "preventive",
        "lapsed",
        "MANAGE 2.4; ASI02; ASI08",
        "Lucía Fernández",
    ),
    (
        "Transcript sampling and escalation log",
        "detective",
        "tested",
        "MEASURE 3.1; 600-1.2; LLM09; MIT 3.1",
        "Sam Achebe",
    ),
    (
        "Parent notice and opt-out for AI tools",
        "directive",
        "implemented",
        "GOVERN 4.2; MAP 5.1",
        "Dana Whitfield",
    ),
    (
        "Model performance monitoring dashboard",
        "detective",
        "implemented",
        "MEASURE 2.4; MANAGE 4.1; MIT 7.3",
        "Tom Kowalski",
    ),
]

# (use index, kind, days ago, severity, people, title, description, reportable)
INCIDENTS: list[tuple[int, str, int, str, int, str, str, bool]] = [
    (
        0,
        "near_miss",
        40,
        "medium",
        1,
        "Chatbot suggested an unsafe diet plan",
        "A student asked for weight-loss advice; the answer was caught by a teacher in review.",
        False,
    ),
    (
        0,
        "near_miss",
        12,
        "low",
        3,
        "Chatbot answered with a made-up citation",
        "Homework answer cited a book that does not exist.",
        False,
    ),
    (
        2,
        "incident",
        75,
        "high",
        14,
        "Students wrongly flagged for cheating",
        "Low-light webcams produced flags for 14 students; two were given zero marks "
        "before appeal.",
        False,
    ),
    (
        13,
        "near_miss",
        20,
        "medium",
        0,
        "Prompt injection attempt in chat",
        "A user tried to get the bot to reveal its system prompt; guardrail held.",
        False,
    ),
    (
        13,
        "rollback",
        55,
        "medium",
        800,
        "Chatbot v2 rolled back",
        "New model version gave wrong refund policy; rolled back to v1 within 3 hours.",
        False,
    ),
    (
        15,
        "near_miss",
        9,
        "high",
        0,
        "Agent attempted DROP TABLE in staging",
        "During a code freeze the agent generated a migration that dropped a table; a reviewer "
        "stopped it.",
        False,
    ),
    (
        17,
        "incident",
        30,
        "medium",
        240,
        "Fraud model blocked legitimate payments",
        "A holiday spending pattern triggered 240 false blocks.",
        False,
    ),
    (
        3,
        "incident",
        6,
        "critical",
        1,
        "Missed self-harm alert",
        "A concerning document was not flagged; a counsellor learned of it from a teacher.",
        True,
    ),
    (
        16,
        "near_miss",
        100,
        "low",
        0,
        "Copilot suggested a hard-coded secret",
        "Caught in code review.",
        False,
    ),
    (
        6,
        "near_miss",
        65,
        "low",
        400,
        "Translated newsletter had a wrong date",
        "Vietnamese edition listed the wrong day for parent evenings; corrected same day.",
        False,
    ),
]


def build_demo(
    service: RegisterService, *, uses: int = 0, seed: int = 7, today: dt.date | None = None
) -> dict[str, int]:
    """Write the demo register; ``uses`` > len(USES) adds generated variations."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    with service.action() as uow:
        _write(uow, rng, max(uses, len(USES)) if uses else len(USES), today)
    return {"uses": service.count("ai_use"), "risks": service.count("risk")}


def _write(uow: UnitOfWork, rng: random.Random, n_uses: int, today: dt.date) -> None:
    if uow.row("org_profile", 1) is None:
        uow.create("org_profile", ORG, key=1)
    people: dict[str, int] = {}
    for name, title, dept, line in PEOPLE:
        people[name] = uow.create(
            "person",
            {
                "name": name,
                "title": title,
                "department": dept,
                "default_line": line,
                "email": name.lower().replace(" ", ".").replace("í", "i") + "@riverside.example",
                "has_left": name in LEFT,
            },
        )
    vendors = {name: uow.create("vendor", {"name": name, "kind": kind}) for name, kind in VENDORS}
    second_line = [people["Omar Haddad"], people["Ingrid Nilsson"], people["Dana Whitfield"]]
    third_line = [people["Kwame Mensah"], people["Hannah Brooks"]]

    use_rows: list[dict[str, Any]] = []
    risk_plan: list[tuple[int, tuple[str, ...]]] = []
    for index in range(n_uses):
        spec = USES[index % len(USES)]
        generated = index >= len(USES)
        row: dict[str, Any] = {
            "name": spec.name if not generated else f"{spec.name} #{index // len(USES) + 1}",
            "department": spec.department,
            "purpose": spec.purpose,
            "vendor_id": vendors.get(spec.vendor) if spec.vendor else None,
            "model_name": spec.model,
            "owner_first_id": people.get(spec.owner),  # "" = nobody owns it yet (a gap)
            "stage": "production",
        }
        row.update(spec.attrs)
        if generated:
            row["people_affected"] = int(
                spec.attrs.get("people_affected", 100) * rng.uniform(0.2, 3)
            )
        tier_hint = _tier_hint(spec)
        # Oversight is deliberately incomplete in places so the ladder has gaps to show.
        if tier_hint >= 1 and rng.random() < 0.85:
            row["owner_second_id"] = rng.choice(second_line)
        if tier_hint >= 2 and rng.random() < 0.7:
            row["owner_third_id"] = rng.choice(third_line)
        if spec.name == "Contract review assistant":
            row["owner_second_id"] = people["Omar Haddad"]  # same person twice: a gap
        go_live = today - dt.timedelta(days=rng.randint(60, 900))
        row["go_live"] = go_live if row.get("stage") not in ("idea", "development") else None
        cadence = DEFAULT_CONFIG.review_months_for(list(Tier)[tier_hint])
        if row["go_live"]:
            last = today - dt.timedelta(days=rng.randint(10, 30 * cadence + 120))
            row["last_review"] = last
            row["next_review"] = add_months(last, cadence)
        use_rows.append(row)
        risk_plan.append((index, spec.risks))
    uow.preload_ids("person", "vendor", "ai_use")
    use_ids = uow.create_many("ai_use", use_rows)

    risk_rows: list[dict[str, Any]] = []
    for (index, keys), use_id in zip(risk_plan, use_ids, strict=True):
        owner = use_rows[index]["owner_first_id"]
        extra = 5 - len(keys) if index >= len(USES) else 0
        for key in list(keys) + [rng.choice(list(RISK_TEMPLATES)) for _ in range(extra)]:
            title, desc, refs, il, ii, rl, ri = RISK_TEMPLATES[key]
            risk_rows.append(
                {
                    "use_id": use_id,
                    "title": title,
                    "description": desc,
                    "taxonomy_refs": refs,
                    "inherent_likelihood": il,
                    "inherent_impact": ii,
                    "residual_likelihood": rl,
                    "residual_impact": ri,
                    "owner_id": owner,
                    "status": "treating" if rl * ri < il * ii else "open",
                    "treatment": "avoid" if key == "prohibited_practice" else "mitigate",
                    "due_date": today + dt.timedelta(days=rng.randint(-30, 180)),
                    # where treatment is planned, the level it aims for
                    **(
                        {"target_likelihood": max(1, rl - 1), "target_impact": ri}
                        if index < len(USES) and rl * ri >= 8
                        else {}
                    ),
                }
            )
    risk_ids = uow.create_many("risk", risk_rows)
    # One accepted risk (named 2nd-line acceptor) and one acceptance that has expired.
    uow.update(
        "risk",
        risk_ids[1],
        {
            "status": "accepted",
            "treatment": "accept",
            "accepted_by_id": people["Omar Haddad"],
            "acceptance_rationale": "Teacher review of every transcript sample; accepted for "
            "this school year.",
            "acceptance_expires": today + dt.timedelta(days=200),
        },
    )
    uow.update(
        "risk",
        risk_ids[7],  # proctoring false flags: residual High, above the Medium appetite
        {
            "status": "accepted",
            "treatment": "accept",
            "accepted_by_id": people["Ingrid Nilsson"],
            "acceptance_rationale": "Accepted pending vendor fix.",
            "acceptance_expires": today - dt.timedelta(days=20),
        },
    )

    control_ids = []
    for name, ctype, status, refs, owner in CONTROLS:
        control_ids.append(
            uow.create(
                "control",
                {
                    "name": name,
                    "control_type": ctype,
                    "status": status,
                    "framework_refs": refs,
                    "owner_id": people[owner],
                    "last_tested": today - dt.timedelta(days=rng.randint(30, 500))
                    if status == "tested"
                    else None,
                },
            )
        )
    for risk_id in risk_ids[: min(len(risk_ids), 60)]:
        uow.create("risk_control", {"risk_id": risk_id, "control_id": rng.choice(control_ids)})

    for use_index, kind, days, sev, affected, title, desc, reportable in INCIDENTS:
        if use_index >= len(use_ids):
            continue
        uow.create(
            "incident",
            {
                "use_id": use_ids[use_index],
                "kind": kind,
                "title": title,
                "severity": sev,
                "occurred_on": today - dt.timedelta(days=days),
                "people_affected": affected,
                "description": desc,
                "reportable": reportable,
                "actions": "Reviewed with the 1st-line owner; see linked risks.",
            },
        )
    _history(uow, today, people, use_ids[: len(USES)], control_ids)


def _tier_hint(spec: UseSpec) -> int:
    """Rough tier for deciding which oversight the demo fills in (0=Low … 3=Critical)."""
    a = spec.attrs
    if a.get("eu_ai_act_class") == "prohibited":
        return 3
    if (
        a.get("rights_impacting")
        or a.get("safety_impacting")
        or a.get("eu_ai_act_class") == "high_risk"
        or a.get("autonomy") == "agent_autonomous"
    ):
        return 2
    if a.get("data_sensitivity") in ("personal", "sensitive", "children_special"):
        return 1
    return 0


# --- history: reviews, challenges, incidents over past months ---------------------------
# Only the curated uses get a history (a 10,000-use demo stays fast). Written through the
# governance functions where they apply, so the history is audited like any other
# change and obeys the same rules (a review waits for challenges to be resolved).


def _ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def _risk_ids_by_title(uow: UnitOfWork, use_id: int) -> dict[str, int]:
    from sqlalchemy import select

    from riskdesk.service.register import table_of

    risk = table_of("risk")
    rows = uow.conn.execute(select(risk.c.id, risk.c.title).where(risk.c.use_id == use_id))
    return {title: rid for rid, title in rows}


def _past_review(
    uow: UnitOfWork,
    use_id: int,
    on: dt.date,
    reviewer: int,
    notes: str,
    was: dict[str, Any],
    residuals: dict[str, tuple[int, int]] | None = None,
) -> None:
    """A review of the use as it was on ``on`` (factors ``was``), before it grew.

    ``record_review`` snapshots the use as it is now; for the uses whose exposure has
    crept up since, the snapshot has to describe the smaller use they were then.
    """
    from types import SimpleNamespace

    from sqlalchemy import select

    from riskdesk.scoring import GapInputs, find_gaps, next_review_due
    from riskdesk.service.governance import build_snapshot, snapshot_text
    from riskdesk.service.register import RegisterService, table_of

    config = uow.service.scoring_config(uow.conn)
    current = uow.row("ai_use", use_id)
    assert current is not None
    past = {**current, **was}
    RegisterService.derive_use(past, config)
    past["last_review"] = on
    past["next_review"] = next_review_due(past["tier"], on, config)
    risk_t, person_t, challenge_t = table_of("risk"), table_of("person"), table_of("challenge")
    risks = [
        dict(r)
        for r in uow.conn.execute(select(risk_t).where(risk_t.c.use_id == use_id)).mappings()
    ]
    templates = {RISK_TEMPLATES[k][0]: v for k, v in (residuals or {}).items()}
    for risk in risks:
        if risk["title"] in templates:
            risk["residual_likelihood"], risk["residual_impact"] = templates[risk["title"]]
    left = set(uow.conn.execute(select(person_t.c.id).where(person_t.c.has_left)).scalars())
    challenged = uow.conn.execute(
        select(challenge_t.c.id).where(
            challenge_t.c.use_id == use_id, challenge_t.c.raised_on <= on
        )
    ).first()
    owners = {past["owner_first_id"], past["owner_second_id"], past["owner_third_id"]}
    gaps = find_gaps(
        GapInputs.from_use(
            SimpleNamespace(**past),
            today=on,
            risks=[SimpleNamespace(**r) for r in risks],
            owners_left=[o for o in owners if o in left],
            has_recorded_challenge=challenged is not None,
        ),
        config,
    )
    uow.create(
        "review",
        {
            "use_id": use_id,
            "reviewed_on": on,
            "reviewer_id": reviewer,
            "exposure": past["exposure"],
            "tier": past["tier"],
            "score_method": past["score_method"],
            "snapshot": snapshot_text(build_snapshot(past, risks, gaps, on)),
            "notes": notes,
        },
    )
    uow.update("ai_use", use_id, {"last_review": on, "next_review": past["next_review"]})


# The risks each incident in INCIDENTS realised (template keys), in the same order
INCIDENT_LINKS: list[tuple[str, ...]] = [
    ("harmful_advice",),
    ("confabulation",),
    ("false_flags", "bias_proctoring"),
    ("prompt_injection",),
    ("confabulation",),
    ("prod_deletion", "tool_misuse"),
    ("false_flags", "bias_fraud"),
    (),  # the missed alert matched no recorded risk: itself a finding
    ("code_vulns",),
    ("mistranslation",),
]


def _history(
    uow: UnitOfWork,
    today: dt.date,
    people: dict[str, int],
    use_ids: list[int],
    control_ids: list[int],
) -> None:
    from sqlalchemy import select

    from riskdesk.service import governance as gov
    from riskdesk.service.register import table_of

    use = {spec.name: use_ids[i] for i, spec in enumerate(USES) if i < len(use_ids)}
    dana, omar, ingrid = people["Dana Whitfield"], people["Omar Haddad"], people["Ingrid Nilsson"]

    def reviewer(name: str) -> int:
        row = uow.row("ai_use", use[name]) or {}
        second = row.get("owner_second_id")
        if second is not None and second != row.get("owner_first_id"):
            return int(second)
        return omar if row.get("owner_first_id") == dana else dana

    def review(name: str, days: int, notes: str) -> None:
        gov.record_review(uow, use[name], reviewer(name), notes, _ago(today, days))

    def challenge(
        name: str, days: int, by: int, question: str, severity: str, risk: str | None = None
    ) -> int:
        risk_id = _risk_ids_by_title(uow, use[name]).get(RISK_TEMPLATES[risk][0]) if risk else None
        result = gov.raise_challenge(
            uow, use[name], by, question, severity, risk_id, _ago(today, days)
        )
        return int(result.created_id)

    # Uses whose exposure crept up since their last review (the Drift page's first list).
    chatbot, agent, homework = (
        "Customer support chatbot",
        "Autonomous coding agent",
        "Student homework chatbot",
    )
    _past_review(
        uow,
        use[chatbot],
        _ago(today, 330),
        reviewer(chatbot),
        "Pilot on the billing pages only; FAQ answers, no account access.",
        {"people_affected": 25000, "autonomy": "assistive", "agent_permissions": ""},
        {"data_leak": (2, 3)},
    )
    _past_review(
        uow,
        use[chatbot],
        _ago(today, 150),
        reviewer(chatbot),
        "Rolled out to all product pages. Order-history tool planned, not yet live.",
        {"people_affected": 60000, "autonomy": "assistive", "agent_permissions": "Read FAQ"},
        {"data_leak": (2, 3)},
    )
    _past_review(
        uow,
        use[agent],
        _ago(today, 280),
        reviewer(agent),
        "Agent opens pull requests; every write needs an engineer's approval.",
        {"autonomy": "agent_write_approval", "harm_severity": "serious"},
        {"prod_deletion": (2, 5), "tool_misuse": (2, 5)},
    )
    _past_review(
        uow,
        use[agent],
        _ago(today, 100),
        reviewer(agent),
        "Approval step removed for test-only changes to speed up the release train.",
        {"harm_severity": "serious"},
        {"prod_deletion": (2, 5)},
    )
    # Reach and stakes grew step by step until the use crossed into High.
    for days, was, notes in (
        (430, {"people_affected": 600, "harm_severity": "minor"}, "Two pilot schools, maths only."),
        (
            250,
            {"people_affected": 3000, "harm_severity": "minor"},
            "Extended to all middle schools.",
        ),
        (70, {"people_affected": 8000}, "Extended to high-school English; sampling working well."),
    ):
        _past_review(uow, use[homework], _ago(today, days), reviewer(homework), notes, was)

    # The good example: challenged, answered, resolved, then reviewed on time.
    essay = "Essay grading assistant"
    review(essay, 250, "Pilot results reviewed with the English department.")
    c = challenge(
        essay,
        200,
        reviewer(essay),
        "Teachers accept 94% of suggested scores. How do we know they are checking rather "
        "than rubber-stamping, and is the override rate the same for English learners?",
        "high",
        "bias_grading",
    )
    gov.answer_challenge(
        uow,
        c,
        people["Marcus Obi"],
        "Override rates by student group are now in the monthly report; English learners' "
        "essays are double-marked this term.",
    )
    gov.resolve_challenge(
        uow,
        c,
        "Evidence seen in the October report; keep double-marking until two terms show no gap.",
        _ago(today, 175),
    )
    review(essay, 160, "Double-marking in place; override rates by group reviewed.")
    review(essay, 70, "No change in use or scores; October report seen.")

    # A Critical use reviewed monthly, a resolved challenge, then a missed alert and a
    # new challenge that keeps its next review from being signed off.
    monitor = "Student wellbeing monitor"
    review(monitor, 125, "Monthly review: alert volumes and counsellor response times.")
    c = challenge(
        monitor,
        110,
        ingrid,
        "What happens to an alert that arrives at 11 pm on a Friday? Who is on call?",
        "critical",
    )
    gov.answer_challenge(
        uow,
        c,
        people["Priya Raman"],
        "Alerts outside school hours page the on-call counsellor; weekend rota agreed "
        "with the vendor.",
    )
    gov.resolve_challenge(uow, c, "Rota seen and tested with a drill alert.", _ago(today, 100))
    review(monitor, 95, "Out-of-hours rota in place.")
    review(monitor, 65, "No change.")
    review(monitor, 35, "No change; false-flag rate steady at 1 in 40.")
    challenge(
        monitor,
        5,
        dana,
        "The missed alert: was the document type outside the scanner's coverage, and "
        "which other document types are not scanned?",
        "critical",
    )

    # An escalated challenge on a High use: its review is overdue and cannot be signed off.
    cv = "CV screening and ranking"
    review(cv, 120, "Vendor contract renewed; adverse-impact test requested.")
    c = challenge(
        cv,
        50,
        omar,
        "Has the vendor's adverse-impact analysis been checked against our own applicant pool?",
        "high",
        "bias_hiring",
    )
    gov.answer_challenge(
        uow,
        c,
        people["Elena Petrova"],
        "The vendor certifies compliance with the four-fifths rule.",
    )
    gov.escalate_challenge(
        uow,
        c,
        "A vendor certificate is not evidence for our pool; escalated to the audit "
        "committee for an independent bias audit.",
    )

    # Answered, waiting for the reviewer.
    challenge_id = challenge(
        chatbot,
        45,
        ingrid,
        "What stops a prompt injection from reading another customer's order history "
        "through the order tool?",
        "high",
        "prompt_injection",
    )
    gov.answer_challenge(
        uow,
        challenge_id,
        people["Sam Achebe"],
        "The order tool is scoped to the signed-in customer's session; a red-team test is "
        "planned for the next release.",
    )

    # Open, after the agent's near miss during the code freeze.
    challenge(
        agent,
        8,
        omar,
        "After the DROP TABLE attempt: why can the agent run migrations at all, and why "
        "are staging and production credentials not separated?",
        "critical",
        "prod_deletion",
    )

    # A prohibited practice challenged and the refusal put on the record.
    emotion = "Emotion detection in classroom cameras"
    c = challenge(
        emotion,
        20,
        ingrid,
        "Emotion recognition in education is prohibited by the EU AI Act Art. 5(1)(f). "
        "Why is this proposal still open?",
        "critical",
        "prohibited_practice",
    )
    gov.answer_challenge(
        uow,
        c,
        people["Priya Raman"],
        "It is a vendor proposal we have not accepted; we will record the decision to decline.",
    )
    gov.resolve_challenge(
        uow,
        c,
        "Decision to decline recorded; kept as an idea so the refusal stays on the register.",
        _ago(today, 15),
    )

    # Routine reviews on time; one High use left overdue (Reading level placement).
    iep = "Special-education IEP drafting aid"
    c = challenge(
        iep,
        60,
        ingrid,
        "Are draft goals checked against the assessment notes before they reach parents?",
        "medium",
        "confabulation",
    )
    gov.answer_challenge(
        uow,
        c,
        people["Priya Raman"],
        "Every draft is signed by the case manager; a checklist was added to the template.",
    )
    gov.resolve_challenge(uow, c, "Checklist seen in three sampled files.", _ago(today, 45))
    for name, days, notes in (
        (iep, 30, "Pilot continues in two schools."),
        ("Reading level placement", 200, "Placement accuracy checked against teacher judgement."),
        ("Online exam proctoring", 260, "Vendor settings reviewed."),
        ("Online exam proctoring", 170, "No change."),
        ("Payment fraud scoring", 75, "Monthly review: false-positive report."),
        ("Payment fraud scoring", 45, "Monthly review: no change."),
        ("Payment fraud scoring", 14, "After the holiday false blocks: thresholds retuned."),
        ("Bus route optimisation", 40, "Routes checked before the winter timetable."),
        ("Phishing email filter", 50, "Quarantine release times reviewed."),
        ("Teacher lesson-plan drafting", 300, "Annual review."),
        ("Code completion in the IDE", 200, "Annual review; secret scanning confirmed."),
        ("Parent newsletter translation", 120, "Annual review; native-speaker spot checks."),
        ("Board minutes summariser", 100, "Annual review."),
        ("IT helpdesk ticket triage", 150, "No change."),
        ("Enrolment document OCR", 170, "Extraction error rate 0.4%."),
        ("Sales email drafting", 100, "No change."),
        ("Contract review assistant", 90, "No change."),
        ("Library book recommendations", 60, "No change."),
        ("Substitute teacher scheduling", 120, "Approval step confirmed in use."),
    ):
        review(name, days, notes)

    # An acceptance that expires within the month (due soon on the dashboard).
    chilling = _risk_ids_by_title(uow, use[monitor])[RISK_TEMPLATES["surveillance_chilling"][0]]
    gov.accept_risk(
        uow,
        chilling,
        ingrid,
        "Students and parents are told about monitoring; accepted until the policy review.",
        today + dt.timedelta(days=21),
        _ago(today, 160),
    )

    # Link the existing incidents to the risks they realised.
    incident_t = table_of("incident")
    incident_ids = list(
        uow.conn.execute(select(incident_t.c.id).order_by(incident_t.c.id)).scalars()
    )
    placed = [spec for spec in INCIDENTS if spec[0] < len(use_ids)]
    for (use_index, *_rest), keys, incident_id in zip(
        placed, INCIDENT_LINKS, incident_ids, strict=False
    ):
        by_title = _risk_ids_by_title(uow, use_ids[use_index])
        for key in keys:
            rid = by_title.get(RISK_TEMPLATES[key][0])
            if rid is not None:
                uow.create("incident_risk", {"incident_id": incident_id, "risk_id": rid})

    # More near misses than incidents, as a register that is looking should show.
    for name, kind, days, severity, affected, title, description, keys in (
        (
            essay,
            "near_miss",
            130,
            "low",
            1,
            "Score suggested for a blank page",
            "A scanned blank page got a rubric score; the teacher noticed.",
            ("confabulation",),
        ),
        (
            chatbot,
            "near_miss",
            85,
            "low",
            12,
            "Bot quoted a discontinued price plan",
            "Twelve customers saw last year's prices; corrected in the FAQ source.",
            ("confabulation",),
        ),
        (
            "Bus route optimisation",
            "near_miss",
            150,
            "medium",
            0,
            "Stop placed on a road closed for works",
            "Dispatcher caught it in the weekly check before the route went out.",
            ("safety_routing",),
        ),
        (
            agent,
            "rollback",
            160,
            "medium",
            0,
            "Agent-merged dependency bump rolled back",
            "A dependency upgrade merged by the agent broke checkout in staging.",
            ("code_vulns",),
        ),
        (
            "Cloud cost anomaly agent",
            "shutdown",
            200,
            "high",
            300,
            "Agent stopped the payroll VM",
            "The agent stopped a VM it classed as idle during "
            "a payroll run; switched off for a week while approvals were added.",
            ("tool_misuse",),
        ),
    ):
        by_title = _risk_ids_by_title(uow, use[name])
        gov.log_incident(
            uow,
            {
                "use_id": use[name],
                "kind": kind,
                "title": title,
                "occurred_on": _ago(today, days),
                "severity": severity,
                "people_affected": affected,
                "description": description,
                "actions": "Discussed with the 1st-line owner; linked to the risk.",
            },
            [by_title[RISK_TEMPLATES[k][0]] for k in keys if RISK_TEMPLATES[k][0] in by_title],
        )

    # The possibly reportable incident was reported within its Art. 73 deadline.
    for incident_id in incident_ids:
        row = uow.row("incident", incident_id)
        if row is not None and row["reportable"] and row["reported_on"] is None:
            uow.update(
                "incident", incident_id, {"reported_on": row["occurred_on"] + dt.timedelta(days=1)}
            )

    # A use needs re-review when something happened after its last review.
    latest: dict[int, dt.date] = {}
    for use_id, occurred in uow.conn.execute(
        select(incident_t.c.use_id, incident_t.c.occurred_on).where(
            incident_t.c.use_id.is_not(None)
        )
    ):
        latest[use_id] = max(occurred, latest.get(use_id, occurred))
    for use_id in use_ids:
        row = uow.row("ai_use", use_id)
        assert row is not None
        happened = latest.get(use_id)
        flag = happened is not None and (
            row["last_review"] is None or happened > row["last_review"]
        )
        if row["needs_rereview"] != flag:
            uow.update("ai_use", use_id, {"needs_rereview": flag})

    # Controls: some tested on time, some overdue, one never tested.
    for index, (days, every) in {
        1: (400, 12),
        2: (200, 12),
        5: (330, 6),
        7: (400, 12),
        9: (100, 12),
        0: (60, 12),
    }.items():
        if index < len(control_ids):
            uow.update(
                "control",
                control_ids[index],
                {"last_tested": _ago(today, days), "test_every_months": every},
            )
