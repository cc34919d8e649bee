"""Deliberately faulty variants of the mock, as data: each a named fault and the checks meant to catch it.

A fault is a WSGI middleware around the mock (how it reads its query, what it answers), mock ``config``, or
an ``Engine`` fault: a wrong rule inside the mock's query engine, as a real database gets it wrong (a
case-sensitive collation, an ``ne`` that drops absent values, a date compared as text). An engine fault
changes which customers match and in what order, so ``X-Total-Count``, the pages and the ``Link`` header all
agree with the wrong answer, and only the meaning checks can catch it. ``tests/contract_tests/test_faults.py``
runs the kit against every fault and demands it be caught; ``bench/bench_detection.py`` measures how often
random runs catch each at two data sizes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.test import run_wsgi_app

from customers_serving.application import WsgiApp
from customers_spec.datafile import Dataset
from customers_spec.terms import Condition, Term
from customers_spec.values import get_path
from customers_spec.wire import Pairs, base_name, decode_query, encode_query
from mockserver.app import create_app
from mockserver.config import Config
from selftest.engine import Engine, Record, store_with

Middleware = Callable[[WsgiApp], WsgiApp]
KEY_ENVIRON = "HTTP_X_API_KEY"


@dataclass
class Answer:
    """A buffered response of the wrapped app, for a middleware to change."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    query: Pairs
    app: WsgiApp = field(repr=False)
    environ: dict[str, Any] = field(repr=False)

    @property
    def items(self) -> list[dict[str, Any]] | None:
        """The page's items; None for anything else the app serves (an error, the spec, the docs page)."""
        if self.status != 200 or not self.body.startswith(b"["):
            return None
        items: list[dict[str, Any]] = orjson.loads(self.body)
        return items

    def with_items(self, items: list[dict[str, Any]]) -> Answer:
        self.body = orjson.dumps(items)
        return self

    def param(self, name: str) -> str | None:
        return next((value for key, value in self.query if key == name), None)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def set_header(self, name: str, value: str | None) -> Answer:
        self.headers = [(key, old) for key, old in self.headers if key.lower() != name.lower()]
        if value is not None:
            self.headers.append((name, value))
        return self


def on_query(rewrite: Callable[[Pairs], Pairs]) -> Middleware:
    """A fault in how the server reads its query: the app sees rewritten parameters."""

    def middleware(app: WsgiApp) -> WsgiApp:
        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            pairs = decode_query(environ.get("QUERY_STRING", ""))
            changed = {**environ, "QUERY_STRING": encode_query(rewrite(pairs))}
            return app(changed, start_response)

        return wrapped

    return middleware


def on_answer(rewrite: Callable[[Answer], Answer]) -> Middleware:
    """A fault in what the server answers: the app's response, buffered and rewritten."""

    def middleware(app: WsgiApp) -> WsgiApp:
        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            query = decode_query(environ.get("QUERY_STRING", ""))
            body, status, headers = run_wsgi_app(app, environ, buffered=True)
            code = int(status.split()[0])
            answer = rewrite(Answer(code, list(headers.to_wsgi_list()), b"".join(body), query, app, environ))
            sent = [(key, value) for key, value in answer.headers if key.lower() != "content-length"]
            start_response(f"{answer.status} {HTTP_STATUS_CODES.get(answer.status, 'Unknown')}", sent)
            return [answer.body]

        return wrapped

    return middleware


def on_request(rewrite: Callable[[dict[str, Any]], dict[str, Any]]) -> Middleware:
    def middleware(app: WsgiApp) -> WsgiApp:
        return lambda environ, start_response: app(rewrite(dict(environ)), start_response)

    return middleware


@dataclass(frozen=True)
class Fault:
    """A faulty variant: ``wrap`` around the mock, mock ``config`` fields, or a wrong rule in its query
    ``engine``; caught by any of ``caught_by``."""

    name: str
    caught_by: frozenset[str]
    wrap: Middleware | None = None
    config: dict[str, Any] = field(default_factory=dict)
    engine: Engine | None = None


# --- query rewrites ---------------------------------------------------------------------------------------


def without(*names: str) -> Callable[[Pairs], Pairs]:
    """Ignore parameters (a deep object by its base name)."""
    return lambda pairs: tuple((key, value) for key, value in pairs if base_name(key) not in names)


def changed(name: str, change: Callable[[str], str | None]) -> Callable[[Pairs], Pairs]:
    def rewrite(pairs: Pairs) -> Pairs:
        result = [(key, change(value) if key == name else value) for key, value in pairs]
        return tuple((key, value) for key, value in result if value is not None)

    return rewrite


def flipped_sort(pairs: Pairs) -> Pairs:
    """Every sort direction reversed, the default order too (an invalid sort is left for the mock to refuse)."""
    if not any(key == "sort" for key, _ in pairs):
        pairs = (*pairs, ("sort", "number:1"))
    return changed("sort", _flipped)(pairs)


def _flipped(raw: str) -> str:
    flip = {"1": "-1", "-1": "1"}
    keys = [key.rpartition(":") for key in raw.split(",")]
    if any(direction not in flip for _, _, direction in keys):
        return raw
    return ",".join(f"{path}:{flip[direction]}" for path, _, direction in keys)


def descending_tie_break(pairs: Pairs) -> Pairs:
    """Ties broken by ``_id`` descending instead of ascending."""
    if not any(key == "sort" for key, _ in pairs):
        pairs = (*pairs, ("sort", "number:1"))
    return changed("sort", lambda raw: raw if "_id:" in raw else f"{raw},_id:-1")(pairs)


def limit_plus_one(raw: str) -> str:
    return str(min(int(raw) + 1, 1000)) if raw.isdigit() else raw


def offset_minus_one(raw: str) -> str:
    return str(max(int(raw) - 1, 0)) if raw.isdigit() else raw


def first_value_only(raw: str) -> str:
    return raw.split(",", 1)[0]


# --- answer rewrites --------------------------------------------------------------------------------------


def each_item(change: Callable[[dict[str, Any]], None]) -> Callable[[Answer], Answer]:
    def rewrite(answer: Answer) -> Answer:
        items = answer.items
        if items is None:
            return answer
        for item in items:
            change(item)
        return answer.with_items(items)

    return rewrite


def first_item(change: Callable[[dict[str, Any]], None]) -> Callable[[Answer], Answer]:
    def rewrite(answer: Answer) -> Answer:
        items = answer.items
        if not items:
            return answer
        change(items[0])
        return answer.with_items(items)

    return rewrite


def accept_invalid(answer: Answer) -> Answer:
    """A 400 replaced by the unfiltered first page, as if the invalid parameter were ignored."""
    if answer.status != 400:
        return answer
    environ = {**answer.environ, "QUERY_STRING": ""}
    body, status, headers = run_wsgi_app(answer.app, environ, buffered=True)
    return Answer(int(status.split()[0]), list(headers.to_wsgi_list()), b"".join(body), (), answer.app, environ)


def shifted_next(answer: Answer) -> Answer:
    link = answer.header("Link")
    if link is None:
        return answer
    parts = [part.replace("offset=", "offset=1", 1) if 'rel="next"' in part else part for part in link.split(", <")]
    return answer.set_header("Link", ", <".join(parts))


def without_prev(answer: Answer) -> Answer:
    link = answer.header("Link")
    if link is None:
        return answer
    return answer.set_header("Link", ", ".join(p for p in link.split(", ") if 'rel="prev"' not in p) or None)


def total_plus_one(answer: Answer) -> Answer:
    total = answer.header("X-Total-Count")
    return answer if total is None else answer.set_header("X-Total-Count", str(int(total) + 1))


def shuffled(answer: Answer) -> Answer:
    items = answer.items
    if not items:
        return answer
    random.shuffle(items)  # unseeded on purpose: this server answers differently every time
    return answer.with_items(items)


def crash_on_large_offset(answer: Answer) -> Answer:
    offset = answer.param("offset") or "0"
    if offset.isdigit() and int(offset) > 1000:
        return Answer(500, [("Content-Type", "text/html")], b"<h1>Internal Server Error</h1>", (), answer.app, {})
    return answer


def errors_as_plain_json(answer: Answer) -> Answer:
    return answer.set_header("Content-Type", "application/json") if answer.status >= 400 else answer


def problem_status_wrong(answer: Answer) -> Answer:
    if answer.status < 400:
        return answer
    body = orjson.loads(answer.body)
    answer.body = orjson.dumps({**body, "status": 500})
    return answer


def created_not_ok(answer: Answer) -> Answer:
    if answer.status == 200:
        answer.status = 201
    return answer


def add_key(environ: dict[str, Any]) -> dict[str, Any]:
    environ.setdefault(KEY_ENVIRON, "contract-tests-api-key")
    return environ


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(item: dict[str, Any]) -> None:
        node = item
        for step in parents:
            node = node.setdefault(step, {})
        node[last] = value

    return change


FAULTS: list[Fault] = [
    Fault("offset ignored", frozenset({"pages_tile", "page_size"}), on_query(without("offset"))),
    Fault("limit off by one", frozenset({"page_size"}), on_query(changed("limit", limit_plus_one))),
    Fault("sort reversed", frozenset({"sort_order"}), on_query(flipped_sort)),
    Fault("tie-break descending", frozenset({"sort_order"}), on_query(descending_tie_break)),
    Fault("name filter ignored", frozenset({"filters_hold"}), on_query(without("name"))),
    Fault("status filter ignored", frozenset({"filters_hold"}), on_query(without("status"))),
    Fault("ids filter ignored", frozenset({"filters_hold"}), on_query(without("ids"))),
    Fault("generalField ignored", frozenset({"filters_hold"}), on_query(without("generalField"))),
    Fault("objectIds ignored", frozenset({"relation_unknown_ids"}), on_query(without("objectIds"))),
    Fault(
        "objectIds uses its first id only",
        frozenset({"relation_union"}),
        on_query(changed("objectIds", first_value_only)),
    ),
    Fault(
        "number as a string",
        frozenset({"response_schema"}),
        on_answer(each_item(lambda item: item.update(number=str(item["number"])))),
    ),
    Fault("internal field leaked", frozenset({"response_schema"}), on_answer(each_item(_set("_version", 3)))),
    Fault(
        "e-mail not an e-mail", frozenset({"response_schema"}), on_answer(first_item(_set("contact.email", "no-mail")))
    ),
    Fault(
        "X-Total-Count missing",
        frozenset({"headers_documented"}),
        on_answer(lambda a: a.set_header("X-Total-Count", None)),
    ),
    Fault("Link missing", frozenset({"headers_documented"}), on_answer(lambda a: a.set_header("Link", None))),
    Fault("X-Total-Count one too many", frozenset({"total_count_consistent", "page_size"}), on_answer(total_plus_one)),
    Fault("Link next wrong", frozenset({"link_header"}), on_answer(shifted_next)),
    Fault("Link prev missing", frozenset({"link_header"}), on_answer(without_prev)),
    Fault("items repeated across pages", frozenset({"pages_tile"}), on_query(changed("offset", offset_minus_one))),
    Fault("order not deterministic", frozenset({"deterministic", "sort_order"}), on_answer(shuffled)),
    Fault("500 on a large offset", frozenset({"not_server_error"}), on_answer(crash_on_large_offset)),
    Fault("invalid input accepted", frozenset({"invalid_input_rejected"}), on_answer(accept_invalid)),
    Fault("unknown parameters ignored", frozenset({"invalid_input_rejected"}), config={"lenient": True}),
    Fault("errors as application/json", frozenset({"content_type"}), on_answer(errors_as_plain_json)),
    Fault("problem status differs", frozenset({"response_schema"}), on_answer(problem_status_wrong)),
    Fault(
        "201 instead of 200", frozenset({"status_code_documented", "valid_input_accepted"}), on_answer(created_not_ok)
    ),
    Fault("auth not enforced", frozenset({"auth_enforced"}), on_request(add_key)),
    Fault("any key accepted", frozenset({"auth_enforced"}), config={"api_keys": frozenset()}),
]


# --- faults inside the query engine (consistent: totals, pages and links agree with the wrong result) -------

MEANING = frozenset(
    {"filter_witnesses", "operator_witnesses", "clause_witnesses", "sort_witnesses"}
    | {"totals_partition", "totals_list_sum", "totals_case_variants", "total_ignores_sort"}
    | {"combined_witnesses", "combined_window"}
)  # the size-independent meaning checks: each engine fault must be caught by one of these


def _terms_changed(change: Callable[[Condition, Term], Term | None]) -> Callable[[Condition], tuple[Condition, ...]]:
    """A rewrite of each term (None: the term is dropped)."""

    def rewrite(condition: Condition) -> tuple[Condition, ...]:
        terms = tuple(new for term in condition.terms if (new := change(condition, term)) is not None)
        return (Condition(condition.parameter, terms),)

    return rewrite


def operator_as(wrong: str, instead: str) -> Engine:
    """``wrong`` answered as ``instead`` (``gt`` as ``gte``: the boundary included)."""

    def change(condition: Condition, term: Term) -> Term:
        if term.clause.operator != wrong:
            return term
        return Term(replace(term.clause, operator=instead), term.value)

    return Engine(rewrite=_terms_changed(change))


def absent_dropped(operator: str) -> Engine:
    """``operator`` (ne, nin) also demanding a value, as SQL's ``<>`` does with NULL."""

    def rewrite(condition: Condition) -> tuple[Condition, ...]:
        wanted = [term for term in condition.terms if term.clause.operator == operator]
        if len(condition.terms) != 1 or not wanted:
            return (condition,)
        clause = replace(wanted[0].clause, operator="exists")
        return condition, Condition(condition.parameter, (Term(clause, True),))

    return Engine(rewrite=rewrite)


def list_cut(parameter: str) -> Engine:
    """An ``in`` list of ``parameter`` cut to its first value."""

    def change(condition: Condition, term: Term) -> Term:
        if condition.parameter != parameter or term.clause.operator != "in":
            return term
        return Term(term.clause, term.value[:1])

    return Engine(rewrite=_terms_changed(change))


def clause_dropped(parameter: str, path: str) -> Engine:
    """``parameter`` no longer searching ``path`` (a field of ``nameAndAddress``, the digits rule of ``name``)."""

    def change(condition: Condition, term: Term) -> Term | None:
        return None if condition.parameter == parameter and term.clause.path == path else term

    return Engine(rewrite=_terms_changed(change))


def date_values(change: Callable[[datetime], datetime]) -> Engine:
    """Every date a filter compares with changed as a careless parser would (its offset or fraction lost)."""

    def changed_term(condition: Condition, term: Term) -> Term:
        if term.clause.type != "date" or not isinstance(term.value, datetime):
            return term
        return Term(term.clause, change(term.value))

    return Engine(rewrite=_terms_changed(changed_term))


OFFSET = re.compile(r"^(\d{4}-\d\d-\d\dT[0-9:.]+)([+-]\d\d:\d\d)$")


def offset_ignored(raw: str) -> str:
    """A date-time's offset read as UTC (``10:00+02:00`` taken as ``10:00Z``), as a parser that drops it does;
    the wrong instant then goes into the query, so totals, pages and links agree with it."""
    return OFFSET.sub(lambda match: match.group(1) + "Z", raw)


def _case_sensitive(parameter: str) -> Engine:
    """``parameter``'s text operators matching case-sensitively (a binary collation)."""
    tests = {"contains": str.__contains__, "startsWith": str.startswith, "endsWith": str.endswith}

    def predicate(condition: Condition, term: Term) -> Callable[[Record], bool] | None:
        test = tests.get(term.clause.operator)
        if condition.parameter != parameter or test is None:
            return None
        path, needle = term.clause.path, term.value
        return lambda record: isinstance(value := get_path(record, path), str) and test(value, needle)

    return Engine(predicate=predicate)


def _regex_text() -> Engine:
    """Text operators answered by a regular expression built from the value unescaped (``$regex`` without
    ``re.escape``): ``.`` matches any character; a value that is no valid pattern matches nothing."""
    anchors = {"contains": "{}", "startsWith": "^(?:{})", "endsWith": "(?:{})$"}

    def predicate(condition: Condition, term: Term) -> Callable[[Record], bool] | None:
        anchor = anchors.get(term.clause.operator)
        if anchor is None:
            return None
        try:
            pattern = re.compile(anchor.format(term.value), re.IGNORECASE)
        except re.error:
            return lambda record: False
        path = term.clause.path
        return lambda record: isinstance(value := get_path(record, path), str) and bool(pattern.search(value))

    return Engine(predicate=predicate)


def _dates_as_text() -> Engine:
    """Date comparisons made on the stored text against the value as the server re-wrote it (ISO, with offset)."""
    compare = {
        "eq": lambda a, b: a == b,
        "ne": lambda a, b: a != b,
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }

    def predicate(condition: Condition, term: Term) -> Callable[[Record], bool] | None:
        test = compare.get(term.clause.operator)
        if term.clause.type != "date" or test is None:
            return None
        path, text = term.clause.path, term.value.isoformat()
        missing_meets = term.clause.operator == "ne"
        return lambda record: missing_meets if (value := get_path(record, path)) is None else test(str(value), text)

    return Engine(predicate=predicate)


def _exists_by_key() -> Engine:
    """``exists`` asking whether the key is there, so an explicit null counts as a value (MongoDB's ``$exists``)."""

    def predicate(condition: Condition, term: Term) -> Callable[[Record], bool] | None:
        if term.clause.operator != "exists":
            return None
        *parents, last = term.clause.path.split(".")
        wanted = bool(term.value)

        def test(record: Record) -> bool:
            node: Any = record
            for step in parents:
                node = node.get(step) if isinstance(node, dict) else None
            return (isinstance(node, dict) and last in node) == wanted

        return test

    return Engine(predicate=predicate)


def _paths(condition: Condition) -> set[str]:
    return {term.clause.path for term in condition.terms}


def _last_per_field(conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """A query built as one entry per field (``query[path] = ...``): of two filters reading a field (``status`` and
    ``generalField`` on ``status.status``, ``name`` and ``nameAndAddress``), the later overwrites the earlier."""
    return tuple(
        condition
        for index, condition in enumerate(conditions)
        if not any(_paths(condition) & _paths(later) for later in conditions[index + 1 :])
    )


def _ored_with(parameter: str, apart: str) -> Callable[[tuple[Condition, ...]], tuple[Condition, ...]]:
    """``parameter``'s terms and every other filter's (but ``apart``'s) put in one ``$or``: any of them suffices."""

    def combine(conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
        kept = [condition for condition in conditions if condition.parameter == apart]
        ored = [condition for condition in conditions if condition.parameter != apart]
        if len(ored) < 2 or not any(condition.parameter == parameter for condition in ored):
            return conditions
        terms = tuple(term for condition in ored for term in condition.terms)
        return (*kept, Condition(parameter, terms))

    return combine


def _absent_last(store: Any, positions: list[int], keys: Any) -> list[int]:
    """Absent values sorted after every value whatever the direction (SQL's NULLS LAST)."""
    if not keys:
        return positions
    columns = store.index.columns
    top = len(positions) + 1

    def key(position: int) -> tuple[int, ...]:
        ranks = [columns[each.path].ranks[position] for each in keys]
        return tuple(
            (top + rank if rank == 0 else rank) * (-1 if each.descending and rank else 1)
            for each, rank in zip(keys, ranks, strict=True)
        )

    return sorted(positions, key=lambda position: (key(position), position))


def _absent_dropped_by_sort(store: Any, positions: list[int], keys: Any) -> list[int]:
    """A sort served from a sparse index, which holds no entry for customers without a value."""
    if not keys:
        return positions
    column = store.index.columns[keys[0].path]
    return [position for position in positions if column.ranks[position] != 0]  # rank 0: no value


ENGINE_FAULTS: list[Fault] = [
    Fault("name case-sensitive", MEANING, engine=_case_sensitive("name")),
    Fault("nameAndAddress case-sensitive", MEANING, engine=_case_sensitive("nameAndAddress")),
    Fault("ne drops absent values", MEANING, engine=absent_dropped("ne")),
    Fault("nin drops absent values", MEANING, engine=absent_dropped("nin")),
    Fault("exists counts an explicit null as a value", MEANING, engine=_exists_by_key()),
    Fault("absent values sort last", MEANING, engine=Engine(reorder=_absent_last)),
    Fault("sort drops absent values", MEANING, engine=Engine(reorder=_absent_dropped_by_sort)),
    Fault("gt as gte", MEANING, engine=operator_as("gt", "gte")),
    Fault("gte as gt", MEANING, engine=operator_as("gte", "gt")),
    Fault("lt as lte", MEANING, engine=operator_as("lt", "lte")),
    Fault("lte as lt", MEANING, engine=operator_as("lte", "lt")),
    Fault("dates compared as text", MEANING, engine=_dates_as_text()),
    Fault("date offset ignored", MEANING, on_query(changed("generalField[value]", offset_ignored))),
    Fault("fractional seconds dropped", MEANING, engine=date_values(lambda moment: moment.replace(microsecond=0))),
    Fault("status list cut to its first value", MEANING, engine=list_cut("status")),
    Fault("generalField in cut to its first value", MEANING, engine=list_cut("generalField")),
    Fault("name digits do not match the number", MEANING, engine=clause_dropped("name", "number")),
    *(
        Fault(f"nameAndAddress ignores {path}", MEANING, engine=clause_dropped("nameAndAddress", path))
        for path in ("address.street", "address.zip", "address.city", "address.country", "address.co", "address.state")
    ),
    Fault("startsWith as contains", MEANING, engine=operator_as("startsWith", "contains")),
    Fault("text values read as regular expressions", MEANING, engine=_regex_text()),
    Fault("a field filtered twice: the last filter wins", MEANING, engine=Engine(combine=_last_per_field)),
    Fault(
        "nameAndAddress OR-ed with the other filters",
        MEANING,
        engine=Engine(combine=_ored_with("nameAndAddress", "ids")),
    ),
    Fault("endsWith as contains", MEANING, engine=operator_as("endsWith", "contains")),
]


def _misreading_faults(known: Iterable[str]) -> list[Fault]:
    """One engine fault per listed misreading (``docs/misreadings.yaml``) that no fault above commits, made of
    its plain reading (``selftest.readings``)."""
    from selftest.misreadings import load_misreadings
    from selftest.readings import QUERY_REWRITES, misreading_engine

    made: dict[str, Fault] = {}
    known = set(known)
    for misreading in load_misreadings():
        if misreading.fault in known or misreading.fault in made:
            continue
        rewrite = QUERY_REWRITES.get(misreading.id)
        engine = None if rewrite else misreading_engine(misreading)
        made[misreading.fault] = Fault(misreading.fault, MEANING, on_query(rewrite) if rewrite else None, engine=engine)
    return list(made.values())


MISREADING_FAULTS = _misreading_faults(fault.name for fault in ENGINE_FAULTS)
ENGINE_FAULTS += MISREADING_FAULTS


def faulty_app(fault: Fault, dataset: Dataset, **config: Any) -> WsgiApp:
    """The mock on ``dataset`` with ``fault`` (its engine rule, its config, its middleware)."""
    fields = {"log_requests": False, **config, **fault.config}
    with store_with(fault.engine):
        app: WsgiApp = create_app(Config(**fields), dataset=dataset)
    return fault.wrap(app) if fault.wrap is not None else app
