"""The key never leaves the kit: each whole-token occurrence becomes ``$API_KEY``."""

from __future__ import annotations

from contract_tests.reporting.redaction import KEY_VARIABLE, MIN_REDACTED_LENGTH, redact


def test_an_echoed_key_is_replaced_wherever_it_appears() -> None:
    assert redact("echoed s3cret twice: s3cret", "s3cret") == "echoed $API_KEY twice: $API_KEY"


def test_redaction_replaces_the_key_only_as_a_whole_token() -> None:
    assert redact("key=abcd1234; other=xabcd1234", "abcd1234") == "key=$API_KEY; other=xabcd1234"
    assert redact("1 contract violation(s) in 100 requests", "1") == "1 contract violation(s) in 100 requests"
    assert redact("run contract-tests: test failed", "test") == "run contract-tests: $API_KEY failed"


def test_no_key_or_a_short_one_leaves_the_text_alone() -> None:
    short = "k" * (MIN_REDACTED_LENGTH - 1)
    assert redact(f"the key {short}", short) == f"the key {short}"
    assert redact("nothing to hide", None) == "nothing to hide"
    assert redact("abcd", "abcd") == KEY_VARIABLE


def test_several_secrets_each_get_their_placeholder_the_longest_first() -> None:
    secrets = {"abcd1234": "$API_KEY", "tenant-77": "$X_TENANT", "tenant-77-eu": "$X_REGION", "ab": "$SHORT"}
    text = "key abcd1234 tenant tenant-77 region tenant-77-eu ab"
    assert redact(text, secrets) == "key $API_KEY tenant $X_TENANT region $X_REGION ab"
