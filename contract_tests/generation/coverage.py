"""What a run could not reach: parts of the request space the data gave no values for, or no time was left for.

A gap is said in the summary, never dropped in silence: a filter sent only with random values (no value of
its field in the sample, no known id of a related record) mostly matches nothing, so what it must include
was hardly judged, and a reader must not take the "ok" of its checks for more than it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contract_tests.generation.cases import Kind
from contract_tests.generation.sample import Sample
from customers_spec.model import Spec

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
        return ["the server has no customers: every filter was judged on empty results only"]
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
