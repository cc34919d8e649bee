"""The "did you mean" of error messages."""

from __future__ import annotations

from customers_spec.suggestions import closest, did_you_mean

FIELDS = ("name", "number", "address.city", "status.createdAt")


def test_the_closest_known_word_case_aside() -> None:
    assert closest("nmae", FIELDS) == "name"
    assert closest("STATUS.CREATEDAT", FIELDS) == "status.createdAt"
    assert closest("zzzzzz", FIELDS) is None


def test_did_you_mean_only_when_a_word_is_close_and_different() -> None:
    assert did_you_mean("nmae", FIELDS) == " (did you mean 'name'?)"
    assert did_you_mean("zzzzzz", FIELDS) == ""
    assert did_you_mean("name", FIELDS) == ""
