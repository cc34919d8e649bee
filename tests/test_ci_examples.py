"""The CI jobs the README gives to copy (``examples/ci/``) work as written: their shell commands, run as the CI
runner runs them, against a real mock on 127.0.0.1, write the reports where the job publishes them and map the
kit's exit codes as the job says: 0 passes, 1 (violations) fails the job, 2 (no verdict) passes with a warning,
a missing secret fails it.

The runner is played by this test: GitHub Actions' ``run`` steps in ``bash --noprofile --norc -eo pipefail`` with
the job's and the step's ``env`` (``${{ secrets.NAME }}`` from the secrets given, empty when missing),
``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` set, ``uses:`` steps left out (``setup-python``: this Python stands in;
``upload-artifact``: its paths are what the job publishes); GitLab's ``script`` lines in one ``set -eo pipefail``
bash, with the job's ``variables`` expanded from the project's CI/CD variables. Two changes of the runner's
world, no change of the jobs: ``CONTRACT_MAX_EXAMPLES`` is set to 5, as a pipeline variable would be, so a run
takes seconds; pip reaches no index (``PIP_NO_INDEX``), so the install step proves that the kit the job pins is
the kit installed here, and installs nothing. The install step runs in one scenario: it is the same in all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.app import create_app
from mockserver.config import Config
from mockserver.data.generate import generate_dataset
from selftest.faults import FAULTS
from selftest.kit_setup import DATASET_SEED, DATASET_SIZE
from selftest.servers import running_mock
from tests.contract_tests.conftest import serving

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
JOB = "contract-tests"
KEY = "ci-example-key-4b1d"
FEW_EXAMPLES = {"CONTRACT_MAX_EXAMPLES": "5"}
SECRET_EXPRESSION = re.compile(r"^\$\{\{\s*secrets\.(\w+)\s*\}\}$")


@dataclass
class JobRun:
    """How a job ended: ``success``, ``warning`` (failed, allowed) or ``failed``; the kit's exit code if it ran."""

    state: str
    kit_exit: int | None
    output: str
    published: list[Path]
    summary: str = ""
    annotations: list[str] = field(default_factory=list)


def _runner_env(workspace: Path) -> dict[str, str]:
    """The runner's environment: this Python and the kit's console scripts first on PATH, no index for pip, and
    nothing of this machine's that the jobs read (their secrets and knobs come from the jobs and the test)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GITHUB_", "CONTRACT_", "STAGING_", "PIP_")) and name not in {"API_KEY", "CI"}
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HOME": str(workspace)}
    return env


def _bash(script: str, env: dict[str, str], workspace: Path, *options: str) -> subprocess.CompletedProcess[str]:
    path = workspace / "step.sh"
    path.write_text(script, encoding="utf-8")
    command = ["bash", "--noprofile", "--norc", *options, str(path)]
    return subprocess.run(command, env=env, cwd=workspace, capture_output=True, text=True, timeout=240, check=False)


def _secret(value: Any, secrets: dict[str, str]) -> str:
    """A step's ``env`` value: a ``${{ secrets.NAME }}`` expression resolved (GitHub gives '' for a missing
    secret); any other expression is one this test cannot play."""
    text = str(value)
    if match := SECRET_EXPRESSION.match(text):
        return secrets.get(match[1], "")
    assert "${{" not in text, f"an expression the test does not play: {text}"
    return text


def run_github_job(secrets: dict[str, str], workspace: Path, *, install: bool) -> JobRun:
    """The workflow's job as GitHub Actions runs it (see the module's docstring)."""
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    assert workflow["defaults"]["run"]["shell"] == "bash", "the steps run in bash -eo pipefail"
    job = workflow["jobs"][JOB]
    outputs, summary = workspace / "github_output", workspace / "step_summary.md"
    env = _runner_env(workspace) | {str(k): str(v) for k, v in job["env"].items()} | FEW_EXAMPLES
    env |= {"GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    failed, log, published = False, "", []
    for step in job["steps"]:
        runs_after_failure = step.get("if") in {"${{ !cancelled() }}", "${{ always() }}"}
        if (failed and not runs_after_failure) or (step.get("id") == "install" and not install):
            continue
        if "uses" in step:
            if step["uses"].startswith("actions/upload-artifact@"):
                published = [workspace / line.strip() for line in step["with"]["path"].splitlines() if line.strip()]
            continue
        step_env = {name: _secret(value, secrets) for name, value in step.get("env", {}).items()}
        done = _bash(step["run"], env | step_env, workspace, "-eo", "pipefail")
        log += done.stdout + done.stderr
        failed = failed or done.returncode != 0
    assert published, "the job publishes its reports"
    written = outputs.read_text(encoding="utf-8") if outputs.exists() else ""
    kit_exit = re.search(r"^exit-code=(\d+)$", written, re.MULTILINE)
    return JobRun(
        state="failed" if failed else "success",
        kit_exit=int(kit_exit[1]) if kit_exit else None,
        output=log,
        published=published,
        summary=summary.read_text(encoding="utf-8") if summary.exists() else "",
        annotations=[line for line in log.splitlines() if line.startswith("::warning")],
    )


def _expand(value: str, variables: dict[str, str]) -> str:
    """GitLab's expansion of ``$NAME`` and ``${NAME}`` in a job's variables (an undefined one is empty)."""
    return re.sub(r"\$\{?(\w+)\}?", lambda match: variables.get(match[1], ""), value)


def run_gitlab_job(ci_variables: dict[str, str], workspace: Path, *, install: bool) -> JobRun:
    """The job as GitLab's runner runs it (see the module's docstring)."""
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))[JOB]
    variables = dict(ci_variables)
    for name, value in job["variables"].items():
        variables[name] = _expand(str(value), ci_variables)
    variables |= FEW_EXAMPLES
    lines = [line for line in job["script"] if install or not line.startswith("python -m pip install")]
    # The ERR trap tells which line failed (line 3 is the script's first); an expansion error (a guard's
    # ``${NAME:?}``) ends the shell without it.
    header = "set -eo pipefail\ntrap 'echo \"failed at line $LINENO\" >&2' ERR\n"
    done = _bash(header + "\n".join(lines) + "\n", _runner_env(workspace) | variables, workspace)
    at = re.search(r"^failed at line (\d+)$", done.stderr, re.MULTILINE)
    kit_line = next(number for number, line in enumerate(lines, start=3) if line.startswith("contract-tests "))
    ran = done.returncode == 0 or (at is not None and int(at[1]) == kit_line)
    allowed = job.get("allow_failure", {}).get("exit_codes", [])
    allowed = allowed if isinstance(allowed, list) else [allowed]
    state = "success" if done.returncode == 0 else "warning" if done.returncode in allowed else "failed"
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always", "the reports are kept when the job fails"
    assert artifacts["reports"]["junit"] in artifacts["paths"]
    return JobRun(
        state=state,
        kit_exit=done.returncode if ran else None,
        output=done.stdout + done.stderr,
        published=[workspace / path for path in artifacts["paths"]],
    )


JOBS: dict[str, Callable[..., JobRun]] = {"github": run_github_job, "gitlab": run_gitlab_job}


@pytest.fixture(scope="module")
def conforming() -> Iterator[str]:
    """The mock under gunicorn, accepting only KEY: a staging that conforms."""
    with running_mock("--api-key", KEY, "--count", "120", "--seed", "5", "--quiet", "--workers", "1") as server:
        yield server.base_url


@pytest.fixture(scope="module")
def violating() -> Iterator[str]:
    """The mock leaking an internal field into every customer: a staging that breaks the schema."""
    fault = next(fault for fault in FAULTS if fault.name == "internal field leaked")
    app = create_app(
        Config(log_requests=False, api_keys=frozenset({KEY})), dataset=generate_dataset(DATASET_SIZE, DATASET_SEED)
    )
    with serving(fault.wrap(app)) as base_url:  # type: ignore[misc]
        yield base_url


def _secrets(url: str, key: str | None) -> dict[str, str]:
    """The staging's URL and key as each CI keeps them: GitHub's secrets, GitLab's CI/CD variables."""
    values = {"STAGING_URL": url}
    return values | ({"STAGING_API_KEY": key} if key is not None else {})


def _assert_reports(run: JobRun, *, failures: bool) -> None:
    assert {path.suffix for path in run.published} >= {".xml", ".html", ".json"}, run.published
    for path in run.published:
        assert path.is_file() and path.stat().st_size > 0, f"{path.name} not written where the job publishes it"
    junit = next(path for path in run.published if path.suffix == ".xml")
    suite = ET.parse(junit).getroot()
    assert (int(suite.get("failures", "0")) > 0) is failures, junit.read_text()
    html = next(path for path in run.published if path.suffix == ".html")
    assert "<html" in html.read_text(encoding="utf-8")
    assert KEY not in run.output + "".join(path.read_text(encoding="utf-8") for path in run.published)


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_a_conforming_staging_passes_the_job(kind: str, conforming: str, tmp_path: Path) -> None:
    run = JOBS[kind](_secrets(conforming, KEY), tmp_path, install=True)
    assert (run.state, run.kit_exit) == ("success", 0), run.output
    assert "Requirement already satisfied: customers-api-kit==" in run.output, "the pinned kit is the one installed"
    assert "conforms" in run.output
    _assert_reports(run, failures=False)
    if kind == "github":
        assert run.summary.startswith("## ✅ contract-tests: "), run.summary
        assert not run.annotations


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_violations_fail_the_job_and_are_published(kind: str, violating: str, tmp_path: Path) -> None:
    run = JOBS[kind](_secrets(violating, KEY), tmp_path, install=False)
    assert (run.state, run.kit_exit) == ("failed", 1), run.output
    assert "FAILED response_schema" in run.output
    _assert_reports(run, failures=True)
    if kind == "github":
        assert run.summary.startswith("## ❌ contract-tests: ") and "response_schema" in run.summary, run.summary


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_no_verdict_is_a_warning_not_a_failure(kind: str, conforming: str, tmp_path: Path) -> None:
    """A key the staging refuses: the kit could not test it (exit 2), which the job does not count as a failure."""
    run = JOBS[kind](_secrets(conforming, "a-key-the-staging-refuses"), tmp_path, install=False)
    assert run.kit_exit == 2 and "COULD NOT TEST" in run.output, run.output
    if kind == "github":
        assert run.state == "success", run.output
        reason = "COULD NOT TEST: the server refused the API key"
        assert len(run.annotations) == 1 and "no verdict" in run.annotations[0] and reason in run.annotations[0]
        assert f"**No verdict (exit 2):** {reason}" in run.summary, run.summary
        assert [path.name for path in run.published if path.is_file()] == ["contract.log"], "the log, published"
    else:
        assert run.state == "warning", run.output


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_a_missing_secret_fails_the_job_before_the_kit_runs(kind: str, conforming: str, tmp_path: Path) -> None:
    run = JOBS[kind](_secrets(conforming, None), tmp_path, install=False)
    assert run.state == "failed" and run.kit_exit is None, run.output
    assert "STAGING_API_KEY" in run.output and "is not set" in run.output
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=lambda path: path.name)
def test_the_readme_quotes_each_job_as_shipped(path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = f"[`{path.relative_to(ROOT)}`]({path.relative_to(ROOT)})"
    assert link in readme, f"the README links {path.name}"
    quoted = readme[readme.index(link) :]
    block = quoted[quoted.index("```yaml\n") + len("```yaml\n") :]
    assert block[: block.index("```\n")] == path.read_text(encoding="utf-8"), f"the README's {path.name} differs"
