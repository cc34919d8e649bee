"""The write checks: what a create, an update and a delete must leave, judged from the answers of the operations
the spec declares (never from the server's code), run only when a run is allowed to write.

One story per collection with a create: a record made from one the list returns (what the server owns left out,
a marker put in a field a filter matches), then read back by id several times (each on a fresh connection, so
behind several worker processes each may answer), in the list under a filter it meets and under one it does not,
the totals up by one; its unique value held by no other record of its scope; an invalid body refused with a 400
naming the JSON path; a merge patch changing only what it names; a delete leaving a 404 and no trace in any list.
A total of the whole list moves on a living staging: a disagreement there is asked again and reported only when
it reproduces. The filter under the marker is the run's own and does not move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from contract_tests.sending.transport import Response
from customers_spec import Api, Spec
from customers_spec.api import ItemSpec
from customers_spec.model import FilterRule
from customers_spec.values import get_path, without
from customers_spec.writes import MERGE_PATCH, WriteSpec

READ_BACKS = 6  # reads of a new record by id, each on a fresh connection
MARKER = "contract-tests"  # every record the kit writes carries it, so a team can find any left after a crash


class Send(Protocol):
    def __call__(self, method: str, path: str, body: Any = None, media_type: str = "application/json") -> Response: ...


@dataclass
class WriteStory:
    """What the write checks of one collection found: each violation in words, and each step that passed."""

    collection: str
    violations: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def judge(self, ok: bool, claim: str, seen: str = "") -> bool:
        if ok:
            self.passed.append(claim)
        else:
            self.violations.append(f"{claim}: {seen}" if seen else claim)
        return ok


@dataclass(frozen=True)
class Plan:
    """The operations one story uses, read from the spec."""

    create: WriteSpec
    update: WriteSpec | None
    delete: WriteSpec | None
    item: ItemSpec
    listing: Spec
    marker_rule: tuple[str, str]  # (the filter's parameter, the record's path it matches)


def plans(api: Api) -> list[Plan]:
    """A plan per collection the spec lets the kit create, read by id, list under a text filter, and delete."""
    found = []
    for create in (write for write in api.writes if write.kind == "create"):
        name = create.collection.name
        of = [write for write in api.writes if write.collection.name == name]
        item = next((each for each in api.items if each.collection.name == name), None)
        listing = next((spec for spec in api.lists if spec.collection.name == name and spec.parent is None), None)
        rule = _marker_rule(listing) if listing is not None else None
        if item is None or listing is None or rule is None:
            continue
        update = next((write for write in of if write.kind == "update"), None)
        delete = next((write for write in of if write.kind == "delete"), None)
        found.append(Plan(create, update, delete, item, listing, rule))
    return found


def _marker_rule(spec: Spec) -> tuple[str, str] | None:
    """A filter that matches a text a record holds at a plain path (``contains``, else ``eq``)."""
    for operator in ("contains", "eq"):
        for name, rule in spec.filters.items():
            clause = _text_clause(rule, operator)
            if clause is not None and spec.parameters[name].location == "query":
                return name, clause
    return None


def _text_clause(rule: FilterRule, operator: str) -> str | None:
    for clause in rule.clauses:
        if clause.type == "string" and clause.operator == operator and clause.via is None and clause.when is None:
            return clause.path
    return None


def tell(story: WriteStory, plan: Plan, send: Send, run_id: str, created: Callable[[str], None]) -> None:
    """Run the story; ``created`` is told each record's path the moment its create is answered."""
    Story(story, plan, send, run_id, created).run()


class Story:
    def __init__(self, story: WriteStory, plan: Plan, send: Send, run_id: str, created: Callable[[str], None]) -> None:
        self.story, self.plan, self.send, self.created = story, plan, send, created
        self.marker = f"{MARKER} {run_id}"
        self.id_field = plan.create.collection.id_field
        self.total_header = plan.listing.pagination.total_header

    def run(self) -> None:
        template = self._template()
        if template is None:
            return
        record = self._create(template)
        if record is None:
            return
        path = self.plan.item.url_path(str(record[self.id_field]))
        self._read_back(record, path)
        self._unique(record)
        self._invalid(template)
        if self.plan.update is not None:
            record = self._update(record, path) or record
        if self.plan.delete is not None:
            self._delete(record, path)

    def _list(self, **query: str) -> Response:
        from urllib.parse import urlencode

        return self.send("get", self.plan.listing.path + ("?" + urlencode(query) if query else ""))

    def _total(self, **query: str) -> int | None:
        answer = self._list(**{self.plan.listing.pagination.limit: "1"}, **query)
        raw = answer.header(self.total_header)
        return int(raw) if answer.status == 200 and raw is not None and raw.isdigit() else None

    def _template(self) -> dict[str, Any] | None:
        answer = self._list()
        items = answer.json if answer.status == 200 else None
        if not isinstance(items, list) or not items:
            self.story.notes.append(f"not judged: {self.plan.listing.path} returned no record to start from")
            return None
        owned = {*self.plan.create.read_only, *(each.path for each in self.plan.create.assigned)}
        body = {key: value for key, value in items[0].items() if key not in owned}
        return body

    def _create(self, template: dict[str, Any]) -> dict[str, Any] | None:
        field_path = self.plan.marker_rule[1]
        before = self._total()
        body = {**template, field_path: self.marker}
        answer = self.send("post", self.plan.create.operation.path, body)
        made = answer.json if answer.status < 300 else None
        if isinstance(made, dict) and self.id_field in made:
            self.created(self.plan.item.url_path(str(made[self.id_field])))
        claim = f"a create answers {self.plan.create.status} with the record"
        if not self.story.judge(
            answer.status == self.plan.create.status and isinstance(made, dict), claim, _seen(answer)
        ):
            return None
        assert isinstance(made, dict)
        self.story.judge(get_path(made, field_path) == self.marker, "the created record holds what was sent")
        missing = [each.path for each in self.plan.create.assigned if get_path(made, each.path) is None]
        self.story.judge(not missing, "the server sets what the spec says it assigns", f"missing {missing}")
        if self.plan.create.status == 201:
            self.story.judge(bool(answer.header("Location")), "a 201 names the record in Location")
        self._counted(before, 1, "the total is up by one after a create")
        return made

    def _counted(self, before: int | None, step: int, claim: str) -> None:
        if before is None:
            self.story.notes.append(f"not judged: {claim} (no {self.total_header})")
            return
        first = self._total()
        if first == before + step:
            self.story.judge(True, claim)
            return
        again = self._total()  # a living staging moves: reported only when asked again it still disagrees
        if again != first:
            self.story.notes.append(f"unsettled: {claim} ({before} before, {first} then {again})")
        else:
            self.story.judge(False, claim, f"{before} before, {first} after")

    def _read_back(self, record: dict[str, Any], path: str) -> None:
        parameter, _ = self.plan.marker_rule
        answers = [self.send("get", path) for _ in range(READ_BACKS)]
        wrong = [answer for answer in answers if answer.status != 200 or answer.json != record]
        self.story.judge(
            not wrong, "the created record is read back by id, every time", _seen(wrong[0]) if wrong else ""
        )
        met = self._list(**{parameter: self.marker})
        ids = _ids(met, self.id_field)
        self.story.judge(
            ids == [record[self.id_field]], f"the list under {parameter}={self.marker!r} holds it", f"ids {ids}"
        )
        self.story.judge(
            met.header(self.total_header) == "1",
            f"its total under {parameter} is 1",
            str(met.header(self.total_header)),
        )
        unmet = self._list(**{parameter: self.marker + " none"})
        self.story.judge(
            record[self.id_field] not in _ids(unmet, self.id_field), f"a {parameter} it does not meet leaves it out"
        )

    def _unique(self, record: dict[str, Any]) -> None:
        for unique_path, within in self.plan.create.unique:
            value = get_path(record, unique_path)
            rule = next(
                (
                    name
                    for name, rule in self.plan.listing.filters.items()
                    if any(c.path == unique_path and c.operator == "eq" for c in rule.clauses)
                ),
                None,
            )
            if value is None or rule is None:
                continue
            answer = self._list(**{rule: str(value), self.plan.listing.pagination.limit: "1000"})
            items = answer.json if answer.status == 200 else []
            holders = [each[self.id_field] for each in items if get_path(each, within) == get_path(record, within)]
            self.story.judge(
                holders == [record[self.id_field]],
                f"its {unique_path} {value} is held by no other record of its {within}",
                f"held by {holders}",
            )

    def _invalid(self, template: dict[str, Any]) -> None:
        _, field_path = self.plan.marker_rule
        answer = self.send("post", self.plan.create.operation.path, {**template, field_path: 12345})
        made = answer.json if answer.status < 300 else None
        if isinstance(made, dict) and self.id_field in made:
            self.created(self.plan.item.url_path(str(made[self.id_field])))
        body = answer.json if answer.media_type.endswith("json") else None
        named = [each.get("name") for each in (body or {}).get("errors", [])] if isinstance(body, dict) else []
        self.story.judge(answer.status == 400, "an invalid body is a 400", _seen(answer))
        self.story.judge(f"$.{field_path}" in named, f"its problem names $.{field_path}", f"names {named}")

    def _update(self, record: dict[str, Any], path: str) -> dict[str, Any] | None:
        assert self.plan.update is not None
        _, field_path = self.plan.marker_rule
        changed = f"{self.marker} updated"
        media = MERGE_PATCH if MERGE_PATCH in self.plan.update.media_types else self.plan.update.media_types[0]
        answer = self.send("patch", path, {field_path: changed}, media)
        if not self.story.judge(answer.status == self.plan.update.status, "a merge patch is accepted", _seen(answer)):
            return None
        after = self.send("get", path).json
        owned = (*self.plan.update.read_only, *(each.path for each in self.plan.update.assigned), field_path)
        judge = self.story.judge
        judge(isinstance(after, dict) and get_path(after, field_path) == changed, "the update is read back")
        before, now = without(record, owned), without(after if isinstance(after, dict) else {}, owned)
        lost = sorted(key for key in {*before, *now} if before.get(key) != now.get(key))
        judge(not lost, "a merge patch changes only what it names", f"changed or lost {lost}")
        return after if isinstance(after, dict) else None

    def _delete(self, record: dict[str, Any], path: str) -> None:
        parameter, _ = self.plan.marker_rule
        before = self._total()
        answer = self.send("delete", path)
        assert self.plan.delete is not None
        if not self.story.judge(answer.status == self.plan.delete.status, "a delete is accepted", _seen(answer)):
            return
        self.story.judge(
            all(self.send("get", path).status == 404 for _ in range(READ_BACKS)), "a deleted record is a 404"
        )
        met = self._list(**{parameter: self.marker})
        self.story.judge(
            record[self.id_field] not in _ids(met, self.id_field), "a deleted record is gone from the list"
        )
        self.story.judge(
            met.header(self.total_header) == "0",
            f"its total under {parameter} is 0",
            str(met.header(self.total_header)),
        )
        self._counted(before, -1, "the total is down by one after a delete")


def _ids(answer: Response, id_field: str) -> list[Any]:
    items = answer.json if answer.status == 200 else None
    return [each.get(id_field) for each in items if isinstance(each, dict)] if isinstance(items, list) else []


def _seen(answer: Response) -> str:
    return f"{answer.status} {answer.body[:200].decode('utf-8', 'replace')}"
