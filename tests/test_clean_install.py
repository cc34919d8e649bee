"""The kit works as a user installs it: the wheel, with its runtime dependencies only, in a new virtual environment.

CI installs the ``test`` extra, which brings many packages; a module the kit imports but does not declare would
arrive that way and hide a broken install. Here nothing comes from the checkout or the test environment: the
wheel is installed into a venv of its own in a temporary directory, every command runs from outside the
checkout, and ``./scripts/mock`` runs from a fresh ``git clone`` as the README's first command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import orjson
import pytest

from selftest.servers import Server, free_port, stop, wait_ready

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "clean-install-key"
INSTALL_TIMEOUT_S = 600  # a cold pip cache downloads the dependencies
VERSION = metadata.version("customers-api-kit")
# Settings of this test run that a user's shell does not have (tests/conftest.py, scripts/test, the test venv).
TEST_RUN_VARIABLES = {
    "PYTHONPATH",
    "PYTHONSAFEPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "CUSTOMERS_API_KIT_REQUIRE_INSTALLED",
}

pytestmark = pytest.mark.slow


def user_environment(venv: Path | None = None) -> dict[str, str]:
    """The environment of a user's shell: none of the test run's Python settings or venv, ``venv`` first on PATH."""
    env = {name: value for name, value in os.environ.items() if name not in TEST_RUN_VARIABLES}
    test_venv_bin = (Path(sys.prefix) / "bin").resolve()
    path = [entry for entry in env.get("PATH", "").split(os.pathsep) if Path(entry).resolve() != test_venv_bin]
    if venv is not None:
        path.insert(0, str(venv / "bin"))
    env["PATH"] = os.pathsep.join(path)
    return env


def run(command: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    """Run ``command``; its output, or a failure that shows it."""
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    output = f"{completed.stdout}\n{completed.stderr}"
    assert completed.returncode == 0, f"{command} exited {completed.returncode}:\n{output}"
    return completed.stdout


def start_server(command: list[str], cwd: Path, env: dict[str, str], log: Path, port: int) -> Server:
    """``command`` in its own process group (stopped as a whole), its output in ``log``."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log, started_at=time.perf_counter())


def get_json(url: str) -> tuple[int, dict[str, str], object]:
    request = urllib.request.Request(url, headers={"x-API-Key": API_KEY})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, dict(answer.headers), orjson.loads(answer.read())


class UserInstall:
    """A new venv holding the wheel and its runtime dependencies, and a scratch directory outside the checkout."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.venv = base / "venv"
        self.scratch = base / "scratch"
        self.env = user_environment(self.venv)

    def run(self, *command: str | Path, timeout: float = 120) -> str:
        return run(list(command), self.scratch, self.env, timeout)

    def script(self, name: str) -> Path:
        return self.venv / "bin" / name


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> UserInstall:
    base = tmp_path_factory.mktemp("clean-install")
    assert not base.resolve().is_relative_to(ROOT)
    wheels = base / "dist"
    build: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        wheels,
        ROOT,
    ]
    run(build, base, os.environ.copy(), timeout=300)
    (wheel,) = wheels.glob("customers_api_kit-*.whl")
    user = UserInstall(base)
    user.scratch.mkdir()
    run(["python3", "-m", "venv", user.venv], base, user_environment(), timeout=300)
    user.run(user.script("python"), "-m", "pip", "install", "--quiet", wheel, timeout=INSTALL_TIMEOUT_S)
    return user


@pytest.fixture(scope="module")
def served(installed: UserInstall) -> Iterator[Server]:
    """``mockserver serve`` from the user's venv on a free port of 127.0.0.1."""
    port = free_port()
    command = [str(installed.script("mockserver")), "serve", "--port", str(port), "--workers", "1", "--quiet"]
    server = start_server(command, installed.scratch, installed.env, installed.base / "serve.log", port)
    try:
        wait_ready(server, "/openapi.yaml", timeout_s=60)
        yield server
    finally:
        stop(server)


def test_only_runtime_dependencies_are_installed(installed: UserInstall) -> None:
    listed = installed.run(installed.script("python"), "-m", "pip", "list", "--format=freeze")
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert "customers-api-kit" in names
    assert not names & {"schemathesis", "selenium", "pytest-xdist", "hatchling"}  # nothing of the test extra


def test_both_console_scripts_tell_the_version(installed: UserInstall) -> None:
    assert installed.run(installed.script("mockserver"), "--version") == f"mockserver, version {VERSION}\n"
    assert installed.run(installed.script("contract-tests"), "--version") == f"contract-tests, version {VERSION}\n"


def test_the_installed_mock_answers_a_filtered_page(installed: UserInstall, served: Server) -> None:
    status, headers, body = get_json(f"{served.base_url}/v2/customers?name=reinigung&limit=5")

    assert status == 200
    assert isinstance(body, list) and 0 < len(body) <= 5
    assert all("reinigung" in customer["name"].lower() for customer in body)
    assert int(headers["X-Total-Count"]) >= len(body)


def test_generate_then_validate(installed: UserInstall) -> None:
    data = installed.scratch / "generated.json"
    installed.run(installed.script("mockserver"), "generate", "--count", "30", "--seed", "7", "-o", data)

    report = installed.run(installed.script("mockserver"), "validate", data)

    assert report.startswith(f"OK: {data}: 30 customers")


def test_contract_tests_pass_against_the_installed_mock(installed: UserInstall, served: Server) -> None:
    output = installed.run(
        installed.script("contract-tests"), "--base-url", served.base_url, "--api-key", API_KEY,
        "--max-examples", "10", "--hypothesis-profile", "ci",
    )  # fmt: skip
    assert "conforms" in output


def test_the_pytest_plugin_runs_in_a_users_suite(installed: UserInstall, served: Server) -> None:
    suite = installed.scratch / "suite"
    suite.mkdir()
    (suite / "test_own.py").write_text("def test_own():\n    pass\n")

    output = run(
        [installed.script("pytest"), "-p", "no:cacheprovider", "--contract-base-url", served.base_url,
         "--contract-api-key", API_KEY, "--contract-max-examples", "3", "--contract-profile", "ci", "-v"],
        suite, installed.env, timeout=300,
    )  # fmt: skip

    assert "test_own.py::test_own PASSED" in output
    assert "contract[response_schema] PASSED" in output


def test_scripts_mock_serves_from_a_fresh_clone(tmp_path: Path) -> None:
    """The README's first command on a fresh clone: it makes its own .venv, installs the kit and serves."""
    clone = tmp_path / "clone"
    env = user_environment()
    run(["git", "clone", "--quiet", ROOT, clone], tmp_path, env)
    port = free_port()
    command = [str(clone / "scripts" / "mock"), "--port", str(port)]
    server = start_server(command, clone, env, tmp_path / "mock.log", port)
    try:
        wait_ready(server, "/openapi.yaml", timeout_s=INSTALL_TIMEOUT_S)
        status, _, body = get_json(f"{server.base_url}/v2/customers?{urllib.parse.urlencode({'limit': 2})}")
        assert status == 200
        assert isinstance(body, list) and len(body) == 2
        assert (clone / ".venv" / "bin" / "mockserver").exists()
    finally:
        stop(server)
