"""The spec and the browsable docs served by the mock: pointing at the mock, assets local, no prefilled filters."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import yaml
from flask.testing import FlaskClient

from customers_spec import Spec


def test_openapi_yaml_is_the_spec_pointing_here(client: FlaskClient, spec: Spec) -> None:
    response = client.get("/openapi.yaml", base_url="http://127.0.0.1:4010")
    assert response.status_code == 200
    document = yaml.safe_load(response.data)
    assert document["servers"] == [{"url": "http://127.0.0.1:4010", "description": "this mock server"}]
    assert {key: value for key, value in document.items() if key != "servers"} == {
        key: value for key, value in spec.document.items() if key != "servers"
    }


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_page_and_its_local_assets(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert client.get("/docs/").data == page.data
    assets = _Assets()
    assets.feed(page.get_data(as_text=True))
    assert len(assets.urls) >= 3
    for url in assets.urls:
        assert url.startswith("/"), f"{url} is not served by the mock"
        with client.get(url) as asset:
            assert asset.status_code == 200, url
            assert len(asset.data) > 0
    init = client.get("/docs/init.js").get_data(as_text=True)
    assert "/docs/openapi.json" in init and "validatorUrl: null" in init


def test_docs_spec_is_the_spec_pointing_here_without_prefilled_filters(client: FlaskClient, spec: Spec) -> None:
    document = client.get("/docs/openapi.json", base_url="http://localhost:3000").get_json()
    assert document["servers"] == [{"url": "http://localhost:3000", "description": "this mock server"}]
    name = document["components"]["parameters"]["name"]
    assert "example" not in name  # it would prefill "Try it out"
    assert "Example: `cleaning`" in name["description"]
    assert document["components"]["parameters"]["generalField"].pop("example") == {}  # not a made-up filter
    original = json.loads(json.dumps(spec.document, default=str))  # a copy, in JSON's types
    del document["servers"], original["servers"]
    for parameter in document["components"]["parameters"].values():
        parameter["description"] = parameter["description"].partition("\n\nExample: ")[0].rstrip()
    for parameter in original["components"]["parameters"].values():
        parameter.pop("example", None)
        parameter["description"] = parameter["description"].rstrip()
    assert document == original, "apart from the servers and the examples, /docs shows the spec as it is"


def test_the_docs_show_every_operation_the_mock_serves(example_client: FlaskClient) -> None:
    document = example_client.get("/docs/openapi.json").get_json()
    served = [f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item]
    assert served == [
        "GET /v2/customers",
        "POST /v2/customers",
        "GET /v2/customers/{customerId}",
        "PUT /v2/customers/{customerId}",
        "PATCH /v2/customers/{customerId}",
        "DELETE /v2/customers/{customerId}",
        "GET /v2/customers/{customerId}/objects",
        "GET /v2/objects",
    ]
    assert all(f"{each}" in example_client.get("/nowhere").get_json()["detail"] for each in served)
