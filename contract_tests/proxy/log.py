"""The proxy's log on stderr: one line per violation, with the curl that reproduces it (the key as ``$API_KEY``)."""

from __future__ import annotations

import logging
import sys

from contract_tests.reporting.curl import curl
from contract_tests.running.records import Failure

LOG = logging.getLogger("contract_tests.proxy")


def to_stderr() -> None:
    """Log the proxy's lines on stderr, each marked as the proxy's, and nowhere else."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("contract-tests proxy: %(message)s"))
    LOG.handlers[:] = [handler]
    LOG.setLevel(logging.INFO)
    LOG.propagate = False


def log_line(failure: Failure, header: str) -> str:
    violation = failure.violation
    where = f" at {violation.path}" if violation.path else ""
    return (
        f"VIOLATION {failure.check}: {violation.summary}{where}; expected {violation.expected}; "
        f"got {violation.actual}; reproduce: {curl(failure.url, failure.credentials, header, failure.headers)}"
    )
