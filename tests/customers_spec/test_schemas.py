from __future__ import annotations

from typing import Any

import pytest

from customers_spec import Spec
from customers_spec.errors import DataError
from customers_spec.schemas import ENFORCED_FORMATS, component, fast_validator, json_path

VALID: dict[str, Any] = {
    "_id": "65a1b2c3d4e5f6a7b8c9d0e1",
    "number": 1001,
    "companyId": "65a1b2c3d4e5f6a7b8c9d0e2",
    "status": {"status": 1, "createdAt": "2023-11-07T05:31:56Z", "createdBy": "user123"},
    "name": "Glanzwerk Reinigung GmbH",
    "address": {"street": "Hauptstraße 1", "zip": "10115", "city": "Berlin", "country": "Deutschland"},
    "contact": {"email": "info@glanzwerk.de", "website": "https://glanzwerk.de"},
    "invoiceCCRecipientIds": [],
    "hideRecipientOnDocuments": False,
}


def test_a_complete_customer_is_valid(spec: Spec) -> None:
    assert component(spec, "Customer").is_valid(VALID)


def test_formats_are_enforced_not_just_annotations() -> None:
    from jsonschema import Draft202012Validator

    assert set(ENFORCED_FORMATS) <= set(Draft202012Validator.FORMAT_CHECKER.checkers)


@pytest.mark.parametrize(
    ("patch", "path", "rule"),
    [
        ({"contact": {"email": "not-an-email"}}, "$.contact.email", "format"),
        ({"contact": {"website": "no scheme"}}, "$.contact.website", "format"),
        ({"status": {**VALID["status"], "createdAt": "yesterday"}}, "$.status.createdAt", "format"),
        ({"_id": "65A1B2C3D4E5F6A7B8C9D0E1"}, "$._id", "pattern"),
        ({"chatId": "short"}, "$.chatId", "pattern"),
        ({"number": 0}, "$.number", "minimum"),
        ({"typo": 1}, "$", "additionalProperties"),
    ],
)
def test_violations_name_the_json_path_and_rule(spec: Spec, patch: dict, path: str, rule: str) -> None:
    errors = list(component(spec, "Customer").iter_errors({**VALID, **patch}))
    assert [(error.path, error.rule) for error in errors] == [(path, rule)]


def test_validate_raises_the_first_violation(spec: Spec) -> None:
    with pytest.raises(DataError, match=r"\$\[4\]\.number"):
        component(spec, "Customer").validate({**VALID, "number": "1"}, root="$[4]")


def test_json_paths_index_arrays() -> None:
    assert json_path(["customers", 3, "contact", "email"]) == "$.customers[3].contact.email"


def test_the_fast_validator_agrees_on_a_component_and_declines_what_it_cannot_resolve(spec: Spec) -> None:
    fast = fast_validator(spec, {"$ref": "#/components/schemas/Customer"})
    assert fast is not None and fast.is_valid(VALID)
    assert not fast.is_valid({**VALID, "contact": {"email": "info@"}})  # formats are checked too
    assert fast_validator(spec, {"$ref": "https://example.com/schema.json"}) is None  # outside the spec
    assert fast_validator(spec, {"components": {}, "type": "string"}) is None  # would shadow the spec's
