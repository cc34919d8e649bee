"""Judging an answer: the checks and their registry, the context they share, the oracle, violations.

May import ``contract_tests.generation``, ``contract_tests.sending`` and ``customers_spec``; never running,
reporting or the proxy, which judge through ``judge_response``.
"""
