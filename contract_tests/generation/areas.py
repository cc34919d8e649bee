"""The parts of the request space a run explores one by one, each with its share of the examples."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hypothesis import strategies as st

from contract_tests.generation.cases import Case, Kind
from contract_tests.generation.combinations import combined_cases, filter_groups
from contract_tests.generation.invalid import invalid_cases
from contract_tests.generation.sample import Sample
from contract_tests.generation.strategies import (
    BLIND_WEIGHT,
    FILTER_WEIGHT,
    GENERAL_WEIGHT,
    bound,
    can_match,
    filter_strategies,
    general_filters,
    unauthorized_cases,
    valid_case,
    valid_cases,
)
from contract_tests.generation.telling_cases import telling_filters, telling_sorts
from contract_tests.generation.value_strategies import picked
from customers_spec.model import Spec

COMBINED_WEIGHT = 2  # where parameters meet: several filters, a sort and a page in one request
TELLING_WEIGHT = 10  # about 21 of 100 examples: each of its ~20 requests (one per telling) is sent


@dataclass(frozen=True)
class Area:
    """A part of the request space explored on its own, with its share (``weight``) of the examples."""

    name: str
    strategy: st.SearchStrategy[Case]
    weight: int = 1


def areas(spec: Spec, *, sample: Sample, kinds: Iterable[Kind]) -> list[Area]:
    """One area of telling values (``generation.telling``), one per filter, one for all valid requests, one where
    filters meet (``combinations``), invalid input and keys, so a short run covers them all.

    Hypothesis explores one strategy unevenly in a few dozen examples; giving every filter its own share of
    the examples makes sure each is sent with values from the data. ``generalField`` spans every field and
    operator, so it gets one area per field type (a date comparison is sent in every run); a relation
    filter whose related ids are unknown (no ``--data``) a smaller share, as its answers are empty whatever
    the server does.
    """
    wanted = set(kinds)
    areas: list[Area] = []
    if "valid" in wanted:
        build = bound(valid_case, spec.sort.grammar)
        told = [build((), (), (written,)) for written in telling_filters(spec, sample)]
        told += [build((), keys, ()) for keys in telling_sorts(spec, sample)]
        if told:  # first: a run that stops at its first violation stops early where a misreading shows
            areas.append(Area("telling values", picked(told), TELLING_WEIGHT))
        rules = filter_strategies(spec, sample=sample)
        for name, rule in sorted(spec.filters.items()):
            if rule.general:
                for field_type in sorted(set(spec.field_types.values())):
                    typed = {**rules, name: general_filters(spec, name, sample=sample, types={field_type})}
                    strategy = valid_cases(spec, sample=sample, focus=name, rules=typed)
                    areas.append(Area(f"filter {name} ({field_type})", strategy, GENERAL_WEIGHT))
                continue
            strategy = valid_cases(spec, sample=sample, focus=name, rules=rules)
            weight = FILTER_WEIGHT if can_match(spec, name, sample) else BLIND_WEIGHT
            areas.append(Area(f"filter {name}", strategy, weight))
        areas.append(Area("valid requests", valid_cases(spec, sample=sample, rules=rules), 2))
        if filter_groups(spec, sample):
            areas.append(Area("combined filters", combined_cases(spec, sample=sample, rules=rules), COMBINED_WEIGHT))
    if "invalid" in wanted:
        areas.append(Area("invalid input", invalid_cases(spec), 2))
    if wanted & {"no_key", "wrong_key"}:
        areas.append(Area("API key", unauthorized_cases(spec, sample=sample, kinds=wanted & {"no_key", "wrong_key"})))
    return areas
