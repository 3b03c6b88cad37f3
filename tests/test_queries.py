"""The table queries behind the GUI's lists, headless: order, search, filters, pages."""

from __future__ import annotations

from typing import Any

import pytest

from riskdesk import enums
from riskdesk.service import queries
from riskdesk.service.dashboard import HEAT_MODES, cell_filter, heat_counts
from riskdesk.service.register import RegisterService


def _ordinal(enum: type[enums.LabelledEnum], value: str) -> int:
    return [m.value for m in enum].index(value)


def test_uses_sort_by_tier_severity_then_id_both_ways(demo_service: RegisterService) -> None:
    rows = demo_service.rows("ai_use")
    expected = [
        u["id"] for u in sorted(rows, key=lambda u: (_ordinal(enums.Tier, u["tier"]), u["id"]))
    ]
    query = queries.uses(demo_service)
    assert len({u["tier"] for u in rows}) == 4  # the order is really exercised
    assert query.ordered_ids("tier") == expected
    assert query.ordered_ids("tier", descending=True) == expected[::-1]


def test_uses_sort_by_stage_meaning_not_spelling(demo_service: RegisterService) -> None:
    rows = demo_service.rows("ai_use")
    expected = [
        u["id"] for u in sorted(rows, key=lambda u: (_ordinal(enums.Stage, u["stage"]), u["id"]))
    ]
    assert queries.uses(demo_service).ordered_ids("stage") == expected


def test_empty_values_sort_last_either_way(demo_service: RegisterService) -> None:
    vendors = {v["id"]: v["name"] for v in demo_service.rows("vendor")}
    name_of = {u["id"]: vendors.get(u["vendor_id"]) for u in demo_service.rows("ai_use")}
    without = sorted(i for i, name in name_of.items() if name is None)
    assert without and len(without) < len(name_of)
    query = queries.uses(demo_service)
    for descending in (False, True):
        ids = query.ordered_ids("vendor", descending=descending)
        assert ids[-len(without) :] == sorted(without, reverse=descending)
        named = [name_of[i] for i in ids[: -len(without)]]
        assert named == sorted(named, reverse=descending)  # type: ignore[type-var]


@pytest.fixture
def three_uses(service: RegisterService) -> dict[str, int]:
    zed = service.create("person", {"name": "Zed Owner"})
    return {
        "alpha": service.create("ai_use", {"name": "Alpha 100% bot", "department": "Finance"}),
        "beta": service.create("ai_use", {"name": "Beta_x", "department": "Legal"}),
        "gamma": service.create("ai_use", {"name": "Gamma", "owner_first_id": zed}),
    }


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("", {"alpha", "beta", "gamma"}),
        ("ALPHA finance", {"alpha"}),  # every word, in any searchable column, any case
        ("alpha legal", set()),
        ("%", {"alpha"}),  # wildcards are literal characters
        ("a_x", {"beta"}),
        ("zed", {"gamma"}),  # the owner's name, through the join
        ("  gamma  ", {"gamma"}),
    ],
)
def test_search_matches_every_word_literally(
    service: RegisterService, three_uses: dict[str, int], search: str, found: set[str]
) -> None:
    ids = queries.uses(service).ordered_ids("name", search=search)
    assert set(ids) == {three_uses[k] for k in found}


def test_search_ignores_columns_that_are_not_searchable(
    service: RegisterService, three_uses: dict[str, int]
) -> None:
    # the id and the stage are shown but not searched (no name has a "3" in it)
    assert three_uses["gamma"] == 3
    assert queries.uses(service).ordered_ids("id", search="3") == []
    assert {u["stage"] for u in service.rows("ai_use")} == {"not_stated"}  # nobody said
    assert queries.uses(service).ordered_ids("id", search="stated") == []


def test_filters_narrow_and_refuse_another_table(demo_service: RegisterService) -> None:
    query = queries.uses(demo_service)
    rows = demo_service.rows("ai_use")
    high_live = {u["id"] for u in rows if u["tier"] == "high" and u["stage"] != "retired"}
    high_all = {u["id"] for u in rows if u["tier"] == "high"}
    assert high_live and high_live != high_all
    assert set(query.ordered_ids("id", filter=queries.live_uses_in_tier("high"))) == high_live
    some = sorted(high_all)[:3]
    assert query.ordered_ids("id", filter=queries.uses_with_ids(some)) == some
    assert query.ordered_ids("id", filter=queries.uses_with_ids([])) == []
    with pytest.raises(ValueError, match="risk"):
        query.ordered_ids("id", filter=cell_filter("residual", 3, 3))


def test_search_and_filter_combine(demo_service: RegisterService) -> None:
    query = queries.uses(demo_service)
    first = demo_service.rows("ai_use")[0]
    word = first["name"].split()[0]
    searched = set(query.ordered_ids("id", search=word))
    assert first["id"] in searched
    both = query.ordered_ids("id", search=word, filter=queries.uses_with_ids([first["id"]]))
    assert both == [first["id"]]


def test_fetch_gives_rows_in_the_asked_order(demo_service: RegisterService) -> None:
    query = queries.uses(demo_service)
    vendors = {v["id"]: v["name"] for v in demo_service.rows("vendor")}
    people = {p["id"]: p["name"] for p in demo_service.rows("person")}
    uses = demo_service.rows("ai_use")
    wanted = [uses[5]["id"], uses[0]["id"], 999_999]
    rows = query.fetch(wanted)
    assert len(rows) == 3
    for use, row in zip([uses[5], uses[0]], rows, strict=False):
        values: dict[str, Any] = dict(zip(query.keys, row, strict=True))
        assert values == {
            "id": use["id"],
            "name": use["name"],
            "department": use["department"],
            "stage": use["stage"],
            "vendor": vendors.get(use["vendor_id"]),
            "tier": use["tier"],
            "exposure": use["exposure"],
            "owner": people.get(use["owner_first_id"]),
            "next_review": use["next_review"],
        }
    assert rows[2] == (None,) * len(query.keys)  # deleted meanwhile: blank, not an error
    assert query.fetch([]) == []


def test_one_uses_risks_with_scores(demo_service: RegisterService) -> None:
    use = next(
        u for u in demo_service.rows("ai_use") if len(demo_service.rows("risk", use_id=u["id"])) > 1
    )
    mine = demo_service.rows("risk", use_id=use["id"])
    query = queries.risks(demo_service, use["id"])
    assert query.ordered_ids("id") == sorted(r["id"] for r in mine)
    assert len(queries.risks(demo_service).ordered_ids("id")) == demo_service.count("risk")
    by_id = dict(zip(query.ordered_ids("id"), query.fetch(query.ordered_ids("id")), strict=True))
    for risk in mine:
        values = dict(zip(query.keys, by_id[risk["id"]], strict=True))
        assert values["use"] == use["name"]
        assert values["inherent"] == risk["inherent_likelihood"] * risk["inherent_impact"]
        assert values["residual"] == risk["residual_likelihood"] * risk["residual_impact"]


def test_vendor_and_control_counts(demo_service: RegisterService) -> None:
    uses = demo_service.rows("ai_use")
    vendors = queries.vendors(demo_service)
    ids = vendors.ordered_ids("uses", descending=True)
    counted = {
        rid: dict(zip(vendors.keys, row, strict=True))
        for rid, row in zip(ids, vendors.fetch(ids), strict=True)
    }
    for vid, values in counted.items():
        theirs = [u for u in uses if u["vendor_id"] == vid]
        assert values["uses"] == len(theirs)
        assert values["people"] == sum(u["people_affected"] or 0 for u in theirs)
    assert [counted[i]["uses"] for i in ids] == sorted(
        (v["uses"] for v in counted.values()), reverse=True
    )

    controls = queries.controls(demo_service)
    links = demo_service.rows("risk_control")
    cids = controls.ordered_ids("id")
    assert cids == sorted(c["id"] for c in demo_service.rows("control")) and cids
    for cid, row in zip(cids, controls.fetch(cids), strict=True):
        values = dict(zip(controls.keys, row, strict=True))
        assert values["risks"] == sum(1 for link in links if link["control_id"] == cid)


def test_people_and_incidents_list_every_row(demo_service: RegisterService) -> None:
    for query, entity in (
        (queries.people(demo_service), "person"),
        (queries.incidents(demo_service), "incident"),
    ):
        ids = query.ordered_ids("id", descending=True)
        assert ids == sorted((r["id"] for r in demo_service.rows(entity)), reverse=True)
        assert ids


def test_unknown_sort_column_is_an_error(service: RegisterService) -> None:
    with pytest.raises(KeyError):
        queries.people(service).ordered_ids("salary")


def test_a_heatmap_cell_filter_lists_what_the_cell_counted(demo_service: RegisterService) -> None:
    risks = queries.risks(demo_service)
    for mode in HEAT_MODES:
        counts = heat_counts(demo_service, mode)
        assert counts or mode == "target"
        for (likelihood, impact), n in counts.items():
            ids = risks.ordered_ids("id", filter=cell_filter(mode, likelihood, impact))
            assert len(ids) == n
            for row in demo_service.rows("risk"):
                if row["id"] in ids:
                    assert row[f"{mode}_likelihood"] == likelihood
                    assert row[f"{mode}_impact"] == impact
                    assert row["status"] != "closed"


@pytest.mark.parametrize("make", [queries.uses, queries.incidents, queries.controls])
def test_sorting_without_the_joins_gives_the_joined_order(
    demo_service: RegisterService, make: Any
) -> None:
    """A sort on the entity's own columns skips the outer joins (issue 19: a tier sort at
    100,000 uses took 3× as long through them); every key, both ways, with and without a
    search, must give exactly the order the joined query gives."""
    query = make(demo_service)
    assert query._joins_add_only  # only LEFT JOINs on keys: the plain path applies
    for key in query.keys:
        for descending in (False, True):
            for search in ("", "a"):
                plain = query.ordered_ids(key, descending, search)
                query._joins_add_only = False
                joined = query.ordered_ids(key, descending, search)
                query._joins_add_only = True
                assert plain == joined, (key, descending, search)
                assert len(set(plain)) == len(plain)


def test_risks_of_one_use_never_take_the_plain_path(demo_service: RegisterService) -> None:
    """The risks query joins its use and may filter by it: dropping that would list
    every use's risks."""
    use_id = demo_service.rows("risk")[0]["use_id"]
    query = queries.risks(demo_service, use_id)
    assert not query._joins_add_only
    ids = query.ordered_ids("id")
    assert ids and {demo_service.get("risk", i)["use_id"] for i in ids} == {use_id}
