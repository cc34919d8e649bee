"""The spec's ``x-`` extensions: every one known and well-shaped, each problem one line naming its place."""

from __future__ import annotations

from typing import Any

import yaml

from customers_spec import from_dict, resources
from customers_spec.extensions import iter_problems, known_extensions, pointer

OPERATION = "/paths/~1v2~1customers/get"


def shipped() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    return loaded


def test_a_pointer_escapes_tilde_and_slash() -> None:
    assert pointer("paths", "/v2/customers", "get") == OPERATION
    assert pointer("components", "a~b", 0) == "/components/a~0b/0"
    assert pointer() == ""


def test_the_shipped_spec_has_no_problem() -> None:
    assert list(iter_problems(shipped(), OPERATION)) == []


def test_every_problem_is_listed_each_naming_its_place() -> None:
    document = shipped()
    status = document["components"]["parameters"]["status"]
    status["x-filtre"] = {}
    status["x-filter"] = "status.status"  # a string where the schema wants an object
    del document["components"]["x-list-separator"]
    del document["paths"]["/v2/customers"]["get"]["x-pagination"]
    problems = list(iter_problems(document, OPERATION))
    assert [problem.split(":")[0] for problem in problems] == [
        "/components/parameters/status/x-filter",
        "/components/parameters/status/x-filtre",
        "/components/x-list-separator",
        f"{OPERATION}/x-pagination",
    ]  # the document's order, then the missing ones
    assert all("\n" not in problem for problem in problems)
    assert any("unknown extension x-filtre; the tools read" in problem for problem in problems)


def test_names_and_examples_that_start_with_x_are_no_extensions() -> None:
    document = shipped()
    document["components"]["headers"]["x-request-id"] = {"schema": {"type": "string"}}
    problem = document["components"]["schemas"]["Problem"]
    problem["properties"]["x-trace"] = {"type": "string", "example": {"x-anything": 1}}
    assert from_dict(document).filters


def test_the_extension_schema_is_package_data_naming_every_extension_the_spec_uses() -> None:
    text = resources.spec_path().read_text(encoding="utf-8")
    used = {line.strip().split(":")[0] for line in text.splitlines() if line.strip().startswith("x-")}
    assert used == known_extensions()
