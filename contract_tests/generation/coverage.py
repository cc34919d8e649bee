"""What a run reached and could not reach: the kinds of parameter it combined in one request, and parts of the
request space the data gave no values for, or no time was left for.

A gap is said in the summary, never dropped in silence: a filter sent only with random values (no value of
its field in the sample, no known id of a related record) mostly matches nothing, so what it must include
was hardly judged, and a reader must not take the "ok" of its checks for more than it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from contract_tests.generation.cases import Case, Kind
from contract_tests.generation.sample import Sample
from customers_spec.model import TEXT_OPERATORS, FilterRule, Spec

UNSAMPLED_TYPES = frozenset({"boolean"})  # every value of the type is generated anyway


@dataclass
class AreaRun:
    """One area of the request space in a run: the examples it was given, generated and sent."""

    name: str
    planned: int
    generated: int = 0
    run: int = 0
    unsatisfiable: bool = False

    @property
    def reached(self) -> bool:
        return self.run > 0


def data_gaps(spec: Spec, sample: Sample, kinds: Iterable[Kind]) -> list[str]:
    """The filters and fields whose values could not come from the data under test, each with the reason."""
    if "valid" not in set(kinds):
        return []
    if sample.total == 0:
        return [f"the server has no {spec.collection.name}: every filter was judged on empty results only"]
    gaps: list[str] = []
    for name, rule in sorted(spec.filters.items()):
        for clause in rule.clauses:
            if clause.via is not None and not sample.of_related(clause.via.collection, clause.via.match):
                gaps.append(
                    f"filter {name}: no id in {clause.via.collection} is known (give --data), so only unknown ids"
                    " were sent: which customers it includes was not judged"
                )
            elif clause.via is None and clause.type not in UNSAMPLED_TYPES and not sample.of(clause.path):
                gaps.append(f"filter {name}: no value of {clause.path} in the sample, so only random values were sent")
    general = next((rule.parameter for rule in spec.filters.values() if rule.general), None)
    if general is not None:
        missing = [
            path
            for path, field_type in sorted(spec.field_types.items())
            if field_type not in UNSAMPLED_TYPES and not sample.of(path)
        ]
        if missing:
            gaps.append(
                f"{general}: no value in the sample for {len(missing)} field(s), so only random values were sent"
                f" for {', '.join(missing)}"
            )
    return list(dict.fromkeys(gaps))


def area_gaps(areas: Iterable[AreaRun]) -> list[str]:
    """Areas that generated fewer requests than their share (the data left too little valid to send)."""
    gaps = []
    for area in areas:
        if area.unsatisfiable:
            gaps.append(f"{area.name}: no valid request could be generated from the data")
        elif area.generated < area.planned and area.run == area.generated:
            gaps.append(f"{area.name}: only {area.generated} of {area.planned} requests could be generated")
    return gaps


def rule_kind(spec: Spec, rule: FilterRule) -> str:
    """What kind of input a filter parameter is, as a frontend offers it (a search box, a dropdown, ...)."""
    clauses = rule.clauses
    if rule.general:
        return "generalField"
    if any(clause.via is not None for clause in clauses):
        return "relation"
    if any(clause.operator in TEXT_OPERATORS for clause in clauses):
        return "text search"
    if len(clauses) == 1 and clauses[0].path == spec.sort.tie_breaker.path:
        return "ids"
    if len(clauses) == 1 and clauses[0].operator in ("in", "nin"):
        return "list"
    return "exact"


def combination(spec: Spec, case: Case) -> str | None:
    """The kinds of parameter a valid request combines (``generalField`` with its field type), or None when it
    has fewer than two filters: ``generalField date + list + sort + page``."""
    if case.kind != "valid" or len(case.conditions) < 2:
        return None
    kinds = []
    for condition in case.conditions:
        rule = spec.filters[condition.parameter]
        kind = rule_kind(spec, rule)
        if rule.general and condition.terms:
            kind += f" {condition.terms[0].clause.type}"
        kinds.append(kind)
    names = spec.pagination
    extras = ["sort"] if case.sort else []
    if case.value(names.limit) is not None or case.value(names.offset) is not None:
        extras.append("page")
    return " + ".join([*sorted(kinds), *extras])


def combinations_line(combined: Counter[str], shown: int = 6) -> list[str]:
    """The summary's lines on requests that combined filters: how many, and the kinds most often met."""
    if not combined:
        return []
    total = sum(combined.values())
    common = ", ".join(f"{name} ({count})" for name, count in combined.most_common(shown))
    more = f", {len(combined) - shown} more" if len(combined) > shown else ""
    return [f"combined: {total} requests with two or more filters; kinds met: {common}{more}"]
