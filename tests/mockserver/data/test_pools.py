"""The word pools the generator draws from: made once per seed, the curated lists included."""

from __future__ import annotations

from mockserver.data.pools import BIG_CITIES, COMMON_STREETS, build_pools


def test_pools_are_the_seeds_and_hold_distinct_names() -> None:
    pools = build_pools(3)
    assert pools == build_pools(3) and pools != build_pools(4)
    for names in (pools.first_names, pools.last_names):
        assert len(set(names)) == len(names) > 100
    assert pools.streets[: len(COMMON_STREETS)] == COMMON_STREETS and len(pools.streets) > len(COMMON_STREETS)


def test_towns_have_states_zip_prefixes_and_area_codes() -> None:
    pools = build_pools(3)
    assert [town.city for town in pools.big_towns] == [city for city, *_ in BIG_CITIES]
    assert len(pools.small_towns) > 100
    for town in pools.big_towns + pools.small_towns:
        assert town.zip_prefixes and all(len(prefix) == 2 and prefix.isdigit() for prefix in town.zip_prefixes)
        assert town.area_code.isdigit() and town.state
