"""The trigram index finds exactly what a plain scan finds, for any needle and any Unicode text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.textindex import TextIndex

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
