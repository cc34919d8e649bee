"""Deliberately faulty answers of the operations beside the customers list, as data: the customer by id older
or otherwise different from the list's item, an unknown id answered 200 with another customer, the
sub-collection ignoring paging or leaking another customer's sites, the sites' total counting the customers.

Each is a WSGI middleware around the mock serving ``examples/customers-and-sites.yaml``, changing only the
answers of one operation (chosen by the request's path, as the spec writes it), so the kit must find it over
HTTP from the answers alone, with no copy of the data. ``tests/selftest/test_operation_faults.py`` runs the kit
against each and demands it be caught by one of ``caught_by``; the correct mock must pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from werkzeug.test import run_wsgi_app

from customers_serving.application import WsgiApp
from customers_spec.wire import encode_query
from selftest.faults import Answer, Middleware, on_answer

ITEM = re.compile(r"^/v2/customers/[^/]+$")  # GET /v2/customers/{customerId}
SUB = re.compile(r"^/v2/customers/[^/]+/objects$")  # GET /v2/customers/{customerId}/objects
OBJECTS = re.compile(r"^/v2/objects$")  # GET /v2/objects
TOTAL = "X-Total-Count"


@dataclass(frozen=True)
class OperationFault:
    """A faulty variant of one operation's answers, caught by any of ``caught_by`` (on ``operation``)."""

    name: str
    operation: str  # the operationId whose answers are wrong
    caught_by: frozenset[str]
    wrap: Middleware


def on_path(pattern: re.Pattern[str], middleware: Middleware) -> Middleware:
    """``middleware`` for the requests whose path matches ``pattern``; every other request as the app answers."""

    def wrap(app: WsgiApp) -> WsgiApp:
        faulty = middleware(app)

        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            chosen = faulty if pattern.match(environ.get("PATH_INFO", "")) else app
            return chosen(environ, start_response)

        return wrapped

    return wrap


def asked(answer: Answer, path: str, query: tuple[tuple[str, str], ...] = ()) -> tuple[int, Any, dict[str, str]]:
    """Another request to the same app with the same headers: its status, JSON body and headers."""
    environ = {**answer.environ, "PATH_INFO": path, "QUERY_STRING": encode_query(query)}
    body, status, headers = run_wsgi_app(answer.app, environ, buffered=True)
    return int(status.split()[0]), orjson.loads(b"".join(body) or b"null"), dict(headers)


def _item_body(change: Callable[[dict[str, Any]], None]) -> Callable[[Answer], Answer]:
    def rewrite(answer: Answer) -> Answer:
        if answer.status == 200 and answer.body.startswith(b"{"):
            item = orjson.loads(answer.body)
            change(item)
            answer.body = orjson.dumps(item)
        return answer

    return rewrite


def _older(item: dict[str, Any]) -> None:
    """The copy before the last change: modified a day earlier (a stale cache of the item)."""
    status = item.get("status") or {}
    if isinstance(status.get("lastModifiedAt"), str):
        moment = datetime.fromisoformat(status["lastModifiedAt"].replace("Z", "+00:00")) - timedelta(days=1)
        status["lastModifiedAt"] = moment.isoformat().replace("+00:00", "Z")


def _without_optional(item: dict[str, Any]) -> None:
    """A projection that leaves out the optional fields the list has (valid, but not the list's record)."""
    for name in ("contactPerson", "vatNumber", "debitorNumber", "buyerReference", "chatId", "contract"):
        item.pop(name, None)


def another_customer(answer: Answer) -> Answer:
    """An unknown id answered 200 with the first customer of the list (a lookup that falls back)."""
    if answer.status != 404:
        return answer
    status, body, _ = asked(answer, "/v2/customers", (("limit", "1"),))
    if status == 200 and body:
        answer.status, answer.body = 200, orjson.dumps(body[0])
        answer.set_header("Content-Type", "application/json")
    return answer


def ignore_paging(app: WsgiApp) -> WsgiApp:
    """The sub-collection reads no ``limit``/``offset``: every site of the customer, on every page."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        kept = "&".join(pair for pair in query.split("&") if pair and not pair.startswith(("limit=", "offset=")))
        return app({**environ, "QUERY_STRING": kept}, start_response)

    return wrapped


def leak_a_site(answer: Answer) -> Answer:
    """One site of another customer on each non-empty page (a join on the wrong key)."""
    items = answer.items
    if not items:
        return answer
    parent = items[0].get("customerId")
    status, sites, _ = asked(answer, "/v2/objects", (("limit", "50"),))
    stranger = next((site for site in sites or () if site.get("customerId") != parent), None) if status == 200 else None
    if stranger is not None:
        answer.with_items([*items[:-1], stranger])
    return answer


def customers_total(answer: Answer) -> Answer:
    """The sites' X-Total-Count counts the customers instead (the wrong table's count)."""
    if answer.status != 200:
        return answer
    _, _, headers = asked(answer, "/v2/customers", (("limit", "1"),))
    return answer.set_header(TOTAL, headers.get(TOTAL))


SHAPE = frozenset({"response_schema", "status_code_documented", "valid_input_accepted"})
OPERATION_FAULTS: tuple[OperationFault, ...] = (
    OperationFault(
        "the customer by id older than the list's",
        "getCustomer",
        frozenset({"item_is_listed"}),
        on_path(ITEM, on_answer(_item_body(_older))),
    ),
    OperationFault(
        "the customer by id without the optional fields the list has",
        "getCustomer",
        frozenset({"item_is_listed"}),
        on_path(ITEM, on_answer(_item_body(_without_optional))),
    ),
    OperationFault(
        "an unknown id answered 200 with another customer",
        "getCustomer",
        frozenset({"unknown_id_not_found"}),
        on_path(ITEM, on_answer(another_customer)),
    ),
    OperationFault(
        "the sub-collection ignores paging",
        "listCustomerObjects",
        frozenset({"page_size", "pages_tile", "subcollection_is_filtered_list"}),
        on_path(SUB, ignore_paging),
    ),
    OperationFault(
        "the sub-collection leaks another customer's site",
        "listCustomerObjects",
        frozenset({"items_belong_to_parent", "subcollection_is_filtered_list"}),
        on_path(SUB, on_answer(leak_a_site)),
    ),
    OperationFault(
        "the sites' total counts the customers",
        "listObjects",
        frozenset(
            {
                "total_count_consistent",
                "totals_partition",
                "pages_tile",
                "link_header",
                "filters_complete",
                "totals_list_sum",
                "totals_narrowing",
            }
        ),
        on_path(OBJECTS, on_answer(customers_total)),
    ),
)
