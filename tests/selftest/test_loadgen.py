"""wrk's ``--latency`` summary read into numbers: every unit converted, a summary it cannot read refused."""

from __future__ import annotations

import pytest

from selftest.loadgen import LoadError, parse_summary

SUMMARY = """Running 3s test @ http://127.0.0.1:3000/v2/customers
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.51ms    1.02ms  19.87ms   90.12%
    Req/Sec     6.40k   321.55     6.90k    76.67%
  Latency Distribution
     50%  812.00us
     75%    2.80ms
     90%    3.31ms
     99%    1.20s
  19107 requests in 3.00s, 96.70MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:   6369.10
Transfer/sec:     32.23MB
"""


def test_a_summary_is_read_in_milliseconds_and_seconds() -> None:
    result = parse_summary(SUMMARY)
    assert (result.requests, result.seconds, result.requests_per_second) == (19107, 3.0, 6369.10)
    assert result.p50_ms == pytest.approx(0.812) and result.p99_ms == pytest.approx(1200.0)
    assert (result.socket_errors, result.non_2xx, result.failures) == (7, 5, 12)


def test_a_clean_run_has_no_failures() -> None:
    clean = "\n".join(line for line in SUMMARY.splitlines() if "errors" not in line and "Non-2xx" not in line)
    result = parse_summary(clean)
    assert result.failures == 0 and result.requests == 19107


def test_a_summary_without_percentiles_is_refused_quoting_it() -> None:
    text = SUMMARY.replace("     99%    1.20s\n", "")
    with pytest.raises(LoadError, match="cannot read wrk's summary:\nRunning 3s test"):
        parse_summary(text)
