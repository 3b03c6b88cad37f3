"""The demo's history over past months: one function per story the register tells.

``write_history`` runs them in a fixed order; later stories read what earlier ones wrote
(a review waits for its challenges, re-review flags follow the incidents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from riskdesk.demo.data import DemoData, IncidentSpec
from riskdesk.demo.story import Story
from riskdesk.service import governance as gov
from riskdesk.service.register import UnitOfWork, table_of

CHATBOT = "Customer support chatbot"
AGENT = "Autonomous coding agent"
HOMEWORK = "Student homework chatbot"
ESSAY = "Essay grading assistant"
MONITOR = "Student wellbeing monitor"


def write_history(
    uow: UnitOfWork,
    data: DemoData,
    today: dt.date,
    people: dict[str, int],
    use_ids: list[int],
    control_ids: list[int],
    until: dt.date | None = None,
) -> None:
    """Every story; with ``until``, only the incidents that occurred by then (the later
    ones are logged after the demo's past board packs: ``log_later_incidents``)."""
    story = Story(uow, data, today, people, use_ids, control_ids)
    exposure_crept_up(story)
    challenge_answered_and_resolved(story)
    critical_use_with_open_challenge(story)
    escalated_challenge(story)
    answered_challenge_awaiting_reviewer(story)
    open_challenge_after_near_miss(story)
    prohibited_practice_declined(story)
    routine_reviews(story)
    acceptance_expiring_soon(story)
    incident_ids = link_incidents_to_risks(story, occurred_by(story, data, until))
    near_misses(story, lambda day: until is None or day <= until)
    reportable_incident_reported(story, incident_ids)
    if until is None:  # else once every incident is logged (``log_later_incidents``)
        rereview_after_incidents(story)
    control_tests(story)


def occurred_by(s: Story, data: DemoData, until: dt.date | None) -> list[IncidentSpec]:
    """The incidents of incidents.csv that had occurred by ``until`` (all without it)."""
    return [i for i in data.incidents if until is None or s.ago(i.days_ago) <= until]


def log_later_incidents(s: Story, after: dt.date) -> None:
    """The incidents that occurred after ``after``, logged in an action of their own so
    that the board pack issued on ``after`` is followed by them in the audit trail."""
    incident_t = table_of("incident")
    before = set(s.uow.conn.execute(select(incident_t.c.id)).scalars())
    later = [i for i in s.data.incidents if s.ago(i.days_ago) > after]
    for spec in later:
        s.uow.create("incident", incident_record(spec, s.use[spec.use], s.today))
    link_incidents_to_risks(s, later, exclude=before)
    near_misses(s, lambda day: day > after)
    ids = list(s.uow.conn.execute(select(incident_t.c.id).order_by(incident_t.c.id)).scalars())
    reportable_incident_reported(s, ids)
    rereview_after_incidents(s)


def incident_record(spec: IncidentSpec, use_id: int, today: dt.date) -> dict[str, object]:
    """An incident of incidents.csv as the register stores it."""
    return {
        "use_id": use_id,
        "kind": spec.kind,
        "title": spec.title,
        "severity": spec.severity,
        "occurred_on": today - dt.timedelta(days=spec.days_ago),
        "people_affected": spec.people_affected,
        "description": spec.description,
        "reportable": spec.reportable,
        "actions": "Reviewed with the 1st-line owner; see linked risks.",
    }


def exposure_crept_up(s: Story) -> None:
    """Uses whose exposure crept up since their last review (the Drift page's first list)."""
    s.past_review(
        CHATBOT,
        330,
        "Pilot on the billing pages only; FAQ answers, no account access.",
        {"people_affected": 25000, "autonomy": "assistive", "agent_permissions": ""},
        {"data_leak": (2, 3)},
    )
    s.past_review(
        CHATBOT,
        150,
        "Rolled out to all product pages. Order-history tool planned, not yet live.",
        {"people_affected": 60000, "autonomy": "assistive", "agent_permissions": "Read FAQ"},
        {"data_leak": (2, 3)},
    )
    s.past_review(
        AGENT,
        280,
        "Agent opens pull requests; every write needs an engineer's approval.",
        {"autonomy": "agent_write_approval", "harm_severity": "serious"},
        {"prod_deletion": (2, 5), "tool_misuse": (2, 5)},
    )
    s.past_review(
        AGENT,
        100,
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
        s.past_review(HOMEWORK, days, notes, was)


def challenge_answered_and_resolved(s: Story) -> None:
    """The good example: challenged, answered, resolved, then reviewed on time."""
    s.review(ESSAY, 250, "Pilot results reviewed with the English department.")
    c = s.challenge(
        ESSAY,
        200,
        s.reviewer(ESSAY),
        "Teachers accept 94% of suggested scores. How do we know they are checking rather "
        "than rubber-stamping, and is the override rate the same for English learners?",
        "high",
        "bias_grading",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Marcus Obi"],
        "Override rates by student group are now in the monthly report; English learners' "
        "essays are double-marked this term.",
    )
    gov.resolve_challenge(
        s.uow,
        c,
        "Evidence seen in the October report; keep double-marking until two terms show no gap.",
        s.ago(175),
    )
    s.review(ESSAY, 160, "Double-marking in place; override rates by group reviewed.")
    s.review(ESSAY, 70, "No change in use or scores; October report seen.")


def critical_use_with_open_challenge(s: Story) -> None:
    """A Critical use reviewed monthly, a resolved challenge, then a missed alert and a
    new challenge that keeps its next review from being signed off."""
    s.review(MONITOR, 125, "Monthly review: alert volumes and counsellor response times.")
    c = s.challenge(
        MONITOR,
        110,
        s.people["Ingrid Nilsson"],
        "What happens to an alert that arrives at 11 pm on a Friday? Who is on call?",
        "critical",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Priya Raman"],
        "Alerts outside school hours page the on-call counsellor; weekend rota agreed "
        "with the vendor.",
    )
    gov.resolve_challenge(s.uow, c, "Rota seen and tested with a drill alert.", s.ago(100))
    s.review(MONITOR, 95, "Out-of-hours rota in place.")
    s.review(MONITOR, 65, "No change.")
    s.review(MONITOR, 35, "No change; false-flag rate steady at 1 in 40.")
    s.challenge(
        MONITOR,
        5,
        s.people["Dana Whitfield"],
        "The missed alert: was the document type outside the scanner's coverage, and "
        "which other document types are not scanned?",
        "critical",
    )


def escalated_challenge(s: Story) -> None:
    """An escalated challenge on a High use: its review is overdue and cannot be signed off."""
    cv = "CV screening and ranking"
    s.review(cv, 120, "Vendor contract renewed; adverse-impact test requested.")
    c = s.challenge(
        cv,
        50,
        s.people["Omar Haddad"],
        "Has the vendor's adverse-impact analysis been checked against our own applicant pool?",
        "high",
        "bias_hiring",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Elena Petrova"],
        "The vendor certifies compliance with the four-fifths rule.",
    )
    gov.escalate_challenge(
        s.uow,
        c,
        "A vendor certificate is not evidence for our pool; escalated to the audit "
        "committee for an independent bias audit.",
    )


def answered_challenge_awaiting_reviewer(s: Story) -> None:
    """Answered, waiting for the reviewer."""
    c = s.challenge(
        CHATBOT,
        45,
        s.people["Ingrid Nilsson"],
        "What stops a prompt injection from reading another customer's order history "
        "through the order tool?",
        "high",
        "prompt_injection",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Sam Achebe"],
        "The order tool is scoped to the signed-in customer's session; a red-team test is "
        "planned for the next release.",
    )


def open_challenge_after_near_miss(s: Story) -> None:
    """Open, after the agent's near miss during the code freeze."""
    s.challenge(
        AGENT,
        8,
        s.people["Omar Haddad"],
        "After the DROP TABLE attempt: why can the agent run migrations at all, and why "
        "are staging and production credentials not separated?",
        "critical",
        "prod_deletion",
    )


def prohibited_practice_declined(s: Story) -> None:
    """A prohibited practice challenged and the refusal put on the record."""
    emotion = "Emotion detection in classroom cameras"
    c = s.challenge(
        emotion,
        20,
        s.people["Ingrid Nilsson"],
        "Emotion recognition in education is prohibited by the EU AI Act Art. 5(1)(f). "
        "Why is this proposal still open?",
        "critical",
        "prohibited_practice",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Priya Raman"],
        "It is a vendor proposal we have not accepted; we will record the decision to decline.",
    )
    gov.resolve_challenge(
        s.uow,
        c,
        "Decision to decline recorded; kept as an idea so the refusal stays on the register.",
        s.ago(15),
    )


def routine_reviews(s: Story) -> None:
    """Routine reviews on time; one High use left overdue (Reading level placement)."""
    iep = "Special-education IEP drafting aid"
    c = s.challenge(
        iep,
        60,
        s.people["Ingrid Nilsson"],
        "Are draft goals checked against the assessment notes before they reach parents?",
        "medium",
        "confabulation",
    )
    gov.answer_challenge(
        s.uow,
        c,
        s.people["Priya Raman"],
        "Every draft is signed by the case manager; a checklist was added to the template.",
    )
    gov.resolve_challenge(s.uow, c, "Checklist seen in three sampled files.", s.ago(45))
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
        s.review(name, days, notes)


def acceptance_expiring_soon(s: Story) -> None:
    """An acceptance that expires within the month (due soon on the dashboard)."""
    chilling = s.risk_id(MONITOR, "surveillance_chilling")
    assert chilling is not None
    gov.accept_risk(
        s.uow,
        chilling,
        s.people["Ingrid Nilsson"],
        "Students and parents are told about monitoring; accepted until the policy review.",
        s.today + dt.timedelta(days=21),
        s.ago(160),
    )


def link_incidents_to_risks(
    s: Story, specs: list[IncidentSpec], exclude: set[int] | None = None
) -> list[int]:
    """Link the incidents from incidents.csv (``specs``, written in that order, after
    the incidents ``exclude``) to the risks they realised; their ids."""
    incident_t = table_of("incident")
    incident_ids = [
        i
        for i in s.uow.conn.execute(select(incident_t.c.id).order_by(incident_t.c.id)).scalars()
        if i not in (exclude or ())
    ]
    for incident, incident_id in zip(specs, incident_ids, strict=False):
        for key in incident.risks:
            rid = s.risk_id(incident.use, key)
            if rid is not None:
                s.uow.create("incident_risk", {"incident_id": incident_id, "risk_id": rid})
    return incident_ids


def near_misses(s: Story, keep: Callable[[dt.date], bool]) -> None:
    """More near misses than incidents, as a register that is looking should show
    (those whose day ``keep`` accepts)."""
    for name, kind, days, severity, affected, title, description, keys in (
        (
            ESSAY,
            "near_miss",
            130,
            "low",
            1,
            "Score suggested for a blank page",
            "A scanned blank page got a rubric score; the teacher noticed.",
            ("confabulation",),
        ),
        (
            CHATBOT,
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
            AGENT,
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
        if not keep(s.ago(days)):
            continue
        risk_ids = [s.risk_id(name, k) for k in keys]
        gov.log_incident(
            s.uow,
            {
                "use_id": s.use[name],
                "kind": kind,
                "title": title,
                "occurred_on": s.ago(days),
                "severity": severity,
                "people_affected": affected,
                "description": description,
                "actions": "Discussed with the 1st-line owner; linked to the risk.",
            },
            [rid for rid in risk_ids if rid is not None],
        )


def reportable_incident_reported(s: Story, incident_ids: list[int]) -> None:
    """The possibly reportable incident was reported within its Art. 73 deadline."""
    for incident_id in incident_ids:
        row = s.uow.row("incident", incident_id)
        if row is not None and row["reportable"] and row["reported_on"] is None:
            s.uow.update(
                "incident", incident_id, {"reported_on": row["occurred_on"] + dt.timedelta(days=1)}
            )


def rereview_after_incidents(s: Story) -> None:
    """A use needs re-review when something happened after its last review."""
    incident_t = table_of("incident")
    latest: dict[int, dt.date] = {}
    for use_id, occurred in s.uow.conn.execute(
        select(incident_t.c.use_id, incident_t.c.occurred_on).where(
            incident_t.c.use_id.is_not(None)
        )
    ):
        latest[use_id] = max(occurred, latest.get(use_id, occurred))
    for use_id in s.use_ids:
        row = s.uow.row("ai_use", use_id)
        assert row is not None
        happened = latest.get(use_id)
        flag = happened is not None and (
            row["last_review"] is None or happened > row["last_review"]
        )
        if row["needs_rereview"] != flag:
            s.uow.update("ai_use", use_id, {"needs_rereview": flag})


def control_tests(s: Story) -> None:
    """Controls: some tested on time, some overdue, one never tested."""
    for index, (days, every) in {
        1: (400, 12),
        2: (200, 12),
        5: (330, 6),
        7: (400, 12),
        9: (100, 12),
        0: (60, 12),
    }.items():
        if index < len(s.control_ids):
            s.uow.update(
                "control",
                s.control_ids[index],
                {"last_tested": s.ago(days), "test_every_months": every},
            )
