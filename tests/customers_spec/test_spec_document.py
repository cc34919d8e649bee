"""The OpenAPI document itself: valid, linted, and complete with respect to the seed page it describes."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from customers_spec import Spec, resources
from customers_spec.loader import resolve
from selftest.tools import node_tool

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(__file__).parent / "seed" / "list-customers.txt"
PLACEHOLDERS = ("<string>", 123, "2023-11-07T05:31:56Z")


def _seed_customer() -> dict[str, Any]:
    text = SEED.read_text(encoding="utf-8")
    return json.loads(text[text.index("[") : text.index("]\n\nAuthorizations") + 1])[0]


def _seed_parameters() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index("Query Parameters") : text.index("\nResponse\n")].splitlines()
    type_line = re.compile(r"^(integer|string|object|string<objectid>\[\])$")
    return [name for name, following in itertools.pairwise(section) if type_line.match(following)]


def _leaf_paths(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict) and item:
            paths.update(_leaf_paths(item, f"{prefix}{key}."))
        else:
            paths[f"{prefix}{key}"] = item
    return paths


def _property(spec: Spec, dotted: str) -> dict[str, Any]:
    schema = resolve(spec.document, spec.document["components"]["schemas"]["Customer"])
    for step in dotted.split("."):
        schema = schema["properties"][step]
    return schema


def test_the_spec_is_a_valid_openapi_3_1_document(spec: Spec) -> None:
    validate(yaml.safe_load(resources.spec_path().read_text(encoding="utf-8")))
    validate(yaml.safe_load((ROOT / "examples" / "customers-and-sites.yaml").read_text(encoding="utf-8")))
    assert spec.document["openapi"].startswith("3.1")


@pytest.mark.slow
@pytest.mark.parametrize("document", ["openapi/customers.yaml", "examples/customers-and-sites.yaml"])
def test_redocly_lints_the_spec_without_problems(document: str) -> None:
    result = subprocess.run(
        [node_tool("redocly"), "lint", document],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,  # the source of the shipped copy, linted with the checkout's redocly.yaml
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Your API description is valid" in output
    assert "You have" not in output, output  # Redocly's count of warnings, printed only when there are some


def test_the_seed_is_read_completely() -> None:
    assert len(_seed_parameters()) == 11
    assert len(_leaf_paths(_seed_customer())) == 37


def test_every_query_parameter_of_the_seed_is_documented(spec: Spec) -> None:
    for name in _seed_parameters():
        assert name in spec.parameters, name
        assert spec.parameters[name].description, name


def test_every_field_of_the_seed_is_in_the_customer_schema_with_its_example(spec: Spec) -> None:
    for path, seed_value in _leaf_paths(_seed_customer()).items():
        schema = _property(spec, path)
        if seed_value not in PLACEHOLDERS and not isinstance(seed_value, (list, dict)):
            assert schema.get("example") == seed_value, path


def test_paging_parameters_have_the_seeds_ranges_and_defaults(spec: Spec) -> None:
    limit, offset = spec.parameters["limit"].schema, spec.parameters["offset"].schema
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == ("integer", 1, 1000, 100)
    assert (offset["type"], offset["minimum"], offset["default"]) == ("integer", 0, 0)


def test_objectid_references_share_one_pattern(spec: Spec) -> None:
    pattern = spec.document["components"]["schemas"]["ObjectId"]["pattern"]
    assert re.fullmatch(pattern, "65a1b2c3d4e5f6a7b8c9d0e1")
    assert not re.fullmatch(pattern, "65A1B2C3D4E5F6A7B8C9D0E1")
    for path in (
        "_id",
        "companyId",
        "chatId",
        "invoiceRecipientId",
        "paymentTermId",
        "invoiceCCRecipientIds",
    ):
        assert "#/components/schemas/ObjectId" in json.dumps(
            spec.document["components"]["schemas"]["Customer"]["properties"][path]
        ), path
    for name in ("ids", "objectIds", "customerHasAssignedObjectManager"):
        parameter = spec.parameters[name]
        assert parameter.schema["items"]["pattern"] == pattern
        assert parameter.comma_separated and parameter.explode


def test_formats_of_the_seeds_typed_fields(spec: Spec) -> None:
    for path in (
        "status.createdAt",
        "status.lastModifiedAt",
        "contact.smsSendDate",
        "contact.secondSmsSendDate",
    ):
        assert _property(spec, path)["format"] == "date-time", path
    assert _property(spec, "contact.email")["format"] == "email"
    assert _property(spec, "contact.website")["format"] == "uri"
    assert _property(spec, "number")["minimum"] == 1
    assert _property(spec, "contract")["type"] == ["object", "null"]


def test_the_sort_pattern_admits_exactly_the_sortable_fields(spec: Spec) -> None:
    key = "(" + "|".join(re.escape(path) for path in spec.sort.fields) + "):(1|-1)"
    assert spec.parameters["sort"].schema["pattern"] == f"^{key}(,{key})*$"


def test_every_catalogued_field_exists_in_the_customer_schema_with_its_type(spec: Spec) -> None:
    expected = {"string": "string", "number": "integer", "boolean": "boolean", "date": "string"}
    for path, field_type in spec.field_types.items():
        schema = _property(spec, path)
        if field_type == "objectid":
            assert "ObjectId" in json.dumps(schema) or schema.get("pattern") == "^[0-9a-f]{24}$", path
            continue
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert expected[field_type] in types, path
        assert (schema.get("format") == "date-time") == (field_type == "date"), path


def test_general_field_schema_allows_exactly_the_catalogued_fields_and_operators(spec: Spec) -> None:
    branches = spec.document["components"]["schemas"]["GeneralFieldFilter"]["anyOf"][1:]
    fields: dict[str, set[str]] = {}
    operators: dict[str, set[str]] = {}
    for branch in branches:
        properties = branch["properties"]
        type_ = properties["type"]["const"]
        fields.setdefault(type_, set()).update(properties["field"]["enum"])
        written = properties["operator"]
        operators.setdefault(type_, set()).update(written.get("enum", [written.get("const")]))
    assert fields == {t: {p for p, pt in spec.field_types.items() if pt == t} for t in fields}
    assert operators == {t: set(ops) for t, ops in spec.operators_by_type.items()}


def test_every_sortable_path_is_a_catalogued_field(spec: Spec) -> None:
    assert set(spec.sort.fields) <= set(spec.field_types)


def test_errors_are_documented_as_problem_json(spec: Spec) -> None:
    for status in ("400", "401"):
        response = resolve(spec.document, spec.operation["responses"][status])
        assert list(response["content"]) == ["application/problem+json"]
    headers = spec.operation["responses"]["200"]["headers"]
    assert set(headers) == {spec.pagination.total_header, spec.pagination.link_header}
