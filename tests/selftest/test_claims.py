"""Every sentence of the spec's descriptions is listed in ``docs/claims.yaml``: a claim with the registered checks
that judge it, or no claim with why; ``docs/claims.md`` is rendered from that list."""

from __future__ import annotations

from pathlib import Path

from contract_tests.judging.selection import select_checks
from selftest.claims import SPEC, TABLE, load_claims, render, sentences, spec_sentences, stale, unlisted

HINT = "list it in docs/claims.yaml (a claim with its checks, or no_claim with why), then python -m selftest.claims"


def test_every_sentence_of_every_description_is_listed() -> None:
    missing = unlisted(spec_sentences(), load_claims())
    assert not missing, f"{HINT}:\n" + "\n".join(f"  {where}: {says}" for where, says in missing)


def test_no_listed_sentence_is_gone_from_the_spec() -> None:
    gone = stale(spec_sentences(), load_claims())
    assert not gone, "the spec no longer says:\n" + "\n".join(f"  {where}: {says}" for where, says in gone)


def test_each_claim_names_registered_checks_and_each_other_sentence_says_why_it_is_none() -> None:
    registered = {check.name for check in select_checks()}
    for entry in load_claims():
        if "checks" in entry:
            assert entry["checks"] and entry.get("claim") and entry.get("about"), entry["says"]
            assert set(entry["checks"]) <= registered, f"{entry['says']}: {set(entry['checks']) - registered}"
            assert "no_claim" not in entry, entry["says"]
        else:
            assert entry.get("no_claim"), f"{entry['says']}: a claim without checks, or no reason it is none"


def test_the_table_in_the_docs_is_rendered_from_the_list() -> None:
    assert TABLE.read_text(encoding="utf-8") == render(load_claims()), "run python -m selftest.claims"


def test_a_sentence_added_to_a_description_is_caught(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8").replace(
        "Filter by customer number (exact match).",
        "Filter by customer number (exact match). Leading zeros are ignored.",
    )
    changed = tmp_path / "customers.yaml"
    changed.write_text(text, encoding="utf-8")
    missing = unlisted(spec_sentences(changed), load_claims())
    assert missing == [("components.parameters.number", "Leading zeros are ignored.")]


def test_sentences_are_cut_at_their_end_and_at_list_items_not_inside_an_abbreviation() -> None:
    text = "Sort keys (e.g. `number:1`): the first decides. Ties by `_id`.\n\n## Notes\n- **One.** Two.\n- Three."
    assert sentences(text) == [
        "Sort keys (e.g. `number:1`): the first decides.",
        "Ties by `_id`.",
        "## Notes",
        "**One.** Two.",
        "Three.",
    ]
