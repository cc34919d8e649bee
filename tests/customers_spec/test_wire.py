from __future__ import annotations

import copy

import pytest
import yaml

from customers_spec import SortKey, Spec, SpecError, from_dict, resources
from customers_spec.terms import filter_condition, general_condition
from customers_spec.wire import Bounds, base_name, bounds, deep_name, deep_pairs, split_deep_name


def test_deep_object_names_round_trip() -> None:
    assert deep_name("generalField", "field") == "generalField[field]"
    assert split_deep_name("generalField[field]") == ("generalField", "field")
    assert split_deep_name("generalField") == ("generalField", None)
    assert split_deep_name("generalField[field") == ("generalField[field", None)
    assert base_name("generalField[operator]") == "generalField"
    assert deep_pairs("g", {"field": "name", "value": "x"}) == (("g[field]", "name"), ("g[value]", "x"))


def test_arrays_are_written_and_read_back_through_one_codec(spec: Spec) -> None:
    ids = spec.parameters["ids"]
    pairs = spec.wire.array_pairs(ids, ["a", "b"], repeated=False)
    assert pairs == (("ids", "a,b"),)
    assert spec.wire.array_pairs(ids, ["a", "b"], repeated=True) == (("ids", "a"), ("ids", "b"))
    assert spec.wire.array_items(ids, ["a,b", "c"]) == ["a", "b", "c"]


def test_sort_keys_are_written_and_read_back_through_the_grammar(spec: Spec) -> None:
    grammar = spec.sort.grammar
    keys = (SortKey("name", True), SortKey("number"), SortKey("name"))
    assert grammar.write(keys) == "name:-1,number:1,name:1"
    assert grammar.write((SortKey("name", True),)) == "name:-1"
    assert grammar.read("name:-1,number:1,name:1") == keys  # as written: a repeated path too
    assert grammar.pairs(keys[:1]) == (("sort", "name:-1"),)
    assert grammar.pairs(()) == ()
    assert grammar.key("nope", "2") == "nope:2"  # any text, for requests the grammar must refuse
    with pytest.raises(ValueError, match="'nope' is not sortable"):
        grammar.read("nope:1")


def test_plain_values_are_written_as_one_list_or_an_array(spec: Spec) -> None:
    assert spec.wire.value_pairs(spec.parameters["status"], ["1", "2"]) == (("status", "1,2"),)
    assert spec.wire.value_pairs(spec.parameters["name"], ["a,b"]) == (("name", "a,b"),)
    ids = spec.parameters["ids"]
    assert spec.wire.value_pairs(ids, ["a", "b"]) == spec.wire.array_pairs(ids, ["a", "b"], repeated=False)
    assert spec.wire.value_pairs(ids, ["a", "b"], repeated=True) == (("ids", "a"), ("ids", "b"))


def test_page_bounds_are_the_schemas(spec: Spec) -> None:
    assert bounds(spec.parameters[spec.pagination.limit]) == Bounds(1, 1000)
    assert bounds(spec.parameters[spec.pagination.offset]) == Bounds(0, 2**53 - 1)


def _document() -> dict:
    return yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))


def test_the_list_separator_is_read_from_the_spec() -> None:
    document = _document()
    document["components"]["x-list-separator"] = "|"
    changed = from_dict(copy.deepcopy(document))
    assert changed.wire.split_list("1|2") == ["1", "2"]
    assert changed.filters["status"].wire is changed.wire  # the separator is stored once, in the codec
    (term,) = filter_condition(changed.filters["status"], "1|2").terms
    assert term.value == (1, 2)
    (term,) = general_condition(changed, "generalField", "contact.smsCount", "in", "1|2.5").terms
    assert term.value == (1, 2.5)


def test_a_page_parameter_without_bounds_is_refused() -> None:
    document = _document()
    del document["components"]["parameters"]["limit"]["schema"]["maximum"]
    with pytest.raises(SpecError, match="limit"):
        from_dict(document)
