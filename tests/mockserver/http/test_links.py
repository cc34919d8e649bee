"""The Link header: which neighbours exist, their offsets, and that each keeps the request's query."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from customers_spec import Spec
from mockserver.http.links import build_link_header, page_offsets, with_page

BASE = "http://127.0.0.1:3000/v2/customers"


@pytest.mark.parametrize(
    ("offset", "limit", "total", "expected"),
    [
        (0, 100, 1000, {"first": 0, "next": 100, "last": 900}),
        (0, 100, 1001, {"first": 0, "next": 100, "last": 1000}),
        (100, 100, 1000, {"first": 0, "prev": 0, "next": 200, "last": 900}),
        (150, 100, 1000, {"first": 0, "prev": 50, "next": 250, "last": 900}),
        (30, 100, 1000, {"first": 0, "prev": 0, "next": 130, "last": 900}),
        (900, 100, 1000, {"first": 0, "prev": 800, "last": 900}),
        (5000, 100, 1000, {"first": 0, "prev": 4900, "last": 900}),
        (0, 100, 0, {"first": 0, "last": 0}),
        (0, 1, 1, {"first": 0, "last": 0}),
        (0, 100, 100, {"first": 0, "last": 0}),
    ],
)
def test_page_offsets(offset: int, limit: int, total: int, expected: dict[str, int]) -> None:
    assert page_offsets(offset, limit, total) == expected


def test_with_page_sets_offset_and_limit_in_place_and_keeps_the_rest(spec: Spec) -> None:
    pairs = (("name", "a b"), ("offset", "7"), ("ids", "x"), ("ids", "y"), ("generalField[field]", "name"))
    query = with_page(pairs, spec.pagination, offset=20, limit=10)
    assert parse_qsl(query) == [
        ("name", "a b"),
        ("offset", "20"),
        ("ids", "x"),
        ("ids", "y"),
        ("generalField[field]", "name"),
        ("limit", "10"),
    ]
    assert " " not in query and ">" not in with_page((("q", "<a>"),), spec.pagination, 0, 1)


def test_link_header_matches_the_spec_pattern_and_example(spec: Spec) -> None:
    header_schema = spec.document["components"]["headers"]["Link"]
    header = build_link_header("http://localhost:3000/v2/customers", (), spec.pagination, 0, 100, 1000)
    assert header == header_schema["example"]
    assert re.fullmatch(header_schema["schema"]["pattern"], header)


def test_every_link_keeps_the_query(spec: Spec) -> None:
    pairs = (("sort", "name:-1"), ("limit", "2"), ("status", "1,2"), ("offset", "4"))
    header = build_link_header(BASE, pairs, spec.pagination, 4, 2, 9)
    links = dict(re.findall(r'<([^>]*)>; rel="(\w+)"', header)[i][::-1] for i in range(4))
    assert set(links) == {"first", "prev", "next", "last"}
    for rel, offset in {"first": "0", "prev": "2", "next": "6", "last": "8"}.items():
        url = urlsplit(links[rel])
        assert f"{url.scheme}://{url.netloc}{url.path}" == BASE
        assert parse_qsl(url.query) == [("sort", "name:-1"), ("limit", "2"), ("status", "1,2"), ("offset", offset)]
