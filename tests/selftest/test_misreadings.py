"""Every listed misreading (``docs/misreadings.yaml``) has a telling draw, a plain reading and an engine fault, and
its draw makes, from the values of a sampled dataset, a value on which the kit's oracle and the misreading
answer differently for some sampled customer; ``docs/misreadings.md`` is rendered from the list."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from contract_tests.generation.sample import Sample, sample_from
from contract_tests.generation.telling import BY_NAME, telling_values
from contract_tests.generation.telling_cases import SORT_BY_NAME, telling_sort, telling_sorts
from contract_tests.judging.oracle import order
from customers_spec import Spec, load_spec
from customers_spec.model import LIST_OPERATORS, Clause
from mockserver.data.generate import generate_dataset
from selftest.claims import load_claims
from selftest.faults import ENGINE_FAULTS, MISREADING_FAULTS
from selftest.kit_setup import DATASET_SEED
from selftest.misreadings import TABLE, Misreading, load_misreadings, render
from selftest.readings import READINGS, SEPARATOR, SORT_READINGS, spec_reading

MISREADINGS = load_misreadings()
SIZE = 1000  # as the staging proofs run
SORT = "sort"  # the operator a misreading of the order names
VALUES_TRIED = 40  # per clause: the first sampled values a draw can use


@lru_cache(maxsize=1)
def sampled() -> Sample:
    """The sample the kit reads from a staging of 1,000 customers (its first page at the largest limit)."""
    return sample_from(load_spec(), generate_dataset(SIZE, DATASET_SEED).customers[:SIZE])


def clauses(spec: Spec) -> Iterator[Clause]:
    """Every clause a request can carry: each filter's own, and each field with each operator its type allows."""
    for rule in spec.filters.values():
        yield from (clause for clause in rule.clauses if clause.via is None)
    for path, field_type in spec.field_types.items():
        yield from (Clause(path, operator, field_type) for operator in sorted(spec.operators_by_type[field_type]))


def told(misreading: Misreading, spec: Spec, sample: Sample) -> tuple[Any, str, str] | None:
    """A clause, a value its draw makes and a sampled customer's id, where the two readings answer differently
    (for a misread ``sort``: the drawn sort and the first customer the two orders place apart)."""
    if SORT in misreading.operators:
        return told_order(misreading, spec, sample)
    draw, reading = BY_NAME[misreading.draw], READINGS[misreading.id]
    for clause in clauses(spec):
        if clause.type not in misreading.types or clause.operator not in misreading.operators:
            continue
        if not draw.applies(clause) or telling_values(sample, clause) is None:
            continue  # the kit would never draw it here
        made = [raw for value in sample.of(clause.path) if (raw := draw.make(value, 0)) is not None]
        for index, raw in enumerate(made[:VALUES_TRIED]):
            if clause.operator in LIST_OPERATORS and len(made) > 1:
                raw = SEPARATOR.join([raw, made[index - 1]])
            try:
                spec_reading(clause, {}, raw)
            except ValueError:
                continue  # not a value of the type: the kit's conformance rejects it before sending
            for record in sample.records:
                if spec_reading(clause, record, raw) != reading(clause, record, raw):
                    return clause, raw, str(record.get("_id"))
    return None


def told_order(misreading: Misreading, spec: Spec, sample: Sample) -> tuple[Any, str, str] | None:
    drawn = telling_sort(spec, sample, SORT_BY_NAME[misreading.draw])
    if drawn is None or drawn not in telling_sorts(spec, sample):
        return None
    keys = spec.sort.ordered_by(drawn)
    records = list(sample.records)
    right = order(records, keys, spec=spec)
    wrong = SORT_READINGS[misreading.id](records, keys, spec.field_types)
    apart = next((a for a, b in zip(right, wrong, strict=True) if a is not b), None)
    return None if apart is None else (drawn, spec.sort.grammar.write(drawn), str(apart.get("_id")))


def test_the_list_is_complete_and_each_entry_points_at_what_exists() -> None:
    ids = [each.id for each in MISREADINGS]
    assert len(ids) == len(set(ids)), "ids are unique: other fault tables name them"
    claims = {entry["claim"] for entry in load_claims() if "claim" in entry}
    faults = {fault.name for fault in ENGINE_FAULTS}
    for each in MISREADINGS:
        assert each.claim in claims, f"{each.id}: no claim of docs/claims.yaml says {each.claim!r}"
        draws = SORT_BY_NAME if SORT in each.operators else BY_NAME
        assert each.draw in draws, f"{each.id}: no draw {each.draw!r} in contract_tests/generation/telling.py"
        assert each.id in {**READINGS, **SORT_READINGS}, f"{each.id}: no plain reading in selftest/readings.py"
        assert each.fault in faults, f"{each.id}: no engine fault {each.fault!r}"
        assert each.languages and set(each.languages) <= {"SQL", "MongoDB", "JavaScript"}, each.id
    assert sorted([*READINGS, *SORT_READINGS]) == sorted(ids), "a reading for every misreading, none for another"


def test_each_new_engine_fault_commits_a_listed_misreading() -> None:
    named = {each.fault for each in MISREADINGS}
    assert MISREADING_FAULTS and all(fault.name in named for fault in MISREADING_FAULTS)


@pytest.mark.parametrize("misreading", MISREADINGS, ids=[each.id for each in MISREADINGS])
def test_its_draw_tells_the_misreading_from_the_spec_on_sampled_data(misreading: Misreading) -> None:
    found = told(misreading, load_spec(), sampled())
    assert found is not None, (
        f"{misreading.id}: the draw {misreading.draw!r} makes no value on which the spec's reading and the"
        " misreading answer differently for a sampled customer"
    )


def test_a_misreading_without_a_telling_draw_fails(tmp_path: Path) -> None:
    """The proof is not vacuous: a draw that cannot tell the misreading is found out."""
    blind = next(each for each in MISREADINGS if each.id == "like-wildcards")
    from dataclasses import replace

    assert told(replace(blind, draw="as_stored"), load_spec(), sampled()) is None


def test_the_table_in_the_docs_is_rendered_from_the_list() -> None:
    assert TABLE.read_text(encoding="utf-8") == render(MISREADINGS), "run python -m selftest.misreadings"


def test_an_entry_with_a_missing_field_is_refused_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "misreadings.yaml"
    broken.write_text("- id: nameless\n  claim: equal to the value\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"misreadings.yaml\[0\] \(nameless\)"):
        load_misreadings(broken)
