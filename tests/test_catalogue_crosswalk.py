"""The crosswalk: every link resolves, says its basis, and reads both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskdesk.catalogue.crosswalk import (
    JUDGEMENT,
    PUBLISHED,
    load_crosswalk,
    related_links,
    related_refs,
)
from riskdesk.catalogue.csvfiles import CatalogueFileError
from riskdesk.catalogue.frameworks import find_item

# MIT AI Risk Repository v3 codes each NIST AI 600-1 risk (Ev_ID 48.xx.00) to one subdomain.
MIT_CODING_OF_600_1 = {
    "600-1.1": "MIT 4.2",
    "600-1.2": "MIT 3.1",
    "600-1.3": "MIT 1.2",
    "600-1.4": "MIT 2.1",
    "600-1.5": "MIT 6.6",
    "600-1.6": "MIT 1.1",
    "600-1.7": "MIT 5.1",
    "600-1.8": "MIT 4.1",
    "600-1.9": "MIT 4.2",
    "600-1.10": "MIT 6.3",
    "600-1.11": "MIT 1.2",
    "600-1.12": "MIT 7.4",
}


def test_every_link_resolves_and_has_a_basis() -> None:
    links = load_crosswalk()
    assert len(links) > 50
    frameworks = set()
    for link in links:
        assert link.basis in (PUBLISHED, JUDGEMENT)
        for ref in (link.ref_a, link.ref_b):
            found = find_item(ref)
            assert found is not None, ref
            frameworks.add(found[0].id)
        if link.basis == JUDGEMENT:
            assert link.note, link  # a judgement says why
    assert frameworks == {
        "nist-ai-600-1",
        "mit-ai-risk-domains-v3",
        "owasp-llm-2025",
        "owasp-agentic-2026",
    }


def test_published_links_are_exactly_mits_coding_of_600_1() -> None:
    published = {(lk.ref_a, lk.ref_b) for lk in load_crosswalk() if lk.basis == PUBLISHED}
    assert published == set(MIT_CODING_OF_600_1.items())
    assert all("Ev_ID 48." in lk.citation for lk in load_crosswalk() if lk.basis == PUBLISHED)
    # Honesty check: judgement is the bulk of the crosswalk.
    assert sum(lk.basis == JUDGEMENT for lk in load_crosswalk()) > 3 * len(published)


def test_related_refs_reads_both_ways_with_published_first() -> None:
    refs = related_refs("600-1.2")
    assert refs[0] == ("MIT 3.1", PUBLISHED)
    assert ("LLM09", JUDGEMENT) in refs
    assert ("600-1.2", PUBLISHED) in related_refs("mit 3.1")  # reverse, any case
    assert ("ASI02", JUDGEMENT) in related_refs("LLM06")
    assert ("LLM06", JUDGEMENT) in related_refs("ASI02")
    assert related_refs("GOVERN 1.1") == []
    assert [lk.other("ASI01") for lk in related_links("ASI01")] == [
        r for r, _ in related_refs("ASI01")
    ]


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("LLM01,LLM01,riskdesk-judgement,,same", "ref_b"),
        ("LLM01,ASI01,guess,,why", "basis"),
        ("LLM01,ASI01,published,,", "citation"),
        (",ASI01,riskdesk-judgement,,why", "ref_a"),
    ],
)
def test_bad_crosswalk_rows_are_named(tmp_path: Path, line: str, column: str) -> None:
    path = tmp_path / "cw.csv"
    path.write_text(f"ref_a,ref_b,basis,citation,note\n{line}\n", encoding="utf-8")
    with pytest.raises(CatalogueFileError) as caught:
        load_crosswalk(path)
    assert (caught.value.row, caught.value.column) == (2, column)
