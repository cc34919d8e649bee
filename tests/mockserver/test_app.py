"""The app as ``create_app`` wires it: settings from the configuration and the environment."""

from __future__ import annotations

import pytest
from flask import Flask

from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from tests.mockserver.conftest import AUTH, PATH


def test_keys_from_the_environment(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSERVER_API_KEYS", "from-env, other")
    client = create_app(Config(log_requests=False), dataset=dataset).test_client()
    assert client.get(PATH, headers={"x-API-Key": "other"}).status_code == 200
    assert client.get(PATH, headers={"x-API-Key": "from-env"}).status_code == 200
    assert client.get(PATH, headers={"x-API-Key": "alpha"}).status_code == 401


def test_the_app_answers_from_the_store_of_the_dataset_it_was_given(app: Flask, dataset: Dataset) -> None:
    assert len(app.extensions["mockserver.store"]) == len(dataset.customers)
    assert app.config["MOCKSERVER"] == Config(log_requests=False)


def test_without_a_dataset_the_configured_data_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    client = create_app(Config(count=30, seed=4, log_requests=False)).test_client()
    response = client.get(f"{PATH}?limit=1", headers=AUTH)
    assert response.status_code == 200 and response.headers["X-Total-Count"] == "30"


def test_a_test_passes_its_own_store_for_the_first_list_and_the_others_are_built(dataset: Dataset) -> None:
    from customers_spec import load_api
    from mockserver.startup.storing import store_of_dataset
    from tests.conftest import EXAMPLE_SPEC

    api = load_api(EXAMPLE_SPEC)
    few = Dataset(
        dataset.customers[:5],
        [
            site
            for site in dataset.objects
            if site["customerId"] in {customer["_id"] for customer in dataset.customers[:5]}
        ],
    )
    own = store_of_dataset(api.lists[0], few)
    app = create_app(Config(spec=EXAMPLE_SPEC, log_requests=False), dataset=dataset, store=own)
    client = app.test_client()
    assert app.extensions["mockserver.store"] is own
    assert client.get(PATH, headers=AUTH).headers["X-Total-Count"] == "5"
    assert client.get(f"{PATH}/{dataset.customers[0]['_id']}", headers=AUTH).status_code == 200
    assert client.get(f"{PATH}/{dataset.customers[6]['_id']}", headers=AUTH).status_code == 404  # not in its store
    assert client.get("/v2/objects", headers=AUTH).headers["X-Total-Count"] == str(len(dataset.objects))
