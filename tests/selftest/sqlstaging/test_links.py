"""The Link header as the spec describes it."""

from __future__ import annotations

from customers_spec import Spec
from selftest.sqlstaging.links import link_header, neighbours, paged


def test_neighbours_of_a_middle_and_of_the_last_page() -> None:
    assert neighbours(10, 10, 35) == {"first": 0, "prev": 0, "next": 20, "last": 30}
    assert neighbours(30, 10, 35) == {"first": 0, "prev": 20, "last": 30}
    assert neighbours(0, 10, 0) == {"first": 0, "last": 0}


def test_links_keep_every_parameter_in_place_and_set_the_page(spec: Spec) -> None:
    names = spec.pagination
    pairs = (("offset", "5"), ("name", "a b"), ("offset", "7"), ("ids", "x"))
    assert paged(pairs, names, 15, 10) == (("offset", "15"), ("name", "a b"), ("ids", "x"), ("limit", "10"))
    header = link_header("http://h/v2/customers", (("name", "a"),), names, 0, 10, 25)
    assert header.startswith('<http://h/v2/customers?name=a&offset=0&limit=10>; rel="first", ')
    assert header.endswith('<http://h/v2/customers?name=a&offset=20&limit=10>; rel="last"')
