"""Sending a request: transports (a live URL, a WSGI app) and staging manners (a rate limit, ``Retry-After``).

May import ``contract_tests.generation`` (a case's credentials) and ``customers_spec``; never judging,
running, reporting or the proxy.
"""
