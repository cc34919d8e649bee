from __future__ import annotations

import pytest
import yaml

from customers_spec import SpecError, from_dict, load_spec, resources


def test_the_shipped_spec_and_data_are_found() -> None:
    assert resources.spec_path().is_file()
    assert resources.default_data_path().is_file()


def test_loading_twice_parses_once() -> None:
    assert load_spec() is load_spec()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "OpenAPI 3.1"),
        ({"openapi": "3.0.3"}, "OpenAPI 3.1"),
        ({"openapi": "3.1.0", "paths": {}}, "no GET /v2/customers"),
    ],
)
def test_documents_that_cannot_drive_the_tools_are_refused(document: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        from_dict(document)


def test_a_spec_without_extensions_is_refused() -> None:
    document = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    del document["components"]["x-field-types"]
    with pytest.raises(SpecError, match="extensions are incomplete"):
        from_dict(document)


@pytest.mark.parametrize(("rule", "value"), [("missing", "highest"), ("strings", "locale")])
def test_an_order_rule_the_tools_do_not_implement_is_refused(rule: str, value: str) -> None:
    document = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    document["components"]["parameters"]["sort"]["x-sort"][rule] = value
    with pytest.raises(SpecError, match=f"x-sort {rule}: '{value}' is not supported"):
        from_dict(document)


def test_an_unreadable_file_is_a_spec_error(tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [", encoding="utf-8")
    with pytest.raises(SpecError, match="cannot read the spec"):
        load_spec(broken)
