"""The catalogue applied to a register: user frameworks, coverage, suggestions, incidents."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from riskdesk.catalogue import (
    FrameworkFileError,
    default_incident_index,
    load_framework_file,
    load_rules,
    risk_template,
)
from riskdesk.service import frameworks as fw
from riskdesk.service.errors import ConflictError
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from tests.demo_expectations import demo_rmf_coverage

TODAY = dt.date(2026, 11, 1)
POLICY = "\n".join(
    [
        "framework_id,framework_name,version,source,licence,item_ref,parent_ref,title,text,kind",
        "ca-k12-ai-policy,Model AI policy for school districts,2025,State Dept.,Public record,"
        "1,,Governance,,section",
        ',,,,,1.1,1,AI tool inventory,"The district keeps an inventory of AI tools, '
        'including free ones.",requirement',
        ",,,,,1.2,1,Parent notice,Parents are told which AI tools their children use.,requirement",
        ",,,,,2,,Student data,No student personal data goes into consumer AI tools.,requirement",
        "",
    ]
)


def use_id(service: RegisterService, name: str) -> int:
    return int(service.rows("ai_use", name=name)[0]["id"])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def audit_count(service: RegisterService) -> int:
    return service.count("audit_event")


# --- suggestions ----------------------------------------------------------------------

REASONS = {rule.id: rule.reason for rule in load_rules()}

# (demo use, rule that must fire, risk template it suggests)
EXPECTED = [
    ("Autonomous coding agent", "SR-01", "RL-AGT-01"),  # can write/delete -> tool misuse
    ("Autonomous coding agent", "SR-01", "RL-AGT-02"),  # ... and privilege abuse
    ("Autonomous coding agent", "SR-08", "RL-AGT-03"),  # no dev/prod separation
    ("Student homework chatbot", "SR-02", "RL-GEN-02"),  # public chatbot -> prompt injection
    ("Student homework chatbot", "SR-02", "RL-GEN-03"),  # ... information integrity
    ("Student homework chatbot", "SR-03", "RL-GEN-01"),  # generative output relied on
    ("Student homework chatbot", "SR-04", "RL-PRV-02"),  # children's data -> privacy
    ("CV screening and ranking", "SR-07", "RL-FAIR-01"),  # decisions about people -> bias
    ("CV screening and ranking", "SR-19", "RL-FAIR-02"),  # hiring
    ("Online exam proctoring", "SR-20", "RL-FAIR-04"),  # proctoring
]


@pytest.mark.parametrize(("use_name", "rule_id", "risk_id"), EXPECTED)
def test_each_required_suggestion_appears_for_its_demo_use_with_its_reason(
    demo_service: RegisterService, use_name: str, rule_id: str, risk_id: str
) -> None:
    found = {
        s.risk.id: s for s in fw.suggestions_for_use(demo_service, use_id(demo_service, use_name))
    }
    assert risk_id in found
    suggestion = found[risk_id]
    reasons = {suggestion.rule_id: suggestion.reason, **dict(suggestion.also)}
    assert reasons[rule_id] == REASONS[rule_id]
    assert suggestion.risk.taxonomy_refs  # every suggestion carries framework refs


def test_rules_do_not_fire_without_their_attribute(demo_service: RegisterService) -> None:
    # The cloud cost agent has dev/prod separated: no production-deletion pattern.
    cloud = {
        s.risk.id
        for s in fw.suggestions_for_use(
            demo_service, use_id(demo_service, "Cloud cost anomaly agent")
        )
    }
    assert "RL-AGT-01" in cloud and "RL-AGT-03" not in cloud
    # Translation is neither generative nor about people: no chatbot or bias risks.
    translation = {
        s.risk.id
        for s in fw.suggestions_for_use(
            demo_service, use_id(demo_service, "Parent newsletter translation")
        )
    }
    assert not translation & {"RL-GEN-02", "RL-GEN-01", "RL-FAIR-01"}


def test_every_live_demo_use_gets_suggestions(demo_service: RegisterService) -> None:
    per_use = fw.register_suggestions(demo_service)
    names = {use["name"] for use, _ in per_use}
    assert "Retired: essay plagiarism detector v1" not in names
    assert len(per_use) == 27
    assert all(suggestions for _use, suggestions in per_use)


def test_suggestions_follow_unsaved_answers(demo_service: RegisterService) -> None:
    uid = use_id(demo_service, "Parent newsletter translation")
    ids = {s.risk.id for s in fw.suggestions_for_use(demo_service, uid, {"generative": True})}
    assert "RL-GEN-02" in ids  # public + generative now


def test_adding_a_suggested_risk_copies_the_template_and_stops_suggesting_it(
    demo_service: RegisterService,
) -> None:
    uid = use_id(demo_service, "Autonomous coding agent")
    template = risk_template("RL-AGT-03")
    before = audit_count(demo_service)
    rid = fw.add_risk_from_template(demo_service, uid, template)
    risk = demo_service.get("risk", rid)
    use = demo_service.get("ai_use", uid)
    assert risk["use_id"] == uid
    assert risk["title"] == template.title
    assert (
        risk["taxonomy_refs"]
        == template.refs_text
        == "ASI02, ASI10, ASI09, LLM06, MIT 7.3, MIT 7.1"
    )
    assert (risk["inherent_likelihood"], risk["inherent_impact"]) == (3, 5)
    assert (risk["residual_likelihood"], risk["residual_impact"]) == (3, 5)
    assert risk["owner_id"] == use["owner_first_id"]
    assert audit_count(demo_service) == before + 1
    remaining = {s.risk.id for s in fw.suggestions_for_use(demo_service, uid)}
    assert "RL-AGT-03" not in remaining and "RL-AGT-01" in remaining


def test_add_risk_inside_a_larger_action_and_undo(demo_service: RegisterService) -> None:
    uid = use_id(demo_service, "Student homework chatbot")
    risks_before = demo_service.count("risk")
    with demo_service.action() as uow:
        fw.add_risk_from_template(uow, uid, risk_template("RL-GEN-02"))
        fw.add_risk_from_template(uow, uid, risk_template("RL-GEN-03"))
        result = uow.result
    assert demo_service.count("risk") == risks_before + 2
    demo_service.undo(result)
    assert demo_service.count("risk") == risks_before


# --- user frameworks --------------------------------------------------------------------


def test_user_framework_round_trips_through_the_register(
    service: RegisterService, db_path: Path, tmp_path: Path
) -> None:
    source = write(tmp_path, "policy.csv", POLICY)
    original = load_framework_file(source)
    added = fw.add_user_framework(service, source)
    assert added == original

    stored = service.setting("framework:ca-k12-ai-policy")
    assert isinstance(stored, str) and stored.startswith("framework_id,framework_name")
    listed = fw.user_frameworks(service)
    assert listed == [original]
    assert not listed[0].builtin
    assert [f.id for f in fw.all_frameworks(service)][-1] == "ca-k12-ai-policy"
    assert len(fw.all_frameworks(service)) == 8

    # It travels with the file: a fresh service on the same register sees it.
    other = open_register(db_path)
    try:
        assert fw.user_frameworks(RegisterService(other)) == [original]
    finally:
        other.dispose()

    exported = fw.export_framework(listed[0], tmp_path / "exported.csv")
    again = load_framework_file(exported)
    assert again == original
    assert [(i.ref, i.parent_ref, i.title, i.text, i.kind) for i in again] == [
        (i.ref, i.parent_ref, i.title, i.text, i.kind) for i in original
    ]


def test_exported_template_loads_and_can_be_added(service: RegisterService, tmp_path: Path) -> None:
    path = fw.write_template(tmp_path / "template.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    template = load_framework_file(path)
    assert template.id == "ca-k12-ai-policy" and len(template) == 4
    fw.add_user_framework(service, path)
    assert [f.id for f in fw.user_frameworks(service)] == ["ca-k12-ai-policy"]


def test_removing_a_user_framework_is_undoable(service: RegisterService, tmp_path: Path) -> None:
    fw.add_user_framework(service, write(tmp_path, "policy.csv", POLICY))
    result = fw.remove_user_framework(service, "ca-k12-ai-policy")
    assert fw.user_frameworks(service) == []
    service.undo(result)
    assert [f.id for f in fw.user_frameworks(service)] == ["ca-k12-ai-policy"]


def test_bad_framework_file_is_refused_with_file_row_column_and_changes_nothing(
    service: RegisterService, tmp_path: Path
) -> None:
    bad = POLICY.replace(",,,,,1.2,1,", ",,,,,1.2,9,")  # row 4: parent 9 does not exist
    path = write(tmp_path, "district-policy.csv", bad)
    before = (audit_count(service), service.count("setting"))
    with pytest.raises(FrameworkFileError) as caught:
        fw.add_user_framework(service, path)
    error = caught.value
    assert (error.row, error.column) == (4, "parent_ref")
    assert "district-policy.csv" in str(error)
    assert "row 4" in str(error) and "column 'parent_ref'" in str(error)
    assert (audit_count(service), service.count("setting")) == before
    assert fw.user_frameworks(service) == []


def test_builtin_ids_and_duplicates_are_refused(service: RegisterService, tmp_path: Path) -> None:
    clash = write(tmp_path, "clash.csv", POLICY.replace("ca-k12-ai-policy", "owasp-llm-2025"))
    with pytest.raises(ConflictError, match="ships"):
        fw.add_user_framework(service, clash)
    path = write(tmp_path, "policy.csv", POLICY)
    fw.add_user_framework(service, path)
    before = audit_count(service)
    with pytest.raises(ConflictError, match="already has"):
        fw.add_user_framework(service, path)
    assert audit_count(service) == before
    renamed = POLICY.replace("Model AI policy for school districts", "Revised policy")
    fw.add_user_framework(service, write(tmp_path, "v2.csv", renamed), replace=True)
    assert [f.name for f in fw.user_frameworks(service)] == ["Revised policy"]


def test_a_stored_framework_edited_by_hand_is_reported_not_fatal(
    service: RegisterService, tmp_path: Path
) -> None:
    fw.add_user_framework(service, write(tmp_path, "policy.csv", POLICY))
    with service.action() as uow:
        uow.create("setting", {"key": "framework:broken", "value": json.dumps("item_ref\n")})
    frameworks, problems = fw.load_user_frameworks(service)
    assert [f.id for f in frameworks] == ["ca-k12-ai-policy"]
    assert len(problems) == 1 and "framework:broken" in str(problems[0])


# --- coverage -----------------------------------------------------------------------------


def test_coverage_on_a_constructed_register(service: RegisterService, tmp_path: Path) -> None:
    fw.add_user_framework(service, write(tmp_path, "policy.csv", POLICY))
    controls = [
        ("Tool inventory", "implemented", "1.1, GOVERN 1.6"),
        ("Parent letters", "planned", "1.2; GOVERN 4.2"),
        ("Inventory again", "planned", "1.1"),  # already covered: stays covered
        ("Old data rule", "lapsed", "2"),  # lapsed counts for nothing
        ("Whole section", "tested", "1"),  # a parent covers none of its children
        ("Red team", "tested", "MANAGE 2.4, LLM01"),
        ("Retired filter", "retired", "LLM02"),
    ]
    with service.action() as uow:
        for name, status, refs in controls:
            uow.create("control", {"name": name, "status": status, "framework_refs": refs})
    coverage = {c.framework_id: c for c in fw.register_coverage(service)}
    assert len(coverage) == 8

    policy = coverage["ca-k12-ai-policy"]
    assert (policy.total, policy.covered_tested_or_implemented, policy.planned_only) == (3, 1, 1)
    assert policy.uncovered == 1 and policy.percent == 33.3 and policy.planned_percent == 66.7
    assert [i.ref for i in policy.covered_items] == ["1.1"]
    assert [i.ref for i in policy.planned_only_items] == ["1.2"]
    assert [i.ref for i in policy.uncovered_items] == ["2"]

    rmf = coverage["nist-ai-rmf-1.0"]
    assert (rmf.total, rmf.covered_tested_or_implemented, rmf.planned_only) == (72, 2, 1)
    assert rmf.percent == 2.8
    llm = coverage["owasp-llm-2025"]
    assert (llm.covered_tested_or_implemented, llm.planned_only, llm.percent) == (1, 0, 10.0)
    assert coverage["mit-ai-risk-domains-v3"].percent == 0.0

    records = {r.framework.id: r.record() for r in fw.coverage_by_framework(service)}
    assert records["ca-k12-ai-policy"] == {
        "id": "ca-k12-ai-policy",
        "name": "Model AI policy for school districts",
        "version": "2025",
        "builtin": False,
        "items": 3,
        "covered": 1,
        "planned": 1,
        "uncovered": 1,
        "percent": 33.3,
        "planned_percent": 66.7,
        "evidence_backed": 0,
        "claimed_no_evidence": 1,
    }


def test_demo_register_coverage(demo_service: RegisterService) -> None:
    rmf = fw.register_coverage(demo_service)[0]
    assert rmf.framework_id == "nist-ai-rmf-1.0"
    covered, planned, _uncovered, percent = demo_rmf_coverage()
    assert covered > 5 and planned > 0
    assert (rmf.covered_tested_or_implemented, rmf.planned_only, rmf.percent) == (
        covered,
        planned,
        percent,
    )


# --- incidents elsewhere --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("use_name", "expected"),
    [
        ("Student homework chatbot", {793}),  # LAUSD's student chatbot "Ed"
        ("Customer support chatbot", {639, 631}),  # Air Canada, DPD chatbots
        ("Online exam proctoring", {131, 301, 424}),  # proctoring false flags, consent
        ("CV screening and ranking", {37, 489}),  # Amazon, Workday hiring bias
        ("Autonomous coding agent", {1152}),  # Replit agent deleted a production DB
    ],
)
def test_incidents_elsewhere_finds_real_incidents_for_demo_uses(
    demo_service: RegisterService, use_name: str, expected: set[int]
) -> None:
    matches = fw.incidents_for_use(demo_service, use_id(demo_service, use_name))
    assert len(matches) == 8
    ids = {m.incident.incident_id for m in matches}
    assert expected <= ids
    assert all(m.why for m in matches)


def test_incident_queries_stay_fast(demo_service: RegisterService) -> None:
    default_incident_index().build()
    uid = use_id(demo_service, "Online exam proctoring")
    fw.incidents_for_use(demo_service, uid)
    start = time.perf_counter()
    for _ in range(5):
        fw.incidents_for_use(demo_service, uid)
    assert (time.perf_counter() - start) / 5 < 0.1


def test_risk_from_an_incident_carries_its_references(demo_service: RegisterService) -> None:
    uid = use_id(demo_service, "Autonomous coding agent")
    match = next(
        m for m in fw.incidents_for_use(demo_service, uid) if m.incident.incident_id == 1152
    )
    assert "RL-AGT-03" in match.risk_ids  # the library cites it for production deletion
    rid = fw.add_risk_from_template(demo_service, uid, match)
    risk = demo_service.get("risk", rid)
    assert risk["title"].startswith("Could happen here: LLM-Driven Replit Agent")
    refs = risk["taxonomy_refs"].split(", ")
    assert match.incident.mit_ref in refs and "ASI02" in refs
    assert "incidentdatabase.ai/cite/1152/" in risk["description"]
    assert "CC BY-SA 4.0" in risk["description"]


# --- controls -----------------------------------------------------------------------------


def test_linking_a_control_to_risks_is_one_undoable_action(demo_service: RegisterService) -> None:
    cid = demo_service.create("control", fw.control_values(_control("CL-15")))
    control = demo_service.get("control", cid)
    assert control["status"] == "planned" and "LLM01" in control["framework_refs"]
    risks = [r["id"] for r in demo_service.rows("risk")][:3]
    result = fw.set_control_risks(demo_service, cid, risks)
    assert sorted(fw.linked_risk_ids(demo_service, cid)) == sorted(risks)
    second = fw.set_control_risks(demo_service, cid, risks[1:])
    assert sorted(fw.linked_risk_ids(demo_service, cid)) == sorted(risks[1:])
    demo_service.undo(second)
    demo_service.undo(result)
    assert fw.linked_risk_ids(demo_service, cid) == []


def _control(control_id: str) -> object:
    from riskdesk.catalogue import load_control_library

    return next(c for c in load_control_library() if c.id == control_id)
