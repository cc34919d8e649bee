"""The trigram index finds exactly what a plain scan finds, for any needle and any Unicode text."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.engine.textindex import TextIndex, _followed

SCAN = {"contains": str.__contains__, "startsWith": str.startswith, "endsWith": str.endswith}
alphabet = st.sampled_from("abcß\x00é😀 ")
texts = st.lists(st.none() | st.text(alphabet, max_size=8), max_size=12)


@given(texts, st.text(alphabet, max_size=5), st.sampled_from(sorted(SCAN)))
def test_the_index_agrees_with_a_scan(strings: list[str | None], needle: str, operator: str) -> None:
    expected = [text is not None and SCAN[operator](text, needle) for text in strings]
    assert TextIndex(lambda: strings).search(operator, needle).tolist() == expected


def test_long_needles_need_every_trigram_in_place() -> None:
    index = TextIndex(lambda: ["abcxbcd", "abcd", "zabcdez", None, "bcdabc"])
    assert np.flatnonzero(index.search("contains", "abcd")).tolist() == [1, 2]
    assert np.flatnonzero(index.search("contains", "abcdez")).tolist() == [2]
    assert np.flatnonzero(index.search("endsWith", "abc")).tolist() == [4]


def test_an_unknown_operator_is_refused() -> None:
    with pytest.raises(ValueError, match="not a text operator"):
        TextIndex(lambda: ["a"]).search("matches", "a")


def test_a_huge_alphabet_falls_back_to_code_points() -> None:
    many = "".join(chr(0x10000 + offset) for offset in range(50_000))  # too many ids for one int64 sort key
    strings = [many, "abc", None, many[100:110] + "x"]
    index = TextIndex(lambda: strings)
    assert index.alphabet is None
    for operator, needle in [
        ("contains", many[100:104]),
        ("contains", "bc"),
        ("endsWith", "x"),
        ("startsWith", many[:3]),
    ]:
        expected = [text is not None and SCAN[operator](text, needle) for text in strings]
        assert index.search(operator, needle).tolist() == expected, (operator, needle)


def test_large_runs_agree_with_a_scan() -> None:
    """Two letters make every trigram's run long, so long needles are checked by merging, not binary search."""
    rng = random.Random(3)
    strings = ["".join(rng.choice("ab") for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    index = TextIndex(lambda: strings)
    for needle in ["abba", "aaab", "babab", "bbbbbbb", "abababab", "aaaaaaaaaaaa"]:
        for operator, test in SCAN.items():
            expected = [test(text, needle) for text in strings]
            assert index.search(operator, needle).tolist() == expected, (operator, needle)


@pytest.mark.parametrize(("candidates", "run"), [(40, 50), (2000, 2500), (3, 5000)])
def test_both_ways_of_following_find_the_same_candidates(candidates: int, run: int) -> None:
    rng = np.random.default_rng(candidates)
    starts = np.sort(rng.choice(10_000, candidates, replace=False)).astype(np.int64)
    following = np.sort(rng.choice(10_000, run, replace=False)).astype(np.int32)
    present = set(following.tolist())
    expected = [index for index, start in enumerate(starts.tolist()) if start + 2 in present]
    assert _followed(starts, following, 2).tolist() == expected
