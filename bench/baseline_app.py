"""The bare baseline of the HTTP benchmark: Flask on gunicorn returning the default page with ``json.dumps``.

It does what a naive mock would do on every request (serialize the same first 100 customers of the default
dataset), with no parsing, filtering, auth or headers, so that our mock's figure says what its design buys.
Run as ``gunicorn bench.baseline_app:app``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response

from customers_spec import load_spec, resources
from customers_spec.values import get_path

PAGE_SIZE = 100


def first_page(path: str | None = None) -> list[dict[str, Any]]:
    """The default page: the first 100 customers in the spec's default order (its keys are required fields)."""
    with open(path or resources.default_data_path(), encoding="utf-8") as file:
        customers = json.load(file)["customers"]
    keys = load_spec().sort.effective(None)
    ordered = sorted(customers, key=lambda customer: tuple(get_path(customer, key.path) for key in keys))
    return ordered[:PAGE_SIZE]


def create_app() -> Flask:
    page = first_page()
    app = Flask(__name__)

    @app.get("/v2/customers")
    def list_customers() -> Response:
        return Response(json.dumps(page), mimetype="application/json")

    return app


app = create_app()
