"""Search and sort of the register's tables on both databases: the joined names searched
through their small tables, NULLs last either way, and the model's kept orders giving
the same rows as one query that searches and sorts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from riskdesk.service import queries
from riskdesk.service.register import RegisterService
from riskdesk.ui.models import table_model
from riskdesk.ui.models.register_models import RiskTableModel, UseTableModel
from riskdesk.ui.models.table_model import QueryTableModel

pytestmark = pytest.mark.both_databases

SEARCHES = ("", "a", "ch", "CHAT", "gaggle", "priya", "student chat", "zz-nothing", "  ")


def _words_in(search: str, values: list[Any]) -> bool:
    """Every word in some value, case-blind (ASCII, as both databases fold it here)."""
    texts = [v.lower() for v in values if v is not None]
    return all(any(w.lower() in t for t in texts) for w in search.split())


def test_joined_names_are_searched_and_a_missing_one_never_matches(
    demo_service: RegisterService,
) -> None:
    vendors = {v["id"]: v["name"] for v in demo_service.rows("vendor")}
    people = {p["id"]: p["name"] for p in demo_service.rows("person")}
    uses = demo_service.rows("ai_use")
    query = queries.uses(demo_service)
    for search in (*SEARCHES, "google", "openai", "a priya"):
        expected = [
            u["id"]
            for u in sorted(uses, key=lambda u: u["id"])
            if _words_in(
                search,
                [
                    u["name"],
                    u["department"],
                    vendors.get(u["vendor_id"]),
                    people.get(u["owner_first_id"]),
                ],
            )
        ]
        assert query.ordered_ids("id", search=search) == expected, search
    # the vendor's name alone finds its uses; a use without a vendor is never among them
    found = set(query.ordered_ids("id", search="gaggle"))
    assert found and all(vendors.get(u["vendor_id"]) == "Gaggle" for u in uses if u["id"] in found)


def _nulls_last(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any], descending: bool
) -> list[int]:
    known = sorted((r for r in rows if key(r) is not None), key=lambda r: (key(r), r["id"]))
    unknown = sorted(r["id"] for r in rows if key(r) is None)
    ids = [r["id"] for r in known]
    return ids[::-1] + unknown[::-1] if descending else ids + unknown


@pytest.mark.parametrize("descending", [False, True])
def test_empty_values_sort_last_and_ties_go_by_id(
    demo_service: RegisterService, descending: bool
) -> None:
    uses = demo_service.rows("ai_use")
    query = queries.uses(demo_service)
    assert any(u["next_review"] is None for u in uses)  # the NULLs are really there
    assert len({u["tier"] for u in uses}) < len(uses)  # and the ties
    for key, value in [
        ("next_review", lambda u: u["next_review"]),
        ("exposure", lambda u: u["exposure"] if u["exposure"] is not None else u["exposure_high"]),
        ("department", lambda u: u["department"]),
    ]:
        assert query.ordered_ids(key, descending) == _nulls_last(uses, value, descending), key


def _shown(model: QueryTableModel) -> list[int]:
    return [model.id_at(r) for r in range(model.rowCount())]


def test_a_searched_sorted_model_shows_what_one_query_would(
    demo_service: RegisterService,
) -> None:
    """The model searches a kept order (less the rows the search misses); the order
    and rows are those of the query that searches and sorts at once."""
    query = queries.uses(demo_service)
    model = UseTableModel(query)
    for column in range(len(model.columns)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            key = model.columns[column].key
            for search in SEARCHES:
                model.set_search(search)
                descending = order == Qt.SortOrder.DescendingOrder
                expected = query.ordered_ids(key, descending, search=search)
                assert _shown(model) == expected, (key, order, search)


def test_a_filtered_searched_sorted_model_keeps_to_the_filter(
    demo_service: RegisterService,
) -> None:
    use_id = demo_service.rows("risk")[0]["use_id"]
    query = queries.risks(demo_service, use_id)  # joined, never the plain path
    model = RiskTableModel(query)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_search("a")
    assert _shown(model) == query.ordered_ids("title", True, search="a")
    uses = queries.uses(demo_service)
    model = UseTableModel(uses)
    tier_filter = queries.live_uses_in_tier("high")
    model.set_filter(tier_filter)
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)
    model.set_search("e")
    expected = uses.ordered_ids("name", search="e", filter=tier_filter)
    assert expected and _shown(model) == expected
    model.set_filter(None)
    assert _shown(model) == uses.ordered_ids("name", search="e")


def test_a_sort_asked_again_reads_nothing_until_the_data_changes(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = queries.uses(demo_service)
    model = UseTableModel(query)
    asked: list[tuple[Any, ...]] = []
    ordered_ids = query.ordered_ids

    def counting(*args: Any, **kwargs: Any) -> list[int]:
        asked.append(args)
        return ordered_ids(*args, **kwargs)

    monkeypatch.setattr(query, "ordered_ids", counting)
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)
    model.sort(UseTableModel.TIER, Qt.SortOrder.DescendingOrder)
    assert len(asked) == 2
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)  # kept: no query
    model.set_search("a")  # the search's ids, then the kept order less the others
    model.set_search("")
    assert len(asked) == 3
    by_name = _shown(model)
    first = by_name[0]
    demo_service.update("ai_use", first, {"name": "zzz renamed last"})
    model.sort(UseTableModel.TIER, Qt.SortOrder.DescendingOrder)
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert _shown(model) == by_name  # not reloaded: what was read stays
    model.reload()  # the data changed: every kept order is read afresh
    assert _shown(model)[-1] == first
    assert _shown(model) == ordered_ids("name")


def test_a_keystroke_does_not_count_the_rows_again(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows "3 of 27" on each reset: the 27 is counted once per reload."""
    query = queries.uses(demo_service)
    counted: list[int] = []
    count = query.count

    def counting() -> int:
        counted.append(1)
        return count()

    monkeypatch.setattr(query, "count", counting)
    model = UseTableModel(query)
    model.modelReset.connect(model.total)  # as the page's count label does
    for text in ("c", "ch", "cha", "chat", ""):
        model.set_search(text)
        assert model.total() == demo_service.count("ai_use")
    assert counted == []  # the unsearched reload knew its rows
    model.set_search("a")
    model.reload()  # searched: the total is not the rows shown, so it is counted once
    assert model.total() == demo_service.count("ai_use")
    model.set_search("ab")
    assert len(counted) == 1


def test_the_rows_the_view_holds_follow_a_sort(demo_service: RegisterService) -> None:
    model = UseTableModel(queries.uses(demo_service))
    kept = [QPersistentModelIndex(model.index(r, 1)) for r in (0, 5, 20)]
    ids = [model.id_at(i.row()) for i in kept]
    model.sort(UseTableModel.NAME, Qt.SortOrder.DescendingOrder)
    assert [model.id_at(i.row()) for i in kept] == ids
    assert [i.column() for i in kept] == [1, 1, 1]


def test_a_model_keeps_only_its_last_few_sorts(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_model, "KEPT_ORDERS", 2)
    query = queries.uses(demo_service)
    model = UseTableModel(query)  # by id: kept
    asked: list[str] = []
    ordered_ids = query.ordered_ids

    def counting(key: str, *args: Any, **kwargs: Any) -> list[int]:
        asked.append(key)
        return ordered_ids(key, *args, **kwargs)

    monkeypatch.setattr(query, "ordered_ids", counting)
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)  # id and name kept
    model.sort(UseTableModel.ID, Qt.SortOrder.AscendingOrder)  # kept
    model.sort(UseTableModel.TIER, Qt.SortOrder.AscendingOrder)  # name goes
    model.sort(UseTableModel.NAME, Qt.SortOrder.AscendingOrder)  # read again
    assert asked == ["name", "tier", "name"]
    assert _shown(model) == ordered_ids("name")


def test_positions_of_few_and_many_rows() -> None:
    ids = list(range(100, 0, -1))
    for wanted in ({7, 55, 1000}, set(range(1, 80)) | {1000}):
        assert table_model._positions(ids, wanted) == {
            rid: ids.index(rid) for rid in wanted if rid in ids
        }
