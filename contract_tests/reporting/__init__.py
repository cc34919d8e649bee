"""Reporting a run's outcome, one module per format: text, JUnit XML, HTML, JSON, a GitHub step summary.

May import ``contract_tests.running`` (its records), ``.judging`` (violations), ``.sending`` (answers),
``.generation`` (requests) and ``customers_spec``; never the proxy or the kit's command lines.
"""
