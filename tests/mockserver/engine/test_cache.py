"""The LRU: most recent entries kept, capacity 0 keeps none."""

from __future__ import annotations

import pytest

from mockserver.engine.cache import LruCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LruCache[str] = LruCache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # now b is the oldest
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == ("A", None, "C", 2)


def test_get_or_make_makes_once_and_capacity_zero_keeps_nothing() -> None:
    made: list[str] = []

    def make() -> str:
        made.append("k")
        return "value"

    cache: LruCache[str] = LruCache(4)
    for _ in range(3):
        assert cache.get_or_make("k", make) == "value"
    assert made == ["k"]
    none: LruCache[str] = LruCache(0)
    none.put("k", "v")
    assert none.get("k") is None and len(none) == 0
    with pytest.raises(ValueError, match="at least 0"):
        LruCache(-1)
