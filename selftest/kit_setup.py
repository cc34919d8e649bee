"""The setup the contract kit is tested with, shared by its tests and the fault-detection benchmark."""

from __future__ import annotations

API_KEY = "contract-tests-api-key"
DATASET_SIZE = 60
DATASET_SEED = 11
