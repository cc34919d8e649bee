"""The proxy's judge: answers of the spec's operations judged by the checks that send nothing of their own, and
the run's outcome kept for the summary at exit (thread-safe), one table per operation seen (``routes``).

Each answer is read back into a ``Case`` (``judging.observed``) and judged like a generated one; a check that
tries to send a follow-up request anyway loses its own verdict only. The client's key and other secrets never
reach a report; its other headers do (``proxy.client``), so a failure's curl gets the same answer.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from contract_tests.generation.cases import Credentials
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.judge import Judged, judge_response
from contract_tests.judging.observed import observed_case
from contract_tests.judging.registry import Check
from contract_tests.judging.selection import is_built_in
from contract_tests.proxy.client import ClientRequest
from contract_tests.proxy.log import LOG
from contract_tests.proxy.routes import Route, routes
from contract_tests.reporting.exchange import exchange_of
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.running.records import Failure, Outcome
from contract_tests.sending.transport import Response
from customers_spec.api import Api
from customers_spec.errors import FollowUpRefused
from customers_spec.model import Spec
from customers_spec.wire import decode_query

KEPT_PER_CHECK = 20  # failures kept for the reports per check; the counts go on


class WatchOnly:
    """The proxy's context transport: knows the upstream's base URL, sends nothing."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def send(self, url: str, credentials: str) -> Response:
        raise FollowUpRefused(f"the proxy sends no follow-up requests (asked for {url})")

    def close(self) -> None:
        """Nothing to release."""


def passive_checks(checks: Sequence[Check]) -> tuple[Check, ...]:
    """The checks that judge an answer alone, without sending requests of their own."""
    return tuple(check for check in checks if not check.follow_ups)


Verdicts = tuple[Counter[str], Counter[str], list[tuple[str, ContractViolation]]]


VERDICT_CACHE_SIZE = 512


@dataclass
class ProxyJudge:
    """Judges answers of the spec's operation and keeps the run's outcome (thread-safe).

    A frontend asks the same things again and again; the built-in checks are functions of the request and the
    answer alone, so an answer identical to one judged before (same query, key or none, status, judged headers
    and body) gets that verdict again, counted again, without running the checks twice (``verdict_cache``).
    A team's checks may keep state across answers: with any of them selected every answer is judged afresh.
    """

    spec: Spec
    upstream: str
    checks: tuple[Check, ...]
    verdict_cache: bool = True
    link_origin: str | None = None  # what the upstream's Link URLs start with behind a gateway (default: upstream)
    api: Api | None = None  # every operation of the spec, each judged (None: the list ``spec`` alone)
    outcome: Outcome = field(init=False)
    passed_through: int = field(default=0, init=False)
    own_answers: Counter[int] = field(default_factory=Counter, init=False)  # 502/504 the proxy gave itself
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _ctx: Context = field(init=False, repr=False)
    _verdicts: dict[tuple[Any, ...], Verdicts] = field(default_factory=dict, init=False, repr=False)
    _kept: set[tuple[str, str, str, str]] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.upstream = self.upstream.rstrip("/")
        self.outcome = Outcome(checks=tuple(check.name for check in self.checks), unit="request")
        self._ctx = Context(self.spec, WatchOnly(self.upstream), link_origin=self.link_origin)
        built_in = all(is_built_in(check) for check in self.checks)
        self.verdict_cache = self.verdict_cache and built_in
        documented = (self._ctx.documented(status) for status in self.spec.statuses)
        self._judged_headers = ("Content-Type", *sorted({name for each in documented if each for name in each.headers}))
        self._routes: list[Route] = (
            routes(self.api, WatchOnly(self.upstream), self.checks, self.link_origin) if self.api else []
        )
        if self._routes:
            names = tuple(dict.fromkeys(name for route in self._routes for name in route.outcome.checks))
            self.outcome = Outcome(
                checks=names, unit="request", per_operation=[route.outcome for route in self._routes]
            )
        self._prefix = urlsplit(self.upstream).path.rstrip("/")

    def judges(self, method: str, path: str) -> bool:
        if self._routes:
            return method.upper() == "GET" and self._route(path) is not None
        return method.upper() == self.spec.method.upper() and path == self.spec.path

    def _route(self, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self._routes:
            values = route.values(path)
            if values is not None:
                return route, values
        return None

    def judge(self, response: Response, query: str, client: ClientRequest) -> list[Failure]:
        """The failures of one answer; counted in the outcome, the first ones kept (secrets redacted) for reports."""
        api_key = client.api_key
        path = urlsplit(response.url).path.removeprefix(self._prefix)
        found = self._route(path) if self._routes else None
        key = self._cache_key(response, query, api_key) if self.verdict_cache else None
        verdicts = self._verdicts.get(key) if key is not None else None
        if verdicts is None:
            verdicts = self._verdicts_of(response, query, api_key, found)
            if key is not None:
                if len(self._verdicts) >= VERDICT_CACHE_SIZE:
                    self._verdicts.clear()
                self._verdicts[key] = verdicts
        passed, failed, violations = verdicts
        credentials: Credentials = "key" if api_key is not None else "none"
        header, shown = self.spec.api_key_header, client.shown
        failures = [
            Failure(
                name, _redacted(violation, client.secrets, credentials, header, shown), response.url, credentials, shown
            )
            for name, violation in violations
        ]
        if found is not None:
            failures = [replace(failure, operation=found[0].operation.label) for failure in failures]
        outcomes = [self.outcome] if found is None else [self.outcome, found[0].outcome]
        with self._lock:
            for outcome in outcomes:
                outcome.examples += 1
                outcome.passed.update(passed)
                outcome.failed.update(failed)
            for failure in failures:
                distinct = (failure.check, failure.url, failure.violation.expected, failure.violation.actual)
                kept = sum(1 for each in self.outcome.failures if each.check == failure.check)
                if distinct not in self._kept and kept < KEPT_PER_CHECK:
                    self._kept.add(distinct)
                    for outcome in outcomes:
                        outcome.failures.append(failure)
        return failures

    def _verdicts_of(
        self, response: Response, query: str, api_key: str | None, found: tuple[Route, dict[str, str]] | None
    ) -> Verdicts:
        pairs = decode_query(query)
        sent, status = api_key is not None, response.status
        if found is None:
            ctx, checks = self._ctx, self.checks
            case = observed_case(self.spec, pairs, key_sent=sent, status=status)
        else:
            (ctx, case), checks = found[0].case(found[1], pairs, key_sent=sent, status=status), found[0].checks
        judged = Judged(case)
        for check in checks:  # one at a time: a check that tries to send a request loses its own verdict only
            try:
                verdict = judge_response(ctx, case, response, (check,))
            except FollowUpRefused as exc:
                LOG.warning("%s was skipped (mark it follow_ups=True): %s", check.name, exc)
                continue
            judged.passed += verdict.passed
            judged.violations += verdict.violations
        failed = Counter(name for name, _ in judged.violations)
        return Counter(judged.passed), failed, judged.violations

    def _cache_key(self, response: Response, query: str, api_key: str | None) -> tuple[Any, ...]:
        headers = tuple(response.header(name) for name in self._judged_headers)
        return (urlsplit(response.url).path, query, api_key is not None, response.status, headers, response.body)

    def count_passthrough(self) -> None:
        with self._lock:
            self.passed_through += 1

    def count_own(self, status: int) -> None:
        """An answer the proxy gave itself because the upstream failed (502, 504)."""
        with self._lock:
            self.own_answers[status] += 1


def _redacted(
    violation: ContractViolation, secret: Secret, credentials: str, header: str, shown: tuple[tuple[str, str], ...]
) -> ContractViolation:
    """The violation with the client's secrets taken out of every text, and its answer as a trimmed ``Exchange``."""
    violation.expected = redact(violation.expected, secret)
    violation.actual = redact(violation.actual, secret)
    if isinstance(violation.response, Response):
        violation.response = exchange_of(violation.response, credentials, header, secret, shown)
    return violation
