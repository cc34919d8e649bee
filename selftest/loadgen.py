"""HTTP load from a second process: wrk (Debian's package), its summary parsed into numbers.

One load tool for every target (our mock, Prism, the bare baseline), so their figures compare. wrk runs for a
bounded duration, on one URL or (``targets``) walking a file of request targets with ``selftest/walk.lua``; its
summary gives requests, requests/s, latency percentiles (``--latency``), socket errors
and the count of non-2xx/3xx responses.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

WALK_SCRIPT = Path(__file__).resolve().parent / "walk.lua"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_REQUESTS = re.compile(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


class LoadError(RuntimeError):
    """wrk is missing, failed, or printed a summary this module cannot read."""


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured; latencies in milliseconds."""

    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx: int

    @property
    def failures(self) -> int:
        return self.socket_errors + self.non_2xx


def wrk_path() -> str:
    """The wrk program; a LoadError that says how to install it when absent."""
    found = shutil.which("wrk")
    if found is None:
        raise LoadError("wrk is not installed: run `apt-get install wrk` (see .ci/run)")
    return found


def run_wrk(
    url: str,
    *,
    seconds: float,
    connections: int = 16,
    threads: int = 1,
    headers: dict[str, str] | None = None,
    timeout_s: float = 5.0,
    script: str | None = None,
    targets: Path | None = None,
) -> LoadResult:
    """Load ``url`` for ``seconds`` with keep-alive connections and return the parsed summary; ``script``: a
    wrk Lua script (e.g. one that cycles through many paths); with ``targets`` (a file of ``path?query`` lines)
    each request takes the next line instead of ``url``'s path."""
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={max(1, round(timeout_s))}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", script]
    elif targets is not None:
        command += ["-s", str(WALK_SCRIPT)]
    command.append(url)
    if targets is not None:
        command += ["--", str(targets)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False)
    if completed.returncode != 0:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout}")
    return parse_summary(completed.stdout)


def parse_summary(text: str) -> LoadResult:
    """The numbers of wrk's ``--latency`` summary; a LoadError quoting the text when a part is missing."""
    percentiles = {int(rank): float(value) * _UNITS_MS[unit] for rank, value, unit in _PERCENTILE.findall(text)}
    requests = _REQUESTS.search(text)
    rate = _RATE.search(text)
    if requests is None or rate is None or not {50, 99} <= percentiles.keys():
        raise LoadError(f"cannot read wrk's summary:\n{text}")
    socket_errors = _SOCKET_ERRORS.search(text)
    non_2xx = _NON_2XX.search(text)
    return LoadResult(
        requests=int(requests.group(1)),
        seconds=float(requests.group(2)) * _UNITS_MS[requests.group(3)] / 1000,
        requests_per_second=float(rate.group(1)),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        socket_errors=sum(int(count) for count in socket_errors.groups()) if socket_errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )
