"""Incidents elsewhere: the shipped AIID snapshot and its search."""

from __future__ import annotations

from pathlib import Path

from riskdesk.catalogue.incidents import (
    ATTRIBUTION,
    IncidentIndex,
    default_incident_index,
    default_incidents_path,
    incidents_like_use,
    search_incidents,
    use_query_terms,
)


def text_of(hit: object) -> str:
    return f"{hit.title} {hit.description}".casefold()  # type: ignore[attr-defined]


def test_the_snapshot_is_small_attributed_and_complete() -> None:
    path = default_incidents_path()
    assert path.stat().st_size < 2_000_000
    folder = path.parent
    attribution = (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in attribution and "incidentdatabase.ai" in attribution
    assert (
        (folder / "LICENSE-CC-BY-SA-4.0.txt")
        .read_text(encoding="utf-8")
        .startswith("Attribution-ShareAlike 4.0 International")
    )
    assert "CC BY-SA 4.0" in ATTRIBUTION
    index = default_incident_index()
    assert len(index) == 1365  # 1,367 in the snapshot less 2 AIID marks as duplicates
    assert index.get(88) is None and index.get(1057) is not None  # 88 duplicates 1057


def test_records_keep_the_fields_search_and_display_need() -> None:
    replit = default_incident_index().get(1152)
    assert replit is not None
    assert replit.date == "2025-07-18"
    assert replit.deployers == ("replit",)
    assert "jason-lemkin" in replit.harmed_parties
    assert replit.mit_ref.startswith("MIT ")
    assert replit.url == "https://incidentdatabase.ai/cite/1152/"
    tessa = default_incident_index().get(545)
    assert tessa is not None and (tessa.mit_ref, tessa.mit_timing) == ("MIT 7.3", "Post-deployment")


def test_a_chatbot_giving_harmful_advice_finds_chatbot_incidents() -> None:
    hits = search_incidents("chatbot giving harmful advice", limit=10)
    ids = [h.incident_id for h in hits]
    assert 545 in ids  # Tessa, the eating-disorder helpline chatbot
    assert sum("chatbot" in text_of(h) for h in hits) >= 7
    assert all(h.score > 0 for h in hits)


def test_proctoring_finds_proctoring_incidents() -> None:
    hits = search_incidents("remote exam proctoring software", limit=8)
    ids = {h.incident_id for h in hits}
    assert {131, 138, 140, 301} <= ids  # California bar exam, Proctorio, ProctorU, Broward College
    assert "proctor" in text_of(hits[0])


def test_hiring_and_recruiting_find_hiring_incidents() -> None:
    hits = search_incidents("AI hiring tool screening job applicants", limit=10)
    ids = {h.incident_id for h in hits}
    assert 37 in ids  # Amazon's experimental hiring tool
    assert len(ids & {37, 95, 192, 489, 1179, 1343}) >= 3
    recruiting = {h.incident_id for h in search_incidents("recruiting", limit=10)}
    assert {1179, 1343} <= recruiting  # stemming: recruiting ~ recruitment ~ recruits


def test_similar_to_use_builds_a_query_from_the_use() -> None:
    coding_agent = {
        "name": "Coding agent",
        "purpose": "Writes code and runs database migrations in our app",
        "vendor_name": "Replit",
        "autonomy": "agent_autonomous",
        "generative": True,
    }
    assert "agent" in use_query_terms(coding_agent)
    assert incidents_like_use(coding_agent, limit=3)[0].incident_id == 1152
    refunds_bot = {
        "name": "Website chatbot",
        "purpose": "Answers customers' questions about fares and refunds",
        "public_facing": True,
        "generative": True,
    }
    assert 639 in [h.incident_id for h in incidents_like_use(refunds_bot, limit=5)]  # Air Canada
    assert incidents_like_use({}, limit=5) == []


def test_odd_queries_do_not_break_the_search() -> None:
    for odd in ['"', "NEAR(", "a AND", "***", "", "the of and"]:
        assert isinstance(search_incidents(odd), list)
    assert search_incidents("chatbot", limit=0) == []
    assert len(search_incidents("facial recognition", limit=3)) == 3


def test_by_mit_ref_lists_newest_first() -> None:
    found = default_incident_index().by_mit_ref("mit 7.6")
    assert all(r.mit_ref == "MIT 7.6" for r in found)
    tox = default_incident_index().by_mit_ref("MIT 1.2", limit=5)
    assert len(tox) == 5 and [r.date for r in tox] == sorted((r.date for r in tox), reverse=True)


def test_an_index_over_another_file_is_built_lazily(tmp_path: Path) -> None:
    source = default_incidents_path().read_text(encoding="utf-8").splitlines()
    small = tmp_path / "few.csv"
    small.write_text(
        "\n".join([source[0], *[ln for ln in source[1:] if ln.startswith("1152,")]]) + "\n",
        encoding="utf-8",
    )
    index = IncidentIndex(small)
    assert not index.built
    assert [h.incident_id for h in index.search("production database deleted")] == [1152]
    assert index.built and len(index) == 1
