"""What checks share during a run: the spec, the transport, the data sample, and follow-up requests."""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson

from contract_tests.generation.cases import Case, Credentials
from contract_tests.generation.sample import Sample
from contract_tests.judging.budget import ConfirmingBudget
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.reference import Board, Sign, first_page, read_reference, sign_of
from contract_tests.sending.base_url import wrong_base_url
from contract_tests.sending.transport import Response, Transport
from customers_spec.errors import KitError
from customers_spec.loader import resolve
from customers_spec.model import Spec
from customers_spec.schemas import SchemaValidator, schema_for_value
from customers_spec.values import parse_integer
from customers_spec.wire import Pairs, bounds, encode_query

COMPLETENESS_LIMIT = 2000
MEMO_LIMIT = 100_000
Sent = tuple[str, Credentials]  # a request as sent: its URL and credentials


@dataclass(frozen=True)
class DocumentedHeader:
    required: bool
    is_integer: bool
    schema: SchemaValidator


@dataclass(frozen=True)
class Documented:
    """What the spec says a response with one status looks like."""

    media_type: str
    schema: SchemaValidator
    headers: dict[str, DocumentedHeader]
    item_schema: SchemaValidator | None = None  # for a plain array: its items, validated one by one (memoized)


class Context:
    """The run's shared state; checks use it to send follow-up requests and read the spec."""

    def __init__(
        self,
        spec: Spec,
        transport: Transport,
        *,
        completeness_limit: int = COMPLETENESS_LIMIT,
        rejects_invalid_keys: bool = False,
        link_origin: str | None = None,
        shown_headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.spec = spec
        self.transport = transport
        self.shown_headers = shown_headers  # a gateway's headers as reports show them (``Gateway.shown``)
        self.link_origin = (link_origin or transport.base_url).rstrip("/")  # what Link URLs start with (a gateway)
        self.completeness_limit = completeness_limit
        self.rejects_invalid_keys = rejects_invalid_keys
        self.board = Board()  # shared by every example's view: a refreshed reference reaches them all
        self.confirming = ConfirmingBudget()  # shared by every view: how long confirming may still take
        self.sent: list[Sent] | None = None  # when a list: the requests this view sent, in order
        self._replay: dict[Sent, deque[Response]] = {}  # answers asked already, served before asking again
        self.missed: list[Sent] = []  # requests a replaying view had no answer for, so sent now
        self._collected: dict[Pairs, list[dict[str, Any]] | None] = {}
        self._counted: dict[Pairs, tuple[int, str]] = {}
        self._documented: dict[int, Documented | None] = {}
        self._valid_item_memo: dict[bytes, bool] = {}

    @cached_property
    def page_limit(self) -> int:
        """The largest page the spec allows, used to fetch whole results in few requests."""
        return bounds(self.spec.parameters[self.spec.pagination.limit]).maximum

    def url(self, query: Pairs) -> str:
        text = encode_query(query)
        return f"{self.transport.base_url}{self.spec.path}" + (f"?{text}" if text else "")

    @property
    def everything(self) -> list[dict[str, Any]] | None:
        """All the data, when small enough to read whole (``completeness_limit``), as last read."""
        return self.board.reference.everything

    @property
    def sample(self) -> Sample:
        return self.board.reference.sample

    @property
    def sign(self) -> Sign:
        """The sign of change of the data as last read (``reference.Reference``)."""
        return self.board.reference.sign

    def send(self, case: Case) -> Response:
        return self.send_url(self.url(case.query), case.credentials)

    def send_url(self, url: str, credentials: Credentials) -> Response:
        """Every follow-up request goes through here: recorded when asked, answered from a replay when given."""
        if self.sent is not None:
            self.sent.append((url, credentials))
        answers = self._replay.get((url, credentials))
        if answers:
            return answers.popleft()
        if self._replay:
            self.missed.append((url, credentials))
        return self.transport.send(url, credentials)

    def limit(self, case: Case) -> int:
        raw = case.value(self.spec.pagination.limit)
        return int(raw) if raw is not None else int(self.spec.parameters[self.spec.pagination.limit].default)

    def offset(self, case: Case) -> int:
        raw = case.value(self.spec.pagination.offset)
        return int(raw) if raw is not None else int(self.spec.parameters[self.spec.pagination.offset].default or 0)

    def total(self, response: Response) -> int | None:
        """The X-Total-Count of a response, or None when missing or not a number."""
        raw = response.header(self.spec.pagination.total_header)
        return parse_integer(raw) if raw is not None else None

    def documented(self, status: int) -> Documented | None:
        """The spec's description of a response with ``status``, or None when the status is undocumented."""
        if status not in self._documented:
            self._documented[status] = self._read_documented(status)
        return self._documented[status]

    def items(self, response: Response) -> list[dict[str, Any]] | None:
        """The customers of a 200 whose body is valid against the response schema, else None."""
        if "items" not in response.memo:
            response.memo["items"] = self._valid_items(response)
        return response.memo["items"]

    def _valid_items(self, response: Response) -> list[dict[str, Any]] | None:
        if response.status != 200 or not self.body_valid(response):
            return None
        return response.json if isinstance(response.json, list) else None

    def body_valid(self, response: Response) -> bool:
        """Whether the body is JSON valid against the documented schema of its status (memoized per item)."""
        if "valid" not in response.memo:
            response.memo["valid"] = self._body_valid(response)
        return response.memo["valid"]

    def _body_valid(self, response: Response) -> bool:
        documented = self.documented(response.status)
        if documented is None:
            return False
        try:
            body = response.json
        except ValueError:
            return False
        if documented.item_schema is None or not isinstance(body, list):
            return documented.schema.is_valid(body)
        return all(self._item_valid(documented.item_schema, item) for item in body)

    def _item_valid(self, schema: SchemaValidator, item: Any) -> bool:
        """Items recur across pages and follow-up requests: each distinct one is validated once."""
        key = orjson.dumps(item)
        valid = self._valid_item_memo.get(key)
        if valid is None:  # kept in a local: another example (--workers) may clear the shared memo meanwhile
            if len(self._valid_item_memo) > MEMO_LIMIT:
                self._valid_item_memo.clear()
            valid = self._valid_item_memo[key] = schema.is_valid(item)
        return valid

    def page(self, case: Case, failure: type[ContractViolation], **paging: int) -> tuple[list[dict], Response]:
        """A follow-up request (``case`` with other paging); a non-page answer is reported as ``failure``."""
        names = self.spec.pagination
        follow_up = case.with_params(**{getattr(names, key): value for key, value in paging.items()})
        response = self.send(follow_up)
        items = self.items(response)
        if items is None:
            got = f"status {response.status}"
            if response.status == 200:
                got += ", but the body is not an array of valid items (see the response_schema check)"
            raise failure(f"200 with a valid page for {response.url}", got)
        return items, response

    def collect(self, case: Case, failure: type[ContractViolation]) -> list[dict[str, Any]] | None:
        """Every item of the case's query, paged through with the largest limit; None when there are too many."""
        names = self.spec.pagination
        base = case.with_params(**{names.limit: None, names.offset: None})
        if base.query not in self._collected:
            self._collected[base.query] = self._collect(base, failure)
        return self._collected[base.query]

    def for_example(self) -> Context:
        """A view for one example: the same spec, transport, sample and memos, its own collected results.

        Examples run concurrently (``--workers``), so results collected for one must not leak into another.
        """
        view = copy.copy(self)
        view._collected, view._counted = {}, {}
        view.sent, view._replay, view.missed = None, {}, []
        return view

    def recording(self) -> Context:
        """A view sharing this one's memos that records the requests sent through it (in ``sent``)."""
        view = copy.copy(self)
        view.sent = []
        return view

    def replaying(self, answers: Sequence[tuple[Sent, Response]], judged_by: Board | None = None) -> Context:
        """A fresh view (``for_example``) that answers these requests from ``answers``, each answer once; judging
        by ``judged_by`` when given (items read again by id, ``items_now``), the run's board untouched."""
        view = self.for_example()
        view.board = judged_by or view.board
        for sent, response in answers:
            view._replay.setdefault(sent, deque()).append(response)
        return view

    def count(self, case: Case, failure: type[ContractViolation]) -> tuple[int, str]:
        """The X-Total-Count of the case's query (asked with a page of one) and the URL asked; a missing or
        broken count is reported as ``failure``. Memoized until ``forget``: several checks ask the same."""
        names = self.spec.pagination
        probe = case.with_params(**{names.limit: 1, names.offset: None})
        if probe.query not in self._counted:
            response = self.send(probe)
            total = self.total(response)
            if response.status != 200 or total is None:
                raise failure(f"200 with {names.total_header} for {response.url}", f"status {response.status}")
            self._counted[probe.query] = (total, response.url)
        return self._counted[probe.query]

    def forget(self) -> None:
        """Drop results collected for the previous request (the server may be non-deterministic)."""
        self._collected.clear()
        self._counted.clear()

    def load_sample(self, related: Mapping[str, Sequence[dict[str, Any]]] | None = None) -> None:
        """Read the data behind the API once (all of it when small), for data-aware values and completeness."""
        first = first_page(self)
        if first.status != 401:  # a refused key is said as such by read_reference
            wrong = wrong_base_url(self.transport.base_url, self.spec.path, first)
            if wrong is not None:
                raise KitError(wrong)
        self.board.related = related
        self.board.reference = read_reference(self, related, first)
        self.forget()

    @property
    def related(self) -> Mapping[str, Sequence[dict[str, Any]]] | None:
        """The related collections' records the sample was read with (``load_sample``), if any."""
        return self.board.related

    def judge_by(self, other: Context) -> None:
        """Judge by ``other``'s data from now on (one reference, refreshed for both): an item operation by its
        list's."""
        self.board = other.board

    def sign_now(self) -> Response:
        """The first page as the server answers it now: its ``reference.sign_of`` says whether the data moved."""
        return first_page(self)

    def refresh(self, page: Response) -> None:
        """Judge by the data as ``page`` (a ``sign_now``) shows it from now on, if it moved since last read."""
        if sign_of(self, page) != self.board.reference.sign:
            self.board.reference = read_reference(self, self.board.related, page)

    def _collect(self, base: Case, failure: type[ContractViolation]) -> list[dict[str, Any]] | None:
        collected: list[dict[str, Any]] = []
        items, response = self.page(base, failure, offset=0, limit=self.page_limit)
        total = self.total(response)
        if total is None or total > self.completeness_limit:
            return None
        collected.extend(items)
        while len(collected) < total and items:
            items, _ = self.page(base, failure, offset=len(collected), limit=self.page_limit)
            collected.extend(items)
        return collected

    def _read_documented(self, status: int) -> Documented | None:
        declared = self.spec.operation["responses"].get(str(status))
        if declared is None:
            return None
        response = resolve(self.spec.document, declared)
        no_content: tuple[str, dict[str, Any]] = ("", {})
        media_type, content = next(iter(response.get("content", {}).items()), no_content)
        declared_schema = content.get("schema", {})
        schema = schema_for_value(self.spec, declared_schema)
        plain_array = set(declared_schema) <= {"type", "items"} and declared_schema.get("type") == "array"
        item_schema = schema_for_value(self.spec, declared_schema["items"]) if plain_array else None
        headers = {
            name: DocumentedHeader(
                bool(header.get("required")),
                header.get("schema", {}).get("type") == "integer",
                schema_for_value(self.spec, header.get("schema", {})),
            )
            for name, header in response.get("headers", {}).items()
        }
        return Documented(media_type, schema, headers, item_schema)
