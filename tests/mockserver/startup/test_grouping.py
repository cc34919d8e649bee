"""One store per collection: the lists of a collection share it, indexed for all their filters and sorts."""

from __future__ import annotations

from customers_spec import Api, Spec
from mockserver.startup.grouping import store_specs


def test_a_lone_list_keeps_its_own_spec(spec: Spec, example_api: Api) -> None:
    from customers_spec import load_api

    assert list(store_specs(load_api()).values()) == [spec]
    assert store_specs(example_api)["customers _id"] is example_api.lists[0]


def test_the_lists_of_one_collection_share_one_store_with_every_filter_and_sort(example_api: Api) -> None:
    specs = store_specs(example_api)
    assert list(specs) == ["customers _id", "objects _id"]
    objects = specs["objects _id"]
    assert objects.collection is example_api.collections["objects"]
    names = set(objects.filters)
    assert {"listObjects customer", "listCustomerObjects customerId", "listObjects city"} <= names
    assert set(objects.sort.fields) == set(example_api.lists[2].sort.fields)


def test_an_item_whose_collection_no_list_serves_gets_a_store_ordered_by_its_id(example_api: Api) -> None:
    from dataclasses import replace

    without_objects_lists = replace(example_api, lists=example_api.lists[:1])
    specs = store_specs(replace(without_objects_lists, items=example_api.items))
    assert list(specs) == ["customers _id"]  # the item's collection already has its store
    only_objects = replace(example_api, lists=example_api.lists[2:], items=example_api.items)
    specs = store_specs(only_objects)
    assert list(specs) == ["objects _id", "customers _id"]
    made = specs["customers _id"]
    assert made.filters == {} and not made.sortable and made.collection.name == "customers"
