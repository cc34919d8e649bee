"""A bounded load on the real mock under gunicorn: no failed request, and memory does not grow between rounds.

Two wrk processes (a second process on loopback, 16 connections each, so concurrency 32) load the default page
and a filtered, sorted query at once. A warm-up round fills every cache first; after it, the resident memory
of master and workers (from /proc) must stay flat from one round to the next.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from selftest import servers
from selftest.loadgen import LoadResult, run_wrk

API_KEY = "load-key"
HEADERS = {"x-API-Key": API_KEY}
WORKERS = 2
ROUND_SECONDS = 4
CONNECTIONS_PER_TARGET = 16
QUERIES: tuple[dict[str, str], ...] = (
    {},
    {"nameAndAddress": "er", "status": "1,2,3", "sort": "address.city:1,name:-1", "limit": "50", "offset": "20"},
)
MIN_REQUESTS_PER_ROUND = 2000  # far below what 2 cores serve in a round: fewer means the server stalled
GROWTH_TOLERANCE = 0.05
GROWTH_SLACK_BYTES = 4 * 2**20


def load_round(base_url: str) -> list[LoadResult]:
    """Every query loaded at the same time, each by its own wrk process."""
    urls = [f"{base_url}/v2/customers" + (f"?{urlencode(query)}" if query else "") for query in QUERIES]
    with ThreadPoolExecutor(len(urls)) as pool:
        runs = [
            pool.submit(run_wrk, url, seconds=ROUND_SECONDS, connections=CONNECTIONS_PER_TARGET, headers=HEADERS)
            for url in urls
        ]
        return [run.result() for run in runs]


def assert_clean(results: list[LoadResult]) -> None:
    total = sum(result.requests for result in results)
    assert total >= MIN_REQUESTS_PER_ROUND, f"only {total} requests in {ROUND_SECONDS} s: {results}"
    for result in results:
        assert result.socket_errors == 0, f"socket errors (dropped or timed-out connections): {result}"
        assert result.non_2xx == 0, f"{result.non_2xx} non-2xx answers to valid requests: {result}"


@pytest.mark.slow
def test_load_gets_no_error_and_memory_stays_flat() -> None:
    with servers.running_mock("--api-key", API_KEY, "--workers", str(WORKERS), "--quiet") as mock:
        processes = set(mock.wait_processes(1 + WORKERS))
        assert_clean(load_round(mock.base_url))  # warm-up: caches, allocator arenas
        assert_clean(load_round(mock.base_url))
        after_first = mock.rss_bytes()
        assert_clean(load_round(mock.base_url))
        after_second = mock.rss_bytes()
        assert set(mock.pids()) == processes, f"a worker died or was replaced under load:\n{mock.log_tail()}"
    allowed = after_first * (1 + GROWTH_TOLERANCE) + GROWTH_SLACK_BYTES
    assert after_second <= allowed, (
        f"memory grew from {after_first / 2**20:.1f} MiB to {after_second / 2**20:.1f} MiB over one round"
    )
