"""Frontends generate their clients: every answer of the mock over the shipped dataset type-checks, under
``tsc --noEmit --strict``, against the client openapi-typescript (the most used generator) makes of the spec.

Each answer is written as a TypeScript constant of its operation's generated response type
(``paths[P]["get"]["responses"][S]["content"][C]``: an undocumented status or content type is an error too),
the list answers again together as their items' schema (``components["schemas"]["Customer"][]``) and the
problems as ``Problem``. Object literals get TypeScript's excess-property check, so a field the client does not
know fails as a missing or mistyped one does. Beside them, a canary file must fail exactly on its wrong values
(a customer with a mistyped field; values ``GeneralFieldFilter`` and ``DateValue`` do not admit) and accept the
right ones (a free-form ``contract``, a date, a condition), so the check cannot pass by typing loosely: the
spec once typed ``contract`` as ``Record<string, never>`` and the other two as ``unknown``.

Specs: the shipped one and every OpenAPI document in ``examples/``. Every GET operation is asked: one without
path parameters page by page (its ``x-pagination`` names, else ``limit``/``offset``), then once with an unknown
parameter (a 400 problem) and once without a key (a 401 problem); one with a path parameter with the ids of the
items of the list whose path it extends (the first three, and an unknown id).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from selftest.servers import running_mock
from selftest.tools import node_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "generated-client-key"
UNKNOWN_ID = "0" * 24
MAX_PAGES = 200  # a bound on paging, far above the shipped dataset's 10 pages of 100


def _is_openapi(path: Path) -> bool:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(document, dict) and "openapi" in document


EXAMPLES = sorted(path for suffix in ("*.yaml", "*.yml") for path in (ROOT / "examples").glob(suffix))
SPECS = [ROOT / "openapi" / "customers.yaml", *(path for path in EXAMPLES if _is_openapi(path))]


@dataclass
class Answer:
    """One answer of the mock: the operation's path template, the request sent, status, content type and body."""

    template: str
    request: str
    status: int
    content_type: str
    body: Any


def _key_header(document: dict[str, Any]) -> str:
    schemes = document.get("components", {}).get("securitySchemes", {}).values()
    return next(scheme["name"] for scheme in schemes if scheme.get("type") == "apiKey" and scheme["in"] == "header")


def _ask(base_url: str, template: str, path: str, headers: dict[str, str], **query: Any) -> Answer:
    response = requests.get(base_url + path, params=query, headers=headers, timeout=30)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    body = response.json() if content_type.endswith("json") else response.text
    return Answer(template, response.request.path_url, response.status_code, content_type, body)


def _pages(base_url: str, template: str, operation: dict[str, Any], headers: dict[str, str]) -> list[Answer]:
    """Every page of a list operation, from offset 0 until a page is empty or the total is reached."""
    offset_name = operation.get("x-pagination", {}).get("offset", "offset")
    answers: list[Answer] = []
    offset = 0
    for _ in range(MAX_PAGES):
        answer = _ask(base_url, template, template, headers, **{offset_name: offset})
        answers.append(answer)
        if answer.status != 200 or not isinstance(answer.body, list) or not answer.body:
            return answers
        offset += len(answer.body)
    raise AssertionError(f"{template}: more than {MAX_PAGES} pages")


def _answers(base_url: str, document: dict[str, Any]) -> list[Answer]:
    """What the mock answers for every GET operation of the document (see the module's docstring)."""
    headers = {_key_header(document): API_KEY}
    answers: list[Answer] = []
    items_by_list: dict[str, list[Any]] = {}
    templates = sorted((path for path, item in document["paths"].items() if "get" in item), key=len)
    for template in templates:
        operation = document["paths"][template]["get"]
        if "{" not in template:
            pages = _pages(base_url, template, operation, headers)
            answers += pages
            items_by_list[template] = [item for page in pages if isinstance(page.body, list) for item in page.body]
            answers.append(_ask(base_url, template, template, headers, unknownParameter="1"))
            answers.append(_ask(base_url, template, template, {}))
            continue
        parent = template[: template.index("{")].rstrip("/")
        assert parent in items_by_list, f"{template}: no list at {parent} to take its ids from; extend this test"
        ids = [item["_id"] for item in items_by_list[parent][:3]] + [UNKNOWN_ID]
        for value in ids:
            path = re.sub(r"\{[^}/]+\}", value, template, count=1)
            answers.append(_ask(base_url, template, path, headers))
    return answers


def _array_item_schema(document: dict[str, Any], template: str) -> str | None:
    """The component name of the items a GET operation answers as its 200 JSON array, if it names one."""
    content = document["paths"][template]["get"]["responses"].get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    reference = schema.get("items", {}).get("$ref", "") if schema.get("type") == "array" else ""
    return reference.removeprefix("#/components/schemas/") or None


def answers_module(document: dict[str, Any], answers: list[Answer]) -> str:
    """The answers as TypeScript constants typed against the generated client (``./client``)."""
    lines = ['import type { components, paths } from "./client";', ""]
    by_schema: dict[str, list[str]] = {}
    problems: list[str] = []
    for number, answer in enumerate(answers):
        name = f"answer{number}"
        response_type = (
            f'paths[{json.dumps(answer.template)}]["get"]["responses"][{answer.status}]'
            f'["content"][{json.dumps(answer.content_type)}]'
        )
        lines += [
            f"// {answer.status} GET {answer.request}",
            f"export const {name}: {response_type} = {json.dumps(answer.body)};",
        ]
        schema = _array_item_schema(document, answer.template)
        if answer.status == 200 and schema is not None and isinstance(answer.body, list):
            by_schema.setdefault(schema, []).append(name)
        if answer.content_type == "application/problem+json":
            problems.append(name)
    for schema, names in sorted(by_schema.items()):
        spread = ", ".join(f"...{name}" for name in names)
        lines.append(f'export const every{schema}: components["schemas"][{json.dumps(schema)}][] = [{spread}];')
    if problems and "Problem" in document["components"]["schemas"]:
        lines.append(f'export const problems: components["schemas"]["Problem"][] = [{", ".join(problems)}];')
    return "\n".join(lines) + "\n"


# Values a frontend writes, each of which the generated type must accept (True) or refuse (False): a type of
# ``unknown`` or ``Record<string, never>`` gets one of them wrong. By the schema they are written against.
EXPECTATIONS: dict[str, list[tuple[bool, str]]] = {
    "DateValue": [(True, '"2023-05-02T05:50:01Z"'), (True, '"2023-05-02"'), (False, "5")],
    "GeneralFieldFilter": [
        (True, "{}"),
        (True, '{ field: "address.city", operator: "startsWith", value: "Ber", type: "string" }'),
        (False, "5"),
        (False, '{ field: "address.city", operator: "startsWith", value: 5 }'),
    ],
}


def canary_module(document: dict[str, Any], answers: list[Answer]) -> tuple[str, list[int]]:
    """Values the generated types must accept or refuse, one per line; the module and the lines that must fail:
    a listed customer with a mistyped field and with a free-form ``contract``, and the ``EXPECTATIONS``."""
    schemas = document["components"]["schemas"]
    customer = next(
        a.body[0]
        for a in answers
        if a.status == 200
        and isinstance(a.body, list)
        and a.body
        and _array_item_schema(document, a.template) == "Customer"
    )
    item = 'components["schemas"]["Customer"]'
    candidates = [
        (
            False,
            f"export const mistypedCustomer: {item} = {json.dumps({**customer, 'number': str(customer['number'])})};",
        ),
        (
            True,
            f"export const openContract: {item} = {json.dumps({**customer, 'contract': {'any': [1, {'x': None}]}})};",
        ),
    ]
    for name, values in EXPECTATIONS.items():
        if name in schemas:
            candidates += [
                (accepted, f'export const {name}{number}: components["schemas"]["{name}"] = {value};')
                for number, (accepted, value) in enumerate(values)
            ]
    lines = ['import type { components } from "./client";', ""]
    failing: list[int] = []
    for accepted, line in candidates:
        lines.append(line)
        if not accepted:
            failing.append(len(lines))
    return "\n".join(lines) + "\n", failing


def _tsc_errors(output: str) -> dict[str, list[str]]:
    """``tsc``'s error lines by file name (``answers.ts(3,14): error TS2322: ...``); an error of no file (a bad
    option) under ``""``. Indented lines continue the message above them."""
    errors: dict[str, list[str]] = {}
    for line in output.splitlines():
        if line.strip() and not line[0].isspace():
            match = re.match(r"^(\w+)\.ts\(\d+,\d+\): error ", line)
            errors.setdefault(match[1] if match else "", []).append(line)
    return errors


@pytest.mark.parametrize("spec_path", SPECS, ids=[path.name for path in SPECS])
def test_every_answer_of_the_mock_type_checks_against_the_generated_client(spec_path: Path, tmp_path: Path) -> None:
    document = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    subprocess.run(
        [node_tool("openapi-typescript"), str(spec_path), "--output", str(tmp_path / "client.ts")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    with running_mock("--spec", str(spec_path), "--api-key", API_KEY, "--quiet", "--workers", "1") as server:
        answers = _answers(server.base_url, document)
    listed = sum(len(a.body) for a in answers if a.status == 200 and isinstance(a.body, list))
    assert listed >= 1000, f"the shipped dataset's 1,000 customers were listed, got {listed} items"
    assert {a.status for a in answers} >= {200, 400, 401}, [(a.status, a.request) for a in answers]
    (tmp_path / "answers.ts").write_text(answers_module(document, answers), encoding="utf-8")
    canary, failing = canary_module(document, answers)
    (tmp_path / "canary.ts").write_text(canary, encoding="utf-8")
    done = subprocess.run(
        [
            node_tool("tsc"),
            *("--noEmit", "--strict", "--skipLibCheck", "--pretty", "false"),
            *("--target", "es2022", "--module", "preserve"),
            *("answers.ts", "canary.ts"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    errors = _tsc_errors(done.stdout + done.stderr)
    assert "answers" not in errors, f"{len(errors['answers'])} type errors, the first:\n" + "\n".join(
        errors["answers"][:20]
    )
    assert not set(errors) - {"canary"}, done.stdout + done.stderr
    refused = {int(line.split("(")[1].split(",")[0]) for line in errors.get("canary", [])}
    assert refused == set(failing), f"canary lines {failing} must each fail, failed: {sorted(refused)}\n{canary}"
