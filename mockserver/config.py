"""The mock server's settings: defaults here, overridden by the CLI, the environment or a caller."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from customers_spec.errors import ConfigError

API_KEYS_ENV = "MOCKSERVER_API_KEYS"
MAX_DELAY_MS = 30_000
DEFAULT_SEED = 2024  # of generated data: the same seed gives the same customers


def keys_from_env(environ: dict[str, str] | None = None) -> frozenset[str]:
    """The comma-separated keys of ``MOCKSERVER_API_KEYS``; blanks are dropped."""
    raw = (os.environ if environ is None else environ).get(API_KEYS_ENV, "")
    return frozenset(key.strip() for key in raw.split(",") if key.strip())


@dataclass(frozen=True)
class Config:
    """How to serve: where the data comes from, who may call, and the frontend helpers."""

    host: str = "127.0.0.1"
    port: int = 3000
    workers: int = 2
    data: Path | None = None  # None: the shipped default dataset
    spec: Path | None = None  # None: the shipped OpenAPI document
    count: int | None = None  # with seed: generate this many customers in memory instead of loading
    seed: int | None = None
    api_keys: frozenset[str] = field(default_factory=frozenset)  # empty: any non-empty key passes
    delay_ms: int = 0
    cors_origins: frozenset[str] | None = None  # None: any origin
    lenient: bool = False  # ignore unknown query parameters instead of answering 400
    log_requests: bool = True
    state: Path | None = None  # the write log kept across restarts (None: a temporary one)

    def __post_init__(self) -> None:
        if self.data is not None and self.count is not None:
            raise ConfigError("give either a data file or --count, not both")
        if self.seed is not None and self.count is None:
            raise ConfigError("--seed only applies together with --count")
        if self.count is not None and self.count < 0:
            raise ConfigError(f"--count must be at least 0, got {self.count}")
        if not 0 <= self.delay_ms <= MAX_DELAY_MS:
            raise ConfigError(f"--delay must be between 0 and {MAX_DELAY_MS} ms, got {self.delay_ms}")
        if self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, got {self.workers}")

    def with_env_keys(self, environ: dict[str, str] | None = None) -> Config:
        """This config with the keys of ``MOCKSERVER_API_KEYS`` added to the configured ones."""
        return replace(self, api_keys=self.api_keys | keys_from_env(environ))
