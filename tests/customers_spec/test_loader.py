from __future__ import annotations

import pytest
import yaml

from customers_spec import SpecError, from_dict, load_spec, resources


def test_loading_twice_parses_once() -> None:
    assert load_spec() is load_spec()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "OpenAPI 3.1"),
        ({"openapi": "3.0.3"}, "OpenAPI 3.1"),
        ({"openapi": "3.1.0", "paths": {}}, "the spec has no list operation"),
    ],
)
def test_documents_that_cannot_drive_the_tools_are_refused(document: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        from_dict(document)


def shipped() -> dict:
    return yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))


def _without_catalogue(document: dict) -> None:
    del document["components"]["x-field-types"]


def _unknown_extension(document: dict) -> None:
    document["components"]["parameters"]["status"]["x-filtre"] = {"path": "status.status", "operator": "in"}


def _misshapen_filter(document: dict) -> None:
    document["components"]["parameters"]["status"]["x-filter"]["operator"] = "regex"


def _uncatalogued_path(document: dict) -> None:
    document["components"]["parameters"]["status"]["x-filter"]["path"] = "status.colour"


def _ref_cycle(document: dict) -> None:
    document["components"]["schemas"]["ObjectId"] = {"$ref": "#/components/schemas/ObjectIdList"}
    document["components"]["schemas"]["ObjectIdList"] = {"$ref": "#/components/schemas/ObjectId"}


def _dangling_ref(document: dict) -> None:
    document["paths"]["/v2/customers"]["get"]["parameters"][0] = {"$ref": "#/components/parameters/limits"}


def _unbounded_limit(document: dict) -> None:
    del document["components"]["parameters"]["limit"]["schema"]["maximum"]


def _bad_sort_default(document: dict) -> None:
    document["components"]["parameters"]["sort"]["x-sort"]["default"] = "colour:1"


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_unknown_extension, "/components/parameters/status/x-filtre: unknown extension x-filtre"),
        (_misshapen_filter, "/components/parameters/status/x-filter: "),
        (
            _uncatalogued_path,
            "/components/parameters/status/x-filter: path 'status.colour' is not in the field catalogue of Customer",
        ),
        (_ref_cycle, "/components/schemas/Object.*: a \\$ref cycle"),
        (_dangling_ref, "/components/parameters/limits: the \\$ref target does not exist"),
        (_unbounded_limit, "/components/parameters/limit/schema: parameter 'limit' must be an integer with"),
        (_bad_sort_default, "/components/parameters/sort/x-sort/default: 'colour' is not sortable"),
    ],
)
def test_a_spec_the_tools_cannot_serve_is_refused_in_one_line_naming_the_place(breaks, message: str) -> None:
    document = shipped()
    breaks(document)
    with pytest.raises(SpecError, match=f"^{message}") as refused:
        from_dict(document)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(("rule", "value"), [("missing", "highest"), ("strings", "locale")])
def test_an_order_rule_the_tools_do_not_implement_is_refused(rule: str, value: str) -> None:
    document = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    document["components"]["parameters"]["sort"]["x-sort"][rule] = value
    with pytest.raises(SpecError, match=f"/components/parameters/sort/x-sort/{rule}: '{value}' is not supported"):
        from_dict(document)


def test_an_unreadable_file_is_a_spec_error(tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [", encoding="utf-8")
    with pytest.raises(SpecError, match="cannot read the spec"):
        load_spec(broken)


def test_without_a_catalogue_the_schema_s_scalar_properties_are_it_typed_by_their_schemas() -> None:
    written = from_dict(shipped()).field_types
    document = shipped()
    _without_catalogue(document)
    assert from_dict(document).field_types == written
