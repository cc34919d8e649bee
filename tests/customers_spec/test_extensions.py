"""The spec's ``x-`` extensions: every one known and well-shaped, each problem one line naming its place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from customers_spec import SpecError, from_dict, resources
from customers_spec.extensions import iter_problems, known_extensions, pointer

OPERATION = "/paths/~1v2~1customers/get"
EXAMPLE = Path(__file__).parents[2] / "examples" / "customers-and-sites.yaml"


def shipped() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    return loaded


def test_a_pointer_escapes_tilde_and_slash() -> None:
    assert pointer("paths", "/v2/customers", "get") == OPERATION
    assert pointer("components", "a~b", 0) == "/components/a~0b/0"
    assert pointer() == ""


def test_the_shipped_spec_has_no_problem() -> None:
    assert list(iter_problems(shipped())) == []


def test_every_problem_is_listed_each_naming_its_place() -> None:
    document = shipped()
    status = document["components"]["parameters"]["status"]
    status["x-filtre"] = {}
    status["x-filter"] = "status.status"  # a string where the schema wants an object
    document["components"]["schemas"]["Customer"]["x-collection"] = "the customers"  # no data file key
    problems = list(iter_problems(document))
    assert [problem.split(":")[0] for problem in problems] == [
        "/components/parameters/status/x-filter",
        "/components/parameters/status/x-filtre",
        "/components/schemas/Customer/x-collection",
    ]  # the document's order
    assert all("\n" not in problem for problem in problems)
    assert any("unknown extension x-filtre; the tools read" in problem for problem in problems)


def test_no_extension_is_required_where_the_rest_convention_says_it() -> None:
    document = shipped()
    del document["components"]["x-list-separator"]
    del document["paths"]["/v2/customers"]["get"]["x-pagination"]
    assert list(iter_problems(document)) == []
    spec = from_dict(document)
    assert spec.wire.list_separator == ","
    assert (spec.pagination.limit, spec.pagination.offset, spec.pagination.total_header) == (
        "limit",
        "offset",
        "X-Total-Count",
    )


def test_names_and_examples_that_start_with_x_are_no_extensions() -> None:
    document = shipped()
    document["components"]["headers"]["x-request-id"] = {"schema": {"type": "string"}}
    problem = document["components"]["schemas"]["Problem"]
    problem["properties"]["x-trace"] = {"type": "string", "example": {"x-anything": 1}}
    assert from_dict(document).filters


def test_the_extension_schema_is_package_data_naming_every_extension_the_shipped_documents_use() -> None:
    """Every word is used by the shipped spec or the example beside it, so each is shown working somewhere."""
    used = set()
    for path in (resources.spec_path(), EXAMPLE):
        text = path.read_text(encoding="utf-8")
        used |= {line.strip().split(":")[0] for line in text.splitlines() if line.strip().startswith("x-")}
    assert used == known_extensions()


def test_a_misshapen_new_word_is_refused_in_one_line_naming_its_pointer() -> None:
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document["components"]["schemas"]["CustomerObject"]["x-id"] = 7
    with pytest.raises(SpecError, match=r"^/components/schemas/CustomerObject/x-id: 7 is not of type 'string'$"):
        from_dict(document)
