"""Benchmarks of customers-api-kit: ``python -m bench`` prints every figure in one table."""
