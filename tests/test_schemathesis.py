"""Schemathesis, run as its CLI with every check and phase, finds nothing wrong with the mock under gunicorn.

The mock is started with ``--api-key`` so that auth really restricts (``ignored_auth`` then checks that a
request without the key is refused). Failures here are bugs of the mock or of the spec, not of this test.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from selftest import servers

API_KEY = "schemathesis-key"
MAX_EXAMPLES = 25
TIMEOUT_S = 150


@pytest.mark.slow
def test_schemathesis_reports_no_failure(tmp_path: Path) -> None:
    with servers.running_mock("--api-key", API_KEY, "--workers", "2", "--quiet") as mock:
        base_url = mock.base_url
        completed = subprocess.run(
            servers.schemathesis_command(
                base_url,
                API_KEY,
                "--checks",
                "all",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "20240101",
                "--generation-database",
                "none",
                "--request-timeout",
                "10",
                "--no-color",
            ),
            cwd=tmp_path,  # no stray schemathesis.toml is picked up, and no report lands in the checkout
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"schemathesis found failures (exit {completed.returncode}):\n{output[-12000:]}"
    generated = re.search(r"(\d+) generated", output)
    assert "Tested: 1" in output, f"schemathesis tested no operation:\n{output[-4000:]}"
    assert generated and int(generated.group(1)) >= MAX_EXAMPLES, f"too few test cases:\n{output[-4000:]}"
