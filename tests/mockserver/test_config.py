from __future__ import annotations

from pathlib import Path

import pytest

from customers_spec import ConfigError, KitError
from mockserver.config import Config


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"data": Path("x.json"), "count": 5}, "not both"),
        ({"seed": 5}, "--seed"),
        ({"count": -1}, "--count"),
        ({"delay_ms": -1}, "--delay"),
        ({"workers": 0}, "--workers"),
    ],
)
def test_contradicting_settings_are_a_config_error_of_the_kit_tree(settings: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named) as refused:
        Config(**settings)
    assert isinstance(refused.value, KitError)


def test_the_spec_to_serve_is_a_setting() -> None:
    assert Config().spec is None
    assert Config(spec=Path("next.yaml")).spec == Path("next.yaml")
