"""Running the checks on generated requests: setup, the Hypothesis runner, its records and its progress.

May import ``contract_tests.generation``, ``.sending``, ``.judging`` and ``customers_spec``; never reporting,
the proxy or the kit's command lines.
"""
