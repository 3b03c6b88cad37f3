"""Risk and control libraries, and the catalogue search box."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskdesk.catalogue.csvfiles import CatalogueFileError
from riskdesk.catalogue.frameworks import Framework, FrameworkItem, builtin_framework, find_item
from riskdesk.catalogue.incidents import default_incident_index
from riskdesk.catalogue.library import (
    CatalogueIndex,
    controls_for_risk,
    load_control_library,
    load_risk_library,
    risk_template,
    search_catalogue,
    templates_for_refs,
)
from riskdesk.enums import ControlType


def test_risk_library_is_a_usable_size_with_valid_scores_and_refs() -> None:
    risks = load_risk_library()
    assert 40 <= len(risks) <= 60
    assert len({r.id for r in risks}) == len(risks)
    for r in risks:
        assert 1 <= r.likelihood <= 5 and 1 <= r.impact <= 5, r.id
        assert r.title and len(r.description) > 40, r.id
        assert r.taxonomy_refs, r.id
        for ref in r.taxonomy_refs:
            assert find_item(ref) is not None, f"{r.id}: {ref}"


def test_risk_library_cites_real_incidents() -> None:
    index = default_incident_index()
    cited = {i for r in load_risk_library() for i in r.aiid_examples}
    assert len(cited) > 30
    assert all(index.get(i) is not None for i in cited), sorted(
        i for i in cited if index.get(i) is None
    )
    replit = index.get(1152)
    assert replit is not None and "production" in replit.title.casefold()
    assert 1152 in risk_template("RL-AGT-03").aiid_examples


def test_required_risk_templates_carry_the_frameworks_they_are_for() -> None:
    def refs(risk_id: str) -> set[str]:
        return set(risk_template(risk_id).taxonomy_refs)

    assert "ASI02" in refs("RL-AGT-01")
    assert "ASI03" in refs("RL-AGT-02")
    assert "LLM01" in refs("RL-GEN-02")
    assert "600-1.8" in refs("RL-GEN-03")  # information integrity
    assert "600-1.2" in refs("RL-GEN-01")  # confabulation
    assert "600-1.4" in refs("RL-PRV-02")  # data privacy
    assert "600-1.6" in refs("RL-FAIR-01")  # harmful bias
    assert risk_template("RL-AGT-02").refs_text.startswith("ASI03, LLM06")
    with pytest.raises(KeyError):
        risk_template("RL-NOPE-01")


def test_every_600_1_risk_and_owasp_item_has_a_template() -> None:
    for fw_id in ("nist-ai-600-1", "owasp-llm-2025", "owasp-agentic-2026"):
        for item in builtin_framework(fw_id).items:
            assert templates_for_refs([item.ref]), item.ref


def test_control_library_types_refs_and_links() -> None:
    controls = load_control_library()
    risk_ids = {r.id for r in load_risk_library()}
    assert 28 <= len(controls) <= 40
    assert {c.control_type for c in controls} == {t.value for t in ControlType}
    rmf = builtin_framework("nist-ai-rmf-1.0")
    for c in controls:
        rmf_refs = [r for r in c.framework_refs if rmf.item(r) is not None]
        assert rmf_refs, c.id  # every control maps to the AI RMF
        assert all(rmf.item(r).kind == "subcategory" for r in rmf_refs), c.id  # type: ignore[union-attr]
        assert all(find_item(r) is not None for r in c.framework_refs), c.id
        assert c.mitigates and set(c.mitigates) <= risk_ids, c.id
    # 42001 Annex A may not be shipped, so no control cites it.
    assert not any(r.startswith("A.") for c in controls for r in c.framework_refs)
    # Every risk template has at least one control to offer.
    assert {m for c in controls for m in c.mitigates} == risk_ids
    assert [c.id for c in controls_for_risk("RL-AGT-03")] == ["CL-10", "CL-11", "CL-12"]


def test_bad_library_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    path.write_text(
        "risk_id,title,description,likelihood,impact,taxonomy_refs\n"
        "RL-X-01,A,Something long enough,3,3,LLM01\n"
        "RL-X-02,B,Something long enough,6,3,LLM01\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueFileError) as caught:
        load_risk_library(path)
    assert (caught.value.row, caught.value.column) == (3, "likelihood")
    path2 = tmp_path / "controls.csv"
    path2.write_text(
        "control_id,name,description,control_type,framework_refs\nCL-1,N,D,preventative,MAP 1.1\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueFileError) as caught:
        load_control_library(path2)
    assert (caught.value.row, caught.value.column) == (2, "control_type")
    assert "Preventive" in str(caught.value)


def test_search_finds_framework_items_and_templates_with_their_refs() -> None:
    hits = search_catalogue("prompt injection", limit=10)
    by_ref = {h.ref: h for h in hits}
    assert hits[0].ref == "LLM01"
    assert {"LLM01", "RL-GEN-02", "CL-15"} <= by_ref.keys()
    assert "600-1.9" in by_ref["LLM01"].refs  # crosswalk neighbours travel with the item
    assert by_ref["RL-GEN-02"].refs == risk_template("RL-GEN-02").taxonomy_refs
    assert by_ref["LLM01"].framework_id == "owasp-llm-2025"
    assert {h.kind for h in hits} == {"framework_item", "risk", "control"}


def test_search_puts_an_exact_ref_first_and_survives_odd_input() -> None:
    assert search_catalogue("govern 1.6", 3)[0].ref == "GOVERN 1.6"
    assert search_catalogue("RL-AGT-03", 3)[0].ref == "RL-AGT-03"
    assert search_catalogue("Annex III 4(a)", 3)[0].ref == "Annex III 4(a)"
    for odd in ['"', "AND (", "C++ NEAR/3", "*", "", "   ", "ai"]:
        assert isinstance(search_catalogue(odd), list)
    assert search_catalogue("recruit", 5)[0].ref in {"Annex III 4(a)", "RL-FAIR-02"}
    # A partly typed word still finds its item (prefix on the last word).
    assert "MIT 7.6" in [h.ref for h in search_catalogue("multi-ag", 5)]
    assert search_catalogue("prompt", 0) == []


def test_a_custom_index_searches_a_users_framework() -> None:
    mine = Framework(
        "district-policy",
        "District AI policy",
        items=(
            FrameworkItem(
                "DP-7",
                "Parental consent for chatbots",
                "Parents opt in before pupils use chatbots.",
            ),
        ),
    )
    index = CatalogueIndex(frameworks=[mine], risks=[], controls=[])
    hits = index.search("pupils consent")
    assert [(h.ref, h.framework_id) for h in hits] == [("DP-7", "district-policy")]
