"""The mock server of GET /v2/customers."""
