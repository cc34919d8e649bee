"""Contract tests of GET /v2/customers: Hypothesis-generated requests checked for shape and meaning."""
