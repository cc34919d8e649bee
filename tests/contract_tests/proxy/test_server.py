"""The proxy under gunicorn: each worker's findings leave as plain data and are merged in the master at exit."""

from __future__ import annotations

import orjson

from contract_tests.judging.failures import PageSizeViolation
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.proxy.server import merge_into, snapshot
from contract_tests.running.records import Failure
from customers_spec import Spec


def _app(spec: Spec) -> ProxyApp:
    return ProxyApp(ProxyJudge(spec, "http://upstream", passive_checks(select_checks(["page_size", "content_type"]))))


def test_the_workers_findings_are_summed_into_the_masters_outcome(spec: Spec) -> None:
    workers = [_app(spec), _app(spec)]
    for index, worker in enumerate(workers):
        judge = worker.judge
        judge.outcome.examples, judge.passed_through = 3 + index, 1
        judge.outcome.passed.update({"content_type": 3 + index})
    violation = PageSizeViolation("at most limit=1 items", "2 items")
    shown = (("Prefer", "code=500"),)
    workers[1].judge.outcome.failures.append(
        Failure("page_size", violation, "http://upstream/v2/customers", "key", shown)
    )
    workers[0].judge.count_own(502)
    workers[1].judge.count_own(502)
    workers[1].judge.count_own(504)
    master = _app(spec)
    merge_into(master, [orjson.loads(orjson.dumps(snapshot(worker))) for worker in workers])
    outcome = master.judge.outcome
    assert outcome.checks == ("content_type", "page_size")
    assert outcome.examples == 7 and outcome.passed["content_type"] == 7 and master.judge.passed_through == 2
    (failure,) = outcome.failures
    assert str(failure.violation) == str(violation) and failure.url == "http://upstream/v2/customers"
    assert failure.headers == shown, "the client's headers cross the process boundary for the repro curl"
    assert master.judge.own_answers == {502: 2, 504: 1}
